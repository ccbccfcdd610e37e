"""How robust a verdict is: the same decision, re-run under every reading declared as defensible.

A chapter hands `evaluate` its claim's decision as a function (`decide(**changes) -> Decision`,
its defaults being the book's own reading). The declared readings are data
(`data/alternatives.csv`, for the claim and for the groups it belongs to); so are the quantities
swept for tipping points (`data/tipping_points.csv`). The answer is computed, never typed:
*robust* when every reading gives the book's verdict, *depends on the reading* otherwise, with
the margin of the book's own reading to its nearest threshold and every tipping point found.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import asdict, dataclass, field
from typing import Callable

from . import claims as verdicts
from . import data, numbers

ROBUST = "robust"
DEPENDS = "depends on the reading"
ANSWERS = (ROBUST, DEPENDS)
BOOK_READING = "book"

# How a sweep finds a tipping point: a grid, then halving the interval where the verdict changes.
SWEEP_POINTS = 21
SWEEP_HALVINGS = 14

Decide = Callable[..., verdicts.Decision]


class ReadingError(ValueError):
    """A declared reading the chapter's decision cannot take (named by file, row, column)."""


@dataclass(frozen=True)
class Reading:
    alternative_id: str
    description: str
    why: str
    source_id: str
    verdict: str
    value: float | None
    shown: str
    thresholds: list = field(default_factory=list)
    declared: str = "before computing"  # or "after review" (data/alternatives.csv)


