"""Sentences and clauses: one splitter for chunking, facts and every check.

A **sentence** ends at 。！？!?；;… (with any closing quotes or brackets right
after them) or at a line break. A **clause** is smaller: it also ends at
，、（）() and their ASCII forms. An ASCII comma or full stop is a clause mark
only where it does not sit inside a number or a Latin word ("1,999", "2.3",
"v1.2" are one piece each); a colon never ends a clause, because in
"购买9.9元起号营：1104人" the label before the colon names the number.

Examples::

    sentences("涨粉2.3万。复购率38%！\\n下一步")  →  ["涨粉2.3万。", "复购率38%！", "\\n", "下一步"]
    clause_bounds("首期学员126人，复购率38%", 11, 14)  →  (7, 14)   # "复购率38%"

A clause reaches at most :data:`CLAUSE_REACH` characters on each side of what
it holds, a sentence :data:`SENTENCE_REACH`: real ones are far shorter (the
longest of the precision corpus's 100 pieces: 41 and 95 characters), and a
text with no marks at all (one 100,000-character line) would otherwise make
every lookup, and the work done on what it returns, as long as the text —
quadratic over a draft. A check that looks up many places in one text builds
:class:`Marks` once: each lookup is then a binary search.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property

SENTENCE_ENDS = "。！？!?；;…"
_SENTENCE = re.compile(r".+?(?:[。！？!?；;…]+[”’」』）)\"']*|\n|$)", re.S)
_HARD = frozenset(SENTENCE_ENDS + "，、（）()\n\r")
_SOFT = frozenset(",.．")
_SENTENCE_MARKS = frozenset(SENTENCE_ENDS + "\n\r")
# the same marks as patterns, to find them all in one pass (see is_clause_mark)
_CLAUSE_MARK = re.compile(f"[{re.escape(''.join(sorted(_HARD)))}]"
                          f"|(?<![A-Za-z0-9])[{re.escape(''.join(sorted(_SOFT)))}]"
                          f"|[{re.escape(''.join(sorted(_SOFT)))}](?![A-Za-z0-9])")
_SENTENCE_MARK = re.compile(f"[{re.escape(''.join(sorted(_SENTENCE_MARKS)))}]")

#: How far a clause or a sentence reaches on each side of what it holds.
CLAUSE_REACH = 200
SENTENCE_REACH = 400


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, each with its end mark; blank pieces dropped.
    Joined back together they give ``text`` minus whitespace-only pieces."""
    return [s for s in (m.group(0) for m in _SENTENCE.finditer(text)) if s.strip()]


def clauses(text: str) -> list[str]:
    """``text`` cut after every clause mark (each piece keeps its mark); joined
    back together they give ``text``. Used to split a sentence too long for a chunk."""
    pieces, start = [], 0
    for i in range(len(text)):
        if is_clause_mark(text, i):
            pieces.append(text[start:i + 1])
            start = i + 1
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def is_clause_mark(text: str, i: int) -> bool:
    """Does ``text[i]`` end a clause?"""
    c = text[i]
    if c in _HARD:
        return True
    if c in _SOFT:
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        return not (_alnum(before) and _alnum(after))
    return False


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(s, e): the clause holding ``text[start:end]``, without its marks
    (at most :data:`CLAUSE_REACH` characters on each side)."""
    floor, ceiling = max(0, start - CLAUSE_REACH), min(len(text), end + CLAUSE_REACH)
    s = start
    while s > floor and not is_clause_mark(text, s - 1):
        s -= 1
    e = end
    while e < ceiling and not is_clause_mark(text, e):
        e += 1
    return s, e


def sentence_bounds(text: str, start: int, end: int, window: int | None = None) -> tuple[int, int]:
    """(s, e): the sentence holding ``text[start:end]``, without its end mark;
    at most ``window`` characters on each side (:data:`SENTENCE_REACH` at most)."""
    reach = SENTENCE_REACH if window is None else min(window, SENTENCE_REACH)
    floor, ceiling = max(0, start - reach), min(len(text), end + reach)
    s = start
    while s > floor and text[s - 1] not in _SENTENCE_MARKS:
        s -= 1
    e = end
    while e < ceiling and text[e] not in _SENTENCE_MARKS:
        e += 1
    return s, e


class Marks:
    """Where the clauses and sentences of one text end, found in one pass.

    ``clause`` and ``sentence`` give what :func:`clause_bounds` and
    :func:`sentence_bounds` give, by binary search: a check that looks up the
    clause of every number in a long draft does not walk the text again each
    time."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _clause(self) -> list[int]:
        return [m.start() for m in _CLAUSE_MARK.finditer(self.text)]

    @cached_property
    def _sentence(self) -> list[int]:
        return [m.start() for m in _SENTENCE_MARK.finditer(self.text)]

    def clause(self, start: int, end: int) -> tuple[int, int]:
        return _between(self._clause, len(self.text), start, end, CLAUSE_REACH)

    def sentence(self, start: int, end: int, window: int | None = None) -> tuple[int, int]:
        reach = SENTENCE_REACH if window is None else min(window, SENTENCE_REACH)
        return _between(self._sentence, len(self.text), start, end, reach)

    def cut(self, s: int, e: int) -> bool:
        """Did :data:`CLAUSE_REACH` cut the clause text[s:e] short (no mark near enough)?"""
        return (s > 0 and not _has(self._clause, s - 1)) or (e < len(self.text)
                                                              and not _has(self._clause, e))


def _has(marks: list[int], i: int) -> bool:
    k = bisect.bisect_left(marks, i)
    return k < len(marks) and marks[k] == i


def _between(marks: list[int], n: int, start: int, end: int, reach: int) -> tuple[int, int]:
    """Just after the last mark before ``start`` and at the first mark at or after
    ``end``, no further than ``reach`` from either."""
    k = bisect.bisect_left(marks, start)
    s = marks[k - 1] + 1 if k and marks[k - 1] >= start - reach else start - reach
    k = bisect.bisect_left(marks, end, k)
    e = marks[k] if k < len(marks) else n
    return (s if s > 0 else 0), (e if e < end + reach else end + reach)
