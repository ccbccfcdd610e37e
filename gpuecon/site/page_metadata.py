"""What reference managers, search engines and link previews read from a page's head: Highwire
`citation_*` tags (Zotero's Embedded Metadata translator and Google Scholar read them; with
`citation_technical_report_institution` Zotero files the page as a report), Dublin Core,
OpenGraph and a Twitter card, a description from the page's own findings, one `<title>`, and a
`robots.txt` that names the sitemap (the one `<title>` of the book's first page is
built_pages.one_title's). A scenario edition carries none of it (it is not the
book's)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from .. import edition, paths
from .citation import citation_meta

DESCRIPTION_LENGTH = 160  # characters: what search results and link previews show


def description(doctree: nodes.document | None) -> str:
    """The page's answer in a sentence or two: the intro's findings, a chapter's key findings,
    else the page's first paragraph of some length, else the book's abstract."""
    text = ""
    if doctree is not None:
        for classes in (("findings-lead",), ("key-findings",)):
            found = [n for n in doctree.findall(nodes.Element)
                     if set(classes) & set(n.get("classes", []))]
            if found:
                text = found[0].astext()
                break
        else:
            text = next((p.astext() for p in doctree.findall(nodes.paragraph)
                         if len(p.astext()) > 80), "")
        text = html.unescape(re.sub(r"<[^>]+>", "", text))  # a badge is raw HTML
    if not text:
        import yaml

        cff = yaml.safe_load((paths.book_root() / "CITATION.cff").read_text(encoding="utf-8"))
        text = cff["abstract"]
    text = " ".join(re.sub(r"^Key findings", "", text.strip()).split())
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[:DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _lead_image(doctree: nodes.document | None, site_url: str) -> str:
    """The first figure a page shows, as its PNG download (every figure has one; a link
    preview's image)."""
    for node in doctree.findall(nodes.figure) if doctree is not None else []:
        for anchor in node.get("ids", []):
            if anchor.startswith("fig-"):
                return f"{site_url}{paths.EXPORT_FOLDER}/figures/{anchor.replace('-', '_')}.png"
    return ""


def head_tags(title: str, page_url: str, site_url: str, summary: str, image: str) -> list[str]:
    """The meta tags of one page, in the order the readers of each vocabulary look for them."""
    meta = citation_meta()
    released = meta["released"]
    book_title = meta["title"]
    pairs = [
        ("name", "description", summary),
        ("name", "author", meta["author"]),
        ("name", "citation_title", title),
        ("name", "citation_author", meta["author"]),
        ("name", "citation_publication_date", released.replace("-", "/")),
        ("name", "citation_online_date", released.replace("-", "/")),
        ("name", "citation_technical_report_institution", meta["author"]),
        ("name", "citation_technical_report_number", f"version {meta['version']}"),
        ("name", "citation_inbook_title", book_title) if title != book_title else None,
        ("name", "citation_public_url", page_url),
        ("name", "citation_language", "en"),
        ("name", "DC.title", title),
        ("name", "DC.creator", meta["author"]),
        ("name", "DC.publisher", meta["author"]),
        ("name", "DC.date", released),
        ("name", "DC.identifier", page_url),
        ("name", "DC.language", "en"),
        ("name", "DC.rights", "CC-BY-4.0"),
        ("name", "DC.type", "Text"),
        ("property", "og:type", "article"),
        ("property", "og:title", title),
        ("property", "og:description", summary),
        ("property", "og:url", page_url),
        ("property", "og:site_name", book_title),
        ("property", "og:image", image) if image else None,
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
    ]
    return [f'<meta {kind}="{name}" content="{html.escape(value, quote=True)}">'
            for kind, name, value in filter(None, pairs)]


UTILITY_PAGES = {"genindex": "The index of GPU Economics, Checked.",
                 "search": "Search GPU Economics, Checked: every claim, number and source."}


def add_head_tags(app: Sphinx, pagename: str, templatename, context: dict, doctree) -> None:
    """Every page of the published book: the tags above (the page's title without its section
    number: "H100 rental payback at every price")."""
    if edition.current().is_scenario or not app.config.html_baseurl:
        return
    if pagename in UTILITY_PAGES:  # not the book's to cite: a description for search alone
        context["metatags"] = context.get("metatags", "") + (
            f'<meta name="description" content="{html.escape(UTILITY_PAGES[pagename])}">\n')
        return
    title = html.unescape(re.sub("<[^>]+>", "", context.get("title", "")))
    title = re.sub(r"^\d+(?:\.\d+)*\.\s+", "", title)
    page_url = f"{app.config.html_baseurl}{pagename}.html"
    tags = head_tags(title, page_url, app.config.html_baseurl, description(doctree),
                     _lead_image(doctree, app.config.html_baseurl))
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"


def write_robots(site: Path, version_url: str) -> None:
    """robots.txt: everything may be read; the sitemap lists this version's pages."""
    (site / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {version_url}"
                                     "sitemap.xml\n", encoding="utf-8")
