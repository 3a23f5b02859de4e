"""Vague words that should be numbers (用数字, 不用形容词).

``find_vague(text, facts)`` flags 很多 / 大量学员 / 非常好用 / 好评如潮 / 明显提升 …
and suggests a replacement: a concrete one from the creator's own facts
("大量学员" → "126位学员", with the fact as ``source``) when a fact clearly
fits, otherwise advice naming the number to put there.

How a match is decided
----------------------
1. **Lexicon** (``vague.yaml``, validated, compiled once): curated phrases in four
   categories (quantity, intensifier, stock, change), not POS tags; at each
   position the longest phrase that passes step 2 wins; findings never overlap.
2. **Word boundaries**: a match starts and ends on a jieba token boundary
   (``text.words``, dictionary words only), so 最大量程, 群众多, 非常好奇 do not
   fire; ``blockers`` catch what jieba still splits (不少|于, 也|许多), ``glue``
   is a character jieba glues to a phrase's end (无数次).
3. **Negation**: the clause before the match, fillers (是, 很, 那么 …) dropped,
   ends with a negator (不是很多, 没有明显提升, 谈不上好评如潮).
4. **A number in the same clause** suppresses the match (复购率高达38%); durations
   do not (7天就能看到明显效果), nor ordinals and dates (第一次).
5. **Claims, not talk**: intensifier and stock phrases in a question (真的有效吗？)
   do not fire; an intensifier whose head also describes people or feelings
   (很好, 很靠谱, 很快, 很大, 很高) fires only ``about`` what it evaluates, the
   word before it or after 的 (这门课很好, 涨粉很快, 性价比很高, 很好的课程; not
   我很好, 老公很靠谱, 很快就开营, 压力很大, 很好的问题).
6. **Subject**: a quantity word absorbs the topic noun right after it (大量学员),
   else the noun right before it names the topic (学员很多, 销量直接爆了); stock
   phrases may carry their own (好评如潮 → 好评, 大部分学员 → a share).

Concrete suggestions keep the referent (a wrong number is worse than none):
the fact is of the topic's kind (他证 first for people, 自证 for fans, sales,
likes) and unit, names the draft's noun (in its subject or right after its
number; 粉 says 粉丝), is no range, downward claim (不到, 只有) or part of a
larger count (256位学员里), agrees with the clause's durations, contains the
words narrowing the noun (首期学员很多), and counts the whole group, not a
sample (其中5位, 5位学员的真实数据: ``VagueLexicon.is_sample``; if only one fits,
the topic's ``sample`` text says why there is no number).  First fit wins.

Contract: with ``source`` set, ``suggestion`` is the exact replacement for
``text`` (大量学员 → 126位学员; 学员很多: 很多 → 有126位), ``level`` ``advise``;
otherwise ``suggestion`` is advice in Chinese, ``level`` ``info`` (never fails).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ipwriter.checks.models import SourceRef, VagueFinding
from ipwriter.checks.vague_lexicon import Entry, TopicSpec, VagueLexicon, default_vague_lexicon
from ipwriter.knowledge.models import Fact
from ipwriter.text.numbers import find_numbers
from ipwriter.text.split import Marks
from ipwriter.text.units import AGE_UNITS, SMALL_AMOUNT_MODIFIERS, TIME_UNITS, UPPER_BOUND_MODIFIERS
from ipwriter.text.words import Words

__all__ = ["find_vague"]

#: Durations and ages: they say when or how old, never how many.
_DURATIONS = TIME_UNITS | AGE_UNITS
_UNIT_MEASURES = "位名个条"  # may sit between a fact's number and the noun in its quote


# --------------------------------------------------------------------------- #
# Clauses, negation, numbers

def _negated(before: str, lex: VagueLexicon) -> bool:
    ctx = lex.filler_re.sub("", before) if lex.filler_re is not None else before
    if lex.negator_re is None or (lex.exception_re is not None and lex.exception_re.search(ctx)):
        return False
    return bool(lex.negator_re.search(ctx))


_NUMERALISH = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億几]")


def _numbers(text: str) -> list[Any]:
    """find_numbers, skipped when no digit or Chinese numeral can start a claim."""
    return find_numbers(text) if _NUMERALISH.search(text) else []


@lru_cache(maxsize=4096)
def _time_set(text: str) -> frozenset[tuple[float, str]]:
    return frozenset((sp.value, sp.unit) for sp in _numbers(text) if sp.unit in _DURATIONS)


# --------------------------------------------------------------------------- #
# Facts → concrete suggestions

def _fmt_value(v: float) -> str:
    if not v.is_integer():
        return f"{v:g}"
    return f"{int(v) / 10000:g}万" if v >= 10000 and int(v) % 100 == 0 else str(int(v))


def _render(fact: Fact) -> str | None:
    """The fact's number as it should be written, or None if it must not be offered."""
    return _render_number(fact.text, fact.value, fact.approx, fact.plus)


