"""Verdict rules (gpuecon.claims): each written case worked by hand, each outcome reachable."""

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpuecon.claims import (
    BORNE_OUT, DOES_NOT_HOLD, HOLDS, HOLDS_APPROX, UNSOURCED, Decision, core_decision,
    count_decision, digits_shown_precision, last_nonzero_precision, numeric_decision,
    probability_decision, probability_reason, reproduces, reproduction, size_decision,
    statements_decision)

ROOT = Path(__file__).resolve().parents[1]
BOOK = {"approximately_within": 0.10, "figure_precision": 0.5}


@pytest.mark.parametrize(
    "ours, comparison, stated, precision, high, expected",
    [
        (3939.39, "approx", 3900, 100, None, HOLDS),         # rounds to $3,900 at hundreds
        (3960.00, "approx", 3900, 100, None, HOLDS_APPROX),  # beyond 3,950, within 10 %
        (73.6, "approx", 18.4, 0.1, None, DOES_NOT_HOLD),    # a year against a quarter
        (53.13, "approx", 50, 10, None, HOLDS),              # a round $50 billion: 45 to 55
        (53.13, "approx", 50, 1, None, HOLDS_APPROX),        # every digit: 49.5 to 50.5
        (1.53, "at_most", 1.5, 0.1, None, HOLDS),            # "about 1.5 years": up to 1.55
        (1.60, "at_most", 1.5, 0.1, None, HOLDS_APPROX),     # within a tenth over the bound
        (2.85, "at_least", 5, None, None, DOES_NOT_HOLD),    # an exact bound, far short
        (0.19, "range", 0.18, 0.01, 0.20, HOLDS),
        (0.21, "range", 0.18, 0.01, 0.20, HOLDS_APPROX),
        (0.131, "range", 0.18, 0.01, 0.20, DOES_NOT_HOLD),
    ],
)
def test_numeric_decisions_worked_by_hand(ours, comparison, stated, precision, high, expected):
    decision = numeric_decision(ours, comparison, stated, precision=precision, stated_high=high,
                                **BOOK)
    assert decision.verdict == expected
    assert decision.value == ours


def test_a_numeric_decision_names_the_edges_it_compared_with():
    decision = numeric_decision(53.13, "approx", 50, precision=10, **BOOK)
    assert dict(decision.thresholds) == {"holds from": 45, "holds up to": 55,
                                         "holds approximately from": 45,
                                         "holds approximately up to": 55}
    assert decision.nearest_threshold() == ("holds up to", 55)


@pytest.mark.parametrize("args, message", [
    ((math.nan, "approx", 1.0), "finite"),
    ((1.0, "range", 2.0), "stated_high >= stated"),
    ((1.0, "judged", 1.0), "no numeric rule"),
])
def test_bad_arguments_raise(args, message):
    high = 1.0 if args[1] == "range" else None
    with pytest.raises(ValueError, match=message):
        numeric_decision(*args, precision=0.1, stated_high=high, **BOOK)


@given(stated=st.floats(0.01, 1e6), ratio=st.floats(0.0, 3.0),
       within=st.floats(0.0, 0.5), digits=st.integers(-3, 5))
def test_verdict_gets_no_better_as_the_miss_grows(stated, ratio, within, digits):
    rank = {HOLDS: 0, HOLDS_APPROX: 1, DOES_NOT_HOLD: 2}
    rule = {"precision": 10.0 ** digits, "approximately_within": within, "figure_precision": 0.5}
    near = numeric_decision(stated * (1 + ratio / 2), "approx", stated, **rule)
    far = numeric_decision(stated * (1 + ratio), "approx", stated, **rule)
    assert rank[near.verdict] <= rank[far.verdict]


@pytest.mark.parametrize("stated, last_nonzero, shown", [
    (3900, 100, 1), (1.5, 0.1, 0.1), (50, 10, 1), (142000, 1000, 1), (18.4, 0.1, 0.1),
    (0.27, 0.01, 0.01), (760, 10, 1), (13, 1, 1)])
