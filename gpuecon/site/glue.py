"""The book's additions to myst-nb's glue: `{glue:text}` that keeps the key of the value it
pastes (so a number can link to its citable row) and writes it in the house style
(gpuecon.numbers), and `{glue-table}`, a glued table numbered as a table."""

from __future__ import annotations

import re

from docutils import nodes

from .. import numbers


class GluedTable(nodes.figure):
    """A glued table output, numbered and cross-referenced as a *table* ("Table 2.1")."""


def visit_glued_table(self, node):
    self.visit_figure(node)


def depart_glued_table(self, node):
    self.depart_figure(node)


def glued_table_title(node) -> str:
    for child in node.children:
        if isinstance(child, nodes.caption):
            return child.astext()
    return ""


def glue_table_directive():
    from myst_nb.ext.glue.directives import PasteFigureDirective

    class GlueTableDirective(PasteFigureDirective):
        """Like ``{glue:figure}``, but the output is numbered as a table."""

        def run(self):
            out = super().run()
            fig = out[0]
            if isinstance(fig, nodes.figure):
                glued = GluedTable(fig.rawsource, *fig.children, **fig.attributes)
                glued["classes"].append("glued-table")
                out[0] = glued
            return out

    return GlueTableDirective


def glue_text_role():
    from myst_nb.ext.glue.roles import PasteTextRole

    class LinkedPasteTextRole(PasteTextRole):
        """{glue:text}, keeping the key of the value it pastes, so that a published number can
        link to its row in the citable-values appendix (myst-nb's own role drops the key)."""

        def run(self):  # styled once every number is pasted: style_glued_numbers
            pasted, messages = super().run()
            numeric = ":" in self.text.replace("::", "") and not self.text.endswith(":s")
            key = self.text.rsplit(":", 1)[0] if ":" in self.text.replace("::", "") else self.text
            holder = nodes.inline("", "", *pasted)
            holder["glue_key"] = key.split("::", 1)[-1]
            holder["glue_numeric"] = numeric
            return ([holder] if pasted else []), messages

    return LinkedPasteTextRole()


# A number with no finite value as a format prints it ("inf", "-inf%", "nan").
NOT_FINITE = re.compile(r"[-\u2212]?(?:inf|nan)%?", re.IGNORECASE)
# What the prose types around a number that goes with it: gone when the number is words.
_BEFORE = "$"
_AFTER = re.compile(r"^\s+(?:years|a\s+year|an\s+hour)\b")


def not_finite_words(key: str) -> str:
    """How the chapter says a value it could not give a number for (its `not_finite` words,
    or the house default: "never", "no value")."""
    from .blocks import book

    for record in book().values_table().itertuples():
        if record.key == key:
            return record.display
    return numbers.NON_FINITE["nan"]


def style_glued_numbers(app, doctree: nodes.document, docname: str) -> None:
    """Every glued number in the house style, once all are pasted (a number quoted from another
    chapter arrives after the roles have run). One a reader's scenario leaves without a finite
    value is said in words, without the "$" typed before it or the unit typed after it."""
    for holder in list(doctree.findall(nodes.inline)):
        if not holder.get("glue_numeric"):
            continue
        said_in_words = False
        for text in list(holder.findall(nodes.Text)):
            if NOT_FINITE.fullmatch(text.astext().strip()):
                text.parent.replace(text, nodes.Text(not_finite_words(holder["glue_key"])))
                said_in_words = True
            else:
                text.parent.replace(text, nodes.Text(numbers.styled(text.astext())))
        if said_in_words:
            _drop_units_around(holder)


def _drop_units_around(holder: nodes.inline) -> None:
    parent = holder.parent
    at = parent.index(holder)
    before = parent[at - 1] if at > 0 else None
    after = parent[at + 1] if at + 1 < len(parent) else None
    if isinstance(before, nodes.Text) and before.astext().endswith(_BEFORE):
        parent.replace(before, nodes.Text(before.astext()[:-len(_BEFORE)]))
    if isinstance(after, nodes.Text) and _AFTER.match(after.astext()):
        parent.replace(after, nodes.Text(_AFTER.sub("", after.astext(), count=1)))