@lru_cache(maxsize=4096)
def _render_number(text: str, value: float, approx: bool, plus: bool) -> str | None:
    spans = _numbers(text)
    mod = spans[0].modifier if spans else None
    if mod in UPPER_BOUND_MODIFIERS or mod in SMALL_AMOUNT_MODIFIERS:
        return None
    num = _fmt_value(value)
    return mod + num if mod else "约" + num if approx else num + ("多" if plus else "")


def _names(fact: Fact, noun: str, *, at_end: bool) -> bool:
    """The fact's own words name ``noun``: in its subject, or right after its number."""
    if len(noun) < 2:
        return False
    subject = fact.subject.strip()
    if subject.endswith(noun) if at_end else noun in subject:
        return True
    i = fact.quote.find(fact.text)
    while i >= 0:
        tail = fact.quote[i + len(fact.text):]
        if tail.startswith(noun) or (tail[:1] in _UNIT_MEASURES and tail[1:].startswith(noun)):
            return True
        i = fact.quote.find(fact.text, i + 1)
    return False


@lru_cache(maxsize=4096)
def _part_of_larger(subject: str) -> bool:
    """Subject holds another count ("256位学员里97人"): the fact is a subset."""
    return any(sp.unit not in _DURATIONS for sp in _numbers(subject))


# what a group did (大量学员反馈, 很多学员都做到了): a count of them would be a subset
_DID = re.compile(r"(?:都|也|纷纷)?(?:反馈|说|表示|觉得|认为|评价|好评|做到|拿到|做出|涨粉|赚|复购|续费|推荐|"
                  r"转介绍|报名|成交|出单|接单|上岸|考过|瘦)(?!率)")
_Pick = tuple[Fact, str, bool]  # the fact, its number as written, whether it counts a sample


def _pick_fact(topic: TopicSpec, noun: str, facts: Sequence[Fact],
               clause_times: set[tuple[float, str]], qualifier: str | None,
               lex: VagueLexicon) -> _Pick | None:
    """The fact to offer; failing that, the first that fits but counts a sample
    (offered as the reason there is no number, never as one)."""
    best: tuple[tuple[int, int], Fact, str] | None = None
    sample: _Pick | None = None
    for idx, f in enumerate(facts):
        if f.kind not in topic.kinds or f.high is not None or f.value < 2:
            continue
        if f.unit is None:
            if not topic.unitless or not _names(f, noun, at_end=True):
                continue
        elif f.unit not in topic.units:
            continue
        elif noun not in topic.unit_says.get(f.unit, ()) and not _names(f, noun, at_end=False):
            continue
        if qualifier and qualifier not in f.subject and qualifier not in f.quote:
            continue  # 首期学员很多: a fact about all 256 alumni does not fit
        if _part_of_larger(f.subject):
            continue
        if clause_times and not clause_times <= _time_set(f.quote):
            continue  # "一周涨粉很多" must not borrow a 3-month figure
        num = _render(f)
        if num is None:
            continue
        if lex.is_sample(f.quote, f.text):
            sample = sample or (f, num, True)  # 5位学员的真实数据: not how many there are
            continue
        rank = (topic.kinds.index(f.kind), idx)
        if best is None or rank < best[0]:
            best = (rank, f, num)
    return sample if best is None else (best[1], best[2], False)


# --------------------------------------------------------------------------- #
# The check

def _noun_after(text: str, pos: int, lex: VagueLexicon, words: Words) -> tuple[str, int] | None:
    if text.startswith("的", pos):
        pos += 1
    if not words.boundary(pos):
        return None
    for n in lex.noun_lengths:
        cand = text[pos:pos + n]
        if len(cand) == n and cand in lex.noun_topic and words.boundary(pos + n):
            return cand, pos + n
    return None


