"""Shared fixtures: a throw-away copy of the book's data, for bad-input tests."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def book_copy(tmp_path, monkeypatch):
    """A minimal book root (config, table of contents, chapters, data) in tmp_path; gpuecon
    reads from it."""
    for name in ("_config.yml", "_toc.yml", "CITATION.cff"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setenv("GPUECON_ROOT", str(tmp_path))
    return tmp_path
