"""Number grounding: is every number in a draft backed by the creator's records?

Each claim the number grammar (:func:`ipwriter.text.numbers.find_numbers`) finds in
the draft gets one verdict against the knowledge base's facts:

``grounded``
    A fact has the same value (a range: the same low and high) in a
    compatible unit, and what the number is about does not contradict the
    fact's context. "2w+" is grounded by 20000 exactly; "不少于30分钟" by 30.
    Bounds are compared like with like: "不足5000" is grounded by a note's
    "不到5000", but "5000" is not (the note says less), nor is "不到5000" by a
    plain 5000; 只有/仅 mark an exact small amount, not a bound.
``approx``
    The draft hedges or rounds, and the records back it:

    - 近/约/左右/大约/接近/将近/差不多: a fact within 10 % of the value;
    - a lower bound (+, 多, 余, 以上, 超过, 至少, 不少于 …): a fact at or above
      the value and at most 1.5 × it ("10万+" backed by 100000–150000);
    - an upper bound (不到, 不足, 低于, 以内 …): a fact below the value and at
      least 0.8 × it;
    - a round number without a hedge (at most two significant digits, e.g.
      "2万"): a fact within 5 %;
    - a range ("25-35人"): a fact inside it.

    A loose match also needs a metric named on both sides ("近130位学员" and
    "首期学员126人" both say 学员): with hundreds of facts, some number always
    sits within 10 % of a claim, and durations appear in every note ("两三个月"
    about a face cream is not backed by "3个月涨粉").
``derived``
    No fact has the value, but two facts of the same note give it: a ratio
    as a percentage (43 / 126 → 34%, within the draft's own precision), a
    difference (20800 − 800 → 20000), a sum or a product (43 × 1999 →
    85957). Reported so the creator can check the arithmetic, never passed
    silently.
``context_mismatch``
    A fact has the value, but the words around the number say it measures
    something else: "在线峰值600人" against a fact "掉粉600". Contexts are
    compared through metric groups (涨粉, 粉丝总数, 点赞, 收藏, 在线, 复购, 收入 …:
    ``metrics.py``): a mismatch needs both sides to name a metric and no
    metric in common. The same value about someone or somewhere else is a
    mismatch too (``metrics.scope_conflict``): a student's result told as the
    creator's and back, another account, another cohort — and then no near
    value or arithmetic of other facts stands in for it.
``ungrounded``
    Nothing in the records backs it. When a fact on the same metric exists,
    ``note`` says what the records hold ("记录里是 126人").

Not checked: small structural counts ("3个方法", "第…" ordinals and dates are
not claims at all). Units are compatible when equal, when either side has
none (涨粉2.3万 vs 2.3万粉), or 人 ~ 粉 ~ 个; percentages and durations only
match their own unit.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ipwriter.checks.metrics import (
    MONEY_GROUPS,
    DraftClaims,
    Scope,
    claim_groups,
    fact_scope,
    metric_groups,
    scope_conflict,
)
from ipwriter.checks.models import NumberFinding, SourceRef
from ipwriter.checks.values import (
    EXCLUSIVE_UNITS,
    LOWER_BOUND_RATIO,
    UPPER_BOUND_RATIO,
    decimals,
    units_compatible,
    value_match,
)
from ipwriter.knowledge.models import Fact
from ipwriter.text.numbers import NumberSpan, find_numbers
from ipwriter.text.units import (
    MONEY_UNITS,
    SMALL_AMOUNT_MODIFIERS,
)

_STRUCTURAL_UNITS = {"个", "步", "招", "点", "种", "类", "条", "句", "段", "件", "项", "套", "张"}
_ORGANISING_UNITS = {"步", "招", "点", "种", "类", "句", "段"}
# matched at the number's end (no ^: a pattern matched at a position is anchored there)
_STRUCTURAL_NOUN = re.compile(
    r"[^，。！？；\n]{0,3}(方法|办法|误区|建议|技巧|问题|步骤|原因|关键|维度|模板|习惯|坑|心得|要点|"
    r"细节|阶段|原则|思路|工具|误解|提醒|场景|动作|话术|规律|真相|秘诀|理由|区别|层次|部分|事)")


@dataclass(frozen=True)
class _Fact:
    fact: Fact
    groups: frozenset[str]
    scope: Scope


def _fact_groups(f: Fact) -> frozenset[str]:
    i = f.quote.find(f.text)
    if i < 0:
        return metric_groups(f.subject + " " + f.text)
    return claim_groups(f.quote, i, i + len(f.text))


def _money_mismatch(claim: str | None, groups: frozenset[str], pf: _Fact) -> bool:
    """An amount of money cannot back a number about views, likes or followers:
    "播放5000" is not "投流5000元" (the unitless claim names a metric money is not)."""
    return claim is None and pf.fact.unit in MONEY_UNITS and bool(groups) \
        and not groups & MONEY_GROUPS


def _structural(text: str, span: NumberSpan) -> bool:
    """"3个方法", "5步", "两个误区", "三句话", "两类笔记": counts that organise a
    post, not claims. 步 招 点 种 类 句 段 are such counts whatever follows; 个 条
    件 项 套 张 only before a word like 方法, 建议, 事 ("9条视频" is a claim)."""
    return (span.unit in _STRUCTURAL_UNITS and span.high is None and span.value <= 12
            and span.value.is_integer() and span.modifier in (None, *SMALL_AMOUNT_MODIFIERS)
            and (span.unit in _ORGANISING_UNITS or bool(_STRUCTURAL_NOUN.match(text, span.end))))


def _near(values: list[float], x: float) -> bool:
    """Is a value within 1e-9 of x (values sorted)? The test ``_exact`` starts with."""
    k = bisect.bisect_left(values, x - 1e-9)
    return k < len(values) and values[k] <= x + 1e-9


def _claim(span: NumberSpan) -> tuple[Any, ...]:
    """What a span claims, apart from where it is: all the facts are compared with."""
    return span.value, span.high, span.unit, span.modifier, span.approx, span.plus


def _memo(memo: dict[tuple[Any, ...], Any], key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """What the facts say about a value depends on the value, its unit and its
    metrics alone, and a long draft repeats them: each is worked out once per draft."""
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class NumberChecker:
    """Facts prepared once; ``check(text)`` grounds every number in a draft."""

    def __init__(self, facts: Iterable[Fact], *, self_names: Iterable[str] = ()) -> None:
        """``self_names``: what the creator is called (the profile's name): a
        sentence naming her tells her own result, like one in the first person."""
        self.self_names = tuple(n for n in self_names if n)
        self.facts = [_Fact(f, _fact_groups(f), fact_scope(f)) for f in facts]
        # per note, the plain counts and amounts sorted by value, for derivations
        self._plain: dict[str, tuple[list[float], list[Fact]]] = {}
        by_source: dict[str, list[Fact]] = {}
        for pf in self.facts:
            f = pf.fact
            if f.high is None and f.unit not in EXCLUSIVE_UNITS and f.value > 0:
                by_source.setdefault(f.source, []).append(f)
        for source, fs in by_source.items():
            fs.sort(key=lambda f: f.value)
            self._plain[source] = ([f.value for f in fs], fs)
        self._groups = {id(pf.fact): pf.groups for pf in self.facts}
        self._by_unit: dict[str | None, list[_Fact]] = {}
        self._windows: dict[str | None, tuple[list[float], list[int], list[int]]] = {}

    def _compatible(self, unit: str | None) -> list[_Fact]:
        """The facts whose unit can back a number in ``unit`` (computed once per unit)."""
        found = self._by_unit.get(unit)
        if found is None:
            found = [pf for pf in self.facts if units_compatible(unit, pf.fact.unit)]
            self._by_unit[unit] = found
            points = sorted((pf.fact.value, i) for i, pf in enumerate(found) if pf.fact.high is None)
            self._windows[unit] = ([v for v, _ in points], [i for _, i in points],
                                   [i for i, pf in enumerate(found) if pf.fact.high is not None])
        return found

    def _candidates(self, span: NumberSpan) -> list[_Fact]:
        """Facts that could match the span's value at all (within the loosest
        tolerance), in their original order; ranges are always candidates."""
        found = self._compatible(span.unit)
        values, order, ranges = self._windows[span.unit]
        v, h = span.value, span.high
        if v < 0 or (h is not None and h < v):
            return found
        lo, hi = (v, h) if h is not None else (v * UPPER_BOUND_RATIO, v * LOWER_BOUND_RATIO)
        eps = 1e-9 + 1e-9 * hi
        a, b = bisect.bisect_left(values, lo - eps), bisect.bisect_right(values, hi + eps)
        picked = sorted([*order[a:b], *ranges])
        return [found[i] for i in picked]

    def check(self, text: str) -> list[NumberFinding]:
        out = []
        claims = DraftClaims(text, self.self_names)  # every number's clause and sentence
        memo: dict[tuple[Any, ...], Any] = {}  # what the facts say, per value, unit and metric
        for span in find_numbers(text):
            if _structural(text, span):
                continue
            out.append(self._judge(span, claims, memo))
        return out

    def _judge(self, span: NumberSpan, claims: DraftClaims,
               memo: dict[tuple[Any, ...], Any]) -> NumberFinding:
        # the clause around the number, and its own unit (2.3万粉, 10万+阅读)
        groups = claims.groups(span.start, span.end)
        claim = _claim(span)
        matches = _memo(memo, ("matches", *claim, groups), lambda: self._matches(span, groups))
        scope: Scope | None = None
        conflicts: dict[int, str] = {}  # why a match is about someone or somewhere else
        agreeing = []
        for how, pf in matches:
            if groups and pf.groups and not groups & pf.groups:
                continue
            if scope is None:
                scope = claims.scope(span.start, span.end)
            why = scope_conflict(scope, pf.scope)
            if why:
                conflicts[id(pf)] = why
                continue
            agreeing.append((how, pf))
        rank = {"grounded": 0, "approx": 1, "round": 2}
        agreeing.sort(key=lambda m: (rank[m[0]], not (groups & m[1].groups)))
        elsewhere = next((pf for how, pf in matches if how == "grounded" and id(pf) in conflicts),
                         None)
        if elsewhere is not None and not any(how == "grounded" for how, _ in agreeing):
            # the value is in the records, about someone or somewhere else: no near
            # value or arithmetic of other facts stands in for it
            return self._finding(span, "context_mismatch", elsewhere.fact, groups,
                                 f"{conflicts[id(elsewhere)]}：{elsewhere.fact.text}")
        if agreeing and agreeing[0][0] != "round":
            how, pf = agreeing[0]
            return self._finding(span, how, pf.fact, groups)
        precision = decimals(span.text) if span.unit == "%" else 0
        derived = _memo(memo, ("derived", *claim, precision, groups),
                        lambda: self._derived(span, groups))
        if derived is not None:
            f, note = derived
            return self._finding(span, "derived", f, groups, note)
        if agreeing:
            return self._finding(span, "approx", agreeing[0][1].fact, groups,
                                 f"约等于记录里的 {agreeing[0][1].fact.text}")
        if matches:
            pf = matches[0][1]
            what = pf.fact.subject or pf.fact.quote[:20]
            why = conflicts.get(id(pf))
            note = (f"{why}：{pf.fact.text}（「{what}」）" if why else
                    f"记录里的 {pf.fact.text} 说的是「{what}」，和这里的说法对不上")
            return self._finding(span, "context_mismatch", pf.fact, groups, note)
        nearest = _memo(memo, ("nearest", span.value, span.unit, groups),
                        lambda: self._nearest(span, groups))
        return self._finding(span, "ungrounded", None, groups, nearest)

    def _matches(self, span: NumberSpan, groups: frozenset[str]) -> list[tuple[str, _Fact]]:
        """(how, fact) for every fact whose value backs the span's, in the facts' order."""
        matches: list[tuple[str, _Fact]] = []
        for pf in self._candidates(span):
            if _money_mismatch(span.unit, groups, pf):
                continue
            how = value_match(span, pf.fact)
            # a loose match needs positive agreement: a metric named on both sides
            if how in ("approx", "round") and not groups & pf.groups:
                how = None
            if how:
                matches.append((how, pf))
        return matches

    def _finding(self, span: NumberSpan, verdict: str, fact: Fact | None, groups: frozenset[str],
                 note: str = "") -> NumberFinding:
        return NumberFinding(
            text=span.text, start=span.start, end=span.end, value=span.value, high=span.high,
            unit=span.unit, subject="、".join(sorted(groups)), verdict=verdict,  # type: ignore[arg-type]
            source=SourceRef(path=fact.source, quote=fact.quote) if fact else None, note=note)

    def _nearest(self, span: NumberSpan, groups: frozenset[str]) -> str:
        """What the records say on the same metric, for an ungrounded number."""
        if not groups:
            return ""
        same = [pf.fact for pf in self._compatible(span.unit) if pf.groups & groups]
        if not same:
            return ""
        near = min(same, key=lambda f: abs(f.value - span.value))
        return f"记录里是 {near.text}（{near.source}：{near.quote[:40]}）"

    def _derived(self, span: NumberSpan, groups: frozenset[str]) -> tuple[Fact, str] | None:
        """Two related facts of one note that give the value: a/b as %, a−b, a+b,
        a×b. Related: the draft names a metric one of them is about, and a
        difference or sum is of two numbers on the same metric. Hedged or
        bounded claims are not derived."""
        if span.high is not None or span.value <= 0 or not groups or span.modifier \
                or span.plus or span.approx:
            return None
        if span.unit == "%":
            return self._ratio(span, groups)
        return self._arithmetic(span, groups)

    def _ratio(self, span: NumberSpan, groups: frozenset[str]) -> tuple[Fact, str] | None:
        g = self._groups
        v = span.value
        tol = 0.5 * 10 ** -decimals(span.text)
        for source, (values, facts) in self._plain.items():
            for a in facts:
                # b = a / (v / 100), within the draft's precision
                lo_b, hi_b = a.value * 100 / (v + tol), a.value * 100 / max(v - tol, 1e-9)
                k = bisect.bisect_left(values, lo_b)
                while k < len(values) and values[k] <= hi_b:
                    b = facts[k]
                    if b is not a and a.value < b.value and units_compatible(a.unit, b.unit) \
                            and groups & (g[id(a)] | g[id(b)]):
                        return a, f"= {a.text} / {b.text}（{source}）"
                    k += 1
        return None

    def _arithmetic(self, span: NumberSpan, groups: frozenset[str]) -> tuple[Fact, str] | None:
        g = self._groups
        v = span.value
        # a gain is the difference of two totals (粉丝从800涨到20800: 涨粉20000),
        # and a total never is ("粉丝涨到了6300" is not 10200 − 3900)
        minus = groups | {"fans_total"} if "fans_gain" in groups else groups - {"fans_total"}
        product = span.unit in (None, "元")
        compatible: dict[str | None, bool] = {}
        for source, (values, facts) in self._plain.items():
            for a in facts:
                ok = compatible.get(a.unit)
                if ok is None:
                    ok = compatible[a.unit] = units_compatible(span.unit, a.unit)
                if not ok:
                    continue
                ga = g[id(a)]
                # b shares a metric with a and the claim: none can when a does not
                if minus & ga:
                    for b in self._exact(values, facts, a.value - v):
                        if b is not a and units_compatible(a.unit, b.unit) and minus & ga & g[id(b)]:
                            return a, f"= {a.text} − {b.text}（{source}）"
                if groups & ga:
                    for b in self._exact(values, facts, v - a.value):
                        if b is not a and units_compatible(a.unit, b.unit) and a.value >= b.value \
                                and groups & ga & g[id(b)]:
                            return a, f"= {a.text} + {b.text}（{source}）"
                if product and _near(values, v / a.value):
                    for b in self._exact(values, facts, v / a.value):
                        if b is not a and a.unit != b.unit and groups & (ga | g[id(b)]):
                            return a, f"= {a.text} × {b.text}（{source}）"
        return None

    @staticmethod
    def _exact(values: list[float], facts: list[Fact], x: float) -> list[Fact]:
        if x <= 0:
            return []
        k = bisect.bisect_left(values, x - 1e-9)
        out = []
        while k < len(values) and values[k] <= x + 1e-9:
            out.append(facts[k])
            k += 1
        return out
