"""The book's inputs as the chapters read them: validated tables (gpuecon.validation) and views
by id (a reported figure, an assumption, a rental price, a verdict rule), each recording what the
running chapter read, so its results can list its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import paths
from .validation import (DATE_PATTERN, PACKAGE_FILE, DataError, Problem, descriptor,  # noqa: F401
                         load_all, package_fingerprint)

# Source tiers, most authoritative first (the enum of sources.csv's `tier` column).
TIER_ORDER = [
    "primary filing", "company statement", "published method", "benchmark result",
    "analyst estimate", "press report", "third-party dataset", "blog", "our assumption",
]


# What the running chapter read: resource -> row ids ("*" = the whole file). Saved with the
# chapter's results so the changelog of numbers can say which input moved a value.
_ACCESSED: dict[str, set[str]] = {}


def _note_access(resource: str, row: str) -> None:
    _ACCESSED.setdefault(resource, set()).add(row)


def accessed() -> list[dict]:
    return [{"resource": r, "row": row} for r in sorted(_ACCESSED) for row in sorted(_ACCESSED[r])]


def _frame(name: str, folder: Path | None = None) -> pd.DataFrame:
    frames = load_all(folder)
    if name not in frames:
        raise KeyError(f"no resource '{name}' in data/{PACKAGE_FILE}; have {sorted(frames)}")
    return frames[name].copy()


def load(name: str, folder: Path | None = None, *, record: bool = True) -> pd.DataFrame:
    """One validated table. The whole package is validated first (foreign keys span files).
    `record=False` for bookkeeping reads (the claims register, source credits) that no number
    depends on."""
    frame = _frame(name, folder)
    if record:
        _note_access(name, "*")
    return frame


def schema(name: str, folder: Path | None = None) -> dict:
    """The Table Schema of one resource (for the generated data dictionary)."""
    folder = (folder or paths.data_dir()).resolve()
    for res in descriptor(folder)["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(name)


def resources(folder: Path | None = None) -> list[dict]:
    folder = (folder or paths.data_dir()).resolve()
    return descriptor(folder)["resources"]


# ---------------------------------------------------------------------------------------------
# Convenience views used by the chapters.


@dataclass(frozen=True)
class Figure:
    """One reported figure with its provenance (a row of reported_figures.csv)."""

    figure_id: str
    value: float
    unit: str
    period: str
    source_id: str
    status: str
    quote: str


class Figures:
    """Reported figures by id. Asking for a figure names the unit you expect, so a figure
    stored in another unit (millions for billions, say) fails loudly instead of skewing a sum."""

    def __init__(self, df: pd.DataFrame):
        self._df = df.set_index("figure_id")
        self._file = df.attrs.get("file", "data/reported_figures.csv")

    def get(self, figure_id: str) -> Figure:
        if figure_id not in self._df.index:
            raise KeyError(f"{self._file}: no figure_id '{figure_id}'")
        rec = self._df.loc[figure_id]
        _note_access("reported_figures", figure_id)
        return Figure(
            figure_id,
            float(rec["value"]),
            rec["unit"],
            rec["period"],
            rec["source_id"],
            rec["status"],
            rec["quote"],
        )

    def value(self, figure_id: str, unit: str) -> float:
        fig = self.get(figure_id)
        if fig.unit != unit:
            raise ValueError(
                f"{self._file}: figure '{figure_id}' is in {fig.unit}, the chapter expects {unit}"
            )
        return fig.value


def figures(folder: Path | None = None) -> Figures:
    return Figures(_frame("reported_figures", folder))


class Assumptions:
    """Our assumptions by id: value with its low-high range (in a scenario edition, the
    scenario's values; `book_values` keeps the book's value of each one it overrides)."""

    def __init__(self, df: pd.DataFrame, book_values: dict[str, float] | None = None):
        self._df = df.set_index("assumption_id")
        self._file = df.attrs.get("file", "data/assumptions.csv")
        self.book_values = book_values or {}

    def table(self, assumption_ids: list[str]) -> pd.DataFrame:
        """These assumptions' rows as this edition uses them; a value a scenario overrides says
        so in its description, with the book's value."""
        rows = pd.DataFrame([self._row(aid) for aid in assumption_ids]).rename_axis(
            "assumption_id").reset_index()
        for at, aid in enumerate(rows["assumption_id"]):
            if aid in self.book_values:
                rows.loc[at, "description"] += (f" (this scenario's value; the book's is "
                                                 f"{self.book_values[aid]:g})")
        return rows

    def _row(self, assumption_id: str):
        if assumption_id not in self._df.index:
            raise KeyError(f"{self._file}: no assumption_id '{assumption_id}'")
        _note_access("assumptions", assumption_id)
        return self._df.loc[assumption_id]

    def value(self, assumption_id: str, unit: str) -> float:
        rec = self._row(assumption_id)
        if rec["unit"] != unit:
            raise ValueError(
                f"{self._file}: assumption '{assumption_id}' is in {rec['unit']}, "
                f"the chapter expects {unit}"
            )
        return float(rec["value"])

    def range(self, assumption_id: str, unit: str) -> tuple[float, float]:
        self.value(assumption_id, unit)
        rec = self._row(assumption_id)
        return float(rec["low"]), float(rec["high"])

    def replaced(self, assumption_id: str, by: str) -> Assumptions:
        """These assumptions with `assumption_id`'s value and range taken from the row `by`
        (another era's, say: 2023's utilisation in place of today's)."""
        source = self._row(by)
        if source["unit"] != self._row(assumption_id)["unit"]:
            raise ValueError(f"{self._file}: '{by}' is not in the unit of '{assumption_id}'")
        frame = self._df.copy()
        for column in ("value", "low", "high"):
            frame.loc[assumption_id, column] = source[column]
        out = frame.reset_index()
        out.attrs = self._df.attrs
        return Assumptions(out, self.book_values)