def test_how_precisely_a_figure_was_written(stated, last_nonzero, shown):
    assert last_nonzero_precision(stated) == pytest.approx(last_nonzero)
    assert digits_shown_precision(stated) == pytest.approx(shown)


def test_the_register_gives_each_figure_the_precision_it_was_written_at():
    """claims.csv and arithmetic.csv hold each figure's precision as data; it must be the unit
    of the figure's last non-zero digit, the book's convention."""
    for name in ("claims", "arithmetic"):
        frame = pd.read_csv(ROOT / "data" / f"{name}.csv")
        written = frame.dropna(subset=["stated_precision", "stated_value"])
        assert len(written) >= 8
        for _, row in written.iterrows():
            assert row["stated_precision"] == pytest.approx(
                last_nonzero_precision(row["stated_value"])), row.to_dict()


@pytest.mark.parametrize("share, expected", [(0.95, HOLDS), (0.8, HOLDS), (0.5, HOLDS_APPROX),
                                             (0.2, DOES_NOT_HOLD), (0.0, DOES_NOT_HOLD)])
def test_probability_decisions(share, expected):
    decision = probability_decision(share, probability_holds=0.8, probability_fails=0.2)
    assert decision.verdict == expected


def test_another_probability_scale_moves_a_verdict():
    ipcc = probability_decision(0.7, probability_holds=0.66, probability_fails=0.33)
    book = probability_decision(0.7, probability_holds=0.8, probability_fails=0.2)
    assert (ipcc.verdict, book.verdict) == (HOLDS, HOLDS_APPROX)


def test_probability_decision_rejects_non_shares_and_crossed_thresholds():
    with pytest.raises(ValueError, match="between 0 and 1"):
        probability_decision(1.2, probability_holds=0.8, probability_fails=0.2)
    with pytest.raises(ValueError, match="probability_fails"):
        probability_decision(0.5, probability_holds=0.2, probability_fails=0.8)


@pytest.mark.parametrize("share, words", [
    (0.85, "at least the 80%"), (0.5, "between the 20%"), (0.1, "no more than the 20%")])
def test_a_share_of_draws_is_explained_as_its_verdict_decides(share, words):
    decision = probability_decision(share, probability_holds=0.8, probability_fails=0.2)
    assert probability_reason(decision).startswith(words)


@pytest.mark.parametrize("bearings, expected", [
    (set(), UNSOURCED), ({"qualifies"}, UNSOURCED), ({"supports"}, HOLDS),
    ({"supports", "qualifies"}, HOLDS_APPROX), ({"supports", "contradicts"}, HOLDS_APPROX),
    ({"contradicts"}, DOES_NOT_HOLD), ({"contradicts", "qualifies"}, DOES_NOT_HOLD)])
def test_statements_reach_every_verdict(bearings, expected):
    assert statements_decision(bearings).verdict == expected


@pytest.mark.parametrize("matching, evidence, expected", [
    (3, 5, HOLDS), (1, 5, HOLDS_APPROX), (0, 5, DOES_NOT_HOLD), (0, 0, UNSOURCED)])
def test_counted_evidence_reaches_every_verdict(matching, evidence, expected):
    assert count_decision(matching, 2, evidence).verdict == expected


@pytest.mark.parametrize("stated, observed, expected", [
    (-0.75, -0.70, HOLDS), (-0.75, -0.36, HOLDS_APPROX), (-0.75, 0.10, DOES_NOT_HOLD)])
def test_a_stated_change_reaches_every_verdict(stated, observed, expected):
    assert size_decision(stated, observed, 0.10).verdict == expected


@pytest.mark.parametrize("core, details, unsourced, expected", [
    (True, {"unit": True}, False, HOLDS), (True, {"unit": False}, False, HOLDS_APPROX),
    (False, {"unit": True}, False, DOES_NOT_HOLD), (True, {}, True, UNSOURCED)])
def test_a_core_and_its_details_reach_every_verdict(core, details, unsourced, expected):
    assert core_decision(core, details, unsourced=unsourced).verdict == expected


