"""BM25 over the catalog's jieba tokens, with no model at all.

:class:`LexicalIndex` is the lexical half of the hybrid search (and the IDF
table its sentence rerank uses). :class:`CatalogSearcher` is the same index
over the catalog opened read-only — no embedder, no Chroma, no store lock —
so a brief (``ipwriter brief``) is made in well under a second, even while
another process ingests. Its results are re-ordered by best sentence like the
hybrid search's, so the two agree on what a passage is about.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ipwriter.errors import ConfigError
from ipwriter.knowledge.catalog import generation_of, query_facts, read_only
from ipwriter.knowledge.models import Evidence, Fact
from ipwriter.knowledge.tokenize import number_tokens, tokens
from ipwriter.text.split import sentences

CANDIDATES = 50  # from each of dense and BM25
_VALUE = re.compile(r"^#[-+0-9.e]+")  # a number token's value ("#143天" → "天", "#1.5e+06元" → "元")
SENTENCE_WEIGHT = 1.0
Row = tuple[str, str, int, str, str, str, str]  # id, source, ord, title, headings, text, tokens
CHUNK_SQL = "SELECT id, source, ord, title, headings, text, tokens FROM chunks ORDER BY source, ord"


class LexicalIndex:
    """BM25 (bm25s) over chunk rows, and the IDF of every token."""

    def __init__(self, rows: Sequence[Row]) -> None:
        import bm25s

        self.ids = [r[0] for r in rows]
        self.sources = np.array([r[1] for r in rows], dtype=object)
        corpus = [r[6].split(" ") if r[6] else [] for r in rows]
        df: dict[str, int] = {}
        for toks in corpus:
            for t in set(toks):
                df[t] = df.get(t, 0) + 1
        self.n = max(1, len(corpus))
        self.idf_of = {t: float(np.log(1 + (self.n - c + 0.5) / (c + 0.5))) for t, c in df.items()}
        self.bm25 = None
        if corpus:
            self.bm25 = bm25s.BM25()
            self.bm25.index(corpus, show_progress=False)

    def idf(self, token: str) -> float:
        return self.idf_of.get(token, float(np.log(1 + self.n)))

    def scored(self, query_tokens: list[str], allowed: set[str] | None = None,
               n: int = CANDIDATES) -> list[tuple[str, float]]:
        """The best ``n`` (chunk id, BM25 score), best first; only ids in ``allowed``."""
        if self.bm25 is None or not query_tokens:
            return []
        scores = self.bm25.get_scores(query_tokens)
        if allowed is not None:
            mask = np.fromiter((i in allowed for i in self.ids), dtype=bool, count=len(self.ids))
            scores = np.where(mask, scores, 0.0)
        top = np.argpartition(-scores, min(n, len(scores) - 1))[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def ids_of(self, sources: Sequence[str]) -> list[str]:
        wanted = set(sources)
        return [i for i, s in zip(self.ids, self.sources) if s in wanted]


@lru_cache(maxsize=65536)
def _sentences(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """A chunk's sentences, each with its number and ordinal tokens (cached:
    popular chunks come back query after query)."""
    return tuple((s.lower(), frozenset(number_tokens(s))) for s in sentences(text))


def rerank_by_sentence(query_tokens: list[str], fused: list[tuple[str, float]],
                       texts: dict[str, str], idf, weight: float = SENTENCE_WEIGHT,
                       units: frozenset[str] = frozenset(), unit_share: float = 0.0) -> list[tuple[str, float]]:
    """Add to each candidate's scaled fused score the share of the query's IDF
    weight held by its best single sentence (plus ``unit_share`` when the sentence holds a
    number in one of ``units``, what the question asks for); best first. A word token counts
    when the sentence contains it (jieba's search sub-words make this close to
    token presence, without segmenting every candidate sentence per query)."""
    if not fused:
        return []
    idfs = {t: idf(t) for t in set(query_tokens)}
    total = sum(idfs.values()) or 1.0
    words = [(t, w) for t, w in idfs.items() if not t.startswith(("#", "第"))]
    marks = [(t, w) for t, w in idfs.items() if t.startswith(("#", "第"))]
    # an ordinal the query names (第4期): a sentence about another one (第3期) answers
    # a different question, so the query's weight for it counts against that sentence
    ordinals = [(t, t[-1], w) for t, w in marks if t.startswith("第")]
    hi, lo = fused[0][1], fused[-1][1]
    scored = []
    for cid, score in fused:
        best = 0.0
        for sentence, nums in _sentences(texts.get(cid, "")):
            held = sum(w for t, w in words if t in sentence) + sum(w for t, w in marks if t in nums)
            held -= sum(w for t, unit, w in ordinals if t not in nums and any(
                n.startswith("第") and n.endswith(unit) for n in nums))
            share = held / total
            # the kind of number asked for ("多少天" → 143天), even in a terse data line that shares
            # no word with the question ("整体续费率68%"): the passage is already a candidate
            if units and any(_VALUE.sub("", n) in units for n in nums if n.startswith("#")):
                share += unit_share
            best = max(best, share)
        scaled = (score - lo) / (hi - lo) if hi > lo else 1.0
        scored.append((cid, scaled + weight * best))
    scored.sort(key=lambda kv: (-kv[1], kv[0]))
    return scored


def evidence_of(row: Row, score: float, facts: Sequence[Fact]) -> Evidence:
    return Evidence(source=row[1], chunk_id=row[0], title=row[3], headings=json.loads(row[4]),
                    text=row[5], score=round(score, 6), facts=[f for f in facts if f.chunk_id == row[0]])


class CatalogSearcher:
    """Lexical search and case notes from the read-only catalog (a Retriever)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._lock = threading.Lock()
        self._state: tuple[int, dict[str, Row], LexicalIndex] | None = None

    def index(self) -> tuple[dict[str, Row], LexicalIndex]:
        """(chunk rows by id, the BM25 index), rebuilt only when the catalog changed."""
        def load(db: sqlite3.Connection):
            gen = generation_of(db)
            if self._state is not None and self._state[0] == gen:
                return self._state
            rows = db.execute(CHUNK_SQL).fetchall()
            return gen, {r[0]: r for r in rows}, LexicalIndex(rows)

        with self._lock:
            self._state = read_only(self.home, load, None) or (0, {}, LexicalIndex([]))
            return self._state[1], self._state[2]

    def allowed_ids(self, index: LexicalIndex, sources: Sequence[str] | None,
                    kinds: Sequence[str] | None) -> list[str]:
        """Chunk ids of these notes (all if none) that hold a fact of these kinds (any if none)."""
        ids = index.ids_of(sources) if sources else index.ids
        if kinds:
            with_kind = {f.chunk_id for f in read_only(
                self.home, lambda db: query_facts(db, kinds=list(kinds)), [])}
            ids = [i for i in ids if i in with_kind]
        return ids

    def _facts(self, chunk_ids: Sequence[str], kinds: Sequence[str] | None = None) -> list[Fact]:
        if not chunk_ids:
            return []
        return read_only(self.home, lambda db: query_facts(db, chunk_ids=list(chunk_ids),
                                                           kinds=kinds), [])

    def search(self, query: str, k: int = 5, *, sources: Sequence[str] | None = None,
               kinds: Sequence[str] | None = None) -> list[Evidence]:
        rows, index = self.index()
        query_tokens = tokens(query.strip()) if query.strip() else []
        allowed = set(self.allowed_ids(index, sources, kinds)) if sources or kinds else None
        lexical = index.scored(query_tokens, allowed)
        best = rerank_by_sentence(query_tokens, lexical, {c: rows[c][5] for c, _ in lexical},
                                  index.idf)[:k]
        facts = self._facts([c for c, _ in best])
        return [evidence_of(rows[c], s, facts) for c, s in best]

    def case_evidence(self, cases: Sequence[str]) -> list[Evidence]:
        """Every chunk of the named notes (workspace-relative sources), in order."""
        rows, _ = self.index()
        out: list[Evidence] = []
        for case in cases:
            mine = [r for r in rows.values() if r[1] == case]
            if not mine:
                raise ConfigError(f"找不到案例 {case}（应为 knowledge/ 下已导入的文件）",
                                  f"no such case note: {case}")
            facts = self._facts([r[0] for r in mine])
            out += [evidence_of(r, 1.0, facts) for r in sorted(mine, key=lambda r: r[2])]
        return out
