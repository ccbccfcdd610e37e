"""What travels with each figure's downloads: a Frictionless resource descriptor beside its CSV
(`<name>.resource.json`: what the figure shows, its columns and types, its sources and as-of
date). The build turns it into the figure's README and a resource of the exports' data
package (gpuecon.site.export_package)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import data

# pandas' kinds of column as Frictionless field types; dates are written as text by pandas
# ("2024-10-11" or with a time), so they stay strings rather than be misread.
_FIELD_TYPES = {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}


def field_type(series: pd.Series) -> str:
    return _FIELD_TYPES.get(series.dtype.kind, "string")


def chart_title(spec: dict, fallback: str) -> str:
    """A Vega-Lite spec's title as text (a string, lines, or {"text": ...})."""
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(title)
    return title or fallback


def write_resource(folder: Path, name: str, *, title: str, sources: list[str], as_of: str,
                   table: pd.DataFrame, described: dict[str, str] | None = None,
                   description: str = "") -> Path:
    """`<folder>/<name>.resource.json` for the figure or table `name` whose data is `table`
    (`described`: columns' meanings in a reader's words, where the page labels them)."""
    described = described or {}
    source_rows = data.load("sources", record=False).set_index("source_id")
    resource = {
        "name": name.replace("_", "-"),
        "path": f"{name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": title,
        "description": description or title,
        "as_of": as_of,
        "sources": [{"title": f"{source_rows.loc[s, 'publisher']}, {source_rows.loc[s, 'title']}",
                     **({"path": source_rows.loc[s, "url"]}
                        if isinstance(source_rows.loc[s, "url"], str) else {})}
                    for s in dict.fromkeys(sources)],
        "schema": {"fields": [{"name": str(column), "type": field_type(table[column]),
                               **({"description": described[column]} if column in described
                                  else {})}
                              for column in table.columns]},
    }
    path = folder / f"{name}.resource.json"
    path.write_text(json.dumps(resource, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