def parse_changes(text: str) -> dict[str, float | str]:
    """'price=1.50; price_paths=declining' -> {'price': 1.5, 'price_paths': 'declining'}."""
    out: dict[str, float | str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, raw = part.partition("=")
        if not name.strip() or not raw.strip():
            raise ValueError(f"'{part}' is not name=value")
        try:
            out[name.strip()] = float(raw)
        except ValueError:
            out[name.strip()] = raw.strip()
    return out


def declared(target: str, groups: tuple[str, ...]) -> list[tuple[int, dict]]:
    """The declared readings of `target`: its own rows and its groups' rows, with row numbers."""
    rows = data.load("alternatives", record=False)
    wanted = rows[rows["target"].isin((target, *groups))]
    return [(row, rec.to_dict()) for row, rec in wanted.iterrows()]


def _format(value: float | None, prefix: str, fmt: str, suffix: str) -> str:
    if value is None:
        return ""
    return numbers.styled(f"{prefix}{numbers.number(value, fmt)}{suffix}")


def _run(decide: Decide, changes: dict, where: str) -> verdicts.Decision:
    accepted = inspect.signature(decide).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
    unknown = [name for name in changes if name not in accepted and not takes_any]
    if unknown:
        raise ReadingError(f"{where}: the decision takes no {', '.join(map(repr, unknown))}; "
                           f"it takes {', '.join(accepted)}")
    typed = {}
    for name, value in changes.items():  # a choice named like a number ('2023') stays a name
        default = accepted[name].default if name in accepted else None
        typed[name] = (format(value, "g") if isinstance(default, str) and isinstance(value, float)
                       else value)
    decision = decide(**typed)
    if not isinstance(decision, verdicts.Decision):
        raise TypeError(f"{where}: a decision must return a claims.Decision, got {decision!r}")
    return decision


@dataclass
class Robustness:
    """One claim's or forecast's verdict under every declared reading."""

    target_id: str
    deciding: str  # what the value is, in words ("share of draws that pay back")
    book: Reading
    readings: list[Reading]
    tipping_points: list[str]
    keeps: str  # why the book keeps its verdict where the readings split ("" when robust)

    @property
    def answer(self) -> str:
        return ROBUST if all(r.verdict == self.book.verdict for r in self.readings) else DEPENDS

    @property
    def flipped(self) -> list[Reading]:
        return [r for r in self.readings if r.verdict != self.book.verdict]

    def margin(self, thresholds: tuple, fmt: tuple[str, str, str]) -> str:
        """'79.2% against the 80.0% where the verdict changes', for the book's reading."""
        decision = verdicts.Decision(self.book.verdict, self.book.value, thresholds)
        nearest = decision.nearest_threshold()
        if nearest is None:
            return ""
        return f"{self.book.shown}, against the {_format(nearest[1], *fmt)} where the verdict changes"

    def summary(self) -> str:
        """One or two sentences for the scoreboard, the brief and ClaimReview."""
        n = len(self.readings)
        if self.answer == ROBUST:
            return (f"All {n} other readings declared give the same verdict."
                    if n else "No other reading was declared.")
        other = "; ".join(f"{r.description.rstrip('.')}: {r.verdict}" for r in self.flipped)
        return f"{len(self.flipped)} of {n} other readings give another verdict: {other}."

    def as_record(self, margin: str) -> dict:
        return {"answer": self.answer, "deciding": self.deciding, "margin": margin,
                "summary": self.summary(), "keeps": self.keeps,
                "tipping_points": self.tipping_points,
                "book": asdict(self.book), "readings": [asdict(r) for r in self.readings]}


def _sweep(decide: Decide, parameter: str, low: float, high: float) -> list[tuple[float, str, str]]:
    """Where the verdict changes as `parameter` runs from low to high: (edge, below, above)."""
    def verdict_at(x):
        return decide(**{parameter: x}).verdict

    grid = [low + (high - low) * i / (SWEEP_POINTS - 1) for i in range(SWEEP_POINTS)]
    seen = [verdict_at(x) for x in grid]
    edges = []
    for (a, va), (b, vb) in zip(zip(grid, seen), zip(grid[1:], seen[1:])):
        if va == vb:
            continue
        for _ in range(SWEEP_HALVINGS):
            mid = (a + b) / 2
            if verdict_at(mid) == va:
                a = mid
            else:
                b = mid
        edges.append(((a + b) / 2, va, vb))
    return edges


def tipping_points(target_id: str, decide: Decide, book_verdict: str) -> list[str]:
    """Every change of verdict along the quantities `data/tipping_points.csv` names."""
    rows = data.load("tipping_points", record=False)
    out = []
    for row, rec in rows[rows["target_id"] == target_id].iterrows():
        parameter = rec["parameter"]
        default = inspect.signature(decide).parameters.get(parameter)
        if default is None or default.default is inspect.Parameter.empty:
            raise ReadingError(f"data/tipping_points.csv, row {row}, column 'parameter': the "
                               f"decision of {target_id} has no default for '{parameter}'")
        book_value = default.default
        style = (_blank(rec["prefix"]), rec["fmt"], _blank(rec["suffix"]))
        edges = _sweep(decide, parameter, float(rec["low"]), float(rec["high"]))
        if len(edges) == 1 and book_value is not None:
            edge, below, above = edges[0]
            other, side = (below, "or less") if book_value > edge else (above, "or more")
            out.append(f"It {_verb(other)} if {rec['words']} is {_format(edge, *style)} {side}.")
        elif edges:  # several changes, or no single book value: the verdict along the sweep
            spans = [f"{_verb(edges[0][1])} up to {_format(edges[0][0], *style)}"]
            spans += [f"{_verb(below)} from {_format(start, *style)} to {_format(end, *style)}"
                      for (start, _, below), (end, _, _) in zip(edges, edges[1:])]
            spans.append(f"{_verb(edges[-1][2])} above {_format(edges[-1][0], *style)}")
            out.append(f"As {rec['words']} runs from {_format(float(rec['low']), *style)} to "
                       f"{_format(float(rec['high']), *style)}, it " + ", ".join(spans[:-1])
                       + f" and {spans[-1]}.")
    return out


def _verb(verdict: str) -> str:
    """'holds', 'does not hold', 'is borne out': a verdict as the verb of one claim."""
    return verdicts.count_phrase(1, verdict).split(" ", 1)[1]


def _blank(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def evaluate(target_id: str, decide: Decide, *, deciding: str, fmt: tuple[str, str, str],
             groups: tuple[str, ...] = (), keeps: str = "") -> tuple[Robustness, tuple]:
    """The book's decision and every declared reading's, with the tipping points; also the
    book's thresholds (for the margin)."""
    book = _run(decide, {}, f"{target_id}, the book's reading")
    readings = []
    for row, rec in declared(target_id, groups):
        where = f"data/alternatives.csv, row {row}, column 'changes'"
        try:
            changes = parse_changes(rec["changes"])
        except ValueError as error:
            raise ReadingError(f"{where}: {error}") from None
        decision = _run(decide, changes, where)
        readings.append(Reading(rec["alternative_id"], rec["description"], rec["why"],
                                rec["source_id"], decision.verdict, decision.value,
                                _format(decision.value, *fmt),
                                [list(t) for t in decision.thresholds], rec["declared"]))
    result = Robustness(
        target_id, deciding,
        Reading(BOOK_READING, "The book's reading", "", "ours", book.verdict, book.value,
                _format(book.value, *fmt), [list(t) for t in book.thresholds]),
        readings, tipping_points(target_id, decide, book.verdict), keeps)
    return result, book.thresholds
