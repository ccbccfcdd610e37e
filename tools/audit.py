"""Google Lighthouse 12.2.3 over the built book, served with gzip and cache headers as a static
host serves it: every category, on desktop and phone settings, RUNS times per page; the median
of each score and the page's transfer size go into tools/benchmark-record.json ("lighthouse").
A benchmark, not a test (performance moves with the machine's load): it prints and records.
Targets: performance at least 0.95 on desktop and 0.80 on a phone, on every page.
Run: make audit
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from built_site import CHROMIUM, HTML, PAGES, serve  # noqa: E402

RECORD = ROOT / "tools" / "benchmark-record.json"
AUDIT = ROOT / "tools" / "lighthouse" / "audit.mjs"
RUNS = int(os.environ.get("AUDIT_RUNS", "3"))
TARGETS = {"desktop": 0.95, "mobile": 0.80}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def main() -> None:
    pages = [p for p in PAGES if p != "index.html"]  # the root only redirects
    address, server = serve(HTML, like_a_host=True)
    runs = []
    try:
        for _ in range(RUNS):
            run = subprocess.run(["node", str(AUDIT), address, ",".join(CATEGORIES), "desktop",
                                  "mobile", "--", *pages], capture_output=True, text=True,
                                 env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True)
            runs.append(json.loads(run.stdout))
    finally:
        server.shutdown()
    result = {}
    for page in pages:
        result[page] = {}
        for form in TARGETS:
            scores = {c: round(statistics.median(r[page][form][c] for r in runs), 2)
                      for c in CATEGORIES}
            scores["transfer_kib"] = round(statistics.median(
                r[page][form]["transfer_bytes"] for r in runs) / 1024)
            result[page][form] = scores
    missed = [f"{page} {form} {s['performance']:.2f}" for page, forms in result.items()
              for form, s in forms.items() if s["performance"] < TARGETS[form]]
    print(f"{'page':36s} {'desktop perf':>12s} {'phone perf':>10s} {'KiB (gzip)':>10s}  a11y bp seo")
    for page, forms in result.items():
        d, m = forms["desktop"], forms["mobile"]
        print(f"{page:36s} {d['performance']:12.2f} {m['performance']:10.2f} "
              f"{d['transfer_kib']:10d}  {m['accessibility']:.2f} {m['best-practices']:.2f} "
              f"{m['seo']:.2f}")
    print("under target: " + (", ".join(missed) if missed else "none"))
    record = json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.is_file() else {}
    record["lighthouse"] = {"version": "12.2.3", "runs": RUNS, "served": "gzip, cache headers",
                            "targets_performance": TARGETS, "cores": os.cpu_count(),
                            "pages": result, "under_target": missed}
    RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded in {RECORD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
