"""Vague words that should be numbers (用数字, 不用形容词).

``find_vague(text, facts)`` flags 很多 / 大量学员 / 非常好用 / 好评如潮 / 明显提升 …
and suggests a replacement: a concrete one from the creator's own facts
("大量学员" → "126位学员", with the fact as ``source``) when a fact clearly
fits, otherwise a generic one naming the number to put there.

How a match is decided
----------------------
1. **Lexicon** (``vague.yaml``, validated with pydantic, compiled once): a
   curated list of phrases in four categories (quantity, intensifier, stock,
   change), not POS tags (jieba tags 很多 as m, 大量 as n, 超级 as b).  At each
   position the longest phrase that passes step 2 wins; findings never overlap.
2. **Word boundaries**: a match must start and end on a jieba token boundary
   (the shared, domain-tuned instance of ``knowledge.tokenize``; nothing is
   added to its dictionary), so 最大量程 (最大|量程), 这里群众多 (群众|多) and
   非常好奇 (非常|好奇) do not fire.  Dictionary words only (``HMM=False``):
   the HMM glues unknown character runs into pseudo-words (这门|课卖|爆了,
   超好|用) that would hide real phrases; 超级市场, 好奇, 量程 are dictionary
   words either way.  Only the jieba block (run of Han/alnum characters,
   which jieba segments independently) around a candidate is segmented.
   Two lexicon lists cover jieba's quirks: ``blockers`` are longer strings
   that are not vague although jieba puts a boundary around the phrase
   (不少|于, 很多|余, 也|许多); ``glue`` is one character jieba glues to a
   phrase's end without changing it (无数次).
3. **Negation**: the clause text before the match, with fillers dropped
   (是, 很, 那么 …), ends with a negator (不是很多, 没有明显提升, 谈不上好评如潮).
4. **A number in the same clause** suppresses the match (复购率高达38%):
   clause = text between ，。！？；、,.!?;… and line breaks (an ASCII , or . between
   digits/letters is part of a number).  Durations (7天, 3个月 …) do not count:
   "7天就能看到明显效果" still fires, because the time does not quantify the
   effect.  Numbers come from :func:`ipwriter.numbers.find_numbers`, so
   ordinals (第一次) and dates are not numbers.
5. **Subject**: a quantity word absorbs the topic noun right after it (大量学员,
   大量的学员); otherwise the noun right before it (学员很多, 销量直接爆了)
   names the topic; stock phrases may carry their own topic (好评如潮 → 好评).

Concrete suggestions are conservative (a wrong number is worse than a
generic hint): the fact must be of the topic's kind (他证 first for people,
自证 for the creator's own fans, sales, likes), carry the topic's unit (or no
unit, with the noun ending its subject), name the draft's noun in its subject
or right after its number in the quote (unless the unit alone says it: 粉 for
粉丝), not be a range, a downward claim (不到, 只有 …) or a part of a larger
count (subject "256位学员里"), and agree with every duration in the draft's
clause; words narrowing a noun before the phrase (首期学员很多) must appear in
the fact.  Among the fitting facts the first in the given order wins.

Contract: when ``source`` is set, ``suggestion`` is the exact replacement for
``text`` (大量学员 → 126位学员; 学员很多: 很多 → 有126位); when ``source`` is
None, ``suggestion`` is advice in Chinese naming the number to put there.
"""

from __future__ import annotations

import bisect
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ipwriter.checks.models import SourceRef, VagueFinding
from ipwriter.errors import ConfigError
from ipwriter.knowledge.models import Fact, FactKind
from ipwriter.numbers import find_numbers

__all__ = ["CATEGORIES", "Lexicon", "LexiconError", "default_lexicon", "find_vague", "load_lexicon"]

Category = Literal["quantity", "intensifier", "stock", "change"]
CATEGORIES: tuple[str, ...] = ("quantity", "intensifier", "stock", "change")
TEMPLATE_FIELDS = frozenset({"n", "noun", "unit"})
TIME_UNITS = frozenset({"秒", "分钟", "小时", "天", "工作日", "周", "个月", "季度", "年", "周年", "岁"})
_DOWNWARD = frozenset({"不到", "不足", "只有", "仅", "仅仅", "低于", "少于", "最多", "不超过",
                       "不高于", "以下", "以内", "之内"})
