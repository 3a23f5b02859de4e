"""The knowledge store: a Chroma collection (vectors + metadata) and a SQLite
catalog (files with content hashes, chunks with their BM25 tokens, facts).

The catalog is the source of truth for what is ingested. A file is replaced
in two steps — upsert its chunks into Chroma (deterministic ids), then commit
its catalog rows in one transaction — and :meth:`KnowledgeStore.sweep`
reconciles the two, so a crash (even SIGKILL) between or during the steps
leaves a usable store and the next ingest converges.

The embedded Chroma directory is guarded by a file lock: a second process
opening the same PersistentClient would hang for minutes (chroma issue 7040),
so it gets a clear "store in use" error instead.

A damaged catalog or Chroma file raises :class:`StoreDamagedError` when the
store opens or a query meets the damage; the repair is :func:`move_store_aside`
and a full ingest. Vectors gone while the catalog has chunks leave search to
BM25: :meth:`KnowledgeStore.warnings` says so.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from filelock import FileLock, Timeout

from ipwriter.knowledge.catalog import (
    KIND_KEYS,
    SCHEMA,
    StoreBusyError,
    StoreDamagedError,
    add_ledger_columns,
    catalog_path,
    connect_catalog,
    generation_of,
    insert_facts,
    now,
    query_facts,
    sources_of,
)
from ipwriter.knowledge.damage import (
    GuardedCollection,
    chroma_damage,
    integrity,
    release_chroma,
    sqlite_damage,
)
from ipwriter.knowledge.ledger import FactCorrection, apply_corrections, load_corrections, save_correction
from ipwriter.knowledge.models import FACT_KINDS, Chunk, Fact

log = logging.getLogger(__name__)
# Chroma's default (100) let two builds of the same notes disagree on the last few of the
# 50 nearest passages; with 200 they agree (still approximate; p50 at 10k chunks: README)
EF_SEARCH = 200

@dataclass
class FileUpdate:
    """One file's new content, ready to store."""

    source: str
    content_hash: str
    title: str
    chunks: list[Chunk]
    tokens: list[str]
    facts: list[Fact]
    vectors: list[list[float]]


