"""The book's machine-readable exports, written into the site at build end.

  artifacts/values.{csv,json}     every published number with unit, claim, chapter, as-of
  artifacts/claims.{csv,json}     the claims register with our values and verdicts
  artifacts/forecasts.{csv,json}  the posts' forecasts with what became of them
  artifacts/calculations.{csv,json}  the posts' own calculations, as stated and as redone
  artifacts/inputs.{csv,json}     every input each chapter read
  artifacts/figures/<name>.*      each figure's downloads (written by the chapters)
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd

from .. import edition, paths
from ..results import BookResults
from . import export_package
from .citation import citation_meta


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
    """The book's CITATION.cff at the site's root, its address that of this version (the
    repository's copy gives the book's)."""
    text = (paths.book_root() / "CITATION.cff").read_text(encoding="utf-8")
    text, found = re.subn(r'^url: .*$', f'url: "{version_url}"', text, count=1, flags=re.M)
    if not found:
        text = text.rstrip("\n") + f'\nurl: "{version_url}"\n'
    (site / "CITATION.cff").write_text(text, encoding="utf-8")


# A zip entry's timestamp: fixed, so two builds give the same bytes.
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)
BUNDLE_README = """{title}

A runnable copy of one chapter of "{book}" (version {version}): the notebook, the gpuecon
package, the data it reads and the packages it needs, pinned. In this folder, with Python 3.11
or later:

  python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
  .venv/bin/python -m gpuecon.rerun chapters/{stem}.ipynb

The second line runs every cell, prints the chapter's verdicts and values, and writes the
executed notebook beside it (chapters/{stem}.executed.ipynb). To change an assumption, edit
data/assumptions.csv (each row has its tested range) and run it again.

To read and run it in JupyterLab instead (optional):

  .venv/bin/pip install jupyterlab=={jupyterlab} && PYTHONPATH="$PWD" .venv/bin/jupyter lab chapters/{stem}.ipynb

The numbers the prose quotes appear as {{glue:text}}`key` in JupyterLab; the book's pages show
them in place, at {address}.

Licence: the text, figures and data are CC-BY-4.0 (LICENSE-CC-BY-4.0), the code MIT (LICENSE);
the sentences quoted from sources remain their publishers'. Cite as the chapter's page says.
"""



def write_bundle(stem: str, title: str, folder: Path, address: str) -> Path:
    """`<folder>/<stem>.zip`: the chapter's notebook with everything it needs to run on its own
    (book-root layout: _config.yml beside data/, which gpuecon.paths looks for); `address`:
    the chapter's page in the published book."""
    import zipfile

    root = paths.book_root()
    cite = citation_meta()
    files = [f"chapters/{stem}.ipynb", "_config.yml", "LICENSE", "LICENSE-CC-BY-4.0"]
    files += [p.relative_to(root).as_posix() for p in paths.kernel_modules(root / "gpuecon")]
    files += sorted(p.relative_to(root).as_posix() for p in paths.data_dir().iterdir()
                    if p.is_file())
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            bundle.writestr(info, data)

        for name in files:
            add(name, (root / name).read_bytes())
        add("requirements.txt", (root / "requirements-chapter.txt").read_bytes())
        add("README.txt", BUNDLE_README.format(
            title=title, book=cite["title"], version=cite["version"], stem=stem,
            jupyterlab=_lab_version(root), address=address
        ).encode())
    return target


def _lab_version(root: Path) -> str:
    """The JupyterLab `make lab` pins (requirements-lab.txt)."""
    for line in (root / "requirements-lab.txt").read_text(encoding="utf-8").splitlines():
        if line.lower().startswith("jupyterlab=="):
            return line.split("==", 1)[1].strip()
    raise ValueError("requirements-lab.txt pins no jupyterlab")


def write_exports(book: BookResults, site: Path, book_url: str = "") -> Path:
    """Replace `<site>/artifacts` with the chapters' downloads and the book's tables."""
    out = site / paths.EXPORT_FOLDER
    if out.exists():
        shutil.rmtree(out)
    current = edition.current()
    built = current.artifacts_dir
    if built.exists():
        shutil.copytree(built, out)
    out.mkdir(parents=True, exist_ok=True)
    cite = citation_meta()
    meta = {"book": cite["title"], "version": cite["version"], "released": cite["released"],
            "edition": "published"}
    scenario = current.scenario
    if scenario is not None:  # a reader's assumptions: say which, in every export
        meta |= {"edition": "scenario", "scenario": scenario.name,
                 "scenario_description": scenario.description, "overrides": scenario.changes()}
    tables = {"values": book.values_table(), "claims": book.claims_table(),
              "forecasts": book.forecasts_table(),
              "calculations": book.calculations_table(),
              "inputs": book.inputs_table(current.overrides)}
    for name, table in tables.items():
        if scenario is not None:  # the CSVs carry it too, row by row
            tables[name] = table = table.assign(scenario=scenario.name)
        write_csv_json(table, out, name, meta)
    export_package.write_descriptor(out, tables, meta, book_url)
    return out
