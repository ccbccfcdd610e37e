"""How robust each verdict is, published beside it: computed by `gpuecon.robustness` under every
declared reading, glued for the chapter's text, drawn as a chart, and kept with the verdict in the
results (so the scoreboard, the brief, ClaimReview and the exports all read the same answer)."""

from __future__ import annotations

from .. import readings_chart, robustness
from .. import claims as verdicts
from .reasons import check_reason


class Readings:
    """`robustness(...)`. Expects `edition`, `claims`, `forecasts` and `text` (PublishedValues)."""

    def robustness(self, target_id: str, decide, *, deciding: str, fmt: str, expect: str,
                   prefix: str = "", suffix: str = "", groups: tuple[str, ...] = (),
                   keeps: str = "") -> str:
        """Re-run `decide` (the book's reading by default) under every declared reading of
        `target_id` and its `groups`; `expect` is the answer the text was written for (robust,
        or depends on the reading), and `keeps` says why the book keeps its verdict when the
        readings split. Returns the answer."""
        result = self.claims.get(target_id) or self.forecasts.get(target_id)
        if result is None:
            raise KeyError(f"{target_id}: give its verdict first (check, judge or forecast)")
        found, thresholds = robustness.evaluate(target_id, decide, deciding=deciding,
                                                fmt=(prefix, fmt, suffix), groups=groups,
                                                keeps=keeps)
        if found.book.verdict != result.verdict:
            raise ValueError(f"{target_id}: its decision gives '{found.book.verdict}' but the "
                             f"chapter published '{result.verdict}'; publish the decision's")
        if found.answer != expect and not self.edition.is_scenario:
            raise verdicts.VerdictChanged(
                f"{target_id}: the chapter's text says its verdict is '{expect}'; the readings "
                f"now say '{found.answer}' ({found.summary()}). Re-read the text first.")
        if expect == robustness.DEPENDS:  # the text says why the book keeps its verdict
            check_reason(keeps, target_id, numeric=False)
        margin = found.margin(thresholds, (prefix, fmt, suffix))
        result.robustness = found.as_record(margin)
        cid = target_id.lower()
        self.text(f"{cid}_robustness", found.answer)
        self.text(f"{cid}_robustness_summary", found.summary())
        self.text(f"{cid}_margin", margin or "no margin applies (no value decides it)")
        self.text(f"{cid}_tipping", " ".join(found.tipping_points) or
                  "No tipping point lies within the ranges searched.")
        self.text(f"{cid}_keeps", keeps)
        readings_chart.publish_readings({**result.robustness, "as_of": result.as_of}, target_id,
                                        fmt)
        return found.answer
