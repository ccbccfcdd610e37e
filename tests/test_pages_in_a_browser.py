"""Every built page in headless Chromium with the network cut off, visited once: it loads, every
chart draws with a text alternative, nothing fails in the console, and axe-core finds no
accessibility violation in the article."""

import pytest
from built_site import HTML, KNOWN_CONSOLE_NOISE, PAGES, ROOT, open_offline
from reader_text import (CODE_VOCABULARY, NUMBER_STYLE, READER_TEXT_JS, TECHNICAL_PAGES,
                         breaches)


def test_site_was_built():
    assert "chapters/intro.html" in PAGES, "build the book first: make rebuild"


AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("page_path", PAGES)
def test_page_loads_offline_draws_every_chart_and_is_accessible(browser, base_url, page_path):
    """axe-core runs over the article (the theme's navigation is outside the book's control)."""
    page = browser.new_page()
    external, problems = [], []

    def only_local(route):
        if route.request.url.startswith(base_url):
            return route.continue_()
        external.append(route.request.url)
        return route.abort()

    page.route("**/*", only_local)
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") and m.text not in KNOWN_CONSOLE_NOISE else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400
            else None)
    response = page.goto(base_url + page_path, wait_until="load")
    assert response is not None and response.ok
    # the book's own icon, so no browser asks the server for a /favicon.ico it does not have
    if 'http-equiv="refresh"' not in (HTML / page_path).read_text(encoding="utf-8")[:600].lower():
        icons = page.eval_on_selector_all("link[rel=icon]", "links => links.map(l => l.href)")
        assert len(icons) == 1 and page.request.get(icons[0]).ok, icons
    charts = page.locator("[id^=altair-viz-]")
    for i in range(charts.count()):
        charts.nth(i).locator("svg.marks").first.wait_for(timeout=10_000)
        label = charts.nth(i).locator("xpath=ancestor::div[@role='group']").first \
            .get_attribute("aria-label") or ""
        assert len(label) > 20, f"chart {i} on {page_path} has no text alternative"
    # (index.html only redirects: its page may be gone by the time it would be read)
    text = page.evaluate(READER_TEXT_JS) if page_path.startswith("chapters/") else ""
    style = breaches(text, NUMBER_STYLE) if page_path.startswith("chapters/") else []
    vocabulary = (breaches(text, CODE_VOCABULARY)
                  if page_path.startswith("chapters/") and page_path not in TECHNICAL_PAGES
                  else [])
    violations = []
    if page_path.startswith("chapters/"):
        assert AXE.is_file(), "run `make test` (it installs axe-core from tools/axe)"
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run({include: ['.bd-article']}, {resultTypes: ['violations']})")
        violations = [(v["impact"], v["id"], v["nodes"][0]["target"])
                      for v in result["violations"]]
    page.close()
    assert violations == [], violations
    assert external == [], f"{page_path} tried to fetch {external}"
    assert "x-thebe-config" not in (HTML / page_path).read_text(encoding="utf-8"), \
        f"{page_path} carries a live-kernel configuration naming another repository"
    assert problems == [], f"{page_path} logged {problems}"
    assert style == [], f"{page_path}: numbers not in the book's style: {style[:8]}"
    assert vocabulary == [], f"{page_path}: the code's vocabulary reaches readers: {vocabulary[:8]}"


def test_the_reader_text_rules_find_what_they_name():
    assert len(breaches("it fell 16 % to −5 and -53% in 2023-2026, 73.6 USD billion",
                        NUMBER_STYLE)) == 4
    assert len(breaches("at $1-2/h, 18-20% of it", NUMBER_STYLE)) == 2
    assert breaches("it fell 16% to −53%, $73.6 billion, Q3-2024, 2023–2026, $1–2, on "
                    "2024-10-15, Llama-2-70B", NUMBER_STYLE) == []
    found = breaches("see linear_to_half in data/assumptions.csv, or https://x.org/a_b.csv",
                     CODE_VOCABULARY)
    assert len(found) == 2 and "linear_to_half" in found[0], found


def test_sliders_are_keyboard_focusable(browser, base_url):
    page = open_offline(browser, base_url, "chapters/network_roi.html")
    sliders = page.locator("#fig-network-whatif input[type=range]")
    sliders.first.wait_for(timeout=10_000)
    assert sliders.count() == 3
    for i in range(sliders.count()):
        sliders.nth(i).focus()
        assert page.evaluate("document.activeElement.type") == "range"
    page.close()




def test_a_citation_is_copied_whole_and_its_row_marked_on_arrival(browser, base_url):
    """Arriving at a value's address marks its row; the Copy button puts exactly the row's
    'Cite as' text on the clipboard; on a phone the citation is the first thing in its card."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url)
               else r.abort())
    page.goto(base_url + "chapters/citable_values.html#val-n10-ours", wait_until="load")
    row = page.locator("tr#val-n10-ours")
    assert row.evaluate("r => getComputedStyle(r.querySelector('td')).backgroundColor") \
        == "rgb(255, 244, 204)"
    assert page.locator("tr#val-n09-ours").evaluate(
        "r => getComputedStyle(r.querySelector('td')).backgroundColor") != "rgb(255, 244, 204)"
    expected = row.locator(".cite-text").inner_text()
    row.locator("button.copy-cite").click()
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert "assuming 2% of each inference step" in expected and "2024-09" in expected
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "chapters/citable_values.html#val-n10-ours", wait_until="load")
    card, cite = (page.locator("tr#val-n10-ours").bounding_box(),
                  page.locator("tr#val-n10-ours .cite-as").bounding_box())
    assert cite["y"] - card["y"] < 60, (card, cite)
    assert 0 <= card["y"] < 844, "the row is not on screen on arrival"
    context.close()
