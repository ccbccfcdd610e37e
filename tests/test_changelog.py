"""The changelog of numbers names what moved and which input moved it."""

import csv
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "_build" / "html" / "artifacts"
sys.path.insert(0, str(ROOT / "tools"))
import values_changelog  # noqa: E402


def _edit(path, match, changes):
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0])
    for row in rows:
        if all(row[k] == v for k, v in match.items()):
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_identical_versions_report_nothing():
    text = values_changelog.changelog(ARTIFACTS, ARTIFACTS)
    assert "No value moved." in text and "No verdict changed." in text


def test_a_moved_value_is_traced_to_its_input(tmp_path):
    new = tmp_path / "new"
    shutil.copytree(ARTIFACTS, new, ignore=shutil.ignore_patterns("figures"))
    _edit(new / "values.csv", {"key": "n03_ours"}, {"display": "3,611"})
    _edit(new / "inputs.csv", {"chapter": "networking_arr", "row": "ms_gpus_sold_since_2021"},
          {"value": "3.6"})
    _edit(new / "claims.csv", {"claim_id": "N03"}, {"verdict": "holds approximately"})
    text = values_changelog.changelog(ARTIFACTS, new)
    assert "## Values (1 moved)" in text
    assert "| `n03_ours` | networking_arr | 3,939 USD per GPU per year | 3,611 USD per GPU per year |" in text
    assert "reported_figures.csv `ms_gpus_sold_since_2021`: 3.3 units_million → 3.6 units_million" in text
    assert "- N03: holds → holds approximately" in text
