"""What became of each of the posts' forecasts (borne out, not borne out, too early)."""

from __future__ import annotations

from dataclasses import asdict

from .. import claims as verdicts
from .. import data
from ..claims import Decision
from ..results import ForecastResult
from . import values
from .reasons import check_reason


class ForecastOutcomes:
    """`forecast_decision` and `forecast`. Expects `chapter`, `as_of`, `edition`, `values` and
    `forecasts` on the report."""

    @staticmethod
    def forecast_decision(change: float, *, borne_out_at: float, direction: str,
                          not_borne_out_at: float | None = None,
                          strictly: bool = False) -> Decision:
        """A forecast's outcome from the change it predicted: borne out when `change` has gone at
        least as far as `borne_out_at` in `direction` ('fall' or 'rise'); not borne out when it
        has gone the other way past `not_borne_out_at` (or anywhere short, if none is given);
        too early in between. `strictly`: reaching `borne_out_at` is not enough (a majority)."""
        if direction not in ("fall", "rise"):
            raise ValueError(f"direction must be 'fall' or 'rise'; got {direction!r}")
        sign = 1 if direction == "rise" else -1
        past = sign * change > sign * borne_out_at
        if past or (not strictly and change == borne_out_at):
            verdict = verdicts.BORNE_OUT
        elif not_borne_out_at is None or sign * change <= sign * not_borne_out_at:
            verdict = verdicts.NOT_BORNE_OUT
        else:
            verdict = verdicts.TOO_EARLY
        edges = (("borne out at or beyond", borne_out_at),)
        if not_borne_out_at is not None:
            edges += (("not borne out at or beyond", not_borne_out_at),)
        return Decision(verdict, float(change), edges)

    def forecast(self, forecast_id: str, decision: Decision, *, reason: str, expect: str,
                 as_of: str = "", evidence_keys: tuple[str, ...] = ()) -> str:
        """Record a forecast's outcome, glued as `<id>_outcome` for the prose."""
        register = data.load("forecasts", record=False).set_index("forecast_id")
        if forecast_id not in register.index:
            raise KeyError(f"unknown forecast id '{forecast_id}' (not in data/forecasts.csv)")
        if not isinstance(decision, Decision) or decision.verdict not in verdicts.FORECAST_VERDICTS:
            raise TypeError(f"{forecast_id}: forecast() takes a claims.Decision with an outcome "
                            f"({', '.join(verdicts.FORECAST_VERDICTS)}); got {decision!r}")
        if forecast_id in self.forecasts:
            raise ValueError(f"forecast {forecast_id} judged twice")
        check_reason(reason, forecast_id, numeric=True)
        missing = [k for k in evidence_keys if k not in self.values]
        if missing:
            raise KeyError(f"evidence keys not published in this chapter: {missing}")
        self.forecasts[forecast_id] = ForecastResult(
            forecast_id, self.chapter, decision.verdict, reason, as_of or self.as_of,
            list(evidence_keys), asdict(decision))
        values.glue(f"{forecast_id.lower()}_outcome", decision.verdict)
        if decision.verdict != expect and not self.edition.is_scenario:
            raise verdicts.VerdictChanged(
                f"{forecast_id}: the chapter expects '{expect}' but the data now give "
                f"'{decision.verdict}'. Re-read the chapter's text before changing its "
                "expectation.")
        return decision.verdict
