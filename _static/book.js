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
