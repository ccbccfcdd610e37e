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


# ---------------------------------------------------------------- the Monte Carlo's three lives
def test_each_lifetime_draw_gives_the_lives_it_names_and_the_same_other_inputs():
    assume = data.assumptions()
    low, high = fin.assumption_range(assume, "lifetime_years")
    baseline = int(assume.value("lifetime_years", "years"))
    draws = {how: fin.draw(assume, 20_000, np.random.default_rng(11), lifetime_draw=how)
             for how in fin.LIFETIME_DRAWS}
    uniform, triangular, fixed = draws["uniform"], draws["triangular"], draws["baseline"]
    # uniform: every whole year of the range, both ends included, about equally often
    assert set(uniform["lifetime_years"]) == set(range(low, high + 1))
    counts = np.bincount(uniform["lifetime_years"])[low:]
    assert counts.min() > 0.8 * counts.max()
    # triangular: whole years within the range, the book's value the most common
    assert triangular["lifetime_years"].dtype.kind == "i"
    assert low <= triangular["lifetime_years"].min() and triangular["lifetime_years"].max() <= high
    assert np.bincount(triangular["lifetime_years"]).argmax() == baseline
    # baseline: the book's value every time, and the stream after it as the uniform draw leaves it
    assert fixed["lifetime_years"].dtype.kind == "i"
    assert (fixed["lifetime_years"] == baseline).all()
    assert (fixed["price_path"] == uniform["price_path"]).all()
    for field in fin.DRAW_ORDER:  # drawn before the lifetime: the same in all three
        assert (uniform[field] == triangular[field]).all() and (uniform[field] == fixed[field]).all()


def test_an_assumption_with_no_range_is_drawn_at_its_value(tmp_path):
    import shutil
    from pathlib import Path

    folder = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data", folder)
    table = (folder / "assumptions.csv").read_text(encoding="utf-8")
    pinned = table.replace("gpu_power_kw,\"Average electrical draw per GPU, including its share "
                           "of the server\",1.0,0.7,1.3,", "gpu_power_kw,\"Average electrical draw "
                           "per GPU, including its share of the server\",1.0,1.0,1.0,")
    assert pinned != table
    (folder / "assumptions.csv").write_text(pinned, encoding="utf-8")
    draws = fin.draw(data.assumptions(folder), 500, np.random.default_rng(5))
    assert (draws["power_kw"] == 1.0).all()
    assert draws["pue"].std() > 0  # the others still vary


@pytest.mark.parametrize("bad", [{"lifetime_draw": "normal"}, {"price_paths": ()},
                                 {"price_paths": ("flat", "up")}])
def test_a_draw_refuses_what_it_does_not_know_and_says_what_it_takes(bad):
    with pytest.raises(ValueError) as refused:
        fin.draw(data.assumptions(), 10, np.random.default_rng(1), **bad)
    said = str(refused.value)
    assert repr(next(iter(bad.values()))) in said
    assert ("uniform" in said) if "lifetime_draw" in bad else ("flat" in said and "linear_to_half" in said)


# ------------------------------------------------------------ every input's edge, both sides
EDGES = [  # field, the last value allowed, the first refused, what the refusal says
    ("price_usd_per_hour", 0.0, -0.01, ">= 0 USD per GPU-hour"),
    ("utilisation", 0.0, -0.01, "between 0 and 1"),
    ("utilisation", 1.0, 1.01, "between 0 and 1"),
    ("capex_usd", 0.01, 0.0, "> 0 USD"),
    ("power_kw", 0.0, -0.1, ">= 0 kW"),
    ("pue", 1.0, 0.99, ">= 1"),
    ("electricity_usd_per_kwh", 0.0, -0.01, ">= 0 USD per kWh"),
    ("other_opex_usd_per_hour", 0.0, -0.01, ">= 0 USD per hour"),
    ("residual_value_share", 0.0, -0.01, "between 0 and 1"),
    ("residual_value_share", 1.0, 1.01, "between 0 and 1"),
    ("yearly_decline", 0.0, -0.01, "between 0 and 1"),
    ("yearly_decline", 1.0, 1.01, "between 0 and 1"),
]


@pytest.mark.parametrize("field, allowed, refused, rule", EDGES)
def test_an_input_is_taken_up_to_its_edge_and_refused_past_it_by_name(field, allowed, refused,
                                                                      rule):
    base = {"price_usd_per_hour": 2.0, "utilisation": 0.8, "capex_usd": 40_000.0}
    fin.GpuEconomics(**{**base, field: allowed})
    fin.GpuEconomics(**{**base, field: np.array([allowed, allowed])})
    with pytest.raises(ValueError) as error:
        fin.GpuEconomics(**{**base, field: np.array([allowed, refused])})
    assert str(error.value) == f"{field} must be {rule}; got {refused:g}"
    with pytest.raises(ValueError) as error:
        fin.GpuEconomics(**{**base, field: float("nan")})
    assert str(error.value).startswith(f"{field} must be a finite number")


