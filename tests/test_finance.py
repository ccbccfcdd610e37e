"""The payback model (gpuecon.finance): hand-worked cases, the library, properties, bad input."""

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gpuecon import finance as fin


def bare(price, **kw):
    """Latent Space's bare case: $50k, full utilisation, no running costs, 5 years."""
    return fin.GpuEconomics(price, 1.0, 50_000.0, **kw)


def test_hand_worked_cash_flows():
    e = fin.GpuEconomics(2.0, 0.5, 40_000.0, power_kw=1.0, pue=1.5, electricity_usd_per_kwh=0.1,
                         other_opex_usd_per_hour=0.05, lifetime_years=3,
                         residual_value_share=0.1)
    # revenue 2 * 8760 * 0.5 = 8760; power 1 * 1.5 * 0.1 * 4380 = 657; other 0.05 * 8760 = 438
    expected = [-40_000, 7_665, 7_665, 7_665 + 4_000]
    assert fin.cash_flows(e) == pytest.approx(expected)


def test_price_paths():
    assert fin.price_factors("flat", 3) == pytest.approx([1, 1, 1])
    assert fin.price_factors("linear_to_half", 5) == pytest.approx([1, 0.875, 0.75, 0.625, 0.5])
    assert fin.price_factors("minus_40pct_a_year", 3) == pytest.approx([1, 0.6, 0.36])
    with pytest.raises(ValueError, match="unknown price path"):
        fin.price_factors("up", 3)


def test_payback_hand_worked():
    # $4.70 flat: 41,172 a year; 50,000 / 41,172 = 1.214 years
    assert fin.simple_payback(fin.cash_flows(bare(4.70))) == pytest.approx(50_000 / 41_172)
    # never within the lifetime
    assert fin.simple_payback(fin.cash_flows(bare(1.0))) == np.inf


def test_discounted_payback_is_longer():
    cf = fin.cash_flows(bare(2.85))
    assert fin.discounted_payback(cf, 0.10) > fin.simple_payback(cf)
    assert fin.discounted_payback(cf, 0.0) == pytest.approx(fin.simple_payback(cf))


def test_npv_and_irr_match_numpy_financial():
    cf = fin.cash_flows(bare(2.85, price_path="linear_to_half"))
    assert fin.npv(0.1, cf) == pytest.approx(npf.npv(0.1, cf))
    assert fin.irr(cf) == pytest.approx(npf.irr(cf))
    assert fin.irr(cf) == pytest.approx(0.29, abs=0.005)  # Latent Space's bare case, blended


def test_vectorised_grid_matches_one_by_one():
    prices = np.array([1.0, 2.0, 4.7])[:, None]
    utils = np.array([0.5, 0.8, 1.0])[None, :]
    grid = fin.simple_payback(fin.cash_flows(fin.GpuEconomics(prices, utils, 50_000.0)))
    assert grid.shape == (3, 3)
    for i, p in enumerate([1.0, 2.0, 4.7]):
        for j, u in enumerate([0.5, 0.8, 1.0]):
            one = fin.simple_payback(fin.cash_flows(fin.GpuEconomics(p, u, 50_000.0)))
            assert grid[i, j] == pytest.approx(one)


def test_no_irr_is_reported_not_invented():
    cf = fin.cash_flows(bare(0.0))  # every year pays nothing: no sign change
    assert np.isnan(fin.irr(cf))
    with pytest.raises(ValueError, match="never change sign: no IRR exists"):
        fin.irr(cf, strict=True)


def test_break_even_prices():
    e = bare(1.0)
    assert fin.break_even_price_payback(e, 5) == pytest.approx(50_000 / (5 * 8760))
    p = fin.break_even_price_npv(e, 0.10)
    assert fin.npv(0.10, fin.cash_flows(e.with_(price_usd_per_hour=p))) == pytest.approx(0, abs=1e-6)
    with pytest.raises(ValueError, match="horizon"):
        fin.break_even_price_payback(e, 0)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("price_usd_per_hour", -1.0, "price_usd_per_hour must be >= 0"),
        ("utilisation", 1.5, "utilisation must be between 0 and 1"),
        ("capex_usd", 0.0, "capex_usd must be > 0"),
        ("lifetime_years", 0, "lifetime_years must be a whole number >= 1"),
        ("lifetime_years", 2.5, "lifetime_years must be a whole number >= 1"),
        ("pue", 0.9, "pue must be >= 1"),
        ("price_usd_per_hour", np.array([1.0, np.nan]), "must be a finite number"),
        ("price_path", "sideways", "unknown price path"),
    ],
)
def test_bad_inputs_raise(field, value, message):
    with pytest.raises(ValueError, match=message):
        bare(2.0).with_(**{field: value})


def test_bad_rate_raises():
    with pytest.raises(ValueError, match="rate"):
        fin.npv(-1.5, fin.cash_flows(bare(2.0)))


prices = st.floats(0.5, 10.0)
utilisations = st.floats(0.3, 1.0)
paths = st.sampled_from(fin.PRICE_PATHS)


