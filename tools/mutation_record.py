"""After `mutmut run` (make mutation): the mutation score of the modules mutated, and every
surviving mutant with its change, into tools/benchmark-record.json ("mutation").

A surviving mutant that changes only the words of a message (a string inside a `raise`, or a
label) is listed as such: it changes no number and no verdict. The score is given both ways."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "tools" / "benchmark-record.json"
MUTMUT = Path(sys.executable).parent / "mutmut"
KILLED, SURVIVED, NO_TESTS = 1, 0, 33
_STRING = re.compile(r"""(f?"(?:[^"\\]|\\.)*"|f?'(?:[^'\\]|\\.)*')""")


def change_of(key: str) -> tuple[str, str]:
    """The line mutmut changed: (before, after)."""
    shown = subprocess.run([str(MUTMUT), "show", key], cwd=ROOT, capture_output=True,
                           text=True).stdout.splitlines()
    before = next((l[1:].strip() for l in shown if l.startswith("-") and not l.startswith("---")), "")
    after = next((l[1:].strip() for l in shown if l.startswith("+") and not l.startswith("+++")), "")
    return before, after


def words_only(before: str, after: str) -> bool:
    """The mutant changes a message's or label's words, not what is computed."""
    if before.startswith("raise ") and after.startswith("raise "):
        return True
    return _STRING.sub('""', before) == _STRING.sub('""', after) and before != after


def main() -> None:
    exits = {}
    for meta in sorted((ROOT / "mutants").rglob("*.meta")):
        exits |= json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    counts = Counter("killed" if code == KILLED else "survived" if code == SURVIVED else
                     "no tests" if code == NO_TESTS else "timed out or not run"
                     for code in exits.values())
    survivors = []
    for key in sorted(k for k, code in exits.items() if code == SURVIVED):
        before, after = change_of(key)
        survivors.append({"mutant": key, "before": before, "after": after,
                          "why_it_survives": "changes a message's words only" if
                          words_only(before, after) else "not yet caught by a test"})
    wording = sum(s["why_it_survives"] != "not yet caught by a test" for s in survivors)
    killed = counts["killed"]
    score = killed / max(killed + counts["survived"], 1)
    score_without_wording = killed / max(killed + counts["survived"] - wording, 1)
    print(f"{len(exits)} mutants: {killed} killed, {counts['survived']} survived "
          f"({wording} of them change a message's words only), {counts['no tests']} in code no "
          f"test reaches, {counts['timed out or not run']} timed out or not run")
    print(f"mutation score {score:.1%}; without the message-only mutants {score_without_wording:.1%}")
    record = json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.is_file() else {}
    record["mutation"] = {
        "tool": "mutmut 3.8.1", "modules": ["gpuecon/finance.py", "gpuecon/claims.py"],
        "tests": ["tests/test_finance.py", "tests/test_claims.py"], "mutants": len(exits),
        "counts": dict(counts), "score": round(score, 4),
        "score_without_message_only": round(score_without_wording, 4),
        "survivors": survivors}
    RECORD.write_text(json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    print(f"recorded in {RECORD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
