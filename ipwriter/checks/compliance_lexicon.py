"""The compliance lexicon's schema (``compliance.yaml``): entries with their
terms or patterns, level, rule, legal or platform basis, platforms, exceptions
and context rules. Validated with pydantic when loaded; patterns and
exceptions must be written in normalised form (``normalize.py``), because
that is the text they are matched against.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ipwriter.checks.models import Level
from ipwriter.checks.normalize import fold_chars, normalize
from ipwriter.platforms import Platform

__all__ = ["ContextRule", "Entry", "LexiconFile", "fold_term"]



def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None


def _check_folded(pattern: str) -> str:
    """Patterns run on normalised text, so they must be written normalised."""
    literal = re.sub(r"\\.", "", pattern)  # escapes like \S \d are not text
    folded = fold_chars(literal)
    if folded != literal:
        bad = next(a for a, b in zip(literal, folded, strict=False) if a != b)
        raise ValueError(
            f"pattern {pattern!r} must be written in normalised form (simplified, ASCII "
            f"punctuation, lower case): {bad!r} never occurs in normalised text"
        )
    return pattern


def fold_term(term: str) -> str:
    """A literal (term, exception, banned word) in the form it is matched in."""
    return normalize(term).text.strip()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class ContextRule(_Strict):
    before: str | None = None
    after: str | None = None
    then: Literal["drop", "ban", "caution", "evidence"]
    note: str = ""

    @field_validator("before", "after")
    @classmethod
    def _valid_regex(cls, v: str | None) -> str | None:
        if v is not None:
            _compile(_check_folded(v))
        return v

    @model_validator(mode="after")
    def _needs_a_regex(self) -> ContextRule:
        if not self.before and not self.after:
            raise ValueError("a context rule needs 'before' or 'after'")
        return self


class Entry(_Strict):
    id: str = Field(min_length=1)
    rule: str = Field(min_length=1)
    level: Level
    basis: str = Field(min_length=1)
    source: str = Field(min_length=1)
    platforms: list[Platform] = Field(default_factory=list)
    platform_levels: dict[Platform, Level] = Field(default_factory=dict)
    terms: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list)
    contexts: list[str] = Field(default_factory=list)
    suggestion: str = Field(min_length=1)
    replacements: list[str] = Field(default_factory=list)
    yields: bool = False  # a wide pattern: only reported where no other finding is

    @field_validator("terms", "exceptions", "replacements")
    @classmethod
    def _no_blank(cls, items: list[str]) -> list[str]:
        items = [str(i) for i in items]
        if any(not fold_term(i) for i in items):
            raise ValueError("empty item in list")
        return items

    @field_validator("patterns")
    @classmethod
    def _valid_patterns(cls, items: list[str]) -> list[str]:
        for p in items:
            if _compile(_check_folded(p)).search("") is not None:
                raise ValueError(f"pattern {p!r} matches the empty string")
        return items

    @model_validator(mode="after")
    def _consistent(self) -> Entry:
        if not self.terms and not self.patterns:
            raise ValueError("an entry needs 'terms' or 'patterns'")
        stray = set(self.platform_levels) - set(self.platforms)
        if stray:
            raise ValueError(f"platform_levels names platforms not in 'platforms': {sorted(stray)}")
        if self.terms and not self.patterns:
            folded_terms = [fold_term(t) for t in self.terms]
            for x in self.exceptions:
                if not any(t in fold_term(x) for t in folded_terms):
                    raise ValueError(f"exception {x!r} contains none of the entry's terms")
        return self


class LexiconFile(_Strict):
    version: Literal[1]
    contexts: dict[str, ContextRule] = Field(default_factory=dict)
    entries: list[Entry] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> LexiconFile:
        seen: set[str] = set()
        for e in self.entries:
            if e.id in seen:
                raise ValueError(f"duplicate entry id {e.id!r}")
            seen.add(e.id)
            unknown = [c for c in e.contexts if c not in self.contexts]
            if unknown:
                raise ValueError(
                    f"entry {e.id!r} uses unknown context(s) {unknown}; "
                    f"defined: {sorted(self.contexts)}"
                )
        return self
