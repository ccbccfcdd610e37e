"""A reader's own assumptions: scenario files are checked like data, and a scenario edition says
what moved without touching the published book."""

import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest

from gpuecon import data, edition, scenarios
from gpuecon.site import execution

ROOT = Path(__file__).resolve().parents[1]


def _scenario(tmp_path, text, name="mine.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, row, column, words", [
    ("assumption_id,value\nutilization,0.7\n", 2, "assumption_id", "not an assumption"),
    ("assumption_id,value\nutilisation,seventy\n", 2, "value", "not a number"),
    ("assumption_id,value\nutilisation,0.7\nutilisation,0.6\n", 3, "assumption_id", "set twice"),
    ("assumption_id,value\n", 1, "-", "sets no assumption"),
    ("assumption_id,value\nutilisation,1.2\n", 2, "value", "not possible"),
    ("assumption_id,value\ncapex_per_gpu,-5000\n", 2, "value", "not possible"),
    ("assumption_id,value\nlifetime_years,0\n", 2, "value", "not possible"),
    ("assumption_id,value\nlifetime_years,4.5\n", 2, "value", "whole number"),
    ("id;value\nutilisation;0.7\n", 1, "-", "header must be"),
    ("# a description\nassumption_id,value\npue,0.9\n", 3, "value", "not possible"),
])
def test_a_bad_scenario_is_refused_naming_file_row_and_column(tmp_path, text, row, column, words):
    path = _scenario(tmp_path, text)
    with pytest.raises(data.DataError) as error:
        scenarios.load(path)
    message = str(error.value)
    assert message.splitlines()[0] == "A problem in the scenario file:", message
    assert str(path) in message and f"row {row}" in message and words in message, message
    assert (f"column '{column}'" if column != "-" else "column -") in message, message


def test_a_value_outside_the_tested_range_is_allowed_and_said(tmp_path):
    path = _scenario(tmp_path, "# Cheap power\nassumption_id,value,note\n"
                               "electricity_usd_per_kwh,0.0,free\nutilisation,0.7,\n")
    scenario = scenarios.load(path)
    assert scenario.description == "Cheap power"
    assert scenario.overrides == {"electricity_usd_per_kwh": 0.0, "utilisation": 0.7}
    assert list(scenario.outside_tested_range()) == ["electricity_usd_per_kwh"]


def test_a_scenario_replaces_the_value_and_widens_the_range(tmp_path, monkeypatch):
    path = _scenario(tmp_path, "assumption_id,value\nlifetime_years,8\n")
    monkeypatch.setenv(edition.SCENARIO_VARIABLE, str(path))
    current = edition.current()  # what a chapter's report is handed
    assert current.is_scenario and current.overrides == {"lifetime_years": 8}
    assume = data.assumptions(overrides=current.overrides)
    assert assume.value("lifetime_years", "years") == 8
    assert assume.range("lifetime_years", "years") == (3, 8)  # the book's 3-6, widened
    assert assume.book_values == {"lifetime_years": 5}
    monkeypatch.delenv(edition.SCENARIO_VARIABLE)
    assert not edition.current().is_scenario
    assert data.assumptions(overrides=edition.current().overrides).value(
        "lifetime_years", "years") == 5


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.csv")), ids=lambda p: p.name)
def test_the_shipped_scenarios_are_valid_and_described(path):
    scenario = scenarios.load(path)
    assert scenario.description and scenario.overrides


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            digest.update(p.relative_to(folder).as_posix().encode() + p.read_bytes())
    return digest.hexdigest()


