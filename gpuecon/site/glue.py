"""The book's additions to myst-nb's glue: `{glue:text}` that keeps the key of the value it
pastes (so a number can link to its citable row) and writes it in the house style
(gpuecon.numbers), and `{glue-table}`, a glued table numbered as a table."""

from __future__ import annotations

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

        def run(self):
            pasted, messages = super().run()
            numeric = ":" in self.text.replace("::", "") and not self.text.endswith(":s")
            for node in pasted:  # the house number style; a scenario's "never", not "inf"
                for text in list(node.findall(nodes.Text)):
                    if text.parent is not None and numeric:
                        text.parent.replace(text, nodes.Text(numbers.styled(text.astext())))
            key = self.text.rsplit(":", 1)[0] if ":" in self.text.replace("::", "") else self.text
            holder = nodes.inline("", "", *pasted)
            holder["glue_key"] = key.split("::", 1)[-1]
            return ([holder] if pasted else []), messages

    return LinkedPasteTextRole()
