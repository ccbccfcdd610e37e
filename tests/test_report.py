"""What a chapter publishes (gpuecon.report): glued values, verdicts, the results file."""

import json

import pytest

from gpuecon import edition
from gpuecon import report as report_module
from gpuecon.report import values as report_values
from gpuecon.claims import (DOES_NOT_HOLD, HOLDS, HOLDS_APPROX, UNSOURCED, Decision,
                            VerdictChanged)

# A reason as a reader would read it (with a number, no code vocabulary).
READER_REASON = "Ours is 3,939 against the 3,900 stated."
N03_REDONE = {"arr_per_gpu": 13e9 / 3.3e6}  # the post's own division (data/arithmetic.csv)
N04_REDONE = {"arr_to_blended_asp": 3900 / 21700}


@pytest.fixture
def glued(monkeypatch):
    store = {}
    monkeypatch.setattr(report_values, "glue", lambda key, value: store.__setitem__(key, value))
    return store


@pytest.fixture
def chapter(book_copy, glued):
    return report_module.ChapterReport("networking_arr", as_of="2024-01-28")


def test_check_glues_value_verdict_and_stated(chapter, glued):
    verdict = chapter.check("N03", 3939.39, reason=READER_REASON, redone=N03_REDONE, unit="USD", fmt=",.0f", expect=HOLDS)
    assert verdict == HOLDS
    assert glued["n03_ours"] == pytest.approx(3939.39)
    assert glued["n03_verdict"] == HOLDS
    assert glued["n03_stated"] == "$3,900 per GPU per year"
    assert chapter.values["n03_ours"].display == "3,939"
    assert chapter.values["n03_ours"].claim_id == "N03"
    assert glued["n03_reproduction"] == "reproduces"


def test_the_two_answers_are_kept_apart(chapter, glued):
    """A claim's arithmetic can reproduce while the claim fails; which claims are calculations is
    the register's to say, not the chapter's."""
    chapter.check("N03", 6000.0, reason=READER_REASON, redone=N03_REDONE, unit="USD",
                  fmt=",.0f", expect=DOES_NOT_HOLD)
    result = chapter.claims["N03"]
    assert (result.reproduction, result.verdict) == ("reproduces", DOES_NOT_HOLD)
    assert result.redone == [{"calculation_id": "arr_per_gpu", "calculation": "$13 billion of networking ARR divided by 3.3 "
                              "million GPUs", "redone": pytest.approx(3939.39, abs=0.01),
                              "stated": 3900.0, "reproduces": True}]
    chapter.judge("N05", Decision(HOLDS_APPROX), reason=READER_REASON, redone=None,
                  expect=HOLDS_APPROX)
    assert chapter.claims["N05"].reproduction == "not a calculation"
    with pytest.raises(ValueError, match="lists the calculations"):
        chapter.judge("N04", Decision(HOLDS_APPROX), reason=READER_REASON, redone=None,
                      expect=HOLDS_APPROX)
    chapter.judge("N04", Decision(HOLDS_APPROX), reason=READER_REASON,
                  redone={"arr_to_blended_asp": 0.25}, expect=HOLDS_APPROX)
    assert chapter.claims["N04"].reproduction == "does not reproduce"


def test_a_verdict_comes_from_a_rule(chapter):
    with pytest.raises(TypeError, match="Decision"):
        chapter.judge("N05", HOLDS_APPROX, reason=READER_REASON, redone=None,
                      expect=HOLDS_APPROX)


def test_a_flipped_verdict_fails_loudly(chapter):
    with pytest.raises(VerdictChanged, match="expects 'holds' but the data now give 'does not hold'"):
        chapter.check("N03", 6000, reason=READER_REASON, redone=N03_REDONE, unit="USD", fmt=",.0f", expect=HOLDS)


def test_claim_of_another_chapter_is_refused(chapter):
    with pytest.raises(ValueError, match="belongs to chapter 'payback'"):
        chapter.check("B01", 1.2, reason=READER_REASON, redone=None, unit="years", fmt=".1f", expect=HOLDS)


def test_unknown_claim_is_refused(chapter):
    with pytest.raises(KeyError, match="unknown claim id 'N99'"):
        chapter.check("N99", 1.0, reason=READER_REASON, redone=None, unit="x", fmt="g", expect=HOLDS)


def test_numeric_claims_cannot_be_judged_by_hand(chapter):
    with pytest.raises(ValueError, match="use check"):
        chapter.judge("N03", Decision(HOLDS), reason=READER_REASON, redone=N03_REDONE, expect=HOLDS)


def test_judged_claim_needs_published_evidence(chapter):
    with pytest.raises(KeyError, match="evidence keys"):
        chapter.judge("N04", Decision(HOLDS_APPROX), reason=READER_REASON, redone=N04_REDONE,
                      expect=HOLDS_APPROX, evidence_keys=("not_published",))


