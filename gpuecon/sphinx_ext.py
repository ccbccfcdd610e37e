"""Sphinx glue for the book: validate data first, rebuild chapters when data or shared code
change, and render what comes from `data/` or from the chapters' results (scoreboard, findings,
claims chart, citable values, how to cite). It only renders: the results and their joins are
`gpuecon.results`, the exports `gpuecon.exports`, changes to the built HTML `gpuecon.site_html`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import (__version__, citation, claims, data, execution, exports, paths, provenance,
               results, scenarios, site_html)
from .citation import citation_meta

LOG = logging.getLogger(__name__)
# Pages whose tables come from data/ or from the chapters' results: always re-read.
GENERATED_PAGES_KEY = "gpuecon_generated_pages"


# ----------------------------------------------------------------------------- table helpers
def _cell(content) -> nodes.entry:
    entry = nodes.entry()
    if isinstance(content, nodes.Node):
        entry += nodes.paragraph("", "", content)
    else:
        entry += nodes.paragraph("", "" if content is None else str(content))
    return entry


def _table(headers: list[str], rows: list[list], classes: tuple[str, ...] = ()) -> nodes.table:
    table = nodes.table(classes=["generated-table", *classes])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    group += head
    hrow = nodes.row()
    for h in headers:
        hrow += _cell(h)
    head += hrow
    body = nodes.tbody()
    group += body
    for r in rows:
        row = nodes.row()
        for c in r:
            row += _cell(c)
        body += row
    return table


def _link(text: str, url: str) -> nodes.reference:
    return nodes.reference("", text, refuri=url, internal=False)


def _blank(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else str(value)


# ----------------------------------------------------------------------------- results
def _book() -> results.BookResults:
    """The chapters' results, checked as a book (a conflict stops the build with its message)."""
    try:
        return results.load_book()
    except results.ResultsError as error:
        raise ExtensionError(str(error)) from None


def _is_chapter(docname: str) -> bool:
    return docname in results.chapter_docs().values()


# ----------------------------------------------------------------------------- citation
def _append_how_to_cite(app: Sphinx, doctree: nodes.document) -> None:
    """Every chapter ends with a short and a full citation, the version and the data's dates."""
    docname = app.env.docname
    if not _is_chapter(docname) or scenarios.active() is not None:
        return  # a scenario edition is not the book's to cite
    meta = citation_meta()
    stem = docname.rsplit("/", 1)[-1]
    title = next(iter(doctree.findall(nodes.title))).astext()
    page_url = app.config.html_baseurl + f"{docname}.html"
    box = nodes.container(classes=["how-to-cite"], ids=["how-to-cite"])
    box += nodes.rubric("", "How to cite this chapter")
    box += nodes.paragraph("", f"Short: {meta['author']}, “{title}” (version {meta['version']}, "
                               f"{meta['released']}).")
    full = nodes.paragraph("", f"Full: {meta['author']}. “{title}”. In {meta['title']}, version "
                               f"{meta['version']}, released {meta['released']}. ")
    full += _link(page_url, page_url)
    own = results.read(stem)  # this chapter has just run; the others may not have yet
    full += nodes.Text(f". Data as of {own.as_of() if own else ''}.")
    box += full
    box += nodes.paragraph(
        "", "To cite one number, link its row in the citable-values appendix (anchor val- "
            f"and its key, with hyphens): each row there gives a citation ready to copy.")
    run = nodes.paragraph("", "To run this chapter yourself: ")
    run += nodes.raw("", f'<a href="../{paths.EXPORT_FOLDER}/bundles/{stem}.zip" download>'
                         "download it as a runnable bundle</a>", format="html")
    run += nodes.Text(" (the notebook, the gpuecon package, the data it reads and the pinned "
                      "packages; its README says how).")
    box += run
    box += nodes.paragraph("", f"In print: this chapter's code, interactive charts and downloads "
                               f"are at {page_url}.", classes=["print-note"])
    doctree += box


class BookVersionDirective(SphinxDirective):
    """'Version X, released YYYY-MM-DD.' from CITATION.cff."""

    def run(self):
        meta = citation_meta()
        return [nodes.paragraph("", f"Version {meta['version']}, released {meta['released']}.",
                                classes=["book-version"])]


class CitableValuesDirective(SphinxDirective):
    """Every published value with its own anchor (filled in after all chapters have run)."""

    def run(self):
        self.env.metadata[self.env.docname][GENERATED_PAGES_KEY] = True
        return [_Placeholder(kind="values")]


