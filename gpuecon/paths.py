"""Where things are: the book root, its data, and what every chapter depends on."""

from __future__ import annotations

import os
from pathlib import Path

ROOT_VARIABLE = "GPUECON_ROOT"  # set by the build (and by tests) to point at a book root

# The site folder of the downloads and exports: <site>/artifacts/.
EXPORT_FOLDER = "artifacts"
# The build-side sub-package: chapters never depend on it.
SITE_PACKAGE = "site"


def book_root() -> Path:
    """The folder holding `_config.yml`, found from $GPUECON_ROOT or by walking up from cwd.

    Notebooks run with their own folder as working directory (in the book build and in
    nbval alike), so walking up from cwd finds the root from any chapter.
    """
    env = os.environ.get(ROOT_VARIABLE)
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "_config.yml").is_file() and (folder / "data").is_dir():
            return folder
    raise FileNotFoundError(f"no book root (a folder with _config.yml and data/) above {here}")


def data_dir() -> Path:
    return book_root() / "data"


def kernel_modules(package: Path | None = None) -> list[Path]:
    """The package's modules a chapter can import: everything but the build's own sub-package
    (of the package this process imported, or of the copy in `package`)."""
    package = package or Path(__file__).parent
    return sorted(p for p in package.rglob("*.py")
                  if SITE_PACKAGE not in p.relative_to(package).parts[:-1])


def shared_chapter_inputs() -> list[Path]:
    """What every chapter depends on besides its own file: each data file and each module a
    chapter can import (a change to any of them re-runs the chapters)."""
    return sorted(p for p in data_dir().iterdir() if p.is_file()) + kernel_modules()
