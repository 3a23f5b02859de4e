"""Chinese-aware chunking.

Split on headings first, then paragraphs, then sentence ends (。！？；… and
their ASCII forms); never inside a sentence unless one sentence alone is
longer than a chunk (then at commas, then hard). Short pieces are merged.
Sizes are in characters: there is no tokenizer offline. Each chunk carries
its document title and heading path; ids are deterministic from source,
the embedded text (title, heading path, chunk text), so re-ingest can upsert,
and chunks that did not change keep their ids and their vectors.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ipwriter.knowledge.models import Chunk, Document
from ipwriter.text.split import clauses, sentences

MAX_CHARS = 420
MIN_CHARS = 120

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


@dataclass
class _Section:
    headings: list[str]
    paragraphs: list[str]


def _sections(doc: Document) -> list[_Section]:
    sections: list[_Section] = []
    stack: list[tuple[int, str]] = []
    current = _Section([], [])
    buf: list[str] = []
    title_seen = False

    def flush_para() -> None:
        text = "\n".join(buf).strip()
        if text:
            current.paragraphs.append(text)
        buf.clear()

    for line in doc.text.splitlines():
        m = _HEADING.match(line)
        if m:
            flush_para()
            level, heading = len(m.group(1)), m.group(2).strip()
            if level == 1 and not title_seen and heading == doc.title:
                title_seen = True
                continue
            if current.paragraphs:
                sections.append(current)
            stack = [(lv, h) for lv, h in stack if lv < level] + [(level, heading)]
            current = _Section([h for _, h in stack], [])
        elif not line.strip():
            flush_para()
        else:
            buf.append(line.rstrip())
    flush_para()
    if current.paragraphs:
        sections.append(current)
    return sections


def _split_long(piece: str, max_chars: int) -> list[str]:
    """A paragraph longer than a chunk → sentence-packed pieces."""
    units: list[str] = []
    for sentence in sentences(piece):
        if len(sentence) <= max_chars:
            units.append(sentence)
            continue
        clause_buf = ""
        for clause in clauses(sentence):
            while len(clause) > max_chars:  # no punctuation at all: hard split
                units.append(clause[:max_chars])
                clause = clause[max_chars:]
            if len(clause_buf) + len(clause) > max_chars:
                units.append(clause_buf)
                clause_buf = ""
            clause_buf += clause
        if clause_buf:
            units.append(clause_buf)
    return _pack(units, max_chars, sep="")


def _pack(units: list[str], max_chars: int, sep: str) -> list[str]:
    out: list[str] = []
    cur = ""
    for u in units:
        if cur and len(cur) + len(sep) + len(u) > max_chars:
            out.append(cur)
            cur = u
        else:
            cur = f"{cur}{sep}{u}" if cur else u
    if cur:
        out.append(cur)
    return [o.strip() for o in out if o.strip()]


def chunk_id(source: str, embedding_text: str, occurrence: int = 0) -> str:
    """Deterministic id from what gets embedded (not the position), so an edit to
    one paragraph keeps the other chunks' ids and their vectors are reused.
    ``occurrence`` tells identical chunks of one document apart."""
    key = f"{source}\x00{embedding_text}\x00{occurrence}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


def chunk_document(doc: Document, max_chars: int = MAX_CHARS, min_chars: int = MIN_CHARS) -> list[Chunk]:
    pieces: list[tuple[list[str], str]] = []
    for section in _sections(doc):
        units: list[str] = []
        for para in section.paragraphs:
            units.extend(_split_long(para, max_chars) if len(para) > max_chars else [para])
        for text in _pack(units, max_chars, sep="\n"):
            pieces.append((section.headings, text))
    # merge short pieces into a neighbour (same section first, else the next section)
    merged: list[tuple[list[str], str]] = []
    for headings, text in pieces:
        if merged:
            prev_h, prev_t = merged[-1]
            if (len(prev_t) < min_chars or len(text) < min_chars // 2) and \
                    len(prev_t) + len(text) + 1 <= max_chars:
                if prev_h == headings:
                    merged[-1] = (prev_h, f"{prev_t}\n{text}")
                elif not prev_h:  # a preamble (date line, intro) joins the first section
                    merged[-1] = (headings, f"{prev_t}\n{text}")
                else:
                    label = headings[-1] if headings else ""
                    joined = f"{prev_t}\n{label}\n{text}" if label else f"{prev_t}\n{text}"
                    merged[-1] = (prev_h, joined)
                continue
        merged.append((headings, text))
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for i, (headings, text) in enumerate(merged):
        chunk = Chunk(id="", source=doc.source, ord=i, title=doc.title, headings=headings, text=text)
        key = chunk.embedding_text()
        chunk.id = chunk_id(doc.source, key, seen.get(key, 0))
        seen[key] = seen.get(key, 0) + 1
        chunks.append(chunk)
    return chunks
