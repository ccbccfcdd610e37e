"""The built site (run `make rebuild` first; `make test` does), read as files: the scoreboard,
the exports, figure captions and downloads, links and anchors, what readers see in the text."""

import csv
import gzip
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from built_site import ARTIFACTS, HTML, PAGES, ROOT

# ---------------------------------------------------------------------------------- exports
def _read_csv(name):
    with (ARTIFACTS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_exports_exist_and_agree():
    claims_csv = _read_csv("claims.csv")
    values_csv = _read_csv("values.csv")
    claims_json = json.loads((ARTIFACTS / "claims.json").read_text())["rows"]
    values_json = json.loads((ARTIFACTS / "values.json").read_text())["rows"]
    assert [c["claim_id"] for c in claims_csv] == [c["claim_id"] for c in claims_json]
    assert len(claims_csv) == 22
    assert [v["key"] for v in values_csv] == [v["key"] for v in values_json]
    for v in values_json:
        assert v["unit"] and v["as_of"] and v["chapter"] and v["description"], v
    known = {c["claim_id"] for c in claims_csv}
    assert {v["claim_id"] for v in values_json if v["claim_id"]} <= known


def test_scoreboard_matches_the_claims_export():
    html = (HTML / "chapters" / "intro.html").read_text(encoding="utf-8")
    table = html[re.search(r'<table class="[^"]*\bscoreboard\b', html).start():]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)[1:]
    exported = {c["claim_id"]: c["verdict"] for c in _read_csv("claims.csv")}
    assert len(rows) == 22
    for row in rows:
        claim_id = re.search(r"\b([BN]\d\d)\b", row).group(1)
        verdict = re.search(r'class="verdict [^"]*">([^<]+)<', row).group(1)
        assert verdict == exported[claim_id], claim_id


def _prose_glue_keys(nb_path):
    keys = set()
    for cell in nbformat.read(nb_path, as_version=4).cells:
        if cell.cell_type == "markdown":
            keys |= set(re.findall(r"\{glue:text\}`([a-z0-9_]+)[:`]", cell.source))
    return keys


@pytest.mark.parametrize("nb_path", sorted(ROOT.glob("chapters/*.ipynb")), ids=lambda p: p.name)
def test_every_number_in_the_prose_is_exported(nb_path):
    """A glued text is a number in values.csv, a registered text, a claim's stated wording or a
    figure's credit line; nothing else may reach the prose."""
    exported = {v["key"] for v in _read_csv("values.csv")}
    results = json.loads((ROOT / "_build" / "results" / f"{nb_path.stem}.json").read_text())
    texts = set(results["texts"])
    outcomes = {f"{f['forecast_id'].lower()}_outcome" for f in results["forecasts"]}
    allowed = exported | texts | outcomes
    missing = {k for k in _prose_glue_keys(nb_path) - allowed
               if not re.fullmatch(r"[bn]\d\d_stated|(fig|tbl)_[a-z0-9_]+_credit", k)}
    assert not missing, f"keys glued into {nb_path.name} but not exported: {missing}"
    # a value quoted from another chapter (path::key) is exported by that chapter
    source = "".join(c.source for c in nbformat.read(nb_path, as_version=4).cells
                     if c.cell_type == "markdown")
    for other, key in re.findall(r"\{glue:text\}`([a-z_]+)\.ipynb::([a-z0-9_]+)[:`]", source):
        their_texts = json.loads((ROOT / "_build" / "results" / f"{other}.json").read_text())
        if key in their_texts["texts"]:  # a computed phrase, registered where it is made
            continue
        rows = [v for v in _read_csv("values.csv") if v["key"] == key]
        assert [v["chapter"] for v in rows] == [other], f"{nb_path.name} quotes {other}::{key}"


