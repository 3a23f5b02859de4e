"""A claim the law forbids, answered with a true record (methodology B.7, C.12–13).

A promise of results or income, a 他证 told as selling copy, an absolute
"best": the fix is rarely "delete it", it is "say what really happened". For
such a compliance finding the report's suggestion names a record from the
notes about the same metric (接单, 涨粉, 收入 … by ``checks.metrics``; a 元
record only for money, a 单 record only for orders) and the right person: a
promise to the reader, or a sentence about students, is answered first by a
consented student's result (他证); an absolute about the product by the
creator's own (自证). Never an unconsented student's, never a range, never a
price. No fitting record: the suggestion stays as the lexicon wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from weakref import WeakKeyDictionary

from ipwriter.checks.metrics import METRICS, metric_groups
from ipwriter.checks.models import ComplianceFinding
from ipwriter.knowledge.facts import THIRD_PARTY_NOUNS
from ipwriter.knowledge.models import Fact
from ipwriter.text.split import clause_bounds, sentence_bounds

__all__ = ["RESULT_CLAIMS", "add_record_hints"]

#: Lexicon entries whose claim a true record can replace.
RESULT_CLAIMS = frozenset({"training-guarantee", "income-promise", "income-hype", "hundred-percent",
                           "efficacy-time", "testimonial", "absolute-scope", "absolute-ranking",
                           "absolute-terms", "absolute-soft", "absolute-efficacy"})
_PEOPLE = re.compile(f"{THIRD_PARTY_NOUNS}|宝妈|家长")
#: Groups that name who or what it costs, not a result: no record answers a claim by them.
_ABOUT_THE_PRODUCT = frozenset({"absolute-scope", "absolute-ranking", "absolute-terms", "absolute-soft",
                                "absolute-efficacy"})
_NOT_RESULTS = frozenset({"students", "price", "cost", "refund", "activity", "conversion"})
_ORDERS = re.compile(r"接[^，。,]{0,2}单|出单|签单|爆单")
#: A number in these units answers only a claim about these metrics (元 is never a follower).
_UNIT_GROUPS = {"元": frozenset({"revenue"}), "单": frozenset({"orders"}),
                "粉": frozenset({"fans_gain", "fans_total"})}
_ALL = frozenset(METRICS) | {"revenue", "orders"}
_FANS = frozenset({"fans_gain", "fans_total"})


@lru_cache(maxsize=4096)
def _groups(text: str) -> frozenset[str]:
    return metric_groups(text)


def _clause(f: Fact) -> str:
    i = f.quote.find(f.text)
    if i < 0:
        return f.quote[:60]
    s, e = clause_bounds(f.quote, i, i + len(f.text))
    return f.quote[s:e].strip(" -—*·")


def _results(text: str) -> frozenset[str]:
    groups = set(_groups(text)) - _NOT_RESULTS
    if "income_promise" in groups:  # 月入, 回本: answered by what was really earned
        groups.add("revenue")
    if _ORDERS.search(text):
        groups.add("orders")
    if groups & _FANS:  # a hint may answer a claim about followers with a gain or a total
        groups |= _FANS
    return frozenset(groups)


class _Records:
    """The facts a hint may name (the creator's, and consented students'), by the
    result metric of their own clause: built once per set of facts."""

    def __init__(self, facts: Sequence[Fact]) -> None:
        self.by_group: dict[str, list[tuple[int, Fact]]] = {}
        for i, f in enumerate(facts):
            if f.high is None and f.value >= 1 and (f.kind == "自证" or f.usable_as_third_party_proof):
                for g in _results(f.subject + _clause(f)) & _UNIT_GROUPS.get(f.unit or "", _ALL):
                    self.by_group.setdefault(g, []).append((i, f))

    def best(self, claim: str, about_students: bool) -> Fact | None:
        wanted = _results(claim)
        found = {i: f for g in wanted for i, f in self.by_group.get(g, ())}
        if not found:
            return None
        # whose first (a promise to the reader: a consented student's), then the clearest
        # unit, then the order of the records
        return min(found.items(), key=lambda x: ((x[1].kind == "自证") if about_students
                                                 else (x[1].kind != "自证"),
                                                 x[1].unit not in _UNIT_GROUPS, x[0]))[1]


_CACHE: WeakKeyDictionary = WeakKeyDictionary()


def add_record_hints(text: str, findings: list[ComplianceFinding], facts: Sequence[Fact],
                     owner: object | None = None) -> list[ComplianceFinding]:
    """The findings, each result claim's suggestion followed by a true record.
    ``owner``: an object the facts belong to (the prepared checker): their index
    is built once for it, not on every check."""
    if not facts or not any(c.id in RESULT_CLAIMS for c in findings):
        return findings
    records = _CACHE.get(owner) if owner is not None else None
    if records is None:
        records = _Records(facts)
        if owner is not None:
            _CACHE[owner] = records
    out = []
    for c in findings:
        if c.id in RESULT_CLAIMS:
            sentence = text[slice(*sentence_bounds(text, c.start, c.end))]
            clause = text[slice(*clause_bounds(text, c.start, c.end))]
            # a promise to the reader is answered by what students really did; a "best" by
            # the creator's own record, unless the sentence is about students
            students = c.id not in _ABOUT_THE_PRODUCT or bool(_PEOPLE.search(sentence))
            f = records.best(clause if _results(clause) else sentence, students)
            if f is not None:
                who = "学员本人授权的结果" if f.kind == "他证" else "你自己的记录"
                c = c.model_copy(update={"suggestion": (
                    f"{c.suggestion.rstrip('。')}。笔记里有真实数字可以照实写（{who}）：「{_clause(f)}」"
                    f"（{f.source}），写成已经发生的事，写清是谁、用了多久。")})
        out.append(c)
    return out