@settings(max_examples=60, deadline=None)
@given(p=prices, dp=st.floats(0.01, 3.0), u=utilisations, path=paths)
def test_payback_never_lengthens_as_price_rises(p, dp, u, path):
    def payback(price):
        e = fin.GpuEconomics(price, u, 50_000.0, power_kw=1.0, pue=1.2,
                             electricity_usd_per_kwh=0.08, price_path=path)
        return fin.simple_payback(fin.cash_flows(e))

    assert payback(p + dp) <= payback(p)


@settings(max_examples=60, deadline=None)
@given(p=st.floats(1.5, 10.0), u=utilisations, path=paths)
def test_npv_at_the_irr_is_zero(p, u, path):
    cf = fin.cash_flows(fin.GpuEconomics(p, u, 50_000.0, price_path=path))
    rate = fin.irr(cf)
    if np.isfinite(rate):
        assert fin.npv(float(rate), cf) == pytest.approx(0, abs=1e-4 * 50_000)


@settings(max_examples=60, deadline=None)
@given(u=utilisations, rate=st.floats(0.0, 0.3), path=paths, opex=st.floats(0, 0.5))
def test_break_even_price_gives_zero_npv(u, rate, path, opex):
    e = fin.GpuEconomics(1.0, u, 50_000.0, other_opex_usd_per_hour=opex, price_path=path)
    p = float(fin.break_even_price_npv(e, rate))
    assert fin.npv(rate, fin.cash_flows(e.with_(price_usd_per_hour=p))) == pytest.approx(
        0, abs=1e-6 * 50_000)


# -- the model's one mapping from the book's assumptions, and the functions chapters call --------
from gpuecon import data  # noqa: E402


def test_the_model_reads_every_input_from_the_assumptions(book_copy):
    assume = data.assumptions()
    e = fin.GpuEconomics.from_assumptions(assume, price_usd_per_hour=2.0)
    for field, (assumption_id, unit) in fin.ASSUMPTION_FIELDS.items():
        assert getattr(e, field) == assume.value(assumption_id, unit), field
    assert isinstance(e.lifetime_years, int)
    # an override wins over the assumption, and nothing else moves
    assert fin.GpuEconomics.from_assumptions(assume, price_usd_per_hour=2.0, pue=1.4) == e.with_(pue=1.4)


def test_a_lifetime_that_is_not_whole_years_is_refused(book_copy):
    path = book_copy / "data" / "assumptions.csv"
    text = path.read_text()
    path.write_text(text.replace("lifetime_years,Years an H100 earns rent,5,",
                                 "lifetime_years,Years an H100 earns rent,4.5,"))
    with pytest.raises(ValueError, match="'lifetime_years' must be a whole number"):
        fin.GpuEconomics.from_assumptions(data.assumptions(), price_usd_per_hour=2.0)


def test_running_costs_are_electricity_while_rented_plus_other_costs():
    e = fin.GpuEconomics(2.0, 0.5, 40_000.0, power_kw=1.0, pue=1.5, electricity_usd_per_kwh=0.1,
                         other_opex_usd_per_hour=0.05)
    assert fin.running_cost_per_hour_owned(e) == pytest.approx(1.0 * 1.5 * 0.1 * 0.5 + 0.05)


def test_the_draw_is_seeded_within_ranges_and_whole_years(book_copy):
    assume = data.assumptions()
    one = fin.draw(assume, 2_000, np.random.default_rng(7))
    two = fin.draw(assume, 2_000, np.random.default_rng(7))
    for field in fin.DRAW_ORDER:
        assert np.array_equal(one[field], two[field])
        low, high = fin.assumption_range(assume, field)
        assert low <= one[field].min() and one[field].max() <= high, field
    low, high = fin.assumption_range(assume, "lifetime_years")
    assert set(np.unique(one["lifetime_years"])) == set(range(low, high + 1))
    assert set(one["price_path"]) == set(fin.PRICE_PATHS)


def test_payback_of_draws_is_the_model_draw_by_draw(book_copy):
    draws = fin.draw(data.assumptions(), 60, np.random.default_rng(3))
    prices = [1.0, 2.85, 8.0]
    table = fin.simple_payback_of_draws(draws, prices)
    for i in range(0, 60, 7):
        e = fin.GpuEconomics(
            price_usd_per_hour=np.array(prices), lifetime_years=int(draws["lifetime_years"][i]),
            price_path=str(draws["price_path"][i]),
            **{f: draws[f][i] for f in fin.DRAW_ORDER})
        assert table[i] == pytest.approx(fin.simple_payback(fin.cash_flows(e)))


def test_earnings_at_market_by_hand():
    # fully rented at $2 with no running costs for 12 of 24 months, then the last price held
    e = fin.GpuEconomics(9.9, 1.0, 20_000.0, lifetime_years=2)
    got = fin.earnings_at_market(e, np.full(12, 2.0))
    month = 2.0 * 8760 / 12  # 1,460 a month
    assert got.months_rented == 12
    assert got.capex_recovered == pytest.approx(12 * month / 20_000)
    flows = [-20_000] + [month] * 24
    assert got.irr_over_life == pytest.approx((1 + npf.irr(flows)) ** 12 - 1)


