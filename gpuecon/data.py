"""Load the book's inputs from `data/`, validated against `data/datapackage.json`.

Validation uses a Frictionless Data Package: each CSV has a Table Schema (types, units in the
field descriptions, allowed ranges, enums, primary keys) and every `source_id` is a foreign key
into `sources.csv`. The schema is a published standard that readers' own tools can check too,
and it documents the columns in the same file that enforces them.

Any problem stops the caller with a `DataError` naming the file, the row (counted as lines of
the file, header = row 1) and the column. Nothing is coerced or silently dropped.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from . import paths

PACKAGE_FILE = "datapackage.json"

# Source tiers, most authoritative first (the enum of sources.csv's `tier` column).
TIER_ORDER = [
    "primary filing", "company statement", "benchmark result", "analyst estimate",
    "press report", "third-party dataset", "blog", "our assumption",
]


class DataError(ValueError):
    """A data file is missing, malformed or implausible. The message names file, row, column."""

    def __init__(self, problems: list[Problem], subject: str = "the book's data"):
        self.problems = problems
        lines = [p.describe() for p in problems]
        head = (f"{len(problems)} problems in {subject}:" if len(problems) > 1
                else f"A problem in {subject}:")
        super().__init__("\n".join([head, *("  " + line for line in lines)]))


@dataclass(frozen=True)
class Problem:
    file: str  # path relative to the book root, e.g. data/sources.csv
    row: int | None  # line in the file; the header is row 1
    column: str | None
    message: str

    def describe(self) -> str:
        where = [self.file]
        where.append(f"row {self.row}" if self.row is not None else "row -")
        where.append(f"column '{self.column}'" if self.column else "column -")
        return ", ".join(where) + f": {self.message}"


# ---------------------------------------------------------------------------------------------
# Checks that a Table Schema cannot express (relations between columns of one row, or of rows).
# Each takes the loaded frame (index = row number in the file) and yields problems.

RowCheck = Callable[[pd.DataFrame, str], Iterable[Problem]]


def _check_assumption_ranges(df: pd.DataFrame, file: str) -> Iterable[Problem]:
    for row, rec in df.iterrows():
        low, value, high = rec["low"], rec["value"], rec["high"]
        if low > value:
            yield Problem(file, row, "low", f"low {low:g} is above value {value:g}")
        if high < value:
            yield Problem(file, row, "high", f"high {high:g} is below value {value:g}")
        for col in ("value", "low", "high"):
            if pd.notna(rec.get("possible_min")) and rec[col] < rec["possible_min"]:
                yield Problem(file, row, col, f"{rec[col]:g} is below what is possible "
                                              f"({rec['possible_min']:g})")
            if pd.notna(rec.get("possible_max")) and rec[col] > rec["possible_max"]:
                yield Problem(file, row, col, f"{rec[col]:g} is above what is possible "
                                              f"({rec['possible_max']:g})")
        if rec["unit"] == "fraction":  # a share or a utilisation: 0 to 1, never 1.5
            for col in ("value", "low", "high"):
                if not 0 <= rec[col] <= 1:
                    yield Problem(file, row, col, f"{rec[col]:g} is not a fraction between 0 and 1")


def _check_claim_comparisons(df: pd.DataFrame, file: str) -> Iterable[Problem]:
    numeric = {"approx", "at_most", "at_least", "range"}
    for row, rec in df.iterrows():
        kind = rec["comparison"]
        if kind in numeric:
            for col in ("stated_value", "tolerance_holds", "tolerance_approx"):
                if pd.isna(rec[col]):
                    yield Problem(file, row, col, f"required when comparison is '{kind}'")
            if (
                pd.notna(rec["tolerance_holds"])
                and pd.notna(rec["tolerance_approx"])
                and rec["tolerance_approx"] < rec["tolerance_holds"]
            ):
                yield Problem(
                    file, row, "tolerance_approx", "must be at least tolerance_holds"
                )
        if kind == "range":
            if pd.isna(rec["stated_high"]):
                yield Problem(file, row, "stated_high", "required when comparison is 'range'")
            elif pd.notna(rec["stated_value"]) and rec["stated_high"] < rec["stated_value"]:
                yield Problem(file, row, "stated_high", "is below stated_value")
        elif pd.notna(rec.get("stated_high")):
            yield Problem(file, row, "stated_high", "only allowed when comparison is 'range'")


# A date column may hold a year, a month or a day ("2023", "2024-08", "2024-10-11"); its schema
# pattern checks the shape, this checks the calendar (no month 13, no 30 February).
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_DATE_FORMATS = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}


def _date_columns(resource: dict) -> list[str]:
    return [f["name"] for f in resource["schema"]["fields"]
            if f.get("constraints", {}).get("pattern") == DATE_PATTERN]


def _check_calendar_dates(df: pd.DataFrame, file: str, columns: list[str]) -> Iterable[Problem]:
    for column in columns:
        for row, text in df[column].dropna().items():
            try:
                pd.to_datetime(text, format=_DATE_FORMATS[len(text)])
            except (ValueError, KeyError):
                yield Problem(file, row, column,
                              f"'{text}' is not a date in the calendar; write YYYY, YYYY-MM or "
                              "YYYY-MM-DD with a real month and day")


ROW_CHECKS: dict[str, list[RowCheck]] = {
    "assumptions": [_check_assumption_ranges],
    "claims": [_check_claim_comparisons],
}


# ---------------------------------------------------------------------------------------------
# Checks of the file itself, before any parsing: spreadsheets often save CSV in the locale's
# encoding or with semicolons, which would otherwise surface as a bare decoding or key error.

def _check_text_file(path: Path, resource: dict) -> list[Problem]:
    if not path.is_file():
        return []  # reported as "file not found" by the schema validation
    raw = path.read_bytes()
    file = _rel(path)
    if b"\x00" in raw:
        return [Problem(file, raw[: raw.index(b"\x00")].count(b"\n") + 1, None,
                        "not a text file (it holds binary bytes); the book reads CSV text in "
                        "UTF-8 — restore the file from git or re-save it as 'CSV UTF-8'")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        before = raw[line_start: exc.start].decode("utf-8", errors="replace")
        column = _column_at(resource, before)
        return [Problem(file, line, column,
                        f"not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be read (the file "
                        "looks saved as Windows-1252 or Latin-1, as some spreadsheets do); "
                        "re-save it as 'CSV UTF-8' or convert it, e.g. "
                        f"iconv -f cp1252 -t utf-8")]
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    names = [f["name"] for f in resource["schema"]["fields"]]
    for delimiter, word in ((";", "semicolons"), ("\t", "tabs")):
        if "," not in header and header.count(delimiter) >= max(1, len(names) - 1):
            return [Problem(file, 1, None,
                            f"columns are separated by {word}, not commas; the book reads "
                            "comma-separated CSV: re-save it with ',' as the separator "
                            "(in a spreadsheet: 'CSV UTF-8 (comma delimited)')")]
    return []


def _column_at(resource: dict, line_before: str) -> str | None:
    """The column a character falls in, from the text of its line before it (commas outside
    quotes counted)."""
    import csv

    cells = next(csv.reader([line_before + "x"]), [""])
    names = [f["name"] for f in resource["schema"]["fields"]]
    index = len(cells) - 1
    return names[index] if index < len(names) else None


# ---------------------------------------------------------------------------------------------


def package_fingerprint(folder: Path) -> tuple:
    """Changes whenever a file in data/ changes (names, sizes, mtimes), so no validation cache
    goes stale: the in-process cache here and the build's skip-if-unchanged stamp."""
    return tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.iterdir()) if p.is_file()
    )


