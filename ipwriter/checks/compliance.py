"""广告法 and platform-rule check: lexicon matching with offsets into the draft.

The lexicon (``compliance.yaml`` beside this file) lists terms and regular
expressions, each with a level (ban / caution / evidence), a rule name, the
legal or platform basis, the platforms it applies to, exception phrases and
context rules. It is validated with pydantic and compiled once (cached).

How a draft is checked:

1. The text is normalised (``normalize.py``): NFKC, traditional → simplified,
   lower case, zero-width characters and spaces between Chinese characters
   removed, with a map back to the original offsets.
2. Candidates: terms through one Aho-Corasick automaton (plus a small one for
   the creator's own banned words), patterns through ``re``. Entries that do
   not apply to the requested platform are skipped here. A term that starts
   or ends with a Latin letter or digit must sit on a Latin word boundary.
   A candidate covered by one of its entry's exception phrases is dropped.
3. Context rules of each candidate's entry (named source before the claim,
   self-comparison, negation, an ordinal …) may drop it or change its level.
4. Resolution: leftmost-longest, non-overlapping over what is left (ties: the
   stricter level, then lexicon order, the creator's words last); entries
   marked ``yields`` (wide patterns such as a student's result in selling
   copy) only take what no other finding covers.

Platforms: with ``platform`` given, only entries whose ``platforms`` is empty
or contains it are reported, at ``platform_levels[platform]`` if set, else at
``level``. With ``platform=None`` every entry is reported, platform entries
too, at their ``level`` (the strictest one), and each finding's ``platforms``
names where it applies (empty: everywhere), so the caller can filter or
explain. A finding's ``text`` is always ``original[start:end]``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, get_args

import ahocorasick

from ipwriter.checks.compliance_lexicon import LexiconFile, fold_term
from ipwriter.checks.models import ComplianceFinding
from ipwriter.checks.normalize import Normalized, normalize
from ipwriter.errors import ConfigError
from ipwriter.platforms import Platform, check_platform
from ipwriter.spec import load_spec, parse_spec
from ipwriter.text.split import Marks

__all__ = [
    "DEFAULT_LEXICON",
    "ComplianceLexicon",
    "ComplianceLexiconError",
    "check_compliance",
    "default_compliance_lexicon",
    "load_compliance_lexicon",
    "parse_compliance_lexicon",
]

DEFAULT_LEXICON = Path(__file__).with_name("compliance.yaml")
WHAT = ("合规词库", "compliance lexicon")

PROFILE_RULE = "创作者自定禁用词"
PROFILE_BASIS = "创作者档案 profile.yaml 的 banned_words"
PROFILE_SUGGESTION = "这是你在 profile.yaml 里设的禁用词：删掉或换一种说法。"

_SEVERITY = {"ban": 0, "caution": 1, "evidence": 2}
_PLATFORM_ORDER = list(get_args(Platform))
_WINDOW = 40  # characters of context looked at on each side of a match


class ComplianceLexiconError(ConfigError):
    """The compliance lexicon is not valid YAML or does not match the schema."""


# ---------------------------------------------------------------- compiled


@dataclass(frozen=True, slots=True)
class _Context:
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    then: str
    note: str


@dataclass(frozen=True, slots=True)
class _Rule:
    """One lexicon entry (or the creator's own banned words), ready to match."""

    order: int
    id: str
    rule: str
    level: str
    basis: str
    suggestion: str
    platforms: tuple[str, ...]
    platform_levels: dict[str, str]
    patterns: tuple[re.Pattern[str], ...]
    exceptions: tuple[str, ...]
    contexts: tuple[_Context, ...]
    yields: bool = False

    def applies(self, platform: str | None) -> bool:
        return platform is None or not self.platforms or platform in self.platforms

    def level_for(self, platform: str | None) -> str:
        return self.platform_levels.get(platform, self.level) if platform else self.level


# (start, end, severity, order, rule) in normalised offsets
_Candidate = tuple[int, int, int, int, _Rule]


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _on_boundary(text: str, start: int, end: int) -> bool:
    """Latin edges of a literal must not run into more Latin letters/digits."""
    if _latin(text[start]) and start > 0 and _latin(text[start - 1]):
        return False
    if _latin(text[end - 1]) and end < len(text) and _latin(text[end]):
        return False
    return True


def _covered(text: str, start: int, end: int, exceptions: tuple[str, ...]) -> bool:
    """True if an occurrence of an exception phrase covers [start, end)."""
    for x in _holding(exceptions, text[start:end]):
        n = len(x)
        if text.find(x, end - n if end > n else 0, start + n) >= 0:
            return True
    return False


@lru_cache(maxsize=4096)
def _holding(exceptions: tuple[str, ...], match: str) -> tuple[str, ...]:
    """The exceptions that hold ``match``: only they can cover it (a rule has up to
    two dozen, and a long draft matches the rule thousands of times)."""
    return tuple(x for x in exceptions if match in x)


def _build_automaton(words: Iterable[tuple[str, Any]]) -> ahocorasick.Automaton | None:
    table: dict[str, list[Any]] = {}
    for word, value in words:
        table.setdefault(word, []).append(value)
    if not table:
        return None
    automaton = ahocorasick.Automaton()
    for word, values in table.items():
        automaton.add_word(word, (len(word), tuple(values)))
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=64)
def _profile_matcher(words: tuple[str, ...]) -> ahocorasick.Automaton | None:
    return _build_automaton((w, None) for w in map(fold_term, words) if w)


