"""The chart of a verdict under every declared reading (a specification curve, after Simonsohn,
Simmons and Nelson 2020): the value that decides it under each reading, sorted, coloured by the
verdict that reading gives, with the thresholds it is compared with."""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import charts, claims

# The badges' colours (book.css), so a verdict looks the same in text and in charts.
VERDICT_COLOURS = {claims.HOLDS: charts.PALETTE[0], claims.HOLDS_APPROX: charts.PALETTE[1],
                   claims.DOES_NOT_HOLD: charts.PALETTE[3], claims.UNSOURCED: "#777777",
                   claims.BORNE_OUT: charts.PALETTE[0], claims.NOT_BORNE_OUT: charts.PALETTE[3],
                   claims.TOO_EARLY: "#777777"}
ORDER = (claims.DOES_NOT_HOLD, claims.HOLDS_APPROX, claims.HOLDS, claims.UNSOURCED,
         claims.NOT_BORNE_OUT, claims.TOO_EARLY, claims.BORNE_OUT)
BOOK_LABEL = "The book's reading"


def readings_frame(record: dict) -> pd.DataFrame:
    """One row per reading, the book's first: what it is, its value and verdict, its source."""
    rows = [{**record["book"], "description": BOOK_LABEL}] + record["readings"]
    frame = pd.DataFrame([{"reading": r["description"], "value": r["value"], "shown": r["shown"],
                           "verdict": r["verdict"], "source_id": r["source_id"],
                           "why": r["why"]} for r in rows])
    return frame


# Each reading is a row: its name above, its dot below (so the names need no axis on a phone).
ROW_HEIGHT = 40


def readings_chart(record: dict, target_id: str, fmt: str) -> alt.LayerChart:
    frame = readings_frame(record)
    present = [v for v in ORDER if v in set(frame["verdict"])]
    colour = alt.Color("verdict:N", title="Verdict", legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=present,
                                       range=[VERDICT_COLOURS[v] for v in present]))
    numeric = frame["value"].notna().all()
    order = list(frame.sort_values("value")["reading"]) if numeric else list(frame["reading"])
    y = alt.Y("reading:N", title=None, sort=order, axis=None)
    tooltip = [alt.Tooltip("reading:N", title="reading"), alt.Tooltip("verdict:N"),
               alt.Tooltip("why:N", title="why it is defensible")]
    names = alt.Chart(frame).mark_text(align="left", baseline="bottom", dy=-1,
                                       fontSize=12).encode(x=alt.value(0), y=y, text="reading:N")
    title, axis = record["deciding"], alt.Axis(format=fmt, grid=False)
    if fmt.endswith("pp"):  # percentage points: Vega has no such format
        title, fmt = f"{title} (percentage points)", fmt[:-2] + "%"
        axis = alt.Axis(labelExpr=f"format(datum.value * 100, '{fmt[:-1]}f')", grid=False)
    if numeric:
        x = alt.X("value:Q", title=title, axis=axis, scale=alt.Scale(zero=False))
        tooltip.insert(1, alt.Tooltip("shown:N", title="value"))
        points = alt.Chart(frame).mark_point(filled=True, size=110, yOffset=9).encode(
            x, y, colour, tooltip=tooltip)
        edges = pd.DataFrame([{"reading": BOOK_LABEL if r is record["book"] else r["description"],
                               "edge": edge, "what": what}
                              for r in [record["book"], *record["readings"]]
                              for what, edge in r["thresholds"]])
        layers = [points]
        if len(edges):
            layers.insert(0, alt.Chart(edges).mark_tick(
                color="#444444", thickness=2, size=14, yOffset=9).encode(
                x="edge:Q", y=alt.Y("reading:N", sort=order, axis=None),
                tooltip=[alt.Tooltip("what:N", title="threshold"),
                         alt.Tooltip("edge:Q", format=fmt)]))
    else:
        x = alt.X("verdict:N", title="Verdict", sort=present, axis=alt.Axis(labelAngle=0))
        layers = [alt.Chart(frame).mark_point(filled=True, size=110, yOffset=9).encode(
            x, y, colour, tooltip=tooltip)]
    flipped = int((frame["verdict"] != frame["verdict"].iloc[0]).sum())
    return alt.layer(*layers, names).properties(
        height=ROW_HEIGHT * len(frame), width=charts.WIDTH,
        title=f"{target_id} under every reading declared",
        description=(f"Dot plot: {record['deciding'] or 'the verdict'} for the book's reading and "
                     f"{len(frame) - 1} other readings of {target_id}; {flipped} give another "
                     "verdict."))


def publish_readings(record: dict, target_id: str, fmt: str) -> None:
    """The chart, with its downloads, glued as fig_readings_<id> (and its credit line)."""
    frame = readings_frame(record)
    sources = sorted(set(frame["source_id"]) | {"ours", "simonsohn_2020"})
    charts.publish_figure(readings_chart(record, target_id, fmt),
                          f"fig_readings_{target_id.lower()}", sources=sources,
                          as_of=record.get("as_of", ""), alt_text=readings_chart(
                              record, target_id, fmt).description, table=frame)
