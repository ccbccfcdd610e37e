"""Cash flows of one rented GPU, and the measures the chapters quote: simple and discounted
payback, NPV, IRR, and break-even prices.

Every function is vectorised: any input of `GpuEconomics` may be a numpy array, and the
results broadcast, so a grid of prices x utilisations x scenarios (or 100,000 Monte Carlo draws)
is one call. Cash flows have the years on the last axis: index 0 is the purchase, 1..L the years.
NPV and IRR come from numpy-financial.

This module owns the model: the one mapping from the book's assumptions to its inputs
(`ASSUMPTION_FIELDS`, `GpuEconomics.from_assumptions`), the seeded Monte Carlo draw, the monthly
cash of a GPU rented at market prices, and the value of better network bandwidth.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import numpy_financial as npf

HOURS_PER_YEAR = 8760

# Price paths: the rental price in year t as a multiple of the year-1 price.
FLAT = "flat"
LINEAR_TO_HALF = "linear_to_half"  # Latent Space's 'blended': a gradual drop to 50% over 5 years
MINUS_40_PCT_A_YEAR = "minus_40pct_a_year"  # Latent Space's observed '>= 40% price drop per year'
PRICE_PATHS = (FLAT, LINEAR_TO_HALF, MINUS_40_PCT_A_YEAR)
# Any steady fall a year (GpuEconomics.yearly_decline): the 2026 chapter's break-even decline.
DECLINING = "declining"
# Each path as a reader reads it (charts, menus, tables).
PRICE_PATH_NAMES = {FLAT: "price held flat",
                    LINEAR_TO_HALF: "falling to half by year 5 (the article's)",
                    MINUS_40_PCT_A_YEAR: "falling 40% a year"}


def price_factors(path: str, years: int, yearly_decline=0.0) -> np.ndarray:
    """Year-t price as a multiple of year 1, t = 1..years (`yearly_decline`: the fall a year of
    the DECLINING path, a number or an array; the years are on the last axis)."""
    t = np.arange(years, dtype="float64")
    if path == DECLINING:
        return (1.0 - _expand(yearly_decline)) ** t
    if path == FLAT:
        return np.ones(years)
    if path == LINEAR_TO_HALF:
        # 1.0 in year 1 falling in equal steps to 0.5 in year 5, and on at the same slope.
        return np.maximum(1.0 - 0.125 * t, 0.0)
    if path == MINUS_40_PCT_A_YEAR:
        return 0.6**t
    raise ValueError(f"unknown price path '{path}'; use one of {PRICE_PATHS}")


# The one mapping from the model's inputs to data/assumptions.csv: field -> (assumption id, unit).
# "Utilisation" is the book's one name for the share of hours a GPU is rented out.
ASSUMPTION_FIELDS = {
    "capex_usd": ("capex_per_gpu", "USD"),
    "utilisation": ("utilisation", "fraction"),
    "power_kw": ("gpu_power_kw", "kW"),
    "pue": ("pue", "ratio"),
    "electricity_usd_per_kwh": ("electricity_usd_per_kwh", "USD per kWh"),
    "other_opex_usd_per_hour": ("other_opex_usd_per_gpu_hour", "USD per GPU-hour"),
    "lifetime_years": ("lifetime_years", "years"),
    "residual_value_share": ("residual_value_share", "fraction"),
}
WHOLE_NUMBER_FIELDS = ("lifetime_years",)


def _typed(field: str, value: float):
    """A value for `field`: whole years for the lifetime, a float otherwise."""
    if field in WHOLE_NUMBER_FIELDS:
        if float(value) != int(value):
            assumption_id = ASSUMPTION_FIELDS[field][0]
            raise ValueError(f"assumption '{assumption_id}' must be a whole number; got {value!r}")
        return int(value)
    return float(value)


def assumption_range(assumptions, field: str) -> tuple:
    """The low and high end the book tests `field` over, typed like the field."""
    assumption_id, unit = ASSUMPTION_FIELDS[field]
    low, high = assumptions.range(assumption_id, unit)
    return _typed(field, low), _typed(field, high)


@dataclass(frozen=True)
class GpuEconomics:
    """Inputs for one GPU. Any numeric field may be an array (it broadcasts)."""

    price_usd_per_hour: float | np.ndarray  # year-1 rental price per GPU-hour
    utilisation: float | np.ndarray  # share of hours rented, 0..1
    capex_usd: float | np.ndarray  # paid at t = 0
    power_kw: float | np.ndarray = 0.0  # electrical draw while rented
    pue: float | np.ndarray = 1.0
    electricity_usd_per_kwh: float | np.ndarray = 0.0
    other_opex_usd_per_hour: float | np.ndarray = 0.0  # per hour owned, rented or not
    lifetime_years: int = 5
    residual_value_share: float | np.ndarray = 0.0  # of capex, received at the end
    price_path: str = FLAT
    yearly_decline: float | np.ndarray = 0.0  # the DECLINING path's fall a year, 0..1

    def __post_init__(self):
        def check(name, ok, rule):
            value = np.asarray(getattr(self, name), dtype="float64")
            if not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be a finite number; got {getattr(self, name)!r}")
            if not np.all(ok(value)):
                bad = value[~ok(value)] if value.ndim else value
                raise ValueError(f"{name} must be {rule}; got {np.ravel(bad)[0]:g}")

        check("price_usd_per_hour", lambda v: v >= 0, ">= 0 USD per GPU-hour")
        check("utilisation", lambda v: (v >= 0) & (v <= 1), "between 0 and 1")
        check("capex_usd", lambda v: v > 0, "> 0 USD")
        check("power_kw", lambda v: v >= 0, ">= 0 kW")
        check("pue", lambda v: v >= 1, ">= 1")
        check("electricity_usd_per_kwh", lambda v: v >= 0, ">= 0 USD per kWh")
        check("other_opex_usd_per_hour", lambda v: v >= 0, ">= 0 USD per hour")
        check("residual_value_share", lambda v: (v >= 0) & (v <= 1), "between 0 and 1")
        check("yearly_decline", lambda v: (v >= 0) & (v <= 1), "between 0 and 1")
        if not (isinstance(self.lifetime_years, (int, np.integer)) and self.lifetime_years >= 1):
            raise ValueError(f"lifetime_years must be a whole number >= 1; got {self.lifetime_years!r}")
        price_factors(self.price_path, 1)  # validates the path name

    @classmethod
    def from_assumptions(cls, assumptions, **overrides) -> GpuEconomics:
        """The model at the book's assumptions (a `data.Assumptions`), with `overrides` for the
        inputs that are not assumptions (the price, its path) or that a chapter varies."""
        values = {field: _typed(field, assumptions.value(assumption_id, unit))
                  for field, (assumption_id, unit) in ASSUMPTION_FIELDS.items()
                  if field not in overrides}
        return cls(**values, **overrides)

    def with_(self, **changes) -> GpuEconomics:
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _expand(x) -> np.ndarray:
    """An input as an array with a trailing axis for the years."""
    return np.asarray(x, dtype="float64")[..., np.newaxis]


def running_cost_per_hour_owned(e: GpuEconomics):
    """Electricity for the hours rented plus other running costs, per hour owned."""
    return (np.asarray(e.power_kw) * e.pue * e.electricity_usd_per_kwh * e.utilisation
            + e.other_opex_usd_per_hour)


def cash_flows(e: GpuEconomics) -> np.ndarray:
    """Cash per GPU: [-capex, year 1, ..., year L] (years on the last axis)."""
    years = e.lifetime_years
    factors = price_factors(e.price_path, years, e.yearly_decline)
    rented_hours = HOURS_PER_YEAR * _expand(e.utilisation)
    revenue = _expand(e.price_usd_per_hour) * factors * rented_hours
    running = _expand(running_cost_per_hour_owned(e)) * HOURS_PER_YEAR
    yearly = revenue - running
    yearly = yearly + np.zeros(years)  # give scalar inputs their year axis
    yearly[..., -1] += np.asarray(e.residual_value_share) * np.asarray(e.capex_usd)
    start = -np.asarray(e.capex_usd, dtype="float64")[..., np.newaxis]
    start, yearly = np.broadcast_arrays(start, yearly)
    return np.concatenate([start[..., :1], yearly], axis=-1)


def _payback_from(values: np.ndarray) -> np.ndarray:
    """Years until cumulative cash first reaches zero, interpolating within the year; inf if never."""
    cum = np.cumsum(values, axis=-1)
    reached = cum >= 0
    reached[..., 0] = False  # the purchase itself never pays back
    never = ~reached.any(axis=-1)
    first = np.argmax(reached, axis=-1)  # first year with cum >= 0
    first = np.where(never, 1, first)
    before = np.take_along_axis(cum, (first - 1)[..., None], axis=-1)[..., 0]
    during = np.take_along_axis(values, first[..., None], axis=-1)[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        years = (first - 1) + np.where(during > 0, -before / during, 0.0)
    return np.where(never, np.inf, years)


def simple_payback(cf: np.ndarray) -> np.ndarray:
    """Years to recover the purchase from undiscounted cash; inf if not within the lifetime."""
    return _payback_from(np.asarray(cf, dtype="float64"))


def discounted_payback(cf: np.ndarray, rate: float) -> np.ndarray:
    """Years to recover the purchase from cash discounted at `rate`; inf if never."""
    cf = np.asarray(cf, dtype="float64")
    discount = (1.0 + rate) ** -np.arange(cf.shape[-1])
    return _payback_from(cf * discount)


def npv(rate: float, cf: np.ndarray) -> np.ndarray:
    """Net present value at `rate` (numpy-financial; years on the last axis)."""
    if not np.isscalar(rate) or not np.isfinite(rate) or rate <= -1:
        raise ValueError(f"rate must be a number above -1; got {rate!r}")
    cf = np.asarray(cf, dtype="float64")
    # numpy-financial's npv takes one series at a time (its broadcasting is 1-D only).
    return np.apply_along_axis(lambda series: npf.npv(rate, series), -1, cf)


def irr(cf: np.ndarray, *, strict: bool = False) -> np.ndarray:
    """Internal rate of return per series (numpy-financial). Where cash never changes sign
    there is no IRR: NaN, or a ValueError when `strict`. Callers show NaN as "no IRR"."""
    cf = np.asarray(cf, dtype="float64")
    flat = cf.reshape(-1, cf.shape[-1])
    has_sign_change = (flat.min(axis=-1) < 0) & (flat.max(axis=-1) > 0)
    if strict and not has_sign_change.all():
        raise ValueError(
            f"{int((~has_sign_change).sum())} cash-flow series never change sign: no IRR exists"
        )
    out = np.full(len(flat), np.nan)
    rows = np.flatnonzero(has_sign_change)
    # numpy-financial's own rule, for every series at once (a grid of 40,000 series takes
    # milliseconds instead of seconds): the rates from the polynomial's real positive roots,
    # the one closest to zero. A series that starts or ends with 0 is left to npf.irr itself.
    whole = rows[(flat[rows, 0] != 0) & (flat[rows, -1] != 0)] if flat.shape[-1] > 1 else rows[:0]
    for i in np.setdiff1d(rows, whole):
        out[i] = npf.irr(flat[i])
    if len(whole):
        out[whole] = _irr_by_roots(flat[whole])
    return out.reshape(cf.shape[:-1])


def _irr_by_roots(flat: np.ndarray) -> np.ndarray:
    """npf.irr row by row, as numpy's `roots` computes it (the companion matrix's eigenvalues),
    batched: the same LAPACK call on each matrix, so the same numbers."""
    coefficients = flat[:, ::-1]  # highest power first, as np.roots takes them
    degree = coefficients.shape[1] - 1
    companion = np.zeros((len(flat), degree, degree))
    companion[:, 0, :] = -coefficients[:, 1:] / coefficients[:, :1]
    companion[:, np.arange(1, degree), np.arange(degree - 1)] = 1.0
    roots = np.linalg.eigvals(companion)
    usable = (roots.imag == 0) & (roots.real > 0)
    with np.errstate(divide="ignore"):
        rates = np.where(usable, 1 / np.where(usable, roots.real, 1.0) - 1, np.inf)
    closest = np.argmin(np.abs(rates), axis=-1)
    chosen = np.take_along_axis(rates, closest[:, None], axis=-1)[:, 0]
    return np.where(usable.any(axis=-1), chosen, np.nan)


def _linear_in_price(e: GpuEconomics) -> tuple[np.ndarray, np.ndarray]:
    """Cash flows are linear in the price: cf(p) = p * slope + intercept."""
    intercept = cash_flows(e.with_(price_usd_per_hour=0.0))
    slope = cash_flows(e.with_(price_usd_per_hour=1.0)) - intercept
    return slope, intercept


def break_even_price_npv(e: GpuEconomics, rate: float) -> np.ndarray:
    """The year-1 price at which NPV at `rate` is zero (exact: NPV is linear in the price)."""
    slope, intercept = _linear_in_price(e)
    a, b = npv(rate, slope), npv(rate, intercept)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a > 0, -b / a, np.inf)


def break_even_price_payback(e: GpuEconomics, horizon_years: int) -> np.ndarray:
    """The year-1 price at which cumulative cash reaches zero after `horizon_years` (a horizon
    beyond the GPU's life is its life: nothing is earned after it)."""
    if horizon_years < 1:
        raise ValueError(f"horizon must be at least 1 year; got {horizon_years}")
    horizon_years = min(horizon_years, e.lifetime_years)
    slope, intercept = _linear_in_price(e)
    a = slope[..., 1 : horizon_years + 1].sum(axis=-1)
    b = intercept[..., : horizon_years + 1].sum(axis=-1)  # residual counts only at the end
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a > 0, -b / a, np.inf)


