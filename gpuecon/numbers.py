"""The book's one number style, used wherever a number reaches a reader (glued prose, tables,
captions, citations, the scoreboard, the what-if's read-outs, the PDF):

- a percentage with no space: 16%
- a true minus sign: −53%, −$14,868
- thousands with commas: 2,528
- money with its symbol, and "billion"/"million" in words: $73.6 billion, €2.63 billion
- a multiple with "×": 12.8×
- a difference of percentages in percentage points (format ".0pp"): 39 percentage points
- a number with no finite value in words: "never" (a payback), "no value"

A number's format (",.0f", ".1%") says how many digits its source supports; the style is the same
whatever the format.
"""

from __future__ import annotations

import math
import re

MINUS = "\u2212"
# A hyphen-minus that is a sign: at the start, or after a space or bracket, before a digit or a
# currency symbol ("2023-2026" and "Q3-2024" are not signs).
_SIGN = re.compile(r"(?<![\w.\-\u2013/])-(?=[\d$€.])")
CURRENCIES = {"USD": "$", "EUR": "€"}
# How the prose shows a number with no finite value (only a reader's scenario can have one).
NON_FINITE = {"inf": "never", "-inf": "never", "nan": "no value"}
# The units of reported_figures.csv are short codes (an enum in its schema): their parts as words.
_UNIT_PARTS = {"bn": "billion", "m": "million", "usd": "USD", "eur": "EUR", "tflops": "TFLOPS",
               "gb": "GB", "gpu": "GPU", "hour": "hour"}
_UNIT_SPECIAL = {"units_million": "million units", "params_billion": "billion parameters",
                 "USD_per_gpu_hour": "USD per GPU-hour"}


def _unit_in_words(unit: str) -> str:
    """'USD_bn_per_year' -> 'USD billion per year', 'units_million' -> 'million units'."""
    if unit in _UNIT_SPECIAL:
        return _UNIT_SPECIAL[unit]
    if "_" not in unit:
        return unit
    return " ".join(_UNIT_PARTS.get(part.lower(), part) for part in unit.split("_"))


def styled(text: str) -> str:
    """A number already formatted, in the house style (a true minus sign)."""
    text = str(text)
    if text.strip() in NON_FINITE:
        return NON_FINITE[text.strip()]
    return _SIGN.sub(MINUS, text)


def number(value: float, fmt: str) -> str:
    """`value` formatted with `fmt` (",.0f", ".1%"), in the house style."""
    value = float(value)
    if not math.isfinite(value):
        return NON_FINITE["nan" if math.isnan(value) else "inf"]
    if fmt.endswith("pp"):  # a difference of two percentages, in percentage points
        return number(value * 100, fmt[:-2] + "f") + " percentage points"
    if fmt and fmt[-1] in "bcdoxX":  # an integer format
        return styled(format(round(value), fmt))
    return styled(format(value, fmt))


def unit_words(unit: str) -> str:
    """A unit as a reader reads it: 'USD_bn' -> '$ billion', 'EUR million' -> '€ million'."""
    unit = _unit_in_words(unit.strip())
    if unit == "USD per EUR":
        return "$ per €"
    for code, symbol in CURRENCIES.items():
        if unit == code or unit.startswith(code + " "):
            return symbol + unit[len(code):]
    return unit


def with_unit(shown: str, unit: str) -> str:
    """A formatted number with its unit: ('73.6', 'USD billion per year') -> '$73.6 billion per
    year'; ('47%', 'fraction') -> '47%'; ('12.8', 'multiple') -> '12.8×'."""
    shown = styled(shown)
    words = unit_words(unit)
    unit = _unit_in_words(unit.strip())
    if not re.search(r"\d", shown):  # a value said in words ("never"): no unit after it
        return shown
    if unit in ("fraction", "share", "percent", "") or (shown.endswith("%")
                                                        and unit.startswith("percent")):
        return shown
    if unit in ("multiple", "times"):
        return f"{shown}×"
    if unit == "USD per EUR":
        return f"${shown} per euro"
    for symbol in CURRENCIES.values():
        if words.startswith(symbol):
            sign, digits = (MINUS, shown[1:]) if shown.startswith(MINUS) else ("", shown)
            return f"{sign}{symbol}{digits}{words[len(symbol):]}"
    return f"{shown} {words}"


def quantity(value: float, unit: str, fmt: str = ",g") -> str:
    """A number from the data with its unit, in the house style: (0.8, 'fraction') -> '80%',
    (50000, 'USD') -> '$50,000', (18.4, 'USD_bn') -> '$18.4 billion'."""
    if unit in ("fraction", "share"):
        return number(value, ".0%" if round(value * 100, 6) == round(value * 100) else ".1%")
    if unit == "ratio":  # a pure number (a PUE of 1.25)
        return number(value, fmt)
    if unit_words(unit)[:1] in CURRENCIES.values() and fmt == ",g" and value != int(value) \
            and abs(value) < 10:
        decimals = min(4, max(2, len(f"{value:.6g}".partition(".")[2])))
        fmt = f",.{decimals}f"  # a price in cents: $0.10, $0.085 ($18.4 billion stays)
    return with_unit(number(value, fmt), unit)


# How the prose says a result a reader's scenario leaves without a number (report.value's
# `not_finite`): each reads in place of the number, its "$" and its unit.
NEVER_PAYS_BACK = "never: the cash never covers the capex"
NO_IRR = "nothing: the cash never turns positive"
NO_IRR_SPREAD = "an amount the book cannot give (at some values there is no IRR)"
NO_BREAK_EVEN_PRICE = "no price at all (even a very high one falls short)"
NO_UTILISATION = "nowhere: even with every hour rented it takes longer"
