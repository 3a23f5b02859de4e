"""The vague-word lexicon (``vague.yaml``): its schema, validated with pydantic,
and the compiled form :func:`ipwriter.checks.vague.find_vague` matches with.

Four categories of phrases (quantity, intensifier, stock, change), topics
(the noun a phrase is about, with the units and fact kinds that can replace
it), the word lists that decide boundaries and negation, the ``subjects`` an
intensifier such as 很好 must be about, and the words that mark a fact's number
as a sample (:meth:`VagueLexicon.is_sample`). See ``vague.py`` for how a match
is decided.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ipwriter.errors import ConfigError
from ipwriter.knowledge.models import FactKind
from ipwriter.spec import load_spec

__all__ = ["CATEGORIES", "VagueLexicon", "VagueLexiconError", "default_vague_lexicon",
           "load_vague_lexicon"]

Category = Literal["quantity", "intensifier", "stock", "change"]
CATEGORIES: tuple[str, ...] = ("quantity", "intensifier", "stock", "change")
TEMPLATE_FIELDS = frozenset({"n", "noun", "unit"})


class VagueLexiconError(ConfigError):
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
    topic: str | None = None  # 大部分|学员 is about a share of 学员
    about: str | None = None  # a name in ``subjects``: a claim only next to one of them


class CategorySpec(_Strict):
    generic: str = Field(min_length=1)
    extend_noun: bool = False
    skip_questions: bool = False  # "真的有效吗？" asks, it does not claim
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
    sample: str | None = None  # the only fitting facts count a sample: say so


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
    subjects: dict[str, list[str]] = Field(default_factory=dict)
    sample_before: list[str] = Field(default_factory=list)
    sample_after: list[str] = Field(default_factory=list)

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
                if combo.topic is not None and combo.topic not in self.topics:
                    raise ValueError(f"categories.{cat}: combo with unknown topic {combo.topic!r}")
                if combo.about is not None and combo.about not in self.subjects:
                    raise ValueError(f"categories.{cat}: combo about {combo.about!r}, "
                                     f"which is not in subjects")
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
            for key in ("attributive", "predicate", "generic", "sample"):
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
class Entry:
    text: str
    category: str
    topic: str | None = None
    template: str | None = None
    about: frozenset[str] | None = None  # 很好 is a claim only about one of these (课程很好)


_CLAUSE_END = re.compile(r"[，。！？；：、,!?;:（）()【】\[\]\n]")


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class VagueLexicon:
    """The compiled lexicon: phrase table, blockers, negation and noun lookups."""

    def __init__(self, spec: LexiconSpec) -> None:
        """Compile ``spec``; ValueError if a blocker contains no phrase."""
        self.spec = spec
        self.categories = spec.categories
        self.topics = spec.topics
        entries: dict[str, Entry] = {}
        # explicit phrases first (they carry topics), then combos; earlier categories win
        for cat in CATEGORIES:
            for item in spec.categories[cat].phrases if cat in spec.categories else ():
                e = Entry(item, cat) if isinstance(item, str) else Entry(
                    item.text, cat, item.topic, item.template)
                entries[e.text] = e
        for cat in CATEGORIES:
            for combo in spec.categories[cat].combos if cat in spec.categories else ():
                words = [""]
                for part in combo.parts:
                    words = [w + p for w in words for p in part]
                about = frozenset(spec.subjects[combo.about]) if combo.about else None
                for w in words:
                    if w and w not in entries:
                        entries[w] = Entry(w, cat, combo.topic, None, about)
        self.entries = entries
        by_first: dict[str, set[int]] = {}
        for w in entries:
            by_first.setdefault(w[0], set()).add(len(w))
        self.by_first = {c: tuple(sorted(ls, reverse=True)) for c, ls in by_first.items()}
        # where a phrase may start: a draft is scanned from one such character to the next
        self.first_re = re.compile(f"[{re.escape(''.join(sorted(by_first)))}]" if by_first else "(?!)")

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
        self.subject_lengths = tuple(sorted({len(w) for ws in spec.subjects.values() for w in ws
                                             if w}, reverse=True))
        # a fact's number counts a sample (以下5位, 5位学员的真实数据), not a total
        self.sample_before_re = re.compile(f"(?:{_alt(spec.sample_before)})$") \
            if spec.sample_before else None
        self.sample_after_re = re.compile(_alt(spec.sample_after)) if spec.sample_after else None

    def is_sample(self, quote: str, number: str) -> bool:
        """The number (a fact's text, in its quote) counts a sample or a few picked
        cases, not a whole group: a ``sample_before`` word right before it (其中5位,
        以下5位, 这5位) or a ``sample_after`` word after it in its clause
        (5位实战营学员的真实数据)."""
        before_re, after_re = self.sample_before_re, self.sample_after_re
        return bool(number) and any(
            (before_re and before_re.search(_CLAUSE_END.split(quote[:m.start()])[-1].rstrip()))
            or (after_re and after_re.search(_CLAUSE_END.split(quote[m.end():], 1)[0]))
            for m in re.finditer(re.escape(number), quote))


WHAT = ("模糊词词表", "vague lexicon")
PACKAGED = Path(__file__).with_name("vague.yaml")


def load_vague_lexicon(path: str | Path | None = None) -> VagueLexicon:
    """Load and validate a lexicon; ``None`` = the packaged ``vague.yaml``.

    Raises :class:`VagueLexiconError` (a ``ConfigError``) naming the file, line and field.
    """
    where = Path(path) if path is not None else PACKAGED
    source = "ipwriter/checks/vague.yaml (package data)" if path is None else str(path)
    return load_spec(where, LexiconSpec, what=WHAT, error=VagueLexiconError, source=source,
                     build=VagueLexicon)


@lru_cache(maxsize=1)
def default_vague_lexicon() -> VagueLexicon:
    """The packaged lexicon, compiled once per process."""
    return load_vague_lexicon()