def test_network_gain_is_the_posts_arithmetic_when_every_second_waits_on_the_network():
    # 95 % -> 60 %: the post's $142,000 x (0.95 - 0.60) when communication is the whole step
    assert fin.network_gain(142_000 * 0.95, 1.0, 0.60, 0.95) == pytest.approx(142_000 * 0.35)
    assert fin.network_gain(100_000, 0.0, 0.60, 0.95) == 0


@given(st.floats(0.0, 1.0), st.floats(10_000, 500_000))
def test_the_share_for_a_gain_inverts_network_gain(share, value):
    gain = fin.network_gain(value, share, 0.60, 0.95)
    assert fin.comm_share_for_gain(value, gain, 0.60, 0.95) == pytest.approx(share, abs=1e-9)


def test_a_break_even_horizon_beyond_the_life_is_the_life():
    e = bare(2.0, lifetime_years=4)
    assert fin.break_even_price_payback(e, 5) == pytest.approx(fin.break_even_price_payback(e, 4))
    with pytest.raises(ValueError, match="at least 1 year"):
        fin.break_even_price_payback(e, 0)



def test_every_model_input_has_a_name_for_readers():
    from gpuecon import data

    names = [data.assumption_label(aid, in_sentence=True)
             for aid, _ in fin.ASSUMPTION_FIELDS.values()]
    assert "lifetime" in names and "PUE" in names and "capex per GPU" in names
    assert not [n for n in names if "_" in n], names
    with pytest.raises(KeyError, match="no assumption_id 'life'"):
        data.assumption_label("life")


# ---------------------------------------------------------------- buying in 2026: steady falls
def _npv_by_geometric_series(price, fall, rate, *, utilisation, capex, running_per_year, years):
    """NPV with the rent falling steadily, summed in closed form (a second method, not the
    model's cash flows): revenue p*u*H * sum q^(t-1) v^t, q = 1 - fall, v = 1/(1+rate)."""
    q, v = 1.0 - fall, 1.0 / (1.0 + rate)
    x = q * v
    revenue = price * utilisation * fin.HOURS_PER_YEAR * v * (
        years if x == 1 else (1 - x**years) / (1 - x))
    running = running_per_year * (years if v == 1 else v * (1 - v**years) / (1 - v))
    return revenue - running - capex


@pytest.mark.parametrize("price,rate,years", [(3.0, 0.10, 5), (4.0, 0.0, 4), (2.2, 0.07, 6)])
def test_the_break_even_fall_zeroes_the_npv_summed_in_closed_form(price, rate, years):
    e = fin.GpuEconomics(price_usd_per_hour=price, utilisation=0.8, capex_usd=38110,
                         power_kw=1.275, pue=1.25, electricity_usd_per_kwh=0.08,
                         other_opex_usd_per_hour=0.10, lifetime_years=years)
    fall = float(fin.break_even_decline(e, rate))
    running = float(fin.running_cost_per_hour_owned(e)) * fin.HOURS_PER_YEAR
    at = lambda f: _npv_by_geometric_series(price, f, rate, utilisation=0.8, capex=38110,
                                            running_per_year=running, years=years)
    assert 0 < fall < 1
    assert abs(at(fall)) < 1e-6 * 38110
    assert at(fall - 0.01) > 0 > at(fall + 0.01)  # slower falls earn, faster ones lose


def test_no_fall_is_slow_enough_below_the_flat_break_even_and_any_fall_is_above_it():
    e = fin.GpuEconomics(price_usd_per_hour=1.0, utilisation=0.8, capex_usd=38110, lifetime_years=5)
    assert np.isnan(fin.break_even_decline(e, 0.10))
    flat = float(fin.break_even_price_npv(e, 0.10))
    assert np.isnan(fin.break_even_decline(e.with_(price_usd_per_hour=flat * 0.999), 0.10))
    assert fin.break_even_decline(e.with_(price_usd_per_hour=flat * 1.001), 0.10) < 0.01
    assert fin.break_even_decline(e.with_(price_usd_per_hour=1000.0), 0.10) == 1.0


@pytest.mark.parametrize("ratio,years", [(7.673 / 11.0612, 1), (4.858 / 11.0612, 3), (0.9, 2)])
def test_the_fall_a_commitment_implies_matches_the_geometric_average(ratio, years):
    fall = float(fin.decline_for_average_price(ratio, years))
    q = 1.0 - fall
    # the average of q^(m/12) over 12*years months, summed in closed form
    average = (1 - q**years) / (12 * years * (1 - q ** (1 / 12)))
    assert abs(average - ratio) < 1e-9
    assert fin.decline_for_average_price(1.0, years) < 1e-15  # no fall: the same price
