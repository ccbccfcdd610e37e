"""Verdicts: how a claim's stated figure compares with the book's own value.

The rules live here, once; tolerances live per claim in `data/claims.csv`.

- holds: within the claim's `tolerance_holds` (or on the right side of a stated bound);
- holds approximately: outside that, but within `tolerance_approx`;
- does not hold: further off, or contradicted by the sources;
- unsourced: no source could be found for what the claim rests on, so it cannot be checked;
- pending: the chapter that checks it is not written yet.
"""

from __future__ import annotations

import math

HOLDS = "holds"
HOLDS_APPROX = "holds approximately"
DOES_NOT_HOLD = "does not hold"
UNSOURCED = "unsourced"
PENDING = "pending"
VERDICTS = (HOLDS, HOLDS_APPROX, DOES_NOT_HOLD, UNSOURCED, PENDING)

# The first of the two questions every claim answers: does the post's own arithmetic, on its own
# stated or implied assumptions, give its figure? (The verdict above answers the second: does
# the claim hold against the best evidence?)
REPRODUCES = "reproduces"
DOES_NOT_REPRODUCE = "does not reproduce"
NOT_A_CALCULATION = "not a calculation"
REPRODUCTIONS = (REPRODUCES, DOES_NOT_REPRODUCE, NOT_A_CALCULATION)
# The same, as a sentence for readers and for ClaimReview's review text.
REPRODUCTION_SENTENCES = {
    REPRODUCES: "The post's own arithmetic reproduces its figure.",
    DOES_NOT_REPRODUCE: "The post's own arithmetic does not give its figure.",
    NOT_A_CALCULATION: "The claim reports something; there is no arithmetic of the post's to redo.",
}


def reproduction(reproduces: bool | None) -> str:
    """True/False: the post's arithmetic gives (or not) its figure; None: nothing to compute."""
    if reproduces is None:
        return NOT_A_CALCULATION
    if type(reproduces).__name__ not in ("bool", "bool_"):  # a Python or a numpy comparison
        raise TypeError(f"reproduces must be True, False or None; got {reproduces!r}")
    return REPRODUCES if reproduces else DOES_NOT_REPRODUCE


# CSS classes of the verdict badges (styled in _static/book.css).
CSS_CLASSES = {
    HOLDS: "verdict-holds",
    HOLDS_APPROX: "verdict-approx",
    DOES_NOT_HOLD: "verdict-fails",
    UNSOURCED: "verdict-unsourced",
    PENDING: "verdict-pending",
}

# "4 hold", "1 holds": a verdict as the verb of a count, for sentences built from results.
_PLURAL = {HOLDS: "hold", HOLDS_APPROX: "hold approximately", DOES_NOT_HOLD: "do not hold",
           UNSOURCED: "are unsourced", PENDING: "are pending"}
_SINGULAR = {HOLDS: "holds", HOLDS_APPROX: "holds approximately", DOES_NOT_HOLD: "does not hold",
             UNSOURCED: "is unsourced", PENDING: "is pending"}


def count_phrase(n: int, verdict: str) -> str:
    return f"{n} {(_SINGULAR if n == 1 else _PLURAL)[verdict]}"


COMPARISONS = ("approx", "at_most", "at_least", "range", "judged")


def relative_miss(ours: float, comparison: str, stated: float, stated_high: float | None = None) -> float:
    """How far `ours` falls outside what the claim states, as a share of the stated figure.

    0 means the claim is met exactly (or, for bounds and ranges, met at all).
    """
    if not math.isfinite(ours):
        raise ValueError(f"our value must be a finite number, got {ours!r}")
    if stated == 0:
        raise ValueError("a stated value of 0 has no relative tolerance; use an absolute check")
    if comparison == "approx":
        return abs(ours - stated) / abs(stated)
    if comparison == "at_most":  # the claim says "less than stated"
        return max(0.0, (ours - stated) / abs(stated))
    if comparison == "at_least":  # the claim says "more than stated"
        return max(0.0, (stated - ours) / abs(stated))
    if comparison == "range":
        if stated_high is None or stated_high < stated:
            raise ValueError("a range needs stated_high >= stated")
        if ours < stated:
            return (stated - ours) / abs(stated)
        if ours > stated_high:
            return (ours - stated_high) / abs(stated_high)
        return 0.0
    raise ValueError(f"comparison '{comparison}' has no numeric rule; use one of {COMPARISONS[:-1]}")


def numeric_verdict(
    ours: float,
    comparison: str,
    stated: float,
    tolerance_holds: float,
    tolerance_approx: float,
    stated_high: float | None = None,
) -> str:
    if not 0 <= tolerance_holds <= tolerance_approx:
        raise ValueError("need 0 <= tolerance_holds <= tolerance_approx")
    miss = relative_miss(ours, comparison, stated, stated_high)
    if miss <= tolerance_holds:
        return HOLDS
    if miss <= tolerance_approx:
        return HOLDS_APPROX
    return DOES_NOT_HOLD


# A claim that holds under some assumptions and not others: the share of Monte Carlo draws
# (over every assumption's range) in which it holds decides.
PROBABILITY_HOLDS = 0.8
PROBABILITY_FAILS = 0.2


def probability_verdict(share_holding: float) -> str:
    """holds if it holds in at least 80 % of draws, does not hold if in at most 20 %,
    holds approximately in between."""
    if not 0 <= share_holding <= 1:
        raise ValueError(f"a share of draws must be between 0 and 1; got {share_holding!r}")
    if share_holding >= PROBABILITY_HOLDS:
        return HOLDS
    if share_holding <= PROBABILITY_FAILS:
        return DOES_NOT_HOLD
    return HOLDS_APPROX


def probability_reason(share_holding: float) -> str:
    """Where a share of draws stands against the thresholds, in words that follow the verdict
    `probability_verdict` gives it (for a claim's reason)."""
    verdict = probability_verdict(share_holding)
    if verdict == HOLDS:
        return f"at least the {PROBABILITY_HOLDS:.0%} the book needs to say a claim holds"
    if verdict == DOES_NOT_HOLD:
        return f"no more than the {PROBABILITY_FAILS:.0%} at which the book says it does not hold"
    return (f"between the {PROBABILITY_FAILS:.0%} at which the book says a claim does not hold "
            f"and the {PROBABILITY_HOLDS:.0%} it needs to say it holds")


class VerdictChanged(AssertionError):
    """A verdict differs from the one the chapter's text was written for."""
