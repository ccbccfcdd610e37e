"""A chapter's two answers for each claim (does the post's arithmetic reproduce; does the claim
hold), and the outcome of each forecast, checked against what the chapter's text expects."""

from __future__ import annotations

import pandas as pd

from .. import claims as verdicts
from .. import data, results
from ..results import ClaimResult, ForecastResult
from .reasons import check_reason
from . import values


class Badge:
    """A verdict shown as a coloured badge (classes styled in _static/book.css)."""

    def __init__(self, verdict: str):
        self.verdict = verdict

    def _repr_html_(self) -> str:
        return f'<span class="verdict {verdicts.CSS_CLASSES[self.verdict]}">{self.verdict}</span>'

    def __repr__(self) -> str:
        return self.verdict


class ClaimVerdicts:
    """`check` (a claim with a stated figure and a numeric rule), `judge` (a verdict the chapter
    reasons to) and `judge_from_statements` (what the sources say). Expects `chapter`, `as_of`,
    `edition`, `values`, `claims`, `_register` and `_rules` on the report."""

    def stated(self, claim_id: str) -> float:
        """The claim's stated figure, from the register (never retyped in a chapter)."""
        row = self._registered(claim_id)
        if pd.isna(row["stated_value"]):
            raise ValueError(f"claim {claim_id} states no single figure in data/claims.csv")
        return float(row["stated_value"])

    def rule(self, claim_id: str, rule: str, unit: str) -> float:
        """A threshold that decides a judged claim, from the register (data/verdict_rules.csv)."""
        self._registered(claim_id)
        return self._rules.value(claim_id, rule, unit)

    def _registered(self, claim_id: str) -> pd.Series:
        if claim_id not in self._register.index:
            raise KeyError(f"unknown claim id '{claim_id}' (not in data/claims.csv)")
        return self._register.loc[claim_id]

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
              reproduces: bool | None, as_of: str = "", description: str = "") -> str:
        """Compare our value with the claim's stated figure, by the register's rule and tolerances.

        `reproduces` answers the first question apart from the verdict: does the post's own
        arithmetic, on its own assumptions, give its figure (None: the claim is not a calculation).
        `reason` is what a reader sees beside the verdict, its numbers formatted from computed
        values."""
        row = self._claim_row(claim_id)
        verdict = verdicts.numeric_verdict(
            float(ours), row["comparison"], float(row["stated_value"]),
            float(row["tolerance_holds"]), float(row["tolerance_approx"]),
            None if pd.isna(row["stated_high"]) else float(row["stated_high"]))
        check_reason(reason, claim_id, numeric=True)
        key = f"{claim_id.lower()}_ours"
        self.value(key, ours, unit=unit, fmt=fmt, as_of=as_of, claim_id=claim_id,
                   description=description or f"Our value for claim {claim_id}")
        result = ClaimResult(
            claim_id, self.chapter, verdicts.reproduction(reproduces), verdict, float(ours),
            self.values[key].display, unit, row["stated_text"], reason, self.values[key].as_of,
            [key])
        return self._publish_claim(result, expect)

    def judge(self, claim_id: str, verdict: str, *, reason: str, expect: str,
              reproduces: bool | None, as_of: str = "",
              evidence_keys: tuple[str, ...] = ()) -> str:
        """Record a verdict reached by the chapter's own reasoning (a 'judged' claim, or one that
        is unsourced). `verdict` should come from code, e.g. a comparison of computed values."""
        row = self._claim_row(claim_id)
        if verdict not in verdicts.VERDICTS or verdict == verdicts.PENDING:
            raise ValueError(f"'{verdict}' is not a verdict a chapter can give")
        if row["comparison"] != "judged" and verdict != verdicts.UNSOURCED:
            raise ValueError(f"claim {claim_id} has a numeric rule ('{row['comparison']}'); "
                             "use check()")
        check_reason(reason, claim_id, numeric=pd.notna(row["stated_value"]))
        missing = [k for k in evidence_keys if k not in self.values]
        if missing:
            raise KeyError(f"evidence keys not published in this chapter: {missing}")
        result = ClaimResult(
            claim_id, self.chapter, verdicts.reproduction(reproduces), verdict, None, "", "",
            row["stated_text"], reason, as_of or self.as_of, list(evidence_keys))
        return self._publish_claim(result, expect)

    def judge_from_statements(self, claim_id: str, *, expect: str, reason: str,
                              reproduces: bool | None = None, as_of: str = "") -> str:
        """Verdict of a qualitative claim from its rows in data/statements.csv.

        Only statements read in their source ('confirmed') count, and of those only the ones
        from the most authoritative tier present (data.TIER_ORDER): a company's own release
        outranks an analyst, an analyst a blog. Then: none, or only qualifications (context that
        neither supports nor contradicts) -> unsourced; only support -> holds; support with
        qualifications or contradictions -> holds approximately; contradiction without
        support -> does not hold."""
        rows = data.load("statements")
        rows = rows[rows["claim_id"] == claim_id]
        tiers = data.load("sources", record=False).set_index("source_id")["tier"]
        confirmed = rows[rows["status"] == "confirmed"].copy()
        confirmed["rank"] = confirmed["source_id"].map(tiers).map(data.TIER_ORDER.index)
        confirmed = confirmed[confirmed["rank"] == confirmed["rank"].min()]
        bearings = set(confirmed["bearing"])
        if not bearings & {"supports", "contradicts"}:
            verdict = verdicts.UNSOURCED
        elif bearings == {"supports"}:
            verdict = verdicts.HOLDS
        elif "supports" in bearings:
            verdict = verdicts.HOLDS_APPROX
        else:
            verdict = verdicts.DOES_NOT_HOLD
        return self.judge(claim_id, verdict, reason=reason, as_of=as_of, expect=expect,
                          reproduces=reproduces)


class ForecastOutcomes:
    """What became of each forecast in data/forecasts.csv."""

    def forecast(self, forecast_id: str, verdict: str, *, reason: str, expect: str,
                 as_of: str = "", evidence_keys: tuple[str, ...] = ()) -> str:
        """Record a forecast's outcome (borne out, not borne out, too early), glued as
        `<id>_outcome` for the prose."""
        register = data.load("forecasts", record=False).set_index("forecast_id")
        if forecast_id not in register.index:
            raise KeyError(f"unknown forecast id '{forecast_id}' (not in data/forecasts.csv)")
        if verdict not in results.FORECAST_VERDICTS:
            raise ValueError(f"'{verdict}' is not an outcome; use one of "
                             f"{results.FORECAST_VERDICTS}")
        if forecast_id in self.forecasts:
            raise ValueError(f"forecast {forecast_id} judged twice")
        check_reason(reason, forecast_id, numeric=True)
        missing = [k for k in evidence_keys if k not in self.values]
        if missing:
            raise KeyError(f"evidence keys not published in this chapter: {missing}")
        self.forecasts[forecast_id] = ForecastResult(
            forecast_id, self.chapter, verdict, reason, as_of or self.as_of, list(evidence_keys))
        values.glue(f"{forecast_id.lower()}_outcome", verdict)
        if verdict != expect and not self.edition.is_scenario:
            raise verdicts.VerdictChanged(
                f"{forecast_id}: the chapter expects '{expect}' but the data now give "
                f"'{verdict}'. Re-read the chapter's text before changing its expectation.")
        return verdict
