"""Run the chapters before the book's build reads them: in parallel, and only those that need it.

Every edition's build calls `prepare` before it reads anything (gpuecon.site.lifecycle). It
leaves each chapter's executed copy in `<edition build>/executed/chapters/<stem>.ipynb`, with a
manifest saying which chapters ran and why; the build then renders those copies with execution
off, so the published book and a scenario edition run their chapters the same way.

- The published book runs a chapter that has no executed copy or results yet, or whose file, a
  data file or a module a chapter can import changed since its copy was made; the others keep
  their copies, so a build with nothing changed runs nothing.
- A scenario edition runs the chapters whose recorded inputs (their results' `inputs`) include
  an overridden assumption, and reuses the published book's copies of the others, with their
  results and downloads: nothing they read has changed.

Chapters run in kernels of their own, as many at a time as the machine has cores, longest first.
A failing cell stops the build with the chapter, the cell, the error and the line of code.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import time
from pathlib import Path

import nbformat
import yaml

from .. import data, edition, paths, results
from ..rerun import encrypt_kernel_transport

# Where the executed copies and their manifest go, inside the edition's build folder.
EXECUTED_FOLDER = "executed"
MANIFEST = "chapters.json"
RUN, REUSED = "run with the scenario's assumptions", "reused from the published build"
RAN, KEPT = "executed", "kept from the last build"


def executed_dir(build_dir: Path | None = None) -> Path:
    return (build_dir or edition.current().build_dir) / EXECUTED_FOLDER


def executed_copy(stem: str, build_dir: Path | None = None) -> Path:
    return executed_dir(build_dir) / "chapters" / f"{stem}.ipynb"


def manifest() -> dict[str, dict]:
    """chapter -> {"how", "why"}, as written by this edition's last `prepare` (empty if none)."""
    path = executed_dir() / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _source(stem: str) -> Path:
    return paths.book_root() / "chapters" / f"{stem}.ipynb"


def _newest_input(stem: str) -> float:
    """A chapter's output depends on its own file, data/ and the modules it can import."""
    return max(f.stat().st_mtime for f in [_source(stem), *paths.shared_chapter_inputs()])


def _stale(stem: str, build_dir: Path) -> str:
    """Why the executed copy in `build_dir` cannot stand for the chapter now ('' if it can)."""
    copy = executed_copy(stem, build_dir)
    published = results.results_path(stem, build_dir / "results")
    if not (copy.is_file() and published.is_file()):
        return "it has not run yet"
    if min(copy.stat().st_mtime, published.stat().st_mtime) < _newest_input(stem):
        return "the chapter, data/ or gpuecon/ changed since it last ran"
    return ""


def _assumptions_read(stem: str) -> set[str]:
    """The assumptions a chapter read in the published build ('*': all of them)."""
    read = results.read(stem, edition.published().results_dir).inputs
    return {i["row"] for i in read if i["resource"] == "assumptions"}


def plan(current: edition.Edition) -> dict[str, str]:
    """chapter -> why it must run; a chapter left out keeps (or, in a scenario edition, reuses)
    the published build's executed copy."""
    published = edition.published().build_dir
    todo = {stem: why for stem in results.chapter_docs() if (why := _stale(stem, published))}
    if not current.is_scenario:
        return todo
    overridden = set(current.overrides)
    for stem in results.chapter_docs():
        if stem in todo:
            continue
        rows = _assumptions_read(stem)
        if "*" in rows:
            todo[stem] = "it reads every assumption"
        elif rows & overridden:
            todo[stem] = "it reads the " + ", the ".join(
                data.assumption_label(aid, in_sentence=True) for aid in sorted(rows & overridden))
    return todo


def _glued_names(notebook: nbformat.NotebookNode) -> set[str]:
    return {o.get("metadata", {}).get("scrapbook", {}).get("name", "")
            for cell in notebook.cells for o in cell.get("outputs", [])} - {""}


