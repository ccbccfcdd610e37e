"""The chapter notebooks: stored clean, with hidden asserts, and failing loudly on a flipped verdict."""

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(ROOT.glob("chapters/*.ipynb"))


def test_there_are_chapters():
    assert NOTEBOOKS


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(nb_path):
    for cell in nbformat.read(nb_path, as_version=4).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, nb_path.name


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_hidden_asserts_and_saves_results(nb_path):
    cells = nbformat.read(nb_path, as_version=4).cells
    hidden = [c for c in cells if "remove-cell" in c.metadata.get("tags", [])]
    assert any("assert " in c.source for c in hidden), "no hidden assert cell"
    assert "report.save()" in cells[-1].source, "the last cell must save the chapter's results"


def test_changed_data_that_flip_a_verdict_stop_the_chapter(book_copy):
    """3.3M -> 2.0M GPUs moves N03 from $3,939 to $6,500: the chapter must refuse to run on."""
    figures = book_copy / "data" / "reported_figures.csv"
    text = figures.read_text()
    assert ",3.3,units_million," in text
    figures.write_text(text.replace(",3.3,units_million,", ",2.0,units_million,"))
    (book_copy / "chapters").mkdir()
    target = book_copy / "chapters" / "networking_arr.ipynb"
    shutil.copy(ROOT / "chapters" / "networking_arr.ipynb", target)
    nb = nbformat.read(target, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(target.parent)}})
    with pytest.raises(CellExecutionError) as info:
        client.execute()
    assert "VerdictChanged" in str(info.value)
    assert "N03: the chapter expects 'holds'" in str(info.value)
