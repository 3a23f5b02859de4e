"""The knowledge store's SQLite catalog: its schema, and reads that need neither
the store lock nor Chroma, so ``check``, the app's source list and the fact
table work while another process (an ingest, the app) holds the store. Every
connection checks the file's header first and turns SQLite's corruption errors
into :class:`StoreDamagedError`, which names the repair (``knowledge.damage``).

Tables: ``files`` (source, content hash, title, counts), ``chunks`` (text and
BM25 tokens), ``facts``, ``errors`` (the last failure of each source) and
``meta`` (``generation``, bumped on every change; ``derived``, the version of
the code that derived tokens and facts).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ipwriter.errors import IpwriterError
from ipwriter.knowledge.damage import REPAIR_COMMAND, backup_hint, guarded_connect, sqlite_damage
from ipwriter.knowledge.models import Fact

KIND_KEYS = {"自证": "k_self", "他证": "k_third", "价格": "k_price", "时间": "k_time", "其他": "k_other"}
SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    source TEXT PRIMARY KEY, hash TEXT NOT NULL, title TEXT, chunks INTEGER, facts INTEGER,
    ingested_at TEXT);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, ord INTEGER, title TEXT, headings TEXT,
    text TEXT, tokens TEXT);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
CREATE TABLE IF NOT EXISTS facts (
    id INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL, source TEXT NOT NULL, text TEXT,
    value REAL, high REAL, unit TEXT, subject TEXT, kind TEXT, quote TEXT, approx INTEGER,
    plus INTEGER, owner TEXT, consent INTEGER DEFAULT 0, corrected INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS facts_source ON facts(source);
CREATE INDEX IF NOT EXISTS facts_value ON facts(value);
CREATE INDEX IF NOT EXISTS facts_chunk ON facts(chunk_id);
CREATE TABLE IF NOT EXISTS errors (source TEXT PRIMARY KEY, error TEXT, at TEXT);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


#: Columns the fact ledger added (owner, consent, corrected): a catalog written before
#: them gets them on open; its facts are re-derived anyway (DERIVED_VERSION).
_LEDGER_COLUMNS = (("owner", "TEXT"), ("consent", "INTEGER DEFAULT 0"), ("corrected", "INTEGER DEFAULT 0"))
_FACT_KEYS = ("chunk_id", "source", "text", "value", "high", "unit", "subject", "kind", "quote",
              "approx", "plus", "owner", "consent", "corrected")


def add_ledger_columns(db: sqlite3.Connection) -> None:
    have = {r[1] for r in db.execute("PRAGMA table_info(facts)")}
    with db:
        for name, decl in _LEDGER_COLUMNS:
            if name not in have:
                db.execute(f"ALTER TABLE facts ADD COLUMN {name} {decl}")


def insert_facts(db: sqlite3.Connection, facts: Iterable[Fact]) -> None:
    """Insert facts (inside the caller's transaction)."""
    db.executemany(
        f"INSERT INTO facts ({', '.join(_FACT_KEYS)}) VALUES ({', '.join('?' * len(_FACT_KEYS))})",
        [(f.chunk_id, f.source, f.text, f.value, f.high, f.unit, f.subject, f.kind, f.quote,
          int(f.approx), int(f.plus), f.owner, int(f.consent), int(f.corrected)) for f in facts])


def query_facts(db: sqlite3.Connection, *, source: str | None = None,
                chunk_ids: Sequence[str] | None = None,
                kinds: Iterable[str] | None = None) -> list[Fact]:
    # the note's title comes with each fact: an account it names scopes the fact's numbers
    have = {r[1] for r in db.execute("PRAGMA table_info(facts)")}
    ledger = ", ".join(f"f.{n}" if n in have else "NULL" for n, _ in _LEDGER_COLUMNS)
    sql = ("SELECT f.text, f.value, f.high, f.unit, f.subject, f.kind, f.source, f.quote, "
           f"f.chunk_id, f.approx, f.plus, COALESCE(d.title, ''), {ledger} FROM facts f "
           "LEFT JOIN files d ON d.source = f.source WHERE 1=1")
    args: list[Any] = []
    if source is not None:
        sql += " AND f.source = ?"
        args.append(source)
    if chunk_ids is not None:
        sql += f" AND f.chunk_id IN ({','.join('?' * len(chunk_ids))})"
        args.extend(chunk_ids)
    if kinds:
        kinds = list(kinds)
        sql += f" AND f.kind IN ({','.join('?' * len(kinds))})"
        args.extend(kinds)
    sql += " ORDER BY f.source, f.id"
    keys = ("text", "value", "high", "unit", "subject", "kind", "source", "quote",
            "chunk_id", "approx", "plus", "title", "owner", "consent", "corrected")
    return [Fact(**{k: v for k, v in zip(keys, r) if v is not None or k not in ("consent", "corrected")})
            for r in db.execute(sql, args)]


class StoreBusyError(IpwriterError):
    exit_code = 2

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"知识库 {path} 正被另一个 ipwriter 进程使用（例如正在导入或 ipwriter app 已打开），请稍后再试",
            f"the knowledge store {path} is in use by another ipwriter process; try again later",
        )


