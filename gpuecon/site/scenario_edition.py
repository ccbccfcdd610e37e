"""A scenario edition's own page parts: the banner on every page, "What changed" in the
introduction, and the notes where a section's verdict moved or a chapter's text no longer holds."""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .. import data, edition, numbers, results
from . import execution
from .blocks import (Placeholder, badge, book, claim_link, is_chapter, link, mark_generated,
                     placeholders, table, verdict_phrase)

CHANGES = "scenario-changes"


def banner(scenario) -> str:
    changes = "; ".join(
        f"{c['label']} {numbers.quantity(c['book_value'], c['unit'])} → "
        f"{numbers.quantity(c['scenario_value'], c['unit'])}"
        + (" (outside the book's tested range)" if c["outside_tested_range"] else "")
        for c in scenario.changes())
    named = f"“{html.escape(scenario.description)}” ({html.escape(scenario.name)})" \
        if scenario.description else f"“{html.escape(scenario.name)}”"
    return (f"<strong>Scenario edition {named}</strong>: computed with a reader's assumptions, "
            f"not the book's published values or verdicts. Changed: {html.escape(changes)}.")


def set_banner(app: Sphinx, config) -> None:
    """Every page of a scenario edition says so, in the theme's announcement bar."""
    scenario = edition.current().scenario
    if scenario is not None:
        config.html_theme_options = {**config.html_theme_options,
                                     "announcement": banner(scenario)}


class ScenarioChangesDirective(SphinxDirective):
    """In a scenario edition: what the reader's assumptions changed (nothing in the book)."""

    def run(self):
        mark_generated(self)
        return [Placeholder(kind=CHANGES)]


def _published_book() -> results.BookResults | None:
    try:
        published = results.load_book(edition.published().results_dir)
    except results.ResultsError:
        return None
    return published if published.chapters else None


def fill_scenario_changes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    found = placeholders(doctree, CHANGES)
    if not found:
        return
    scenario = edition.current().scenario
    if scenario is None:
        for node in found:
            node.parent.remove(node)
        return
    out = [nodes.rubric("", f"What changed in the scenario “{scenario.name}”")]
    if scenario.description:
        out.append(nodes.paragraph("", scenario.description))
    out.append(table(
        ["assumption", "book", "scenario", "note"],
        [[c["label"], numbers.quantity(c["book_value"], c["unit"]),
          numbers.quantity(c["scenario_value"], c["unit"]),
          "outside the book's tested range: its draws are widened to include it"
          if c["outside_tested_range"] else ""] for c in scenario.changes()],
        ("scenario-overrides",)))
    published = _published_book()
    if published is None:
        out.append(nodes.paragraph("", "The published results were not found, so nothing can be "
                                       "compared: run make book, then make scenario again."))
    else:
        before = published.claims_table().set_index("claim_id")
        now = book().claims_table()
        rows = []
        for _, r in now.iterrows():
            old = before.loc[r["claim_id"]]
            if old["verdict"] == r["verdict"]:
                continue
            rows.append([claim_link(app, docname, r, r["claim_id"]),
                         badge(old["verdict"]), badge(r["verdict"]),
                         _deciding_value(published, r["claim_id"]),
                         _deciding_value(book(), r["claim_id"]),
                         moved_by(scenario, r["chapter"], r["claim_id"], old["verdict"])])
        out.append(nodes.paragraph(
            "", f"{len(rows)} of {len(now)} verdicts moved." if rows else
                "No verdict moved: every claim keeps its published verdict under these "
                "assumptions."))
        if rows:
            out.append(table(["claim", "book verdict", "scenario verdict", "book value",
                               "scenario value", "moved by (each change alone)"], rows,
                             ("scenario-verdicts",)))
        out.extend(_moved_values(app, docname, published, book()))
    flagged = {stem: res.prose_flags for stem, res in book().chapters.items() if res.prose_flags}
    if flagged:
        docs = results.chapter_docs()
        out.append(nodes.paragraph(
            "", "Statements in these chapters were written for the published values and no "
                "longer hold here; each chapter lists them at its top: "
                + "; ".join(f"{app.env.titles[docs[stem]].astext()} ({len(f)})"
                            for stem, f in flagged.items()) + "."))
    for node in found:
        node.replace_self(out)


