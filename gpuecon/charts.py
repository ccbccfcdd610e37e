"""The house style for charts and tables, and how a chapter publishes one.

`publish_figure` saves the figure's data (CSV), its Vega-Lite spec, SVG and PNG under
`_build/artifacts/figures/` with a descriptor of its data (gpuecon.figure_files), which the build copies to `<site>/artifacts/figures/`, and glues the
chart with a download bar under the figure's name. The markdown cell then places it with
```{glue:figure} <name>``` and `:name: <name>`, so the figure gets a number and a stable label.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from pathlib import Path

import altair as alt
import pandas as pd

from . import claims, data, edition, figure_files, numbers, paths, tables

# Okabe-Ito: distinguishable under the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
# Marks a claim's stated value on a chart, consistently across chapters.
STATED_COLOUR = "#D55E00"
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
WIDTH = 600
NAME_PATTERN = re.compile(r"^(fig|tbl)_[a-z0-9_]+$")


# No vega-embed action menu: each figure has its own download bar, and the menu's unlabelled
# <summary> fails accessibility checks.
alt.renderers.set_embed_options(actions=False)


@alt.theme.register("gpuecon", enable=True)
def house_theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig(
        {
            "config": {
                "font": FONT,
                "view": {"continuousWidth": WIDTH, "continuousHeight": 320, "discreteWidth": WIDTH,
                         "stroke": None},
                "range": {"category": PALETTE},
                "axis": {"labelFontSize": 13, "titleFontSize": 13, "gridColor": "#e6e6e6"},
                "legend": {"labelFontSize": 13, "titleFontSize": 13, "orient": "bottom",
                           "columns": 2, "labelLimit": 360},
                "header": {"labelFontSize": 13, "titleFontSize": 13},
                "title": {"fontSize": 15, "anchor": "start"},
                "text": {"fontSize": 13},
                "background": "white",
            }
        }
    )


def vega_number(value: float) -> str:
    """A number as a Vega expression: null (draws nothing) for none, never 'nan' or 'inf'."""
    value = float(value)
    return repr(value) if math.isfinite(value) else "null"


def _site_prefix() -> str:
    """Relative path from the executing chapter's page to the site root (pages mirror sources)."""
    rel = os.path.relpath(paths.book_root(), Path.cwd())
    return "" if rel == "." else rel.replace(os.sep, "/") + "/"


_ALTAIR_ID = re.compile(r"altair-viz-[0-9a-f]{32}")


# altair writes a ~2 KB loader into every chart, with CDN addresses it never uses here (the
# libraries come from _static/vega-offline.js); each chart is queued instead, and _static/book.js
# draws the queue once the chart libraries (deferred, on chart pages only) have loaded.
_ALTAIR_LOADER = re.compile(
    r'<script type="text/javascript">\s*var VEGA_DEBUG.*?\n  \}\)\((.*)\);\s*</script>', re.S)


def page_chart_html(chart: alt.TopLevelMixin, name: str) -> str:
    """A chart's HTML for a page: its element named after the figure (altair's id is random, so
    two builds would differ) and drawn by the book's shared loader."""
    chart_html = chart._repr_mimebundle_()["text/html"]
    element = f"altair-viz-{name.replace('_', '-')}"
    chart_html = _ALTAIR_ID.sub(element, chart_html)
    compact, found = _ALTAIR_LOADER.subn(
        lambda m: f'<script>(window.gpueconCharts = window.gpueconCharts || []).push('
                  f'["{element}", {m.group(1)}]);</script>', chart_html)
    if found != 1:
        raise ValueError(f"figure '{name}': altair's chart loader has changed; update "
                         "charts._ALTAIR_LOADER")
    return compact


def _has_tooltip(spec: dict) -> bool:
    return '"tooltip"' in json.dumps(spec)


def figure_html(body_html: str, downloads_html: str, alt_text: str = "") -> str:
    """What the book shows: the chart (with its text alternative) and its download bar."""
    if alt_text:
        body_html = (f'<div class="chart-body" role="group" '
                     f'aria-label="{html.escape(alt_text, quote=True)}">{body_html}</div>')
    return body_html + downloads_html


