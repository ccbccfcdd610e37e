/* One loader for every chart: the chart libraries come from _static/vega-offline.js (no CDN),
   loaded deferred and only on pages with a chart; each chart queues itself in gpueconCharts and
   is drawn when the page has been read (deferred scripts have run by then).
   A chart is drawn to the column it sits in, never a desktop chart scaled down: a single or
   layered chart takes the column's width ("container"); a chart of several panels that comes
   out wider than the column is drawn again with its panels narrowed by the difference. Text
   keeps its size either way. */
function gpueconEmbed(id, spec, options) {
  var element = document.getElementById(id);
  var panels = spec.vconcat || spec.hconcat || spec.concat;
  var single = !panels && !spec.facet && !spec.repeat && !(spec.spec && spec.spec.width);
  if (single) {
    spec.width = "container";
    spec.autosize = {type: "fit-x", contains: "padding"};
  }
  function fail(error) {
    element.textContent = "This chart could not be drawn: " + error.message;
  }
  function narrowed(excess) {
    var copy = JSON.parse(JSON.stringify(spec));
    var inner = copy.vconcat || copy.concat || (copy.spec ? [copy.spec] : []);
    var across = copy.hconcat || [];
    inner.forEach(function (p) { if (typeof p.width === "number") p.width = Math.max(120, p.width - excess); });
    across.forEach(function (p) {
      if (typeof p.width === "number") p.width = Math.max(80, p.width - excess / across.length);
    });
    return copy;
  }
  vegaEmbed(element, spec, options).then(function (result) {
    styleReadouts(element, spec);
    if (single) return;
    var svg = element.querySelector("svg.marks");
    var available = element.parentElement.clientWidth;
    var drawn = svg ? parseFloat(svg.getAttribute("width")) : 0;
    if (!svg || !available || drawn <= available) return;
    result.finalize();
    vegaEmbed(element, narrowed(drawn - available + 2), options)
      .then(function () { styleReadouts(element, spec); }).catch(fail);
  }).catch(fail);
}

document.addEventListener("DOMContentLoaded", function () {
  (window.gpueconCharts || []).forEach(function (chart) {
    gpueconEmbed(chart[0], chart[1], chart[2]);
  });
});

/* A slider's read-out in the book's number style ("81%", "$50,500", a true minus sign): the
   chart names each control's format (its usermeta.readouts, Intl.NumberFormat options). Vega
   writes the raw value on every move (and on every change of its signal); an observer of the
   read-out writes it again in style. */
function styleReadouts(element, spec) {
  var readouts = (spec.usermeta || {}).readouts || {};
  // On a phone the results stick under the header (book.css): a control brought into view
  // (by focus or a scroll to it) stops below them, not beneath them.
  var svg = element.querySelector("svg.marks");
  if (svg && getComputedStyle(svg).position === "sticky") {
    var clear = svg.getBoundingClientRect().height + parseFloat(getComputedStyle(svg).top) + 8;
    element.querySelectorAll(".vega-bind").forEach(function (b) {
      b.style.scrollMarginTop = clear + "px";
    });
  }
  element.querySelectorAll(".vega-bind input[type=range][name]").forEach(function (input) {
    var options = readouts[input.name];
    var shown = input.nextElementSibling;
    if (!options || !shown) return;
    var format = new Intl.NumberFormat("en-US", options);
    function show() {
      var styled = format.format(+input.value).replace(/^-/, "\u2212");
      if (shown.textContent !== styled) shown.textContent = styled;
    }
    new MutationObserver(show).observe(shown, {childList: true, characterData: true, subtree: true});
    show();
  });
}

/* An older version of the book says so, and links the latest version and what changed since.
   versions.json sits beside the version folders (public/versions.json); a page that is not in
   a published tree (a local build) finds none and shows nothing. No request leaves the site. */
document.addEventListener("DOMContentLoaded", function () {
  var meta = document.querySelector('meta[name="book-version"]');
  var root = document.documentElement.getAttribute("data-content_root");
  if (!meta || root === null || window.location.protocol === "file:") return;
  var here = meta.getAttribute("content");
  // Only a published tree (public/v<version>/ or public/latest/) has versions.json beside it.
  var path = window.location.pathname;
  if (path.indexOf("/v" + here + "/") < 0 && path.indexOf("/latest/") < 0) return;
  fetch(root + "../versions.json").then(function (r) { return r.ok ? r.json() : null; })
    .then(function (index) {
      if (!index || !index.latest || index.latest === here) return;
      var page = window.location.pathname.split("/v" + here + "/")[1] || "";
      var banner = document.createElement("div");
      banner.className = "old-version-banner";
      banner.setAttribute("role", "note");
      banner.innerHTML = "You are reading version " + here + " of this book; the latest is " +
        index.latest + ". <a href=\"" + root + "../v" + index.latest + "/" + page +
        "\">Read this page in the latest version</a> · <a href=\"" + root + "../changes/v" +
        here + "-to-v" + index.latest + ".html\">What changed</a>";
      var main = document.querySelector("article") || document.querySelector("main") || document.body;
      main.insertBefore(banner, main.firstChild);
    }).catch(function () {});
});

