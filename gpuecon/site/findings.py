"""The introduction's answers: "What we found" (the verdicts in words and counts) and the chart
of each stated figure against ours."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from docutils import nodes
from sphinx.application import Sphinx

from .. import charts, claims, figure_files
from .blocks import PlaceholderDirective, badge, book, claim_link, claim_uri, placeholders

CLAIMS_CHART_NAME = "fig_claims_overview"


class FindingsSummaryDirective(PlaceholderDirective):
    """'What we found': the verdict counts and the claims under each, from the results."""

    kind = "findings"


class ClaimsChartDirective(PlaceholderDirective):
    """Stated figure against ours for every claim with a stated number."""

    kind = "claims-chart"


def fill_findings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    found = placeholders(doctree, FindingsSummaryDirective.kind)
    if not found:
        return
    claims_table = book().claims_table()
    counts = claims_table["verdict"].value_counts()
    lead = nodes.paragraph(classes=["findings-lead"])
    lead += nodes.Text(f"Of the {len(claims_table)} claims in the two posts, ")
    parts = [claims.count_phrase(counts[v], v) for v in claims.VERDICTS if counts.get(v, 0)]
    lead += nodes.Text(", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
                       + ".")
    computed = claims_table[claims_table["reproduction"].isin(
        [claims.REPRODUCES, claims.DOES_NOT_REPRODUCE])]
    if len(computed):
        redone = int((computed["reproduction"] == claims.REPRODUCES).sum())
        verb = "reproduces" if redone == 1 else "reproduce"
        lead += nodes.Text(f" Of the {len(computed)} claims that rest on the posts' own "
                           f"arithmetic, {redone} {verb} when redone.")
    robust = _robustness_paragraph(app, docname, claims_table)
    items = nodes.bullet_list(classes=["findings-list"])
    for verdict in claims.VERDICTS:
        group = claims_table[claims_table["verdict"] == verdict]
        if group.empty:
            continue
        item = nodes.paragraph()
        item += badge(verdict)
        item += nodes.Text(": ")
        for i, (_, row) in enumerate(group.iterrows()):
            if i:
                item += nodes.Text(", ")
            item += claim_link(app, docname, row, row["claim_id"])
        items += nodes.list_item("", item)
    for node in found:
        node.replace_self([lead, items] + ([robust] if robust is not None else []))


def _robustness_paragraph(app: Sphinx, docname: str, table: pd.DataFrame):
    """How many verdicts survive every declared reading, and which would change answer."""
    tested = table[table["robustness"] != ""]
    if tested.empty:
        return None
    same = tested[tested["readings_flipping"] == 0]
    reversing = tested[tested["readings_reversing"] > 0]
    degree = len(tested) - len(same) - len(reversing)
    para = nodes.paragraph(classes=["findings-robustness"])
    para += nodes.Text(
        f"{len(same)} of these {len(tested)} verdicts come out the same under every other "
        "reading the book declared before computing. "
        + (f"{degree} change only in degree under some reading (between holds and holds "
           "approximately). " if degree else ""))
    if reversing.empty:
        para += nodes.Text("No reading declared would change any verdict's answer.")
        return para
    para += nodes.Text(f"{len(reversing)} would change answer under some reading: ")
    for i, (_, row) in enumerate(reversing.iterrows()):
        if i:
            para += nodes.Text("; ")
        para += claim_link(app, docname, row, row["short_name"])
    para += nodes.Text(". Each chapter gives the reading, the margin and the tipping point.")
    return para


def claims_chart_links(app: Sphinx, docname: str, frame: pd.DataFrame) -> list[str]:
    return [claim_uri(app, docname, chapter, cid)
            for cid, chapter in zip(frame["claim_id"], frame["chapter"])]


def claims_chart(app: Sphinx, docname: str):
    """The chart and its data (the page and the build's downloads draw the same one)."""
    frame = book().claims_chart_frame()
    return charts.claims_overview_chart(frame, claims_chart_links(app, docname, frame)), frame


def fill_claims_chart(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    found = placeholders(doctree, ClaimsChartDirective.kind)
    if not found:
        return
    claims_table = book().claims_table()
    chart, _ = claims_chart(app, docname)
    chart_html = charts.page_chart_html(chart, CLAIMS_CHART_NAME)
    downloads = charts.downloads_bar(CLAIMS_CHART_NAME, charts.chart_downloads(),
                                     site_prefix="../" * docname.count("/"))
    figure = nodes.figure(ids=["fig-claims-overview"], classes=["claims-overview"])
    figure += nodes.raw("", charts.figure_html(chart_html, downloads, chart.description),
                        format="html")
    figure += nodes.caption("", "Every claim by its short name. Where the post states a number "
                                "and the book computes one, the dot is ours as a multiple of "
                                "the post's (1 means equal); the others give their verdict. "
                                "Each name links to its check.")
    legend = nodes.legend()
    dates = sorted(d for d in claims_table["as_of"] if d)
    legend += nodes.paragraph(
        "", "Source: this book's computations from the chapters' inputs, as listed in the "
            f"sources appendix. Data as of {dates[0]} to {dates[-1]}." if dates else
            "Source: this book's computations. Data as of: no chapter has run.")
    figure += legend
    for node in found:
        node.replace_self(figure.deepcopy())


def save_claims_chart_downloads(app: Sphinx, figures: Path) -> None:
    """The introduction's chart gets the same downloads as every chapter figure."""
    chart, frame = claims_chart(app, app.config.root_doc)
    charts.save_chart_downloads(chart, CLAIMS_CHART_NAME, frame, figures)
    dates = sorted(d for d in book().claims_table()["as_of"] if d)
    figure_files.write_resource(
        figures, CLAIMS_CHART_NAME, sources=["ours"], table=frame,
        title="Every claim by its short name: the book's value against the post's, or its "
              "verdict", as_of=f"{dates[0]} to {dates[-1]}" if dates else "")
