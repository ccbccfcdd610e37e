"""Validate the book's inputs in `data/` against `data/datapackage.json`, before anything runs.

Validation uses a Frictionless Data Package: each CSV has a Table Schema (types, units in the
field descriptions, allowed ranges, enums, primary keys) and every `source_id` is a foreign key
into `sources.csv`. The schema is a published standard that readers' own tools can check too,
and it documents the columns in the same file that enforces them. The checks a schema cannot
state (relations between the cells of a row, calendar dates, how a spreadsheet saved the file)
live here too.

Any problem stops the caller with a `DataError` naming the file, the row (counted as lines of
the file, header = row 1) and the column. Nothing is coerced or silently dropped.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from . import paths

PACKAGE_FILE = "datapackage.json"


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
        if kind in numeric and pd.isna(rec["stated_value"]):
            yield Problem(file, row, "stated_value", f"required when comparison is '{kind}'")
        if kind == "approx" and pd.isna(rec["stated_precision"]):
            yield Problem(file, row, "stated_precision", "required when comparison is 'approx': "
                                                         "how precisely did the post write it?")
        if kind == "range" and pd.isna(rec["stated_high"]):
            yield Problem(file, row, "stated_high", "required when comparison is 'range'")
        elif pd.notna(rec.get("stated_high")):
            if kind not in ("range", "judged"):
                yield Problem(file, row, "stated_high", "only allowed for a range (or a judged "
                                                        "claim stating one)")
            elif pd.notna(rec["stated_value"]) and rec["stated_high"] < rec["stated_value"]:
                yield Problem(file, row, "stated_high", "is below stated_value")


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


def _check_statement_bearings(df: pd.DataFrame, file: str) -> Iterable[Problem]:
    """A statement looked for and not found bears on nothing; one found always bears."""
    for row, rec in df.iterrows():
        if (rec["status"] == "not found") != (rec["bearing"] == "none"):
            yield Problem(file, row, "bearing", "a statement not found has the bearing 'none', "
                                                "and only such a statement has it")


ROW_CHECKS: dict[str, list[RowCheck]] = {
    "assumptions": [_check_assumption_ranges],
    "claims": [_check_claim_comparisons],
    "statements": [_check_statement_bearings],
}

# Groups of claims a declared alternative may apply to (data/alternatives.csv, column target).
TARGET_GROUPS = ("numeric claims", "probability claims", "statement claims")


def _check_targets(frames: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    """A rule, an alternative or a tipping point names a claim or forecast that exists."""
    known = set(frames["claims"]["claim_id"]) | set(frames["forecasts"]["forecast_id"])
    for name, column in (("verdict_rules", "target_id"), ("alternatives", "target"),
                         ("tipping_points", "target_id")):
        df = frames[name]
        for row, target in df[column].items():
            if target not in known and target not in TARGET_GROUPS:
                yield Problem(df.attrs["file"], row, column,
                              f"'{target}' is not a claim or forecast id (claims.csv, "
                              "forecasts.csv) nor a group of claims")


def _check_translations(frames: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    """A quote from a source in another language carries its English beside it."""
    language = frames["sources"].set_index("source_id")["language"]
    for name in ("reported_figures", "statements"):
        df = frames[name]
        for row, rec in df.iterrows():
            if language.get(rec["source_id"], "en") != "en" and pd.notna(rec["quote"]) \
                    and pd.isna(rec["translation"]):
                yield Problem(df.attrs["file"], row, "translation",
                              f"the quote is in '{language[rec['source_id']]}' (source "
                              f"'{rec['source_id']}'): give it in English")


PACKAGE_CHECKS = [_check_targets, _check_translations]


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


def descriptor(folder: Path) -> dict:
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


# A record that these exact files (names, sizes, modification times) and this validation code
# passed Frictionless's checks: the build writes it before any chapter runs, so the chapters'
# kernels skip the second (slow) pass over the same bytes. Every other check still runs.
STAMP = Path("_build") / ".data-validated.json"


def _stamp_text(folder: Path, fingerprint: tuple) -> str:
    return json.dumps([[str(x) for x in f] for f in fingerprint]
                      + [Path(__file__).stat().st_mtime_ns, str(folder)])


def _validated_before(folder: Path, fingerprint: tuple) -> bool:
    stamp = folder.parent / STAMP
    return stamp.is_file() and stamp.read_text(encoding="utf-8") == _stamp_text(folder, fingerprint)


def _record_validated(folder: Path, fingerprint: tuple) -> None:
    stamp = folder.parent / STAMP
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        partial = stamp.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(_stamp_text(folder, fingerprint), encoding="utf-8")
        os.replace(partial, stamp)
    except OSError:
        pass  # a read-only copy: the next reader validates again


@functools.lru_cache(maxsize=8)
def _load_all(folder_str: str, fingerprint: tuple) -> dict[str, pd.DataFrame]:
    folder = Path(folder_str)
    package = descriptor(folder)
    problems = [p for res in package["resources"]
                for p in _check_text_file(folder / res["path"], res)]
    if problems:  # the schema validation would only repeat them less clearly
        raise DataError(problems)
    schema_checked = _validated_before(folder, fingerprint)
    if not schema_checked:
        problems = _frictionless_problems(folder, package)
        if problems:
            raise DataError(problems)
    frames = {}
    for res in package["resources"]:
        df = _read_frame(folder, res)
        file = df.attrs["file"]
        if df.empty:
            problems.append(Problem(file, None, None, "has a header but no rows"))
        for check in ROW_CHECKS.get(res["name"], []):
            problems.extend(check(df, file))
        problems.extend(_check_calendar_dates(df, file, _date_columns(res)))
        frames[res["name"]] = df
    for check in PACKAGE_CHECKS:
        problems.extend(check(frames))
    if problems:
        raise DataError(problems)
    if not schema_checked:
        _record_validated(folder, fingerprint)
    return frames


def load_all(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """Validate every file of the data package and return them as frames, by resource name."""
    folder = (folder or paths.data_dir()).resolve()
    return _load_all(str(folder), package_fingerprint(folder))