/* What-if controls: the starting state comes from the page's query string (?price=2.5&
   utilisation=0.7&price_path=flat: a control's name), and moving a control writes it back, so a
   copied link reproduces the scenario. A bad parameter is ignored with a note, never a blank
   chart. Preset buttons set every control at once. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".whatif-controls").forEach(function (controls) {
    var figure = controls.closest("figure") || controls.parentElement;
    var note = controls.querySelector(".whatif-note");
    var presets = JSON.parse(controls.getAttribute("data-presets") || "{}");
    function inputs() {
      return figure.querySelectorAll(".vega-bindings input[name], .vega-bindings select[name]");
    }
    function set(el, value) {
      el.value = value;
      el.dispatchEvent(new Event("input", {bubbles: true}));
      el.dispatchEvent(new Event("change", {bubbles: true}));
    }
    function apply(values, from) {
      var byName = {}, problems = [];
      inputs().forEach(function (el) { byName[el.name] = el; });
      Object.keys(values).forEach(function (name) {
        var el = byName[name], raw = String(values[name]);
        if (!el) { problems.push(name + " (no such input)"); return; }
        if (el.tagName === "SELECT") {
          var ok = Array.prototype.some.call(el.options, function (o) { return o.value === raw; });
          if (!ok) { problems.push(name + "=" + raw + " (not one of the choices)"); return; }
          set(el, raw); return;
        }
        // a plain decimal only: "0x5", "1e1" or " 5" are numbers to JavaScript, not to a reader
        if (!/^-?\d+(\.\d+)?$/.test(raw)) { problems.push(name + "=" + raw + " (not a number written as digits, e.g. 2.5)"); return; }
        var x = Number(raw), low = Number(el.min), step = Number(el.step) || 0;
        if (x < low || x > Number(el.max)) {
          problems.push(name + "=" + raw + " (outside " + el.min + " to " + el.max + ")"); return;
        }
        // the slider would quietly round a value between its steps (a lifetime of 4.5 to 5)
        if (step > 0 && Math.abs((x - low) / step - Math.round((x - low) / step)) > 1e-6) {
          problems.push(name + "=" + raw + " (not one of the control's steps of " + el.step + " from " + el.min + ")"); return;
        }
        set(el, raw);
      });
      note.textContent = problems.length ? "Ignored in " + from + ": " + problems.join("; ") + "." : "";
    }
    function remember() {
      var query = new URLSearchParams();
      inputs().forEach(function (el) { query.set(el.name, el.value); });
      history.replaceState(null, "", "?" + query.toString() + window.location.hash);
    }
    var tries = 0, wait = setInterval(function () {
      if (inputs().length === 0 && tries++ < 100) return;  // the chart is still drawing
      clearInterval(wait);
      var query = new URLSearchParams(window.location.search), asked = {};
      query.forEach(function (value, name) { asked[name] = value; });
      if (Object.keys(asked).length) apply(asked, "the address");
      inputs().forEach(function (el) {
        el.addEventListener("input", remember);
        el.addEventListener("change", remember);
      });
      controls.querySelectorAll("button[data-preset]").forEach(function (button) {
        button.addEventListener("click", function () {
          apply(presets[button.getAttribute("data-preset")], "the preset");
          remember();
        });
      });
      controls.querySelector(".whatif-copy").addEventListener("click", function () {
        remember();
        var done = function () { note.textContent = "Link copied: " + window.location.href; };
        if (navigator.clipboard) navigator.clipboard.writeText(window.location.href).then(done, done);
        else done();
      });
    }, 100);
  });
});

/* "Cite as": the Copy button puts the citation on the clipboard (a selection where the browser
   refuses, as on a page opened from a file). */
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest(".copy-cite") : null;
  if (!button) return;
  var text = button.parentElement.querySelector(".cite-text");
  function done(word) {
    button.textContent = word;
    setTimeout(function () { button.textContent = "Copy"; }, 2000);
  }
  function select() {
    var range = document.createRange();
    range.selectNodeContents(text);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    done("Selected: press Ctrl+C");
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text.textContent).then(function () { done("Copied"); }, select);
  } else {
    select();
  }
});
