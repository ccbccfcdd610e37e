"""The data the book used are the data in the manifest; builds are deterministic; no network."""

import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import data_manifest  # noqa: E402


def test_data_match_the_manifest():
    assert data_manifest.differences() == [], "run `make data-manifest` after a deliberate change"


def test_manifest_check_catches_a_change(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    monkeypatch.setattr(data_manifest, "DATA", copy)
    monkeypatch.setattr(data_manifest, "MANIFEST", copy / "MANIFEST.sha256")
    (copy / "assumptions.csv").write_text((copy / "assumptions.csv").read_text() + "\n")
    (copy / "extra.csv").write_text("x\n")
    assert data_manifest.differences() == [
        "assumptions.csv: changed since the manifest", "extra.csv: not in the manifest"]


NETWORK_PATTERNS = re.compile(r"https?://|urllib|requests\.|socket|read_csv\(\s*['\"]http")


@pytest.mark.parametrize("nb_path", sorted(ROOT.glob("chapters/*.ipynb")), ids=lambda p: p.name)
def test_chapters_read_nothing_from_the_network(nb_path):
    for cell in nbformat.read(nb_path, as_version=4).cells:
        if cell.cell_type == "code":
            assert not NETWORK_PATTERNS.search(cell.source), cell.source[:200]


def test_remote_data_paths_are_refused(book_copy):
    from gpuecon import data

    descriptor = book_copy / "data" / "datapackage.json"
    descriptor.write_text(descriptor.read_text().replace(
        '"path": "assumptions.csv"', '"path": "https://example.org/assumptions.csv"'))
    with pytest.raises(data.DataError, match="remote data not allowed"):
        data.load_all(book_copy / "data")
