"""Interactive what-if charts that recompute in the reader's browser, with no kernel.

The payback what-if restates `gpuecon.finance` as Vega expressions (cash flows, payback,
discounted payback, NPV, IRR, break-even prices); the browser tests compare what the page shows
with the Python model at its starting values and at 25 seeded random settings. `_static/book.js`
reads its starting state from the page's query string and keeps the query string in step.
"""

from __future__ import annotations

import altair as alt

from . import charts, finance

# What the page says where the model gives no number (the book's words: gpuecon.numbers).
NO_PRICE = "no price (nothing is rented, so nothing is earned)"
NO_IRR = "does not exist (the cash never repays the capex)"

# IRR is found in the page by scanning NPV over this grid of rates (step = precision).
IRR_SCAN = (-0.5, 1.5, 0.0005)


# The payback what-if's controls, named as in the page's query string: the year-1 price, the price
# path, and every assumption the model reads (ids of data/assumptions.csv). Each range reaches the
# article's own values (everything rented, no running costs) and the book's tested ranges.
PAYBACK_CONTROLS = (  # (name, label, min, max, step)
    ("price", "Price in year 1 ($ per GPU-hour)", 0.5, 10.0, 0.05),
    ("utilisation", "Utilisation (share of hours rented)", 0.0, 1.0, 0.01),
    ("capex_per_gpu", "Capex per GPU ($)", 20_000, 80_000, 500),
    ("gpu_power_kw", "Power per GPU (kW)", 0.0, 2.0, 0.05),
    ("pue", "PUE", 1.0, 2.0, 0.05),
    ("electricity_usd_per_kwh", "Electricity ($ per kWh)", 0.0, 0.3, 0.005),
    ("other_opex_usd_per_gpu_hour", "Other running costs ($ per GPU-hour owned)", 0.0, 1.0, 0.01),
    ("lifetime_years", "Lifetime (years)", 1, 10, 1),
    ("residual_value_share", "Resale value at the end (share of capex)", 0.0, 0.5, 0.01),
    ("hurdle_rate", "Hurdle rate", 0.0, 0.3, 0.005),
)
MAX_LIFETIME = 10

# How a control's read-out is written, in the book's number style (`gpuecon.numbers`): options
# of the browser's Intl.NumberFormat, which `_static/book.js` applies to each slider's value.
_DOLLARS = {"style": "currency", "currency": "USD", "minimumFractionDigits": 2}
_SHARE = {"style": "percent", "maximumFractionDigits": 1}
READOUTS = {
    "price": _DOLLARS, "utilisation": _SHARE,
    "capex_per_gpu": {"style": "currency", "currency": "USD", "maximumFractionDigits": 0},
    "electricity_usd_per_kwh": {**_DOLLARS, "minimumFractionDigits": 3},
    "other_opex_usd_per_gpu_hour": _DOLLARS, "residual_value_share": _SHARE,
    "hurdle_rate": _SHARE, "comm_share": _SHARE, "eff_low": _SHARE, "eff_high": _SHARE,
}



def payback_controls(e: finance.GpuEconomics, hurdle_rate: float) -> dict:
    """The controls' values for a model, by control name (a preset, or the starting state)."""
    values = {"price": float(e.price_usd_per_hour), "price_path": e.price_path,
              "hurdle_rate": float(hurdle_rate)}
    for field, (assumption_id, _) in finance.ASSUMPTION_FIELDS.items():
        values[assumption_id] = float(getattr(e, field))
    return values


def on_steps(values: dict) -> dict:
    """Controls' values moved to the nearest step each control can take (the page refuses a
    value between steps, so a preset must sit on them)."""
    steps = {name: (low, step) for name, _, low, _, step in PAYBACK_CONTROLS}

    def nearest(name, value):
        low, step = steps[name]
        return round(low + round((value - low) / step) * step, 10)

    return {name: nearest(name, value) if name in steps else value
            for name, value in values.items()}