def presets_html(presets: dict[str, dict]) -> str:
    """Controls above a what-if: a button per preset, a copy-link button and a note line
    (`_static/book.js` makes them work; it also reads and writes the page's query string)."""
    buttons = " ".join(
        f'<button type="button" data-preset="{html.escape(name, quote=True)}">'
        f"{html.escape(name)}</button>" for name in presets)
    data_attr = html.escape(json.dumps(presets, sort_keys=True), quote=True)
    return (f'<div class="whatif-controls" data-presets="{data_attr}">'
            f'<span class="whatif-label">Start from:</span> {buttons} '
            '<button type="button" class="whatif-copy">Copy link to this scenario</button>'
            '<p class="whatif-note" role="status"></p></div>')


class _FigureHTML:
    """A figure's HTML as a notebook output (glued, then placed by the markdown)."""

    def __init__(self, body_html: str, downloads_html: str, alt_text: str = "",
                 controls_html: str = ""):
        self._html = controls_html + figure_html(body_html, downloads_html, alt_text)

    def _repr_html_(self) -> str:
        return self._html


# What every chart offers for download (a table: the first three).
CHART_DOWNLOADS = [("csv", "data (CSV)"), ("svg", "SVG"), ("png", "PNG"),
                   ("vl.json", "Vega-Lite spec")]


def downloads_bar(name: str, kinds: list[tuple[str, str]], site_prefix: str | None = None) -> str:
    """`site_prefix`: the path from the page to the site root; by default, from the chapter
    that is executing."""
    prefix = _site_prefix() if site_prefix is None else site_prefix
    base = f"{prefix}{paths.EXPORT_FOLDER}/figures/{name}"
    links = " · ".join(
        f'<a href="{base}.{ext}" download>{html.escape(label)}</a>' for ext, label in
        [*kinds, ("README.md", "README")]
    )
    return f'<p class="figure-downloads">Download: {links}</p>'


def stated_rule(value: float, label: str, fmt: str) -> alt.Chart:
    """A dashed horizontal line marking a stated (claimed or reference) value."""
    frame = pd.DataFrame({"value": [value], "label": [label]})
    return alt.Chart(frame).mark_rule(color=STATED_COLOUR, strokeDash=[6, 4], size=2).encode(
        y="value:Q", tooltip=["label", alt.Tooltip("value:Q", format=fmt)]
    )


# The dates of the rental-price charts: 2023's scarcity to this book's newest price.
RENTAL_DATES = ("2023-01-01", "2026-06-30")


def rental_price_chart(prices: pd.DataFrame, marks: pd.DataFrame, title: str) -> alt.LayerChart:
    """H100 rental prices over time (rows of `data.rental_prices().table`), coloured by kind of
    price and shaped by bound, with dotted rules at `marks` (columns date, what)."""
    shown = prices[["date", "plotted_date", "usd_per_gpu_hour", "price_type", "bound",
                    "description", "status"]]
    points = alt.Chart(shown).mark_point(size=110, filled=True).encode(
        x=alt.X("plotted_date:T", title="Date", scale=alt.Scale(domain=list(RENTAL_DATES))),
        y=alt.Y("usd_per_gpu_hour:Q", title="$ per GPU-hour"),
        color=alt.Color("price_type:N", title="Kind of price"),
        shape=alt.Shape("bound:N", title="The source gives"),
        tooltip=["date", alt.Tooltip("usd_per_gpu_hour:Q", format="$.2f"), "price_type",
                 "bound", "description", "status"])
    return (points + date_rules(marks)).properties(title=title)


def date_rules(marks: pd.DataFrame) -> alt.Chart:
    """Dotted vertical rules at dates worth marking (columns date, what), e.g. the posts'."""
    return alt.Chart(marks).mark_rule(color="#555", strokeDash=[2, 3]).encode(
        x="date:T", tooltip=["what", "date:T"])


def _show_outside_the_book(thing) -> None:
    """In JupyterLab (or a bundle) a chapter shows its charts and tables in the cell that makes
    them; the book places them where its text says (glue) and shows nothing here."""
    if not edition.current().in_book_build:
        from IPython.display import display

        display(thing)


def credit_line(sources: list[str], as_of: str) -> str:
    return f"Source: {data.source_credit(sources)}. Data as of {as_of}."


def save_chart_downloads(chart: alt.TopLevelMixin, name: str, table: pd.DataFrame,
                         folder: Path) -> None:
    """Write a chart's data (CSV), spec, SVG and PNG into `folder` (CHART_DOWNLOADS)."""
    folder.mkdir(parents=True, exist_ok=True)
    table.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    (folder / f"{name}.vl.json").write_text(
        json.dumps(chart.to_dict(), indent=1, sort_keys=True) + "\n")
    if chart_downloads() is CHART_DOWNLOADS:  # only the published book renders the images
        chart.save(folder / f"{name}.svg")
        chart.save(folder / f"{name}.png", scale_factor=2)


