"""A reader's own assumptions: scenario files, checked like the book's data.

A scenario is a small CSV with the header `assumption_id,value` (an optional `note` column is
allowed) whose rows override `data/assumptions.csv`; a first line starting with `#` describes
it. A value replaces the assumption's point value; its tested range stays the book's, widened
to include the value when it falls outside (the scenario's pages say so). `make scenario
SCENARIO=file.csv` builds a scenario edition with it (gpuecon.edition says which is active).

    python -m gpuecon.scenarios check FILE    exit 1 with file/row/column messages if bad
"""

from __future__ import annotations

import csv
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import data

HEADER = ("assumption_id", "value")
SUBJECT = "the scenario file"  # how its problems are headed (the book's data have their own)


@dataclass
class Scenario:
    name: str
    path: Path
    description: str
    overrides: dict[str, float]
    notes: dict[str, str] = field(default_factory=dict)

    def outside_tested_range(self) -> dict[str, tuple[float, float]]:
        """Overrides outside the book's low-high range: id -> (low, high)."""
        book = data.load("assumptions", record=False).set_index("assumption_id")
        return {aid: (float(book.loc[aid, "low"]), float(book.loc[aid, "high"]))
                for aid, value in self.overrides.items()
                if not book.loc[aid, "low"] <= value <= book.loc[aid, "high"]}

    def changes(self) -> list[dict]:
        """Each override with the book's value, for banners and exports."""
        book = data.load("assumptions", record=False).set_index("assumption_id")
        outside = self.outside_tested_range()
        return [{"assumption_id": aid, "label": book.loc[aid, "label"], "unit": book.loc[aid, "unit"],
                 "book_value": float(book.loc[aid, "value"]), "scenario_value": value,
                 "outside_tested_range": aid in outside}
                for aid, value in self.overrides.items()]


def _problem(path: Path, row: int, column: str, message: str) -> data.Problem:
    return data.Problem(str(path), row, column, message)


def load(path: Path | str) -> Scenario:
    """Read and check a scenario file; a bad one raises data.DataError naming file, row,
    column and what to do."""
    path = Path(path)
    if not path.is_file():
        raise data.DataError([_problem(path, 0, "", "no such file: give the path of a CSV "
                                       "file with the header assumption_id,value")], SUBJECT)
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    description = lines[0].lstrip("#").strip() if lines and lines[0].startswith("#") else ""
    body = [line for line in lines if not line.startswith("#")]
    first_row = len(lines) - len(body) + 1  # the header's line number
    reader = list(csv.reader(body))
    problems: list[data.Problem] = []
    if not reader or tuple(c.strip() for c in reader[0][:2]) != HEADER:
        found = ",".join(reader[0]) if reader else "(nothing)"
        raise data.DataError([_problem(path, first_row, "", f"the header must be "
                                       f"'assumption_id,value' (optionally ',note'); found "
                                       f"'{found}'")], SUBJECT)
    header = [c.strip() for c in reader[0]]
    extra = [c for c in header[2:] if c != "note"]
    if extra:
        problems.append(_problem(path, first_row, extra[0], "unknown column: only "
                                 "assumption_id, value and note are read"))
    book = data.load("assumptions", record=False).set_index("assumption_id")
    overrides: dict[str, float] = {}
    notes: dict[str, str] = {}
    for offset, cells in enumerate(reader[1:], start=1):
        row = first_row + offset
        if not any(c.strip() for c in cells):
            continue
        record = dict(zip(header, (c.strip() for c in cells)))
        aid, raw = record.get("assumption_id", ""), record.get("value", "")
        if aid not in book.index:
            problems.append(_problem(path, row, "assumption_id", f"'{aid}' is not an assumption "
                                     f"of the book; use one of: {', '.join(book.index)}"))
            continue
        if aid in overrides:
            problems.append(_problem(path, row, "assumption_id", f"'{aid}' is set twice; keep "
                                     "one row per assumption"))
            continue
        try:
            value = float(raw)
        except ValueError:
            problems.append(_problem(path, row, "value", f"'{raw}' is not a number (write "
                                     f"{aid} in {book.loc[aid, 'unit']}, e.g. "
                                     f"{book.loc[aid, 'value']:g})"))
            continue
        if not math.isfinite(value):
            problems.append(_problem(path, row, "value", f"'{raw}' is not a finite number"))
            continue
        rec = book.loc[aid]
        lowest, highest = rec["possible_min"], rec["possible_max"]
        if (not _blank(lowest) and value < lowest) or (not _blank(highest) and value > highest):
            span = (f"{'' if _blank(lowest) else f'{lowest:g}'} to "
                    f"{'no limit' if _blank(highest) else f'{highest:g}'}")
            problems.append(_problem(path, row, "value", f"{value:g} {rec['unit']} is not "
                                     f"possible for {aid} (possible: {span})"))
            continue
        if rec["whole_number"] and value != int(value):
            problems.append(_problem(path, row, "value", f"{aid} is a whole number of "
                                     f"{rec['unit']}; got {value:g}"))
            continue
        overrides[aid] = value
        if record.get("note"):
            notes[aid] = record["note"]
    if not overrides and not problems:
        problems.append(_problem(path, first_row, "", "the scenario sets no assumption: add "
                                 "rows such as 'utilisation,0.7'"))
    if problems:
        raise data.DataError(problems, SUBJECT)
    return Scenario(path.stem, path.resolve(), description, overrides, notes)


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "check":
        print(__doc__)
        return 2
    try:
        scenario = load(argv[1])
    except data.DataError as error:
        print(error, file=sys.stderr)
        return 1
    outside = scenario.outside_tested_range()
    for aid, (low, high) in outside.items():
        print(f"note: {aid} = {scenario.overrides[aid]:g} is outside the book's tested range "
              f"{low:g}-{high:g}; its draws are widened to include it")
    print(f"{argv[1]}: {len(scenario.overrides)} assumption(s) overridden")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
