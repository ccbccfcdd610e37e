"""Time a cold build (also side by side with an earlier commit's), a cached rebuild, a scenario
edition, each chapter's execution, the Monte Carlo and the tests.

A benchmark, not a test: it prints figures and never fails on them. It also records them in
tools/benchmark-record.json, which the book's reproducibility page shows (commit it after a run).
Run: make benchmark
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# The README's own commands: a cold build (rm -rf _build, every chapter) and a build with
# nothing changed; both write _build/build.log, which the tests read.
COLD_BUILD = ["make", "--no-print-directory", "rebuild"]
CACHED_BUILD = ["make", "--no-print-directory", "book"]


def timed(cmd: list[str], check: bool = True) -> float:
    start = time.perf_counter()
    run = subprocess.run(cmd, cwd=ROOT, check=check, capture_output=True, text=True)
    if run.returncode:  # a benchmark reports; the tests' verdict belongs to make test
        print(f"note: {' '.join(cmd[-3:])} exited {run.returncode}: {run.stdout[-300:]}")
    return time.perf_counter() - start


RECORD = ROOT / "tools" / "benchmark-record.json"
# The commit the parallel build is measured against: its build let myst-nb run the chapters one
# after another. Paired runs, alternating, so the machine's drift hits both alike.
BASELINE_COMMIT = "5cc0577"
PAIRED_RUNS = 3


def cold_build(tree: Path) -> float:
    """`rm -rf _build && jupyter-book build --all -W -n --keep-going .` in `tree`, timed; the
    tree's own gpuecon comes first on the path (the kernels inherit it)."""
    shutil.rmtree(tree / "_build", ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GPUECON_")}
    env["PYTHONPATH"] = str(tree)
    start = time.perf_counter()
    run = subprocess.run([str(BIN / "jupyter-book"), "build", "--all", "-W", "-n",
                          "--keep-going", "."], cwd=tree, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if run.returncode:
        raise SystemExit(f"the cold build in {tree} failed:\n{run.stdout[-2000:]}")
    return seconds


def against_baseline() -> dict:
    """Cold builds of this checkout and of BASELINE_COMMIT, side by side, PAIRED_RUNS each."""
    with tempfile.TemporaryDirectory() as tmp:
        old, new = Path(tmp) / "baseline", Path(tmp) / "current"
        subprocess.run(["git", "worktree", "add", "--detach", str(old), BASELINE_COMMIT],
                       cwd=ROOT, check=True, capture_output=True)
        shutil.copytree(ROOT, new, ignore=shutil.ignore_patterns(
            ".venv", "_build", "public", "node_modules", ".git", "__pycache__"))
        try:
            pairs = [(cold_build(old), cold_build(new)) for _ in range(PAIRED_RUNS)]
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT,
                           capture_output=True)
    ratios = sorted(n / o for o, n in pairs)
    return {"baseline_commit": BASELINE_COMMIT, "baseline_cold_build_s": [round(o, 1) for o, _ in pairs],
            "cold_build_s": [round(n, 1) for _, n in pairs],
            "median_ratio": round(ratios[len(ratios) // 2], 2)}
# The scenario timed: it overrides utilisation, so 3 of the 5 chapters run again.
SCENARIO = "scenarios/pessimistic_operator.csv"


def execute(nb_path: Path) -> float:
    """Seconds to execute a chapter as the book's build does (gluing, not showing, its charts)."""
    from gpuecon import edition
    from gpuecon.site import execution

    edition.enter_book_build(ROOT)  # the kernel inherits it: it glues, as in the build
    start = time.perf_counter()
    asyncio.run(execution.run_notebook(nb_path))  # as the build runs it
    return time.perf_counter() - start


def monte_carlo() -> float:
    """Seconds for the payback chapter's Monte Carlo: 100,000 draws x 8 prices."""
    import numpy as np

    from gpuecon import data
    from gpuecon import finance as fin

    os.environ.setdefault("GPUECON_ROOT", str(ROOT))
    assume = data.assumptions()
    start = time.perf_counter()
    draws = fin.draw(assume, 100_000, np.random.default_rng(20241011))
    fin.simple_payback_of_draws(draws, [1.00, 1.65, 2.00, 2.25, 2.85, 4.50, 4.70, 8.00])
    return time.perf_counter() - start


def chart_draw_times() -> dict[str, float]:
    """Milliseconds from the load event until every chart on a page has drawn (headless Chromium)."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    html = ROOT / "_build" / "html"
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            functools.partial(Quiet, directory=str(html)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        for path in sorted((html / "chapters").glob("*.html")):
            page.goto(base + f"chapters/{path.name}", wait_until="load")
            start = time.perf_counter()
            charts = page.locator("[id^=altair-viz-]")
            for i in range(charts.count()):
                charts.nth(i).locator("svg.marks").first.wait_for(timeout=15_000)
            out[path.name] = (time.perf_counter() - start) * 1000
        browser.close()
    httpd.shutdown()
    return out


def main() -> None:
    from gpuecon.site.execution import encrypt_kernel_transport

    encrypt_kernel_transport()  # as in the build: no plain-TCP warning per chapter
    paired = against_baseline()
    cold = timed(COLD_BUILD)
    cached = timed(CACHED_BUILD)
    scenario = timed(["make", "--no-print-directory", "scenario", f"SCENARIO={SCENARIO}"])
    ran = json.loads((ROOT / "_build/scenarios" / Path(SCENARIO).stem / "executed" /
                      "chapters.json").read_text(encoding="utf-8"))
    rerun = sorted(stem for stem, how in ran.items() if how["how"].startswith("run"))
    chapters = {p.stem: execute(p) for p in sorted(ROOT.glob("chapters/*.ipynb"))}
    mc = monte_carlo()
    chart_ms = chart_draw_times()
    tests = timed([str(BIN / "python"), "-m", "pytest", "-q", "-n", str(os.cpu_count() or 1),
                   "--dist", "loadfile", "--no-loadscope-reorder"], check=False)
    pages = {p.name: p.stat().st_size for p in sorted((ROOT / "_build/html/chapters").glob("*.html"))}

    print(f"cold build against {BASELINE_COMMIT}, paired x{PAIRED_RUNS}: "
          f"{paired['cold_build_s']} s against {paired['baseline_cold_build_s']} s, "
          f"median ratio {paired['median_ratio']:.2f}")
    print(f"cold build (make rebuild)           {cold:7.1f} s")
    print(f"make book, nothing changed          {cached:7.1f} s  ({cached / cold:.0%} of cold)")
    print(f"scenario edition (make scenario)    {scenario:7.1f} s  ({scenario / cold:.0%} of cold; "
          f"{SCENARIO} re-ran {len(rerun)} of {len(ran)} chapters: {', '.join(rerun)})")
    executing = sum(chapters.values())
    print(f"notebook execution, one at a time   {executing:7.1f} s  "
          f"(the build runs them {os.cpu_count()} at a time: its cold build took {cold:.1f} s)")
    for name, secs in chapters.items():
        print(f"  {name:34s} {secs:7.1f} s")
    print(f"  payback's Monte Carlo (100,000 draws x 8 prices) {mc:.2f} s")
    print(f"test suite (pytest, after the build) {tests:6.1f} s")
    for name, size in pages.items():
        print(f"  page {name:29s} {size / 1024:7.0f} KB of HTML, "
              f"all charts drawn {chart_ms.get(name, 0):5.0f} ms after load")
    print(f"  shared chart library _static/vega-offline.js "
          f"{(ROOT / '_static/vega-offline.js').stat().st_size / 1024:.0f} KB (loaded once, cached)")
    kept = {k: v for k, v in (json.loads(RECORD.read_text(encoding="utf-8"))
                              if RECORD.is_file() else {}).items()
            if k in ("lighthouse", "mutation")}  # written by make audit and make mutation
    record = {**kept, "cores": os.cpu_count(), "python": platform.python_version(),
              "cold_build_s": round(cold, 1), "cached_rebuild_s": round(cached, 1),
              "scenario_build_s": round(scenario, 1), "scenario_file": SCENARIO,
              "scenario_chapters_run": rerun,
              "chapter_execution_s": {k: round(v, 1) for k, v in chapters.items()},
              "monte_carlo_s": round(mc, 2), "test_suite_after_build_s": round(tests, 1),
              "cold_build_against_baseline": paired}
    RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded in {RECORD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