def assumption_label(assumption_id: str, in_sentence: bool = False) -> str:
    """An assumption's name for readers (data/assumptions.csv, column label): 'Lifetime', or in
    a sentence 'lifetime' (an acronym such as PUE keeps its capitals)."""
    labels = load("assumptions", record=False).set_index("assumption_id")["label"]
    if assumption_id not in labels.index:
        raise KeyError(f"data/assumptions.csv: no assumption_id '{assumption_id}'")
    label = labels[assumption_id]
    return label[0].lower() + label[1:] if in_sentence and not label[:2].isupper() else label


def assumptions(folder: Path | None = None, overrides: dict[str, float] | None = None) -> Assumptions:
    """The book's assumptions, with `overrides` (id -> value; a scenario edition's) replacing
    their values, each range widened to include its new value."""
    frame = _frame("assumptions", folder)
    book_values = {}
    for aid, value in (overrides or {}).items():
        at = frame.index[frame["assumption_id"] == aid]
        if not len(at):
            raise KeyError(f"data/assumptions.csv: no assumption_id '{aid}' to override")
        at = at[0]
        book_values[aid] = float(frame.loc[at, "value"])
        frame.loc[at, "value"] = value
        frame.loc[at, "low"] = min(frame.loc[at, "low"], value)
        frame.loc[at, "high"] = max(frame.loc[at, "high"], value)
    return Assumptions(frame, book_values)


def plotting_date(text: str) -> pd.Timestamp:
    """A 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' date placed mid-period, for plotting."""
    if len(text) == 4:
        return pd.Timestamp(f"{text}-07-01")
    if len(text) == 7:
        return pd.Timestamp(f"{text}-15")
    return pd.Timestamp(text)