def test_verdict_from_statements(chapter):
    assert chapter.judge_from_statements("N02", reason=READER_REASON, expect=UNSOURCED) == UNSOURCED
    assert chapter.judge_from_statements("N05", reason=READER_REASON, expect=HOLDS_APPROX) == HOLDS_APPROX


def test_statements_that_only_qualify_give_unsourced(book_copy, glued):
    path = book_copy / "data" / "statements.csv"
    path.write_text(path.read_text().replace(",confirmed,supports,", ",confirmed,qualifies,"))
    chapter = report_module.ChapterReport("networking_arr", as_of="2024-01-28")
    assert chapter.judge_from_statements("N05", reason=READER_REASON, expect=UNSOURCED) == UNSOURCED


def test_statements_that_only_contradict_give_does_not_hold(book_copy, glued):
    path = book_copy / "data" / "statements.csv"
    text = path.read_text().replace(",confirmed,supports,", ",confirmed,contradicts,")
    text = text.replace(",confirmed,qualifies,", ",confirmed,contradicts,")
    path.write_text(text)
    chapter = report_module.ChapterReport("networking_arr", as_of="2024-01-28")
    assert chapter.judge_from_statements("N05", reason=READER_REASON, expect=DOES_NOT_HOLD) == DOES_NOT_HOLD


def test_bad_values_are_refused(chapter):
    with pytest.raises(ValueError, match="not finite"):
        chapter.value("x", float("nan"), unit="u", fmt="g", description="d")
    with pytest.raises(ValueError, match="snake_case"):
        chapter.value("Bad-Key", 1.0, unit="u", fmt="g", description="d")
    chapter.value("once", 1.0, unit="u", fmt="g", description="d")
    with pytest.raises(ValueError, match="published twice"):
        chapter.value("once", 2.0, unit="u", fmt="g", description="d")


def test_save_refuses_a_chapter_that_skips_claims(chapter):
    chapter.check("N03", 3939.39, reason=READER_REASON, redone=N03_REDONE, unit="USD", fmt=",.0f", expect=HOLDS)
    with pytest.raises(AssertionError, match=r"leaves claims unchecked: \['N01', 'N02', 'N04', 'N05'\]"):
        chapter.save()


def test_save_writes_sorted_deterministic_results(book_copy, glued):
    def run():
        ch = report_module.ChapterReport("networking_arr", as_of="2024-01-28")
        ch.value("zeta", 2.0, unit="u", fmt="g", description="d")
        ch.value("alpha", 1.0, unit="u", fmt="g", description="d", as_of="2023")
        ch.check("N01", 73.6, reason=READER_REASON, redone=None, unit="USD bn", fmt=".1f", expect=DOES_NOT_HOLD)
        ch.judge_from_statements("N02", reason=READER_REASON, expect=UNSOURCED)
        ch.check("N03", 3939.39, reason=READER_REASON, redone=N03_REDONE, unit="USD", fmt=",.0f", expect=HOLDS)
        ch.judge("N04", Decision(HOLDS_APPROX), reason=READER_REASON, redone=N04_REDONE, expect=HOLDS_APPROX)
        ch.judge_from_statements("N05", reason=READER_REASON, expect=HOLDS_APPROX)
        ch.save()
        return (book_copy / "_build" / "results" / "networking_arr.json").read_bytes()

    first, second = run(), run()
    assert first == second
    out = json.loads(first)
    assert [v["key"] for v in out["values"]] == sorted(v["key"] for v in out["values"])
    assert {v["key"]: v["as_of"] for v in out["values"]}["alpha"] == "2023"
    assert [c["claim_id"] for c in out["claims"]] == ["N01", "N02", "N03", "N04", "N05"]


@pytest.mark.parametrize("reason, problem", [
    ("0.0% from the stated figure (at_most; holds within 0%)", "code's vocabulary"),
    ("From 3 statement(s) in data/statements.csv (3 confirmed).", "code's vocabulary"),
    ("The figure is read as a year, not a quarter.", "needs the numbers"),
    ("ours is 73.6, four times the stated 18.4", "a sentence"),
])
def test_reasons_a_reader_cannot_use_are_refused(chapter, glued, reason, problem):
    with pytest.raises(report_module.ReasonError, match=problem):
        chapter.check("N03", 3939.39, reason=reason, redone=N03_REDONE, unit="USD", fmt=",.0f", expect=HOLDS)


def test_a_claim_without_a_stated_figure_may_have_a_reason_without_numbers(chapter, glued):
    # N05 states no single figure: a reason in words is enough
    assert report_module.check_reason("Dell'Oro said so, with a caveat.", "N05", numeric=False)
    with pytest.raises(report_module.ReasonError):
        report_module.check_reason("Dell'Oro said so, with a caveat.", "N05", numeric=True)


def test_stated_figure_comes_from_the_register(chapter):
    assert chapter.stated("N09") == 142000
    with pytest.raises(ValueError, match="states no single figure"):
        chapter.stated("N05")


