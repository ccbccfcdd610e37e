"""Verdicts: how a stated figure and the book's own value give a verdict, by one set of rules.

Every threshold is data (`data/conventions.csv`, `data/verdict_rules.csv`, the register's
stated figures and their precision); the functions here only apply them:

- holds: our value rounds to the stated figure at the precision the post wrote it (within half
  a unit of its last non-zero digit), or lies on a stated bound's side;
- holds approximately: outside that, but within `approximately_within` of the stated figure;
- does not hold: further off, or contradicted by the sources;
- unsourced: no source could be found for what the claim rests on, so it cannot be checked;
- pending: the chapter that checks it is not written yet.

A claim that depends on assumptions is judged by the share of Monte Carlo draws in which it
holds, against `probability_holds` and `probability_fails`. Each rule returns a `Decision`:
the verdict, the value that decides it and the thresholds it was compared with, so a reader
can see the margin and a robustness check can re-run it under another reading.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

HOLDS = "holds"
HOLDS_APPROX = "holds approximately"
DOES_NOT_HOLD = "does not hold"
UNSOURCED = "unsourced"
PENDING = "pending"
VERDICTS = (HOLDS, HOLDS_APPROX, DOES_NOT_HOLD, UNSOURCED, PENDING)
# What became of a forecast.
BORNE_OUT, NOT_BORNE_OUT, TOO_EARLY = "borne out", "not borne out", "too early"
FORECAST_VERDICTS = (BORNE_OUT, NOT_BORNE_OUT, TOO_EARLY)
# Verdicts on a scale (unsourced and pending have no place on it).
GRADED = (DOES_NOT_HOLD, HOLDS_APPROX, HOLDS)

# Which way a verdict answers: 'holds' and 'holds approximately' differ in degree, not in
# answer; a reading that moves a claim between them does not reverse it.
_SIDES = {HOLDS: HOLDS, HOLDS_APPROX: HOLDS}


def side(verdict: str) -> str:
    """The answer a verdict gives, degree aside ('holds approximately' -> 'holds')."""
    return _SIDES.get(verdict, verdict)


# The first of the two questions every claim answers: does the post's own arithmetic, on its own
# stated or implied assumptions, give its figure? (The verdict answers the second: does the claim
# hold against the best evidence?)
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
           UNSOURCED: "are unsourced", PENDING: "are pending", BORNE_OUT: "are borne out",
           NOT_BORNE_OUT: "are not borne out", TOO_EARLY: "are too early to tell"}
_SINGULAR = {HOLDS: "holds", HOLDS_APPROX: "holds approximately", DOES_NOT_HOLD: "does not hold",
             UNSOURCED: "is unsourced", PENDING: "is pending", BORNE_OUT: "is borne out",
             NOT_BORNE_OUT: "is not borne out", TOO_EARLY: "is too early to tell"}


def count_phrase(n: int, verdict: str) -> str:
    return f"{n} {(_SINGULAR if n == 1 else _PLURAL)[verdict]}"


class VerdictChanged(AssertionError):
    """A verdict (or its robustness) differs from the one the chapter's text was written for."""


@dataclass(frozen=True)
class Decision:
    """A verdict with what decided it: `value` (ours, a share of draws, a gap) and the
    thresholds it was compared with, as (what crossing it means, where it lies)."""

    verdict: str
    value: float | None = None
    thresholds: tuple[tuple[str, float], ...] = ()

    def __post_init__(self):
        if self.verdict not in (*VERDICTS, *FORECAST_VERDICTS) or self.verdict == PENDING:
            raise ValueError(f"'{self.verdict}' is not a verdict a rule can give")

    def nearest_threshold(self) -> tuple[str, float] | None:
        """The threshold closest to the value: where the verdict would change first."""
        if self.value is None or not self.thresholds:
            return None
        return min(self.thresholds, key=lambda t: abs(t[1] - self.value))


COMPARISONS = ("approx", "at_most", "at_least", "range", "judged")


def digits_shown_precision(stated: float) -> float:
    """The unit of the last digit written, zeros included (18.4 -> 0.1, 3900 -> 1)."""
    text = repr(float(stated))
    decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    return 10.0 ** -decimals


def last_nonzero_precision(stated: float) -> float:
    """The unit of the last non-zero digit (3900 -> 100, 1.5 -> 0.1, 50 -> 10)."""
    unit = digits_shown_precision(stated)
    while unit < abs(stated) and round(stated / (unit * 10), 9) == round(stated / (unit * 10)):
        unit *= 10
    return unit


