"""`artifacts/datapackage.json`: the book's exports as a Frictionless Data Package, so that
`frictionless validate` (or any reader of the standard) gets each table's columns with their
types and meanings, the licence and where the numbers come from. Every exported column has a
description here; a column without one stops the build."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..figure_files import field_type

TABLES = {
    "values": "Every number the book's text quotes: its value, unit, what it is, what it assumes "
              "and the date of its evidence, with its citable address.",
    "claims": "The posts' 22 claims: what each states, the book's value, whether the post's "
              "arithmetic reproduces, the verdict, its reason and how robust it is.",
    "forecasts": "The posts' forecasts and what became of them, with the same robustness.",
    "calculations": "The posts' own calculations, as stated and as redone on their own inputs.",
    "inputs": "Every input each chapter read: file, row, value and the row's SHA-256.",
}
FIELDS = {
    "key": "The value's name in the book (its citable address ends in val- and this name)",
    "value": "The value, unrounded (inputs: the cell as read)",
    "unit": "The unit of the value",
    "display": "The value as the text shows it, rounded to the precision its source supports",
    "description": "What the value is",
    "claim_id": "The claim it bears on (B01–B10: the bubble commentary; N01–N12: the network "
                "post); blank for none",
    "chapter": "The chapter that computes it",
    "as_of": "The date of the evidence it uses",
    "premise": "What it assumes, in words, where it rests on an assumption",
    "citable_at": "Its row in the citable-values appendix, relative to the book's address",
    "document": "The post the claim or forecast appears in",
    "first_appearance": "Where the claim first appeared (for B01–B06, the article the "
                        "commentary summarises)",
    "short_name": "The claim in a reader's words (at most about 60 characters)",
    "paraphrase": "The claim as the post makes it, paraphrased",
    "stated": "The figure the post states",
    "our_value": "The book's value for the stated figure (blank where none is stated)",
    "our_value_display": "The book's value as the text shows it",
    "ours_unit": "The unit of the book's value",
    "reproduction": "Does the post's own arithmetic reproduce: reproduces, does not reproduce, "
                    "or not a calculation",
    "verdict": "The book's answer: holds, holds approximately, does not hold, unsourced, "
               "pending (forecasts: borne out, not borne out, too early)",
    "reason": "Why, in plain words with the deciding numbers",
    "evidence": "The evidence the verdict names first",
    "evidence_display": "That evidence's value as the text shows it",
    "robustness": "Robust (every declared reading gives the verdict) or depends on the reading",
    "robustness_summary": "Which readings give another verdict",
    "deciding": "The quantity that decides the verdict",
    "deciding_value": "Its value under the book's reading",
    "deciding_display": "Its value as the text shows it",
    "margin": "The deciding value against the nearest threshold where the verdict changes",
    "tipping_points": "Where along a named quantity the verdict changes",
    "readings": "How many other readings were declared",
    "readings_flipping": "How many of them give another verdict",
    "readings_reversing": "How many give the opposite side (holds against does not hold)",
    "why_the_book_keeps_its_verdict": "Why the book keeps its verdict where readings split",
    "our_value_in_words": "The book's value with what it is, as the scoreboard shows it",
    "forecast_id": "The forecast (F01–F03)",
    "forecast": "The forecast as the post makes it, paraphrased",
    "value_keys": "The values its outcome rests on",
    "calculation_id": "The calculation's name in the register",
    "calculation": "The calculation in words",
    "comparison": "How the redone value is read against the stated one",
    "stated_value": "The result the post states",
    "stated_high": "The top of a stated range (blank for a single figure)",
    "stated_precision": "The precision the post wrote it at (1.5 years: 0.1)",
    "redone": "The result redone on the post's own inputs",
    "reproduces": "Whether the redone result reads as the stated one at its precision",
    "resource": "The data file read (data/<resource>.csv)",
    "row": "The row read, by its key ('*': the whole file)",
    "sha256": "SHA-256 of the row as read, so a reader can tell if it changed",
    "scenario": "The scenario edition these rows come from (only in a scenario's exports)",
}
def descriptor(tables: dict[str, pd.DataFrame], meta: dict, book_url: str) -> dict:
    """The package: each exported table with its columns' types and meanings."""
    missing = sorted({c for t in tables.values() for c in t.columns} - set(FIELDS))
    if missing:
        raise ValueError(f"exported columns without a description in "
                         f"gpuecon/site/export_package.py FIELDS: {missing}")
    resources = [{
        "name": name, "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8", "description": TABLES[name],
        "schema": {"fields": [{"name": column, "type": field_type(table[column]),
                               "description": FIELDS[column]} for column in table.columns]},
    } for name, table in tables.items()]
    return {
        "name": "gpu-economics-checked-results",
        "title": f"{meta['book']}: results",
        "version": meta["version"],
        "created": f"{meta['released']}T00:00:00Z",
        "description": "What the book computed: its values, verdicts, the posts' redone "
                       "calculations and the inputs each chapter read. Each CSV has a JSON twin "
                       "with the same rows and the edition's metadata.",
        "homepage": book_url,
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [{"title": "The book's sources, each with its publisher, date and tier",
                     "path": f"{book_url}chapters/sources_methods.html"}],
        "resources": resources,
    }


