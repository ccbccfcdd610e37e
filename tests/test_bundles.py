"""Each chapter's runnable bundle reproduces the chapter's values from an empty folder, with
nothing from the repository on its path."""

import csv
import json
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BUNDLES = ROOT / "_build" / "html" / "artifacts" / "bundles"
CHAPTERS = sorted(p.stem for p in ROOT.glob("chapters/*.ipynb"))


def _book_values(chapter):
    with (ROOT / "_build" / "html" / "artifacts" / "values.csv").open(encoding="utf-8") as fh:
        return {r["key"]: float(r["value"]) for r in csv.DictReader(fh) if r["chapter"] == chapter}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_bundle_reproduces_its_chapter_from_an_empty_folder(chapter, tmp_path, monkeypatch):
    with zipfile.ZipFile(BUNDLES / f"{chapter}.zip") as bundle:
        names = bundle.namelist()
        bundle.extractall(tmp_path)
    assert {"README.txt", "requirements.txt", "_config.yml", f"chapters/{chapter}.ipynb",
            "gpuecon/finance.py", "data/assumptions.csv"} <= set(names)
    # the kernel sees the bundle first (the repository's editable install comes after it)
    for name in ("GPUECON_ROOT", "GPUECON_BUILD_DIR", "GPUECON_SCENARIO"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    notebook = tmp_path / "chapters" / f"{chapter}.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell(
        "import gpuecon, json; print(json.dumps(gpuecon.__file__))"))
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()
    printed = json.loads(nb.cells[1].outputs[0]["text"])
    assert Path(printed).resolve().is_relative_to(tmp_path.resolve()), printed
    ran = json.loads((tmp_path / "_build" / "results" / f"{chapter}.json").read_text())
    mine = {v["key"]: v["value"] for v in ran["values"]}
    book = _book_values(chapter)
    assert mine.keys() == book.keys()
    for key, value in book.items():
        assert mine[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key


def test_bundles_are_byte_identical_between_builds():
    """A zip carries fixed timestamps, so a bundle's bytes depend on its contents only."""
    with zipfile.ZipFile(BUNDLES / "payback.zip") as bundle:
        assert {info.date_time for info in bundle.infolist()} == {(2024, 1, 1, 0, 0, 0)}
