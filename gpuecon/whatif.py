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
    # finance.running_cost_per_hour_owned, with electricity and utilisation from the sliders
    running = (f"({float(e.power_kw)} * {float(e.pue)} * electricity * utilisation "
               f"+ {float(e.other_opex_usd_per_hour)})")
    residual = (f"({year} == {e.lifetime_years} ? {float(e.residual_value_share)} * capex : 0)")
    return (f"(price * {_factor_expr(year)} * {hours} * utilisation - {running} * {hours} "
            f"+ {residual})")


def payback_whatif(e: finance.GpuEconomics, *, defaults: dict, lifetime_years: int) -> alt.LayerChart:
    """Cumulative cash per GPU by year, with sliders for price, utilisation, capex, electricity
    and a price-path menu; a text line gives payback and IRR."""
    params = [
        alt.param(name="price", value=defaults["price"], bind=alt.binding_range(
            min=0.5, max=8.0, step=0.05, name="Price in year 1 (USD per GPU-hour) ")),
        alt.param(name="utilisation", value=defaults["utilisation"], bind=alt.binding_range(
            min=0.3, max=1.0, step=0.01, name="Utilisation (share of hours rented) ")),
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
        # NPV falls as the rate rises: the IRR is the highest rate whose NPV is still >= 0.
        .transform_calculate(repaid_at="datum.npv >= 0 ? datum.rate : null")
        .transform_aggregate(irr="max(repaid_at)", top="max(rate)")
        .transform_calculate(label=(
            "!isValid(datum.irr) ? 'IRR: none (never repaid)' : datum.irr >= datum.top ? "
            "'IRR: above ' + format(datum.top, '.0%') : 'IRR: ' + format(datum.irr, '.1%')"))
        .mark_text(align="left", baseline="top", fontSize=14, fontWeight="bold", dx=4, dy=24)
        .encode(x=alt.value(0), y=alt.value(0), text="label:N")
    )
    return alt.layer(bars, payback_text, irr_text).add_params(*params).properties(
        title="What if: cumulative cash of one H100")


def network_value_whatif(bases: dict[str, float], *, default_basis: str, comm_share: float,
                         eff_low: float, eff_high: float, networking_cost: float) -> alt.LayerChart:
    """Gain per GPU-year from better bandwidth against the communication share of step time,
    with sliders for the share and both efficiencies and a menu for what a GPU-year is worth.
    Restates `finance.network_gain` as Vega expressions."""
    options = list(bases)
    basis_expr = " : ".join(f"basis == {label!r} ? {value}" for label, value in bases.items())
    basis_expr = f"({basis_expr} : 0)"
    params = [
        alt.param(name="comm", value=comm_share, bind=alt.binding_range(
            min=0, max=1, step=0.01, name="Communication share of step time ")),
        alt.param(name="eff_low", value=eff_low, bind=alt.binding_range(
            min=0.3, max=0.95, step=0.01, name="Effective bandwidth, ordinary Ethernet ")),
        alt.param(name="eff_high", value=eff_high, bind=alt.binding_range(
            min=0.5, max=1.0, step=0.01, name="Effective bandwidth, better network ")),
        alt.param(name="basis", value=default_basis, bind=alt.binding_select(
            options=options, name="A GPU-year is worth ")),
    ]
    gain = f"{basis_expr} * (1 - 1 / ((1 - {{s}}) + {{s}} * eff_high / eff_low))"
    curve = (
        alt.Chart(alt.sequence(0, 1.0001, 0.01, as_="share"))
        .transform_calculate(gain=gain.format(s="datum.share"))
        .mark_line(color=charts.PALETTE[0])
        .encode(x=alt.X("share:Q", title="Share of step time on the back-end network",
                        axis=alt.Axis(format="%")),
                y=alt.Y("gain:Q", title="Value gained per GPU-year (USD)"),
                tooltip=[alt.Tooltip("share:Q", format=".0%"),
                         alt.Tooltip("gain:Q", format=",.0f")])
    )
    cost = alt.Chart(alt.sequence(0, 1, as_="x")).transform_aggregate(n="count()").transform_calculate(
        cost=f"{networking_cost}", label="'networking ARR per GPU (N03)'").mark_rule(
        color=charts.STATED_COLOUR, strokeDash=[6, 4]).encode(
        y="cost:Q", tooltip=["label:N", alt.Tooltip("cost:Q", format=",.0f")])
    chosen = (
        alt.Chart(alt.sequence(0, 1, as_="x")).transform_aggregate(n="count()")
        .transform_calculate(share="comm", gain=gain.format(s="comm"),
                             label=("'Gain: $' + format(datum.gain, ',.0f') + ' per GPU-year, ' + "
                                    f"format(datum.gain / {networking_cost}, '.1f') + '× the networking ARR'"))
    )
    point = chosen.mark_point(size=120, filled=True, color=charts.STATED_COLOUR).encode(
        x="share:Q", y="gain:Q", tooltip=[alt.Tooltip("gain:Q", format=",.0f")])
    text = chosen.mark_text(align="left", baseline="top", fontSize=14, fontWeight="bold",
                            dx=4, dy=4).encode(x=alt.value(0), y=alt.value(0), text="label:N")
    return alt.layer(curve, cost, point, text).add_params(*params).properties(
        title="What if: value of better bandwidth per GPU-year")
