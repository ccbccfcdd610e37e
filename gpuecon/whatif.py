"""Interactive what-if charts that recompute in the reader's browser, with no kernel.

The payback what-if restates `gpuecon.finance.cash_flows` as Vega expressions; the browser test
checks that, at its starting values, the page shows the payback and IRR the Python model gives.
"""

from __future__ import annotations

import altair as alt

from . import charts, finance

# IRR is found in the page by scanning NPV over this grid of rates (step = precision).
IRR_SCAN = (-0.5, 1.5, 0.0005)


def _factor_expr(year: str) -> str:
    """Vega expression for `finance.price_factors` (keep the two in step)."""
    return (f"(path == '{finance.FLAT}' ? 1 : path == '{finance.LINEAR_TO_HALF}' ? "
            f"max(1 - 0.125 * ({year} - 1), 0) : pow(0.6, {year} - 1))")


def _cash_expr(year: str, e: finance.GpuEconomics) -> str:
    """Vega expression for one year's cash (`finance.cash_flows`), sliders as variables."""
    hours = finance.HOURS_PER_YEAR
    running = f"{float(e.power_kw)} * {float(e.pue)} * electricity * {hours} * allocation"
    other = f"{float(e.other_opex_usd_per_hour)} * {hours}"
    residual = (f"({year} == {e.lifetime_years} ? {float(e.residual_value_share)} * capex : 0)")
    return (f"(price * {_factor_expr(year)} * {hours} * allocation - {running} - {other} "
            f"+ {residual})")


def payback_whatif(e: finance.GpuEconomics, *, defaults: dict, lifetime_years: int) -> alt.LayerChart:
    """Cumulative cash per GPU by year, with sliders for price, allocation, capex, electricity
    and a price-path menu; a text line gives payback and IRR."""
    params = [
        alt.param(name="price", value=defaults["price"], bind=alt.binding_range(
            min=0.5, max=8.0, step=0.05, name="Price in year 1 (USD per GPU-hour) ")),
        alt.param(name="allocation", value=defaults["allocation"], bind=alt.binding_range(
            min=0.3, max=1.0, step=0.01, name="Allocation (share of hours rented) ")),
        alt.param(name="capex", value=defaults["capex"], bind=alt.binding_range(
            min=40_000, max=60_000, step=500, name="Capex per GPU (USD) ")),
        alt.param(name="electricity", value=defaults["electricity"], bind=alt.binding_range(
            min=0.01, max=0.20, step=0.005, name="Electricity (USD per kWh) ")),
        alt.param(name="path", value=e.price_path, bind=alt.binding_select(
            options=list(finance.PRICE_PATHS), name="Price path ")),
    ]
    years = alt.sequence(1, lifetime_years + 1, as_="year")
    by_year = (
        alt.Chart(years)
        .transform_calculate(cash=_cash_expr("datum.year", e))
        .transform_window(cumulative=f"sum(cash)", sort=[{"field": "year"}])
        .transform_calculate(net="datum.cumulative - capex",
                             paid_back="datum.cumulative >= capex ? 'paid back' : 'not yet'")
    )
    bars = by_year.mark_bar().encode(
        x=alt.X("year:O", title="Year"),
        y=alt.Y("net:Q", title="Cumulative cash less capex (USD)"),
        color=alt.Color("paid_back:N", title=None,
                        scale=alt.Scale(domain=["not yet", "paid back"],
                                        range=[charts.STATED_COLOUR, charts.PALETTE[0]])),
        tooltip=["year:O", alt.Tooltip("cash:Q", format=",.0f", title="cash this year"),
                 alt.Tooltip("net:Q", format=",.0f", title="cumulative less capex")],
    )
    payback_text = (
        by_year.transform_calculate(
            before="datum.net - datum.cash",
            payback="datum.net >= 0 && datum.before < 0 ? datum.year - 1 - datum.before / datum.cash : null")
        .transform_aggregate(payback="min(payback)")
        .transform_calculate(label=(
            "isValid(datum.payback) ? 'Payback: ' + format(datum.payback, '.2f') + ' years'"
            f" : 'Payback: not within {lifetime_years} years'"))
        .mark_text(align="left", baseline="top", fontSize=14, fontWeight="bold", dx=4, dy=4)
        .encode(x=alt.value(0), y=alt.value(0), text="label:N")
    )
    npv_terms = " + ".join(
        f"{_cash_expr(str(t), e)} / pow(1 + datum.rate, {t})" for t in range(1, lifetime_years + 1))
    irr_text = (
        alt.Chart(alt.sequence(*IRR_SCAN, as_="rate"))
        .transform_calculate(npv=f"-capex + {npv_terms}")
        .transform_filter("datum.npv >= 0")
        .transform_aggregate(irr="max(rate)")
        .transform_calculate(label=(
            "isValid(datum.irr) ? 'IRR: ' + format(datum.irr, '.1%') : 'IRR: none (never repaid)'"))
        .mark_text(align="left", baseline="top", fontSize=14, fontWeight="bold", dx=4, dy=24)
        .encode(x=alt.value(0), y=alt.value(0), text="label:N")
    )
    return alt.layer(bars, payback_text, irr_text).add_params(*params).properties(
        title="What if: cumulative cash of one H100")
