"""What moved between two versions of the book, and why.

    python tools/values_changelog.py OLD_ARTIFACTS NEW_ARTIFACTS

Each argument is a folder holding a build's exports (`_build/html/artifacts`, or the
`artifacts/` folder of a published version). Prints, as Markdown, every value whose display
changed, was added or removed; every claim whose verdict changed; and for each, the inputs of its
chapter that changed (a reported figure or assumption by value, a whole file by checksum).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def _rows(folder: Path, name: str) -> list[dict]:
    path = folder / f"{name}.csv"
    if not path.is_file():
        raise SystemExit(f"{path}: not found (is this a build's artifacts folder?)")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def changed_inputs(old: Path, new: Path) -> dict[str, list[str]]:
    """Chapter -> descriptions of its inputs that differ between the two versions."""
    def index(folder):
        return {(r["chapter"], r["resource"], r["row"]): r for r in _rows(folder, "inputs")}

    before, after = index(old), index(new)
    out: dict[str, list[str]] = {}
    for key in sorted(set(before) | set(after)):
        chapter, resource, row = key
        a, b = before.get(key), after.get(key)
        where = f"{resource}.csv" + ("" if row == "*" else f" `{row}`")
        if a is None:
            text = f"{where} newly used"
        elif b is None:
            text = f"{where} no longer used"
        elif row == "*" and a["sha256"] != b["sha256"]:
            text = f"{where} changed"
        elif row != "*" and (a["value"], a["unit"]) != (b["value"], b["unit"]):
            text = f"{where}: {a['value']} {a['unit']} → {b['value']} {b['unit']}"
        else:
            continue
        out.setdefault(chapter, []).append(text)
    return out


def changelog(old: Path, new: Path) -> str:
    causes = changed_inputs(old, new)
    before = {r["key"]: r for r in _rows(old, "values")}
    after = {r["key"]: r for r in _rows(new, "values")}
    lines = ["| value | chapter | old | new | inputs that changed |", "|---|---|---|---|---|"]
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a and b and a["display"] == b["display"] and a["unit"] == b["unit"]:
            continue
        chapter = (b or a)["chapter"]
        old_text = f"{a['display']} {a['unit']}" if a else "(new)"
        new_text = f"{b['display']} {b['unit']}" if b else "(removed)"
        why = "; ".join(causes.get(chapter, [])) or "code or text of the chapter"
        lines.append(f"| `{key}` | {chapter} | {old_text} | {new_text} | {why} |")
    verdicts_before = {r["claim_id"]: r["verdict"] for r in _rows(old, "claims")}
    verdict_lines = [f"- {cid}: {verdicts_before.get(cid, '(new)')} → {r['verdict']}"
                     for r in _rows(new, "claims") for cid in [r["claim_id"]]
                     if verdicts_before.get(cid) != r["verdict"]]
    moved = len(lines) - 2
    report = [f"## Values ({moved} moved)", ""] + (lines if moved else ["No value moved."])
    report += ["", "## Verdicts", ""] + (verdict_lines or ["No verdict changed."])
    return "\n".join(report) + "\n"


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(changelog(Path(sys.argv[1]), Path(sys.argv[2])), end="")


if __name__ == "__main__":
    main()
