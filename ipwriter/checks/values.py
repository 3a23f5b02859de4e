"""Does a recorded value back a claimed one? Units, hedges, bounds and rounding.

The rules behind the ``grounded`` and ``approx`` verdicts of ``grounding.py``
(see its docstring): units compatible, the same value with bounds compared
like with like, and the tolerances of hedged, bounded and round claims.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from ipwriter.knowledge.models import Fact
from ipwriter.text.numbers import NumberSpan, find_numbers
from ipwriter.text.units import (
    LOWER_BOUND_MODIFIERS,
    RATIO_UNITS,
    TIME_UNITS,
    UPPER_BOUND_MODIFIERS,
)

APPROX_TOLERANCE = 0.10
ROUND_TOLERANCE = 0.05
LOWER_BOUND_RATIO = 1.5
UPPER_BOUND_RATIO = 0.8

EXCLUSIVE_UNITS = RATIO_UNITS | TIME_UNITS
# 个 counts people too ("只有300个好友" is the note's "300人"); the metric groups decide
_UNIT_FAMILY = {"粉": "people", "人": "people", "人次": "people", "个": "people"}


def units_compatible(a: str | None, b: str | None) -> bool:
    if a == b:
        return True
    if a in EXCLUSIVE_UNITS or b in EXCLUSIVE_UNITS:
        return False
    if a is None or b is None:
        return True
    return _UNIT_FAMILY.get(a, a) == _UNIT_FAMILY.get(b, b)


@lru_cache(maxsize=4096)
def _significant_digits(value: float) -> int:
    if value == 0:
        return 1
    digits = f"{abs(value):.10g}".replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) or 1


def decimals(text: str) -> int:
    m = re.search(r"\d+\.(\d+)", text)
    return len(m.group(1)) if m else 0


def _close(a: float, b: float, rel: float) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b))


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def claim_bound(span: NumberSpan) -> str | None:
    mod = span.modifier or ""
    if span.plus or mod in LOWER_BOUND_MODIFIERS:
        return "lower"
    if mod in UPPER_BOUND_MODIFIERS:
        return "upper"
    return None


def value_match(span: NumberSpan, f: Fact) -> str | None:
    """'grounded', 'approx' or None: does this fact's value back the span?"""
    v, h = span.value, span.high
    if h is not None:
        if f.high is not None and _same(f.value, v) and _same(f.high, h):
            return "grounded"
        if f.high is None and v <= f.value <= h:
            return "approx"
        return None
    if f.high is not None:
        return "approx" if f.value <= v <= f.high and span.approx else None
    if _same(f.value, v):
        return _same_value(claim_bound(span), span.modifier, fact_bound(f))
    if span.approx and _close(f.value, v, APPROX_TOLERANCE):
        return "approx"
    bound = claim_bound(span)
    limit = fact_bound(f)
    # "超过4000" is not backed by "不到5000": an upper bound says nothing about a floor
    if bound == "lower" and limit != "upper" and v <= f.value <= v * LOWER_BOUND_RATIO:
        return "approx"
    if bound == "upper" and limit != "lower" and v * UPPER_BOUND_RATIO <= f.value < v:
        return "approx"
    if bound is None and not span.approx and _significant_digits(v) <= 2 \
            and _close(f.value, v, ROUND_TOLERANCE):
        return "round"  # approx, but an exact derivation (20800 − 800 = 20000) wins
    return None


def _same_value(claim: str | None, modifier: str | None, fact: str | None) -> str | None:
    """The same value on both sides: bounds compared like with like. "不足5000"
    is backed by "不到5000" and "2w+" by 20000; "不到126人" is not backed by 126
    (except 以内/最多, a limit the record's value meets), and "5000" is not
    backed by "不到5000"; a plain claim of a lower bound's value is approximate."""
    if claim == fact:
        return "grounded"
    if claim == "lower" and fact is None:
        return "grounded"
    if claim == "upper" and fact is None and modifier in ("以内", "之内", "最多"):
        return "grounded"
    if claim is None and fact == "lower":
        return "approx"
    return None


def fact_bound(f: Fact) -> str | None:
    mod = _modifier(f.text)
    if f.plus or mod in LOWER_BOUND_MODIFIERS:
        return "lower"
    if mod in UPPER_BOUND_MODIFIERS:
        return "upper"
    return None


@lru_cache(maxsize=8192)
def _modifier(fact_text: str) -> str | None:
    """The modifier a fact was written with ("不到50" → 不到)."""
    spans = find_numbers(fact_text)
    return spans[0].modifier if spans else None
