"""The citable-values appendix: every published number with its own anchor and a citation ready
to copy; and the links from each number in the prose to its row."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .. import edition, numbers, results
from . import citation
from .blocks import PlaceholderDirective, book, link, placeholders, table
from .citation import citation_meta

APPENDIX = "chapters/citable_values"


class CitableValuesDirective(PlaceholderDirective):
    """Every published value with its own anchor (filled in after all chapters have run)."""

    kind = "values"


def cite_value(app: Sphinx, value, shown: str) -> str:
    """A citation of one value, to paste into a memo: the value and what it is, what it assumes,
    the date of its evidence, then the book (author once, title, version, date) and the address
    of its row."""
    meta = citation_meta()
    anchor = f"{APPENDIX}.html#{results.value_anchor(value['key'])}"
    premise = f", {value['premise']}" if value.get("premise") else ""
    scenario = edition.current().scenario
    if scenario is not None:  # not the book's value: say whose, and where the book's is
        published = citation.version_url(app.config.gpuecon_base_url, meta["version"])
        return (f"{shown}: {value['description']}{premise} (evidence as of {value['as_of']}), "
                f"computed with a reader's assumptions in the scenario edition "
                f"“{scenario.name}”, not the book's published value. {meta['author']} "
                f"({meta['released']}). {meta['title']}, version {meta['version']}; the "
                f"published value: {published}{anchor}")
    return (f"{shown}: {value['description']}{premise} (evidence as of {value['as_of']}). "
            f"{meta['author']} ({meta['released']}). {meta['title']}, version "
            f"{meta['version']}. {app.config.html_baseurl}{anchor}")


def _cite_block(text: str) -> nodes.Node:
    """'Cite as' with the citation and a button that copies it (_static/book.js)."""
    block = nodes.inline("", "", classes=["cite-as"])
    block += nodes.strong("", "Cite as: ")
    block += nodes.inline("", text, classes=["cite-text"])
    block += nodes.raw("", '<button type="button" class="copy-cite" '
                           'aria-label="Copy this citation">Copy</button>', format="html")
    return block


def fill_citable_values(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    found = placeholders(doctree, CitableValuesDirective.kind)
    if not found:
        return
    chapters = results.chapter_docs()
    values = book().values_table()
    rows = []
    for _, v in values.iterrows():
        doc = chapters[v["chapter"]]
        chapter = link(app.env.titles[doc].astext(), app.builder.get_relative_uri(docname, doc))
        shown = numbers.with_unit(v["display"], v["unit"])
        what = nodes.inline("", "", nodes.inline("", v["description"] + (
            f" ({v['premise']})" if v["premise"] else ""), classes=["value-description"]))
        what += _cite_block(cite_value(app, v, shown))
        rows.append([nodes.strong("", shown), what, v["claim_id"] or "–", chapter, v["as_of"]])
    values_table = table(["value", "what it is, and how to cite it", "claim", "chapter",
                          "evidence as of"], rows, ("citable-values",))
    body = next(iter(values_table.findall(nodes.tbody)))
    for row, (_, v) in zip(body.children, values.iterrows()):
        row["ids"].append(results.value_anchor(v["key"]))
    for node in found:
        node.replace_self(values_table)


def link_glued_values(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each published number in the prose links to its row in the citable-values appendix."""
    holders = [n for n in doctree.findall(nodes.inline) if n.get("glue_key")]
    if not holders or docname == APPENDIX:
        return
    published = set(book().values_table()["key"])
    page = app.builder.get_relative_uri(docname, APPENDIX)
    for node in holders:
        if node["glue_key"] not in published:
            node["classes"].append("glued-phrase")  # a verdict word, a sentence: not a number
            continue
        linked = nodes.reference("", "", *node.children, internal=True, classes=["value-link"],
                                 refuri=f"{page}#{results.value_anchor(node['glue_key'])}")
        node.replace_self(linked)
