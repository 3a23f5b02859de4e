"""Text normalisation for matching, with a map back to the original offsets.

Checks match a folded copy of the text, then report spans of the text as
written. ``normalize(text)`` returns that copy together with, for every
character of it, the span of the original it came from, so a match
``norm.text[a:b]`` is ``text[norm.span(a, b)]`` in the original.

Folding, in order, per original character (a base character and the
combining marks after it are folded together):

1. Unicode NFKC: full-width Latin, digits and punctuation become ASCII
   (``ＮＯ．１`` → ``NO.1``, ``，`` → ``,``, ideographic space → space).
2. Traditional → simplified, character by character (OpenCC ``t2s``). Per
   character on purpose: every folded character keeps one original position.
   Phrase-level conversion (乾隆 stays 乾隆) is not needed for a lexicon.
3. Latin lower case.
4. Zero-width and other invisible format characters (ZWSP, ZWJ, BOM, soft
   hyphen, variation selectors …) are dropped.
5. Horizontal whitespace between two Chinese characters is dropped
   (``全 网 最 低`` → ``全网最低``). Line breaks are kept: a paragraph break is
   a real boundary. Whitespace anywhere else is kept as it is.

The usual draft (every character folds to exactly one, nothing dropped) takes
a fast path with identity offsets; ``_normalize_slow`` is the reference and the
tests check that both agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

__all__ = ["Normalized", "fold_chars", "is_cjk", "normalize"]

_T2S = opencc.OpenCC("t2s")

# Invisible characters that are not category Cf but still hide inside words.
_INVISIBLE_EXTRA = {"\u115f", "\u1160", "\u3164", "\uffa0"}  # Hangul fillers
_LINE_BREAKS = {"\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"}


def is_cjk(ch: str) -> bool:
    """A Chinese (Han) character, in any of the common blocks."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x323AF
        or 0xF900 <= o <= 0xFAFF
        or o == 0x3007  # 〇
    )


def _invisible(ch: str) -> bool:
    o = ord(ch)
    return (
        unicodedata.category(ch) == "Cf"
        or 0xFE00 <= o <= 0xFE0F  # variation selectors
        or 0xE0100 <= o <= 0xE01EF
        or ch in _INVISIBLE_EXTRA
    )


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """t2s + lower case for one already-NFKC character; '' if invisible."""
    if _invisible(ch):
        return ""
    if ord(ch) >= 0x2E80:
        simplified = _T2S.convert(ch)
        if len(simplified) == 1:
            ch = simplified
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


@lru_cache(maxsize=8192)
def _fold_cluster(cluster: str) -> str:
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFKC", cluster))


def fold_chars(text: str) -> str:
    """The folding without the offset map and without the whitespace rule;
    used to check that lexicon patterns are written in folded form."""
    return "".join(_fold_cluster(c) for c in text)


@dataclass(frozen=True, slots=True)
class Normalized:
    """A folded copy of ``original`` and, per folded character, the span
    ``[starts[i], ends[i])`` of the original it came from."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span ``[start, end)`` (end > start)."""
        return self.starts[start], self.ends[end - 1]

    def original_text(self, start: int, end: int) -> str:
        s, e = self.span(start, end)
        return self.original[s:e]


# Horizontal whitespace between two Chinese characters (after folding).
_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
_CJK_GAP = re.compile(f"[{_CJK}][^\\S\n\r\u2028\u2029\x0b\x0c\x85]+[{_CJK}]")
_FOLD1: dict[str, str] = {}
_FOLD1_TABLE: dict[int, str] = {}  # the same, for str.translate (one character to one)
_IRREGULAR: set[str] = set()  # characters that fold to zero or several characters


def _fold1(ch: str) -> str:
    folded = _FOLD1.get(ch)
    if folded is None:
        folded = _fold_cluster(ch) if ch >= "\x80" else ch.lower()
        if len(folded) != 1:
            _IRREGULAR.add(ch)
        else:
            _FOLD1_TABLE[ord(ch)] = folded
        _FOLD1[ch] = folded  # last: a character in _FOLD1 is in the table or irregular
    return folded


def normalize(text: str) -> Normalized:
    # Fast path, the usual case: every character folds to exactly one character,
    # no combining marks, no whitespace to drop. Then offsets are the identity.
    # The tests are on the draft's distinct characters, and the folding is one
    # str.translate: no Python call per character of a long draft.
    if len(_FOLD1) < 65536:
        chars = set(text)
        for ch in chars.difference(_FOLD1):
            _fold1(ch)
        if _IRREGULAR.isdisjoint(chars) and not any(map(unicodedata.combining, chars)):
            folded = text.translate(_FOLD1_TABLE)
            if not _CJK_GAP.search(folded):
                n = len(text)
                return Normalized(text, folded, tuple(range(n)), tuple(range(1, n + 1)))
    return _normalize_slow(text)


def _normalize_slow(text: str) -> Normalized:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    # Horizontal whitespace waiting to learn what follows it:
    pending: list[tuple[str, int, int]] = []

    def emit(ch: str, s: int, e: int) -> None:
        if ch.isspace() and ch not in _LINE_BREAKS:
            pending.append((ch, s, e))
            return
        if pending:
            # Drop whitespace only between two Chinese characters.
            if not (out and is_cjk(out[-1]) and is_cjk(ch)):
                for pc, ps, pe in pending:
                    out.append(pc)
                    starts.append(ps)
                    ends.append(pe)
            pending.clear()
        out.append(ch)
        starts.append(s)
        ends.append(e)

    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        j = i + 1
        if ch < "\x80" and (j == n or text[j] < "\u0300"):
            emit(ch.lower(), i, j)
            i = j
            continue
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for folded in _fold_cluster(text[i:j]):
            emit(folded, i, j)
        i = j
    for pc, ps, pe in pending:
        out.append(pc)
        starts.append(ps)
        ends.append(pe)
    return Normalized(text, "".join(out), tuple(starts), tuple(ends))