def _descriptor(folder: Path) -> dict:
    path = folder / PACKAGE_FILE
    if not path.is_file():
        raise DataError([Problem(_rel(path), None, None, "file not found")])
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError([Problem(_rel(path), exc.lineno, None, f"not valid JSON: {exc.msg}")]) from exc
    remote = [r["path"] for r in descriptor.get("resources", []) if "://" in str(r.get("path"))]
    if remote:  # the book reads only its frozen local snapshot, never the network
        raise DataError([Problem(_rel(path), None, "path", f"remote data not allowed: {p}")
                         for p in remote])
    return descriptor


def _rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.book_root()).as_posix()
    except (ValueError, FileNotFoundError):
        return path.as_posix()


def _frictionless_problems(folder: Path, descriptor: dict) -> list[Problem]:
    from frictionless import Package

    # Each schema has fieldsMatch "equal": columns match by name (in any order), so a missing
    # or extra column is one error instead of a cascade of shifted cells.
    package = Package(descriptor, basepath=str(folder))
    report = package.validate()
    by_name = {r["name"]: r for r in descriptor["resources"]}
    problems: list[Problem] = []
    for task in report.tasks:
        res = by_name.get(task.name, {})
        file = _rel(folder / res.get("path", task.name))
        errors = list(task.errors)
        # A broken header shifts every column after it; its cell errors would only be noise.
        header_errors = [e for e in errors if e.type in HEADER_ERRORS]
        for err in header_errors or errors:
            problems.append(_problem(file, res, err))
    return problems



