"""Changes to the built HTML site that Sphinx's templates cannot make, applied at build end."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)
_HEAD = re.compile(r"<thead>(.*?)</thead>", re.S)
_HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_BODY_ROW = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr>)", re.S)
_BODY_CELL = re.compile(r"<td\b")
_TAG = re.compile(r"<[^>]+>")
# A table this wide or wider becomes a stack of cards on a phone (_static/book.css).
CARD_COLUMNS = 3


def _as_cards(match: re.Match) -> str:
    attributes, inner = match.group(1), match.group(2)
    head = _HEAD.search(inner)
    if head is None or "data-label=" in inner:
        return match.group(0)
    labels = [html.escape(" ".join(html.unescape(_TAG.sub(" ", h)).split()), quote=True)
              for h in _HEADER_CELL.findall(head.group(1))]
    if len(labels) < CARD_COLUMNS:
        return match.group(0)
    body_start = head.end()

    def label_row(row: re.Match) -> str:
        cells = iter(labels)
        return row.group(1) + _BODY_CELL.sub(
            lambda _: f'<td data-label="{next(cells, "")}"', row.group(2)) + row.group(3)

    inner = inner[:body_start] + _BODY_ROW.sub(label_row, inner[body_start:])
    if 'class="' in attributes:
        attributes = attributes.replace('class="', 'class="cards ', 1)
    else:
        attributes += ' class="cards"'
    return f"<table{attributes}>{inner}</table>"


def tables_as_cards(site: Path) -> None:
    """Each cell of a table of three or more columns carries its column's header
    (data-label), so that on a phone the table reads as one card per row, "header: value"."""
    for page in site.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        carded = _TABLE.sub(_as_cards, text)
        if carded != text:
            page.write_text(carded, encoding="utf-8")


def label_code_toggles(site: Path) -> None:
    """myst-nb's 'Show code cell source' toggles carry aria-label="Toggle hidden content", which
    hides their visible text from screen readers (axe: label-content-name-mismatch). Drop it, so
    the visible text is the name."""
    stale = '<summary aria-label="Toggle hidden content">'
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = _TOGGLE_WORDS.sub(r'<span class="\1 admonition-title">\2</span>',
                                  text.replace(stale, "<summary>"))
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


# myst-nb writes the toggle's words as paragraphs, which HTML does not allow in a <summary>
# (the Nu Html Checker's only error in the book's pages): spans, styled alike in book.css.
_TOGGLE_WORDS = re.compile(r'<p class="(collapsed|expanded) admonition-title">(.*?)</p>')


_REPEATED_TITLE = re.compile(r"<title>(?P<name>[^<]+?) &#8212; (?P=name)</title>")


def one_title(site: Path) -> None:
    """The book's first page is named like the book: Sphinx's template would title it twice
    ("GPU Economics, Checked — GPU Economics, Checked")."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = _REPEATED_TITLE.sub(r"<title>\g<name></title>", text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def write_root_redirect(site: Path, first_page: str, title: str, canonical: str) -> None:
    """The site's index.html sends a visitor to the first page. Jupyter Book's own stub is one
    meta tag (no doctype, no title: invalid HTML); this one is a whole page with a link for
    anyone whose browser does not follow the refresh. Written before Jupyter Book looks, so it
    keeps this one."""
    name = html.escape(title)
    (site / "index.html").write_text(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{name}</title>\n"
        f'<link rel="canonical" href="{html.escape(canonical)}">\n'
        f'<meta http-equiv="refresh" content="0; url={html.escape(first_page)}">\n'
        "</head>\n<body>\n"
        f'<p><a href="{html.escape(first_page)}">{name}</a></p>\n'
        "</body>\n</html>\n", encoding="utf-8")


def refresh_static(srcdir: Path, site: Path) -> None:
    """Sphinx skips copying static files when no page is out of date; a CSS or JS edit alone
    would then never reach the site. Copy the book's own static files that differ."""
    for source in sorted((srcdir / "_static").glob("*")):
        target = site / "_static" / source.name
        if source.is_file() and (not target.is_file() or target.read_bytes() != source.read_bytes()):
            shutil.copyfile(source, target)


def write_sitemap(site: Path, version_url: str, docnames: list[str]) -> None:
    """sitemap.xml of this version's pages at their public addresses (no dates: the same
    commit gives the same bytes)."""
    from xml.sax.saxutils import escape

    urls = "".join(f"  <url><loc>{escape(version_url + doc + '.html')}</loc></url>\n"
                   for doc in docnames)
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n",
        encoding="utf-8")