def _factor_expr(year: str) -> str:
    """Vega expression for `finance.price_factors` (keep the two in step)."""
    return (f"(price_path == '{finance.FLAT}' ? 1 : price_path == '{finance.LINEAR_TO_HALF}' ? "
            f"max(1 - 0.125 * ({year} - 1), 0) : pow(0.6, {year} - 1))")


# Derived values the expressions share (Vega signals), so each is written once:
# finance.running_cost_per_hour_owned and the revenue per year at full price, both per year.
_DERIVED = {
    "running_per_year": (f"(gpu_power_kw * pue * electricity_usd_per_kwh * utilisation "
                         f"+ other_opex_usd_per_gpu_hour) * {finance.HOURS_PER_YEAR}"),
    "revenue_per_year": f"price * {finance.HOURS_PER_YEAR} * utilisation",
    "resale": "residual_value_share * capex_per_gpu",
}


def _year_factor(t: int) -> str:
    """`finance.price_factors` for a literal year t, the numbers worked out here."""
    factors = {path: float(finance.price_factors(path, t)[-1]) for path in finance.PRICE_PATHS}
    return (f"(price_path == '{finance.FLAT}' ? {factors[finance.FLAT]:.6g} : price_path == "
            f"'{finance.LINEAR_TO_HALF}' ? {factors[finance.LINEAR_TO_HALF]:.6g} : "
            f"{factors[finance.MINUS_40_PCT_A_YEAR]:.6g})")


def _cash_expr(year: str, factor: str) -> str:
    """Vega expression for one year's cash (`finance.cash_flows`), 0 after the lifetime."""
    return (f"({year} <= lifetime_years ? revenue_per_year * {factor} - running_per_year"
            f" + ({year} == lifetime_years ? resale : 0) : 0)")