_HARD_DELIMS = frozenset("，。！？；、!?;…\n\r")
_SOFT_DELIMS = frozenset(",.．")  # clause marks unless inside a number or a Latin word
_UNIT_MEASURES = "位名个条"  # may sit between a fact's number and the noun in its quote


class LexiconError(ConfigError):
    """vague.yaml is missing, not YAML, or does not match the schema."""


# --------------------------------------------------------------------------- #
# Lexicon schema (what vague.yaml may contain)

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PhraseSpec(_Strict):
    text: str = Field(min_length=1)
    topic: str | None = None
    template: str | None = None  # replaces the whole phrase: "{n}条好评"


class ComboSpec(_Strict):
    parts: list[list[str]] = Field(min_length=2)


class CategorySpec(_Strict):
    generic: str = Field(min_length=1)
    extend_noun: bool = False
    phrases: list[str | PhraseSpec] = Field(default_factory=list)
    combos: list[ComboSpec] = Field(default_factory=list)


class TopicSpec(_Strict):
    nouns: list[str] = Field(min_length=1)
    units: list[str] = Field(default_factory=list)
    unitless: bool = False
    unit_says: dict[str, list[str]] = Field(default_factory=dict)  # 单 → 订单, 成交, 销量
    kinds: list[FactKind] = Field(default_factory=list)
    attributive: str | None = None  # noun after the vague word: 大量学员 → "{n}位{noun}"
    predicate: str | None = None  # noun before it: 学员很多 → 学员"有{n}位"
    generic: str = Field(min_length=1)


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


class LexiconSpec(_Strict):
    version: Literal[1]
    categories: dict[Category, CategorySpec]
    topics: dict[str, TopicSpec] = Field(default_factory=dict)
    blockers: list[str] = Field(default_factory=list)
    negators: list[str] = Field(default_factory=list)
    negation_fillers: list[str] = Field(default_factory=list)
    negation_exceptions: list[str] = Field(default_factory=list)
    glue: list[str] = Field(default_factory=list)
    skip_before: list[str] = Field(default_factory=list)
    neutral_before: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> LexiconSpec:
        templates: list[tuple[str, str]] = []
        explicit: dict[str, str] = {}
        for cat, spec in self.categories.items():
            for item in spec.phrases:
                ph = item
                text = ph if isinstance(ph, str) else ph.text
                if not text or text != text.strip() or any(c.isspace() for c in text):
                    raise ValueError(f"categories.{cat}: phrase {text!r} is empty or has spaces")
                if text in explicit:
                    raise ValueError(f"phrase {text!r} listed twice ({explicit[text]}, {cat})")
                explicit[text] = cat
                if isinstance(ph, PhraseSpec):
                    if ph.topic is not None and ph.topic not in self.topics:
                        raise ValueError(f"phrase {text!r}: unknown topic {ph.topic!r}")
                    if ph.template is not None:
                        if ph.topic is None:
                            raise ValueError(f"phrase {text!r}: a template needs a topic")
                        templates.append((f"phrase {text!r}", ph.template))
            for combo in spec.combos:
                for part in combo.parts:
                    if not part:
                        raise ValueError(f"categories.{cat}: a combo part is empty")
        seen_nouns: dict[str, str] = {}
        for name, topic in self.topics.items():
            for noun in topic.nouns:
                if noun in seen_nouns:
                    raise ValueError(f"noun {noun!r} in topics {seen_nouns[noun]} and {name}")
                seen_nouns[noun] = name
            for unit, said in topic.unit_says.items():
                if unit not in topic.units:
                    raise ValueError(f"topics.{name}.unit_says: {unit!r} is not in units")
                extra = set(said) - set(topic.nouns)
                if extra:
                    raise ValueError(f"topics.{name}.unit_says.{unit}: not in nouns: {sorted(extra)}")
            if (topic.attributive or topic.predicate) and not (topic.units or topic.unitless):
                raise ValueError(f"topics.{name}: templates need units or unitless")
            for key in ("attributive", "predicate", "generic"):
                t = getattr(topic, key)
                if t is not None:
                    templates.append((f"topics.{name}.{key}", t))
        for where, t in templates:
            try:
                bad = _fields(t) - TEMPLATE_FIELDS
            except ValueError as e:
                raise ValueError(f"{where}: malformed template {t!r}: {e}") from None
            if bad:
                raise ValueError(f"{where}: unknown fields {sorted(bad)} in {t!r}; "
                                 f"allowed: {sorted(TEMPLATE_FIELDS)}")
        for g in self.glue:
            if len(g) != 1:
                raise ValueError(f"glue {g!r} must be one character")
        return self