class StoreDamagedError(IpwriterError):
    """The catalog or the vector store is damaged (cut short, overwritten, unreadable).
    The notes themselves are in knowledge/: the repair rebuilds both from there."""

    exit_code = 2  # like a busy store: the creator must act (run the repair) before retrying
    PARTS = {"catalog": ("知识库目录", "catalog"), "vectors": ("向量库", "vector store")}

    def __init__(self, path: Path, what: str, part: str = "catalog", detail: str = "") -> None:
        zh, en = self.PARTS[part]
        self.path, self.part, self.summary = path, part, f"{zh} {path}：{what}"
        # the home: the catalog is home/knowledge.sqlite3, the vectors home/store/chroma[/chroma.sqlite3]
        home = path.parent if part == "catalog" else path.parents[2 if path.suffix else 1]
        super().__init__(
            f"{zh} {path} 已损坏：{what}。笔记原文在 knowledge/ 里，没有丢失；请运行 {REPAIR_COMMAND}"
            f"（损坏的文件会移到 {backup_hint(home)}，再重新导入 knowledge/ 和其他导入过的笔记）",
            f"the knowledge {en} {path} is damaged{f' ({detail})' if detail else ''}; your notes in "
            f"knowledge/ are safe: run `{REPAIR_COMMAND}` to move the damaged files into "
            f"{home / 'damaged-…'} and re-ingest knowledge/ and the other notes ingested")


def catalog_path(home: Path) -> Path:
    return home / "knowledge.sqlite3"


def connect_catalog(home: Path, *, read_only: bool = False, timeout: float = 30,
                    **kwargs: Any) -> sqlite3.Connection:
    """The catalog, its header checked first; corruption met later raises
    :class:`StoreDamagedError` too. An empty file is a new catalog (it is derived
    data: the next ingest refills it)."""
    path = catalog_path(home)
    found = sqlite_damage(path)
    if found:
        raise StoreDamagedError(path, found)

    def damaged(exc: sqlite3.DatabaseError) -> StoreDamagedError:
        return StoreDamagedError(path, f"内容损坏（{exc}）", detail=str(exc))

    target = f"file:{path}?mode=ro" if read_only else str(path)
    return guarded_connect(target, damaged, uri=read_only, timeout=timeout, **kwargs)


def read_only(home: Path, read: Callable[[sqlite3.Connection], Any], default: Any) -> Any:
    """``read(db)`` on the catalog opened read-only, without the store lock or Chroma
    (another process may hold the store); ``default`` when there is no catalog yet."""
    path = catalog_path(home)
    if not path.is_file():
        return default
    db = connect_catalog(home, read_only=True, timeout=10)
    try:
        return read(db)
    except sqlite3.OperationalError:  # a catalog from before these tables
        return default
    finally:
        db.close()


def generation_of(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
    return int(row[0]) if row else 0


def read_facts(home: Path) -> tuple[int, list[Fact]]:
    """(generation, all facts): ``check`` works while another process holds the store."""
    return read_only(home, lambda db: (generation_of(db), query_facts(db)), (0, []))


SOURCES_SQL = (
    "SELECT f.source, f.title, f.chunks, f.facts, f.ingested_at, e.error FROM files f "
    "LEFT JOIN errors e ON e.source = f.source "
    "UNION SELECT e.source, NULL, 0, 0, NULL, e.error FROM errors e "
    "WHERE e.source NOT IN (SELECT source FROM files) ORDER BY 1")
SOURCE_KEYS = ("source", "title", "chunks", "facts", "ingested_at", "error")


def sources_of(db: sqlite3.Connection) -> list[dict[str, Any]]:
    return [dict(zip(SOURCE_KEYS, r)) for r in db.execute(SOURCES_SQL).fetchall()]


def read_sources(home: Path) -> list[dict[str, Any]]:
    """The ingested notes, with chunk and fact counts and the last error of each."""
    return read_only(home, sources_of, [])


def catalog_generation(home: Path) -> int:
    return read_only(home, generation_of, 0)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
