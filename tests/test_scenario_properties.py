"""Any scenario the checker accepts can be computed and read: random scenario files, with values
anywhere within each assumption's possible limits (not only the tested ranges), go through the
checker and then through the computations the chapters make with them (gpuecon.finance: the
model, payback, IRR, NPV, break-even prices, the Monte Carlo draws, market earnings, the network
gain). None may raise, and every number a reader would see is a number or the book's words for
"none exists" ("never", "no value"), never inf, nan or None.

`make property-scenarios` runs the same with many more examples."""

import math
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpuecon import data, finance, numbers, scenarios

EXAMPLES = int(os.environ.get("SCENARIO_EXAMPLES", "200"))
BOOK = data.load("assumptions", record=False).set_index("assumption_id")
# Where an assumption has no upper limit, values up to this many times the book's high end.
NO_LIMIT_REACH = 20
UNREADABLE = ("inf", "nan", "none")


def _value(aid: str) -> st.SearchStrategy:
    rec = BOOK.loc[aid]
    low = float(rec["possible_min"])
    high = float(rec["possible_max"]) if pd.notna(rec["possible_max"]) else \
        float(rec["high"]) * NO_LIMIT_REACH
    if rec["whole_number"] is True or str(rec["whole_number"]).lower() == "true":
        return st.integers(int(math.ceil(low)), int(high)).map(float)
    return st.one_of(st.sampled_from([low, high, float(rec["low"]), float(rec["high"])]),
                     st.floats(low, high, allow_nan=False, allow_infinity=False))


SCENARIO = st.lists(st.sampled_from(list(BOOK.index)), min_size=1, max_size=6,
                    unique=True).flatmap(
    lambda ids: st.fixed_dictionaries({aid: _value(aid) for aid in ids}))


def _readable(shown: str) -> bool:
    return not any(word in shown.lower().split() or shown.lower().startswith(word)
                   for word in UNREADABLE)


def _shown(value, fmt: str, unit: str) -> str:
    return numbers.with_unit(numbers.number(value, fmt), unit)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(chosen=SCENARIO)
def test_every_accepted_scenario_computes_and_reads(chosen, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("assumption_id,value\n" + "".join(f"{k},{v!r}\n" for k, v in chosen.items()),
                    encoding="utf-8")
    scenario = scenarios.load(path)  # within the possible limits: accepted
    assume = data.assumptions(overrides=scenario.overrides)
    model = finance.GpuEconomics.from_assumptions(assume, price_usd_per_hour=2.85)
    shown = []
    for price in (1.0, 2.0, 2.85, 4.7):
        for path_name in finance.PRICE_PATHS:
            e = model.with_(price_usd_per_hour=price, price_path=path_name)
            cf = finance.cash_flows(e)
            shown += [_shown(finance.simple_payback(cf), ".2f", "years"),
                      _shown(finance.discounted_payback(cf, e_rate(assume)), ".2f", "years"),
                      _shown(finance.npv(e_rate(assume), cf), ",.0f", "USD"),
                      _shown(finance.irr(cf), ".1%", "fraction")]
    shown += [_shown(finance.break_even_price_npv(model, e_rate(assume)), ".2f", "USD"),
              _shown(finance.break_even_price_payback(model, 5), ".2f", "USD")]
    draws = finance.draw(assume, 200, np.random.default_rng(1))
    paybacks = finance.simple_payback_of_draws(draws, [2.0, 4.7])
    shares = (paybacks <= 5).mean(axis=0)
    assert np.isfinite(shares).all() and ((0 <= shares) & (shares <= 1)).all()
    earned = finance.earnings_at_market(model, np.array([2.9, 2.5, 2.2, 2.0, 1.9]))
    shown += [_shown(v, ".1%", "fraction") for v in vars(earned).values()
              if isinstance(v, float)]
    comm = assume.value("comm_share_inference", "fraction")
    gain = finance.network_gain(219_172.0, comm, 0.6, 0.95)
    shown.append(_shown(gain, ",.0f", "USD"))
    bad = [s for s in shown if not _readable(s)]
    assert not bad, (chosen, bad[:5])


def e_rate(assume) -> float:
    return assume.value("hurdle_rate", "fraction")


def test_the_property_finds_an_unreadable_number():
    """What the test reads as unreadable: what a page must never show."""
    assert not _readable("inf years") and not _readable("nan%") and not _readable("None")
    assert _readable(_shown(float("inf"), ".2f", "years")) and _readable("3.21 years")
    assert _readable(_shown(float("nan"), ".1%", "fraction"))