HEADER_ERRORS = {"missing-label", "extra-label", "incorrect-label", "duplicate-label", "blank-label"}


def _problem(file: str, res: dict, err) -> Problem:
    """Turn one Frictionless error into a message a reader can act on."""
    row = getattr(err, "row_number", None)
    column = getattr(err, "field_name", None)
    if column is None and getattr(err, "field_names", None):
        column = ", ".join(err.field_names)
    cell = getattr(err, "cell", None)
    label = getattr(err, "label", None)
    if err.type in HEADER_ERRORS:
        row = 1
        column = column or label
        message = {
            "missing-label": "column missing from the header",
            "extra-label": "column is not in the schema (data/datapackage.json)",
            "incorrect-label": f"the header says '{label}' where the schema expects '{column}'",
        }.get(err.type, f"bad header: {err.note}")
    elif err.type == "extra-cell":
        message = "more values than the header has columns (an unquoted comma?)"
    elif err.type == "missing-cell":
        message = "fewer values than the header has columns"
    elif err.type == "primary-key":
        column = ", ".join(res.get("schema", {}).get("primaryKey", [])) or None
        message = "duplicate key: the same as an earlier row"
    elif err.type == "foreign-key":
        message = f"unknown id: {err.note}"
    elif err.type == "type-error":
        field = next((f for f in res["schema"]["fields"] if f["name"] == column), {})
        message = f"'{cell}' is not of type {field.get('type', '?')}"
    elif err.type == "constraint-error":
        message = f"'{cell}' is not allowed: {err.note}"
    elif err.type in ("scheme-error", "source-error") and "No such file" in err.message:
        message = "file not found"
    elif err.type == "source-error" and "empty" in err.message:
        message = "file is empty (no header, no rows)"
    else:
        message = f"{err.note or err.message} [{err.type}]"
    return Problem(file, row, column, message)


def _read_frame(folder: Path, resource: dict) -> pd.DataFrame:
    """Read a CSV already validated by Frictionless, with types from its schema."""
    path = folder / resource["path"]
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    df.index = pd.RangeIndex(2, 2 + len(df), name="row")  # row number = line in the file
    for field in resource["schema"]["fields"]:
        name, kind = field["name"], field.get("type", "string")
        if kind == "number":
            df[name] = pd.to_numeric(df[name]).astype("float64")
        elif kind == "integer":
            df[name] = pd.to_numeric(df[name]).astype("Int64")
        elif kind == "date":
            df[name] = pd.to_datetime(df[name], format="%Y-%m-%d")
        elif kind == "boolean":
            df[name] = df[name].map({"true": True, "false": False})
    df.attrs["file"] = _rel(path)
    df.attrs["title"] = resource.get("title", resource["name"])
    return df


@functools.lru_cache(maxsize=8)
def _load_all(folder_str: str, fingerprint: tuple) -> dict[str, pd.DataFrame]:
    folder = Path(folder_str)
    descriptor = _descriptor(folder)
    problems = [p for res in descriptor["resources"]
                for p in _check_text_file(folder / res["path"], res)]
    if problems:  # the schema validation would only repeat them less clearly
        raise DataError(problems)
    problems = _frictionless_problems(folder, descriptor)
    if problems:
        raise DataError(problems)
    frames = {}
    for res in descriptor["resources"]:
        df = _read_frame(folder, res)
        file = df.attrs["file"]
        if df.empty:
            problems.append(Problem(file, None, None, "has a header but no rows"))
        for check in ROW_CHECKS.get(res["name"], []):
            problems.extend(check(df, file))
        problems.extend(_check_calendar_dates(df, file, _date_columns(res)))
        frames[res["name"]] = df
    if problems:
        raise DataError(problems)
    return frames