@pytest.mark.parametrize("statement", [
    "round(payback_470_article, 2) == 1.25",      # code, not words
    "payback_470_baseline > 1.5",
    "blended.any()",
    "the post's rate is below MLPerf's",           # not a sentence a reader is shown
])
def test_a_guard_statement_must_be_plain_words(chapter, statement):
    with pytest.raises(ValueError, match="not code"):
        chapter.guard(True, statement)


def test_a_failed_guard_stops_the_book_and_says_what_the_text_says(chapter):
    statement = "The post's $3,900 is neither the lowest nor the highest reading."
    assert chapter.guard(True, statement)
    with pytest.raises(VerdictChanged, match=r"its text says “The post's \$3,900 is neither"):
        chapter.guard(False, statement)


def test_a_scenario_records_a_failed_guard_in_plain_words(tmp_path, monkeypatch, glued):
    scenario = tmp_path / "mine.csv"
    scenario.write_text("assumption_id,value\nnetworked_share,0.5\n", encoding="utf-8")
    monkeypatch.setenv(edition.SCENARIO_VARIABLE, str(scenario))
    chapter = report_module.ChapterReport("networking_arr", as_of="2024-01-28")
    statement = "In every cluster size the network's share is below Epoch AI's."
    assert chapter.guard(False, statement) is False
    assert chapter.prose_flags == [statement]


def test_a_scenario_value_with_no_finite_number_is_said_in_words(tmp_path, monkeypatch, glued):
    scenario = tmp_path / "mine.csv"
    scenario.write_text("assumption_id,value\nnetworked_share,0.5\n", encoding="utf-8")
    monkeypatch.setenv(edition.SCENARIO_VARIABLE, str(scenario))
    chapter = report_module.ChapterReport("networking_arr", as_of="2024-01-28")
    chapter.value("payback_never", float("inf"), unit="years", fmt=".2f",
                  description="Payback at $2.85 under the book's baseline")
    assert chapter.prose_flags == ["Payback at $2.85 under the book's baseline has no finite "
                                   "value in this scenario; where the text quotes it, it reads "
                                   "“never”."]


def _decide(price=2.0, **reading):
    """A made-up decision: holds when the price is at most 2 (or another reading's limit)."""
    limit = reading.get("limit", 2.0)
    return Decision(HOLDS if price <= limit else DOES_NOT_HOLD, price, (("holds up to", limit),))


def test_robustness_runs_every_declared_reading(book_copy, glued):
    """A declared reading that flips the verdict makes it depend on the reading, with the margin
    and the tipping point; the answer the text expects is guarded like a verdict."""
    (book_copy / "data" / "alternatives.csv").write_text(
        "target,alternative_id,changes,description,why,source_id,declared\n"
        "N05,dearer,price=2.5,A dearer price,It is as defensible.,ours,before computing\n"
        "N05,looser,limit=3,A looser limit,It is as defensible.,ours,before computing\n", encoding="utf-8")
    (book_copy / "data" / "tipping_points.csv").write_text(
        "target_id,parameter,low,high,words,prefix,fmt,suffix,source_id\n"
        "N05,price,1,3,the price,$,.2f,,ours\n", encoding="utf-8")
    chapter = report_module.ChapterReport("networking_arr", as_of="2024-01-28")
    chapter.judge("N05", _decide(), reason=READER_REASON, redone=None, expect=HOLDS)
    from gpuecon.robustness import DEPENDS, ROBUST

    with pytest.raises(VerdictChanged, match="readings now say 'depends on the reading'"):
        chapter.robustness("N05", _decide, deciding="The price", fmt=".2f", expect=ROBUST)
    answer = chapter.robustness("N05", _decide, deciding="The price", fmt=".2f", expect=DEPENDS,
                                keeps="The book keeps its verdict, at 2.00.")
    record = chapter.claims["N05"].robustness
    assert answer == DEPENDS and record["answer"] == DEPENDS
    assert [(r["alternative_id"], r["verdict"]) for r in record["readings"]] == [
        ("dearer", DOES_NOT_HOLD), ("looser", HOLDS)]
    assert record["margin"] == "2.00, against the 2.00 where the verdict changes"
    assert record["tipping_points"] == ["It does not hold if the price is $2.00 or more."]
    assert glued["n05_robustness"] == DEPENDS


def test_a_reading_the_decision_cannot_take_is_named_by_row(book_copy, glued):
    (book_copy / "data" / "alternatives.csv").write_text(
        "target,alternative_id,changes,description,why,source_id,declared\n"
        "N05,typo,prise=2.5,A dearer price,It is as defensible.,ours,before computing\n", encoding="utf-8")
    chapter = report_module.ChapterReport("networking_arr", as_of="2024-01-28")
    chapter.judge("N05", _decide(), reason=READER_REASON, redone=None, expect=HOLDS)
    from gpuecon.robustness import ReadingError

    def strict(price=2.0):
        return _decide(price)

    with pytest.raises(ReadingError, match=r"alternatives.csv, row 2, column 'changes': .* 'prise'"):
        chapter.robustness("N05", strict, deciding="The price", fmt=".2f", expect="robust")