# --------------------------------------------------------------------------- #
# Compiled lexicon

@dataclass(frozen=True)
class _Entry:
    text: str
    category: str
    topic: str | None = None
    template: str | None = None


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class Lexicon:
    """The compiled lexicon: phrase table, blockers, negation and noun lookups."""

    def __init__(self, spec: LexiconSpec) -> None:
        """Compile ``spec``; ValueError if a blocker contains no phrase."""
        self.spec = spec
        self.categories = spec.categories
        self.topics = spec.topics
        entries: dict[str, _Entry] = {}
        # explicit phrases first (they carry topics), then combos; earlier categories win
        for cat in CATEGORIES:
            for item in spec.categories[cat].phrases if cat in spec.categories else ():
                e = _Entry(item, cat) if isinstance(item, str) else _Entry(
                    item.text, cat, item.topic, item.template)
                entries[e.text] = e
        for cat in CATEGORIES:
            for combo in spec.categories[cat].combos if cat in spec.categories else ():
                words = [""]
                for part in combo.parts:
                    words = [w + p for w in words for p in part]
                for w in words:
                    if w and w not in entries:
                        entries[w] = _Entry(w, cat)
        self.entries = entries
        by_first: dict[str, set[int]] = {}
        for w in entries:
            by_first.setdefault(w[0], set()).add(len(w))
        self.by_first = {c: tuple(sorted(ls, reverse=True)) for c, ls in by_first.items()}

        for b in spec.blockers:
            if not any(w in b for w in entries):
                raise ValueError(f"blockers: {b!r} contains no phrase, so it blocks nothing")
        self.blocker_re = re.compile(_alt(spec.blockers)) if spec.blockers else None
        self.filler_re = re.compile(f"(?:{_alt(spec.negation_fillers)})+$") \
            if spec.negation_fillers else None
        self.negator_re = re.compile(f"(?:{_alt(spec.negators)})$") if spec.negators else None
        self.exception_re = re.compile(f"(?:{_alt(spec.negation_exceptions)})$") \
            if spec.negation_exceptions else None
        self.glue = frozenset(spec.glue)
        self.skip_before = frozenset(spec.skip_before)
        self.neutral_before = frozenset(spec.neutral_before)
        self.noun_topic = {n: name for name, t in spec.topics.items() for n in t.nouns}
        self.noun_lengths = tuple(sorted({len(n) for n in self.noun_topic}, reverse=True))

    def counts(self) -> dict[str, int]:
        """Entries per category after expanding combos (for reports and docs)."""
        out = dict.fromkeys(CATEGORIES, 0)
        for e in self.entries.values():
            out[e.category] += 1
        return out