_PROFILE_RULE = _Rule(
    order=1_000_000, id="banned-word", rule=PROFILE_RULE, level="ban", basis=PROFILE_BASIS,
    suggestion=PROFILE_SUGGESTION, platforms=(), platform_levels={}, patterns=(),
    exceptions=(), contexts=(),
)


class ComplianceLexicon:
    """A validated, compiled lexicon. Use ``check`` on a draft."""

    def __init__(self, data: LexiconFile) -> None:
        self.data = data
        contexts = {
            name: _Context(
                re.compile(c.before) if c.before else None,
                re.compile(c.after) if c.after else None,
                c.then,
                c.note,
            )
            for name, c in data.contexts.items()
        }
        self.rules: list[_Rule] = []
        terms: list[tuple[str, _Rule]] = []
        for order, e in enumerate(data.entries):
            suggestion = e.suggestion
            if e.replacements:
                suggestion += "可改为：" + "、".join(e.replacements)
            rule = _Rule(
                order=order, id=e.id, rule=e.rule, level=e.level, basis=e.basis, suggestion=suggestion,
                platforms=tuple(e.platforms), platform_levels=dict(e.platform_levels),
                patterns=tuple(re.compile(p) for p in e.patterns),
                exceptions=tuple(fold_term(x) for x in e.exceptions),
                contexts=tuple(contexts[c] for c in e.contexts), yields=e.yields,
            )
            self.rules.append(rule)
            terms.extend((fold_term(t), rule) for t in e.terms)
        self._automaton = _build_automaton(terms)

    def platform_rules(self, platform: str) -> list[Any]:
        """The entries written for this platform alone (its diversion and bait rules)."""
        return [e for e in self.data.entries if platform in e.platforms]

    # -------------------------------------------------------------- check

    def check(
        self,
        text: str,
        platform: str | None = None,
        banned_words: Sequence[str] = (),
    ) -> list[ComplianceFinding]:
        """Compliance findings for ``text``, sorted by start."""
        platform = _valid_platform(platform)
        if not text:
            return []
        norm = normalize(text)
        candidates = self._candidates(norm.text, platform, banned_words)
        # one rule written per platform (站外导流 on 小红书 and on 抖音): where it applies
        where: dict[tuple[int, int, str], set[str]] = {}
        for start, end, _sev, _order, rule in candidates:
            if rule.platforms:
                where.setdefault((start, end, rule.rule), set()).update(rule.platforms)
        # context rules first (a 第一 that is an order is no claim and hides nothing),
        # then leftmost-longest among what is left (see _resolve)
        marks = Marks(norm.text)  # the sentence around each finding, for context rules
        judged: list[_Candidate] = []
        found: dict[tuple[int, int, int], ComplianceFinding] = {}
        # longer readings a context cancelled that still reach past the scan (a handful:
        # the list is cut as the scan moves on, so a long draft stays linear)
        dropped: list[tuple[int, int]] = []
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        for start, end, _sev, order, rule in candidates:
            if dropped:
                dropped = [d for d in dropped if d[0] > start]
                if any(o == order and end <= e for e, o in dropped):
                    continue  # 不保证3个月回本: its 回本 goes with it
            finding = _finding(norm, marks, start, end, rule, platform)
            if finding is None:
                dropped.append((end, order))
            else:
                if rule.platforms:
                    finding.platforms = sorted(where[(start, end, rule.rule)], key=_PLATFORM_ORDER.index)
                judged.append((start, end, _SEVERITY[finding.level], order, rule))
                found[(start, end, order)] = finding
        return [found[(c[0], c[1], c[3])] for c in _resolve(judged)]

    def _candidates(
        self, t: str, platform: str | None, banned_words: Sequence[str]
    ) -> list[_Candidate]:
        out: list[_Candidate] = []

        def add_literals(automaton: ahocorasick.Automaton | None, profile: bool) -> None:
            if automaton is None:
                return
            for last, (length, rules) in automaton.iter(t):
                start, end = last - length + 1, last + 1
                if not _on_boundary(t, start, end):
                    continue
                for rule in rules:
                    rule = _PROFILE_RULE if profile else rule
                    if not rule.applies(platform):
                        continue
                    if rule.exceptions and _covered(t, start, end, rule.exceptions):
                        continue
                    out.append((start, end, _SEVERITY[rule.level_for(platform)], rule.order, rule))

        add_literals(self._automaton, profile=False)
        if banned_words:
            add_literals(_profile_matcher(tuple(banned_words)), profile=True)
        for rule in self.rules:
            if not rule.patterns or not rule.applies(platform):
                continue
            severity = _SEVERITY[rule.level_for(platform)]
            for pattern in rule.patterns:
                for m in pattern.finditer(t):
                    start, end = m.span()
                    if start == end:
                        continue
                    if rule.exceptions and _covered(t, start, end, rule.exceptions):
                        continue
                    out.append((start, end, severity, rule.order, rule))
        return out


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping matches, leftmost-longest (ties: the stricter level, then
    lexicon order); a wide rule that ``yields`` (a student's result told in
    selling copy) only fills what the others leave, so it never hides a 月入
    promise inside it."""
    def order(c: _Candidate) -> tuple[int, int, int, int]:
        return c[0], c[0] - c[1], c[2], c[3]

    chosen: list[_Candidate] = []
    last_end = 0
    for c in sorted((c for c in candidates if not c[4].yields), key=order):
        if c[0] >= last_end:
            chosen.append(c)
            last_end = c[1]
    # the chosen spans are sorted and disjoint, so their ends rise too: the last one
    # starting before a wide match ends is the only one that can overlap it
    starts, ends = [c[0] for c in chosen], [c[1] for c in chosen]
    wide: list[_Candidate] = []
    last_end = 0
    for c in sorted((c for c in candidates if c[4].yields), key=order):
        k = bisect.bisect_left(starts, c[1])
        if c[0] >= last_end and not (k and ends[k - 1] > c[0]):
            wide.append(c)
            last_end = c[1]
    return sorted(chosen + wide, key=lambda c: c[0]) if wide else chosen


def _sentence_around(marks: Marks, start: int, end: int) -> tuple[str, str]:
    """The text before and after a match within its sentence, at most _WINDOW each."""
    s, e = marks.sentence(start, end, window=_WINDOW)
    return marks.text[s:start], marks.text[end:e]


def _finding(
    norm: Normalized, marks: Marks, start: int, end: int, rule: _Rule, platform: str | None
) -> ComplianceFinding | None:
    level = rule.level_for(platform)
    suggestion = rule.suggestion
    if rule.contexts:
        before, after = _sentence_around(marks, start, end)
        for ctx in rule.contexts:
            if ctx.before is not None and not ctx.before.search(before):
                continue
            if ctx.after is not None and not ctx.after.search(after):
                continue
            if ctx.then == "drop":
                return None
            level = ctx.then
            if ctx.note:
                suggestion = f"{ctx.note}{suggestion}"
            break
    s, e = norm.span(start, end)
    return ComplianceFinding(
        text=norm.original[s:e], start=s, end=e, level=level, rule=rule.rule,
        basis=rule.basis, suggestion=suggestion, platforms=list(rule.platforms), id=rule.id,
    )


def _valid_platform(platform: str | None) -> str | None:
    return check_platform(platform) if platform else None


# ------------------------------------------------------------------ loading


def parse_compliance_lexicon(text: str, source: str = "compliance.yaml") -> ComplianceLexicon:
    """Validate and compile a lexicon from YAML text; ComplianceLexiconError if malformed."""
    return parse_spec(text, LexiconFile, source=source, what=WHAT, error=ComplianceLexiconError,
                      build=ComplianceLexicon)


def load_compliance_lexicon(path: Path | str | None = None) -> ComplianceLexicon:
    """Load a lexicon file (default: the packaged ``compliance.yaml``). Not cached."""
    return load_spec(Path(path) if path is not None else DEFAULT_LEXICON, LexiconFile, what=WHAT,
                     error=ComplianceLexiconError, build=ComplianceLexicon)


@cache
def default_compliance_lexicon() -> ComplianceLexicon:
    """The packaged lexicon, loaded and compiled once per process."""
    return load_compliance_lexicon(DEFAULT_LEXICON)


def check_compliance(
    text: str,
    platform: str | None = None,
    banned_words: Sequence[str] = (),
) -> list[ComplianceFinding]:
    """广告法 / platform findings for ``text``, sorted by start.

    ``platform``: one of ``xiaohongshu | douyin | wechat | moments | live`` or
    None (report platform entries for every platform, at their default level,
    with ``platforms`` naming where they apply). ``banned_words``: the
    creator's own (``CreatorProfile.banned_words``), reported as ``ban``.
    """
    return default_compliance_lexicon().check(text, platform, banned_words)
