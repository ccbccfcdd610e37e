"""Each chapter's runnable bundle, as a re-executor uses it: its README's lines, run as written
in an empty folder with none of the book's variables set, install what the chapter needs,
execute it, print its verdicts and values, and reproduce the book's numbers."""

import csv
import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLES = ROOT / "_build" / "html" / "artifacts" / "bundles"
CHAPTERS = sorted(p.stem for p in ROOT.glob("chapters/*.ipynb"))
# Variables the book's own runs set; a reader's shell has none of them.
NOT_A_READERS = ("GPUECON_ROOT", "GPUECON_BUILD_DIR", "GPUECON_SCENARIO", "PYTHONPATH",
                 "VIRTUAL_ENV", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR")


def _book_values(chapter):
    with (ROOT / "_build" / "html" / "artifacts" / "values.csv").open(encoding="utf-8") as fh:
        return {r["key"]: float(r["value"]) for r in csv.DictReader(fh) if r["chapter"] == chapter}


def _unpack(chapter: str, folder: Path) -> list[str]:
    """The bundle unzipped into an empty folder; its README's command lines, in order."""
    folder.mkdir(parents=True)
    with zipfile.ZipFile(BUNDLES / f"{chapter}.zip") as bundle:
        bundle.extractall(folder)
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    return [line.strip() for line in readme.splitlines()
            if line.startswith("  ") and ".venv" in line]


def _run(line: str, folder: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in NOT_A_READERS}
    return subprocess.run(["bash", "-c", line], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The first line of a bundle's README, run as written: a virtual environment with the
    chapter's requirements. Every bundle ships the same requirements file (checked below), so
    the other bundles use this environment rather than installing it five times."""
    folder = tmp_path_factory.mktemp("bundle") / "first"
    lines = _unpack(CHAPTERS[0], folder)
    run = _run(lines[0], folder)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return folder


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_bundle_runs_as_its_readme_says(chapter, installed, tmp_path):
    folder = tmp_path / chapter
    lines = _unpack(chapter, folder)
    assert lines[0] == "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt"
    assert lines[1] == f".venv/bin/python -m gpuecon.rerun chapters/{chapter}.ipynb"
    assert (folder / "requirements.txt").read_bytes() == \
        (installed / "requirements.txt").read_bytes()
    # the chapter's runtime only: no build, browser or test tools
    pins = (folder / "requirements.txt").read_text(encoding="utf-8").lower()
    for tool in ("jupyter-book", "playwright", "hypothesis", "linkchecker", "pytest"):
        assert f"\n{tool}==" not in pins, tool
    (folder / ".venv").symlink_to(installed / ".venv")
    run = _run(lines[1], folder)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert (folder / "chapters" / f"{chapter}.executed.ipynb").is_file()
    ran = json.loads((folder / "_build" / "results" / f"{chapter}.json").read_text())
    mine = {v["key"]: v["value"] for v in ran["values"]}
    book = _book_values(chapter)
    assert mine.keys() == book.keys()
    for key, value in book.items():
        assert mine[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key
    # what it prints: every verdict, and every value with what it is
    for claim in ran["claims"]:
        assert f"{claim['claim_id']}: {claim['verdict']}." in run.stdout
    for value in ran["values"]:
        assert value["description"] in run.stdout, value["key"]
    assert f"chapters/{chapter}.executed.ipynb" in run.stdout


def test_bundles_are_byte_identical_between_builds():
    """A zip carries fixed timestamps, so a bundle's bytes depend on its contents only."""
    with zipfile.ZipFile(BUNDLES / "payback.zip") as bundle:
        assert {info.date_time for info in bundle.infolist()} == {(2024, 1, 1, 0, 0, 0)}
