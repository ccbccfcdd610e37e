"""The numbers and texts a chapter publishes: glued for its prose, recorded for the exports."""

from __future__ import annotations

import math
import re

from .. import numbers
from ..results import ValueRecord

KEY_PATTERN = re.compile(r"^[a-z0-9_]+$")


def glue(key: str, value) -> None:
    """Hand a value to myst-nb, which places it where the chapter's text names its key."""
    from myst_nb import glue as myst_glue

    myst_glue(key, value, display=False)


class PublishedValues:
    """A chapter's glued numbers (`value`) and computed phrases (`text`). Expects `chapter`,
    `as_of`, `edition`, `prose_flags` and the claims register (`_register`) on the report."""

    def _new_key(self, key: str) -> None:
        if not KEY_PATTERN.match(key):
            raise ValueError(f"glue key '{key}' must be lower-case snake_case")
        if key in self.values or key in self.texts:
            raise ValueError(f"glue key '{key}' published twice in chapter {self.chapter}")

    def value(self, key: str, value: float, *, unit: str, fmt: str, description: str,
              as_of: str = "", claim_id: str = "", premise: str = "",
              not_finite: str = "") -> float:
        """Glue a number under `key` and record it. `fmt` is how the prose shows it (e.g. ',.0f');
        `as_of` is the date of the evidence it uses; `premise` names, in words, an assumption it
        rests on ("assuming 2% of step time on the network"), for whoever cites it.
        `not_finite`: how the prose says it when a reader's scenario leaves it without a finite
        value ("never: the cash never covers the capex"); the "$" before it and a unit after it
        ("years", "a year", "an hour") are dropped."""
        self._new_key(key)
        number = float(value)
        shown = numbers.number(number, fmt)
        if not math.isfinite(number):
            if not self.edition.is_scenario:
                raise ValueError(f"value for '{key}' is not finite: {value!r}")
            # a reader's assumptions can make a payback "never": say so, do not stop
            shown = not_finite or shown
            self.prose_flags.append(f"{description} has no finite value in this scenario; "
                                    f"where the text quotes it, it reads “{shown}”.")
        if claim_id and claim_id not in self._register.index:
            raise KeyError(f"unknown claim id '{claim_id}' (not in data/claims.csv)")
        glue(key, number)
        self.values[key] = ValueRecord(key, number, unit, shown, description, self.chapter,
                                       as_of or self.as_of, claim_id, premise)
        return number

    def text(self, key: str, text: str) -> str:
        """Glue a piece of computed text (a credit line, a verdict sentence); not exported."""
        self._new_key(key)
        glue(key, text)
        self.texts[key] = text
        return text
