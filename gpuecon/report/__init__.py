"""What a chapter publishes: glued values for the prose, claim verdicts, forecast outcomes, the
comparisons its text rests on, and a results file.

Every number a chapter quotes goes through `ChapterReport.value` (or `.check` for a claim), which
glues it for `{glue:text}` and records it, with unit, claim id and as-of date, for the book's
exports, the scoreboard and the citable-values list. `save()` writes the chapter's results
through `gpuecon.results`, which owns their format.

    values.py     glued numbers and phrases
    verdicts.py   the two answers for each claim, from the rules in gpuecon.claims
    forecasts.py  what became of each forecast
    readings.py   how robust each verdict is (gpuecon.robustness), published beside it
    reasons.py    what a reader may read beside a verdict
    chapter.py    ChapterReport, which puts them together, with guards and save()
"""

from .chapter import ChapterReport
from .reasons import INTERNAL_TOKENS, ReasonError, check_reason
from .values import KEY_PATTERN

__all__ = ["ChapterReport", "INTERNAL_TOKENS", "KEY_PATTERN", "ReasonError", "check_reason"]
