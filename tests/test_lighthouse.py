"""Google Lighthouse 12.2.3 (npm registry, pinned by tools/lighthouse/package-lock.json; run on
Debian's Chromium) scores every page of the built book as a search engine, an accessibility
reviewer and a browser's best-practice checks see it: 1.00 each, on a phone's settings (its
default). Performance moves with the machine's load: it is measured by `make audit` and kept in
the benchmark record, not tested here."""

import json
import subprocess

import pytest
from built_site import CHROMIUM, HTML, PAGES, ROOT, serve

AUDIT = ROOT / "tools" / "lighthouse" / "audit.mjs"
CATEGORIES = "accessibility,best-practices,seo"


def lighthouse(base_url: str, pages: list[str]) -> dict:
    run = subprocess.run(["node", str(AUDIT), base_url, CATEGORIES, "mobile", "--", *pages],
                         capture_output=True, text=True, timeout=1200,
                         env={"PATH": "/usr/bin:/bin", "CHROME_PATH": CHROMIUM,
                              "HOME": str(ROOT / "_build")})
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def scores():
    assert (ROOT / "tools" / "lighthouse" / "node_modules" / "lighthouse").is_dir(), \
        "Lighthouse is not installed: run make test (it installs tools/lighthouse)"
    address, server = serve(HTML, like_a_host=True)
    try:
        # index.html only redirects to the first page, which is audited itself
        return lighthouse(address, [p for p in PAGES if p != "index.html"])
    finally:
        server.shutdown()


def test_every_page_scores_full_marks_for_search_accessibility_and_practice(scores):
    assert len(scores) >= 11
    short = {page: {c: (s["mobile"][c], s["mobile"][c + ":failed"])
                    for c in CATEGORIES.split(",") if s["mobile"][c] < 1}
             for page, s in scores.items()}
    assert not any(short.values()), {p: v for p, v in short.items() if v}


def test_lighthouse_marks_down_a_page_without_what_search_needs(tmp_path):
    """A page with no description, no language and an image without a text alternative."""
    (tmp_path / "bare.html").write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body><img src='a.png'></body></html>",
        encoding="utf-8")
    address, server = serve(tmp_path)
    try:
        bare = lighthouse(address, ["bare.html"])["bare.html"]["mobile"]
    finally:
        server.shutdown()
    assert bare["seo"] < 1 and "meta-description" in bare["seo:failed"]
    assert bare["accessibility"] < 1 and "image-alt" in bare["accessibility:failed"]
