"""The rules a chapter decides its claims by, on the register's figures and the book's
conventions (or another reading of them): each gives a `Decision` (gpuecon.claims)."""

from __future__ import annotations

import pandas as pd

from .. import claims as verdicts
from .. import data
from ..claims import Decision

# The conventions' units, as data/conventions.csv states them.
_SHARE = "share of the stated figure"
_DIGIT = "share of the stated figure's last significant unit"
_DRAWS = "share of draws"


class Decisions:
    """`stated`, `rule`, `post_figure` and `read_at_precision` (the figures that decide), and
    `numeric_decision`, `probability_decision` and `statements_decision` (the rules). Expects
    `_register`, `_rules` and `_conventions`."""

    def stated(self, claim_id: str) -> float:
        """The claim's stated figure, from the register (never retyped in a chapter)."""
        row = self._registered(claim_id)
        if pd.isna(row["stated_value"]):
            raise ValueError(f"claim {claim_id} states no single figure in data/claims.csv")
        return float(row["stated_value"])

    def rule(self, target_id: str, rule: str, unit: str) -> float:
        """A threshold or stated figure deciding a claim or forecast (data/verdict_rules.csv)."""
        return self._rules.value(target_id, rule, unit)

    def post_figure(self, claim_id: str, calculation_id: str) -> float:
        """A figure one of the post's own calculations states (data/arithmetic.csv), such as the
        'half' in 'less than half of what was expected'."""
        calcs = data.load("arithmetic", record=False).set_index(["claim_id", "calculation_id"])
        if (claim_id, calculation_id) not in calcs.index:
            raise KeyError(f"{claim_id}: no calculation '{calculation_id}' in data/arithmetic.csv")
        return float(calcs.loc[(claim_id, calculation_id), "stated_value"])

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