class RentalPrices:
    """H100 rental prices by id (a row of h100_rental_prices.csv), in USD per GPU-hour. A price
    asked for by id is recorded as that row read; `table` (every price, with a plotting date)
    records the whole file."""

    def __init__(self, df: pd.DataFrame):
        self._df = df.set_index("price_id")
        self._file = df.attrs.get("file", "data/h100_rental_prices.csv")

    def row(self, price_id: str) -> pd.Series:
        if price_id not in self._df.index:
            raise KeyError(f"{self._file}: no price_id '{price_id}'")
        _note_access("h100_rental_prices", price_id)
        return self._df.loc[price_id]

    def value(self, price_id: str) -> float:
        return float(self.row(price_id)["usd_per_gpu_hour"])

    @property
    def table(self) -> pd.DataFrame:
        _note_access("h100_rental_prices", "*")
        out = self._df.reset_index()
        out["plotted_date"] = out["date"].map(plotting_date)
        return out


def rental_prices(folder: Path | None = None) -> RentalPrices:
    return RentalPrices(_frame("h100_rental_prices", folder))


class _Rules:
    """Named values with units (a rule, a convention), asked for by name and the unit the
    caller expects, so a threshold stored in another unit fails loudly."""

    def __init__(self, df: pd.DataFrame, key: list[str], what: str):
        self._df = df.set_index(key)
        self._file = df.attrs.get("file", "")
        self._what = what

    def _value(self, key, unit: str) -> float:
        if key not in self._df.index:
            raise KeyError(f"{self._file}: no {self._what} {key!r}")
        rec = self._df.loc[key]
        if rec["unit"] != unit:
            raise ValueError(f"{self._file}: {self._what} {key!r} is in {rec['unit']}, the "
                             f"caller expects {unit}")
        return float(rec["value"])


class VerdictRules(_Rules):
    """The thresholds and stated figures that decide a judged claim or a forecast
    (verdict_rules.csv), by target and rule name: the chapter shows the comparison, the
    register holds the rule."""

    def __init__(self, df: pd.DataFrame):
        super().__init__(df, ["target_id", "rule"], "rule")

    def value(self, target_id: str, rule: str, unit: str) -> float:
        return self._value((target_id, rule), unit)


def verdict_rules(folder: Path | None = None) -> VerdictRules:
    return VerdictRules(_frame("verdict_rules", folder))


class Conventions(_Rules):
    """The book-wide conventions every verdict uses (conventions.csv)."""

    def __init__(self, df: pd.DataFrame):
        super().__init__(df, ["convention_id"], "convention")

    def value(self, convention_id: str, unit: str) -> float:
        return self._value(convention_id, unit)


def conventions(folder: Path | None = None) -> Conventions:
    return Conventions(_frame("conventions", folder))


def source_credit(source_ids: Iterable[str], folder: Path | None = None) -> str:
    """A caption credit line, e.g. 'NVIDIA, Q4 FY2024 press release (company statement, 2024-02-21)'."""
    src = _frame("sources", folder).set_index("source_id")
    parts = []
    for sid in dict.fromkeys(source_ids):  # keep order, drop repeats
        rec = src.loc[sid]
        parts.append(f"{rec['publisher']}, “{rec['title']}” ({rec['tier']}, {rec['date_published']})")
    return "; ".join(parts)


def in_english(quote: str, translation) -> str:
    """A quote as a reader gets it: in its own words, and in English beside it when it is in
    another language (the translation is ours)."""
    if isinstance(translation, str) and translation.strip():
        return f"{quote} [In English: {translation}]"
    return quote


def statements_for_readers(claim_id: str, folder: Path | None = None) -> pd.DataFrame:
    """A claim's rows of statements.csv as a reader's table: the publisher instead of a source
    id, blank notes left blank, and a statement looked for and not found said to be that."""
    rows = load("statements", folder)
    rows = rows[rows["claim_id"] == claim_id].copy()
    publishers = _frame("sources", folder).set_index("source_id")["publisher"]
    rows["publisher"] = rows["source_id"].map(publishers)
    rows["note"] = rows["note"].fillna("")
    not_found = rows["status"] == "not found"
    rows.loc[not_found, "bearing"] = "(the claim as stated: looked for, not found)"
    rows["quote"] = [in_english(q, t) for q, t in zip(rows["quote"], rows["translation"])]
    return rows[["publisher", "source_id", "status", "bearing", "quote", "note"]]