def _largest_fall(ok, shape) -> np.ndarray:
    """The largest fall a year in [0, 1] for which `ok(fall)` holds, where `ok` holds for every
    smaller fall (bisection; 2**-60 is far below the book's precision)."""
    low, high = np.zeros(shape), np.ones(shape)
    for _ in range(60):
        middle = (low + high) / 2
        holds = ok(middle)
        low, high = np.where(holds, middle, low), np.where(holds, high, middle)
    return (low + high) / 2


def break_even_decline(e: GpuEconomics, rate: float) -> np.ndarray:
    """The steady fall a year of the rent (DECLINING path from `e`'s year-1 price) at which NPV
    at `rate` is zero: a faster fall loses money at that rate, a slower one makes it. `rate` 0:
    the fall at which the GPU just pays back within its life. NaN where even a price held flat
    falls short; 1.0 where the first year alone repays it."""
    e = e.with_(price_path=DECLINING)

    def value(fall):
        return npv(rate, cash_flows(e.with_(yearly_decline=fall)))

    at_flat = value(0.0)
    fall = _largest_fall(lambda f: value(f) >= 0, np.shape(at_flat))
    fall = np.where(value(1.0) >= 0, 1.0, fall)
    return np.where(at_flat < 0, np.nan, fall)


def decline_for_average_price(ratio, years: int) -> np.ndarray:
    """The steady fall a year at which the average monthly price over `years` years is `ratio`
    times today's: a commitment priced at `ratio` of the on-demand rate pays what an on-demand
    renter would pay if prices fell that fast (month m's price: today's x (1 - fall)^(m/12))."""
    ratio = np.clip(np.asarray(ratio, dtype="float64"), 0.0, 1.0)
    months = np.arange(12 * years) / 12.0
    return _largest_fall(lambda f: ((1.0 - _expand(f)) ** months).mean(axis=-1) >= ratio,
                         ratio.shape)


