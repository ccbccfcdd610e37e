"""What a phone (390 px) shows: no page scrolls sideways, no table squeezes a word into a sliver,
no chart text too small to read, no page much taller than the same page on a laptop, and a
what-if whose results stay in view while its controls move."""

import re

import pytest
from built_site import PAGES, open_offline

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
NARROWEST_CELL = 60  # px: a table cell with a word in it (the measure)
SMALLEST_TEXT = 10  # px on screen: chart text (font size times the chart's scale)
# A page's height on a phone against a laptop: the text column is about 2.3 times narrower, so
# prose alone gives about 2.3; tables as cards add a little. A table squeezed to a letter a
# line gave 25 (the citable values, 910,085 px).
TALLEST_RATIO = 3.0

MEASURE_JS = """() => {
  const hidden = (el) => {  // clipped to nothing (a card table's header) or not shown
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const r = e.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1 || getComputedStyle(e).visibility === 'hidden') return true;
    }
    return false;
  };
  const narrow = [];
  for (const cell of document.querySelectorAll('.bd-article td, .bd-article th')) {
    if (!/[A-Za-z]{2,}/.test(cell.textContent) || hidden(cell)) continue;
    const width = cell.getBoundingClientRect().width;
    if (width < %(cell)d) narrow.push([Math.round(width), cell.textContent.trim().slice(0, 40)]);
  }
  const small = [];
  for (const t of document.querySelectorAll('.bd-article svg text')) {
    if (!t.textContent.trim() || hidden(t)) continue;
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
    if (px < %(text)d) small.push([Math.round(px * 10) / 10, t.textContent.slice(0, 40)]);
  }
  return {height: document.documentElement.scrollHeight,
          scrollWidth: document.documentElement.scrollWidth, narrow, small};
}""" % {"cell": NARROWEST_CELL, "text": SMALLEST_TEXT}


def _open(browser, base_url, page_path, viewport):
    page = browser.new_page(viewport=viewport)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
    page.goto(base_url + page_path, wait_until="load")
    charts = page.locator("[id^=altair-viz-]")
    for i in range(charts.count()):
        charts.nth(i).locator("svg.marks").first.wait_for(timeout=10_000)
    return page


@pytest.mark.parametrize("page_path", [p for p in PAGES if p.startswith("chapters/")])
def test_a_phone_reads_every_page(browser, base_url, page_path):
    """At 390 px: the page never scrolls sideways, every chart takes the column (300-390 px),
    what-if controls sit below their chart, no table cell with a word in it is narrower than
    60 px, no chart text is under 10 px on screen, and the page is at most three times as tall
    as at 1366 px."""
    laptop = _open(browser, base_url, page_path, LAPTOP)
    laptop_height = laptop.evaluate("document.documentElement.scrollHeight")
    laptop.close()
    page = _open(browser, base_url, page_path, PHONE)
    seen = page.evaluate(MEASURE_JS)
    widths = page.evaluate("[...document.querySelectorAll('[id^=altair-viz-] svg.marks')]"
                           ".map(s => s.getBoundingClientRect().width)")
    below = page.evaluate("""[...document.querySelectorAll('[id^=altair-viz-]')]
        .filter(el => el.querySelector('.vega-bindings'))
        .map(el => el.querySelector('.vega-bindings').getBoundingClientRect().top
                   >= el.querySelector('svg.marks').getBoundingClientRect().bottom - 1)""")
    page.close()
    assert seen["scrollWidth"] <= PHONE["width"]
    assert all(300 <= w <= PHONE["width"] for w in widths), widths
    assert all(below), below
    assert seen["narrow"] == [], f"cells narrower than {NARROWEST_CELL} px: {seen['narrow'][:5]}"
    assert seen["small"] == [], f"chart text under {SMALLEST_TEXT} px: {seen['small'][:5]}"
    ratio = seen["height"] / laptop_height
    assert ratio <= TALLEST_RATIO, f"{seen['height']} px on a phone, {ratio:.1f}× a laptop's"


def test_the_measures_find_a_squeezed_cell_and_small_chart_text(browser, base_url):
    """The page measures fail where they should: a table forced to a sliver and a chart drawn
    at half size."""
    page = _open(browser, base_url, "chapters/intro.html", PHONE)
    page.add_style_tag(content=".bd-article table.cards td { display: table-cell !important; "
                               "width: 20px !important; } .bd-article table.cards tr "
                               "{ display: table-row !important; } .bd-article table.cards "
                               "{ display: table !important; width: 200px !important; }")
    page.evaluate("document.querySelector('[id^=altair-viz-] svg.marks').style.width = '150px'")
    seen = page.evaluate(MEASURE_JS)
    page.close()
    assert seen["narrow"], "a 20 px column was not found"
    assert seen["small"], "text at under half size was not found"


WHATIFS = [("chapters/payback.html", "fig-payback-whatif"),
           ("chapters/network_roi.html", "fig-network-whatif"),
           ("chapters/buying_2026.html", "fig-buying-whatif")]
# Read-outs in the book's number style: a share as a percentage, money with $ and commas.
READOUT_STYLE = {"utilisation": r"\d{1,3}(\.\d)?%", "capex_per_gpu": r"\$\d{1,3}(,\d{3})*",
                 "price": r"\$\d+\.\d\d", "hurdle_rate": r"\d{1,2}(\.\d)?%",
                 "comm_share": r"\d{1,3}%"}


@pytest.mark.parametrize("page_path,figure", WHATIFS, ids=[f for _, f in WHATIFS])
def test_a_whatif_keeps_its_results_in_view_while_a_control_moves(browser, base_url,
                                                                    page_path, figure):
    """On a phone, a reader taps each control in turn (the browser scrolls it into view) and
    moves it: the chart with the results stays whole on screen above the control, and the
    control's read-out is in the book's number style."""
    page = open_offline(browser, base_url, page_path)
    page.set_viewport_size(PHONE)
    chart = page.locator(f"#{figure}")
    chart.locator("svg.marks").first.wait_for(timeout=10_000)
    controls = chart.locator(".vega-bindings input[type=range], .vega-bindings select")
    assert controls.count() >= 4
    for i in range(controls.count()):
        control = controls.nth(i)
        control.click()  # fails if the chart covers it
        if control.get_attribute("type") == "range":
            page.keyboard.press("ArrowRight")
        results = chart.locator("svg.marks").first.bounding_box()
        moved = control.bounding_box()
        name = control.get_attribute("name")
        assert results["y"] >= 0 and results["y"] + results["height"] <= PHONE["height"], \
            f"{figure}: moving {name} put the results off screen ({results})"
        assert moved["y"] >= results["y"] + results["height"] - 1, (name, moved, results)
        if name in READOUT_STYLE:
            shown = control.evaluate("c => c.nextElementSibling.textContent")
            assert re.fullmatch(READOUT_STYLE[name], shown), (name, shown)
    page.close()