def payback_whatif(start: dict) -> alt.VConcatChart:
    """Cumulative cash per GPU by year, with a control for every input of the model and the
    price path; text lines give payback, discounted payback, NPV and IRR at the hurdle rate, and
    the two break-even year-1 prices. `start` gives the controls' values (`payback_controls`)."""
    hours = finance.HOURS_PER_YEAR
    params = [alt.param(name=name, value=start[name], bind=alt.binding_range(
        min=low, max=high, step=step, name=f"{label} "))
        for name, label, low, high, step in PAYBACK_CONTROLS]
    params.append(alt.param(name="price_path", value=start["price_path"],
                            bind=alt.binding_select(
                                options=list(finance.PRICE_PATHS),
                                labels=[finance.PRICE_PATH_NAMES[p] for p in finance.PRICE_PATHS],
                                name="Price path ")))
    params += [alt.param(name=name, expr=expr) for name, expr in _DERIVED.items()]
    years = (
        alt.Chart(alt.sequence(1, MAX_LIFETIME + 1, as_="year"))
        .transform_filter("datum.year <= lifetime_years")
        .transform_calculate(factor=_factor_expr("datum.year"))
        .transform_calculate(
            cash=_cash_expr("datum.year", "datum.factor"),
            per_dollar=f"datum.factor * {hours} * utilisation",
            fixed="- running_per_year + (datum.year == lifetime_years ? resale : 0)",
            discount="pow(1 + hurdle_rate, -datum.year)")
        .transform_calculate(discounted="datum.cash * datum.discount")
    )
    by_year = (
        years.transform_window(cumulative="sum(cash)", dcumulative="sum(discounted)",
                               sort=[{"field": "year"}])
        .transform_calculate(
            net="datum.cumulative - capex_per_gpu",
            dnet="datum.dcumulative - capex_per_gpu",
            paid_back="datum.cumulative >= capex_per_gpu ? 'paid back' : 'not yet'")
    )
    bars = by_year.mark_bar().encode(
        x=alt.X("year:O", title="Year"),
        y=alt.Y("net:Q", title="Cumulative cash less capex ($)"),
        color=alt.Color("paid_back:N", title=None,
                        scale=alt.Scale(domain=["not yet", "paid back"],
                                        range=[charts.STATED_COLOUR, charts.PALETTE[0]])),
        tooltip=["year:O", alt.Tooltip("cash:Q", format=",.0f", title="cash this year"),
                 alt.Tooltip("net:Q", format=",.0f", title="cumulative less capex")],
    ).properties(width=560, height=260)
    # finance._payback_from: the first year whose cumulative cash reaches capex, interpolated
    crossings = by_year.transform_calculate(
        before="datum.net - datum.cash", dbefore="datum.dnet - datum.discounted",
        payback=("datum.net >= 0 && datum.before < 0 ? "
                 "datum.year - 1 - datum.before / datum.cash : null"),
        dpayback=("datum.dnet >= 0 && datum.dbefore < 0 ? "
                  "datum.year - 1 - datum.dbefore / datum.discounted : null"))
    # the per-dollar and fixed parts, discounted, for the NPV break-even (NPV is linear in price)
    crossings = crossings.transform_calculate(dper_dollar="datum.per_dollar * datum.discount",
                                              dfixed="datum.fixed * datum.discount")
    summary = crossings.transform_aggregate(
        payback="min(payback)", dpayback="min(dpayback)", per_dollar="sum(per_dollar)",
        fixed="sum(fixed)", dper_dollar="sum(dper_dollar)", dfixed="sum(dfixed)",
        npv_after_capex="sum(discounted)")
    never = "'not within ' + lifetime_years + (lifetime_years == 1 ? ' year' : ' years')"
    lines = summary.transform_calculate(
        l1=("'Payback: ' + (isValid(datum.payback) ? format(datum.payback, '.2f') + ' years' : "
            f"{never})"),
        l2=("'Discounted payback at ' + format(hurdle_rate, '.1%') + ': ' + "
            "(isValid(datum.dpayback) ? format(datum.dpayback, '.2f') + ' years' : "
            f"{never})"),
        l3=("'NPV at the ' + format(hurdle_rate, '.1%') + ' hurdle: ' + "
            "(datum.npv_after_capex < capex_per_gpu ? '−$' : '$') + "
            "format(abs(datum.npv_after_capex - capex_per_gpu), ',.0f')"),
        l5=("'Break-even year-1 price to pay back within its life: ' + (datum.per_dollar > 0 ? "
            "'$' + format((capex_per_gpu - datum.fixed) / datum.per_dollar, '.2f') : "
            f"{NO_PRICE!r})"),
        l6=("'Break-even year-1 price for NPV = 0 at the hurdle: ' + (datum.dper_dollar > 0 ? "
            "'$' + format((capex_per_gpu - datum.dfixed) / datum.dper_dollar, '.2f') : "
            f"{NO_PRICE!r})"),
    ).transform_fold(["l1", "l2", "l3", "l5", "l6"], as_=["line", "text"])
    npv_terms = " + ".join(f"{_cash_expr(str(t), _year_factor(t))} / pow(1 + datum.rate, {t})"
                           for t in range(1, MAX_LIFETIME + 1))
    irr_line = (
        alt.Chart(alt.sequence(*IRR_SCAN, as_="rate"))
        .transform_calculate(npv=f"-capex_per_gpu + {npv_terms}")
        # NPV falls as the rate rises: the IRR is the highest rate whose NPV is still >= 0.
        .transform_calculate(repaid_at="datum.npv >= 0 ? datum.rate : null")
        .transform_aggregate(irr="max(repaid_at)", top="max(rate)")
        .transform_calculate(line="'l4'", text=(
            f"!isValid(datum.irr) ? 'IRR: ' + {NO_IRR!r} : datum.irr >= datum.top ? "
            "'IRR: above ' + format(datum.top, '.0%') : 'IRR: ' + format(datum.irr, '.1%')"))
    )
    text_style = {"align": "left", "baseline": "middle", "fontSize": 14}
    order = alt.Scale(domain=["l1", "l2", "l3", "l4", "l5", "l6"])
    texts = alt.layer(
        lines.mark_text(**text_style).encode(
            x=alt.value(0), y=alt.Y("line:N", axis=None, scale=order), text="text:N"),
        irr_line.mark_text(**text_style).encode(
            x=alt.value(0), y=alt.Y("line:N", axis=None, scale=order), text="text:N"),
    ).properties(width=560, height=130)
    return alt.vconcat(texts, bars).add_params(*params).properties(
        title="What if: the cash of one H100, every input yours",
        usermeta={"readouts": _readouts(name for name, *_ in PAYBACK_CONTROLS)})