def moved_by(scenario, chapter: str, claim_id: str, book_verdict: str) -> str:
    """Which of the scenario's changes, each made alone from the book's values, moves the
    verdict (execution.run_one_at_a_time); 'only all together' if none does alone."""
    labels = {aid: data.assumption_label(aid) for aid in scenario.overrides}
    if len(labels) == 1:
        return next(iter(labels.values()))
    movers = []
    for aid, label in labels.items():
        folder = execution.alone_dir(edition.current().build_dir, aid) / "results"
        found = results.read(chapter, folder) if folder.is_dir() else None
        verdict = next((c.verdict for c in (found.claims if found else [])
                        if c.claim_id == claim_id), book_verdict)
        if verdict != book_verdict:
            movers.append(f"{label} (alone: {verdict})")
    return "; ".join(movers) if movers else "only the changes together"


def _deciding_value(results_of: results.BookResults, claim_id: str) -> str:
    """A claim's own value or, for a claim judged on other evidence (a share of Monte Carlo
    draws), its evidence values with what each is."""
    for res in results_of.chapters.values():
        for claim in res.claims:
            if claim.claim_id != claim_id:
                continue
            if claim.ours_display:
                return claim.ours_display
            values = {v.key: v for v in res.values}
            shown = [f"{values[k].display} ({values[k].description})" for k in claim.value_keys
                     if k in values]
            return "; ".join(shown) or "–"
    return "–"


def _moved_values(app: Sphinx, docname: str, published, scenario_book) -> list[nodes.Node]:
    """The headline values (those a claim rests on) that moved most, largest change first."""
    before = published.values_table().set_index("key")
    now = scenario_book.values_table()
    now = now[now["claim_id"].astype(bool) & now["key"].isin(before.index)].copy()
    now["before"] = now["key"].map(before["value"])
    now = now[now["value"] != now["before"]]
    if now.empty:
        return [nodes.paragraph("", "No headline value moved.")]
    scale = now["before"].abs().where(now["before"] != 0, 1.0)
    now["change"] = (now["value"] - now["before"]).abs() / scale
    top = now.sort_values("change", ascending=False).head(10)
    appendix = app.builder.get_relative_uri(docname, "chapters/citable_values")
    rows = [[link(v["description"], f"{appendix}#{results.value_anchor(v['key'])}"),
             before.loc[v["key"], "display"], v["display"], v["claim_id"]]
            for _, v in top.iterrows()]
    return [nodes.paragraph("", "The headline values that moved most:"),
            table(["value", "book", "scenario", "claim"], rows, ("scenario-values",))]


def mark_scenario_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In a scenario edition, a claim whose verdict moved, and a chapter whose text rests on a
    comparison that no longer holds, say so where the reader meets them."""
    if not edition.current().is_scenario or not is_chapter(docname):
        return
    stem = docname.rsplit("/", 1)[-1]
    published = _published_book()
    mine = book().chapters.get(stem)
    if mine is None:
        return
    before = {} if published is None else {
        c.claim_id: c.verdict for res in published.chapters.values() for c in res.claims}
    for claim in mine.claims:
        old = before.get(claim.claim_id)
        if old is None or old == claim.verdict:
            continue
        for section in doctree.findall(nodes.section):
            if f"claim-{claim.claim_id.lower()}" in section["ids"]:
                note = nodes.warning()
                note += nodes.paragraph(
                    "", f"In this scenario {claim.claim_id} {verdict_phrase(claim.verdict)}; the "
                        f"book's verdict is “{old}”. The text of this section was written for the "
                        "book's verdict and may not hold here.")
                section.insert(1, note)
    ran = execution.manifest().get(stem, {}).get("how") == execution.RUN
    if mine.prose_flags or ran:
        note = nodes.warning()
        if ran:  # its numbers are the scenario's, whatever the words around them say
            note += nodes.paragraph(
                "", "This chapter was computed with the scenario's assumptions: where its text "
                    "says \u201cthe book's baseline\u201d or \u201cthe baseline\u201d, read the "
                    "book's assumptions with the scenario's changes (in the banner above).")
        if mine.prose_flags:
            note += nodes.paragraph("", "This chapter's text was written for the book's values. "
                                        "It says the following, which no longer holds in this "
                                        "scenario; read the passages that say it with care:")
            items = nodes.bullet_list()
            for flag in mine.prose_flags:
                items += nodes.list_item("", nodes.paragraph("", flag))
            note += items
        first = next(iter(doctree.findall(nodes.section)))
        first.insert(1, note)
