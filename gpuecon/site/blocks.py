"""The building blocks of the book's generated page parts: tables, links, verdict badges,
placeholders filled once every chapter has run, and the chapters' results as one book."""

from __future__ import annotations

import pandas as pd
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from .. import claims, results

# Pages whose tables come from data/ or from the chapters' results: always re-read.
GENERATED_PAGES_KEY = "gpuecon_generated_pages"


def mark_generated(directive: SphinxDirective) -> None:
    """The page holding this directive is re-read whenever a chapter or data/ is."""
    directive.env.metadata[directive.env.docname][GENERATED_PAGES_KEY] = True


class Placeholder(nodes.General, nodes.Element):
    """A page part filled in after every chapter has run (doctree-resolved)."""


def placeholders(doctree: nodes.document, kind: str) -> list[Placeholder]:
    return [n for n in doctree.findall(Placeholder) if n["kind"] == kind]


def cell(content) -> nodes.entry:
    entry = nodes.entry()
    if isinstance(content, nodes.Node):
        entry += nodes.paragraph("", "", content)
    else:
        entry += nodes.paragraph("", "" if content is None else str(content))
    return entry


def table(headers: list[str], rows: list[list], classes: tuple[str, ...] = ()) -> nodes.table:
    out = nodes.table(classes=["generated-table", *classes])
    group = nodes.tgroup(cols=len(headers))
    out += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    group += head
    header_row = nodes.row()
    for h in headers:
        header_row += cell(h)
    head += header_row
    body = nodes.tbody()
    group += body
    for r in rows:
        row = nodes.row()
        for c in r:
            row += cell(c)
        body += row
    return out


def link(text: str, url: str) -> nodes.reference:
    return nodes.reference("", text, refuri=url, internal=False)


def blank(value) -> str:
    return ("" if value is None or (isinstance(value, float) and pd.isna(value))
            or value is pd.NA else str(value))


def badge(verdict: str) -> nodes.inline:
    """A verdict as a coloured badge (styled in _static/book.css)."""
    return nodes.inline("", verdict, classes=["verdict", claims.CSS_CLASSES[verdict]])


def verdict_phrase(verdict: str) -> str:
    """'holds', 'does not hold', 'is unsourced': a verdict as the verb of one claim."""
    return claims.count_phrase(1, verdict).split(" ", 1)[1]


def book() -> results.BookResults:
    """The chapters' results, checked as a book (a conflict stops the build with its message)."""
    try:
        return results.load_book()
    except results.ResultsError as error:
        raise ExtensionError(str(error)) from None


def is_chapter(docname: str) -> bool:
    return docname in results.chapter_docs().values()


def claim_uri(app: Sphinx, docname: str, chapter: str, claim_id: str) -> str:
    """From page `docname` to the section of the chapter that checks `claim_id`."""
    doc = results.chapter_docs()[chapter]
    return app.builder.get_relative_uri(docname, doc) + f"#claim-{claim_id.lower()}"


def claim_link(app: Sphinx, docname: str, row, text: str) -> nodes.Node:
    """A link to the claim's section, or plain text while its chapter has not run."""
    if row["chapter"] not in results.chapter_docs() or row["verdict"] == claims.PENDING:
        return nodes.Text(text)
    return link(text, claim_uri(app, docname, row["chapter"], row["claim_id"]))


class PlaceholderDirective(SphinxDirective):
    """A directive whose content is filled in once every chapter has run; `kind` names it."""

    kind = ""

    def run(self):
        mark_generated(self)
        return [Placeholder(kind=self.kind)]
