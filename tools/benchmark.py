"""Time a cold build, a cached rebuild, each chapter's execution and the test suite.

A benchmark, not a test: it prints figures and never fails on them. Run: make benchmark
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BUILD = [str(BIN / "jupyter-book"), "build", "-W", "-n", "--keep-going", str(ROOT)]


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    return time.perf_counter() - start


def execute(nb_path: Path) -> float:
    nb = nbformat.read(nb_path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(nb_path.parent)}}).execute()
    return time.perf_counter() - start


def main() -> None:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    cold = timed(BUILD)
    cached = timed(BUILD)
    chapters = {p.name: execute(p) for p in sorted(ROOT.glob("chapters/*.ipynb"))}
    tests = timed([str(BIN / "python"), "-m", "pytest", "-q"])
    pages = {p.name: p.stat().st_size for p in sorted((ROOT / "_build/html/chapters").glob("*.html"))}

    print(f"cold build (rm -rf _build; build)  {cold:7.1f} s")
    print(f"cached rebuild, nothing changed     {cached:7.1f} s  ({cached / cold:.0%} of cold)")
    executing = sum(chapters.values())
    print(f"notebook execution, all chapters    {executing:7.1f} s  "
          f"(the cold build spends {max(cold - executing, 0):.1f} s outside execution)")
    for name, secs in chapters.items():
        print(f"  {name:34s} {secs:7.1f} s")
    print(f"test suite (pytest, after the build) {tests:6.1f} s")
    for name, size in pages.items():
        print(f"  page {name:29s} {size / 1024:7.0f} KB of HTML")


if __name__ == "__main__":
    main()
