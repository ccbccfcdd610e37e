"""A chapter's two answers for each claim (does the post's arithmetic reproduce; does the claim
hold), and the outcome of each forecast, checked against what the chapter's text expects. Every
verdict comes from a rule in `gpuecon.claims` applied to data (a `Decision`), never typed."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from .. import claims as verdicts
from .. import data
from ..claims import Decision
from ..results import ClaimResult
from . import values
from .reasons import check_reason


class Badge:
    """A verdict shown as a coloured badge (classes styled in _static/book.css)."""

    def __init__(self, verdict: str):
        self.verdict = verdict

    def _repr_html_(self) -> str:
        return f'<span class="verdict {verdicts.CSS_CLASSES[self.verdict]}">{self.verdict}</span>'

    def __repr__(self) -> str:
        return self.verdict


# The conventions' units, as data/conventions.csv states them.
_SHARE = "share of the stated figure"
_DIGIT = "share of the stated figure's last significant unit"
_DRAWS = "share of draws"


class ClaimVerdicts:
    """`numeric_decision` and `probability_decision` (the rules, on the register's data and the
    book's conventions, or another reading of them), `check` (a claim with a stated figure),
    `judge` (a verdict the chapter reasons to) and `judge_from_statements`. Expects `chapter`,
    `as_of`, `edition`, `values`, `claims`, `_register`, `_rules` and `_conventions`."""

    def stated(self, claim_id: str) -> float:
        """The claim's stated figure, from the register (never retyped in a chapter)."""
        row = self._registered(claim_id)
        if pd.isna(row["stated_value"]):
            raise ValueError(f"claim {claim_id} states no single figure in data/claims.csv")
        return float(row["stated_value"])

    def rule(self, target_id: str, rule: str, unit: str) -> float:
        """A threshold or stated figure deciding a claim or forecast (data/verdict_rules.csv)."""
        return self._rules.value(target_id, rule, unit)

    def _registered(self, claim_id: str) -> pd.Series:
        if claim_id not in self._register.index:
            raise KeyError(f"unknown claim id '{claim_id}' (not in data/claims.csv)")
        return self._register.loc[claim_id]

    def read_at_precision(self, claim_id: str) -> tuple[float, float]:
        """The interval a round stated figure (or range) stands for: 'about 1.5 years' is 1.45
        to 1.55, '$1-2' is 0.50 to 2.50 (the register's precision, the book's convention)."""
        row = self._registered(claim_id)
        if pd.isna(row["stated_precision"]):
            raise ValueError(f"claim {claim_id} gives no precision in data/claims.csv")
        slack = float(row["stated_precision"]) * self._conventions.value("figure_precision", _DIGIT)
        high = self.stated(claim_id) if pd.isna(row["stated_high"]) else float(row["stated_high"])
        return self.stated(claim_id) - slack, high + slack

    def numeric_decision(self, claim_id: str, ours: float, *, precision: float | str | None = None,
                         approximately_within: float | None = None,
                         comparison: str | None = None) -> Decision:
        """Our value against the claim's stated figure, read at the precision the register
        gives (or `precision`: a number, or 'digits_shown' for every digit written), by the
        register's comparison (or `comparison`, for a judged claim read as a figure)."""
        row = self._registered(claim_id)
        stated = float(row["stated_value"])
        if precision == "digits_shown":
            precision = verdicts.digits_shown_precision(stated)
        elif precision is None:
            precision = None if pd.isna(row["stated_precision"]) else float(row["stated_precision"])
        return verdicts.numeric_decision(
            float(ours), comparison or row["comparison"], stated, precision=precision,
            approximately_within=(self._conventions.value("approximately_within", _SHARE)
                                  if approximately_within is None else approximately_within),
            figure_precision=self._conventions.value("figure_precision", _DIGIT),
            stated_high=None if pd.isna(row["stated_high"]) else float(row["stated_high"]))

    def probability_decision(self, share_holding: float, *, probability_holds: float | None = None,
                             probability_fails: float | None = None) -> Decision:
        """A share of draws against the book's probability thresholds (or another reading's)."""
        return verdicts.probability_decision(
            share_holding,
            probability_holds=(self._conventions.value("probability_holds", _DRAWS)
                               if probability_holds is None else probability_holds),
            probability_fails=(self._conventions.value("probability_fails", _DRAWS)
                               if probability_fails is None else probability_fails))

    def statements_decision(self, claim_id: str, *, tiers: str = "top", cited: str = "ignore",
                            exclude: tuple[str, ...] = (), only: tuple[str, ...] = (),
                            bearings: dict[str, str] | None = None) -> Decision:
        """A qualitative claim from its rows in data/statements.csv. The book's reading counts
        statements read in their source ('confirmed') and, of those, only the most authoritative
        tier present (data.TIER_ORDER); `tiers='all'` counts every tier, `cited='count'` counts
        statements read only as cited; `exclude` leaves sources out, `only` keeps just these;
        `bearings` (statement id -> bearing) reads a statement another way."""
        rows = data.load("statements")
        rows = rows[(rows["claim_id"] == claim_id) & ~rows["source_id"].isin(exclude)]
        if only:
            rows = rows[rows["source_id"].isin(only)]
        if bearings:
            rows = rows.assign(bearing=[bearings.get(sid, b) for sid, b in
                                        zip(rows["statement_id"], rows["bearing"])])
        counted = {"confirmed", "as cited"} if cited == "count" else {"confirmed"}
        rows = rows[rows["status"].isin(counted)].copy()
        if tiers != "all" and len(rows):
            ranks = data.load("sources", record=False).set_index("source_id")["tier"]
            rows["rank"] = rows["source_id"].map(ranks).map(data.TIER_ORDER.index)
            rows = rows[rows["rank"] == rows["rank"].min()]
        return verdicts.statements_decision(set(rows["bearing"]))

    def _redone(self, claim_id: str, redone: dict[str, float] | None) -> tuple[str, list[dict]]:
        """One rule for every claim: the register of the posts' calculations (arithmetic.csv)
        says which claims are calculations; each is redone and read at its stated precision."""
        calcs = data.load("arithmetic", record=False)
        calcs = calcs[calcs["claim_id"] == claim_id].set_index("calculation_id")
        given = set(redone or {})
        if given != set(calcs.index):
            raise ValueError(f"{claim_id}: data/arithmetic.csv lists the calculations "
                             f"{sorted(calcs.index)}; the chapter redid {sorted(given)}")
        if calcs.empty:
            return verdicts.reproduction(None), []
        half = self._conventions.value("figure_precision", _DIGIT)
        out = []
        for calc_id, rec in calcs.iterrows():
            ok = verdicts.reproduces(
                float(redone[calc_id]), rec["comparison"], float(rec["stated_value"]),
                precision=None if pd.isna(rec["stated_precision"]) else float(rec["stated_precision"]),
                figure_precision=half,
                stated_high=None if pd.isna(rec["stated_high"]) else float(rec["stated_high"]))
            out.append({"calculation": rec["calculation"], "redone": float(redone[calc_id]),
                        "stated": float(rec["stated_value"]), "reproduces": ok})
        return verdicts.reproduction([c["reproduces"] for c in out]), out

    def _claim_row(self, claim_id: str) -> pd.Series:
        row = self._registered(claim_id)
        if row["chapter"] != self.chapter:
            raise ValueError(f"claim {claim_id} belongs to chapter '{row['chapter']}' in "
                             f"data/claims.csv, not '{self.chapter}'")
        if claim_id in self.claims:
            raise ValueError(f"claim {claim_id} checked twice")
        return row

    def _publish_claim(self, result: ClaimResult, expect: str) -> str:
        cid = result.claim_id.lower()
        values.glue(f"{cid}_verdict", result.verdict)
        values.glue(f"{cid}_reproduction", result.reproduction)
        values.glue(f"{cid}_badge", Badge(result.verdict))
        values.glue(f"{cid}_stated", result.stated_text)
        self.claims[result.claim_id] = result
        if result.verdict != expect and not self.edition.is_scenario:
            raise verdicts.VerdictChanged(
                f"{result.claim_id}: the chapter expects '{expect}' but the data now give "
                f"'{result.verdict}' (ours: {result.ours_display}; stated: {result.stated_text}). "
                "Re-read the chapter's text before changing its expectation.")
        return result.verdict

    def check(self, claim_id: str, ours: float, *, unit: str, fmt: str, expect: str, reason: str,
              redone: dict[str, float] | None, as_of: str = "", description: str = "") -> str:
        """Compare our value with the claim's stated figure by the register's comparison, read at
        the figure's precision (the book's conventions). `redone`: each of the post's own
        calculations (data/arithmetic.csv), redone on its own inputs; None if it has none."""
        row = self._claim_row(claim_id)
        decision = self.numeric_decision(claim_id, ours)
        reproduction, calcs = self._redone(claim_id, redone)
        check_reason(reason, claim_id, numeric=True)
        key = f"{claim_id.lower()}_ours"
        self.value(key, ours, unit=unit, fmt=fmt, as_of=as_of, claim_id=claim_id,
                   description=description or f"Our value for claim {claim_id}")
        result = ClaimResult(
            claim_id, self.chapter, reproduction, decision.verdict, float(ours),
            self.values[key].display, unit, row["stated_text"], reason, self.values[key].as_of,
            [key], calcs, asdict(decision))
        return self._publish_claim(result, expect)

    def judge(self, claim_id: str, decision: Decision, *, reason: str, expect: str,
              redone: dict[str, float] | None, as_of: str = "",
              evidence_keys: tuple[str, ...] = ()) -> str:
        """Record a verdict reached by a rule applied to the chapter's evidence (a judged claim,
        or a numeric one whose premise is unsourced)."""
        row = self._claim_row(claim_id)
        if not isinstance(decision, Decision) or decision.verdict not in verdicts.VERDICTS:
            raise TypeError(f"{claim_id}: judge() takes a claims.Decision from a rule; got "
                            f"{decision!r}")
        if row["comparison"] != "judged" and decision.verdict != verdicts.UNSOURCED:
            raise ValueError(f"claim {claim_id} has a numeric rule ('{row['comparison']}'); "
                             "use check()")
        check_reason(reason, claim_id, numeric=pd.notna(row["stated_value"]))
        missing = [k for k in evidence_keys if k not in self.values]
        if missing:
            raise KeyError(f"evidence keys not published in this chapter: {missing}")
        reproduction, calcs = self._redone(claim_id, redone)
        result = ClaimResult(
            claim_id, self.chapter, reproduction, decision.verdict, None, "", "",
            row["stated_text"], reason, as_of or self.as_of, list(evidence_keys), calcs,
            asdict(decision))
        return self._publish_claim(result, expect)

    def judge_from_statements(self, claim_id: str, *, expect: str, reason: str,
                              as_of: str = "") -> str:
        """A qualitative claim's verdict from data/statements.csv (`statements_decision`)."""
        return self.judge(claim_id, self.statements_decision(claim_id), reason=reason,
                          as_of=as_of, expect=expect, redone=None)
