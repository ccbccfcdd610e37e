"""What a reader needs to reproduce this build: the commit, the pinned packages, the data's
checksums and the recorded run times (tools/benchmark-record.json, from `make benchmark`).

Nothing here is measured during the build itself: a page that showed this build's own timings
would differ on every build."""

from __future__ import annotations

import json
import platform
import subprocess

from .. import paths

# The README's two commands for a fresh machine.
COMMANDS = (("make book", "set up .venv from the pinned packages and build the HTML book"),
            ("make test", "the same set-up and Chromium; rebuild every chapter from scratch; "
                          "run every test"))


def commit() -> str:
    """The checkout's commit ('-dirty' with uncommitted changes), or a sentence saying why not."""
    def git(*args):
        out = subprocess.run(["git", *args], cwd=paths.book_root(), capture_output=True,
                             text=True)
        return out.stdout.strip() if out.returncode == 0 else ""

    head = git("rev-parse", "HEAD")
    if not head:
        return "not built from a git checkout"
    return f"{head}-dirty" if git("status", "--porcelain", "--untracked-files=no") else head


def python_version() -> str:
    return platform.python_version()


def locked_packages() -> list[tuple[str, str]]:
    """(name, version) of every package pinned in requirements-lock.txt."""
    pins = []
    for line in (paths.book_root() / "requirements-lock.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins.append((name, version))
    return pins


def data_checksums() -> list[tuple[str, str]]:
    """(file, sha256) from data/MANIFEST.sha256, which the tests verify against the files."""
    rows = []
    for line in (paths.data_dir() / "MANIFEST.sha256").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        rows.append((f"data/{name}", digest))
    return rows


def benchmark_record() -> dict:
    """The recorded run times of `make benchmark` (empty if none is committed)."""
    path = paths.book_root() / "tools" / "benchmark-record.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
