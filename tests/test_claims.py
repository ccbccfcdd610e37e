"""Verdict rules (gpuecon.claims)."""

import math

import pandas as pd

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpuecon.claims import (
    DOES_NOT_HOLD, HOLDS, HOLDS_APPROX, numeric_verdict, relative_miss,
)


@pytest.mark.parametrize(
    "ours, comparison, stated, high, expected",
    [
        (3939.39, "approx", 3900, None, HOLDS),          # 1.0 % off, tolerance 2 %
        (4200, "approx", 3900, None, HOLDS_APPROX),      # 7.7 % off, within 10 %
        (73.6, "approx", 18.4, None, DOES_NOT_HOLD),     # a year vs a quarter
        (1.21, "at_most", 1.5, None, HOLDS),             # "payback < 1.5 years"
        (1.6, "at_most", 1.5, None, HOLDS_APPROX),       # 6.7 % over the bound
        (2.85, "at_least", 5, None, DOES_NOT_HOLD),      # "more than 5 years"
        (0.19, "range", 0.18, 0.20, HOLDS),
        (0.21, "range", 0.18, 0.20, HOLDS_APPROX),
        (0.131, "range", 0.18, 0.20, DOES_NOT_HOLD),
    ],
)
def test_numeric_verdicts(ours, comparison, stated, high, expected):
    assert numeric_verdict(ours, comparison, stated, 0.02, 0.10, high) == expected


def test_relative_miss_is_zero_inside_a_bound_or_range():
    assert relative_miss(1.0, "at_most", 1.5) == 0
    assert relative_miss(6.0, "at_least", 5) == 0
    assert relative_miss(0.19, "range", 0.18, 0.20) == 0


def test_relative_miss_values():
    assert relative_miss(3939.39, "approx", 3900) == pytest.approx(0.0101, abs=1e-4)
    assert relative_miss(1.65, "at_most", 1.5) == pytest.approx(0.10)
    assert relative_miss(0.22, "range", 0.18, 0.20) == pytest.approx(0.10)


@pytest.mark.parametrize(
    "args, message",
    [
        ((math.nan, "approx", 1.0), "finite"),
        ((1.0, "approx", 0.0), "stated value of 0"),
        ((1.0, "range", 2.0, 1.0), "stated_high >= stated"),
        ((1.0, "judged", 1.0), "no numeric rule"),
    ],
)
def test_bad_arguments_raise(args, message):
    with pytest.raises(ValueError, match=message):
        relative_miss(*args)


def test_tolerances_must_be_ordered():
    with pytest.raises(ValueError, match="tolerance"):
        numeric_verdict(1.0, "approx", 1.0, 0.2, 0.1)


@given(
    stated=st.floats(0.01, 1e6),
    ratio=st.floats(0.0, 3.0),
    tol=st.floats(0.0, 0.5),
)
def test_verdict_gets_no_better_as_the_miss_grows(stated, ratio, tol):
    rank = {HOLDS: 0, HOLDS_APPROX: 1, DOES_NOT_HOLD: 2}
    near = numeric_verdict(stated * (1 + ratio / 2), "approx", stated, tol, 2 * tol)
    far = numeric_verdict(stated * (1 + ratio), "approx", stated, tol, 2 * tol)
    assert rank[near] <= rank[far]


@pytest.mark.parametrize("share, expected", [(0.95, HOLDS), (0.8, HOLDS), (0.5, HOLDS_APPROX),
                                             (0.2, DOES_NOT_HOLD), (0.0, DOES_NOT_HOLD)])
def test_probability_verdict(share, expected):
    from gpuecon.claims import probability_verdict

    assert probability_verdict(share) == expected


def test_probability_verdict_rejects_non_shares():
    from gpuecon.claims import probability_verdict

    with pytest.raises(ValueError, match="between 0 and 1"):
        probability_verdict(1.2)


def test_count_phrase_agrees_with_its_number():
    from gpuecon.claims import DOES_NOT_HOLD, HOLDS, UNSOURCED, count_phrase

    assert count_phrase(1, HOLDS) == "1 holds"
    assert count_phrase(4, HOLDS) == "4 hold"
    assert count_phrase(7, DOES_NOT_HOLD) == "7 do not hold"
    assert count_phrase(2, UNSOURCED) == "2 are unsourced"


def test_every_verdict_rule_is_asked_for_by_its_claims_chapter():
    """The register's thresholds are the ones the chapters use (none left behind, none retyped)."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    rules = pd.read_csv(root / "data" / "verdict_rules.csv")
    chapters = pd.read_csv(root / "data" / "claims.csv").set_index("claim_id")["chapter"]
    for _, rule in rules.iterrows():
        nb = json.loads((root / "chapters" / f"{chapters[rule['claim_id']]}.ipynb").read_text())
        code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert f'report.rule("{rule["claim_id"]}", "{rule["rule"]}"' in code, rule.to_dict()


@pytest.mark.parametrize("share, words", [
    (0.85, "at least the 80%"), (0.5, "between the 20%"), (0.1, "no more than the 20%")])
def test_a_share_of_draws_is_explained_as_its_verdict_decides(share, words):
    from gpuecon.claims import probability_reason

    assert probability_reason(share).startswith(words)