def _bands(comparison: str, stated: float, stated_high: float | None, precision: float,
           within: float, half: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """The intervals in which a value holds, and holds approximately."""
    slack = half * precision
    high = stated if stated_high is None else stated_high
    if comparison == "approx":
        holds = (stated - slack, stated + slack)
        wide = max(slack, within * abs(stated))
        return holds, (stated - wide, stated + wide)
    if comparison == "at_most":
        return (-math.inf, stated + slack), (-math.inf, stated + max(slack, within * abs(stated)))
    if comparison == "at_least":
        return (stated - slack, math.inf), (stated - max(slack, within * abs(stated)), math.inf)
    if comparison == "range":
        if high < stated:
            raise ValueError("a range needs stated_high >= stated")
        return ((stated - slack, high + slack),
                (stated - max(slack, within * abs(stated)), high + max(slack, within * abs(high))))
    raise ValueError(f"comparison '{comparison}' has no numeric rule; use one of "
                     f"{COMPARISONS[:-1]}")


def numeric_decision(ours: float, comparison: str, stated: float, *, precision: float | None,
                     approximately_within: float, figure_precision: float,
                     stated_high: float | None = None) -> Decision:
    """Our value against a stated figure, read at `precision` (None: an exact bound)."""
    if not math.isfinite(ours):
        raise ValueError(f"our value must be a finite number, got {ours!r}")
    if not 0 <= approximately_within < 1:
        raise ValueError(f"'approximately' must be a share below 1; got {approximately_within!r}")
    (lo, hi), (alo, ahi) = _bands(comparison, stated, stated_high, precision or 0.0,
                                  approximately_within, figure_precision)
    thresholds = tuple((what, edge) for what, edge in (
        ("holds from", lo), ("holds up to", hi), ("holds approximately from", alo),
        ("holds approximately up to", ahi)) if math.isfinite(edge))
    verdict = (HOLDS if lo <= ours <= hi else HOLDS_APPROX if alo <= ours <= ahi
               else DOES_NOT_HOLD)
    return Decision(verdict, float(ours), thresholds)


def reproduces(redone: float, comparison: str, stated: float, *, precision: float | None,
               figure_precision: float, stated_high: float | None = None) -> bool:
    """Does the post's arithmetic, redone, give its stated figure (read at its precision)?"""
    (lo, hi), _ = _bands(comparison, stated, stated_high, precision or 0.0, 0.0, figure_precision)
    return bool(lo <= redone <= hi)


def reproduction(redone: list[bool] | None) -> str:
    """The first answer, from each of the post's calculations redone (None: it computes none)."""
    if redone is None:
        return NOT_A_CALCULATION
    if not redone or any(type(r).__name__ not in ("bool", "bool_") for r in redone):
        raise TypeError(f"need one True/False per calculation; got {redone!r}")
    return REPRODUCES if all(redone) else DOES_NOT_REPRODUCE


def probability_decision(share_holding: float, *, probability_holds: float,
                         probability_fails: float) -> Decision:
    """holds if it holds in at least `probability_holds` of draws, does not hold if in at most
    `probability_fails`, holds approximately in between."""
    if not 0 <= share_holding <= 1:
        raise ValueError(f"a share of draws must be between 0 and 1; got {share_holding!r}")
    if not 0 <= probability_fails < probability_holds <= 1:
        raise ValueError("need 0 <= probability_fails < probability_holds <= 1")
    verdict = (HOLDS if share_holding >= probability_holds else
               DOES_NOT_HOLD if share_holding <= probability_fails else HOLDS_APPROX)
    return Decision(verdict, float(share_holding),
                    (("holds at or above", probability_holds),
                     ("does not hold at or below", probability_fails)))


def probability_reason(decision: Decision) -> str:
    """Where a share of draws stands against the thresholds, in words that follow its verdict."""
    holds_at = dict(decision.thresholds)["holds at or above"]
    fails_at = dict(decision.thresholds)["does not hold at or below"]
    if decision.verdict == HOLDS:
        return f"at least the {holds_at:.0%} the book needs to say a claim holds"
    if decision.verdict == DOES_NOT_HOLD:
        return f"no more than the {fails_at:.0%} at which the book says it does not hold"
    return (f"between the {fails_at:.0%} at which the book says a claim does not hold "
            f"and the {holds_at:.0%} it needs to say it holds")


def statements_decision(bearings: set[str]) -> Decision:
    """A qualitative claim from the bearings of the statements that count: none, or only
    qualifications -> unsourced; only support -> holds; support with qualifications or
    contradictions -> holds approximately; contradiction without support -> does not hold."""
    if not bearings & {"supports", "contradicts"}:
        return Decision(UNSOURCED)
    if bearings == {"supports"}:
        return Decision(HOLDS)
    if "supports" in bearings:
        return Decision(HOLDS_APPROX)
    return Decision(DOES_NOT_HOLD)


def count_decision(matching: int, needed: int, evidence: int) -> Decision:
    """A claim about several cases ('several large providers'): holds when at least `needed`
    of the evidence match it, holds approximately when fewer do, does not hold when none of it
    does, and is unsourced when there is no evidence at all."""
    if evidence == 0:
        return Decision(UNSOURCED)
    verdict = HOLDS if matching >= needed else HOLDS_APPROX if matching else DOES_NOT_HOLD
    return Decision(verdict, float(matching), (("holds at or above", float(needed)),))


def size_decision(stated_change: float, observed_change: float, gap_holds: float) -> Decision:
    """A stated change against the like-for-like one: holds when the two differ by at most
    `gap_holds`; holds approximately when only the direction is right; otherwise not."""
    gap = abs(stated_change - observed_change)
    same_direction = stated_change * observed_change > 0
    verdict = (HOLDS if gap <= gap_holds else HOLDS_APPROX if same_direction
               else DOES_NOT_HOLD)
    return Decision(verdict, float(gap), (("holds at or below", gap_holds),))


def core_decision(core: bool, details: dict[str, bool], *, unsourced: bool = False) -> Decision:
    """A claim with a core and details (less than half, and the figures and their currency; the
    prices, and their unit): does not hold when its core fails; holds when every detail is right
    too; holds approximately when some detail is wrong. Unsourced when its core has no source."""
    if unsourced:
        return Decision(UNSOURCED)
    right = sum(map(bool, details.values()))
    return Decision(DOES_NOT_HOLD if not core else HOLDS if right == len(details)
                    else HOLDS_APPROX)