@dataclass
class _Draft:
    """The text being checked and what its phrases share, worked out once:
    jieba's words, where its clauses end, the numbers of each clause, and the
    fact picked for each topic, noun, durations and qualifier (a long draft
    says 很多学员 many times; its facts are the same each time)."""

    text: str
    lex: VagueLexicon
    facts: Sequence[Fact]
    words: Words
    marks: Marks
    numbers: dict[str, list[Any]] = field(default_factory=dict)
    picks: dict[tuple[Any, ...], _Pick | None] = field(default_factory=dict)
    everywhere: list[Any] | None = None  # the numbers of the whole text, once needed

    def clause_numbers(self, cs: int, ce: int) -> list[tuple[int, int, Any]]:
        """(start, end, span) of each number of the clause text[cs:ce], at offsets
        into the text."""
        if self.marks.cut(cs, ce):
            return self._inside(cs, ce)
        clause = self.text[cs:ce]
        spans = self.numbers.get(clause)
        if spans is None:
            spans = self.numbers[clause] = _numbers(clause)
        return [(cs + sp.start, cs + sp.end, sp) for sp in spans]

    def _inside(self, cs: int, ce: int) -> list[tuple[int, int, Any]]:
        """The text's own numbers inside a window of a clause the reach cut short
        (a text without marks): reading every such window again would cost its
        length for each phrase in it."""
        if self.everywhere is None:
            self.everywhere = _numbers(self.text)
        spans = self.everywhere
        k = bisect.bisect_left(spans, cs, key=lambda sp: sp.start)
        out = []
        while k < len(spans) and spans[k].end <= ce:  # in order, never overlapping
            out.append((spans[k].start, spans[k].end, spans[k]))
            k += 1
        return out

    def pick(self, topic_name: str, noun: str, clause_times: set[tuple[float, str]],
             qualifier: str | None) -> _Pick | None:
        key = (topic_name, noun, frozenset(clause_times), qualifier)
        if key not in self.picks:
            self.picks[key] = _pick_fact(self.lex.topics[topic_name], noun, self.facts,
                                         clause_times, qualifier, self.lex)
        return self.picks[key]


def _evaluates(d: _Draft, start: int, end: int, cs: int, ce: int, about: frozenset[str]) -> bool:
    """An ``about`` head names what it evaluates: the word before it (这门课很好,
    课程内容真的很好, 出|单很快: it may end a longer word) or the one after 的 (很好的课程)."""
    text, words, lex = d.text, d.words, d.lex
    word = words.word_before(start, cs, lex.skip_before)
    if word is None and "" in about and not text[cs:start].strip():
        return True  # nothing before it in its clause: 早鸟价只要599，太划算了
    at = words.start_of(start, word, lex.skip_before) if word is not None else None
    if at is not None and word is not None:
        e = at + len(word)
        if any(e - n >= cs and text[e - n:e] in about and (n > 1 or words.boundary(e - 1))
               for n in lex.subject_lengths):
            return True
    pos = end + 1
    return text.startswith("的", end) and words.boundary(pos) and any(
        text[pos:pos + n] in about and pos + n <= ce and words.boundary(pos + n)
        for n in lex.subject_lengths)