def test_a_scenario_edition_says_what_moved_and_leaves_the_book_alone(tmp_path):
    published = ROOT / "_build" / "html"
    before = _tree_digest(published)
    # fewer hours, a shorter life than the book's five-year checks, power outside the tested range
    path = _scenario(tmp_path, "# Fewer hours rented\nassumption_id,value\nutilisation,0.7\n"
                               "lifetime_years,4\nelectricity_usd_per_kwh,0.3\n",
                     name="test_fewer_hours.csv")
    _make_scenario(path)
    edition = ROOT / "_build" / "scenarios" / "test_fewer_hours" / "html"
    assert _tree_digest(published) == before, "the scenario touched the published book"
    intro = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ",
                                         (edition / "chapters" / "intro.html").read_text()))
    assert "What changed in the scenario “test_fewer_hours”" in intro
    assert "Utilisation 80% 70%" in intro and "outside the book's tested range" in intro
    book = {r["claim_id"]: r["verdict"] for r in json.loads(
        (published / "artifacts" / "claims.json").read_text())["rows"]}
    claims = json.loads((edition / "artifacts" / "claims.json").read_text())
    assert claims["edition"] == "scenario" and claims["scenario"] == "test_fewer_hours"
    assert claims["overrides"][0]["scenario_value"] == 0.7
    moved = [r["claim_id"] for r in claims["rows"] if r["verdict"] != book[r["claim_id"]]]
    assert moved, "fewer hours rented should move an assumption-dependent verdict"
    assert f"{len(moved)} of 22 verdicts moved" in intro
    for claim_id in moved:  # named in the table, and marked where it is discussed
        assert claim_id in intro
    # each moved verdict says which change moved it, each made alone from the book's values
    assert "moved by (each change alone)" in intro
    labels = ("Utilisation (alone:", "Lifetime (alone:", "Electricity price (alone:",
              "only the changes together")
    table = intro[intro.index("moved by (each change alone)"):]
    assert sum(table.count(label) for label in labels) >= len(moved), table[:600]
    for aid in ("utilisation", "lifetime_years", "electricity_usd_per_kwh"):
        alone = edition.parent / "one_at_a_time" / aid / "results"
        assert (alone / "payback.json").is_file(), aid
    payback = (edition / "chapters" / "payback.html").read_text()
    assert "Scenario edition" in payback and "Utilisation 80% → 70%" in payback
    assert "Lifetime 5 years → 4 years" in payback
    assert "In this scenario" in payback
    assert 'rel="canonical"' not in payback and "ClaimReview" not in payback
    assert "How to cite this chapter" not in payback
    assert not (edition / "sitemap.xml").exists()
    # Only the chapters that read an overridden assumption ran; the others were reused, and a
    # reused chapter's page says what the published one says (less its citation block).
    ran = json.loads((edition.parent / "executed" / "chapters.json").read_text())
    assert {s for s, r in ran.items() if r["how"] == execution.RUN} == {
        "payback", "network_roi", "what_happened_next", "buying_2026"}, ran
    for stem in ("asml_bookings", "networking_arr"):
        assert ran[stem]["how"] == execution.REUSED
        assert _article_text(edition / "chapters" / f"{stem}.html") == \
            _article_text(published / "chapters" / f"{stem}.html"), stem
    baseline_note = "computed with the scenario's assumptions: where its text says “the book's baseline”"
    assert baseline_note in _article_text(edition / "chapters" / "what_happened_next.html")
    assert baseline_note not in _article_text(edition / "chapters" / "asml_bookings.html")
    status = _article_text(edition / "chapters" / "reproducibility.html")
    assert "bookings gap reused from the published build: it reads none" in status
    assert "network ROI per GPU run with the scenario's assumptions: it reads the utilisation" in status