def chart_downloads() -> list[tuple[str, str]]:
    """What a chart offers: everything in the published book; data and spec in a scenario
    edition, and outside the book's build (JupyterLab, a bundle), where the images would only
    cost time."""
    current = edition.current()
    if current.in_book_build and not current.is_scenario:
        return CHART_DOWNLOADS
    return [kind for kind in CHART_DOWNLOADS if kind[0] in ("csv", "vl.json")]


def publish_figure(
    chart: alt.TopLevelMixin,
    name: str,
    *,
    sources: list[str],
    as_of: str,
    alt_text: str,
    table: pd.DataFrame | None = None,
    presets: dict[str, dict] | None = None,
) -> None:
    """Save the figure's downloads and glue it as `name` (and its credit line as `name_credit`).
    `presets` (a what-if's named starting states) adds buttons that set its controls."""
    from myst_nb import glue

    if not NAME_PATTERN.match(name):
        raise ValueError(f"figure name '{name}' must look like fig_some_name")
    if not sources:
        raise ValueError(f"figure '{name}' needs at least one source id")
    chart = chart.properties(description=alt_text)  # kept in the SVG/PNG/spec downloads too
    spec = chart.to_dict()
    if not _has_tooltip(spec):
        raise ValueError(f"figure '{name}' has no tooltip; the house style asks for one")
    if table is None:
        if not isinstance(chart.data, pd.DataFrame):
            raise ValueError(f"figure '{name}': pass `table=` when the chart has no single data frame")
        table = chart.data
    folder = edition.current().artifacts_dir / "figures"
    save_chart_downloads(chart, name, table, folder)
    figure_files.write_resource(folder, name, title=figure_files.chart_title(spec, alt_text),
                                description=alt_text, sources=sources, as_of=as_of, table=table)
    bar = downloads_bar(name, chart_downloads())
    chart_html = page_chart_html(chart, name)
    controls = presets_html(presets) if presets else ""
    glue(name, _FigureHTML(chart_html, bar, alt_text, controls), display=False)
    _show_outside_the_book(chart)
    glue(f"{name}_credit", credit_line(sources, as_of), display=False)


def publish_table(
    df: pd.DataFrame,
    name: str,
    *,
    sources: list[str],
    as_of: str,
    labels: dict[str, str],
    formats: dict[str, str] | None = None,
) -> None:
    """Save a table as CSV and glue it (formatted) as `name`, with `name_credit`.

    `labels` maps each column the page shows to its header in reader words, with its unit
    ("Price, year 1 ($ per GPU-hour)"); the CSV keeps every column under its machine name.
    Columns given a `format` are numbers and are right-aligned; give "s" for a column of
    numbers already written as text (e.g. "never" among years)."""
    from myst_nb import glue

    if not NAME_PATTERN.match(name):
        raise ValueError(f"table name '{name}' must look like tbl_some_name")
    unknown = [c for c in labels if c not in df.columns]
    if unknown:
        raise KeyError(f"table '{name}': no column(s) {unknown} to label")
    out = edition.current().artifacts_dir / "figures"
    out.mkdir(parents=True, exist_ok=True)
    df.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    figure_files.write_resource(out, name, title=name.removeprefix("tbl_").replace("_", " ")
                                .capitalize() + " (table)",
                                description="Columns: " + "; ".join(labels.values()),
                                sources=sources, as_of=as_of, table=df, described=labels)
    shown = df[list(labels)].copy()
    numeric = set()
    for col, fmt in (formats or {}).items():
        if col not in shown:
            continue
        shown[col] = ["–" if pd.isna(v) else numbers.styled(v) if fmt == "s"
                      else numbers.number(v, fmt) for v in shown[col]]
        numeric.add(labels[col])
    numeric |= {labels[c] for c in shown.columns
                if c not in (formats or {}) and pd.api.types.is_numeric_dtype(shown[c])}
    shown.columns = [labels[c] for c in shown.columns]
    kinds = [kind for kind in chart_downloads() if kind[0] != "vl.json"]
    if len(kinds) > 1:  # the table's images (only in the published book)
        svg = tables.table_svg(shown, name)
        (out / f"{name}.svg").write_text(svg, encoding="utf-8")
        import vl_convert

        (out / f"{name}.png").write_bytes(vl_convert.svg_to_png(svg, scale=2))
    bar = downloads_bar(name, kinds)
    glue(name, _FigureHTML(tables.table_html(shown, numeric), bar), display=False)
    _show_outside_the_book(_FigureHTML(tables.table_html(shown, numeric), ""))
    glue(f"{name}_credit", credit_line(sources, as_of), display=False)


