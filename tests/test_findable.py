"""What the tools people already use read from the book: a reference manager's embedded-metadata
reader (Highwire citation_*, Dublin Core, OpenGraph), BibTeX and RIS files read back by their
own parsers, a robots.txt naming the sitemap, the licences, and the exports as a data package
that frictionless validates."""

import csv
import html as markup
import re
from html.parser import HTMLParser

import pytest
import yaml
from built_site import ARTIFACTS, HTML, PAGES, ROOT

CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
AUTHOR = CFF["authors"][0]["name"]
VERSION = str(CFF["version"])
RELEASED = str(CFF["date-released"])
CHAPTER_PAGES = [p for p in PAGES if p.startswith("chapters/")]


class _Head(HTMLParser):
    """The meta tags, canonical link and title of a page, as an embedded-metadata reader
    collects them (name= and property= alike; a repeated name keeps every value)."""

    def __init__(self):
        super().__init__()
        self.meta, self.canonical, self.title, self._in_title = {}, None, "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("name") or attrs.get("property")):
            self.meta.setdefault(attrs.get("name") or attrs.get("property"), []).append(
                attrs.get("content", ""))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def _head(page: str) -> _Head:
    parser = _Head()
    parser.feed((HTML / page).read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_a_reference_manager_finds_author_date_version_and_address(page):
    head = _head(page)
    one = {name: values[0] for name, values in head.meta.items()}
    h1 = re.search(r"<h1>((?:(?!<h1>).)*?)<a class=\"headerlink\"",
                   (HTML / page).read_text(encoding="utf-8"), re.S).group(1)
    title = re.sub(r"^\d+(?:\.\d+)*\.\s+", "", " ".join(markup.unescape(
        re.sub(r"<[^>]+>", "", h1)).split()))
    assert one["citation_title"] == title == one["DC.title"] == one["og:title"]
    assert head.meta["citation_author"] == [AUTHOR] and one["DC.creator"] == AUTHOR
    assert "," not in AUTHOR  # a name no reader splits into surname and given name
    assert one["citation_publication_date"] == RELEASED.replace("-", "/")
    assert one["DC.date"] == RELEASED
    assert one["citation_technical_report_number"] == f"version {VERSION}"
    assert one["citation_public_url"] == head.canonical == one["og:url"] == one["DC.identifier"]
    assert head.canonical.endswith(f"/v{VERSION}/{page}")
    # the description is the page's own opening finding, cut at a word
    body = " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", (HTML / page).read_text(
        encoding="utf-8"))).split())
    summary = one["description"]
    squeeze = lambda text: re.sub(r"\s+", "", text)  # noqa: E731 (tags leave spaces)
    assert 40 <= len(summary) <= 160 and squeeze(summary.rstrip("…")[:60]) in squeeze(body), \
        summary
    assert summary == one["og:description"]
    if "og:image" in one:  # a page with a chart previews it: the file is in the site
        image = one["og:image"].split(f"/v{VERSION}/", 1)[1]
        assert (HTML / image).is_file(), image
    assert head.title.count("GPU Economics, Checked") == 1, head.title


def test_the_reader_of_metadata_finds_what_is_missing():
    parser = _Head()
    parser.feed('<head><title>A</title><meta name="citation_author" content="X, Y">'
                '<meta property="og:title" content="A"></head>')
    assert parser.meta == {"citation_author": ["X, Y"], "og:title": ["A"]} and parser.title == "A"


def test_robots_txt_names_the_sitemap():
    robots = (HTML / "robots.txt").read_text(encoding="utf-8")
    sitemap = re.search(r"^Sitemap: (\S+)$", robots, re.M).group(1)
    assert sitemap.endswith(f"/v{VERSION}/sitemap.xml") and (HTML / "sitemap.xml").is_file()
    assert "Disallow: /" not in robots


def test_the_bibtex_file_names_the_organisation_whole():
    """Read back by pybtex (BibTeX's rules): one author, no given name, the title's capitals
    protected, the version and this version's address."""
    from pybtex.database import parse_file

    entries = parse_file(str(ARTIFACTS / "cite" / "gpu-economics-checked.bib")).entries
    (key, entry), = entries.items()
    assert entry.type == "techreport" and VERSION.replace(".", "_") in key
    (author,) = entry.persons["author"]
    assert author.first_names == [] and author.middle_names == []
    assert " ".join(author.last_names) == "{" + AUTHOR + "}"
    assert entry.fields["title"] == "{" + CFF["title"] + "}"
    assert entry.fields["number"] == f"Version {VERSION}"
    assert entry.fields["url"].endswith(f"/v{VERSION}/") and entry.fields["year"] == RELEASED[:4]


