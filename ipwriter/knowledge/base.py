"""The knowledge base: the creator's case notes as the rest of ipwriter sees them.

One object over the store and the search index of a workspace: ingest, hybrid
search, facts, the list of sources, the chunks of a named case note, uploads
and removal. The store (and its lock) opens on first use and is released by
:meth:`KnowledgeBase.close`; reads of the catalog (sources, facts for checks)
need neither the lock nor Chroma.

It is the writing chains' retriever: ``search`` and ``case_evidence`` are what
:class:`ipwriter.write.context.Retriever` asks for.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings
from pydantic import ValidationError

from ipwriter.config import Settings
from ipwriter.errors import ConfigError
from ipwriter.knowledge.catalog import catalog_generation, read_facts, read_sources
from ipwriter.knowledge.evaluate import (
    EvalReport,
    check_answers,
    evaluate,
    load_questions,
    parse_questions,
    resolve_notes,
)
from ipwriter.knowledge.ingest import DEFAULT_MAX_CHUNKS, DERIVED_VERSION, Progress, ingest
from ipwriter.knowledge.ledger import FactCorrection
from ipwriter.knowledge.lexical import CatalogSearcher, evidence_of
from ipwriter.knowledge.load import DEFAULT_MAX_BYTES
from ipwriter.knowledge.models import FACT_KINDS, Evidence, Fact, IngestReport
from ipwriter.knowledge.scan import source_name
from ipwriter.knowledge.store import KnowledgeStore
from ipwriter.knowledge.trash import to_trash
from ipwriter.knowledge.uploads import Saved, save_uploads


def check_kinds(kinds: Sequence[str] | None) -> None:
    bad = [k for k in kinds or [] if k not in FACT_KINDS]
    if bad:
        raise ConfigError(f"未知的事实类型 {'、'.join(bad)}，可选：{'、'.join(FACT_KINDS)}",
                          f"unknown fact kind(s) {bad}; valid: {list(FACT_KINDS)}")


Embedder = tuple[Embeddings, str]


class KnowledgeBase:
    def __init__(self, root: Path, home: Path, embedder: Embedder | Callable[[], Embedder], *,
                 chroma_url: str | None = None, collection: str = "ipwriter",
                 max_bytes: int = DEFAULT_MAX_BYTES, max_chunks: int = DEFAULT_MAX_CHUNKS) -> None:
        """``embedder``: the embeddings and a short ASCII id that names the vector
        collection (so vectors of different models never mix), or a function that
        makes them on first need: reading the catalog needs no embedder at all."""
        self.root = root
        self.home = home
        self._embedder = embedder
        self.chroma_url = chroma_url
        self.collection = collection
        self.max_bytes = max_bytes
        self.max_chunks = max_chunks

    @classmethod
    def configured(cls, root: Path, home: Path, settings: Settings,
                   embedder: Embedder | None = None) -> KnowledgeBase:
        """The knowledge base as the settings describe it (``embedder`` replaces
        the configured model: a fake in tests)."""
        def configured_embedder() -> Embedder:
            from ipwriter.knowledge.embed import make_embeddings

            return make_embeddings(settings)

        return cls(root, home, embedder or configured_embedder, chroma_url=settings.chroma_url,
                   collection=settings.collection,
                   max_bytes=int(settings.max_file_mb * 1024 * 1024),
                   max_chunks=settings.max_chunks_per_note)

    @cached_property
    def embedder(self) -> Embedder:
        return self._embedder() if callable(self._embedder) else self._embedder

    @property
    def embeddings(self) -> Embeddings:
        return self.embedder[0]

    @property
    def folder(self) -> Path:
        """The workspace's ``knowledge/`` folder."""
        return self.root / "knowledge"

    @cached_property
    def store(self) -> KnowledgeStore:
        """The store, opened on first use (it holds the store lock until close())."""
        return KnowledgeStore(self.home, self.embedder[1], chroma_url=self.chroma_url,
                              collection=self.collection)

    @cached_property
    def _searcher(self):
        from ipwriter.knowledge.facts import extract_facts
        from ipwriter.knowledge.search import HybridSearcher
        from ipwriter.knowledge.tokenize import chunk_tokens

        self.store.ensure_derived(DERIVED_VERSION, chunk_tokens, extract_facts)
        return HybridSearcher(self.store, self.embeddings, self.lexical)

    def close(self) -> None:
        """Release the store and its lock (the next call opens it again)."""
        store = self.__dict__.pop("store", None)
        self.__dict__.pop("_searcher", None)
        if store is not None:
            store.close()

    # -- reading -------------------------------------------------------------------------
    def ingest(self, paths: Sequence[Path] | None = None,
               progress: Progress | None = None) -> IngestReport:
        return ingest(self.store, self.embeddings, self.root, list(paths or [self.folder]),
                      progress=progress, max_bytes=self.max_bytes, max_chunks=self.max_chunks)

    def search(self, query: str, k: int = 5, *, sources: Sequence[str] | None = None,
               kinds: Sequence[str] | None = None) -> list[Evidence]:
        check_kinds(kinds)
        return self._searcher.search(query, k, sources=sources, kinds=kinds)

    def evaluate(self, questions: Path | tuple[str, str | bytes], k: int = 5,
                 progress: Callable[[int, int], None] | None = None) -> EvalReport:
        """检索自测 on a question file (or its ``(name, text)``): recall@k, hit@1, each miss
        explained. An empty base, a note name that matches no single ingested note or an
        answer phrase its note does not hold stops it before any search."""
        from ipwriter.knowledge.search import RERANK_TOP

        if not 1 <= k <= RERANK_TOP:
            raise ConfigError(f"-k 应在 1 到 {RERANK_TOP} 之间", f"k must be between 1 and {RERANK_TOP}")
        qs = load_questions(questions) if isinstance(questions, Path) else parse_questions(
            questions[1], questions[0])
        sources = self.sources()
        if not any(s["chunks"] for s in sources):
            raise ConfigError("知识库是空的：先导入笔记（ipwriter ingest），再做检索自测",
                              "the knowledge base is empty: run ipwriter ingest first")
        names = resolve_notes(qs, sources)
        rows, _ = self.lexical.index()
        wanted, passages = set(names.values()), {}
        for r in rows.values():
            if r[1] in wanted:
                passages.setdefault(r[1], []).append(" ".join([r[3], *json.loads(r[4]), r[5]]))
        check_answers(qs, names, passages)
        report = evaluate(qs, names, lambda q, n, signals: self._searcher.search(q, n, signals=signals),
                          lambda cid: evidence_of(rows[cid], 0.0, []) if cid in rows else None,
                          k=k, pool=RERANK_TOP, progress=progress)
        report.warnings = self.search_warnings()
        return report

    def search_warnings(self) -> list[str]:
        """What search silently loses now (vectors gone: BM25 only), bilingual lines."""
        return self.store.warnings()

    def facts(self, source: str | None = None, kinds: Sequence[str] | None = None) -> list[Fact]:
        from ipwriter.knowledge.facts import extract_facts
        from ipwriter.knowledge.tokenize import chunk_tokens

        check_kinds(kinds)
        self.store.ensure_derived(DERIVED_VERSION, chunk_tokens, extract_facts)  # cheap when current
        return self.store.facts(source=source, kinds=kinds)

    def correct_fact(self, **fields: Any) -> int:
        """The creator's word on whose a number is (the proof ledger): ``source``,
        ``quote`` and ``text`` name the fact (``quote`` may be left out when the
        note says that number in one sentence only); ``kind``, ``owner``,
        ``consent`` are set.
        Saved beside the store and applied now and on every re-ingest; returns how
        many stored facts changed."""
        if not fields.get("quote"):  # the number alone names it when the note says it once
            quotes = sorted({f.quote for f in self.facts(fields.get("source"))
                             if f.text == fields.get("text")})
            if len(quotes) > 1:
                listed = "；".join(f"「{q}」" for q in quotes)
                raise ConfigError(f"这篇笔记里「{fields.get('text')}」出现在 {len(quotes)} 句里，请用 --quote "
                                  f"指明是哪一句：{listed}",
                                  f"{fields.get('text')!r} is in {len(quotes)} sentences: name one with --quote")
            fields["quote"] = quotes[0] if quotes else ""
        try:
            correction = FactCorrection(**fields)
        except ValidationError as exc:
            problems = "; ".join(e["msg"] for e in exc.errors())
            raise ConfigError(f"事实更正无效：{problems}", f"invalid fact correction: {problems}") from None
        if not any(f.quote == correction.quote and f.text == correction.text
                   for f in self.facts(correction.source)):
            raise ConfigError(f"知识库里没有这条事实：{correction.source}「{correction.text}」",
                              f"no such fact: {correction.source} {correction.text!r}")
        return self.store.correct_fact(correction)

    def sources(self) -> list[dict]:
        """Ingested notes with chunk and fact counts and their last error (no store lock)."""
        return read_sources(self.home)

    def catalog_facts(self) -> tuple[int, list[Fact]]:
        """(generation, every fact), read without the store lock: checks run while
        another process ingests."""
        return read_facts(self.home)

    def generation(self) -> int:
        return catalog_generation(self.home)

    @cached_property
    def lexical(self) -> CatalogSearcher:
        """BM25 search and case notes from the catalog alone: no model, no store lock."""
        return CatalogSearcher(self.home)

    def model_free(self) -> ModelFree:
        """A retriever that loads no model (for briefs): BM25 search, named case notes."""
        return ModelFree(self)

    def case_evidence(self, cases: Sequence[str]) -> list[Evidence]:
        """Every chunk of the named case notes, in order, as evidence (score 1)."""
        known = {s["source"] for s in self.sources() if s["chunks"]}
        names = []
        for case in cases:
            given = Path(case)
            path = given if given.is_absolute() else self.root / given
            name = source_name(path, self.root)
            if name not in known:
                if path.is_file():
                    raise ConfigError(f"案例 {case} 还没有导入知识库，请先运行 ipwriter ingest",
                                      f"case {case} is not ingested yet: run ipwriter ingest")
                raise ConfigError(f"找不到案例 {case}（应为 knowledge/ 下已导入的文件）",
                                  f"no such case note: {case}")
            names.append(name)
        return self.lexical.case_evidence(names)

    # -- changing --------------------------------------------------------------------------
    def save_uploads(self, files: list[tuple[str, bytes]]) -> list[Saved]:
        """Uploaded files into knowledge/uploads/ under safe names (never outside
        the knowledge folder, never over an older note: that one goes to .trash/)."""
        return save_uploads(self.folder, files)

    def remove_source(self, source: str) -> Path | None:
        """Take a note out of the knowledge base. Any source the catalog holds can go
        (one stored from outside the workspace too), named as stored or by any path to
        it (absolute, with ``..``); a file (or link) inside knowledge/ moves to
        knowledge/.trash/ (ingest skips hidden folders), so nothing is lost, and is never
        followed: a link's target stays where it is. Returns where the file went, or
        None when only the catalog held it."""
        name = source_name(Path(source), self.root)  # the stored name: relative, normalised
        path = Path(os.path.normpath(self.root / name))
        on_disk = path.is_relative_to(self.folder) and path != self.folder and \
            (path.is_file() or path.is_symlink())
        stored = {s["source"] for s in self.sources()}
        if name not in stored and source in stored:  # stored under an odd name: remove it as it is
            name = source
        elif name not in stored and not on_disk:
            raise ConfigError(f"知识库里没有这篇笔记：{source}（用 ipwriter sources list 查看）",
                              f"no such source in the knowledge base: {source}")
        store = self.store  # the lock first: a busy store must not leave the note half-removed
        moved = to_trash(self.folder, path) if on_disk else None  # if that fails, nothing changed
        store.remove_file(name)
        return moved

    # -- health ------------------------------------------------------------------------------
    def store_health(self) -> str:
        """A Chinese one-liner for doctor; raises if the store cannot be used or is
        damaged (both SQLite files read page by page, vectors counted)."""
        store = self.store
        store.client.heartbeat()
        store.check()
        chunks, facts = store.counts()
        where = self.chroma_url or f"本地 {store.dir}"
        return f"Chroma 存储（{where}）可用：{chunks} 个片段，{facts} 条数字事实"


class ModelFree:
    """The knowledge base as a retriever that needs no embedder and no Chroma."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def search(self, query: str, k: int = 5, *, sources: Sequence[str] | None = None,
               kinds: Sequence[str] | None = None) -> list[Evidence]:
        check_kinds(kinds)
        return self.kb.lexical.search(query, k, sources=sources, kinds=kinds)

    def case_evidence(self, cases: Sequence[str]) -> list[Evidence]:
        return self.kb.case_evidence(cases)
