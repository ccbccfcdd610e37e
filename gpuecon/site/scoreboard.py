"""The scoreboard: every claim with both answers, our value, the reason for its verdict and how
robust it is."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .. import claims
from .blocks import PlaceholderDirective, badge, book, claim_link, placeholders, table


class ScoreboardDirective(PlaceholderDirective):
    """All claims with their verdicts, read from the chapters' results."""

    kind = "scoreboard"


def robustness_cell(row) -> nodes.Node:
    """Robust, or depends on the reading: with the margin and the readings that flip it."""
    if not row["robustness"]:
        return nodes.Text("–")
    cell = nodes.inline("", "", nodes.strong("", row["robustness"]))
    if row["margin"]:
        cell += nodes.inline("", f"Margin: {row['margin']}.", classes=["robustness-margin"])
    cell += nodes.inline("", row["robustness_summary"], classes=["robustness-summary"])
    return cell


def fill_scoreboard(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    found = placeholders(doctree, ScoreboardDirective.kind)
    if not found:
        return
    claims_table = book().claims_table()
    rows = []
    for _, r in claims_table.iterrows():
        verdict_and_reason = nodes.inline("", "", badge(r["verdict"]))
        if r["reproduction"]:
            verdict_and_reason += nodes.inline("", f"The post's arithmetic: {r['reproduction']}.",
                                               classes=["reproduction"])
        if r["reason"]:
            verdict_and_reason += nodes.inline("", r["reason"], classes=["verdict-reason"])
        rows.append([claim_link(app, docname, r, r["claim_id"]), r["short_name"], r["stated"],
                     r["our_value_in_words"] or "–", verdict_and_reason, robustness_cell(r)])
    board = table(["claim", "what the post says", "stated", "our value",
                   "does it hold? (and does the post's arithmetic reproduce?) why",
                   "how robust"], rows, ("scoreboard",))
    counts = claims_table["verdict"].value_counts()
    summary = nodes.paragraph(
        "", f"{len(claims_table)} claims: "
            + ", ".join(f"{counts.get(v, 0)} {v}" for v in claims.VERDICTS),
        classes=["scoreboard-summary"])
    for node in found:
        node.replace_self([summary, board])