def test_reproduction_is_one_rule():
    assert reproduces(3939.39, "approx", 3900, precision=100, figure_precision=0.5)
    assert not reproduces(166_667, "approx", 150_000, precision=10_000, figure_precision=0.5)
    assert reproduces(1.25, "at_most", 1.5, precision=0.1, figure_precision=0.5)
    assert not reproduces(2.85, "at_least", 5, precision=None, figure_precision=0.5)
    assert reproduction(None) == "not a calculation"
    assert reproduction([True, True]) == "reproduces"
    assert reproduction([True, False]) == "does not reproduce"
    with pytest.raises(TypeError):
        reproduction([1])


def test_a_decision_takes_only_a_verdict():
    assert Decision(BORNE_OUT).verdict == BORNE_OUT
    with pytest.raises(ValueError):
        Decision("mostly true")


def test_count_phrase_agrees_with_its_number():
    from gpuecon.claims import count_phrase

    assert count_phrase(1, HOLDS) == "1 holds"
    assert count_phrase(4, HOLDS) == "4 hold"
    assert count_phrase(7, DOES_NOT_HOLD) == "7 do not hold"
    assert count_phrase(2, UNSOURCED) == "2 are unsourced"


def test_every_verdict_rule_is_asked_for_by_its_chapter():
    """The register's thresholds are the ones the chapters use (none left behind, none retyped)."""
    rules = pd.read_csv(ROOT / "data" / "verdict_rules.csv")
    claims = pd.read_csv(ROOT / "data" / "claims.csv").set_index("claim_id")["chapter"]
    forecasts = pd.read_csv(ROOT / "data" / "forecasts.csv").set_index("forecast_id")["chapter"]
    chapters = pd.concat([claims, forecasts])
    for _, rule in rules.iterrows():
        nb = json.loads((ROOT / "chapters" / f"{chapters[rule['target_id']]}.ipynb").read_text())
        code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert f'report.rule("{rule["target_id"]}", "{rule["rule"]}"' in code, rule.to_dict()


# --------------------------------------------- the rules at their edges, with what they return
from gpuecon import claims as rules  # noqa: E402


@pytest.mark.parametrize("comparison, stated, high, ours, verdict", [
    # 'about 10' at precision 1 (half 0.5): holds on [9.5, 10.5], approximately within 10%
    ("approx", 10.0, None, 9.5, rules.HOLDS), ("approx", 10.0, None, 10.5, rules.HOLDS),
    ("approx", 10.0, None, 9.0, rules.HOLDS_APPROX), ("approx", 10.0, None, 11.0, rules.HOLDS_APPROX),
    ("approx", 10.0, None, 8.99, rules.DOES_NOT_HOLD), ("approx", 10.0, None, 11.01, rules.DOES_NOT_HOLD),
    ("at_least", 10.0, None, 9.5, rules.HOLDS), ("at_least", 10.0, None, 9.0, rules.HOLDS_APPROX),
    ("at_least", 10.0, None, 8.99, rules.DOES_NOT_HOLD), ("at_least", 10.0, None, 1e9, rules.HOLDS),
    ("at_most", 10.0, None, 10.5, rules.HOLDS), ("at_most", 10.0, None, 11.0, rules.HOLDS_APPROX),
    ("at_most", 10.0, None, 11.01, rules.DOES_NOT_HOLD), ("at_most", 10.0, None, -1e9, rules.HOLDS),
    ("range", 10.0, 20.0, 9.5, rules.HOLDS), ("range", 10.0, 20.0, 20.5, rules.HOLDS),
    ("range", 10.0, 20.0, 9.0, rules.HOLDS_APPROX), ("range", 10.0, 20.0, 22.0, rules.HOLDS_APPROX),
    ("range", 10.0, 20.0, 8.99, rules.DOES_NOT_HOLD), ("range", 10.0, 20.0, 22.01, rules.DOES_NOT_HOLD),
])
def test_a_numeric_rule_at_each_edge_of_its_bands(comparison, stated, high, ours, verdict):
    decision = rules.numeric_decision(ours, comparison, stated, precision=1.0,
                                      approximately_within=0.1, figure_precision=0.5,
                                      stated_high=high)
    assert decision.verdict == verdict
    assert decision.value == ours
    edges = dict(decision.thresholds)
    if comparison in ("approx", "at_least", "range"):
        assert edges["holds from"] == pytest.approx(stated - 0.5)
        assert edges["holds approximately from"] == pytest.approx(stated * 0.9)
    if comparison in ("approx", "at_most", "range"):
        top = high if comparison == "range" else stated
        assert edges["holds up to"] == pytest.approx(top + 0.5)
        assert edges["holds approximately up to"] == pytest.approx(top * 1.1)
    # the post's own arithmetic is read on the same bands, without the 'approximately'
    assert rules.reproduces(ours, comparison, stated, precision=1.0, figure_precision=0.5,
                            stated_high=high) == (verdict == rules.HOLDS)


