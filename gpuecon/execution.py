"""Run a scenario edition's chapters before its build: only those the scenario touches, in parallel.

The published book lets myst-nb execute every chapter, one after another, inside the build. A
scenario edition does not need that: a chapter whose recorded inputs (its results' `inputs`)
include none of the overridden assumptions computes exactly what the published build computed.
So a scenario edition's build (`make scenario`) first calls `prepare_scenario_edition`, which
- re-runs the chapters that read an overridden assumption, as many at a time as the machine
  has cores (each in its own kernel, with the scenario's environment);
- reuses the published build's executed copy of the others, with their results and downloads;
- writes every executed chapter to `<scenario build>/executed/`, with `chapters.json` saying
  which chapters ran and why.
The build then renders these copies with execution off (gpuecon.sphinx_ext).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from . import data, paths, results, scenarios

# Where the executed copies and their manifest go, inside the edition's build folder.
EXECUTED_FOLDER = "executed"
MANIFEST = "chapters.json"
RUN, REUSED = "run with the scenario's assumptions", "reused from the published build"


def encrypt_kernel_transport() -> None:
    """Chapters run in kernels started by nbclient, which reads no Jupyter config file: without
    this, every kernel talks over plain TCP and ipykernel warns about it once per chapter.
    'auto' provisions CurveZMQ keys for kernels whose spec declares support (ipykernel's does)."""
    from jupyter_client.manager import KernelManager

    KernelManager.transport_encryption.default_value = "auto"


def executed_dir() -> Path:
    return paths.build_dir() / EXECUTED_FOLDER


def executed_copy(stem: str) -> Path:
    return executed_dir() / "chapters" / f"{stem}.ipynb"


def manifest() -> dict[str, dict]:
    """chapter -> {"how": RUN or REUSED, "why": ...}, as written by the last run (empty if none)."""
    path = executed_dir() / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _source(stem: str) -> Path:
    return paths.book_root() / "chapters" / f"{stem}.ipynb"


def _published_copy(stem: str) -> tuple[Path, Path]:
    """myst-nb's executed copy of a published chapter: the notebook and, apart, its glued outputs."""
    folder = paths.book_root() / "_build" / "jupyter_execute" / "chapters"
    return folder / f"{stem}.ipynb", folder / f"{stem}.glue.json"


def _newest_dependency_mtime(stem: str) -> float:
    """A chapter's output depends on its own file, data/ and the package (as in the book's build)."""
    return max(f.stat().st_mtime for f in [_source(stem), *paths.shared_chapter_inputs()])


def plan(scenario: scenarios.Scenario) -> dict[str, str]:
    """chapter -> why it must run, for each chapter the scenario can change or nothing can be
    reused for; the chapters left out are reused."""
    overridden = set(scenario.overrides)
    todo = {}
    for stem in results.chapter_docs():
        notebook, glued = _published_copy(stem)
        published = paths.published_results_dir() / f"{stem}.json"
        if not (notebook.is_file() and glued.is_file() and published.is_file()):
            todo[stem] = "the published build has no executed copy of it"
            continue
        if min(notebook.stat().st_mtime, published.stat().st_mtime) < _newest_dependency_mtime(stem):
            todo[stem] = "the chapter, data/ or gpuecon/ changed since the published build"
            continue
        read = json.loads(published.read_text(encoding="utf-8"))["inputs"]
        rows = {i["row"] for i in read if i["resource"] == "assumptions"}
        if "*" in rows:
            todo[stem] = "it reads every assumption"
        elif rows & overridden:
            todo[stem] = "it reads the " + ", the ".join(
                data.assumption_label(aid, in_sentence=True) for aid in sorted(rows & overridden))
    return todo


def reuse(stem: str) -> None:
    """Copy a published chapter into this edition: its executed notebook (with the glued outputs
    put back, as myst-nb keeps them apart), its results, and its figure and table downloads."""
    from myst_nb.ext.glue import GLUE_PREFIX

    notebook_path, glued_path = _published_copy(stem)
    notebook = nbformat.read(notebook_path, as_version=4)
    glued = json.loads(glued_path.read_text(encoding="utf-8"))
    hidden = []
    for output in glued.values():
        prefix = output["metadata"]["scrapbook"].get("mime_prefix", "")
        if prefix:  # glued with display=False: myst-nb took it out of the notebook
            hidden.append(nbformat.from_dict({**output, "data": {
                prefix + mime: value for mime, value in output["data"].items()}}))
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    code_cells[-1].outputs = list(code_cells[-1].get("outputs", [])) + hidden
    _write(stem, notebook)
    shutil.copy2(paths.published_results_dir() / f"{stem}.json", paths.results_dir())
    published_figures = paths.book_root() / "_build" / paths.EXPORT_FOLDER / "figures"
    figures = paths.artifacts_dir() / "figures"
    for key in glued:
        for path in published_figures.glob(f"{key}.*"):
            shutil.copy2(path, figures)


def _write(stem: str, notebook: nbformat.NotebookNode) -> None:
    path = executed_copy(stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


class ChapterFailed(Exception):
    """A chapter stopped with an error; the message names the chapter, the cell and the error."""


def _timeout() -> int:
    """The book's own per-chapter limit (_config.yml, execute.timeout)."""
    config = yaml.safe_load((paths.book_root() / "_config.yml").read_text(encoding="utf-8"))
    return int(config["execute"]["timeout"])


async def run_notebook(source: Path) -> nbformat.NotebookNode:
    """Execute a notebook in its own folder; a failing cell raises ChapterFailed naming it."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(notebook, timeout=_timeout(), kernel_name="python3",
                            resources={"metadata": {"path": str(source.parent)}})
    try:
        await client.async_execute()
    except CellExecutionError as error:
        index = next((i for i, cell in enumerate(notebook.cells)
                      if any(o.get("output_type") == "error" for o in cell.get("outputs", []))),
                     None)
        where = f"cell {index + 1}" if index is not None else "a cell"
        raise ChapterFailed(f"{source}, {where}: {error.ename}: {error.evalue}") from None
    return notebook


async def _run(stem: str, slots: asyncio.Semaphore) -> float:
    async with slots:
        start = time.perf_counter()
        notebook = await run_notebook(_source(stem))
        seconds = time.perf_counter() - start
    _write(stem, notebook)
    return seconds


async def _run_all(stems: list[str], workers: int) -> dict[str, float]:
    slots = asyncio.Semaphore(workers)
    seconds = await asyncio.gather(*(_run(stem, slots) for stem in stems))
    return dict(zip(stems, seconds))


def _longest_first(stems) -> list[str]:
    """Start the slowest chapter first (recorded times), so two workers finish together."""
    from . import provenance

    recorded = provenance.benchmark_record().get("chapter_execution_s", {})
    return sorted(stems, key=lambda stem: -recorded.get(stem, 0.0))


def prepare_scenario_edition(workers: int | None = None) -> dict[str, dict]:
    """Run or reuse every chapter for the active scenario; returns (and writes) the manifest."""
    scenario = scenarios.active()
    if scenario is None:
        raise RuntimeError("no scenario: set GPUECON_SCENARIO (make scenario SCENARIO=file.csv)")
    os.environ["GPUECON_ROOT"] = str(paths.book_root())
    os.environ["GPUECON_BOOK_BUILD"] = "1"  # kernels inherit it: chapters glue for the book
    encrypt_kernel_transport()
    shutil.rmtree(executed_dir(), ignore_errors=True)
    for folder in (paths.results_dir(), paths.artifacts_dir() / "figures"):
        folder.mkdir(parents=True, exist_ok=True)
    todo = plan(scenario)
    record = {}
    for stem in results.chapter_docs():
        if stem not in todo:
            reuse(stem)
            record[stem] = {"how": REUSED, "why": "it reads none of the overridden assumptions"}
    workers = workers or min(len(todo), os.cpu_count() or 1) or 1
    ran = asyncio.run(_run_all(_longest_first(todo), workers))
    for stem, seconds in ran.items():
        record[stem] = {"how": RUN, "why": todo[stem]}
        print(f"  ran {stem} in {seconds:.1f} s ({todo[stem]})")
    for stem in sorted(set(record) - set(ran)):
        print(f"  reused {stem} ({record[stem]['why']})")
    record = dict(sorted(record.items()))
    (executed_dir() / MANIFEST).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return record