def _error_text(err: ValidationError) -> str:
    parts = []
    for e in err.errors()[:3]:
        loc = ".".join(str(x) for x in e["loc"]) or "(root)"
        parts.append(f"{loc}: {e['msg']}")
    more = len(err.errors()) - 3
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load and validate a lexicon; ``None`` = the packaged ``vague.yaml``.

    Raises :class:`LexiconError` (a ``ConfigError``) naming the file and field.
    """
    where = "ipwriter/checks/vague.yaml (package data)" if path is None else str(path)
    try:
        if path is None:
            raw = resources.files("ipwriter.checks").joinpath("vague.yaml").read_text("utf-8")
        else:
            raw = Path(path).read_text("utf-8")
    except OSError as e:
        raise LexiconError(f"读不到模糊词词表 {where}",
                           f"cannot read vague lexicon {where}: {e.strerror or e}") from e
    try:
        data: Any = yaml.safe_load(raw)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise LexiconError(
            f"模糊词词表 {where} 不是合法的 YAML" + (f"（第 {line} 行）" if line else ""),
            f"vague lexicon {where} is not valid YAML" + (f" (line {line})" if line else ""),
        ) from e
    if not isinstance(data, dict):
        raise LexiconError(f"模糊词词表 {where} 应是一个映射（mapping）",
                           f"vague lexicon {where} must be a mapping, got {type(data).__name__}")
    try:
        return Lexicon(LexiconSpec.model_validate(data))
    except (ValidationError, ValueError) as e:
        detail = _error_text(e) if isinstance(e, ValidationError) else str(e)
        raise LexiconError(f"模糊词词表 {where} 格式有误：{detail}",
                           f"invalid vague lexicon {where}: {detail}") from e


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The packaged lexicon, compiled once per process."""
    return load_lexicon()


# --------------------------------------------------------------------------- #
# Word boundaries (jieba, only around candidates)

class _Words:
    """jieba token boundaries of ``text``, computed per jieba block on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._jb: Any = None
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        self._tokens: dict[int, tuple[list[int], list[int]]] = {}

    def _jieba(self) -> Any:
        if self._jb is None:
            from ipwriter.knowledge.tokenize import _jieba

            self._jb = _jieba()
            blocks = [m.span() for m in self._jb.re_han_default.finditer(self.text)]
            self._starts = [s for s, _ in blocks]
            self._ends = [e for _, e in blocks]
        return self._jb

    def _block(self, pos: int, inner: bool) -> int | None:
        """Index of the block containing pos (strictly inside if ``inner``)."""
        self._jieba()
        assert self._starts is not None
        k = bisect.bisect_right(self._starts, pos) - 1
        if k < 0:
            return None
        s, e = self._starts[k], self._ends[k]
        if (s < pos < e) if inner else (s <= pos < e):
            return k
        return None

    def _tok(self, k: int) -> tuple[list[int], list[int]]:
        """(token starts, token ends) of block k, absolute offsets."""
        got = self._tokens.get(k)
        if got is None:
            assert self._starts is not None
            s, e = self._starts[k], self._ends[k]
            starts, ends = [], []
            p = s
            for w in self._jb.cut(self.text[s:e], HMM=False):
                starts.append(p)
                p += len(w)
                ends.append(p)
            got = self._tokens[k] = (starts, ends)
        return got

    def boundary(self, pos: int) -> bool:
        k = self._block(pos, inner=True)
        if k is None:
            return True
        starts, _ = self._tok(k)
        i = bisect.bisect_left(starts, pos)
        return i < len(starts) and starts[i] == pos

    def glued(self, start: int, end: int, glue: frozenset[str]) -> bool:
        """end is inside a token that is the match's tail plus one glue character."""
        k = self._block(end, inner=True)
        if k is None or end >= len(self.text) or self.text[end] not in glue:
            return False
        starts, ends = self._tok(k)
        i = bisect.bisect_right(starts, end) - 1
        return i >= 0 and starts[i] >= start and ends[i] == end + 1

    def start_of(self, pos: int, word: str, skip: frozenset[str]) -> int | None:
        """Where ``word`` (found by :meth:`word_before` from pos) starts."""
        while pos > 0:
            k = self._block(pos - 1, inner=False)
            if k is None:
                return None
            starts, ends = self._tok(k)
            i = bisect.bisect_left(ends, pos)
            if i >= len(ends) or ends[i] != pos:
                return None
            if self.text[starts[i]:pos] == word:
                return starts[i]
            if self.text[starts[i]:pos] not in skip:
                return None
            pos = starts[i]
        return None

    def qualifier(self, pos: int, floor: int, neutral: frozenset[str], most: int = 3) -> str:
        """Up to ``most`` words right before pos, back to a neutral word.

        第3期学员 → 第3期, 第3期的学员 → 第3期, 我们的学员 → "" (的 is passed over).
        """
        start, taken = pos, 0
        while taken < most and start > floor:
            k = self._block(start - 1, inner=False)
            if k is None:
                break
            starts, ends = self._tok(k)
            i = bisect.bisect_left(ends, start)
            if i >= len(ends) or ends[i] != start or starts[i] < floor:
                break
            word = self.text[starts[i]:start]
            if word in neutral:
                break
            if word != "的":
                taken += 1
            start = starts[i]
        return self.text[start:pos].rstrip("的")

    def word_before(self, pos: int, floor: int, skip: frozenset[str]) -> str | None:
        """The token ending at pos (skipping adverbs in ``skip``), not before floor."""
        while pos > floor:
            k = self._block(pos - 1, inner=False)
            if k is None:
                return None
            starts, ends = self._tok(k)
            i = bisect.bisect_left(ends, pos)
            if i >= len(ends) or ends[i] != pos or starts[i] < floor:
                return None
            word = self.text[starts[i]:pos]
            if word not in skip:
                return word
            pos = starts[i]
        return None


