"""The book's machine-readable exports, written into the site at build end.

  artifacts/values.{csv,json}     every published number with unit, claim, chapter, as-of
  artifacts/claims.{csv,json}     the claims register with our values and verdicts
  artifacts/forecasts.{csv,json}  the posts' forecasts with what became of them
  artifacts/inputs.{csv,json}     every input each chapter read
  artifacts/figures/<name>.*      each figure's downloads (written by the chapters)
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pandas as pd

from . import paths
from .citation import citation_meta
from .results import BookResults


def write_csv_json(df: pd.DataFrame, folder: Path, stem: str, meta: dict) -> None:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    (folder / f"{stem}.csv").write_text(buf.getvalue(), encoding="utf-8")
    records = json.loads(df.to_json(orient="records", force_ascii=False, double_precision=15))
    doc = {**meta, "rows": records}
    (folder / f"{stem}.json").write_text(
        json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )


def write_citation_file(site: Path, version_url: str) -> None:
    """The book's CITATION.cff, with the address of this version, at the site's root."""
    text = (paths.book_root() / "CITATION.cff").read_text(encoding="utf-8")
    (site / "CITATION.cff").write_text(text.rstrip("\n") + f'\nurl: "{version_url}"\n',
                                       encoding="utf-8")


def write_exports(book: BookResults, site: Path) -> Path:
    """Replace `<site>/artifacts` with the chapters' downloads and the book's tables."""
    out = site / paths.EXPORT_FOLDER
    if out.exists():
        shutil.rmtree(out)
    built = paths.artifacts_dir()
    if built.exists():
        shutil.copytree(built, out)
    out.mkdir(parents=True, exist_ok=True)
    cite = citation_meta()
    meta = {"book": cite["title"], "version": cite["version"], "released": cite["released"],
            "edition": "published"}
    from . import scenarios

    scenario = scenarios.active()
    if scenario is not None:  # a reader's assumptions: say which, in every export
        meta |= {"edition": "scenario", "scenario": scenario.name,
                 "scenario_description": scenario.description, "overrides": scenario.changes()}
    values, claims = book.values_table(), book.claims_table()
    if scenario is not None:  # the CSVs carry it too, row by row
        values, claims = values.assign(scenario=scenario.name), claims.assign(scenario=scenario.name)
    write_csv_json(values, out, "values", meta)
    write_csv_json(claims, out, "claims", meta)
    write_csv_json(book.forecasts_table(), out, "forecasts", meta)
    write_csv_json(book.inputs_table(), out, "inputs", meta)
    return out
