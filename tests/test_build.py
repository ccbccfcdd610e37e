"""The book build refuses bad data before any notebook runs."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bad_data_stop_the_build_with_file_row_column(tmp_path):
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    for folder in ("chapters", "data", "_static"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    figures = tmp_path / "data" / "reported_figures.csv"
    lines = figures.read_text().splitlines()
    lines[2] = lines[2].replace(",13,USD_bn_per_year,", ",-13,USD_bn_per_year,")
    figures.write_text("\n".join(lines) + "\n")
    jb = Path(sys.executable).with_name("jupyter-book")
    run = subprocess.run([str(jb), "build", "-W", "-n", "--keep-going", str(tmp_path)],
                         capture_output=True, text=True, timeout=300)
    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert "data/reported_figures.csv, row 3, column 'value': '-13' is not allowed" in output
    assert not (tmp_path / "_build" / "html" / "chapters" / "networking_arr.html").exists()
    assert "Executing" not in output and "executing" not in output.lower().replace(
        "execute_notebooks", ""), "a notebook ran before the data were validated"


# A warning line as the tools print them: Sphinx and myst-nb ("WARNING:"), Jupyter's loggers
# ("[IPKernelApp] WARNING |"), Python's warnings module ("DeprecationWarning: ..."). Settings
# echoed in the log (nb_output_stderr='warn', suppress_warnings=[]) are not warnings.
WARNING_LINE = re.compile(r"\bWARNING\b|\b[A-Z]\w*Warning: |^\s*warning: ")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_warning_lines_are_recognised():
    assert WARNING_LINE.search("[IPKernelApp] WARNING | Kernel is running over TCP")
    assert WARNING_LINE.search("/x/payback.ipynb:12: WARNING: undefined label")
    assert WARNING_LINE.search("/x/y.py:3: FutureWarning: use .loc")
    assert not WARNING_LINE.search("nb_output_stderr='warn', suppress_warnings=[]")


def test_the_build_log_has_no_warning():
    log = ROOT / "_build" / "build.log"
    assert log.is_file(), "no _build/build.log: build with make book or make rebuild"
    lines = ANSI.sub("", log.read_text(encoding="utf-8", errors="replace")).splitlines()
    warnings = [line for line in lines if WARNING_LINE.search(line)]
    assert not warnings, "\n".join(warnings[:10])
    assert "build succeeded" in "\n".join(lines)


def test_a_failed_build_ends_with_the_lines_a_reader_needs(tmp_path):
    from gpuecon.data import DataError, Problem

    explain = [sys.executable, str(ROOT / "tools" / "explain_failure.py")]
    bad_data = str(DataError([Problem("data/assumptions.csv", 4, "value", "'x' is not a number")]))
    log = tmp_path / "build.log"
    log.write_text("Traceback (most recent call last):\n  ...\n" + bad_data + "\n")
    out = subprocess.run([*explain, str(log)], capture_output=True, text=True).stdout
    assert "A problem in the book's data:\n  data/assumptions.csv, row 4, column 'value'" in out
    log.write_text("  File x\ngpuecon.claims.VerdictChanged: B04: the chapter expects 'holds' "
                   "but the data now give 'does not hold'.\n")
    out = subprocess.run([*explain, str(log)], capture_output=True, text=True).stdout
    assert "B04: the chapter expects 'holds'" in out and "make scenario" in out
    log.write_text("Handler <function> for event 'config-inited' threw an exception (exception: "
                   "A problem in the scenario file:\n  mine.csv, row 2, column 'value': 1.4 is not "
                   "possible (possible: 0 to 1))\n")
    out = subprocess.run([*explain, str(log)], capture_output=True, text=True).stdout
    assert "A problem in the scenario file:\n  mine.csv, row 2, column 'value': 1.4 is not " \
           "possible (possible: 0 to 1)\n" in out, out
