"""The chapter notebooks: stored clean, with hidden asserts, and failing loudly on a flipped verdict."""

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from gpuecon import notebooks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(ROOT.glob("chapters/*.ipynb"))


def test_there_are_chapters():
    assert NOTEBOOKS


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_clean(nb_path):
    """No outputs, no execution counts, one kernel spec, no editor metadata (gpuecon.notebooks)."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    assert notebooks.problems(nb) == [], nb_path.name
    assert (nb["nbformat"], nb["nbformat_minor"]) == (4, 5)


def test_the_kernel_spec_is_the_one_jupyter_writes():
    """Opening a chapter in Jupyter must not rename its kernel: the stored spec is ipykernel's."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert notebooks.KERNELSPEC == {"display_name": spec.display_name,
                                    "language": spec.language, "name": "python3"}


def test_the_save_hook_strips_what_running_a_chapter_adds():
    nb = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    clean_copy = json.loads(json.dumps(nb))
    # what JupyterLab writes after running all cells
    nb["metadata"]["kernelspec"]["display_name"] = "Python 3"
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1.25\n"}]
    code["execution_count"] = 7
    code["metadata"]["collapsed"] = False
    text = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    text["source"] = "".join(text["source"]).replace("\\$", "$")  # typed in JupyterLab
    assert notebooks.problems(nb)
    notebooks.jupyter_pre_save_hook({"type": "notebook", "content": nb})
    assert notebooks.problems(nb) == []
    text["source"] = text["source"].splitlines(keepends=True)  # Jupyter's in-memory form
    assert nb == clean_copy


def test_a_bare_dollar_is_named_and_escaped():
    cell = {"id": "a", "cell_type": "markdown", "metadata": {},
            "source": ["Costs $2 an hour, `$x` in code\n", "and {glue:text}`p:.2f` $3."]}
    nb = {"metadata": {"kernelspec": dict(notebooks.KERNELSPEC)}, "cells": [cell]}
    assert notebooks.problems(nb) == [
        "cell 0, line 1: a bare '$' (write '\\$'; JupyterLab reads $...$ as maths)"]
    notebooks.clean(nb)
    assert cell["source"] == ["Costs \\$2 an hour, `$x` in code\n",
                              "and {glue:text}`p:.2f` \\$3."]


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_hidden_guards_and_saves_results(nb_path):
    """The comparisons the text rests on go through report.guard (which stops the published
    book and flags a scenario), never a bare assert (which would break a scenario edition)."""
    cells = nbformat.read(nb_path, as_version=4).cells
    hidden = [c for c in cells if "remove-cell" in c.metadata.get("tags", [])]
    assert any("report.guard(" in c.source for c in hidden), "no hidden guard cell"
    bare = [line for c in cells if c.cell_type == "code" for line in c.source.splitlines()
            if line.lstrip().startswith("assert ")]  # in any cell, shown or hidden
    assert not bare, bare
    assert "report.save()" in cells[-1].source, "the last cell must save the chapter's results"


def test_outside_the_book_a_chapter_shows_its_values_and_charts(tmp_path, monkeypatch):
    """In JupyterLab (no book build) glue shows nothing, so a chapter shows its charts, tables
    and, when it saves, every value and verdict it publishes, in its own cells."""
    monkeypatch.delenv("GPUECON_BOOK_BUILD", raising=False)
    monkeypatch.setenv("GPUECON_BUILD_DIR", str(tmp_path))  # keep the book's results as they are
    path = ROOT / "chapters" / "networking_arr.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if o.get("output_type") == "display_data"]
    assert any("application/vnd.vegalite.v6+json" in o["data"] or "altair-viz" in
               o["data"].get("text/html", "") for o in shown), "no chart shown"
    last = "".join(o["data"].get("text/html", "") for o in nb.cells[-1].get("outputs", [])
                   if o.get("output_type") == "display_data")
    assert "N03" in last and "arr_per_gpu" in last