def _cite_value(app: Sphinx, value, shown: str) -> str:
    """A citation of one value, ready to copy: the value, what it is, its date, the version and
    the address of its row."""
    meta = citation_meta()
    url = f"{app.config.html_baseurl}chapters/citable_values.html#{results.value_anchor(value['key'])}"
    return (f"Cite as: {shown}, {value['description'][0].lower()}{value['description'][1:]} "
            f"(as of {value['as_of']}). {meta['author']}, {meta['title']}, version "
            f"{meta['version']}, {url}")


def _fill_citable_values(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = [n for n in doctree.findall(_Placeholder) if n["kind"] == "values"]
    if not placeholders:
        return
    chapters = results.chapter_docs()
    values = _book().values_table()
    rows = []
    for _, v in values.iterrows():
        key = nodes.paragraph()
        key += nodes.reference("", v["key"], refuri="#" + results.value_anchor(v["key"]),
                               internal=True)
        doc = chapters[v["chapter"]]
        chapter = _link(app.env.titles[doc].astext(), app.builder.get_relative_uri(docname, doc))
        shown = v["display"] if v["unit"] == "fraction" else f"{v['display']} {v['unit']}"
        what = nodes.inline("", v["description"])
        what += nodes.inline("", _cite_value(app, v, shown), classes=["cite-as"])
        rows.append([key, shown, v["claim_id"] or "", chapter, v["as_of"], what])
    table = _table(["key", "value", "claim", "chapter", "as of", "what it is"], rows,
                   ("citable-values",))
    body = next(iter(table.findall(nodes.tbody)))
    for row, (_, v) in zip(body.children, values.iterrows()):
        row["ids"].append(results.value_anchor(v["key"]))
    for node in placeholders:
        node.replace_self(table)


# ----------------------------------------------------------------------------- directives
class _Placeholder(nodes.General, nodes.Element):
    """Replaced after all chapters have run (doctree-resolved)."""


class ScoreboardDirective(SphinxDirective):
    """All claims with their verdicts, read from the chapters' results."""

    def run(self):
        self.env.metadata[self.env.docname][GENERATED_PAGES_KEY] = True
        return [_Placeholder(kind="scoreboard")]


class SourcesTableDirective(SphinxDirective):
    """Every source in data/sources.csv with its tier."""

    def run(self):
        self.env.metadata[self.env.docname][GENERATED_PAGES_KEY] = True
        src = data.load("sources", record=False)
        rows = []
        for _, r in src.iterrows():
            what = nodes.inline()
            what += _link(r["title"], r["url"]) if _blank(r["url"]) else nodes.Text(r["title"])
            what += nodes.Text(f" — {r['publisher']}")
            if _blank(r["archive_url"]):
                what += nodes.Text(" (")
                what += _link("archived copy", r["archive_url"])
                what += nodes.Text(")")
            if _blank(r["note"]):
                what += nodes.inline("", r["note"], classes=["source-note"])
            dates = nodes.inline("", _blank(r["date_published"]))
            dates += nodes.inline("", f"read {_blank(r['date_accessed'])}", classes=["source-note"])
            rows.append([r["source_id"], what, r["tier"], dates])
        headers = ["id", "source", "tier", "published"]
        counts = src["tier"].value_counts()
        tiers = [f"{counts[t]} {t}" for t in data.TIER_ORDER if counts.get(t, 0)]
        summary = nodes.paragraph(
            "", f"{len(src)} sources, by tier: " + "; ".join(tiers) + ". A source without an "
                "address says where it was looked for.", classes=["sources-summary"])
        return [summary, _table(headers, rows, ("sources-table",))]


class AssumptionsTableDirective(SphinxDirective):
    """Every assumption in data/assumptions.csv with its range."""

    def run(self):
        self.env.metadata[self.env.docname][GENERATED_PAGES_KEY] = True
        df = data.load("assumptions", record=False)
        rows = [
            [r["assumption_id"], r["description"], f"{r['value']:g}", f"{r['low']:g}", f"{r['high']:g}",
             r["unit"], r["source_id"], r["rationale"]]
            for _, r in df.iterrows()
        ]
        headers = ["id", "what", "value", "low", "high", "unit", "source", "why"]
        return [_table(headers, rows, ("assumptions-table",))]


class DataDictionaryDirective(SphinxDirective):
    """The columns of every data file, from the Table Schemas in data/datapackage.json."""

    def run(self):
        self.env.metadata[self.env.docname][GENERATED_PAGES_KEY] = True
        out = [nodes.paragraph("", "The print edition leaves the data dictionary out; it is in "
                                   "the web version of this page.", classes=["print-note"])]
        holder = nodes.container(classes=["screen-only"])
        for res in data.resources():
            holder += nodes.rubric("", f"{res['path']}: {res.get('title', res['name'])}")
            if res.get("description"):
                holder += nodes.paragraph("", res["description"])
            rows = []
            for f in res["schema"]["fields"]:
                cons = f.get("constraints", {})
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
                rows.append([f["name"], f.get("type", "string"), f.get("description", ""), ", ".join(allowed)])
            holder += _table(["column", "type", "meaning and unit", "allowed values"], rows)
        return out + [holder]


def _badge(verdict: str) -> nodes.inline:
    """A verdict as a coloured badge (styled in _static/book.css)."""
    return nodes.inline("", verdict, classes=["verdict", claims.CSS_CLASSES[verdict]])


def _fill_scoreboard(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = [n for n in doctree.findall(_Placeholder) if n["kind"] == "scoreboard"]
    if not placeholders:
        return
    table = _book().claims_table()
    rows = []
    for _, r in table.iterrows():
        cid = _claim_link(app, docname, r, r["claim_id"])
        ours = ("–" if not r["our_value_display"] else f"{r['our_value_display']}×"
                if r["ours_unit"] == "multiple" else f"{r['our_value_display']} {r['ours_unit']}")
        verdict_and_reason = nodes.inline("", "", _badge(r["verdict"]))
        if r["reproduction"]:
            verdict_and_reason += nodes.inline("", f"The post's arithmetic: {r['reproduction']}.",
                                               classes=["reproduction"])
        if r["reason"]:
            verdict_and_reason += nodes.inline("", r["reason"], classes=["verdict-reason"])
        rows.append([cid, r["paraphrase"], r["stated"], ours, verdict_and_reason])
    tbl = _table(["claim", "what the post says", "stated", "our value",
                  "does it hold? (and does the post's arithmetic reproduce?) why"], rows,
                 ("scoreboard",))
    counts = table["verdict"].value_counts()
    summary = nodes.paragraph(
        "",
        f"{len(table)} claims: "
        + ", ".join(f"{counts.get(v, 0)} {v}" for v in claims.VERDICTS),
        classes=["scoreboard-summary"],
    )
    for node in placeholders:
        node.replace_self([summary, tbl])


class FindingsSummaryDirective(SphinxDirective):
    """'What we found': the verdict counts and the claims under each, from the results."""

    def run(self):
        self.env.metadata[self.env.docname][GENERATED_PAGES_KEY] = True
        return [_Placeholder(kind="findings")]


def _claim_uri(app: Sphinx, docname: str, chapter: str, claim_id: str) -> str:
    """From page `docname` to the section of the chapter that checks `claim_id`."""
    doc = results.chapter_docs()[chapter]
    return app.builder.get_relative_uri(docname, doc) + f"#claim-{claim_id.lower()}"


def _claim_link(app: Sphinx, docname: str, row, text: str) -> nodes.Node:
    """A link to the claim's section, or plain text while its chapter has not run."""
    if row["chapter"] not in results.chapter_docs() or row["verdict"] == claims.PENDING:
        return nodes.Text(text)
    return _link(text, _claim_uri(app, docname, row["chapter"], row["claim_id"]))


def _fill_findings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = [n for n in doctree.findall(_Placeholder) if n["kind"] == "findings"]
    if not placeholders:
        return
    table = _book().claims_table()
    counts = table["verdict"].value_counts()
    lead = nodes.paragraph(classes=["findings-lead"])
    lead += nodes.Text(f"Of the {len(table)} claims in the two posts, ")
    parts = [claims.count_phrase(counts[v], v) for v in claims.VERDICTS if counts.get(v, 0)]
    lead += nodes.Text(", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
                       + ".")
    computed = table[table["reproduction"].isin([claims.REPRODUCES, claims.DOES_NOT_REPRODUCE])]
    if len(computed):
        redone = int((computed["reproduction"] == claims.REPRODUCES).sum())
        verb = "reproduces" if redone == 1 else "reproduce"
        lead += nodes.Text(f" Of the {len(computed)} claims that rest on the posts' own "
                           f"arithmetic, {redone} {verb} when redone.")
    items = nodes.bullet_list(classes=["findings-list"])
    for verdict in claims.VERDICTS:
        group = table[table["verdict"] == verdict]
        if group.empty:
            continue
        item = nodes.paragraph()
        item += _badge(verdict)
        item += nodes.Text(": ")
        for i, (_, row) in enumerate(group.iterrows()):
            if i:
                item += nodes.Text(", ")
            item += _claim_link(app, docname, row, row["claim_id"])
        items += nodes.list_item("", item)
    for node in placeholders:
        node.replace_self([lead, items])


class ClaimsChartDirective(SphinxDirective):
    """Stated figure against ours for every claim with a stated number (filled in after the
    chapters have run)."""

    def run(self):
        self.env.metadata[self.env.docname][GENERATED_PAGES_KEY] = True
        return [_Placeholder(kind="claims-chart")]


CLAIMS_CHART_NAME = "fig_claims_overview"


def _claims_chart_links(app: Sphinx, docname: str, frame: pd.DataFrame) -> list[str]:
    return [_claim_uri(app, docname, chapter, cid)
            for cid, chapter in zip(frame["claim_id"], frame["chapter"])]


def _fill_claims_chart(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = [n for n in doctree.findall(_Placeholder) if n["kind"] == "claims-chart"]
    if not placeholders:
        return
    from . import charts

    book = _book()
    table = book.claims_table()
    frame = book.claims_chart_frame()
    chart = charts.claims_overview_chart(frame, _claims_chart_links(app, docname, frame))
    chart_html = charts.page_chart_html(chart, CLAIMS_CHART_NAME)
    downloads = charts.downloads_bar(CLAIMS_CHART_NAME, charts.chart_downloads(),
                                     site_prefix="../" * docname.count("/"))
    figure = nodes.figure(ids=["fig-claims-overview"], classes=["claims-overview"])
    alt_text = chart.description
    figure += nodes.raw("", charts.figure_html(chart_html, downloads, alt_text), format="html")
    figure += nodes.caption("", "The post's figure against ours, for every claim that states a "
                                "number: a dot at 1 means our value equals the stated figure; "
                                "click a dot to read the check.")
    legend = nodes.legend()
    dates = sorted(d for d in table["as_of"] if d)
    legend += nodes.paragraph(
        "", "Source: this book's computations from the chapters' inputs, as listed in the "
            f"sources appendix. Data as of {dates[0]} to {dates[-1]}." if dates else
            "Source: this book's computations. Data as of: no chapter has run.")
    figure += legend
    for node in placeholders:
        node.replace_self(figure.deepcopy())


class ReproducibilityDirective(SphinxDirective):
    """How this build can be reproduced: commands, commit, chapters with their recorded run
    times, Python and every pinned package, the data's checksums."""

    def run(self):
        self.env.metadata[self.env.docname][GENERATED_PAGES_KEY] = True
        record = provenance.benchmark_record()
        out = [nodes.rubric("", "Two commands on a fresh machine")]
        out.append(_table(["command", "what it does"],
                          [[nodes.literal("", c), what] for c, what in provenance.COMMANDS]))
        if record:
            out.append(nodes.paragraph(
                "", f"Expected run time on a {record['cores']}-core machine (recorded by "
                    f"make benchmark): a cold build {record['cold_build_s']:.0f} s; the tests "
                    f"{record['test_suite_after_build_s'] / 60:.0f} minutes after it, plus the "
                    "one-off installation of the packages and Chromium."))
        out.append(nodes.rubric("", "This build"))
        out.append(_table(["what", "value"], [["commit", nodes.literal("", provenance.commit())],
                                     ["Python", provenance.python_version()]]))
        out.append(nodes.rubric("", "Chapters"))
        out.append(_Placeholder(kind="chapter-status"))  # after every chapter has run
        out.append(nodes.paragraph("", "The print edition leaves out the list of pinned packages "
                                       "and the data's checksums; they are in the web version of "
                                       "this page.", classes=["print-note"]))
        listing = nodes.container(classes=["screen-only"])
        listing += nodes.rubric("", "Pinned packages (requirements-lock.txt)")
        listing += _table(["package", "version"], [list(p) for p in provenance.locked_packages()],
                          ("reproducibility-packages",))
        listing += nodes.rubric("", "Data checksums (data/MANIFEST.sha256)")
        listing += _table(["file", "SHA-256"],
                          [[f, nodes.literal("", d)] for f, d in provenance.data_checksums()],
                          ("reproducibility-data",))
        return out + [listing]


def _fill_chapter_status(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = [n for n in doctree.findall(_Placeholder) if n["kind"] == "chapter-status"]
    if not placeholders:
        return
    book = _book()
    times = provenance.benchmark_record().get("chapter_execution_s", {})
    ran = execution.manifest() if scenarios.active() is not None else {}
    rows = []
    for stem, doc in results.chapter_docs().items():
        if stem in ran:  # a scenario edition: run with its assumptions, or reused, and why
            status = f"{ran[stem]['how']}: {ran[stem]['why']}"
        elif stem in book.chapters:
            status = "executed in this build; every check passed"
        else:
            status = "not executed"
        seconds = f"{times[stem]:.1f} s" if stem in times else "not recorded"
        rows.append([app.env.titles[doc].astext(), status, seconds])
    table = _table(["chapter", "status", "run time (recorded)"], rows,
                   ("reproducibility-chapters",))
    for node in placeholders:
        node.replace_self(table.deepcopy())


class ScenarioChangesDirective(SphinxDirective):
    """In a scenario edition: what the reader's assumptions changed (nothing in the book)."""

    def run(self):
        self.env.metadata[self.env.docname][GENERATED_PAGES_KEY] = True
        return [_Placeholder(kind="scenario-changes")]


def _published_book() -> results.BookResults | None:
    try:
        book = results.load_book(paths.published_results_dir())
    except results.ResultsError:
        return None
    return book if book.chapters else None


def _fill_scenario_changes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = [n for n in doctree.findall(_Placeholder) if n["kind"] == "scenario-changes"]
    if not placeholders:
        return
    scenario = scenarios.active()
    if scenario is None:
        for node in placeholders:
            node.parent.remove(node)
        return
    out = [nodes.rubric("", f"What changed in the scenario “{scenario.name}”")]
    if scenario.description:
        out.append(nodes.paragraph("", scenario.description))
    out.append(_table(
        ["assumption", "id in the file", "book", "scenario", "unit", "note"],
        [[c["label"], nodes.literal("", c["assumption_id"]), f"{c['book_value']:g}",
          f"{c['scenario_value']:g}", c["unit"],
          "outside the book's tested range: its draws are widened to include it"
          if c["outside_tested_range"] else ""] for c in scenario.changes()],
        ("scenario-overrides",)))
    published = _published_book()
    if published is None:
        out.append(nodes.paragraph("", "The published results were not found, so nothing can be "
                                       "compared: run make book, then make scenario again."))
    else:
        before = published.claims_table().set_index("claim_id")
        now = _book().claims_table()
        rows = []
        for _, r in now.iterrows():
            old = before.loc[r["claim_id"]]
            if old["verdict"] == r["verdict"]:
                continue
            rows.append([_claim_link(app, docname, r, r["claim_id"]),
                         _badge(old["verdict"]), _badge(r["verdict"]),
                         _deciding_value(published, r["claim_id"]),
                         _deciding_value(_book(), r["claim_id"])])
        out.append(nodes.paragraph(
            "", f"{len(rows)} of {len(now)} verdicts moved." if rows else
                "No verdict moved: every claim keeps its published verdict under these "
                "assumptions."))
        if rows:
            out.append(_table(["claim", "book verdict", "scenario verdict", "book value",
                               "scenario value"], rows, ("scenario-verdicts",)))
        out.extend(_moved_values(app, docname, published, _book()))
    flagged = {stem: res.prose_flags for stem, res in _book().chapters.items() if res.prose_flags}
    if flagged:
        docs = results.chapter_docs()
        out.append(nodes.paragraph(
            "", "Statements in these chapters were written for the published values and no "
                "longer hold here; each chapter lists them at its top: "
                + "; ".join(f"{app.env.titles[docs[stem]].astext()} ({len(f)})"
                            for stem, f in flagged.items()) + "."))
    for node in placeholders:
        node.replace_self(out)


def _deciding_value(book: results.BookResults, claim_id: str) -> str:
    """A claim's own value or, for a claim judged on other evidence (a share of Monte Carlo
    draws), its evidence values with what each is."""
    for res in book.chapters.values():
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
    rows = [[_link(v["description"], f"{appendix}#{results.value_anchor(v['key'])}"),
             before.loc[v["key"], "display"], v["display"], v["claim_id"]]
            for _, v in top.iterrows()]
    return [nodes.paragraph("", "The headline values that moved most:"),
            _table(["value", "book", "scenario", "claim"], rows, ("scenario-values",))]


def _mark_scenario_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In a scenario edition, a claim whose verdict moved, and a chapter whose text rests on a
    comparison that no longer holds, say so where the reader meets them."""
    if scenarios.active() is None or not _is_chapter(docname):
        return
    stem = docname.rsplit("/", 1)[-1]
    published = _published_book()
    mine = _book().chapters.get(stem)
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
                    "", f"In this scenario {claim.claim_id} {_verdict_phrase(claim.verdict)}; the "
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


def _verdict_phrase(verdict: str) -> str:
    return claims.count_phrase(1, verdict).split(" ", 1)[1]


# ----------------------------------------------------------------------------- numbered tables
class GluedTable(nodes.figure):
    """A glued table output, numbered and cross-referenced as a *table* ("Table 2.1")."""


def _visit_glued_table(self, node):
    self.visit_figure(node)


def _depart_glued_table(self, node):
    self.depart_figure(node)


def _glued_table_title(node) -> str:
    for child in node.children:
        if isinstance(child, nodes.caption):
            return child.astext()
    return ""


def _glue_table_directive():
    from myst_nb.ext.glue.directives import PasteFigureDirective

    class GlueTableDirective(PasteFigureDirective):
        """Like ``{glue:figure}``, but the output is numbered as a table."""

        def run(self):
            out = super().run()
            fig = out[0]
            if isinstance(fig, nodes.figure):
                table = GluedTable(fig.rawsource, *fig.children, **fig.attributes)
                table["classes"].append("glued-table")
                out[0] = table
            return out

    return GlueTableDirective


# ----------------------------------------------------------------------------- linked numbers
# How the prose shows a number with no finite value (only a scenario edition can have one).
_NON_FINITE = {"inf": "∞ (never)", "-inf": "−∞", "nan": "no value"}


def _glue_text_role():
    from myst_nb.ext.glue.roles import PasteTextRole

    class LinkedPasteTextRole(PasteTextRole):
        """{glue:text}, keeping the key of the value it pastes, so that a published number can
        link to its row in the citable-values appendix (myst-nb's own role drops the key)."""

        def run(self):
            pasted, messages = super().run()
            for node in pasted:  # a scenario's "never pays back": a sign, not Python's "inf"
                for text in list(node.findall(nodes.Text)):
                    if text.parent is not None and text.astext() in _NON_FINITE:
                        text.parent.replace(text, nodes.Text(_NON_FINITE[text.astext()]))
            key = self.text.rsplit(":", 1)[0] if ":" in self.text.replace("::", "") else self.text
            holder = nodes.inline("", "", *pasted)
            holder["glue_key"] = key.split("::", 1)[-1]
            return ([holder] if pasted else []), messages

    return LinkedPasteTextRole()


def _link_glued_values(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each published number in the prose links to its row in the citable-values appendix."""
    appendix = "chapters/citable_values"
    holders = [n for n in doctree.findall(nodes.inline) if n.get("glue_key")]
    if not holders or docname == appendix:
        return
    published = set(_book().values_table()["key"])
    page = app.builder.get_relative_uri(docname, appendix)
    for node in holders:
        if node["glue_key"] not in published:
            continue  # a verdict word, a credit line: not a citable number
        link = nodes.reference("", "", *node.children, internal=True, classes=["value-link"],
                               refuri=f"{page}#{results.value_anchor(node['glue_key'])}")
        node.replace_self(link)


# ----------------------------------------------------------------------------- events
def _validate_data(app: Sphinx) -> None:
    """Point gpuecon (here and in every kernel the build starts) at this book, then stop the
    build before any notebook runs if a data file is malformed."""
    os.environ["GPUECON_ROOT"] = str(Path(app.srcdir).resolve())
    os.environ["GPUECON_BOOK_BUILD"] = "1"  # chapters glue for the book instead of showing
    # Skip re-validating files that passed last time unchanged (same sizes and mtimes, same
    # validation code): a rebuild with nothing changed stays fast.
    stamp = paths.book_root() / "_build" / ".data-validated.json"  # the same data in every edition
    fingerprint = json.dumps([list(map(str, f)) for f in data.package_fingerprint(paths.data_dir())]
                             + [Path(data.__file__).stat().st_mtime_ns])
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint:
        return
    data.load_all()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint, encoding="utf-8")


def _note_dependencies(app: Sphinx, docname: str, source: list[str]) -> None:
    """A chapter is re-read (and so re-executed) when data/ or the shared package changes."""
    if not _is_chapter(docname):
        return
    for path in paths.shared_chapter_inputs():
        app.env.note_dependency(str(path))


def _render_executed_copies(app: Sphinx, config) -> None:
    """A scenario edition renders the chapters gpuecon.execution runs (or reuses) first."""
    if scenarios.active() is not None:
        config.nb_execution_mode = "off"


def _run_scenario_chapters(app: Sphinx) -> None:
    """A scenario edition: before anything is read, run the chapters the scenario touches, in
    parallel, and reuse the others (gpuecon.execution)."""
    if scenarios.active() is None:
        return
    try:
        execution.prepare_scenario_edition()
    except execution.ChapterFailed as error:
        raise ExtensionError(f"The scenario edition stopped: {error}") from None


def _read_executed_copy(app: Sphinx, docname: str, source: list[str]) -> None:
    if scenarios.active() is None or not _is_chapter(docname):
        return
    copy = execution.executed_copy(Path(docname).name)
    if not copy.is_file():
        raise ExtensionError(f"{copy} is missing: a scenario edition's chapters run before its "
                             "build; build it with make scenario SCENARIO=file.csv")
    source[0] = copy.read_text(encoding="utf-8")


def _reread_generated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Pages built from data/ or the chapters' results follow any re-read document."""
    if not (added or changed or removed):
        return []
    app.gpuecon_results_changed = True
    return [doc for doc, meta in env.metadata.items() if meta.get(GENERATED_PAGES_KEY)]


def _drop_thebe_config(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """sphinx-thebe appends a live-kernel configuration to every page, naming its own example
    repository; the book has no live kernel, so the page carries none (runs after it)."""
    for node in list(doctree.findall(nodes.raw)):
        if "x-thebe-config" in node.astext() or node.astext().startswith("<script>kernelName"):
            node.parent.remove(node)


def _drop_thebe(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The book has no live-kernel buttons; sphinx-thebe (always loaded by Jupyter Book 1)
    would still add its config script twice per page (a console error) and a CDN address."""
    scripts = context.get("script_files", [])
    context["script_files"] = [
        js for js in scripts
        if "sphinx-thebe" not in str(js) and "THEBE_JS_URL" not in str(getattr(js, "attributes", {}).get("body", ""))
    ]


def _set_addresses(app: Sphinx, config) -> None:
    """The version's public address (BASE_URL overrides the configured base) becomes Sphinx's
    html_baseurl, so every page gets its canonical link; a changed address re-reads the book."""
    try:
        config.gpuecon_base_url = citation.base_url(config.gpuecon_base_url)
    except citation.AddressError as error:
        from sphinx.errors import ConfigError

        raise ConfigError(str(error)) from None
    scenario = scenarios.active()
    if scenario is None:
        config.html_baseurl = citation.version_url(config.gpuecon_base_url,
                                                   citation_meta()["version"])
        return
    # A scenario edition: no canonical address, and a banner on every page.
    config.html_baseurl = ""
    config.html_theme_options = {**config.html_theme_options,
                                 "announcement": _scenario_banner(scenario)}


def launch_options(repository_url: str) -> dict:
    """Theme options for Binder launch buttons on the chapters, given the book's repository
    (not its site). Binder builds from binder/ (the lock file and the package); Colab stays off,
    since a notebook opened alone there sees neither gpuecon nor data/."""
    if not repository_url:
        return {}
    return {"repository_url": repository_url, "repository_branch": "main", "path_to_docs": "",
            "use_repository_button": True,
            "launch_buttons": {"notebook_interface": "jupyterlab",
                               "binderhub_url": "https://mybinder.org"}}


def _set_launch_buttons(app: Sphinx, config) -> None:
    """Launch buttons appear only when the repository's address is set (REPOSITORY_URL, or
    gpuecon_repository_url in _config.yml); a scenario edition has none."""
    url = os.environ.get("REPOSITORY_URL") or config.gpuecon_repository_url
    if url and scenarios.active() is None:
        config.html_theme_options = {**config.html_theme_options, **launch_options(url)}


def _scenario_banner(scenario) -> str:
    import html

    changes = "; ".join(
        f"{c['label']} {c['book_value']:g} → {c['scenario_value']:g} {c['unit']}"
        + (" (outside the book's tested range)" if c["outside_tested_range"] else "")
        for c in scenario.changes())
    return (f"<strong>Scenario edition “{html.escape(scenario.name)}”</strong>: computed with a "
            f"reader's assumptions, not the book's published verdicts. Changed: "
            f"{html.escape(changes)}.")


def _page_metadata(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Every page says which version it is (the old-version banner reads it); a chapter page
    carries its verdicts as schema.org ClaimReview."""
    tags = [f'<meta name="book-version" content="{citation_meta()["version"]}">']
    stem = pagename.rsplit("/", 1)[-1]
    if scenarios.active() is not None:
        tags.append('<meta name="robots" content="noindex">')  # not the book's verdicts
    elif _is_chapter(pagename):
        reviews = citation.claim_reviews(_book().claims_table(), stem,
                                         f"{app.config.html_baseurl}{pagename}.html")
        if reviews:
            body = json.dumps(reviews, ensure_ascii=False, indent=1, sort_keys=True)
            tags.append('<script type="application/ld+json">\n'
                        + body.replace("</", "<\\/") + "\n</script>")
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"


def _publish(app: Sphinx, exception) -> None:
    """At build end: fix the built HTML, then write the exports if any result may have moved."""
    if exception is not None or app.builder.format != "html":
        return
    site = Path(app.outdir)
    site_html.refresh_static(Path(app.srcdir), site)
    site_html.label_code_toggles(site)
    if scenarios.active() is None:
        site_html.write_sitemap(site, app.config.html_baseurl,
                                sorted(app.env.found_docs - {"genindex", "search"}))
        exports.write_citation_file(site, app.config.html_baseurl)
    if not getattr(app, "gpuecon_results_changed", False) and \
            (site / paths.EXPORT_FOLDER / "values.csv").is_file():
        return  # nothing was re-read, so no result or input changed since the last export
    book = _book()
    out = exports.write_exports(book, site)
    if scenarios.active() is None:  # runnable copies of the published chapters
        for stem, doc in results.chapter_docs().items():
            exports.write_bundle(stem, app.env.titles[doc].astext(), out / "bundles")
    from . import charts  # the introduction's chart: the same downloads as every chapter figure's

    frame = book.claims_chart_frame()
    chart = charts.claims_overview_chart(
        frame, _claims_chart_links(app, app.config.root_doc, frame))
    charts.save_chart_downloads(chart, CLAIMS_CHART_NAME, frame, out / "figures")


def setup(app: Sphinx) -> dict:
    execution.encrypt_kernel_transport()
    # The book's public address; _config.yml sets it, BASE_URL overrides it (gpuecon.citation).
    app.add_config_value("gpuecon_base_url", "", "env")
    app.connect("config-inited", _set_addresses)
    # The repository's address, for launch buttons; empty: no buttons.
    app.add_config_value("gpuecon_repository_url", "", "env")
    app.connect("config-inited", _set_launch_buttons)
    app.connect("html-page-context", _page_metadata)
    app.add_node(_Placeholder)
    app.add_enumerable_node(
        GluedTable, "table", _glued_table_title, html=(_visit_glued_table, _depart_glued_table)
    )
    app.add_directive("glue-table", _glue_table_directive())
    app.add_role_to_domain("glue", "text", _glue_text_role(), override=True)
    app.connect("doctree-resolved", _link_glued_values)
    app.connect("doctree-resolved", _fill_chapter_status)
    app.add_directive("claims-scoreboard", ScoreboardDirective)
    app.add_directive("findings-summary", FindingsSummaryDirective)
    app.add_directive("claims-chart", ClaimsChartDirective)
    app.add_directive("book-version", BookVersionDirective)
    app.add_directive("reproducibility-record", ReproducibilityDirective)
    app.add_directive("scenario-changes", ScenarioChangesDirective)
    app.connect("doctree-resolved", _fill_scenario_changes)
    app.connect("doctree-resolved", _mark_scenario_text)
    app.add_directive("citable-values", CitableValuesDirective)
    app.connect("doctree-read", _append_how_to_cite)
    app.connect("doctree-resolved", _fill_citable_values)
    app.add_directive("sources-table", SourcesTableDirective)
    app.add_directive("assumptions-table", AssumptionsTableDirective)
    app.add_directive("data-dictionary", DataDictionaryDirective)
    app.connect("builder-inited", _validate_data)
    app.connect("builder-inited", _run_scenario_chapters)  # after the data are validated
    app.connect("config-inited", _render_executed_copies)
    app.connect("source-read", _note_dependencies)
    app.connect("source-read", _read_executed_copy)
    app.connect("env-get-outdated", _reread_generated)
    app.connect("doctree-resolved", _fill_scoreboard)
    app.connect("doctree-resolved", _fill_findings)
    app.connect("doctree-resolved", _fill_claims_chart)
    app.connect("html-page-context", _drop_thebe)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    app.connect("build-finished", _publish)
    return {"version": __version__, "parallel_read_safe": False, "parallel_write_safe": True}