def test_a_rule_refuses_what_it_cannot_read():
    with pytest.raises(ValueError, match="stated_high >= stated"):
        rules.numeric_decision(5.0, "range", 10.0, precision=1.0, approximately_within=0.1,
                               figure_precision=0.5, stated_high=9.0)
    rules.numeric_decision(10.0, "range", 10.0, precision=1.0, approximately_within=0.1,
                           figure_precision=0.5, stated_high=10.0)  # a range of one point
    with pytest.raises(ValueError, match=r"one of \('approx', 'at_most', 'at_least', 'range'\)$"):
        rules.numeric_decision(5.0, "judged", 10.0, precision=1.0, approximately_within=0.1,
                               figure_precision=0.5)
    for within in (1.0, -0.1):
        with pytest.raises(ValueError, match="'approximately' must be a share below 1"):
            rules.numeric_decision(5.0, "approx", 10.0, precision=1.0,
                                   approximately_within=within, figure_precision=0.5)
    rules.numeric_decision(5.0, "approx", 10.0, precision=1.0, approximately_within=0.0,
                           figure_precision=0.5)
    for share in (1.0, 0.0):
        rules.probability_decision(share, probability_holds=0.8, probability_fails=0.2)
    rules.probability_decision(0.5, probability_holds=1.0, probability_fails=0.0)
    for holds, fails in ((0.5, 0.5), (1.1, 0.2), (0.8, -0.1)):
        with pytest.raises(ValueError, match="need 0 <= probability_fails < probability_holds <= 1"):
            rules.probability_decision(0.5, probability_holds=holds, probability_fails=fails)


def test_counts_probabilities_and_sizes_decide_at_their_edges_and_say_with_what():
    at = rules.count_decision(2, 2, 5)
    assert (at.verdict, at.value, at.thresholds) == (rules.HOLDS, 2.0, (("holds at or above", 2.0),))
    assert rules.count_decision(1, 2, 5).verdict == rules.HOLDS_APPROX
    assert rules.count_decision(0, 2, 5).verdict == rules.DOES_NOT_HOLD
    edge = rules.probability_decision(0.8, probability_holds=0.8, probability_fails=0.2)
    assert (edge.verdict, edge.value) == (rules.HOLDS, 0.8)
    assert edge.thresholds == (("holds at or above", 0.8), ("does not hold at or below", 0.2))
    assert rules.probability_decision(0.2, probability_holds=0.8,
                                      probability_fails=0.2).verdict == rules.DOES_NOT_HOLD
    size = rules.size_decision(-0.75, -0.65, 0.10)
    assert (size.verdict, size.value, size.thresholds) == (
        rules.HOLDS, pytest.approx(0.10), (("holds at or below", 0.10),))
    assert rules.size_decision(-0.75, -0.40, 0.10).verdict == rules.HOLDS_APPROX
    assert rules.size_decision(-0.75, 0.0, 0.10).verdict == rules.DOES_NOT_HOLD  # no direction
    assert rules.size_decision(-0.75, 0.05, 0.10).verdict == rules.DOES_NOT_HOLD
