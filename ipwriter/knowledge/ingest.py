"""Incremental, idempotent ingest.

Each file's content hash decides: unchanged files are skipped without
embedding, changed files are re-chunked and replaced, deleted files (inside
the folders being ingested) are removed. One bad file is recorded in
``errors`` and the rest go on; a file that breaks after it was ingested keeps
its last good version. The store's sweep runs first, so a run after a crash
converges to the same state as a clean run. Files are embedded and stored in
batches of up to 128 files or 256 chunks (one model call, one Chroma upsert,
one catalog transaction): a crash loses at most the batch in flight, which
the next run redoes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from langchain_core.embeddings import Embeddings

from ipwriter.errors import IpwriterError
from ipwriter.knowledge.chunk import chunk_document
from ipwriter.knowledge.facts import extract_facts
from ipwriter.knowledge.load import DEFAULT_MAX_BYTES, SUPPORTED, LoadError, content_hash, load_document
from ipwriter.knowledge.models import FileError, IngestReport
from ipwriter.knowledge.store import FileUpdate, KnowledgeStore
from ipwriter.knowledge.tokenize import chunk_tokens

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
# Bump when tokens() or extract_facts() change: stored chunks are then re-derived
# (tokens and facts) on the next ingest or search, without re-embedding.
DERIVED_VERSION = "tok2-facts4"
# files are stored in batches: each Chroma call commits on its own (~50 ms)
BATCH_FILES = 128
BATCH_CHUNKS = 256


def source_name(path: Path, root: Path) -> str:
    path = path.resolve()
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def scan(root: Path, paths: Sequence[Path]) -> tuple[dict[str, Path], list[tuple[str, bool]], list[FileError]]:
    """Files to ingest by source name, the scopes (source, is_dir), and path errors."""
    files: dict[str, Path] = {}
    scopes: list[tuple[str, bool]] = []
    errors: list[FileError] = []
    for given in paths:
        p = given if given.is_absolute() else root / given
        name = source_name(p, root)
        if p.is_dir():
            scopes.append((name.rstrip("/"), True))
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if any(part.startswith(".") for part in rel.parts) or not f.is_file():
                    continue
                src = source_name(f, root)
                if f.suffix.lower() in SUPPORTED:
                    files[src] = f
                else:
                    errors.append(FileError(path=src, error=f"不支持的文件类型 {f.suffix or '(无扩展名)'}，已跳过 / unsupported file type"))
        elif p.is_file():
            scopes.append((name, False))
            files[name] = p
        else:
            errors.append(FileError(path=name, error="路径不存在 / no such file or folder"))
    return files, scopes, errors


def _in_scope(source: str, scopes: list[tuple[str, bool]]) -> bool:
    for scope, is_dir in scopes:
        if source == scope or is_dir and (scope in ("", ".") or source.startswith(scope + "/")):
            return True
    return False


class EmbeddingError(IpwriterError):
    """The embedding model failed: every file would fail the same way, so ingest stops."""


def _fill_vectors(store: KnowledgeStore, embeddings: Embeddings, pending: list[FileUpdate],
                  new: list[bool]) -> None:
    """Give every pending file its vectors, embedding all their new chunks in one call.

    One call for many files keeps the model's batches full (most notes are one
    or two chunks); a changed file's unchanged chunks keep their vectors.
    """
    have = store.vectors([c.id for u, is_new in zip(pending, new, strict=True) if not is_new
                          for c in u.chunks])
    todo = {c.id: c for u in pending for c in u.chunks if c.id not in have}
    if todo:
        try:
            fresh = embeddings.embed_documents([c.embedding_text() for c in todo.values()])
            if len(fresh) != len(todo):
                raise ValueError(f"{len(fresh)} vectors for {len(todo)} texts")
        except Exception as exc:  # a model or endpoint failure, not a bad file
            raise EmbeddingError(
                f"向量模型出错，导入已停止（已导入的文件不受影响）：{type(exc).__name__}: {exc}",
                f"the embedding model failed; ingest stopped (files already ingested are kept): {exc}",
            ) from exc
        have.update(zip(todo, fresh, strict=True))
    for u in pending:
        u.vectors = [have[c.id] for c in u.chunks]


def ingest(store: KnowledgeStore, embeddings: Embeddings, root: Path, paths: Sequence[Path],
           *, progress: Progress | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    store.sweep()
    store.ensure_derived(DERIVED_VERSION, chunk_tokens, extract_facts)
    known = store.file_hashes()
    files, scopes, errors = scan(root, paths)
    report.errors.extend(errors)
    report.failed += len(errors)

    for source in sorted(known):
        if _in_scope(source, scopes) and source not in files:
            store.remove_file(source)
            report.removed += 1

    total = len(files)
    pending: list[FileUpdate] = []
    pending_new: list[bool] = []

    def flush(done: int) -> None:
        if not pending:
            return
        if progress:
            progress(done, total, f"向量化 {sum(len(u.chunks) for u in pending)} 个片段 / embedding")
        _fill_vectors(store, embeddings, pending, pending_new)
        store.replace_files(pending)
        report.added += sum(pending_new)
        report.updated += len(pending_new) - sum(pending_new)
        pending.clear()
        pending_new.clear()

    for n, (source, path) in enumerate(sorted(files.items()), start=1):
        if progress:
            progress(n - 1, total, source)
        try:
            size = path.stat().st_size
            if 0 < size <= max_bytes:
                digest = content_hash(path.read_bytes())
                if known.get(source) == digest:
                    report.unchanged += 1
                    continue
            doc = load_document(path, source, max_bytes=max_bytes)
            chunks = chunk_document(doc)
            facts = [f for c in chunks for f in extract_facts(c)]
            pending.append(FileUpdate(source, doc.content_hash, doc.title, chunks,
                                      [" ".join(chunk_tokens(c)) for c in chunks], facts, []))
            pending_new.append(source not in known)
        except (LoadError, IpwriterError, OSError) as exc:
            message = exc.message if isinstance(exc, IpwriterError) else f"无法读取 / cannot read: {exc}"
            log.warning("ingest failed for %s: %s", source, message)
            report.errors.append(FileError(path=source, error=message))
            report.failed += 1
            store.record_error(source, message)
            continue
        # outside the per-file try: a model or store failure belongs to the batch, not to this file
        if len(pending) >= BATCH_FILES or sum(len(u.chunks) for u in pending) >= BATCH_CHUNKS:
            flush(n)
    flush(total)
    if progress:
        progress(total, total, "")
    report.chunks, report.facts = store.counts()
    report.seconds = round(time.perf_counter() - started, 3)
    return report
