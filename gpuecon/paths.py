"""Where things are: the book root, its data and the build outputs the chapters write."""

from __future__ import annotations

import os
from pathlib import Path


def book_root() -> Path:
    """The folder holding `_config.yml`, found from $GPUECON_ROOT or by walking up from cwd.

    Notebooks run with their own folder as working directory (in the book build and in
    nbval alike), so walking up from cwd finds the root from any chapter.
    """
    env = os.environ.get("GPUECON_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "_config.yml").is_file() and (folder / "data").is_dir():
            return folder
    raise FileNotFoundError(f"no book root (a folder with _config.yml and data/) above {here}")


def data_dir() -> Path:
    return book_root() / "data"


def shared_chapter_inputs() -> list[Path]:
    """What every chapter depends on besides its own file: each data file and each module of
    the package (a change to any of them re-runs the chapters)."""
    package = Path(__file__).parent
    return sorted(p for p in data_dir().iterdir() if p.is_file()) + sorted(package.glob("*.py"))


def build_dir() -> Path:
    """The edition's build folder: `_build` for the published book; a scenario edition's own
    folder (GPUECON_BUILD_DIR, set by `make scenario`), so it never overwrites the book's."""
    env = os.environ.get("GPUECON_BUILD_DIR")
    return Path(env).resolve() if env else book_root() / "_build"


def published_results_dir() -> Path:
    """The published edition's results, which a scenario edition compares itself with."""
    return book_root() / "_build" / "results"


def results_dir() -> Path:
    """Per-chapter claim results and glued values, written when a chapter executes."""
    return build_dir() / "results"


# The site folder of the downloads and exports: <site>/artifacts/.
EXPORT_FOLDER = "artifacts"


def artifacts_dir() -> Path:
    """Files published under `<site>/artifacts/`: figure downloads and the exports."""
    return build_dir() / EXPORT_FOLDER


def in_book_build() -> bool:
    """True in a kernel the book's build started (gpuecon.sphinx_ext sets GPUECON_BOOK_BUILD);
    False in JupyterLab or a bundle, where a chapter shows its values and charts in its cells."""
    return bool(os.environ.get("GPUECON_BOOK_BUILD"))
