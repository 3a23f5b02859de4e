"""The one jieba instance, with the domain's own words added so 私域, 起号营,
复购率 stay whole, and word boundaries found with it. Shared by BM25 tokens
and the vague-word check; jieba loads on first use (about a second).

:class:`Words` segments only the jieba block (a run of Han characters and
letters, which jieba segments independently) around the position asked
about, with dictionary words only (``HMM=False``): the HMM glues unknown runs
into pseudo-words (这门|课卖|爆了) that would hide real phrases."""

from __future__ import annotations

import bisect
import logging
import threading
from functools import lru_cache
from typing import Any

DOMAIN_WORDS = (
    "私域", "公域", "起号", "起号营", "引流品", "引流产品", "明星产品", "非标产品", "实战营",
    "复购", "复购率", "完播率", "转化率", "客单价", "在线峰值", "涨粉", "掉粉", "私信", "朋友圈",
    "社群", "直播间", "口播", "小红书", "抖音", "视频号", "公众号", "他证", "自证", "复盘", "投流",
    "价格锚点", "转介绍", "一对一", "诊断", "交付", "续费", "留存", "加微信", "GMV", "A/B",
)
_lock = threading.Lock()


@lru_cache(maxsize=1)
def jieba() -> Any:
    """The shared jieba module, initialised with :data:`DOMAIN_WORDS`."""
    import jieba as jb

    jb.setLogLevel(logging.WARNING)
    with _lock:
        for w in DOMAIN_WORDS:
            jb.add_word(w, freq=20000)
        jb.initialize()
    return jb


@lru_cache(maxsize=4096)
def _token_lengths(block: str) -> tuple[int, ...]:
    """jieba's tokens of one block, as lengths. Shared by every :class:`Words`:
    the number grammar and the vague-word check segment the same blocks of a
    draft (and a draft repeats its phrases), so each is segmented once."""
    return tuple(len(w) for w in jieba().cut(block, HMM=False))


class Words:
    """jieba token boundaries of ``text``, computed per jieba block on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._jb: Any = None
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        self._tokens: dict[int, tuple[list[int], list[int]]] = {}

    def _jieba(self) -> Any:
        if self._jb is None:
            self._jb = jieba()
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
            for n in _token_lengths(self.text[s:e]):
                starts.append(p)
                p += n
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
