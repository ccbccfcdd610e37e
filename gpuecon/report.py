"""What a chapter publishes: glued values for the prose, claim verdicts, and a results file.

Every number a chapter quotes goes through `ChapterReport.value` (or `.check` for a claim), which
glues it for `{glue:text}` and records it, with unit, claim id and as-of date, for the book's
exports, the scoreboard and the citable-values list. `save()` writes the chapter's results
through `gpuecon.results`, which owns their format.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from . import claims as verdicts
from . import data, paths, results, scenarios
from .results import ClaimResult, ForecastResult, ValueRecord

KEY_PATTERN = re.compile(r"^[a-z0-9_]+$")


class _Badge:
    """A verdict shown as a coloured badge (classes styled in _static/book.css)."""

    def __init__(self, verdict: str):
        self.verdict = verdict

    def _repr_html_(self) -> str:
        return f'<span class="verdict {verdicts.CSS_CLASSES[self.verdict]}">{self.verdict}</span>'

    def __repr__(self) -> str:
        return self.verdict


# Code gives itself away by these; a reader's sentence has none of them.
_CODE_MARKS = ("==", "!=", "_", "[", "]", "()", ">=", "<=")


def _is_plain_sentence(statement: str) -> bool:
    text = statement.strip()
    return (len(text) > 10 and not text[0].islower() and text.endswith(".")
            and not any(mark in text for mark in _CODE_MARKS))


def _glue(key: str, value) -> None:
    from myst_nb import glue

    glue(key, value, display=False)


# What a reader must never see in a reason: the code's own vocabulary (rule names, file names,
# identifiers) or a bare distance from the stated figure.
INTERNAL_TOKENS = re.compile(
    r"\bat_most\b|\bat_least\b|\bapprox\b|\bjudged\b|data/|\.csv\b|\.json\b"
    r"|\b[a-z0-9]+_[a-z0-9_]+\b|from the stated figure|statement\(s\)|\bNaN\b|\binf\b")


class ReasonError(ValueError):
    """A verdict's reason is not written for a reader."""


def check_reason(reason: str, claim_id: str, *, numeric: bool) -> str:
    """A reason is one or two plain sentences; a claim with a stated figure gets its numbers."""
    text = reason.strip()
    found = INTERNAL_TOKENS.search(text)
    if found:
        raise ReasonError(f"{claim_id}: the reason shows '{found.group(0)}', which is the code's "
                          f"vocabulary, not a reader's: {text!r}")
    if numeric and not re.search(r"\d", text):
        raise ReasonError(f"{claim_id}: the claim states a figure, so its reason needs the "
                          f"numbers that decide it: {text!r}")
    if not text or not (text[0].isupper() or text[0].isdigit() or text[0] in "$€") \
            or text[-1] not in ".)":
        raise ReasonError(f"{claim_id}: a reason is a sentence (a capital, a full stop): {text!r}")
    if len(text) > 420:
        raise ReasonError(f"{claim_id}: a reason is at most two short sentences "
                          f"({len(text)} characters): {text!r}")
    return text