# ---------------------------------------------------------------------------------- figures
@pytest.mark.parametrize("page_path", [p for p in PAGES if p.startswith("chapters/")])
def test_every_figure_has_label_caption_source_and_downloads(page_path):
    html = (HTML / page_path).read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="[^"]*" id="([^"]+)">(.*?)</figure>', html, flags=re.S)
    for fig_id, body in figures:
        assert re.match(r"(fig|tbl)-", fig_id), fig_id
        if page_path != "chapters/intro.html":  # the introduction is unnumbered, like its sections
            assert 'class="caption-number"' in body, f"{fig_id} is not numbered"
        assert "Source:" in body and "Data as of" in body, f"{fig_id} has no source or date"
        links = re.findall(r'<a href="([^"]+)" download>', body)
        assert links, f"{fig_id} has no download"
        for href in links:
            assert (HTML / page_path).parent.joinpath(href).resolve().is_file(), href


# ---------------------------------------------------------------------------------- links
# LinkChecker run as root switches to user 'nobody', with no option to stay: in a checkout in
# a private folder (a clone under /root, or in mktemp -d) 'nobody' can then read neither the
# site nor LinkChecker's own installed files. The tests keep their own user instead.
LINKCHECKER_AS_THIS_USER = (
    "import sys, linkcheck.command.linkchecker as cli; cli.drop_privileges = lambda: None; "
    "sys.exit(cli.linkchecker())")


def test_internal_links(tmp_path, base_url):
    """LinkChecker follows every link from the front page: each page and file it names exists.
    (Its AnchorCheck plugin re-parses a page for every anchor linked into it, four minutes here;
    the anchors are checked below from one parse of each page.)"""
    config = tmp_path / "linkcheckerrc"
    config.write_text("[checking]\nmaxrequestspersecond=1000\n[filtering]\ncheckextern=0\n")
    run = subprocess.run([sys.executable, "-c", LINKCHECKER_AS_THIS_USER, "-f", str(config),
                          "--no-status", base_url + "index.html"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert re.search(r"\b0 warnings found. 0 errors found", run.stdout), run.stdout[-3000:]
    assert int(re.search(r"(\d+) links in", run.stdout).group(1)) > 100, run.stdout[-500:]


class _Anchors(HTMLParser):
    """The ids a page defines and the links it makes (one parse per page)."""

    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name"):
            if attrs.get(name):
                self.ids.add(attrs[name])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def _broken_anchors(site: Path) -> tuple[list[str], int]:
    """Links whose #fragment names no id in the page they point to; and how many were checked."""
    from urllib.parse import unquote, urljoin, urlsplit

    parsed = {}
    for page in site.rglob("*.html"):
        reader = _Anchors()
        reader.feed(page.read_text(encoding="utf-8"))
        parsed[page.relative_to(site).as_posix()] = reader
    broken, checked = [], 0
    for name, reader in parsed.items():
        for href in reader.links:
            target = urlsplit(urljoin(f"http://site/{name}", href))
            if target.netloc != "site" or not target.fragment:
                continue
            path = unquote(target.path.lstrip("/")) or "index.html"
            if path not in parsed:
                continue  # a download; LinkChecker checks it exists
            checked += 1
            if unquote(target.fragment) not in parsed[path].ids:
                broken.append(f"{name}: {href}")
    return broken, checked


def test_every_anchor_a_page_links_to_exists():
    broken, checked = _broken_anchors(HTML)
    assert broken == []
    assert checked > 300, checked  # every number in the prose links to its citable row


def test_a_broken_anchor_is_found(tmp_path):
    (tmp_path / "a.html").write_text('<p id="here"></p><a href="b.html#nowhere">x</a>'
                                     '<a href="#here">y</a>', encoding="utf-8")
    (tmp_path / "b.html").write_text('<h1 id="top">b</h1>', encoding="utf-8")
    assert _broken_anchors(tmp_path) == (["a.html: b.html#nowhere"], 2)


@pytest.mark.parametrize("page_path", [p for p in PAGES if p.startswith("chapters/")])
def test_page_weight(page_path):
    """What a phone downloads for a page's HTML (compressed, as GitHub Pages serves it) stays
    under 64 KB, and what it parses under 420 KB (payback, the longest, is 409 KB since every
    verdict shows its readings chart: 187 KB of it is the hidden code); the chart library loads
    only where a chart is drawn, and is cached."""
    html = (HTML / page_path).read_bytes()
    assert len(gzip.compress(html, mtime=0)) <= 64_000
    assert len(html) <= 420_000


# ---------------------------------------------------------------------------------- for readers
def test_every_reason_is_written_for_a_reader():
    from gpuecon import data
    from gpuecon.report import INTERNAL_TOKENS

    stated = data.load("claims", record=False).set_index("claim_id")["stated_value"]
    for claim in _read_csv("claims.csv"):
        reason = claim["reason"]
        assert reason, claim["claim_id"]
        assert not INTERNAL_TOKENS.search(reason), (claim["claim_id"], reason)
        if stated.notna()[claim["claim_id"]]:
            assert re.search(r"\d", reason), (claim["claim_id"], reason)


@pytest.mark.parametrize("stem", ["payback", "asml_bookings", "networking_arr", "network_roi",
                                  "what_happened_next", "buying_2026"])
def test_each_chapter_opens_with_key_findings(stem):
    html = (HTML / "chapters" / f"{stem}.html").read_text(encoding="utf-8")
    box = re.search(r'<div class="[^"]*key-findings[^"]*">(.*?)</ul>', html, flags=re.S)
    assert box, f"{stem}: no key findings"
    assert html.index("key-findings") < html.index('class="cell'), "key findings after code"
    items = re.findall(r"<li>(.*?)</li>", box.group(1) + "</ul>", flags=re.S)
    assert 3 <= len(items) <= 5, len(items)
    for item in items:
        assert re.search(r"\d", re.sub("<[^>]+>", "", item)), f"{stem}: an item has no number"
    if stem not in ("what_happened_next", "buying_2026"):  # forecasts; what a buyer needs
        assert 'class="verdict ' in box.group(1), "no verdict badge"


def test_introduction_says_what_we_found_and_charts_stated_against_ours():
    html = (HTML / "chapters" / "intro.html").read_text(encoding="utf-8")
    found, scoreboard = html.index('id="what-we-found"'), html.index('id="scoreboard"')
    assert found < scoreboard
    lead = re.sub("<[^>]+>", "", re.search(r'class="findings-lead">(.*?)</p>', html, re.S).group(1))
    counts = {}
    for claim in _read_csv("claims.csv"):
        counts[claim["verdict"]] = counts.get(claim["verdict"], 0) + 1
    from gpuecon.claims import count_phrase

    for verdict, n in counts.items():
        assert count_phrase(n, verdict) in lead, (verdict, lead)
    figure = html[html.index('id="fig-claims-overview"'):]
    spec = json.loads((ARTIFACTS / "figures" / "fig_claims_overview.vl.json").read_text())
    shown = _read_csv("figures/fig_claims_overview.csv")
    claims = _read_csv("claims.csv")
    # every claim, each by its short name, linked to its section
    assert sorted((r["claim_id"], r["short_name"]) for r in shown) == sorted(
        (c["claim_id"], c["short_name"]) for c in claims)
    names = [layer for layer in spec["layer"] if layer["encoding"].get("text", {}).get("field")
             == "label"]
    assert names and names[0]["encoding"]["href"]["field"] == "link"
    labels = {row["label"] for rows in spec["datasets"].values() for row in rows if "label" in row}
    assert all(any(c["short_name"] in label for label in labels) for c in claims)
    assert "altair-viz-fig-claims-overview" in figure


def test_tables_show_reader_headers():
    for page in (HTML / "chapters").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for table in re.findall(r'<table class="data-table">(.*?)</table>', html, flags=re.S):
            for header in re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", table):
                assert "_" not in header and header[:1].isupper(), (page.name, header)
            for cell in re.findall(r"<td>(.*?)</td>", table):  # left-aligned cells
                assert not re.fullmatch(r"(?!\d{4}$)[-+$€]?[\d,.]+%?", cell), (page.name, cell)


def test_the_forecasts_are_exported_with_their_outcomes():
    rows = _read_csv("forecasts.csv")
    assert [r["forecast_id"] for r in rows] == ["F01", "F02", "F03"]
    for r in rows:
        assert r["verdict"] in {"borne out", "not borne out", "too early"}, r
        assert re.search(r"\d", r["reason"]) and r["chapter"] == "what_happened_next", r


@pytest.mark.parametrize("nb_path", sorted(ROOT.glob("chapters/*.ipynb")), ids=lambda p: p.name)
def test_every_number_in_the_prose_links_to_its_citable_row(nb_path):
    html = (HTML / "chapters" / f"{nb_path.stem}.html").read_text(encoding="utf-8")
    exported = {v["key"] for v in _read_csv("values.csv")}
    linked = set(re.findall(r'<a class="value-link[^"]*" href="citable_values\.html#val-([a-z0-9-]+)"',
                            html))
    numbers = {k for k in _prose_glue_keys(nb_path) if k in exported}
    assert numbers, nb_path.name
    missing = {k for k in numbers if k.replace("_", "-") not in linked}
    assert not missing, f"numbers in {nb_path.name} without a link to their row: {missing}"




def test_code_toggles_are_valid_html_and_show_one_label():
    """No paragraph inside a <summary> (HTML allows phrasing content only; the Nu Html Checker's
    one error in the book's pages before the toggles were rewritten)."""
    for page in (HTML / "chapters").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for summary in re.findall(r"<summary>(.*?)</summary>", html, flags=re.S):
            assert "<p" not in summary, (page.name, summary[:120])
    payback = (HTML / "chapters" / "payback.html").read_text(encoding="utf-8")
    assert '<span class="collapsed admonition-title">Show code cell source</span>' in payback


# ------------------------------------------------------------- figures quoted in descriptions
# A figure in a description: money, a percentage, a multiple of k/M/B, or a number with a
# thousands separator or decimals (a bare count or a year is a name, not a figure).
_DESCRIPTION_FIGURE = re.compile(
    r"(?<![\w.-])([$€])?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(%|[kKMB](?![a-z]))?")
# The model's named constants a description may quote (gpuecon.finance.HOURS_PER_YEAR).
_MODEL_CONSTANTS = (8760.0, 8760.0 * 60)


def _figures_in(text: str):
    for match in _DESCRIPTION_FIGURE.finditer(text):
        currency, digits, suffix = match.groups()
        if not (currency or suffix or "," in digits or "." in digits):
            continue
        scale = {"%": 0.01, "k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9}.get(suffix, 1.0)
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        yield match.group(0), float(digits.replace(",", "")) * scale, 0.5 * 10**-decimals * scale


def unmatched_description_figures(values, known) -> list[tuple[str, str]]:
    """(key, figure) for every figure in a value's description that is no number the book
    publishes or reads, at the precision the description writes it."""
    candidates = [k * unit for k in known for unit in (1.0, 1e6, 1e9)]
    return [(row["key"], shown) for row in values
            for shown, x, tolerance in _figures_in(row["description"])
            if not any(abs(k - x) <= tolerance + 1e-9 * abs(x) for k in candidates)]


def _numbers(rows, *columns):
    for row in rows:
        for column in columns:
            try:
                yield float(row[column])
            except (TypeError, ValueError):
                pass


def test_a_description_quotes_no_figure_the_book_does_not_have():
    """A value's description may name figures ("$4.70 × 8,760 hours"); each must be one the book
    publishes, reads from its data, or states as the post's (at the precision written), or one of
    the model's constants: a typed figure that drifts from its value fails here."""
    values = _read_csv("values.csv")
    known = [*_numbers(values, "value"), *_numbers(_read_csv("inputs.csv"), "value"),
             *_numbers(_read_csv("claims.csv"), "stated"),
             *_numbers(_read_csv("calculations.csv"), "stated_value", "stated_high"),
             *_MODEL_CONSTANTS]
    assert len(values) > 200
    assert unmatched_description_figures(values, known) == []
    # and it finds one that drifted
    drifted = [{"key": "arr", "description": "$13B / 3.3M, that is $3,940 per GPU"}]
    assert unmatched_description_figures(drifted, [13.0, 3.3, 3939.39]) == [("arr", "$3,940")]