def _judge(d: _Draft, start: int, end: int, entry: Entry) -> VagueFinding | None:
    text, lex, words = d.text, d.lex, d.words
    cs, ce = d.marks.clause(start, end)
    if _negated(text[cs:start], lex):
        return None
    category = lex.categories[entry.category]  # type: ignore[index]
    if category.skip_questions and (text[ce:ce + 1] in ("？", "?") or "吗" in text[end:ce]):
        return None  # 这个方法真的有效吗？ asks
    if entry.about is not None and not _evaluates(d, start, end, cs, ce, entry.about):
        return None  # 我很好, 很快就开营: not about the product or a result

    topic_name, noun, template = entry.topic, None, entry.template
    qualifier: str | None = None  # words narrowing a noun before the phrase: 首期(学员很多)
    stop, did = end, False
    if topic_name is not None:
        noun = lex.topics[topic_name].nouns[0]
    else:
        if category.extend_noun:
            after = _noun_after(text, end, lex, words)
            if after is not None:
                noun, stop = after
                topic_name = lex.noun_topic[noun]
                template = lex.topics[topic_name].attributive
                did = bool(_DID.match(text, stop))  # 大量学员反馈…: those who did it, not all
        if topic_name is None:
            before = words.word_before(start, cs, lex.skip_before)
            if before is not None and before in lex.noun_topic:
                noun = before
                topic_name = lex.noun_topic[noun]
                template = lex.topics[topic_name].predicate
                noun_start = words.start_of(start, noun, lex.skip_before)
                if noun_start is not None:
                    qualifier = words.qualifier(noun_start, cs, lex.neutral_before) or None

    clause_times: set[tuple[float, str]] = set()
    for s, e, sp in d.clause_numbers(cs, ce):
        if s < stop and e > start:
            continue  # the phrase itself (十分有效: 十分 is not a claim here)
        if sp.unit in _DURATIONS:
            clause_times.add((sp.value, sp.unit))
            continue
        return None  # a number beside it: 复购率高达38%

    topic = lex.topics.get(topic_name) if topic_name else None
    suggestion, source, withheld = None, None, ""
    if did:  # a total would say all of them did it
        suggestion = f"这里说的是{noun}里做了这件事的人，总人数不能代替：写出做到的人数，比如「N位{noun}里有M位…」"
        withheld = "subset"
    elif topic is not None and topic_name and template and d.facts and noun:
        picked = d.pick(topic_name, noun, clause_times, qualifier)
        if picked is not None and picked[2]:
            if topic.sample:  # only a sample in the notes: say why there is no number
                suggestion = topic.sample.format(n=picked[1], noun=noun, unit=picked[0].unit or "")
                withheld = "sample"
        elif picked is not None:
            fact, num, _ = picked
            suggestion = template.format(n=num, noun=noun, unit=fact.unit or "")
            source = SourceRef(path=fact.source, quote=fact.quote)
    if suggestion is None:
        if topic is not None:
            suggestion = topic.generic.format(n="N", noun=noun or topic.nouns[0], unit="")
        else:
            suggestion = category.generic
    return VagueFinding(text=text[start:stop], start=start, end=stop, category=entry.category,
                        suggestion=suggestion, source=source, withheld=withheld,  # type: ignore[arg-type]
                        level="advise" if source is not None else "info")


class _Blocked:
    """The blockers found in a text (不少于, 很多余 …): sorted and never overlapping,
    so whether one overlaps a candidate is a binary search, not a pass over all."""

    def __init__(self, matches: Iterable[re.Match[str]]) -> None:
        spans = [m.span() for m in matches]
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]

    def overlaps(self, start: int, end: int) -> bool:
        # the last blocker starting before ``end`` ends the latest of those that do
        k = bisect.bisect_left(self._starts, end)
        return k > 0 and self._ends[k - 1] > start


def find_vague(text: str, facts: Sequence[Fact] = (), *,
               lexicon: VagueLexicon | None = None) -> list[VagueFinding]:
    """Vague words in ``text``, sorted by start and non-overlapping.

    ``facts`` (the creator's number facts) turn generic suggestions into
    concrete ones with a ``source``; ``text[f.start:f.end] == f.text``.
    """
    lex = lexicon if lexicon is not None else default_vague_lexicon()
    if not text:
        return []
    d = _Draft(text, lex, facts, Words(text), Marks(text))
    words = d.words
    blocked = _Blocked(lex.blocker_re.finditer(text) if lex.blocker_re else ())
    out: list[VagueFinding] = []
    by_first, entries = lex.by_first, lex.entries
    n = len(text)
    i = 0
    while True:
        m = lex.first_re.search(text, i)  # the next character a phrase can start with
        if m is None:
            break
        i = m.start()
        lengths = by_first[text[i]]
        hit: tuple[int, Entry] | None = None
        for length in lengths:
            e = i + length
            if e > n:
                continue
            entry = entries.get(text[i:e])
            if entry is None:
                continue
            if blocked.overlaps(i, e):
                continue
            if not words.boundary(i):
                break  # no phrase can start inside a word
            if words.boundary(e) or words.glued(i, e, lex.glue):
                hit = (e, entry)
                break
        if hit is None:
            i += 1
            continue
        e, entry = hit
        finding = _judge(d, i, e, entry)
        if finding is not None:
            out.append(finding)
            i = finding.end
        else:
            i = e  # negated or beside a number: the whole phrase is used up
    return out