# -- the Monte Carlo ----------------------------------------------------------------------------
# The order the inputs are drawn in: with a seeded generator it fixes every draw.
DRAW_ORDER = ("utilisation", "capex_usd", "power_kw", "pue", "electricity_usd_per_kwh",
              "other_opex_usd_per_hour", "residual_value_share")


LIFETIME_DRAWS = ("uniform", "triangular", "baseline")


def draw(assumptions, n: int, rng: np.random.Generator, *, lifetime_draw: str = "uniform",
         price_paths: tuple[str, ...] = PRICE_PATHS) -> dict[str, np.ndarray]:
    """`n` sets of inputs: each assumption triangular over its range, peaked at the book's
    value; the lifetime in whole years, uniform over its range (or `lifetime_draw='triangular'`:
    peaked at the book's value like the others, rounded to whole years; `'baseline'`: the book's
    value for every draw); the price path uniform over `price_paths`."""
    if lifetime_draw not in LIFETIME_DRAWS:
        raise ValueError(f"lifetime_draw must be one of {LIFETIME_DRAWS}; got {lifetime_draw!r}")
    unknown = set(price_paths) - set(PRICE_PATHS)
    if not price_paths or unknown:
        raise ValueError(f"price paths must be some of {PRICE_PATHS}; got {price_paths!r}")
    draws = {}
    for field in DRAW_ORDER:
        assumption_id, unit = ASSUMPTION_FIELDS[field]
        low, high = assumptions.range(assumption_id, unit)
        mode = assumptions.value(assumption_id, unit)
        draws[field] = np.full(n, mode) if low == high else rng.triangular(low, mode, high, n)
    low, high = assumption_range(assumptions, "lifetime_years")
    if lifetime_draw == "uniform" or low == high:
        draws["lifetime_years"] = rng.integers(low, high, endpoint=True, size=n)
    elif lifetime_draw == "baseline":
        mode = _typed("lifetime_years", assumptions.value(*ASSUMPTION_FIELDS["lifetime_years"]))
        draws["lifetime_years"] = np.full(n, mode, dtype=int)
        rng.integers(low, high, endpoint=True, size=n)  # the same stream after, as uniform gives
    else:
        mode = _typed("lifetime_years", assumptions.value(*ASSUMPTION_FIELDS["lifetime_years"]))
        draws["lifetime_years"] = np.rint(rng.triangular(low, mode, high, n)).astype(int)
    draws["price_path"] = rng.choice(list(price_paths), n)
    return draws


