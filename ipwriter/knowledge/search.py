"""Hybrid search: dense (multilingual-e5 in Chroma) + BM25 over jieba tokens,
fused, re-ordered by best sentence, filtered by source and fact kind.

Chroma's own BM25/hybrid search is cloud-only and does not segment Chinese,
so BM25 runs here (bm25s) over tokens stored in the catalog at ingest time;
the index is rebuilt only when the catalog's generation changes.

Fusion is *relative score fusion*: each list's scores are min-max scaled to
[0, 1] and summed with weights (dense 0.3, BM25 0.7). Reciprocal rank fusion
was tried first; on the benchmark (``benchmarks/retrieval.py``) it let a page
of near-duplicate notes that rank in the middle of both lists push out the
passage BM25 ranks first, because rank fusion ignores how far ahead that
passage is. e5-small's Chinese is weaker than jieba-BM25 with the domain's
words, hence the weights. The top candidates are then re-ordered by their
best single sentence (the share of the query's IDF weight that one sentence
holds): a question is usually answered by one sentence, and sibling chunks of
the same note share the title, so this is what tells them apart.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from ipwriter.knowledge.models import Evidence
from ipwriter.knowledge.store import KnowledgeStore
from ipwriter.knowledge.tokenize import number_tokens, tokens
from ipwriter.text.split import sentences

CANDIDATES = 50      # from each of dense and BM25
DENSE_WEIGHT = 0.3   # BM25 gets the rest
RERANK_TOP = 20      # fused candidates re-ordered by best sentence
SENTENCE_WEIGHT = 1.0


def fuse(dense: list[tuple[str, float]], lexical: list[tuple[str, float]],
         dense_weight: float = DENSE_WEIGHT) -> list[tuple[str, float]]:
    """Relative score fusion of two (id, score) lists, best first."""
    fused: dict[str, float] = {}
    for weight, ranked in ((dense_weight, dense), (1.0 - dense_weight, lexical)):
        if not ranked:
            continue
        scores = [s for _, s in ranked]
        hi, lo = max(scores), min(scores)
        for cid, score in ranked:
            scaled = (score - lo) / (hi - lo) if hi > lo else 1.0
            fused[cid] = fused.get(cid, 0.0) + weight * scaled
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


class HybridSearcher:
    def __init__(self, store: KnowledgeStore, embeddings: Embeddings) -> None:
        self.store = store
        self.embeddings = embeddings
        self._generation = -1
        self._lock = threading.Lock()
        self._ids: list[str] = []
        self._sources: np.ndarray = np.array([])
        self._bm25 = None
        self._idf: dict[str, float] = {}
        self._n = 1

    def _refresh(self) -> None:
        gen = self.store.generation()
        if gen == self._generation:
            return
        import bm25s

        rows = self.store.chunk_rows()
        self._ids = [r[0] for r in rows]
        self._sources = np.array([r[1] for r in rows], dtype=object)
        corpus = [r[6].split(" ") if r[6] else [] for r in rows]
        df: dict[str, int] = {}
        for toks in corpus:
            for t in set(toks):
                df[t] = df.get(t, 0) + 1
        self._n = max(1, len(corpus))
        self._idf = {t: float(np.log(1 + (self._n - c + 0.5) / (c + 0.5))) for t, c in df.items()}
        if corpus:
            bm25 = bm25s.BM25()
            bm25.index(corpus, show_progress=False)
            self._bm25 = bm25
        else:
            self._bm25 = None
        self._generation = gen

    def _bm25_scored(self, query_tokens: list[str], allowed: set[str] | None) -> list[tuple[str, float]]:
        if self._bm25 is None or not query_tokens:
            return []
        scores = self._bm25.get_scores(query_tokens)
        if allowed is not None:
            mask = np.fromiter((i in allowed for i in self._ids), dtype=bool, count=len(self._ids))
            scores = np.where(mask, scores, 0.0)
        top = np.argpartition(-scores, min(CANDIDATES, len(scores) - 1))[:CANDIDATES]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self._ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def search(self, query: str, k: int = 5, *, sources: Sequence[str] | None = None,
               kinds: Sequence[str] | None = None) -> list[Evidence]:
        query = query.strip()
        if not query:
            return []
        query_tokens = tokens(query)
        with self._lock:
            self._refresh()
            vector = self.embeddings.embed_query(query)
            dense = [(cid, 1.0 - dist) for cid, dist in
                     self.store.dense(vector, CANDIDATES, sources, kinds)]
            allowed: set[str] | None = None
            if sources or kinds:
                allowed = set(self._filtered_ids(sources, kinds))
            lexical = self._bm25_scored(query_tokens, allowed)
            idf = self._idf
            default_idf = float(np.log(1 + self._n))
        fused = fuse(dense, lexical)[:RERANK_TOP]
        chunks = self.store.chunks_by_id([cid for cid, _ in fused])
        best = rerank_by_sentence(query_tokens, fused, {c: v.text for c, v in chunks.items()},
                                  lambda t: idf.get(t, default_idf))[:k]
        facts = self.store.facts(chunk_ids=[cid for cid, _ in best])
        by_chunk: dict[str, list] = {}
        for f in facts:
            by_chunk.setdefault(f.chunk_id, []).append(f)
        out = []
        for cid, score in best:
            c = chunks.get(cid)
            if c is None:  # vector without catalog row (mid-ingest crash); sweep removes it
                continue
            out.append(Evidence(source=c.source, chunk_id=cid, title=c.title, headings=c.headings,
                                text=c.text, score=round(score, 6), facts=by_chunk.get(cid, [])))
        return out

    def _filtered_ids(self, sources: Sequence[str] | None, kinds: Sequence[str] | None) -> list[str]:
        ids = self._ids
        if sources:
            wanted = set(sources)
            ids = [i for i, s in zip(self._ids, self._sources) if s in wanted]
        if kinds:
            with_kind = {f.chunk_id for f in self.store.facts(kinds=kinds)}
            ids = [i for i in ids if i in with_kind]
        return ids


@lru_cache(maxsize=65536)
def _sentences(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """A chunk's sentences, each with its number and ordinal tokens (cached:
    popular chunks come back query after query)."""
    return tuple((s.lower(), frozenset(number_tokens(s))) for s in sentences(text))


def rerank_by_sentence(query_tokens: list[str], fused: list[tuple[str, float]],
                       texts: dict[str, str], idf) -> list[tuple[str, float]]:
    """Add to each candidate's scaled fused score the share of the query's IDF
    weight held by its best single sentence; best first. A word token counts
    when the sentence contains it (jieba's search sub-words make this close to
    token presence, without segmenting every candidate sentence per query)."""
    if not fused:
        return []
    weight = {t: idf(t) for t in set(query_tokens)}
    total = sum(weight.values()) or 1.0
    words = [(t, w) for t, w in weight.items() if not t.startswith(("#", "第"))]
    marks = [(t, w) for t, w in weight.items() if t.startswith(("#", "第"))]
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
            best = max(best, held / total)
        scaled = (score - lo) / (hi - lo) if hi > lo else 1.0
        scored.append((cid, scaled + SENTENCE_WEIGHT * best))
    scored.sort(key=lambda kv: (-kv[1], kv[0]))
    return scored
