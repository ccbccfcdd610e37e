"""A published table as a reader gets it: an HTML table for the page (numbers right-aligned)
and a plain SVG image for memos and slides (`gpuecon.charts.publish_table` writes both)."""

from __future__ import annotations

import html

import pandas as pd

TABLE_CELL_CHARS = 48  # longer cells are cut in the table's image; its CSV keeps them whole


def table_svg(shown: pd.DataFrame, title: str) -> str:
    """A plain image of a (formatted) table, for memos and slides."""
    char_w, row_h, pad = 7.2, 20, 10
    cells = [[str(c) for c in shown.columns]] + [
        ["–" if (isinstance(v, float) and pd.isna(v)) else str(v) for v in row]
        for row in shown.itertuples(index=False)]
    cells = [[c if len(c) <= TABLE_CELL_CHARS else c[: TABLE_CELL_CHARS - 1] + "…" for c in r]
             for r in cells]
    widths = [max(len(r[i]) for r in cells) * char_w + 2 * pad for i in range(len(cells[0]))]
    width, height = sum(widths), row_h * (len(cells) + 1) + pad
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height}" '
           f'font-family="DejaVu Sans Mono, monospace" font-size="12">',
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{pad}" y="{row_h - 4}" font-weight="bold">{html.escape(title)}</text>']
    for r, row in enumerate(cells, start=1):
        y = row_h * (r + 1) - 5
        if r == 1:
            out.append(f'<line x1="0" x2="{width:.0f}" y1="{y + 6}" y2="{y + 6}" stroke="#0072B2"/>')
        x = pad
        for c, text in enumerate(row):
            weight = ' font-weight="bold"' if r == 1 else ""
            out.append(f'<text x="{x:.0f}" y="{y}"{weight}>{html.escape(text)}</text>')
            x += widths[c]
    out.append("</svg>")
    return "\n".join(out) + "\n"


def table_html(shown: pd.DataFrame, numeric: set[str]) -> str:
    """An HTML table whose numeric columns are right-aligned (class "num")."""
    def cell(tag: str, text, column: str, extra: str = "") -> str:
        cls = ' class="num"' if column in numeric else ""
        return f"<{tag}{cls}{extra}>{html.escape(str(text))}</{tag}>"

    head = "".join(cell("th", c, c, ' scope="col"') for c in shown.columns)
    body = "".join(
        "<tr>" + "".join(cell("td", v, c) for c, v in zip(shown.columns, row)) + "</tr>"
        for row in shown.itertuples(index=False))
    return (f'<table class="data-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")
