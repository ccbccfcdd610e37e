"""What a reader sees beside a verdict or a guard: plain sentences, never the code's vocabulary."""

from __future__ import annotations

import re

# What a reader must never see in a reason: the code's own vocabulary (rule or file names,
# identifiers) or a bare distance from the stated figure.
INTERNAL_TOKENS = re.compile(
    r"\bat_most\b|\bat_least\b|\bapprox\b|\bjudged\b|data/|\.csv\b|\.json\b"
    r"|\b[a-z0-9]+_[a-z0-9_]+\b|from the stated figure|statement\(s\)|\bNaN\b|\binf\b")

# Code gives itself away by these; a reader's sentence has none of them.
_CODE_MARKS = ("==", "!=", "_", "[", "]", "()", ">=", "<=")


# A reason is at most two short sentences; a guard's statement is more than a word or two.
MAX_REASON_CHARS = 420
MIN_STATEMENT_CHARS = 11


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
    if len(text) > MAX_REASON_CHARS:
        raise ReasonError(f"{claim_id}: a reason is at most two short sentences "
                          f"({len(text)} characters): {text!r}")
    return text


def is_plain_sentence(statement: str) -> bool:
    """A guard's statement, shown to readers of a scenario edition: a sentence, not code."""
    text = statement.strip()
    return (len(text) >= MIN_STATEMENT_CHARS and not text[0].islower() and text.endswith(".")
            and not any(mark in text for mark in _CODE_MARKS))
