"""Which edition this process computes: the published book, or a scenario edition.

The edition is decided once, by whoever starts the work: the Makefile names the scenario file
and the edition's build folder (`make scenario`), the book's build says it is building
(`enter_book_build`), and the kernels the build starts inherit both through the environment.
This module is the one place that reads them; everything else asks `current()` and is handed
what it needs (the data loader, for one, takes the overrides; it does not know what a scenario
is).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import paths

SCENARIO_VARIABLE = "GPUECON_SCENARIO"  # the scenario file of a scenario edition
BUILD_DIR_VARIABLE = "GPUECON_BUILD_DIR"  # a scenario edition's own build folder
BOOK_BUILD_VARIABLE = "GPUECON_BOOK_BUILD"  # set by the book's build for its kernels


@dataclass(frozen=True)
class Edition:
    """What a chapter, the exports or a page part need to know about the edition."""

    build_dir: Path
    in_book_build: bool  # False in JupyterLab or a bundle: a chapter shows what it publishes
    scenario: object | None = None  # a scenarios.Scenario
    overrides: dict[str, float] = field(default_factory=dict)

    @property
    def is_scenario(self) -> bool:
        return self.scenario is not None

    @property
    def results_dir(self) -> Path:
        """Per-chapter results (values, verdicts), written when a chapter runs."""
        return self.build_dir / "results"

    @property
    def artifacts_dir(self) -> Path:
        """Figure and table downloads, copied into `<site>/artifacts/` at build end."""
        return self.build_dir / paths.EXPORT_FOLDER


def current() -> Edition:
    """The edition of this process (read from the environment its starter set)."""
    scenario_file = os.environ.get(SCENARIO_VARIABLE, "")
    stamp = _file_stamp(scenario_file) if scenario_file else ()
    return _edition(scenario_file, stamp, os.environ.get(BUILD_DIR_VARIABLE, ""),
                    bool(os.environ.get(BOOK_BUILD_VARIABLE)), str(paths.book_root()))


def _file_stamp(path: str) -> tuple:
    """Changes when the file does, so an edited scenario file is read again."""
    try:
        found = os.stat(path)
    except OSError:
        return ()  # scenarios.load says what is wrong with the path
    return found.st_mtime_ns, found.st_size


@functools.lru_cache(maxsize=8)
def _edition(scenario_file: str, stamp: tuple, build_dir: str, in_book_build: bool,
             root: str) -> Edition:
    folder = Path(build_dir).resolve() if build_dir else Path(root) / "_build"
    if not scenario_file:
        return Edition(folder, in_book_build)
    from . import scenarios

    scenario = scenarios.load(scenario_file)
    return Edition(folder, in_book_build, scenario, dict(scenario.overrides))


def published() -> Edition:
    """The published edition of this book (what a scenario edition compares itself with)."""
    return Edition(paths.book_root() / "_build", True)


def enter_book_build(root: Path) -> None:
    """Called by the book's build before anything runs: kernels started from now on inherit the
    book's root and know they run for the book (they glue instead of showing)."""
    os.environ[paths.ROOT_VARIABLE] = str(Path(root).resolve())
    os.environ[BOOK_BUILD_VARIABLE] = "1"
    # Chart images are drawn in the kernels, and a date axis in the machine's time zone: the
    # book's are drawn in UTC, so every machine makes the same files.
    os.environ["TZ"] = "UTC"