class KnowledgeStore:
    def __init__(self, home: Path, emb_id: str, *, chroma_url: str | None = None,
                 collection: str = "ipwriter", lock_timeout: float = 2.0) -> None:
        self.home = home
        self.dir = home / "store"
        self.dir.mkdir(parents=True, exist_ok=True)
        self._lock: FileLock | None = None
        if not chroma_url:  # a server handles its own concurrency
            self._lock = FileLock(str(home / "store.lock"))
            try:
                self._lock.acquire(timeout=lock_timeout)
            except Timeout:
                raise StoreBusyError(self.dir) from None
        try:
            self.db = connect_catalog(home, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA)
            add_ledger_columns(self.db)
            with self.db:  # a new catalog's generation never repeats an older one's (caches)
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', ?)", (time.time_ns(),))
            self.collection = self._open_collection(f"{collection}-{emb_id}", chroma_url)
        except BaseException:
            self.close()
            raise

    def _open_collection(self, name: str, chroma_url: str | None) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        settings = ChromaSettings(anonymized_telemetry=False)
        if chroma_url:
            url = urlparse(chroma_url)
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https", settings=settings)
        else:
            path = chroma_dir(self.home)
            if not (path / "chroma.sqlite3").exists():  # gone: never reuse a client of it
                release_chroma(path)
            found = sqlite_damage(path / "chroma.sqlite3")
            if found:
                raise StoreDamagedError(path, found, part="vectors")
            try:
                client = chromadb.PersistentClient(path=str(path), settings=settings)
            except Exception as exc:
                if not chroma_damage(exc):
                    raise
                release_chroma(path)  # half made: the next open starts afresh
                raise vectors_damaged(self.home, exc) from exc
        self.client = client
        self.max_batch = min(5000, client.get_max_batch_size())
        # Collection names must be ASCII; the embedding model is part of the name so
        # vectors of different models (and dimensions) never mix.
        collection = client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}})
        if ((collection.configuration_json or {}).get("hnsw") or {}).get("ef_search", EF_SEARCH) < EF_SEARCH:
            try:  # a collection made before: a tuning knob, never a reason not to open
                collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
            except Exception as exc:  # noqa: BLE001 (a server may refuse; search still works)
                log.warning("could not raise the vector search's ef_search to %s: %s", EF_SEARCH, exc)
        return GuardedCollection(collection, partial(vectors_damaged, self.home))

    def close(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            db.close()
            self.db = None  # type: ignore[assignment]
        if self._lock is not None and self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> "KnowledgeStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- catalog reads ----------------------------------------------------
    def file_hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT source, hash FROM files"))

    def generation(self) -> int:
        return generation_of(self.db)

    def counts(self) -> tuple[int, int]:
        return tuple(self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("chunks", "facts"))

    def sources(self) -> list[dict[str, Any]]:
        return sources_of(self.db)

    def warnings(self) -> list[str]:
        """What a search silently loses now: vectors missing for catalog chunks
        (the vector store deleted or emptied), so only BM25 finds anything."""
        chunks = self.counts()[0]
        vectors = self.collection.count()
        if chunks <= vectors:
            return []
        gone = "向量库是空的（可能被删除了）" if not vectors else f"向量库缺少 {chunks - vectors} 个片段的向量"
        return [f"{gone}：知识库有 {chunks} 个片段，搜索只能按关键词（BM25）找，意思相近但用词不同的内容会漏掉。"
                "运行 ipwriter ingest 重新生成向量（或 ipwriter doctor --repair） / "
                f"the vector store holds {vectors} of {chunks} chunks: search is keyword-only (BM25) "
                "until `ipwriter ingest` re-embeds them"]

    def check(self) -> None:
        """Both SQLite files read page by page (a Chroma server's is not here) and the
        vectors counted against the catalog, for doctor: raises what it finds."""
        local = [(chroma_dir(self.home) / "chroma.sqlite3", "vectors")] if self._lock else []
        for path, part in [(catalog_path(self.home), "catalog"), *local]:
            found = integrity(path)
            if found:
                raise StoreDamagedError(path, found, part)
        for warning in self.warnings():
            raise StoreDamagedError(chroma_dir(self.home), warning.split("：")[0], "vectors")

    def chunk_rows(self) -> list[tuple[str, str, int, str, str, str, str]]:
        """(id, source, ord, title, headings_json, text, tokens) for every chunk, stable order."""
        return self.db.execute(
            "SELECT id, source, ord, title, headings, text, tokens FROM chunks "
            "ORDER BY source, ord").fetchall()

    def chunks_by_id(self, ids: Sequence[str]) -> dict[str, Chunk]:
        return self._chunks(f"id IN ({','.join('?' * len(ids))})", list(ids)) if ids else {}

    def chunk_at(self, source: str, ord_: int) -> Chunk | None:
        return next(iter(self._chunks("source = ? AND ord = ?", [source, ord_]).values()), None)

    def _chunks(self, where: str, params: list) -> dict[str, Chunk]:
        rows = self.db.execute(f"SELECT id, source, ord, title, headings, text FROM chunks WHERE {where}",
                               params).fetchall()
        return {r[0]: Chunk(id=r[0], source=r[1], ord=r[2], title=r[3], headings=json.loads(r[4]),
                            text=r[5]) for r in rows}

    def facts(self, *, source: str | None = None, chunk_ids: Sequence[str] | None = None,
              kinds: Iterable[str] | None = None) -> list[Fact]:
        return query_facts(self.db, source=source, chunk_ids=chunk_ids, kinds=kinds)

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored vectors of these chunk ids (those that exist)."""
        if not ids:
            return {}
        got = self.collection.get(ids=list(ids), include=["embeddings"])
        return {i: list(map(float, v)) for i, v in zip(got["ids"], got["embeddings"])}

    # -- writes -------------------------------------------------------------
    def _catalog_ids_for(self, source: str) -> set[str]:
        """The chunk ids the catalog holds for a source (indexed; a Chroma metadata
        query would scan the whole collection, once per file). Vectors the catalog
        does not know are the sweep's business."""
        return {r[0] for r in self.db.execute("SELECT id FROM chunks WHERE source = ?", (source,))}

    def replace_files(self, updates: list[FileUpdate]) -> None:
        """Several files at once: one Chroma delete, one upsert per 5,000 records, one
        catalog transaction (each Chroma call commits on its own and costs tens of
        milliseconds, so per-file calls made large ingests crawl)."""
        if not updates:
            return
        corrections = load_corrections(self.home)  # the creator's word on whose a number is
        updates = [replace(u, facts=apply_corrections(u.facts, corrections)) for u in updates]
        stale: set[str] = set()
        ids: list[str] = []
        docs: list[str] = []
        vectors: list[list[float]] = []
        metas: list[dict[str, Any]] = []
        for u in updates:
            new = [c.id for c in u.chunks]
            stale |= self._catalog_ids_for(u.source) - set(new)
            kinds_by_chunk: dict[str, set[str]] = {}
            for f in u.facts:
                kinds_by_chunk.setdefault(f.chunk_id, set()).add(f.kind)
            ids += new
            docs += [c.text for c in u.chunks]
            vectors += u.vectors
            metas += [{"source": c.source, "ord": c.ord, "title": c.title,
                       **{KIND_KEYS[k]: k in kinds_by_chunk.get(c.id, set()) for k in FACT_KINDS}}
                      for c in u.chunks]
        stale -= set(ids)
        if stale:
            self.collection.delete(ids=sorted(stale))
        for i in range(0, len(ids), self.max_batch):
            j = i + self.max_batch
            self.collection.upsert(ids=ids[i:j], embeddings=vectors[i:j], documents=docs[i:j],
                                   metadatas=metas[i:j])
        with self.db:
            for u in updates:
                self.db.execute("DELETE FROM chunks WHERE source = ?", (u.source,))
                self.db.execute("DELETE FROM facts WHERE source = ?", (u.source,))
                self.db.executemany(
                    "INSERT INTO chunks (id, source, ord, title, headings, text, tokens) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(c.id, c.source, c.ord, c.title, json.dumps(c.headings, ensure_ascii=False),
                      c.text, t) for c, t in zip(u.chunks, u.tokens)])
                insert_facts(self.db, u.facts)
                self.db.execute(
                    "INSERT OR REPLACE INTO files (source, hash, title, chunks, facts, ingested_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (u.source, u.content_hash, u.title, len(u.chunks), len(u.facts), now()))
                self.db.execute("DELETE FROM errors WHERE source = ?", (u.source,))
            self._bump()

    def record_error(self, source: str, error: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO errors (source, error, at) VALUES (?, ?, ?)",
                            (source, error, now()))

    def remove_file(self, source: str) -> None:
        ids = self._catalog_ids_for(source)
        if ids:
            self.collection.delete(ids=sorted(ids))
        with self.db:
            for table in ("chunks", "facts", "files", "errors"):
                self.db.execute(f"DELETE FROM {table} WHERE source = ?", (source,))
            self._bump()

    def correct_fact(self, correction: FactCorrection) -> int:
        """Save a correction and apply it to the stored facts at once (and to the
        kinds their chunks are found by); returns how many stored facts it changed."""
        correction = save_correction(self.home, correction)
        with self.db:
            changed = self.db.execute(
                "UPDATE facts SET kind = ?, owner = ?, consent = ?, corrected = 1 "
                "WHERE source = ? AND quote = ? AND text = ?",
                (correction.kind, correction.owner, int(correction.consent), *correction.key)).rowcount
            self._bump()
        chunk_ids = sorted({r[0] for r in self.db.execute(
            "SELECT chunk_id FROM facts WHERE source = ? AND quote = ? AND text = ?", correction.key)})
        if chunk_ids:  # the search filter by kind; the correction itself is saved whatever happens here
            kinds = {cid: {f.kind for f in self.facts(chunk_ids=[cid])} for cid in chunk_ids}
            try:
                self.collection.update(ids=chunk_ids, metadatas=[
                    {KIND_KEYS[k]: k in kinds[cid] for k in FACT_KINDS} for cid in chunk_ids])
            except Exception as exc:  # noqa: BLE001 - the next ingest of the note sets them again
                log.warning("correction saved; search flags of %s not updated (%s)", chunk_ids, exc)
        return changed

    def ensure_derived(self, version: str, tokenize: Callable[[Chunk], list[str]],
                       extract: Callable[[Chunk], list[Fact]]) -> int:
        """Re-derive BM25 tokens and facts of every stored chunk when the code that
        derives them changed since they were written (``version``); no file is read
        and nothing is re-embedded. Returns how many chunks were redone."""
        row = self.db.execute("SELECT value FROM meta WHERE key='derived'").fetchone()
        if row and row[0] == version:
            return 0
        rows = self.db.execute("SELECT id, source, ord, title, headings, text FROM chunks").fetchall()
        tokens, facts = [], []
        for r in rows:
            c = Chunk(id=r[0], source=r[1], ord=r[2], title=r[3], headings=json.loads(r[4]), text=r[5])
            tokens.append((" ".join(tokenize(c)), c.id))
            facts.extend(extract(c))
        facts = apply_corrections(facts, load_corrections(self.home))
        with self.db:
            self.db.executemany("UPDATE chunks SET tokens = ? WHERE id = ?", tokens)
            self.db.execute("DELETE FROM facts")
            insert_facts(self.db, facts)
            self.db.execute("UPDATE files SET facts = (SELECT COUNT(*) FROM facts x "
                            "WHERE x.source = files.source)")
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('derived', ?)",
                            (version,))
            if rows:
                self._bump()
        return len(rows)

    def _bump(self) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT(key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    def sweep(self) -> list[str]:
        """Reconcile Chroma with the catalog after a crash.

        Deletes vectors the catalog does not know (a crash after upsert, before
        commit) and returns the sources whose catalog chunks are missing from
        Chroma; the caller re-ingests those (their hashes are cleared here).
        """
        started = time.perf_counter()
        chroma_ids = set(self.collection.get(include=[])["ids"])
        catalog = dict(self.db.execute("SELECT id, source FROM chunks"))
        orphans = chroma_ids - set(catalog)
        if orphans:
            log.warning("sweep: deleting %d vectors the catalog does not know", len(orphans))
            orphan_list = sorted(orphans)
            for i in range(0, len(orphan_list), self.max_batch):
                self.collection.delete(ids=orphan_list[i:i + self.max_batch])
        missing_set = {src for cid, src in catalog.items() if cid not in chroma_ids}
        # a files row whose chunk rows are not all there (never after a crash, since both
        # commit together — but cheap to check, and it keeps the catalog honest)
        missing_set |= {src for (src,) in self.db.execute(
            "SELECT f.source FROM files f LEFT JOIN (SELECT source, COUNT(*) n FROM chunks "
            "GROUP BY source) c ON c.source = f.source WHERE f.chunks != COALESCE(c.n, 0)")}
        missing = sorted(missing_set)
        if missing:
            log.warning("sweep: %d sources have chunks missing from Chroma", len(missing))
            with self.db:
                self.db.executemany("UPDATE files SET hash = '' WHERE source = ?",
                                    [(s,) for s in missing])
        log.info("sweep took %.3fs", time.perf_counter() - started)
        return missing

    def dense(self, vector: list[float], n: int, sources: Sequence[str] | None = None,
              kinds: Sequence[str] | None = None) -> list[tuple[str, float]]:
        clauses: list[dict[str, Any]] = []
        if sources:
            clauses.append({"source": {"$in": list(sources)}})
        if kinds:
            ks = [{KIND_KEYS[k]: True} for k in kinds]
            clauses.append(ks[0] if len(ks) == 1 else {"$or": ks})
        where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
        total = self.collection.count()
        if total == 0:
            if self.counts()[0]:
                log.warning("the vector store is empty but the catalog has chunks: BM25 only")
            return []
        res = self.collection.query(query_embeddings=[vector], n_results=min(n, total),
                                    where=where, include=["distances"])
        return list(zip(res["ids"][0], res["distances"][0]))


def chroma_dir(home: Path) -> Path:
    return home / "store" / "chroma"


def vectors_damaged(home: Path, exc: Exception) -> StoreDamagedError:
    return StoreDamagedError(chroma_dir(home), f"内容损坏（{exc}）", "vectors", str(exc))
