"""After a failed build: the one or two lines a reader needs, not the traceback above them.

    python tools/explain_failure.py _build/build.log
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

log = Path(sys.argv[1]).read_text(encoding="utf-8", errors="replace")
log = re.sub(r"\x1b\[[0-9;]*m", "", log)
guards = sorted(set(re.findall(r"VerdictChanged: (.+)", log)))
# A problem raised in a Sphinx event handler arrives wrapped: "(exception: <message>)".
data = [m.group(2)[:-1] if m.group(1) else m.group(2) for m in re.finditer(
    r"(\(exception: )?((?:A problem|\d+ problems) in (?:the book's data|the scenario file):"
    r"(?:\n  .+)+)", log)]
# A chapter that stopped (gpuecon.site.execution): the chapter, the cell, the error and the
# chapter's line of code, as the message gives them.
stopped = [m.group(1) for m in re.finditer(
    r"((?:A chapter stopped the build|The scenario edition stopped): .+(?:\n(?!\s*raise |"
    r"Traceback|sphinx\.errors)[^\n]*){0,12})", log)]
print("\n" + "=" * 78)
if guards:
    print("The book's guard stopped the build: a verdict or a sentence no longer matches the data.")
    for line in guards:
        print(f"  {line}")
    print("This protects the published book. To see what your own assumptions change, build a\n"
          "scenario edition instead: make scenario SCENARIO=path/to/file.csv (see README).")
elif data:
    print(data[-1])
elif stopped:
    print(stopped[0].rstrip())
elif re.search(r"^\w+Error: .+", log, re.M):  # the error itself, without its traceback
    print(re.findall(r"^\w+Error: .+", log, re.M)[-1])
    print(f"(the whole log: {sys.argv[1]})")
else:
    print(f"The build failed; the cause is above, and in {sys.argv[1]}.")
print("=" * 78)
