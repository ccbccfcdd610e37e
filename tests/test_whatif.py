"""The what-if charts recompute in the page as the model does, read their state from the page's
address and keep it there, and answer the keyboard."""

import csv
import math
import re

from built_site import ARTIFACTS, open_offline

from gpuecon import whatif


def _read_csv(name):
    with (ARTIFACTS / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_payback_whatif_matches_the_model_and_answers_the_keyboard(browser, base_url):
    values = {v["key"]: v["display"] for v in _read_csv("values.csv")}
    page = open_offline(browser, base_url, "chapters/payback.html")
    figure = page.locator("#fig-payback-whatif")
    figure.locator("svg.marks").first.wait_for(timeout=10_000)

    def shown():
        texts = figure.locator("svg.marks text").all_text_contents()
        return (next(t for t in texts if t.startswith("Payback:")),
                next(t for t in texts if t.startswith("IRR:")))

    payback, irr = shown()
    assert payback == f"Payback: {values['whatif_default_payback']} years"
    assert irr == f"IRR: {values['whatif_default_irr']}"
    slider = figure.locator("input[type=range]").first  # the price
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")  # ten steps of $0.05
    page.wait_for_timeout(300)
    faster, higher = shown()
    assert float(faster.split()[1]) < float(payback.split()[1])
    assert float(higher.split()[1].rstrip("%")) > float(irr.split()[1].rstrip("%"))
    page.keyboard.press("Home")  # the lowest price: never repaid, and said so
    page.wait_for_timeout(300)
    assert shown() == ("Payback: not within 5 years", "IRR: " + whatif.NO_IRR)
    page.keyboard.press("End")  # highest price, full utilisation, lowest capex: IRR off the scan
    sliders = figure.locator("input[type=range]")
    sliders.nth(1).focus()
    page.keyboard.press("End")
    sliders.nth(2).focus()
    page.keyboard.press("Home")
    page.wait_for_timeout(300)
    assert shown()[1] == "IRR: above 150%"
    page.close()


def test_network_whatif_matches_the_model(browser, base_url):
    values = {v["key"]: v["display"] for v in _read_csv("values.csv")}
    page = open_offline(browser, base_url, "chapters/network_roi.html")
    figure = page.locator("#fig-network-whatif")
    figure.locator("svg.marks").first.wait_for(timeout=10_000)
    texts = figure.locator("svg.marks text").all_text_contents()
    label = next(t for t in texts if t.startswith("Gain:"))
    assert label.startswith(f"Gain: ${values['whatif_default_gain']} per GPU-year")
    page.close()



def _whatif_numbers(texts):
    """The payback what-if's text lines as numbers (inf where it says the model gives none)."""
    lines = {t.split(":")[0]: t for t in texts if ":" in t}

    def number(line):
        match = re.search(r"([-−]?)\$?([-−]?[\d,]+\.?\d*)(%?)", line.split(":", 1)[1])
        if match is None:
            return math.inf
        digits = match.group(2).replace(",", "").replace("−", "-")
        value = float(digits) * (-1 if match.group(1) else 1)
        return value / 100 if match.group(3) else value

    out = {}
    for name, key in [("payback", "Payback"), ("dpayback", "Discounted payback at"),
                      ("npv", "NPV at the"), ("irr", "IRR"),
                      ("be_payback", "Break-even year-1 price to pay back within its life"),
                      ("be_npv", "Break-even year-1 price for NPV = 0 at the hurdle")]:
        line = next(v for k, v in lines.items() if k.startswith(key))
        said_in_words = any(w in line for w in ("not within", whatif.NO_PRICE, whatif.NO_IRR))
        out[name] = math.inf if said_in_words else number(line)
        if name == "irr" and "above" in line:
            out[name] = -math.inf  # off the top of the scan
    return out


def test_payback_whatif_matches_the_model_at_random_settings(browser, base_url):
    """25 seeded random settings of every control, each compared with gpuecon.finance at the
    precision the page shows."""
    import numpy as np

    from gpuecon import finance as fin
    from gpuecon import whatif

    rng = np.random.default_rng(2026)
    page = open_offline(browser, base_url, "chapters/payback.html")
    figure = page.locator("#fig-payback-whatif")
    figure.locator("svg.marks").first.wait_for(timeout=10_000)
    for _ in range(25):
        setting = {}
        for name, _label, low, high, step in whatif.PAYBACK_CONTROLS:
            low = max(low, 0.3) if name == "utilisation" else low
            steps = int(round((high - low) / step))
            setting[name] = round(low + step * int(rng.integers(0, steps + 1)), 6)
        setting["price_path"] = str(rng.choice(fin.PRICE_PATHS))
        page.evaluate("""(values) => {
          const fig = document.querySelector('#fig-payback-whatif');
          for (const [name, value] of Object.entries(values)) {
            const el = fig.querySelector(`[name="${name}"]`);
            el.value = String(value);
            el.dispatchEvent(new Event('input', {bubbles: true}));
            el.dispatchEvent(new Event('change', {bubbles: true}));
          }}""", setting)
        page.wait_for_timeout(250)
        shown = _whatif_numbers(figure.locator("svg.marks text").all_text_contents())
        life = int(setting["lifetime_years"])
        e = fin.GpuEconomics(
            setting["price"], setting["utilisation"], setting["capex_per_gpu"],
            setting["gpu_power_kw"], setting["pue"], setting["electricity_usd_per_kwh"],
            setting["other_opex_usd_per_gpu_hour"], life, setting["residual_value_share"],
            setting["price_path"])
        cf, rate = fin.cash_flows(e), setting["hurdle_rate"]
        irr = float(fin.irr(cf))
        expected = {
            "payback": float(fin.simple_payback(cf)),
            "dpayback": float(fin.discounted_payback(cf, rate)),
            "npv": float(fin.npv(rate, cf)),
            "irr": (math.inf if math.isnan(irr) or irr < whatif.IRR_SCAN[0]
                    else -math.inf if irr >= whatif.IRR_SCAN[1] else irr),
            "be_payback": float(fin.break_even_price_payback(e, life)),
            "be_npv": float(fin.break_even_price_npv(e, rate)),
        }
        tolerance = {"payback": 0.006, "dpayback": 0.006, "npv": 1.01, "be_payback": 0.006,
                     "be_npv": 0.006, "irr": 0.0011}  # half a shown digit; IRR: its scan step
        for key, want in expected.items():
            got = shown[key]
            if math.isinf(want):
                assert got == want, (key, setting, got, want)
            else:
                assert abs(got - want) <= tolerance[key], (key, setting, got, want)
    page.close()


def _payback_whatif_note(page):
    """The payback what-if once drawn, and the note under its controls once written."""
    figure = page.locator("#fig-payback-whatif")
    figure.locator("svg.marks").first.wait_for(timeout=10_000)
    page.wait_for_function("document.querySelector('#fig-payback-whatif .whatif-note')"
                           ".textContent.length > 0", timeout=10_000)
    return figure, figure.locator(".whatif-note").inner_text()


def test_a_link_carries_a_scenario_into_the_whatif(browser, base_url):
    """The query string sets the controls; a bad parameter is ignored with a note; moving a
    control or choosing a preset writes the state back into the address."""
    page = open_offline(browser, base_url, "chapters/payback.html?price=4.7&utilisation=1"
                        "&gpu_power_kw=0&other_opex_usd_per_gpu_hour=0&price_path=flat"
                        "&bogus=3&pue=abc&hurdle_rate=9")
    figure, note = _payback_whatif_note(page)
    assert "bogus" in note and "pue=abc (not a number" in note and "hurdle_rate=9 (outside" in note
    texts = figure.locator("svg.marks text").all_text_contents()
    # $4.70 flat, fully rented, no running costs: 50,000 / 41,172 years
    assert "Payback: 1.21 years" in texts, texts
    figure.locator("button[data-preset=\"the book's baseline\"]").click()
    page.wait_for_timeout(300)
    assert "utilisation=0.8" in page.url and "price_path=linear_to_half" in page.url
    assert "Payback: 3.21 years" in figure.locator("svg.marks text").all_text_contents()
    page.close()


def test_a_link_with_a_value_the_controls_cannot_honour_is_refused_with_a_note(browser,
                                                                             base_url):
    """A number in another notation (0x5, 1e1) or between a control's steps (a lifetime of 4.5
    years) is refused and said, never rounded or read quietly; the network page takes its
    menu's short ids."""
    page = open_offline(browser, base_url, "chapters/payback.html?price=0x5&lifetime_years=4.5"
                        "&utilisation=1e-1&capex_per_gpu=40000")
    figure, note = _payback_whatif_note(page)
    assert "price=0x5 (not a number" in note and "utilisation=1e-1 (not a number" in note
    assert "lifetime_years=4.5 (not one of the control's steps" in note
    controls = {el.get_attribute("name"): el.input_value()
                for el in figure.locator(".vega-bindings input[name]").all()}
    assert controls["capex_per_gpu"] == "40000"  # the one honoured
    assert controls["lifetime_years"] == "5" and controls["price"] != "5.25"
    page.close()
    page = open_offline(browser, base_url, "chapters/network_roi.html?basis=market")
    figure = page.locator("#fig-network-whatif")
    figure.locator("svg.marks").first.wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    assert figure.locator("select[name=basis]").input_value() == "market"
    assert figure.locator(".whatif-note").inner_text() == ""
    page.close()


def test_the_2026_whatif_starts_where_the_chapter_says_and_its_presets_are_each_gpu(browser,
                                                                                    base_url):
    """The buying chapter's what-if: its payback at the start is the chapter's; the B200
    preset gives the payback the model gives a B200 at the tracker's median; a link carries a
    rent in."""
    import numpy as np

    from gpuecon import data
    from gpuecon import finance as fin

    start = {r["key"]: r for r in _read_csv("values.csv")}["buying_whatif_payback"]
    page = open_offline(browser, base_url, "chapters/buying_2026.html")
    figure = page.locator("#fig-buying-whatif")
    figure.locator("svg.marks").first.wait_for(timeout=10_000)
    assert f"Payback: {start['display']} years" in figure.locator("svg.marks text").all_text_contents()
    assume = data.assumptions()
    rent = data.load("gpu_prices_2026", record=False).set_index("price_id").loc[
        "tugot_b200_20251116", "usd_per_gpu_hour"]
    # the preset sits on the controls' steps: a rent to 5 cents, capex to $500, power to 0.05 kW
    b200 = fin.GpuEconomics.from_assumptions(
        assume, price_usd_per_hour=round(rent * 20) / 20,
        capex_usd=20_000 + round((assume.value("capex_b200_2026", "USD") - 20_000) / 500) * 500,
        power_kw=round(assume.value("power_b200_2026_kw", "kW") * 20) / 20)
    expected = float(fin.simple_payback(fin.cash_flows(b200)))
    figure.locator("button[data-preset=\"B200 at the tracker's median\"]").click()
    page.wait_for_timeout(300)
    assert f"Payback: {expected:.2f} years" in figure.locator("svg.marks text").all_text_contents()
    assert f"capex_per_gpu={b200.capex_usd:.0f}" in page.url
    page.close()
    page = open_offline(browser, base_url, "chapters/buying_2026.html?price=6.9")
    figure = page.locator("#fig-buying-whatif")
    figure.locator("svg.marks").first.wait_for(timeout=10_000)
    page.wait_for_timeout(300)
    h100 = fin.GpuEconomics.from_assumptions(
        assume, price_usd_per_hour=6.9,
        capex_usd=20_000 + round((assume.value("capex_h100_2026", "USD") - 20_000) / 500) * 500,
        power_kw=round(assume.value("power_h100_2026_kw", "kW") * 20) / 20)
    at_aws = float(fin.simple_payback(fin.cash_flows(h100)))
    assert np.isfinite(at_aws)
    assert f"Payback: {at_aws:.2f} years" in figure.locator("svg.marks text").all_text_contents()
    page.close()


def test_a_preset_is_moved_onto_the_steps_its_controls_take():
    moved = whatif.on_steps({"price": 2.69, "capex_per_gpu": 60257, "gpu_power_kw": 1.7875,
                             "lifetime_years": 5, "price_path": "flat", "utilisation": 0.8})
    assert moved == {"price": 2.7, "capex_per_gpu": 60500, "gpu_power_kw": 1.8,
                     "lifetime_years": 5, "price_path": "flat", "utilisation": 0.8}
    assert whatif.on_steps(moved) == moved
