"""Publishing and citing: one public address, versions kept as published, reproducible pages,
fact-check markup a machine can read."""

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from gpuecon.site import citation

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
VERSION = str(CFF["version"])
CONFIGURED = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"][
    "gpuecon_base_url"]
# Written out, not computed with the function the pages use: '<base>v<version>/'.
VERSION_URL = CONFIGURED.rstrip("/") + f"/v{VERSION}/"
PUBLISHED_TEXT = ("*.html", "*.json", "*.csv", "*.xml", "*.cff", "*.txt")
PAGES = sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
               if not p.relative_to(HTML).as_posix().startswith("_"))


def _published_files(folder: Path):
    for pattern in PUBLISHED_TEXT:
        yield from (p for p in folder.rglob(pattern) if "_static" not in p.parts
                    and "_sources" not in p.parts)


# ---------------------------------------------------------------------------- one address
def test_no_published_file_names_a_local_address():
    found = [f"{p.relative_to(HTML)}: {m.group(0)}" for p in _published_files(HTML)
             for m in [citation.LOCAL_ADDRESS.search(p.read_text(encoding="utf-8"))] if m]
    assert not found, found[:10]


@pytest.mark.parametrize("page", [p for p in PAGES if p not in ("index.html",)])
def test_every_page_links_its_canonical_versioned_address(page):
    html = (HTML / page).read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{VERSION_URL}{page}" />' in html
    assert f'<meta name="book-version" content="{VERSION}">' in html


def test_chapters_are_cited_at_their_versioned_address():
    html = (HTML / "chapters" / "payback.html").read_text(encoding="utf-8")
    block = html[html.index('id="how-to-cite"'):]
    assert f'href="{VERSION_URL}chapters/payback.html"' in block
    assert f"version {VERSION}" in block


