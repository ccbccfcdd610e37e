"""Cash flows of one rented GPU, and the measures the chapters quote: simple and discounted
payback, NPV, IRR, and break-even prices.

Every function is vectorised: any input of `GpuEconomics` may be a numpy array, and the
results broadcast, so a grid of prices x utilisations x scenarios (or 100,000 Monte Carlo draws)
is one call. Cash flows have the years on the last axis: index 0 is the purchase, 1..L the years.
NPV and IRR come from numpy-financial.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import numpy_financial as npf

HOURS_PER_YEAR = 8760

# Price paths: the rental price in year t as a multiple of the year-1 price.
FLAT = "flat"
LINEAR_TO_HALF = "linear_to_half"  # Latent Space's 'blended': a gradual drop to 50 % over 5 years
MINUS_40_PCT_A_YEAR = "minus_40pct_a_year"  # Latent Space's observed '>= 40% price drop per year'
PRICE_PATHS = (FLAT, LINEAR_TO_HALF, MINUS_40_PCT_A_YEAR)


def price_factors(path: str, years: int) -> np.ndarray:
    """Year-t price as a multiple of year 1, t = 1..years."""
    t = np.arange(years, dtype="float64")
    if path == FLAT:
        return np.ones(years)
    if path == LINEAR_TO_HALF:
        # 1.0 in year 1 falling in equal steps to 0.5 in year 5, and on at the same slope.
        return np.maximum(1.0 - 0.125 * t, 0.0)
    if path == MINUS_40_PCT_A_YEAR:
        return 0.6**t
    raise ValueError(f"unknown price path '{path}'; use one of {PRICE_PATHS}")


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
        if not (isinstance(self.lifetime_years, (int, np.integer)) and self.lifetime_years >= 1):
            raise ValueError(f"lifetime_years must be a whole number >= 1; got {self.lifetime_years!r}")
        price_factors(self.price_path, 1)  # validates the path name

    def with_(self, **changes) -> GpuEconomics:
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _expand(x) -> np.ndarray:
    """An input as an array with a trailing axis for the years."""
    return np.asarray(x, dtype="float64")[..., np.newaxis]


def cash_flows(e: GpuEconomics) -> np.ndarray:
    """Cash per GPU: [-capex, year 1, ..., year L] (years on the last axis)."""
    years = e.lifetime_years
    factors = price_factors(e.price_path, years)
    rented_hours = HOURS_PER_YEAR * _expand(e.utilisation)
    revenue = _expand(e.price_usd_per_hour) * factors * rented_hours
    electricity = (_expand(e.power_kw) * _expand(e.pue) * _expand(e.electricity_usd_per_kwh)
                   * rented_hours)
    other = _expand(e.other_opex_usd_per_hour) * HOURS_PER_YEAR
    yearly = revenue - electricity - other
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
    for i in np.flatnonzero(has_sign_change):
        out[i] = npf.irr(flat[i])
    return out.reshape(cf.shape[:-1])


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
    """The year-1 price at which cumulative cash reaches zero after `horizon_years`."""
    if not 1 <= horizon_years <= e.lifetime_years:
        raise ValueError(f"horizon must be 1..{e.lifetime_years} years; got {horizon_years}")
    slope, intercept = _linear_in_price(e)
    a = slope[..., 1 : horizon_years + 1].sum(axis=-1)
    b = intercept[..., : horizon_years + 1].sum(axis=-1)  # residual counts only at the end
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a > 0, -b / a, np.inf)