def reuse(stem: str, current: edition.Edition) -> None:
    """Copy a published chapter into a scenario edition: its executed notebook, its results and
    its figure and table downloads."""
    published = edition.published()
    source = executed_copy(stem, published.build_dir)
    target = executed_copy(stem, current.build_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    shutil.copy2(results.results_path(stem, published.results_dir), current.results_dir)
    figures = current.artifacts_dir / "figures"
    for name in _glued_names(nbformat.read(source, as_version=4)):
        for path in (published.artifacts_dir / "figures").glob(f"{name}.*"):
            shutil.copy2(path, figures)


class ChapterFailed(Exception):
    """A chapter stopped with an error; the message names the chapter, the cell, the error and
    the line of the chapter's code."""


def _timeout() -> int:
    """The book's own per-chapter limit (_config.yml, execute.timeout)."""
    config = yaml.safe_load((paths.book_root() / "_config.yml").read_text(encoding="utf-8"))
    return int(config["execute"]["timeout"])


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _where(notebook: nbformat.NotebookNode) -> tuple[int | None, str]:
    """The failing cell (counted from 1, as Jupyter shows them) and its failing line of code."""
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            trace = _ANSI.sub("", "\n".join(output.get("traceback", [])))
            # the last frame in the cell itself: "Cell In[12], line 5" followed by the code
            lines = [int(m.group(1)) for m in re.finditer(r"Cell In\[\d+\], line (\d+)", trace)]
            source = cell.source.splitlines()
            code = source[lines[0] - 1].strip() if lines and lines[0] <= len(source) else ""
            return index + 1, (f"line {lines[0]}: {code}" if code else "")
    return None, ""


async def run_notebook(source: Path, env: dict | None = None) -> nbformat.NotebookNode:
    """Execute a notebook in its own folder (its kernel with `env`, if given, instead of this
    process's environment); a failing cell raises ChapterFailed naming it."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(notebook, timeout=_timeout(), kernel_name="python3",
                            resources={"metadata": {"path": str(source.parent)}})
    try:
        await client.async_execute(**({"env": env} if env is not None else {}))
    except CellExecutionError as error:
        cell, line = _where(notebook)
        where = f"cell {cell}" if cell else "a cell"
        detail = f"\n    {line}" if line else ""
        shown = (source.relative_to(paths.book_root()) if source.is_relative_to(paths.book_root())
                 else source)
        raise ChapterFailed(f"{shown}, {where}: {error.ename}: {error.evalue}{detail}") from None
    return notebook


async def _run(stem: str, slots: asyncio.Semaphore, target: Path,
               env: dict | None = None) -> float:
    async with slots:
        start = time.perf_counter()
        notebook = await run_notebook(_source(stem), env)
        seconds = time.perf_counter() - start
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)  # only a chapter that ran through leaves a copy
    return seconds


async def _run_all(stems: list[str], workers: int, build_dir: Path) -> dict[str, float]:
    slots = asyncio.Semaphore(workers)
    jobs = [_run(stem, slots, executed_copy(stem, build_dir)) for stem in stems]
    outcome = await asyncio.gather(*jobs, return_exceptions=True)
    failed = [error for error in outcome if isinstance(error, BaseException)]
    if failed:
        raise failed[0] if len(failed) == 1 else ChapterFailed(
            "; ".join(str(e) for e in failed))
    return dict(zip(stems, outcome))


# With two or more overrides, each chapter that reads one runs again with that one alone, so
# that "What changed" can say which input moved each verdict (gpuecon.site.scenario_edition).
ALONE_FOLDER = "one_at_a_time"


def alone_dir(build_dir: Path, assumption_id: str) -> Path:
    return build_dir / ALONE_FOLDER / assumption_id


def run_one_at_a_time(current: edition.Edition, workers: int) -> dict[str, list[str]]:
    """Each override alone, from the book's values: the chapters that read it, run into
    `alone_dir(...)/results`. Returns override -> the chapters run."""
    if len(current.overrides) < 2:
        return {}
    jobs, runs = [], {}
    slots = asyncio.Semaphore(workers)
    for aid, value in current.overrides.items():
        folder = alone_dir(current.build_dir, aid)
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "results").mkdir(parents=True)
        (folder / paths.EXPORT_FOLDER / "figures").mkdir(parents=True)
        single = folder / f"{aid}.csv"
        single.write_text(f"# {data.assumption_label(aid)} alone\nassumption_id,value\n"
                          f"{aid},{value!r}\n", encoding="utf-8")
        env = {**os.environ, edition.SCENARIO_VARIABLE: str(single),
               edition.BUILD_DIR_VARIABLE: str(folder)}
        stems = [stem for stem in results.chapter_docs()
                 if {"*", aid} & _assumptions_read(stem)]
        runs[aid] = stems
        jobs += [_run(stem, slots, executed_copy(stem, folder), env) for stem in stems]

    async def gather():
        outcome = await asyncio.gather(*jobs, return_exceptions=True)
        failed = [error for error in outcome if isinstance(error, BaseException)]
        if failed:
            raise failed[0]

    asyncio.run(gather())
    return runs


def _longest_first(stems) -> list[str]:
    """Start the slowest chapter first (recorded times), so two workers finish together."""
    from . import provenance

    recorded = provenance.benchmark_record().get("chapter_execution_s", {})
    return sorted(stems, key=lambda stem: (-recorded.get(stem, 0.0), stem))


def prepare(workers: int | None = None) -> dict[str, dict]:
    """Run, keep or reuse every chapter for this process's edition; returns (and writes) the
    manifest. The caller has entered the book's build (edition.enter_book_build)."""
    current = edition.current()
    encrypt_kernel_transport()
    for folder in (current.results_dir, current.artifacts_dir / "figures"):
        folder.mkdir(parents=True, exist_ok=True)
    todo = plan(current)
    record = {}
    if current.is_scenario:
        shutil.rmtree(executed_dir(current.build_dir) / "chapters", ignore_errors=True)
        for stem in sorted(set(results.chapter_docs()) - set(todo)):
            reuse(stem, current)
            record[stem] = {"how": REUSED, "why": "it reads none of the overridden assumptions"}
    else:
        for stem in sorted(set(results.chapter_docs()) - set(todo)):
            record[stem] = {"how": KEPT, "why": "nothing it reads changed"}
    workers = workers or min(len(todo), os.cpu_count() or 1) or 1
    ran = asyncio.run(_run_all(_longest_first(todo), workers, current.build_dir))
    for stem, seconds in ran.items():
        record[stem] = {"how": RUN if current.is_scenario else RAN, "why": todo[stem]}
        print(f"  ran {stem} in {seconds:.1f} s ({todo[stem]})")
    for stem in sorted(set(record) - set(ran)):
        print(f"  {'reused' if current.is_scenario else 'kept'} {stem} ({record[stem]['why']})")
    if current.is_scenario:
        start = time.perf_counter()
        alone = run_one_at_a_time(current, workers)
        if alone:
            print(f"  ran each of the {len(alone)} changes alone in "
                  f"{time.perf_counter() - start:.1f} s (to say which moved each verdict)")
    record = dict(sorted(record.items()))
    path = executed_dir(current.build_dir) / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return record
