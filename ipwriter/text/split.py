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
"""

from __future__ import annotations

import re

SENTENCE_ENDS = "。！？!?；;…"
_SENTENCE = re.compile(r".+?(?:[。！？!?；;…]+[”’」』）)\"']*|\n|$)", re.S)
_HARD = frozenset(SENTENCE_ENDS + "，、（）()\n\r")
_SOFT = frozenset(",.．")
_SENTENCE_MARKS = frozenset(SENTENCE_ENDS + "\n\r")


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
    """(s, e): the clause holding ``text[start:end]``, without its marks."""
    s = start
    while s > 0 and not is_clause_mark(text, s - 1):
        s -= 1
    e = end
    while e < len(text) and not is_clause_mark(text, e):
        e += 1
    return s, e


def sentence_bounds(text: str, start: int, end: int, window: int | None = None) -> tuple[int, int]:
    """(s, e): the sentence holding ``text[start:end]``, without its end mark;
    with ``window``, at most that many characters on each side."""
    floor = 0 if window is None else max(0, start - window)
    ceiling = len(text) if window is None else min(len(text), end + window)
    s = start
    while s > floor and text[s - 1] not in _SENTENCE_MARKS:
        s -= 1
    e = end
    while e < ceiling and text[e] not in _SENTENCE_MARKS:
        e += 1
    return s, e