class ChapterReport:
    """Collects one chapter's published values and claim verdicts."""

    def __init__(self, chapter: str, *, as_of: str):
        """`as_of` is the date the chapter's data describe; a value may give its own."""
        self.chapter = chapter
        self.as_of = as_of
        self.values: dict[str, ValueRecord] = {}
        self.texts: dict[str, str] = {}
        self.claims: dict[str, ClaimResult] = {}
        self.forecasts: dict[str, ForecastResult] = {}
        self.prose_flags: list[str] = []
        # In a scenario edition a changed verdict is the answer the reader asked for, not an error.
        self.scenario = scenarios.active()
        self._register = data.load("claims", record=False).set_index("claim_id")
        self._rules = data.verdict_rules()

    # -- values ---------------------------------------------------------------------------
    def value(
        self,
        key: str,
        value: float,
        *,
        unit: str,
        fmt: str,
        description: str,
        as_of: str = "",
        claim_id: str = "",
    ) -> float:
        """Glue a number under `key` and record it. `fmt` is how the prose shows it (e.g. ',.0f')."""
        if not KEY_PATTERN.match(key):
            raise ValueError(f"glue key '{key}' must be lower-case snake_case")
        if key in self.values:
            raise ValueError(f"glue key '{key}' published twice in chapter {self.chapter}")
        number = float(value)
        if not math.isfinite(number):
            if self.scenario is None:
                raise ValueError(f"value for '{key}' is not finite: {value!r}")
            # a reader's assumptions can make a payback "never": say so, do not stop
            self.prose_flags.append(f"{description} has no finite value in this scenario; "
                                    f"where the text quotes it, it reads “{number:{fmt}}”.")
        if claim_id and claim_id not in self._register.index:
            raise KeyError(f"unknown claim id '{claim_id}' (not in data/claims.csv)")
        _glue(key, number)
        shown = format(number, fmt) if math.isfinite(number) else "none"
        self.values[key] = ValueRecord(
            key, number, unit, shown, description, self.chapter,
            as_of or self.as_of, claim_id,
        )
        return number

    def text(self, key: str, text: str) -> str:
        """Glue a piece of computed text (a credit line, a verdict sentence); not exported."""
        if not KEY_PATTERN.match(key):
            raise ValueError(f"glue key '{key}' must be lower-case snake_case")
        if key in self.texts or key in self.values:
            raise ValueError(f"glue key '{key}' published twice in chapter {self.chapter}")
        _glue(key, text)
        self.texts[key] = text
        return text

    # -- claims ---------------------------------------------------------------------------
    def stated(self, claim_id: str) -> float:
        """The claim's stated figure, from the register (never retyped in a chapter)."""
        if claim_id not in self._register.index:
            raise KeyError(f"unknown claim id '{claim_id}' (not in data/claims.csv)")
        value = self._register.loc[claim_id, "stated_value"]
        if pd.isna(value):
            raise ValueError(f"claim {claim_id} states no single figure in data/claims.csv")
        return float(value)

    def rule(self, claim_id: str, rule: str, unit: str) -> float:
        """A threshold that decides a judged claim, from the register (data/verdict_rules.csv)."""
        if claim_id not in self._register.index:
            raise KeyError(f"unknown claim id '{claim_id}' (not in data/claims.csv)")
        return self._rules.value(claim_id, rule, unit)

    def _claim_row(self, claim_id: str) -> pd.Series:
        if claim_id not in self._register.index:
            raise KeyError(f"unknown claim id '{claim_id}' (not in data/claims.csv)")
        row = self._register.loc[claim_id]
        if row["chapter"] != self.chapter:
            raise ValueError(
                f"claim {claim_id} belongs to chapter '{row['chapter']}' in data/claims.csv, "
                f"not '{self.chapter}'"
            )
        if claim_id in self.claims:
            raise ValueError(f"claim {claim_id} checked twice")
        return row

    def _publish_claim(self, result: ClaimResult, expect: str) -> str:
        cid = result.claim_id.lower()
        _glue(f"{cid}_verdict", result.verdict)
        _glue(f"{cid}_reproduction", result.reproduction)
        _glue(f"{cid}_badge", _Badge(result.verdict))
        _glue(f"{cid}_stated", result.stated_text)
        self.claims[result.claim_id] = result
        if result.verdict != expect and self.scenario is None:
            raise verdicts.VerdictChanged(
                f"{result.claim_id}: the chapter expects '{expect}' but the data now give "
                f"'{result.verdict}' (ours: {result.ours_display}; stated: {result.stated_text}). "
                "Re-read the chapter's text before changing its expectation."
            )
        return result.verdict

    def check(
        self,
        claim_id: str,
        ours: float,
        *,
        unit: str,
        fmt: str,
        expect: str,
        reason: str,
        reproduces: bool | None,
        as_of: str = "",
        description: str = "",
    ) -> str:
        """Compare our value with the claim's stated figure, by the register's rule and tolerances.

        `reproduces` answers the first question apart from the verdict: does the post's own
        arithmetic, on its own assumptions, give its figure (None: the claim is not a calculation).

        `reason` is what a reader sees beside the verdict: what the post says, what we find and
        why the verdict follows, in plain words, its numbers formatted from computed values."""
        row = self._claim_row(claim_id)
        verdict = verdicts.numeric_verdict(
            float(ours),
            row["comparison"],
            float(row["stated_value"]),
            float(row["tolerance_holds"]),
            float(row["tolerance_approx"]),
            None if pd.isna(row["stated_high"]) else float(row["stated_high"]),
        )
        check_reason(reason, claim_id, numeric=True)
        key = f"{claim_id.lower()}_ours"
        self.value(
            key,
            ours,
            unit=unit,
            fmt=fmt,
            description=description or f"Our value for claim {claim_id}",
            as_of=as_of,
            claim_id=claim_id,
        )
        result = ClaimResult(
            claim_id, self.chapter, verdicts.reproduction(reproduces), verdict, float(ours),
            self.values[key].display, unit, row["stated_text"], reason, self.values[key].as_of,
            [key],
        )
        return self._publish_claim(result, expect)

    def judge(
        self,
        claim_id: str,
        verdict: str,
        *,
        reason: str,
        expect: str,
        reproduces: bool | None,
        as_of: str = "",
        evidence_keys: tuple[str, ...] = (),
    ) -> str:
        """Record a verdict reached by the chapter's own reasoning (a 'judged' claim, or one that
        is unsourced). `verdict` should come from code, e.g. a comparison of computed values."""
        row = self._claim_row(claim_id)
        if verdict not in verdicts.VERDICTS or verdict == verdicts.PENDING:
            raise ValueError(f"'{verdict}' is not a verdict a chapter can give")
        if row["comparison"] != "judged" and verdict != verdicts.UNSOURCED:
            raise ValueError(
                f"claim {claim_id} has a numeric rule ('{row['comparison']}'); use check()"
            )
        check_reason(reason, claim_id, numeric=pd.notna(row["stated_value"]))
        missing = [k for k in evidence_keys if k not in self.values]
        if missing:
            raise KeyError(f"evidence keys not published in this chapter: {missing}")
        result = ClaimResult(
            claim_id, self.chapter, verdicts.reproduction(reproduces), verdict, None, "", "",
            row["stated_text"], reason, as_of or self.as_of, list(evidence_keys),
        )
        return self._publish_claim(result, expect)

    def judge_from_statements(self, claim_id: str, *, expect: str, reason: str,
                              reproduces: bool | None = None, as_of: str = "") -> str:
        """Verdict of a qualitative claim from its rows in data/statements.csv.

        Only statements read in their source ('confirmed') count, and of those only the ones
        from the most authoritative tier present (data.TIER_ORDER): a company's own release
        outranks an analyst, an analyst a blog. Then: none, or only qualifications (context that
        neither supports nor contradicts) -> unsourced; only support -> holds; support with
        qualifications or contradictions -> holds approximately; contradiction without
        support -> does not hold."""
        rows = data.load("statements")
        rows = rows[rows["claim_id"] == claim_id]
        tiers = data.load("sources", record=False).set_index("source_id")["tier"]
        confirmed = rows[rows["status"] == "confirmed"].copy()
        confirmed["rank"] = confirmed["source_id"].map(tiers).map(data.TIER_ORDER.index)
        confirmed = confirmed[confirmed["rank"] == confirmed["rank"].min()]
        bearings = set(confirmed["bearing"])
        if not bearings & {"supports", "contradicts"}:
            verdict = verdicts.UNSOURCED
        elif bearings == {"supports"}:
            verdict = verdicts.HOLDS
        elif "supports" in bearings:
            verdict = verdicts.HOLDS_APPROX
        else:
            verdict = verdicts.DOES_NOT_HOLD
        return self.judge(claim_id, verdict, reason=reason, as_of=as_of, expect=expect,
                          reproduces=reproduces)

    # -- forecasts ------------------------------------------------------------------------
    def forecast(self, forecast_id: str, verdict: str, *, reason: str, expect: str,
                 as_of: str = "", evidence_keys: tuple[str, ...] = ()) -> str:
        """Record what became of a forecast in data/forecasts.csv (borne out, not borne out, too
        early), glued as `<id>_outcome` for the prose."""
        register = data.load("forecasts", record=False).set_index("forecast_id")
        if forecast_id not in register.index:
            raise KeyError(f"unknown forecast id '{forecast_id}' (not in data/forecasts.csv)")
        if verdict not in results.FORECAST_VERDICTS:
            raise ValueError(f"'{verdict}' is not an outcome; use one of {results.FORECAST_VERDICTS}")
        if forecast_id in self.forecasts:
            raise ValueError(f"forecast {forecast_id} judged twice")
        check_reason(reason, forecast_id, numeric=True)
        missing = [k for k in evidence_keys if k not in self.values]
        if missing:
            raise KeyError(f"evidence keys not published in this chapter: {missing}")
        self.forecasts[forecast_id] = ForecastResult(
            forecast_id, self.chapter, verdict, reason, as_of or self.as_of, list(evidence_keys))
        _glue(f"{forecast_id.lower()}_outcome", verdict)
        if verdict != expect and self.scenario is None:
            raise verdicts.VerdictChanged(
                f"{forecast_id}: the chapter expects '{expect}' but the data now give "
                f"'{verdict}'. Re-read the chapter's text before changing its expectation.")
        return verdict

    # -- the text's guards -----------------------------------------------------------------
    def guard(self, holds: bool, statement: str) -> bool:
        """A comparison the chapter's text rests on; `statement` says, in the text's own plain
        words, what the text asserts (a scenario edition shows it to readers). The published
        book stops if it fails (the text must be re-read); a scenario edition records it, and
        its pages say so."""
        if not _is_plain_sentence(statement):
            raise ValueError(f"chapter {self.chapter}: a guard's statement is shown to readers: "
                             f"write what the text says as a sentence, not code; got "
                             f"'{statement}'")
        if bool(holds):
            return True
        if self.scenario is None:
            raise verdicts.VerdictChanged(
                f"chapter {self.chapter}: its text says “{statement}” The computed values no "
                "longer bear that out. Re-read the text before changing it; to explore other "
                "assumptions, use make scenario.")
        self.prose_flags.append(statement)
        return False

    # -- output ---------------------------------------------------------------------------
    def save(self) -> None:
        """Write this chapter's results for the exports and the scoreboard (sorted, deterministic)."""
        expected = set(self._register.index[self._register["chapter"] == self.chapter])
        unchecked = sorted(expected - set(self.claims))
        if unchecked:
            raise AssertionError(
                f"chapter {self.chapter} leaves claims unchecked: {unchecked} (see data/claims.csv)"
            )
        if not paths.in_book_build():  # JupyterLab or a bundle: what the chapter publishes
            from IPython.display import display

            display(pd.DataFrame(
                [(c.claim_id, c.reproduction, c.verdict, c.reason) for c in self.claims.values()],
                columns=["claim", "the post's arithmetic", "verdict", "why"]))
            display(pd.DataFrame([(v.key, v.display, v.unit, v.description)
                                  for v in self.values.values()],
                                 columns=["value", "shown as", "unit", "what it is"]))
        results.write(results.ChapterResults(
            self.chapter, list(self.values.values()), list(self.claims.values()),
            list(self.forecasts.values()), self.texts, data.accessed(), self.prose_flags))