def network_value_whatif(bases: dict[str, tuple[str, float]], *, default_basis: str,
                         comm_share: float, eff_low: float, eff_high: float,
                         networking_cost: float) -> alt.LayerChart:
    """Gain per GPU-year from better bandwidth against the communication share of step time,
    with sliders for the share and both efficiencies and a menu for what a GPU-year is worth
    (`bases`: short id, as a link gives it -> (the menu's words, dollars a GPU-year)).
    Restates `finance.network_gain` as Vega expressions."""
    options = list(bases)
    basis_expr = " : ".join(f"basis == {basis!r} ? {value}"
                            for basis, (_, value) in bases.items())
    basis_expr = f"({basis_expr} : 0)"
    params = [
        alt.param(name="comm_share", value=comm_share, bind=alt.binding_range(
            min=0, max=1, step=0.01, name="Communication share of step time ")),
        alt.param(name="eff_low", value=eff_low, bind=alt.binding_range(
            min=0.3, max=0.95, step=0.01, name="Effective bandwidth, ordinary Ethernet ")),
        alt.param(name="eff_high", value=eff_high, bind=alt.binding_range(
            min=0.5, max=1.0, step=0.01, name="Effective bandwidth, better network ")),
        alt.param(name="basis", value=default_basis, bind=alt.binding_select(
            options=options, labels=[label for label, _ in bases.values()],
            name="A GPU-year is worth ")),
    ]
    gain = f"{basis_expr} * (1 - 1 / ((1 - {{s}}) + {{s}} * eff_high / eff_low))"
    curve = (
        alt.Chart(alt.sequence(0, 1.0001, 0.01, as_="share"))
        .transform_calculate(gain=gain.format(s="datum.share"))
        .mark_line(color=charts.PALETTE[0])
        .encode(x=alt.X("share:Q", title="Share of step time on the back-end network",
                        axis=alt.Axis(format="%")),
                y=alt.Y("gain:Q", title="Value gained per GPU-year ($)"),
                tooltip=[alt.Tooltip("share:Q", format=".0%"),
                         alt.Tooltip("gain:Q", format=",.0f")])
    )
    cost = alt.Chart(alt.sequence(0, 1, as_="x")).transform_aggregate(n="count()").transform_calculate(
        cost=f"{networking_cost}", label="'networking ARR per GPU (N03)'").mark_rule(
        color=charts.STATED_COLOUR, strokeDash=[6, 4]).encode(
        y="cost:Q", tooltip=["label:N", alt.Tooltip("cost:Q", format=",.0f")])
    chosen = (
        alt.Chart(alt.sequence(0, 1, as_="x")).transform_aggregate(n="count()")
        .transform_calculate(share="comm_share", gain=gain.format(s="comm_share"),
                             label=("'Gain: $' + format(datum.gain, ',.0f') + ' per GPU-year, ' + "
                                    f"format(datum.gain / {networking_cost}, '.1f') + '× the networking ARR'"))
    )
    point = chosen.mark_point(size=120, filled=True, color=charts.STATED_COLOUR).encode(
        x="share:Q", y="gain:Q", tooltip=[alt.Tooltip("gain:Q", format=",.0f")])
    text = chosen.mark_text(align="left", baseline="top", fontSize=14, fontWeight="bold",
                            dx=4, dy=4).encode(x=alt.value(0), y=alt.value(0), text="label:N")
    return alt.layer(curve, cost, point, text).add_params(*params).properties(
        title="What if: value of better bandwidth per GPU-year",
        usermeta={"readouts": _readouts(("comm_share", "eff_low", "eff_high"))})


def _readouts(names) -> dict:
    return {name: READOUTS[name] for name in names if name in READOUTS}