@pytest.mark.parametrize("lifetime", [0, 2.5, "5"])
def test_a_lifetime_is_a_whole_number_of_years_from_one(lifetime):
    with pytest.raises(ValueError) as error:
        fin.GpuEconomics(price_usd_per_hour=2.0, utilisation=0.8, capex_usd=1.0,
                         lifetime_years=lifetime)
    assert str(error.value) == f"lifetime_years must be a whole number >= 1; got {lifetime!r}"
    fin.GpuEconomics(price_usd_per_hour=2.0, utilisation=0.8, capex_usd=1.0, lifetime_years=1)


# ----------------------------------------------------- payback, break-even and market earnings,
# each against a second calculation written out here
@pytest.mark.parametrize("flows, years", [
    ([-100, 100], 1.0), ([-100, 50, 50, 50], 2.0), ([-100, 40, 40, 40], 2.5),
    ([-100, 0, 100], 2.0), ([-100, -10, 200], 1.55), ([-100, 10, 10], np.inf),
    ([-100, 150, -100, 10], 0 + 100 / 150)])
def test_payback_is_when_the_running_sum_first_reaches_zero(flows, years):
    assert fin.simple_payback(np.array(flows, dtype=float)) == pytest.approx(years)
    assert fin.simple_payback(np.array([flows, flows], dtype=float)) == pytest.approx([years] * 2)


@pytest.mark.parametrize("residual", [0.0, 0.15])
def test_the_break_even_price_for_each_horizon_zeroes_the_cash_by_then(residual):
    e = fin.GpuEconomics(price_usd_per_hour=0.0, utilisation=np.array([0.6, 0.9]),
                         capex_usd=40_000.0, power_kw=1.2, pue=1.3,
                         electricity_usd_per_kwh=0.1, other_opex_usd_per_hour=0.2,
                         lifetime_years=5, residual_value_share=residual)
    for horizon in range(1, 8):
        price = fin.break_even_price_payback(e, horizon)
        years = min(horizon, 5)
        running = (1.2 * 1.3 * 0.1 * e.utilisation + 0.2) * fin.HOURS_PER_YEAR
        cash = (price * e.utilisation * fin.HOURS_PER_YEAR - running) * years - 40_000.0
        if years == 5:  # the resale comes at the end of the life only
            cash = cash + residual * 40_000.0
        assert cash == pytest.approx([0.0, 0.0], abs=1e-6)
    with pytest.raises(ValueError):
        fin.break_even_price_payback(e, 0)
    nothing_rented = e.with_(utilisation=0.0)
    assert fin.break_even_price_payback(nothing_rented, 3) == np.inf
    assert fin.break_even_price_npv(nothing_rented, 0.1) == np.inf


def test_market_earnings_month_by_month_written_out():
    e = fin.GpuEconomics(price_usd_per_hour=0.0, utilisation=0.5, capex_usd=10_000.0,
                         power_kw=1.0, pue=1.2, electricity_usd_per_kwh=0.1,
                         other_opex_usd_per_hour=0.05, lifetime_years=1, residual_value_share=0.1)
    prices = [3.0, 2.0, 2.5]
    hours = fin.HOURS_PER_YEAR / 12
    running = 1.0 * 1.2 * 0.1 * 0.5 + 0.05
    months = [(p * 0.5 - running) * hours for p in prices]
    months += [months[-1]] * 9  # the last price held to the end of the year
    flows = [-10_000.0, *months]
    flows[-1] += 0.1 * 10_000.0
    earned = fin.earnings_at_market(e, prices)
    assert earned.months_rented == 3
    assert earned.capex_recovered == pytest.approx(sum(months[:3]) / 10_000.0)
    assert earned.irr_over_life == pytest.approx((1 + npf.irr(flows)) ** 12 - 1)
    # rented longer than its life: nothing more is added, the residual still comes last
    longer = fin.earnings_at_market(e, [2.0] * 14)
    assert longer.months_rented == 14


@pytest.mark.parametrize("series", [[0.0, -100, 60, 60], [-100, 60, 60, 0.0], [-100, 30, 40, 50],
                                    [0.0, -100, 0.0, 130, 0.0]])
def test_irr_matches_numpy_financial_where_a_series_starts_or_ends_with_zero(series):
    batch = np.array([series, [-100.0] + [0.0] * (len(series) - 2) + [150.0]])
    got = fin.irr(batch)
    assert got[0] == pytest.approx(npf.irr(series))
    assert got[1] == pytest.approx(npf.irr(batch[1]))