def write_descriptor(folder: Path, tables: dict[str, pd.DataFrame], meta: dict,
                     book_url: str) -> Path:
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor(tables, meta, book_url), indent=1,
                               ensure_ascii=False) + "\n", encoding="utf-8")
    return path


FIGURE_README = """{title}

{description}

What: the data behind {kind} "{name}" of {book}, version {version} ({released}), as shown
at {address}
Files: {name}.csv (the data), {files}; {name}.resource.json describes the CSV's columns
(Frictionless Data), and the book's whole data package is ../datapackage.json.
Data as of: {as_of}
Sources: {sources}

Licence: CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/): use it freely and credit
"{author}, {book}". Sentences quoted from sources remain their publishers'.

How to cite: {author}. "{title}". In {book}, version {version}, released {released}.
{address}
"""


def _figure_address(site: Path, name: str) -> tuple[str, str] | None:
    """(page, anchor) where the figure is shown: the page whose download bar links its data."""
    link = f"figures/{name}.csv"
    for page in sorted(site.glob("chapters/*.html")):
        if link in page.read_text(encoding="utf-8"):
            return page.relative_to(site).as_posix(), name.replace("_", "-")
    return None


def describe_figures(site: Path, folder: Path, meta: dict, book_url: str) -> list[dict]:
    """Each figure's README (what, sources, as-of, licence, how to cite; Our World in Data's
    way) beside its downloads, and its data as resources of the exports' package."""
    figures = folder / "figures"
    resources = []
    for path in sorted(figures.glob("*.resource.json")):
        resource = json.loads(path.read_text(encoding="utf-8"))
        name = path.name.removesuffix(".resource.json")
        shown = _figure_address(site, name)
        if shown is None:
            raise ValueError(f"figure '{name}' is published but no page shows it: place it "
                             "with {glue:figure} in its chapter")
        address = f"{book_url}{shown[0]}#{shown[1]}"
        others = [f"{name}.{ext}" for ext in ("svg", "png", "vl.json")
                  if (figures / f"{name}.{ext}").is_file()]
        (figures / f"{name}.README.md").write_text(FIGURE_README.format(
            title=resource["title"], description=resource["description"], kind="table" if name.startswith("tbl_") else "figure",
            name=name, book=meta["book"], version=meta["version"], released=meta["released"],
            author=meta["author"], address=address, files=", ".join(others) or "no images",
            as_of=resource.get("as_of") or "the book's release",
            sources="; ".join(s["title"] for s in resource["sources"]) or "the book's own"),
            encoding="utf-8")
        resources.append({**resource, "path": f"figures/{resource['path']}"})
    return resources


def add_figures(folder: Path, resources: list[dict]) -> None:
    """Append the figures' resources to the package written by `write_descriptor`."""
    path = folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if not r["path"].startswith(
        "figures/")] + resources
    path.write_text(json.dumps(package, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
