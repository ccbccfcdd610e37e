"""The sources-and-methods appendix: every source with its tier, every assumption with its
range, the data dictionary from the Table Schemas, the book's conventions, and every reading
declared for the robustness checks with the verdict it gave."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .. import claims, data, numbers
from .blocks import (PlaceholderDirective, badge, blank, book, link, mark_generated,
                     placeholders, table)


class SourcesTableDirective(SphinxDirective):
    """Every source in data/sources.csv with its tier."""

    def run(self):
        mark_generated(self)
        src = data.load("sources", record=False)
        rows = []
        for _, r in src.iterrows():
            what = nodes.inline()
            what += nodes.strong("", r["publisher"])
            what += nodes.Text(", ")
            title = link(r["title"], r["url"]) if blank(r["url"]) else nodes.Text(r["title"])
            what += nodes.emphasis("", "", title, classes=["source-title"])
            if blank(r["title_in_english"]):
                what += nodes.Text(f" (in English: {r['title_in_english']})")
            if blank(r["archive_url"]):
                what += nodes.Text(" (")
                what += link("archived copy", r["archive_url"])
                what += nodes.Text(")")
            if blank(r["note"]):
                what += nodes.inline("", r["note"], classes=["source-note"])
            dates = nodes.inline("", blank(r["date_published"]))
            dates += nodes.inline("", f"read {blank(r['date_accessed'])}", classes=["source-note"])
            rows.append([what, r["tier"], dates])
        counts = src["tier"].value_counts()
        tiers = [f"{counts[t]} {t}" for t in data.TIER_ORDER if counts.get(t, 0)]
        summary = nodes.paragraph(
            "", f"{len(src)} sources, by tier: " + "; ".join(tiers) + ". A source without an "
                "address says where it was looked for.", classes=["sources-summary"])
        sources_table = table(["source", "tier", "published"], rows, ("sources-table",))
        body = next(iter(sources_table.findall(nodes.tbody)))
        for row, source_id in zip(body.children, src["source_id"]):
            row["ids"].append(f"source-{source_id.replace('_', '-')}")
        return [summary, sources_table]


class AssumptionsTableDirective(SphinxDirective):
    """Every assumption in data/assumptions.csv with its range."""

    def run(self):
        mark_generated(self)
        df = data.load("assumptions", record=False)
        publishers = data.load("sources", record=False).set_index("source_id")["publisher"]
        def shown(r, column):
            return numbers.quantity(r[column], r["unit"])

        rows = [[r["description"], shown(r, "value"), f"{shown(r, 'low')} to {shown(r, 'high')}",
                 "the book's own" if r["source_id"] == "ours" else publishers[r["source_id"]],
                 r["rationale"]] for _, r in df.iterrows()]
        headers = ["what", "value", "range tested", "source", "why"]
        assumptions_table = table(headers, rows, ("assumptions-table",))
        body = next(iter(assumptions_table.findall(nodes.tbody)))
        for row, assumption_id in zip(body.children, df["assumption_id"]):
            row["ids"].append(f"assumption-{assumption_id.replace('_', '-')}")
        return [assumptions_table]


def _allowed(field: dict) -> str:
    cons = field.get("constraints", {})
    allowed = []
    if cons.get("required"):
        allowed.append("required")
    if "enum" in cons:
        allowed.append("one of: " + "; ".join(map(str, cons["enum"])))
    if "minimum" in cons:
        allowed.append(f"≥ {cons['minimum']}")
    if "maximum" in cons:
        allowed.append(f"≤ {cons['maximum']}")
    if "pattern" in cons:
        allowed.append(f"pattern {cons['pattern']}")
    if "unique" in cons:
        allowed.append("unique")
    return ", ".join(allowed)


class DataDictionaryDirective(SphinxDirective):
    """The columns of every data file, from the Table Schemas in data/datapackage.json."""

    def run(self):
        mark_generated(self)
        out = [nodes.paragraph("", "The print edition leaves the data dictionary out; it is in "
                                   "the web version of this page.", classes=["print-note"])]
        holder = nodes.container(classes=["screen-only", "data-dictionary"])
        for res in data.resources():
            holder += nodes.rubric("", f"{res['path']}: {res.get('title', res['name'])}")
            if res.get("description"):
                holder += nodes.paragraph("", res["description"])
            rows = [[f["name"], f.get("type", "string"), f.get("description", ""), _allowed(f)]
                    for f in res["schema"]["fields"]]
            holder += table(["column", "type", "meaning and unit", "allowed values"], rows)
        return out + [holder]


class ConventionsTableDirective(SphinxDirective):
    """The book-wide conventions every verdict uses (data/conventions.csv), with their sources."""

    def run(self):
        mark_generated(self)
        conventions = data.load("conventions", record=False)
        sources = data.load("sources", record=False).set_index("source_id")
        rows = []
        for _, r in conventions.iterrows():
            source = sources.loc[r["source_id"]]
            cited = (link(source["publisher"], source["url"]) if blank(source["url"])
                     else nodes.Text(source["publisher"]))
            rows.append([r["reason"], f"{r['value']:g} ({r['unit']})", cited])
        return [table(["convention", "value", "source"], rows, ("conventions-table",))]


class ReadingsTableDirective(PlaceholderDirective):
    """Every reading declared for every judged claim and forecast, with the verdict it gave
    (filled in after the chapters have run)."""

    kind = "readings"


def fill_readings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    found = placeholders(doctree, ReadingsTableDirective.kind)
    if not found:
        return
    sources = data.load("sources", record=False).set_index("source_id")["publisher"]
    rows = []
    for res in book().chapters.values():
        for target in [*res.claims, *res.forecasts]:
            record = target.robustness
            if not record:
                continue
            target_id = getattr(target, "claim_id", None) or target.forecast_id
            for reading in record["readings"]:
                flips = reading["verdict"] != record["book"]["verdict"]
                verdict = nodes.inline("", "", badge(reading["verdict"]) if reading["verdict"]
                                       in claims.CSS_CLASSES else nodes.Text(reading["verdict"]))
                if flips:
                    verdict += nodes.inline("", " (differs from the book's)",
                                            classes=["reading-flips"])
                described = reading["description"] + (
                    " (added after review)" if reading.get("declared") == "after review" else "")
                rows.append([target_id, described, reading["why"],
                             sources.get(reading["source_id"], reading["source_id"]), verdict])
    readings_table = table(["claim or forecast", "reading", "why it is as defensible",
                            "source", "verdict under it"], rows, ("readings-table",))
    for node in found:
        node.replace_self(readings_table)