def simple_payback_of_draws(draws: dict[str, np.ndarray], prices) -> np.ndarray:
    """Simple payback (years; inf if never) of every draw at every year-1 price: draws x prices."""
    prices = np.asarray(prices, dtype="float64")
    n = len(draws["price_path"])
    payback = np.empty((n, len(prices)))
    for life in np.unique(draws["lifetime_years"]):
        for path in PRICE_PATHS:
            rows = np.flatnonzero((draws["lifetime_years"] == life) & (draws["price_path"] == path))
            if not len(rows):
                continue
            e = GpuEconomics(price_usd_per_hour=prices[None, :], lifetime_years=int(life),
                             price_path=path,
                             **{f: draws[f][rows][:, None] for f in DRAW_ORDER})
            payback[rows] = simple_payback(cash_flows(e))
    return payback


# -- a GPU rented at market prices, month by month -------------------------------------------------
@dataclass(frozen=True)
class MarketEarnings:
    months_rented: int
    capex_recovered: float  # share of capex earned back so far
    irr_over_life: float  # a year, if the last price holds to the end of the GPU's life


def earnings_at_market(e: GpuEconomics, monthly_prices) -> MarketEarnings:
    """An H100 rented each month at `monthly_prices` (USD per GPU-hour, from the month bought to
    now; `e`'s price and price path are not used), then at the last price for the rest of its
    life, with `e`'s utilisation and running costs; the residual value comes at the end."""
    prices = np.asarray(monthly_prices, dtype="float64")
    hours_per_month = HOURS_PER_YEAR / 12
    so_far = (prices * e.utilisation - running_cost_per_hour_owned(e)) * hours_per_month
    rest = np.full(max(e.lifetime_years * 12 - len(so_far), 0), so_far[-1])
    flows = np.concatenate([[-e.capex_usd], so_far, rest])
    flows[-1] += e.residual_value_share * e.capex_usd
    monthly_irr = float(irr(flows))
    return MarketEarnings(len(so_far), float(so_far.sum() / e.capex_usd),
                          (1 + monthly_irr) ** 12 - 1)


# -- the value of network bandwidth ---------------------------------------------------------------
def network_gain(value_at_high: float, comm_share, eff_low: float, eff_high: float):
    """Value per GPU-year gained by raising effective bandwidth from `eff_low` to `eff_high`,
    when `comm_share` of the step time (at `eff_high`) is spent on network communication that
    scales with bandwidth: step time at eff_low = (1 - s) + s * eff_high / eff_low."""
    slowdown = (1 - comm_share) + comm_share * eff_high / eff_low
    return value_at_high * (1 - 1 / slowdown)


def comm_share_for_gain(value_at_high: float, gain: float, eff_low: float, eff_high: float):
    """The communication share at which `network_gain` reaches `gain` (the inverse of
    `network_gain` in the share); above 1 where no share reaches it."""
    slowdown = 1 / (1 - gain / value_at_high)
    return (slowdown - 1) / (eff_high / eff_low - 1)