# --------------------------------------------------------------------------- #
# Clauses, negation, numbers

def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    def delim(i: int) -> bool:
        c = text[i]
        if c in _HARD_DELIMS:
            return True
        if c in _SOFT_DELIMS:
            a = text[i - 1] if i else ""
            b = text[i + 1] if i + 1 < len(text) else ""
            return not (a.isascii() and a.isalnum() and b.isascii() and b.isalnum())
        return False

    s = start
    while s > 0 and not delim(s - 1):
        s -= 1
    e = end
    while e < len(text) and not delim(e):
        e += 1
    return s, e


def _negated(before: str, lex: Lexicon) -> bool:
    if lex.negator_re is None:
        return False
    ctx = lex.filler_re.sub("", before) if lex.filler_re is not None else before
    if lex.exception_re is not None and lex.exception_re.search(ctx):
        return False
    return bool(lex.negator_re.search(ctx))


_NUMERALISH = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億几]")


def _numbers(text: str) -> list[Any]:
    """find_numbers, skipped when no digit or Chinese numeral can start a claim."""
    return find_numbers(text) if _NUMERALISH.search(text) else []


@lru_cache(maxsize=4096)
def _time_set(text: str) -> frozenset[tuple[float, str]]:
    return frozenset((sp.value, sp.unit) for sp in _numbers(text) if sp.unit in TIME_UNITS)


# --------------------------------------------------------------------------- #
# Facts → concrete suggestions

def _fmt_value(v: float) -> str:
    if v.is_integer():
        iv = int(v)
        if iv >= 10000 and iv % 100 == 0:
            return f"{iv / 10000:g}万"
        return str(iv)
    return f"{v:g}"


def _render(fact: Fact) -> str | None:
    """The fact's number as it should be written, or None if it must not be offered."""
    return _render_number(fact.text, fact.value, fact.approx, fact.plus)


@lru_cache(maxsize=4096)
def _render_number(text: str, value: float, approx: bool, plus: bool) -> str | None:
    spans = _numbers(text)
    mod = spans[0].modifier if spans else None
    if mod in _DOWNWARD:
        return None
    num = _fmt_value(value)
    if mod:
        return mod + num
    if approx:
        return "约" + num
    return num + ("多" if plus else "")


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
    return any(sp.unit not in TIME_UNITS for sp in _numbers(subject))


def _pick_fact(topic: TopicSpec, noun: str, facts: Sequence[Fact],
               clause_times: set[tuple[float, str]], qualifier: str | None = None
               ) -> tuple[Fact, str] | None:
    best: tuple[tuple[int, int], Fact, str] | None = None
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
        rank = (topic.kinds.index(f.kind), idx)
        if best is None or rank < best[0]:
            best = (rank, f, num)
    return None if best is None else (best[1], best[2])


# --------------------------------------------------------------------------- #
# The check

