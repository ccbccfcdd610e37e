"""Every verdict comes from data through one rule. No threshold is typed into the code that
decides a verdict, and the published answer to "does the post's arithmetic reproduce?" is what
one rule gives on data/arithmetic.csv, recomputed here independently of gpuecon."""

import ast
import csv
import json
from pathlib import Path

import nbformat
import pytest
from built_site import ARTIFACTS, ROOT

DECIDING_CODE = [ROOT / "gpuecon" / "claims.py", ROOT / "gpuecon" / "robustness.py",
                 *sorted((ROOT / "gpuecon" / "report").glob("*.py"))]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
# 0 and 1 are the ends of a share and the identity of a ratio, never a judgement.
NEUTRAL = {0, 1}


def typed_thresholds(source: str) -> list[str]:
    """Comparisons with a number typed on one side (outside report.guard, which checks the
    post's own arithmetic against the figures it printed)."""
    tree = ast.parse(source)
    guarded = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "guard"):
            guarded |= {id(sub) for sub in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare) or id(node) in guarded:
            continue
        for side in (node.left, *node.comparators):
            if isinstance(side, ast.UnaryOp) and isinstance(side.op, ast.USub):
                side = side.operand
            if (isinstance(side, ast.Constant) and isinstance(side.value, (int, float))
                    and not isinstance(side.value, bool) and side.value not in NEUTRAL):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_a_typed_threshold_is_found():
    assert typed_thresholds("share = x / y\nholds = share < 0.5\n") == [
        "line 2: share < 0.5"]
    assert typed_thresholds("ok = -3 <= x\n") == ["line 1: -3 <= x"]
    assert typed_thresholds("report.guard(round(x) == 141912, 'the post says so')\n") == []
    assert typed_thresholds("holds = share < HALF\nempty = n == 0\n") == []


@pytest.mark.parametrize("path", DECIDING_CODE, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_threshold_is_typed_into_the_rules(path):
    assert typed_thresholds(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_threshold_is_typed_into_a_chapter(path):
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    found = [f"cell {i}, {hit}" for i, cell in enumerate(cells)
             for hit in typed_thresholds(cell.source)]
    assert not found, "thresholds belong in data/ with their source: " + "; ".join(found)


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _number(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def _reproduces(calc: dict, redone: float, half: float) -> bool:
    """The book's one rule, written out again: the stated figure read at its precision."""
    stated, high = float(calc["stated_value"]), _number(calc["stated_high"])
    slack = half * (_number(calc["stated_precision"]) or 0.0)
    return {"approx": stated - slack <= redone <= stated + slack,
            "at_most": redone <= stated + slack,
            "at_least": redone >= stated - slack,
            "range": stated - slack <= redone <= (high if high is not None else stated) + slack,
            }[calc["comparison"]]


def test_every_published_reproduction_follows_the_one_rule():
    half = next(float(r["value"]) for r in _rows(ROOT / "data" / "conventions.csv")
                if r["convention_id"] == "figure_precision")
    register = {(r["claim_id"], r["calculation_id"]): r
                for r in _rows(ROOT / "data" / "arithmetic.csv")}
    published = json.loads((ARTIFACTS / "calculations.json").read_text(encoding="utf-8"))["rows"]
    assert {(r["claim_id"], r["calculation_id"]) for r in published} == set(register)
    outcome: dict[str, list[bool]] = {}
    for row in published:
        calc = register[(row["claim_id"], row["calculation_id"])]
        assert row["stated_value"] == float(calc["stated_value"])
        ok = _reproduces(calc, row["redone"], half)
        assert row["reproduces"] == ok, (row["claim_id"], row["calculation_id"], row["redone"])
        outcome.setdefault(row["claim_id"], []).append(ok)
    claims = json.loads((ARTIFACTS / "claims.json").read_text(encoding="utf-8"))["rows"]
    assert len(claims) == len(_rows(ROOT / "data" / "claims.csv"))
    for claim in claims:
        expected = ("not a calculation" if claim["claim_id"] not in outcome
                    else "reproduces" if all(outcome[claim["claim_id"]])
                    else "does not reproduce")
        assert claim["reproduction"] == expected, claim["claim_id"]


def test_a_wrong_reproduction_would_be_caught():
    calc = {"stated_value": "3900", "stated_high": "", "stated_precision": "100",
            "comparison": "approx"}
    assert _reproduces(calc, 3939.4, 0.5) and not _reproduces(calc, 3951, 0.5)
    bound = {"stated_value": "0.5", "stated_high": "", "stated_precision": "",
             "comparison": "at_most"}
    assert _reproduces(bound, 0.46, 0.5) and not _reproduces(bound, 0.5001, 0.5)