def test_the_ris_file_is_a_report_by_the_organisation():
    with (ARTIFACTS / "cite" / "gpu-economics-checked.ris").open(encoding="utf-8", newline="") as f:
        text = f.read()  # RIS lines end in CR LF
    lines = [re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line) for line in text.split("\r\n")
             if line]
    assert all(lines), text
    fields = {}
    for match in lines:
        fields.setdefault(match.group(1), []).append(match.group(2))
    assert fields["TY"] == ["RPRT"] and lines[0].group(1) == "TY" and lines[-1].group(1) == "ER"
    assert fields["AU"] == [AUTHOR] and fields["TI"] == [CFF["title"]]
    assert fields["DA"] == [RELEASED.replace("-", "/")] and fields["ET"] == [f"Version {VERSION}"]
    assert fields["UR"][0].endswith(f"/v{VERSION}/")


def test_every_chapter_links_its_reference_files():
    for page in CHAPTER_PAGES:
        text = (HTML / page).read_text(encoding="utf-8")
        if 'class="how-to-cite' not in text:
            continue
        for target in ("../artifacts/cite/gpu-economics-checked.bib",
                       "../artifacts/cite/gpu-economics-checked.ris", "../CITATION.cff"):
            assert f'href="{target}"' in text, (page, target)
            assert (HTML / "chapters" / target).resolve().is_file(), target


def test_the_licences_are_in_the_repository_the_pages_and_the_bundles():
    import zipfile

    assert "Attribution 4.0 International" in (ROOT / "LICENSE-CC-BY-4.0").read_text()
    licence = (ROOT / "LICENSE").read_text()
    assert "MIT License" in licence and "CC-BY-4.0" in licence and "quoted" in licence
    assert CFF["license"] == "CC-BY-4.0"
    for page in CHAPTER_PAGES:
        assert "CC-BY-4.0" in (HTML / page).read_text(encoding="utf-8"), page
    with zipfile.ZipFile(ARTIFACTS / "bundles" / "payback.zip") as bundle:
        assert {"LICENSE", "LICENSE-CC-BY-4.0"} <= set(bundle.namelist())
        assert "CC-BY-4.0" in bundle.read("README.txt").decode()


def test_the_exports_are_a_valid_data_package_with_every_column_described():
    import json

    from frictionless import validate

    report = validate(str(ARTIFACTS / "datapackage.json"))
    assert report.valid, [e.message for e in report.errors][:5] + [
        e.message for t in report.tasks for e in t.errors][:5]
    package = json.loads((ARTIFACTS / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["version"] == VERSION
    tables = {"values", "claims", "forecasts", "calculations", "inputs"}
    figure_data = {p.name.removesuffix(".csv").replace("_", "-")
                   for p in (ARTIFACTS / "figures").glob("*.csv")}
    assert len(figure_data) >= 50
    assert {r["name"] for r in package["resources"]} == tables | figure_data
    for resource in package["resources"]:
        header = (ARTIFACTS / resource["path"]).read_text(encoding="utf-8").splitlines()[0]
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == next(csv.reader([header])), resource["name"]
        if resource["name"] in tables:
            assert all(len(f["description"]) > 10 for f in fields), resource["name"]
        else:  # a figure's data: what it shows, where from and when
            assert resource["title"] and resource["description"] and resource["sources"]
            assert resource["as_of"], resource["name"]


def test_every_figure_download_has_a_readme_that_says_what_whence_when_and_how_to_cite():
    """Our World in Data's way: the figure's data travels with what it is, its sources, its
    date, its licence and a citation that leads back to the figure on its page."""
    figures = ARTIFACTS / "figures"
    for data in sorted(figures.glob("*.csv")):
        readme = (figures / f"{data.stem}.README.md").read_text(encoding="utf-8")
        page, anchor = re.search(r"/v" + re.escape(VERSION) + r"/(chapters/\w+\.html)#([\w-]+)",
                                 readme).groups()
        assert f'id="{anchor}"' in (HTML / page).read_text(encoding="utf-8"), data.stem
        assert f"figures/{data.name}" in (HTML / page).read_text(encoding="utf-8"), data.stem
        assert "Data as of: 2" in readme and "Sources: " in readme, data.stem
        assert "CC-BY-4.0" in readme and f"How to cite: {AUTHOR}." in readme, data.stem
        assert f"version {VERSION}" in readme, data.stem


def test_the_chart_libraries_load_only_where_a_chart_is_drawn_and_never_block_the_page():
    """Light pages: the chart libraries (805 KiB) only on pages with a chart, and none of the
    book's own scripts render-blocking (deferred)."""
    with_charts = 0
    for page in CHAPTER_PAGES:
        text = (HTML / page).read_text(encoding="utf-8")
        scripts = re.findall(r"<script\b[^>]*\bsrc=\"[^\"]*/(book|vega-offline)\.js[^\"]*\"[^>]*>",
                             text)
        tags = re.findall(r"<script\b[^>]*\bsrc=\"[^\"]*/(?:book|vega-offline)\.js[^>]*>", text)
        draws = "gpueconCharts" in text
        with_charts += draws
        assert ("vega-offline" in scripts) == draws, page
        assert "book" in scripts and all("defer" in tag for tag in tags), (page, tags)
    assert 0 < with_charts < len(CHAPTER_PAGES)