def load_all(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """Validate every file of the data package and return them as frames, by resource name."""
    folder = (folder or paths.data_dir()).resolve()
    return _load_all(str(folder), package_fingerprint(folder))


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
    for res in _descriptor(folder)["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(name)


def resources(folder: Path | None = None) -> list[dict]:
    folder = (folder or paths.data_dir()).resolve()
    return _descriptor(folder)["resources"]


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


def assumption_label(assumption_id: str, in_sentence: bool = False) -> str:
    """An assumption's name for readers (data/assumptions.csv, column label): 'Lifetime', or in
    a sentence 'lifetime' (an acronym such as PUE keeps its capitals)."""
    labels = load("assumptions", record=False).set_index("assumption_id")["label"]
    if assumption_id not in labels.index:
        raise KeyError(f"data/assumptions.csv: no assumption_id '{assumption_id}'")
    label = labels[assumption_id]
    return label[0].lower() + label[1:] if in_sentence and not label[:2].isupper() else label


def assumptions(folder: Path | None = None) -> Assumptions:
    """The book's assumptions; in a scenario edition (gpuecon.scenarios), with the scenario's
    values, each range widened to include its value."""
    frame = _frame("assumptions", folder)
    from . import scenarios

    scenario = scenarios.active()
    book_values = {}
    if scenario is not None:
        for aid, value in scenario.overrides.items():
            at = frame.index[frame["assumption_id"] == aid][0]
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


class VerdictRules:
    """The thresholds that decide judged claims (verdict_rules.csv), by claim and rule name:
    the chapter shows the comparison, the register holds the rule."""

    def __init__(self, df: pd.DataFrame):
        self._df = df.set_index(["claim_id", "rule"])
        self._file = df.attrs.get("file", "data/verdict_rules.csv")

    def value(self, claim_id: str, rule: str, unit: str) -> float:
        if (claim_id, rule) not in self._df.index:
            raise KeyError(f"{self._file}: no rule '{rule}' for claim {claim_id}")
        rec = self._df.loc[(claim_id, rule)]
        if rec["unit"] != unit:
            raise ValueError(f"{self._file}: rule '{rule}' of {claim_id} is in {rec['unit']}, "
                             f"the chapter expects {unit}")
        return float(rec["value"])


def verdict_rules(folder: Path | None = None) -> VerdictRules:
    return VerdictRules(_frame("verdict_rules", folder))


def source_credit(source_ids: Iterable[str], folder: Path | None = None) -> str:
    """A caption credit line, e.g. 'NVIDIA, Q4 FY2024 press release (company statement, 2024-02-21)'."""
    src = _frame("sources", folder).set_index("source_id")
    parts = []
    for sid in dict.fromkeys(source_ids):  # keep order, drop repeats
        rec = src.loc[sid]
        parts.append(f"{rec['publisher']}, “{rec['title']}” ({rec['tier']}, {rec['date_published']})")
    return "; ".join(parts)


# The units of reported_figures.csv are short codes (an enum in its schema); tables show words.
_UNIT_WORDS = {"bn": "billion", "m": "million", "per": "per", "usd": "USD", "eur": "EUR",
               "tflops": "TFLOPS", "gb": "GB", "gpu": "GPU"}


def unit_in_words(unit: str) -> str:
    """'USD_bn_per_year' -> 'USD billion per year', 'units_million' -> 'million units'."""
    special = {"units_million": "million units", "params_billion": "billion parameters"}
    if unit in special:
        return special[unit]
    return " ".join(_UNIT_WORDS.get(part.lower(), part) for part in unit.split("_"))


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
    return rows[["publisher", "source_id", "status", "bearing", "quote", "note"]]