def _make_scenario(path: Path) -> None:
    """`make scenario SCENARIO=path`, as the README gives it; it must succeed."""
    run = subprocess.run(["make", "--no-print-directory", "scenario", f"SCENARIO={path}"],
                         cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def _article_text(page: Path) -> str:
    """A page's words, without the "How to cite" block (a scenario edition has none)."""
    html = page.read_text(encoding="utf-8")
    html = html[html.index("<article"):html.index("</article>")]
    html = re.sub(r'<div class="how-to-cite.*?</div>', "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _edition_of(path: Path, monkeypatch) -> edition.Edition:
    monkeypatch.setenv(edition.SCENARIO_VARIABLE, str(path))
    return edition.current()


def test_a_scenario_runs_only_the_chapters_that_read_what_it_changes(tmp_path, monkeypatch):
    utilisation = _edition_of(_scenario(tmp_path, "assumption_id,value\nutilisation,0.7\n"),
                              monkeypatch)
    assert set(execution.plan(utilisation)) == {"payback", "network_roi", "what_happened_next",
                                                "buying_2026"}
    networked = _edition_of(_scenario(tmp_path, "assumption_id,value\nnetworked_share,0.5\n"),
                            monkeypatch)
    todo = execution.plan(networked)
    assert set(todo) == {"networking_arr"}, todo
    assert todo["networking_arr"] == "it reads the networked share of GPUs"


def test_a_chapter_changed_since_the_published_build_is_run_not_reused(tmp_path, monkeypatch):
    scenario = _edition_of(_scenario(tmp_path, "assumption_id,value\nnetworked_share,0.5\n"),
                           monkeypatch)
    monkeypatch.setattr(execution, "_newest_input", lambda stem: float("inf"))
    todo = execution.plan(scenario)
    assert set(todo) == {"asml_bookings", "network_roi", "networking_arr", "payback",
                         "what_happened_next", "buying_2026"}
    assert set(todo.values()) == {"the chapter, data/ or gpuecon/ changed since it last ran"}


def test_a_failing_chapter_is_named_with_its_cell_and_error(tmp_path):
    import asyncio
    import concurrent.futures

    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('data/assumptions.csv, row 3: not a number')")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    path = tmp_path / "broken.ipynb"
    nbformat.write(notebook, path)
    with pytest.raises(execution.ChapterFailed) as error:
        # on a thread of its own: a browser test in the same worker may hold this thread's loop
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, execution.run_notebook(path)).result()
    assert str(error.value) == (f"{path}, cell 2: ValueError: data/assumptions.csv, row 3: "
                                "not a number\n    line 1: raise ValueError('data/assumptions.csv, "
                                "row 3: not a number')")


UNREADABLE = re.compile(r"\b(?:inf|nan|NaN|None|none|Infinity)\b|∞")
# Words of the book's own prose that contain "none" as a word: what they say is not a number.
PROSE_WITH_NONE = ("counts none", "reads none of", "none for a statement", "contradicts; none",
                   "none finds", "None of the sources")


def _unreadable(page: Path) -> list[str]:
    """Text a reader sees that shows a number as inf, nan or none; and a chart whose spec
    carries such a value into an expression (it would not draw)."""
    html = page.read_text(encoding="utf-8")
    specs = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)
    bad_specs = [m.group(0) for spec in specs
                 for m in re.finditer(r'"(?:expr|calculate|as)": "(?:inf|nan|NaN|-inf)"', spec)]
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    text = re.sub(r'<div class="cell_input.*?</div>\s*</div>', " ", text, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    found = [text[max(0, m.start() - 40):m.end() + 20] for m in UNREADABLE.finditer(text)]
    return bad_specs + [f for f in found if not any(p in f for p in PROSE_WITH_NONE)]


def test_a_scenario_at_the_edge_builds_and_reads_in_words(tmp_path):
    """Nothing rented at all and the networked share at its floor: every chapter still runs,
    and no page shows inf, nan or none where a number would be; a citation says whose value it
    is and where the book's is."""
    path = _scenario(tmp_path, "# Nothing rented\nassumption_id,value\nutilisation,0\n"
                               "networked_share,0.01\ncomm_share_inference,1\n",
                     name="test_nothing_rented.csv")
    _make_scenario(path)
    edition_site = ROOT / "_build" / "scenarios" / "test_nothing_rented" / "html"
    problems = {page.name: _unreadable(page) for page in (edition_site / "chapters").glob("*.html")}
    assert not any(problems.values()), {k: v[:3] for k, v in problems.items() if v}
    payback = _article_text(edition_site / "chapters" / "payback.html")
    assert "never: the cash never covers the capex" in payback
    values = (edition_site / "chapters" / "citable_values.html").read_text(encoding="utf-8")
    cite = re.search(r'class="cite-text">(.*?)</span>', values, re.S).group(1)
    assert "scenario edition “test_nothing_rented”, not the book's published value" in cite
    assert "the published value: https://" in cite


def test_the_unreadable_check_finds_what_it_names(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<p>it pays back in inf years and returns nan% or None.</p><script>'
                    '{"calculate": "nan", "as": "base"}</script><p>A long sentence in between, and then '
                    'the prose: it counts none.</p>')
    assert len(_unreadable(page)) == 4