# A verdict's colour as text on white (darker than the dots, for contrast of at least 4.5:1).
TEXT_COLOUR_OF = {claims.HOLDS: "#1d5a85", claims.HOLDS_APPROX: "#7a5600",
                  claims.DOES_NOT_HOLD: "#9c3a00", claims.UNSOURCED: "#555555",
                  claims.PENDING: "#666666"}


def claims_overview_chart(frame: pd.DataFrame, links: list[str]) -> alt.LayerChart:
    """The introduction's chart: every claim by its short name, in the register's order. Where
    the claim states a number and the book has one, a dot shows ours as a multiple of it (log
    scale; 1 means equal); the others say their verdict in words. Coloured like the verdict
    badges (book.css); each name and dot links to the check. `frame` is
    `results.BookResults.claims_chart_frame`."""
    shown = frame.assign(
        link=links, label=frame["claim_id"] + "  " + frame["short_name"],
        ours=[numbers.with_unit(d, u) if d else "" for d, u in
              zip(frame["our_value_display"], frame["ours_unit"])],
        in_words=[f"{verdict}: {value}" if value else f"{verdict} (judged on the evidence)"
                  for verdict, value in zip(frame["verdict"], frame["our_value_in_words"])])
    colour_of = {claims.HOLDS: PALETTE[0], claims.HOLDS_APPROX: PALETTE[1],
                 claims.DOES_NOT_HOLD: PALETTE[3], claims.UNSOURCED: "#777777",
                 claims.PENDING: "#bbbbbb"}
    present = [v for v in claims.VERDICTS if v in set(shown["verdict"])]
    colour = alt.Color("verdict:N", title="Verdict", legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=present, range=[colour_of[v] for v in present]))
    ratios = shown["ours_over_stated"].dropna()
    low = min(0.05, float(ratios.min()) / 1.5) if len(ratios) else 0.05
    high = max(20.0, float(ratios.max()) * 1.5) if len(ratios) else 20.0
    row = alt.Y("claim_id:N", sort=list(shown["claim_id"]), axis=None, title=None)
    base = alt.Chart(shown).encode(y=row)
    names = base.mark_text(align="left", baseline="bottom", dy=-1, fontSize=12,
                           cursor="pointer", limit=alt.ExprRef("width")).encode(
        x=alt.value(0), text="label:N", href="link:N")
    tooltip = [alt.Tooltip("label:N", title="claim"),
               alt.Tooltip("stated:N", title="the post says"),
               alt.Tooltip("ours:N", title="our value"),
               alt.Tooltip("in_words:N", title="verdict")]
    points = base.transform_filter("isValid(datum.ours_over_stated)").mark_point(
        size=110, filled=True, cursor="pointer", yOffset=9).encode(
        x=alt.X("ours_over_stated:Q",
                title="Our value as a multiple of the stated figure (log scale)",
                scale=alt.Scale(type="log", domain=[low, high]),
                axis=alt.Axis(format="~g", grid=False,
                              values=[v for v in (0.01, 0.1, 1, 10, 100) if low <= v <= high])),
        color=colour, href="link:N", tooltip=tooltip)
    words = base.transform_filter("!isValid(datum.ours_over_stated)").mark_text(
        align="left", baseline="top", dy=3, fontSize=11, cursor="pointer",
        limit=alt.ExprRef("width")).encode(
        x=alt.value(0), text="in_words:N", href="link:N", tooltip=tooltip,
        color=alt.Color("verdict:N", legend=None, scale=alt.Scale(
            domain=present, range=[TEXT_COLOUR_OF[v] for v in present])))
    # "equal" marked on each row with a dot only, so it never runs through the text rows
    equal = base.transform_filter("isValid(datum.ours_over_stated)").transform_calculate(
        equal="1", what="'our value = the stated figure'").mark_tick(
        color="#444444", thickness=1, size=18, yOffset=9, strokeDash=[3, 2]).encode(
        x="equal:Q", tooltip=[alt.Tooltip("what:N", title="mark")])
    return (equal + points + words + names).resolve_scale(color="independent").properties(
        height=40 * len(shown),
        description="Every claim by its short name; where the claim states a number, a dot "
                    "shows our value divided by the stated figure on a log scale (1 means "
                    "equal), coloured by verdict; the others give their verdict in words.")
