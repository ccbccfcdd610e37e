"""The book build refuses bad data before any notebook runs."""

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
