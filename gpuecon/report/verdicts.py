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
from .decisions import _DIGIT
from .reasons import check_reason


class Badge:
    """A verdict shown as a coloured badge (classes styled in _static/book.css)."""

    def __init__(self, verdict: str):
        self.verdict = verdict

    def _repr_html_(self) -> str:
        return f'<span class="verdict {verdicts.CSS_CLASSES[self.verdict]}">{self.verdict}</span>'

    def __repr__(self) -> str:
        return self.verdict


class ClaimVerdicts:
    """`check` (a claim with a stated figure), `judge` (a verdict the chapter reasons to, from a
    Decision) and `judge_from_statements`, each with the one rule for whether the post's
    arithmetic reproduces. Expects `chapter`, `as_of`, `edition`, `values`, `claims`,
    `_register` and the `Decisions` mixin."""

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
            out.append({"calculation_id": calc_id, "calculation": rec["calculation"],
                        "redone": float(redone[calc_id]),
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
              redone: dict[str, float] | None, as_of: str = "", description: str = "",
              premise: str = "") -> str:
        """Compare our value with the claim's stated figure by the register's comparison, read at
        the figure's precision (the book's conventions). `redone`: each of the post's own
        calculations (data/arithmetic.csv), redone on its own inputs; None if it has none."""
        row = self._claim_row(claim_id)
        decision = self.numeric_decision(claim_id, ours)
        reproduction, calcs = self._redone(claim_id, redone)
        check_reason(reason, claim_id, numeric=True)
        key = f"{claim_id.lower()}_ours"
        self.value(key, ours, unit=unit, fmt=fmt, as_of=as_of, claim_id=claim_id,
                   description=description or f"Our value for claim {claim_id}", premise=premise)
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