def _noun_after(text: str, pos: int, lex: Lexicon, words: _Words) -> tuple[str, int] | None:
    if text.startswith("的", pos):
        pos += 1
    if not words.boundary(pos):
        return None
    for n in lex.noun_lengths:
        cand = text[pos:pos + n]
        if len(cand) == n and cand in lex.noun_topic and words.boundary(pos + n):
            return cand, pos + n
    return None


def _judge(text: str, start: int, end: int, entry: _Entry, lex: Lexicon, words: _Words,
           facts: Sequence[Fact], numbers_cache: dict[str, list[Any]]) -> VagueFinding | None:
    cs, ce = _clause(text, start, end)
    if _negated(text[cs:start], lex):
        return None
    category = lex.categories[entry.category]  # type: ignore[index]

    topic_name, noun, template = entry.topic, None, entry.template
    qualifier: str | None = None  # words narrowing a noun before the phrase: 首期(学员很多)
    stop = end
    if topic_name is not None:
        noun = lex.topics[topic_name].nouns[0]
    else:
        if category.extend_noun:
            after = _noun_after(text, end, lex, words)
            if after is not None:
                noun, stop = after
                topic_name = lex.noun_topic[noun]
                template = lex.topics[topic_name].attributive
        if topic_name is None:
            before = words.word_before(start, cs, lex.skip_before)
            if before is not None and before in lex.noun_topic:
                noun = before
                topic_name = lex.noun_topic[noun]
                template = lex.topics[topic_name].predicate
                noun_start = words.start_of(start, noun, lex.skip_before)
                if noun_start is not None:
                    qualifier = words.qualifier(noun_start, cs, lex.neutral_before) or None

    clause = text[cs:ce]
    spans = numbers_cache.get(clause)
    if spans is None:
        spans = numbers_cache[clause] = _numbers(clause)
    clause_times: set[tuple[float, str]] = set()
    for sp in spans:
        s, e = cs + sp.start, cs + sp.end
        if s < stop and e > start:
            continue  # the phrase itself (十分有效: 十分 is not a claim here)
        if sp.unit in TIME_UNITS:
            clause_times.add((sp.value, sp.unit))
            continue
        return None  # a number beside it: 复购率高达38%

    topic = lex.topics.get(topic_name) if topic_name else None
    suggestion, source = None, None
    if topic is not None and template and facts and noun:
        picked = _pick_fact(topic, noun, facts, clause_times, qualifier)
        if picked is not None:
            fact, num = picked
            suggestion = template.format(n=num, noun=noun, unit=fact.unit or "")
            source = SourceRef(path=fact.source, quote=fact.quote)
    if suggestion is None:
        if topic is not None:
            suggestion = topic.generic.format(n="N", noun=noun or topic.nouns[0], unit="")
        else:
            suggestion = category.generic
    return VagueFinding(text=text[start:stop], start=start, end=stop, category=entry.category,
                        suggestion=suggestion, source=source)


def find_vague(text: str, facts: Sequence[Fact] = (), *,
               lexicon: Lexicon | None = None) -> list[VagueFinding]:
    """Vague words in ``text``, sorted by start and non-overlapping.

    ``facts`` (the creator's number facts) turn generic suggestions into
    concrete ones with a ``source``; ``text[f.start:f.end] == f.text``.
    """
    lex = lexicon if lexicon is not None else default_lexicon()
    if not text:
        return []
    words = _Words(text)
    blocked = [m.span() for m in lex.blocker_re.finditer(text)] if lex.blocker_re else []
    numbers_cache: dict[str, list[Any]] = {}
    out: list[VagueFinding] = []
    by_first, entries = lex.by_first, lex.entries
    n = len(text)
    i = 0
    while i < n:
        lengths = by_first.get(text[i])
        if lengths is None:
            i += 1
            continue
        hit: tuple[int, _Entry] | None = None
        for length in lengths:
            e = i + length
            if e > n:
                continue
            entry = entries.get(text[i:e])
            if entry is None:
                continue
            if any(bs < e and be > i for bs, be in blocked):
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
        finding = _judge(text, i, e, entry, lex, words, facts, numbers_cache)
        if finding is not None:
            out.append(finding)
            i = finding.end
        else:
            i = e  # negated or beside a number: the whole phrase is used up
    return out
