"""`ChapterReport`: everything one chapter publishes, and the results file it leaves."""

from __future__ import annotations

import pandas as pd

from .. import claims as verdicts
from .. import data, edition, results
from .forecasts import ForecastOutcomes
from .readings import Readings
from .reasons import is_plain_sentence
from .values import PublishedValues
from .decisions import Decisions
from .verdicts import ClaimVerdicts


class ChapterReport(PublishedValues, Decisions, ClaimVerdicts, ForecastOutcomes, Readings):
    """Collects one chapter's published values, claim verdicts, forecast outcomes and the
    comparisons its text rests on (guards), then writes them (`save`)."""

    def __init__(self, chapter: str, *, as_of: str):
        """`as_of` is the date the chapter's data describe; a value may give its own."""
        self.chapter = chapter
        self.as_of = as_of
        self.values: dict[str, results.ValueRecord] = {}
        self.texts: dict[str, str] = {}
        self.claims: dict[str, results.ClaimResult] = {}
        self.forecasts: dict[str, results.ForecastResult] = {}
        self.prose_flags: list[str] = []
        # In a scenario edition a changed verdict is the answer the reader asked for, not an error.
        self.edition = edition.current()
        self._register = data.load("claims", record=False).set_index("claim_id")
        self._rules = data.verdict_rules()
        self._conventions = data.conventions()
        # A table shown in a notebook (JupyterLab, a bundle) keeps its descriptions whole.
        pd.set_option("display.max_colwidth", None)

    def guard(self, holds: bool, statement: str) -> bool:
        """A comparison the chapter's text rests on; `statement` says, in the text's own plain
        words, what the text asserts (a scenario edition shows it to readers). The published
        book stops if it fails (the text must be re-read); a scenario edition records it, and
        its pages say so."""
        if not is_plain_sentence(statement):
            raise ValueError(f"chapter {self.chapter}: a guard's statement is shown to readers: "
                             f"write what the text says as a sentence, not code; got "
                             f"'{statement}'")
        if bool(holds):
            return True
        if not self.edition.is_scenario:
            raise verdicts.VerdictChanged(
                f"chapter {self.chapter}: its text says “{statement}” The computed values no "
                "longer bear that out. Re-read the text before changing it; to explore other "
                "assumptions, use make scenario.")
        self.prose_flags.append(statement)
        return False

    def save(self) -> None:
        """Write this chapter's results for the exports and the scoreboard (sorted,
        deterministic); outside the book's build, also show them in the notebook."""
        expected = set(self._register.index[self._register["chapter"] == self.chapter])
        unchecked = sorted(expected - set(self.claims))
        if unchecked:
            raise AssertionError(f"chapter {self.chapter} leaves claims unchecked: {unchecked} "
                                 "(see data/claims.csv)")
        if not self.edition.in_book_build:  # JupyterLab or a bundle: what the chapter publishes
            self._show()
        results.write(results.ChapterResults(
            self.chapter, list(self.values.values()), list(self.claims.values()),
            list(self.forecasts.values()), self.texts, data.accessed(), self.prose_flags),
            self.edition.results_dir)

    def _show(self) -> None:
        from IPython.display import display

        display(pd.DataFrame(
            [(c.claim_id, c.reproduction, c.verdict, c.reason) for c in self.claims.values()],
            columns=["claim", "the post's arithmetic", "verdict", "why"]))
        display(pd.DataFrame([(v.key, v.display, v.unit, v.description)
                              for v in self.values.values()],
                             columns=["value", "shown as", "unit", "what it is"]))
