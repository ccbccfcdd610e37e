"""What a phone (390 px) shows: no page scrolls sideways, charts take the column, what-if
controls sit below their chart."""

import pytest
from built_site import PAGES


@pytest.mark.parametrize("page_path", [p for p in PAGES if p.startswith("chapters/")])
def test_a_phone_reads_every_page_without_sideways_scrolling(browser, base_url, page_path):
    """At 390 px: the page never scrolls sideways (wide tables scroll in their own frame), every
    chart takes the column and stays at least 300 px wide, what-if controls sit below it."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
    page.goto(base_url + page_path, wait_until="load")
    charts = page.locator("[id^=altair-viz-]")
    for i in range(charts.count()):
        charts.nth(i).locator("svg.marks").first.wait_for(timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    widths = page.evaluate("[...document.querySelectorAll('[id^=altair-viz-] svg.marks')]"
                           ".map(s => s.getBoundingClientRect().width)")
    assert all(300 <= w <= 390 for w in widths), widths
    below = page.evaluate("""[...document.querySelectorAll('[id^=altair-viz-]')]
        .filter(el => el.querySelector('.vega-bindings'))
        .map(el => el.querySelector('.vega-bindings').getBoundingClientRect().top
                   >= el.querySelector('svg.marks').getBoundingClientRect().bottom - 1)""")
    assert all(below), below
    page.close()
