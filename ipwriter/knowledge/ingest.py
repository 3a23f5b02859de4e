"""Incremental, idempotent ingest.

Each file's content hash decides: unchanged files are skipped without
embedding, changed files are re-chunked and replaced, deleted files (inside
the folders being ingested) are removed. One bad file is recorded in
``errors`` and the rest go on; a file that breaks after it was ingested keeps
its last good version. The store's sweep runs first, so a run after a crash
converges to the same state as a clean run. Files are embedded and stored in
batches of up to 128 files or 256 chunks (one model call, one Chroma upsert,
one catalog transaction), each stored as soon as it is embedded: a crash
loses at most the batch in flight, which the next run redoes. A file of 256
chunks or more is embedded alone, after all the others, so a slow note never
holds back the rest; a note may make at most ``max_chunks`` chunks.

Only files inside the workspace are read (``knowledge.scan``): a link that
leads outside is skipped with a reason, and a stored source whose file no
longer resolves inside the workspace is forgotten on the next ingest.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from langchain_core.embeddings import Embeddings

from ipwriter.errors import IpwriterError
from ipwriter.knowledge.chunk import MAX_CHARS, chunk_document
from ipwriter.knowledge.facts import extract_facts
from ipwriter.knowledge.load import DEFAULT_MAX_BYTES, LoadError, content_hash, load_document
from ipwriter.knowledge.models import FileError, IngestReport
from ipwriter.knowledge.scan import gone, in_scope, scan
from ipwriter.knowledge.store import FileUpdate, KnowledgeStore
from ipwriter.knowledge.tokenize import chunk_tokens

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
# Bump when tokens() or extract_facts() change: stored chunks are then re-derived
# (tokens and facts) on the next ingest or search, without re-embedding.
# tok5: festivals, 第N批 = 第N期; tok4: numbers set apart before jieba;
# facts5: clause and sentence reach capped (text.split.Marks)
DERIVED_VERSION = "tok5-facts6"
# files are stored in batches: each Chroma call commits on its own (~50 ms)
BATCH_FILES = 128
BATCH_CHUNKS = 256
# a note may make at most this many chunks (IPWRITER_MAX_CHUNKS_PER_NOTE): about
# 400,000 characters, a couple of minutes of embedding on two cores
DEFAULT_MAX_CHUNKS = 1000


class EmbeddingError(IpwriterError):
    """The embedding model failed: every file would fail the same way, so ingest stops."""


def _fill_vectors(store: KnowledgeStore, embeddings: Embeddings, pending: list[FileUpdate],
                  new: list[bool], say: Callable[[str], None] | None = None) -> None:
    """Give every pending file its vectors, embedding their new chunks in calls of
    up to ``BATCH_CHUNKS`` texts (``say`` hears how far it got).

    One call for many files keeps the model's batches full (most notes are one
    or two chunks); a changed file's unchanged chunks keep their vectors.
    """
    have = store.vectors([c.id for u, is_new in zip(pending, new, strict=True) if not is_new
                          for c in u.chunks])
    todo = [c for c in {c.id: c for u in pending for c in u.chunks if c.id not in have}.values()]
    for at in range(0, len(todo), BATCH_CHUNKS):
        part = todo[at:at + BATCH_CHUNKS]
        if say:
            say(f"向量化 {at + len(part)}/{len(todo)} 个片段 / embedding")
        try:
            fresh = embeddings.embed_documents([c.embedding_text() for c in part])
            if len(fresh) != len(part):
                raise ValueError(f"{len(fresh)} vectors for {len(part)} texts")
        except Exception as exc:  # a model or endpoint failure, not a bad file
            raise EmbeddingError(
                f"向量模型出错，导入已停止（已导入的文件不受影响）：{type(exc).__name__}: {exc}",
                f"the embedding model failed; ingest stopped (files already ingested are kept): {exc}",
            ) from exc
        have.update(zip((c.id for c in part), fresh, strict=True))
    for u in pending:
        u.vectors = [have[c.id] for c in u.chunks]


def too_many_chunks(name: str, n: int, cap: int, *, about: bool = False) -> LoadError:
    return LoadError(
        f"{name} 切出{'约 ' if about else ' '}{n} 个片段，超过每篇笔记 {cap} 个的上限（一个片段约 {MAX_CHARS} 字），已跳过："
        f"请把它拆成几个文件再导入，或调高 IPWRITER_MAX_CHUNKS_PER_NOTE",
        f"{name} makes {n} chunks, more than the {cap} allowed per note: split the file "
        "(or raise IPWRITER_MAX_CHUNKS_PER_NOTE)")


def _update(path: Path, source: str, max_bytes: int, max_chunks: int) -> FileUpdate:
    """One file read, chunked and derived (not yet embedded); LoadError when it cannot be."""
    doc = load_document(path, source, max_bytes=max_bytes)
    if len(doc.text) > max_chunks * MAX_CHARS * 2:  # clearly too long: don't even chunk it
        raise too_many_chunks(path.name, len(doc.text) // MAX_CHARS, max_chunks, about=True)
    chunks = chunk_document(doc)
    if len(chunks) > max_chunks:
        raise too_many_chunks(path.name, len(chunks), max_chunks)
    facts = [f for c in chunks for f in extract_facts(c)]
    return FileUpdate(source, doc.content_hash, doc.title, chunks,
                      [" ".join(chunk_tokens(c)) for c in chunks], facts, [])


def ingest(store: KnowledgeStore, embeddings: Embeddings, root: Path, paths: Sequence[Path],
           *, progress: Progress | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
           max_chunks: int = DEFAULT_MAX_CHUNKS) -> IngestReport:
    """Ingest ``paths`` (files or folders inside the workspace ``root``, resolved)."""
    started = time.perf_counter()
    report = IngestReport()
    store.sweep()
    store.ensure_derived(DERIVED_VERSION, chunk_tokens, extract_facts)
    known = store.file_hashes()
    files, scopes, errors = scan(root, paths)
    report.errors.extend(errors)
    report.failed += len(errors)

    # forget what is gone: a deleted file in the folders scanned, and anywhere a stored
    # source that no longer resolves to a file inside the workspace
    for row in store.sources():
        source = row["source"]
        if source not in files and (in_scope(source, scopes) or gone(source, root)):
            store.remove_file(source)
            if source in known:
                report.removed += 1
                del known[source]

    total = len(files)
    pending: list[FileUpdate] = []
    pending_new: list[bool] = []

    def flush(done: int) -> None:
        if not pending:
            return

        def say(what: str) -> None:
            if progress:
                progress(done, total, f"{pending[0].source}：{what}" if len(pending) == 1 else what)

        _fill_vectors(store, embeddings, pending, pending_new, say)
        store.replace_files(pending)  # stored as soon as embedded: nothing waits on a later file
        report.added += sum(pending_new)
        report.updated += len(pending_new) - sum(pending_new)
        pending.clear()
        pending_new.clear()

    big: list[tuple[FileUpdate, bool]] = []  # embedded last, one at a time
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
            update = _update(path, source, max_bytes, max_chunks)
        except (LoadError, IpwriterError, OSError) as exc:
            message = exc.message if isinstance(exc, IpwriterError) else f"无法读取 / cannot read: {exc}"
            log.warning("ingest failed for %s: %s", source, message)
            report.errors.append(FileError(path=source, error=message))
            report.failed += 1
            store.record_error(source, message)
            continue
        if len(update.chunks) >= BATCH_CHUNKS:
            big.append((update, source not in known))
            continue
        pending.append(update)
        pending_new.append(source not in known)
        # outside the per-file try: a model or store failure belongs to the batch, not to this file
        if len(pending) >= BATCH_FILES or sum(len(u.chunks) for u in pending) >= BATCH_CHUNKS:
            flush(n)
    flush(total - len(big))
    for i, (update, is_new) in enumerate(big):
        pending.append(update)
        pending_new.append(is_new)
        flush(total - len(big) + i)
    if progress:
        progress(total, total, "")
    report.chunks, report.facts = store.counts()
    report.seconds = round(time.perf_counter() - started, 3)
    return report