def _citations() -> dict[str, str]:
    """Each citable value's 'Cite as' text, as the page gives it, by its row's anchor."""
    import html as markup

    page = (HTML / "chapters" / "citable_values.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="row-(?:odd|even)" id="(val-[a-z0-9-]+)">(.*?)</tr>', page, re.S)
    return {anchor: markup.unescape(re.search(r'class="cite-text">(.*?)</span>', row, re.S)
                                    .group(1)) for anchor, row in rows}


def test_each_citable_value_has_a_citation_ready_to_copy():
    """Every row: the value and what it is, the date of its evidence, the book's author once,
    title and version, and the row's own address."""
    citations = _citations()
    assert len(citations) > 100
    author = CFF["authors"][0]["name"]
    for anchor, cite in citations.items():
        assert cite.endswith(f"{VERSION_URL}chapters/citable_values.html#{anchor}"), cite
        assert f"version {VERSION}" in cite and "(evidence as of " in cite, cite
        assert cite.count(author) == 1 and f"{CFF['title']}, version" in cite, cite
        assert not re.search(r"\b[a-z][A-Z]{2,}", cite), f"an acronym lost its capital: {cite}"
        assert not re.search(r"\b(USD|EUR)\b", cite), f"a currency code, not a symbol: {cite}"


# One value from each family of chapters, as a memo writer pastes it (a plain-text line).
THREE_CITATIONS = {
    "val-mc-share-within-1-5y-at-470": (
        "17.8%: Share of draws paying back within about 1.5 years at $4.70, over 100,000 "
        "seeded draws across the book's range for every assumption"),
    "val-asml-q3-2024-bookings-eur-bn": "€2.633 billion: ASML Q3 2024 net bookings",
    "val-n10-ours": ("$2,528 per GPU per year: Gain in inference, GPU-year at MLPerf rate (billed "
                     "tokens), assuming 2% of each inference step waits on the network"),
}
EVIDENCE_AS_OF = {"val-mc-share-within-1-5y-at-470": "2023",
                  "val-asml-q3-2024-bookings-eur-bn": "2024-10-15", "val-n10-ours": "2024-09"}


@pytest.mark.parametrize("anchor", THREE_CITATIONS)
def test_a_citation_pastes_into_a_memo_as_it_should_read(anchor):
    """The whole line, word for word: the value in the book's style, what it is and what it
    assumes, the date of the evidence, the author named once (an organisation, not 'Surname,
    Given'), the title and version, and the row's address."""
    expected = (f"{THREE_CITATIONS[anchor]} (evidence as of {EVIDENCE_AS_OF[anchor]}). "
                f"GPU Economics Checked ({CFF['date-released']}). GPU Economics, Checked: an "
                f"executable check of two posts on AI-GPU economics, version {VERSION}. "
                f"{VERSION_URL}chapters/citable_values.html#{anchor}")
    assert _citations()[anchor] == expected


def test_the_sitemap_lists_every_page_at_its_public_address():
    sitemap = (HTML / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    chapters = {f"{VERSION_URL}{p}" for p in PAGES if p.startswith("chapters/")}
    assert chapters <= listed, chapters - listed


def test_the_published_citation_file_carries_the_versioned_address():
    cff = yaml.safe_load((HTML / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["url"] == VERSION_URL and str(cff["version"]) == VERSION


def test_the_base_address_must_be_public_and_absolute(monkeypatch):
    monkeypatch.delenv("BASE_URL", raising=False)
    assert citation.base_url("https://example.org/book") == "https://example.org/book/"
    monkeypatch.setenv("BASE_URL", "https://reports.example.com/gpu/")
    assert citation.base_url("https://example.org/book") == "https://reports.example.com/gpu/"
    for bad in ("http://127.0.0.1:8000/", "http://localhost/", "/book/", "example.org"):
        monkeypatch.setenv("BASE_URL", bad)
        with pytest.raises(citation.AddressError):
            citation.base_url("https://example.org/")


# ---------------------------------------------------------------------------- ClaimReview
def _claim_reviews():
    reviews = {}
    for page in (HTML / "chapters").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            for review in json.loads(block):
                reviews[review["identifier"]] = (page, review)
    return reviews


def test_every_claim_is_published_as_a_claim_review_with_the_fields_consumers_require():
    """schema.org ClaimReview as fact-check consumers document it: claimReviewed, reviewRating
    (alternateName; a numeric value on a stated scale), url, author (name, url), datePublished,
    itemReviewed (a Claim with its author, date and where it appeared)."""
    exported = {r["claim_id"]: r for r in csv_rows("claims.csv")}
    reviews = _claim_reviews()
    assert sorted(reviews) == sorted(exported)
    assert len(reviews) == 22
    for claim_id, (page, r) in reviews.items():
        assert r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview"
        assert r["claimReviewed"] == exported[claim_id]["short_name"]
        assert len(r["claimReviewed"]) <= 75  # what fact-check consumers advise
        assert 0 < len(r["reviewBody"]) and re.search(r"\d", r["reviewBody"])
        anchor = f"claim-{claim_id.lower()}"
        assert r["url"] == f"{VERSION_URL}chapters/{page.name}#{anchor}"
        assert f'id="{anchor}"' in page.read_text(encoding="utf-8")
        assert r["author"]["name"] and r["author"]["url"].startswith("https://")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["datePublished"])
        rating = r["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["alternateName"] == exported[claim_id]["verdict"]
        assert (rating["worstRating"], rating["bestRating"]) == (1, 5)
        if rating["alternateName"] != "unsourced":
            assert rating["ratingValue"] == RATING_VALUES[rating["alternateName"]]
        else:
            assert "ratingValue" not in rating  # no place on the scale: a textual rating only
        item = r["itemReviewed"]
        first = item["appearance"][0]
        assert item["@type"] == "Claim"
        assert first["@type"] == "CreativeWork" and first["headline"]
        if claim_id in FIRST_IN_THE_ANONYMOUS_COMMENTARY:  # nobody to name: no claimant at all
            assert "author" not in item and "author" not in first
            assert first["headline"].startswith("Commentary on ASML")
        else:
            assert item["author"]["name"] and first["author"]["name"] == item["author"]["name"]
        if "datePublished" in item:  # a full date, or none (a month alone is not a date)
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["datePublished"])
        if claim_id in FIRST_IN_THE_ARTICLE:  # the commentary summarises Latent Space's article
            assert item["author"]["name"] == "Latent Space"
            assert first["url"] == "https://www.latent.space/p/gpu-bubble"
            assert item["datePublished"] == "2024-10-11"
            assert item["appearance"][1]["headline"].startswith("Commentary on ASML")
        elif claim_id.startswith("N"):  # the network post: its Japanese copy's address
            assert first["url"].startswith("https://githedgehog.com/")
            assert item["datePublished"] == "2024-02-28"
    # the same reviews as one feed for aggregators
    feed = json.loads((HTML / "artifacts" / "claimreview.json").read_text(encoding="utf-8"))
    assert feed["@type"] == "DataFeed" and feed["url"] == VERSION_URL
    assert [e["identifier"] for e in feed["dataFeedElement"]] == sorted(reviews)
    for element in feed["dataFeedElement"]:
        page_review = dict(reviews[element["identifier"]][1])
        page_review.pop("@context")
        assert element == page_review


FIRST_IN_THE_ARTICLE = ("B01", "B02", "B03", "B04", "B05", "B06")
FIRST_IN_THE_ANONYMOUS_COMMENTARY = ("B07", "B08", "B09", "B10")
# The rating scale the README documents, written out here rather than read from the code.
RATING_VALUES = {"does not hold": 1, "holds approximately": 3, "holds": 5}

SHAPES = Path(__file__).parent / "schemas" / "schemaorg-30.0"
# schema.org's data types; their shapes must accept literals (see the shapes' README).
SCHEMA_DATA_TYPES = ("Boolean", "Date", "DateTime", "Number", "Float", "Integer", "Text",
                     "CssSelectorType", "PronounceableText", "URL", "XPathType", "Time")


def _shacl_report(feed: dict):
    """Validate a ClaimReview feed as schema.org validates its own examples: pySHACL with RDFS
    inference over release 30.0's shapes. The feed is read with schema.org's vocabulary as a
    local context (offline: no fetch of https://schema.org)."""
    import rdflib
    import pyshacl
    from rdflib.namespace import SH

    shapes = rdflib.Graph().parse(SHAPES / "schemaorg-shapes.shacl", format="turtle")
    ontology = rdflib.Graph().parse(SHAPES / "schemaorg-subclasses.shacl", format="turtle")
    valid = rdflib.Namespace("http://schema.org/validation#")
    for name in SCHEMA_DATA_TYPES:
        shape = valid["ValidSchema" + name]
        shapes.remove((shape, SH.nodeKind, SH.BlankNodeOrIRI))
        shapes.add((shape, SH.nodeKind, SH.IRIOrLiteral))
    local = dict(feed, **{"@context": {"@vocab": "http://schema.org/", "url": {"@type": "@id"}}})
    data_graph = rdflib.Graph().parse(data=json.dumps(local), format="json-ld")
    assert len(data_graph) > 100  # the feed was read, not an empty graph
    conforms, _, text = pyshacl.validate(data_graph, shacl_graph=shapes, ont_graph=ontology,
                                         inference="rdfs", max_validation_depth=200)
    return conforms, text


def test_the_claim_review_feed_passes_schema_orgs_own_shapes():
    feed = json.loads((HTML / "artifacts" / "claimreview.json").read_text(encoding="utf-8"))
    conforms, text = _shacl_report(feed)
    assert conforms, text
    # and the shapes catch what they are meant to: a rating that is a person, a claim that is one
    broken = json.loads(json.dumps(feed))
    broken["dataFeedElement"][0]["reviewRating"]["ratingValue"] = {"@type": "Person", "name": "x"}
    broken["dataFeedElement"][1]["claimReviewed"] = {"@type": "Place", "name": "y"}
    conforms, text = _shacl_report(broken)
    assert not conforms and text.count("Constraint Violation") >= 2


def csv_rows(name):
    import csv

    with (HTML / "artifacts" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------------------- reproducibility
def test_the_reproducibility_page_lists_every_chapter_and_every_pinned_package():
    html = (HTML / "chapters" / "reproducibility.html").read_text(encoding="utf-8")
    chapters = html[html.index("reproducibility-chapters"):]
    chapters = chapters[:chapters.index("</table>")]
    for title in ("H100 rental payback at every price", "bookings gap", "networking revenue",
                  "network ROI per GPU", "What happened next", "Buying in 2026"):  # by title
        assert title in chapters, title
    assert chapters.count("executed in this build; every check passed") == 6
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            assert f"<p>{name}</p>" in html and f"<p>{version}</p>" in html, line
    for line in (ROOT / "data" / "MANIFEST.sha256").read_text().splitlines():
        assert line.split()[0] in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "make book" in text and "make test" in text


def test_two_clean_builds_are_byte_identical(tmp_path):
    """A second build of the same checkout, in another folder, on another date
    (SOURCE_DATE_EPOCH), in another time zone and locale, gives the same site, file for file."""
    copy = tmp_path / "book"
    ignore = shutil.ignore_patterns(".venv", "_build", "public", "node_modules", ".hypothesis",
                                    "__pycache__", ".pytest_cache")
    shutil.copytree(ROOT, copy, ignore=ignore, symlinks=True)
    env = {k: v for k, v in os.environ.items() if k not in ("GPUECON_ROOT", "BASE_URL")}
    env["SOURCE_DATE_EPOCH"] = "946684800"  # 2000-01-01: a build date would show
    env["TZ"], env["LC_ALL"] = "Asia/Tokyo", "C.UTF-8"  # another machine's clock and locale
    run = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", "--all",
                          "-W", "-n", "--keep-going", str(copy)],
                         cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    second = copy / "_build" / "html"
    files = sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second).as_posix()
                           for p in second.rglob("*") if p.is_file())
    differ = [f for f in files if (HTML / f).read_bytes() != (second / f).read_bytes()]
    assert not differ, differ[:20]


# ---------------------------------------------------------------------------- publishing
def _publish(site, public, version, date="2026-11-22", commit="0" * 40):
    return subprocess.run([sys.executable, str(ROOT / "tools" / "publish.py"), "--site",
                           str(site), "--public", str(public), "--version", version,
                           "--date", date, "--commit", commit],
                          capture_output=True, text=True, timeout=300)


def _as_version(site: Path, folder: Path, version: str) -> Path:
    """The built site as another version would carry it (its pages say which version)."""
    shutil.copytree(site, folder)
    for page in folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(f'name="book-version" content="{VERSION}"',
                                     f'name="book-version" content="{version}"'),
                        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("publish")
    public = tmp / "public"
    first = _publish(_as_version(HTML, tmp / "site-0.1.0", "0.1.0"), public, "0.1.0")
    assert first.returncode == 0, first.stderr
    second = _publish(_as_version(HTML, tmp / "site-0.2.0", "0.2.0"), public, "0.2.0",
                      date="2026-12-01", commit="1" * 40)
    assert second.returncode == 0, second.stderr
    return public


def test_both_versions_are_kept_and_their_checksums_verify(two_versions):
    public = two_versions
    for version in ("0.1.0", "0.2.0"):
        run = subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"],
                             cwd=public / f"v{version}", capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
    index = json.loads((public / "versions.json").read_text())
    assert index["latest"] == "0.2.0"
    assert [(v["version"], v["date"], v["path"]) for v in index["versions"]] == [
        ("0.2.0", "2026-12-01", "v0.2.0/"), ("0.1.0", "2026-11-22", "v0.1.0/")]
    assert (public / "latest" / "chapters" / "payback.html").read_bytes() == \
        (public / "v0.2.0" / "chapters" / "payback.html").read_bytes()
    assert "latest/index.html" in (public / "index.html").read_text()
    changes = (public / "changes" / "v0.1.0-to-v0.2.0.html").read_text()
    assert "What changed from version 0.1.0 to version 0.2.0" in changes
    found = [str(p) for p in _published_files(public)
             if citation.LOCAL_ADDRESS.search(p.read_text(encoding="utf-8"))]
    assert not found, found[:5]


def test_a_published_version_is_never_rewritten(two_versions, tmp_path):
    public = two_versions
    before = (public / "v0.1.0" / "SHA256SUMS").read_text()
    changed = _as_version(HTML, tmp_path / "changed", "0.1.0")
    (changed / "chapters" / "payback.html").write_text("changed", encoding="utf-8")
    run = _publish(changed, public, "0.1.0")
    assert run.returncode != 0 and "never rewritten" in run.stderr
    assert (public / "v0.1.0" / "SHA256SUMS").read_text() == before
    assert (public / "v0.1.0" / "chapters" / "payback.html").read_text(encoding="utf-8") == \
        (HTML / "chapters" / "payback.html").read_text(encoding="utf-8").replace(
            f'content="{VERSION}"', 'content="0.1.0"')


def test_an_older_version_shows_the_banner_and_the_latest_does_not(two_versions):
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(two_versions)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                       else r.abort())
            page.goto(base + "v0.1.0/chapters/payback.html")
            banner = page.locator(".old-version-banner")
            banner.wait_for(timeout=10_000)
            assert "You are reading version 0.1.0" in banner.inner_text()
            assert "the latest is 0.2.0" in banner.inner_text()
            links = [banner.locator("a").nth(i).get_attribute("href") for i in range(2)]
            assert links == ["../../v0.2.0/chapters/payback.html",
                             "../../changes/v0.1.0-to-v0.2.0.html"]
            for link in links:  # both lead to a page that exists
                assert (two_versions / "v0.1.0" / "chapters" / link).resolve().is_file(), link
            for latest in ("v0.2.0/chapters/payback.html", "latest/chapters/payback.html"):
                page.goto(base + latest, wait_until="networkidle")
                assert page.locator(".old-version-banner").count() == 0, latest
            browser.close()
    finally:
        httpd.shutdown()
