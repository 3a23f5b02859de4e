"""Damaged state files: a SQLite file cut short or overwritten, told apart
before it surfaces as a bare "database disk image is malformed", and the
folder damaged files go to when the creator runs the repair (never deleted).

:func:`sqlite_damage` reads the 100-byte header and the size: no SQLite magic
means the file was overwritten; fewer bytes than the pages its header counts
means it was cut short. It costs one ``stat`` and one small read, so it runs
on every open. :func:`integrity` is SQLite's ``quick_check`` (it reads every
page: ``doctor`` only). :func:`is_corruption` tells, in an error SQLite raised
mid-query, a damaged file from a busy or missing one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPAIR_COMMAND = "ipwriter doctor --repair"
SQLITE_MAGIC = b"SQLite format 3\x00"
CORRUPTION_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
COMPANIONS = ("-wal", "-shm", "-journal")


def is_corruption(exc: BaseException) -> bool:
    """A SQLite error that means the file is damaged (not locked, not missing)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in CORRUPTION_CODES
    text = str(exc)
    return "malformed" in text or "not a database" in text


def sqlite_damage(path: Path, *, empty_is_damage: bool = False) -> str | None:
    """What is wrong with a SQLite file, from its header and size, in Chinese
    (None: nothing seen, or no file). An empty file is what SQLite makes a new
    database from; ``empty_is_damage`` when this program never leaves one."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(100)
    except OSError:  # absent, or unreadable for another reason: SQLite will say which
        return None
    if size == 0:
        return "文件是空的（0 字节）" if empty_is_damage else None
    if len(head) < 100:
        return f"文件被截断（只剩 {size} 字节）"
    if not head.startswith(SQLITE_MAGIC):
        return "文件开头被覆盖，已不是 SQLite 数据库"
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        return "文件头被覆盖（页大小无效）"
    pages = int.from_bytes(head[28:32], "big")
    valid = pages > 0 and head[24:28] == head[92:96]
    # a writer checkpointing its WAL may extend the file after page 1: only a file no
    # one is writing (no -wal beside it) is compared with its header
    if valid and size < pages * page and not Path(f"{path}-wal").exists():
        return f"文件被截断（应有 {pages * page} 字节，只有 {size} 字节）"
    if size % page and not Path(f"{path}-wal").exists():
        return f"文件被截断（{size} 字节不是整页）"
    return None


def integrity(path: Path) -> str | None:
    """SQLite's own ``quick_check`` of a file (reads every page), plus the header
    check; None when the file is sound or absent."""
    found = sqlite_damage(path)
    if found or not path.is_file() or path.stat().st_size == 0:
        return found
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            rows = [r[0] for r in db.execute("PRAGMA quick_check(5)")]
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        if is_corruption(exc):
            return f"内容损坏（{exc}）"
        raise
    if rows != ["ok"]:
        return "内容损坏（" + "；".join(" ".join(r.split()) for r in rows[:3]) + "）"
    return None


class GuardedConnection(sqlite3.Connection):
    """A connection whose queries, fetches and commits turn a corruption error
    into ``on_damage(exc)`` (an :class:`~ipwriter.errors.IpwriterError` naming the
    repair); other errors pass unchanged. Made by :func:`guarded_connect`."""

    on_damage: Callable[[sqlite3.DatabaseError], Exception]

    def guarded(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except sqlite3.DatabaseError as exc:
            if is_corruption(exc):
                raise self.on_damage(exc) from exc
            raise

    def cursor(self, factory: Any = None) -> Any:  # noqa: ARG002 - always the guarded cursor
        return sqlite3.Connection.cursor(self, GuardedCursor)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        cur = self.cursor()
        self.guarded(cur.execute, sql, parameters)
        return cur

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        cur = self.cursor()
        self.guarded(cur.executemany, sql, parameters)
        return cur

    def executescript(self, script: str, /) -> Any:
        return self.guarded(sqlite3.Connection.executescript, self, script)

    def commit(self) -> None:
        self.guarded(sqlite3.Connection.commit, self)

    def __exit__(self, *exc: Any) -> Any:
        return self.guarded(sqlite3.Connection.__exit__, self, *exc)


class GuardedCursor(sqlite3.Cursor):
    def _guarded(self, fn: Callable[..., Any], *args: Any) -> Any:
        return self.connection.guarded(fn, *args)  # type: ignore[attr-defined]

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self._guarded(sqlite3.Cursor.execute, self, sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        return self._guarded(sqlite3.Cursor.executemany, self, sql, parameters)

    def fetchone(self) -> Any:
        return self._guarded(sqlite3.Cursor.fetchone, self)

    def fetchall(self) -> list[Any]:
        return self._guarded(sqlite3.Cursor.fetchall, self)

    def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._guarded(sqlite3.Cursor.fetchmany, self, self.arraysize if size is None else size)

    def __iter__(self) -> Any:  # rows fetched in C, then handed out: a Python __next__ costs 2x
        return iter(self.fetchall())


def guarded_connect(database: str, on_damage: Callable[[sqlite3.DatabaseError], Exception],
                    **kwargs: Any) -> GuardedConnection:
    """``sqlite3.connect`` whose corruption errors become ``on_damage(exc)``."""
    try:
        db = sqlite3.connect(database, factory=GuardedConnection, **kwargs)
    except sqlite3.DatabaseError as exc:
        if is_corruption(exc):
            raise on_damage(exc) from exc
        raise
    db.on_damage = on_damage
    return db


def chroma_damage(exc: BaseException) -> bool:
    """An error Chroma raised because its SQLite file is damaged (Chroma reports
    SQLite's code in the message: ``(code: 11) database disk image is malformed``)."""
    text = str(exc)
    return any(m in text for m in ("(code: 11)", "(code: 26)", "malformed", "not a database"))


def release_chroma(path: Path) -> None:
    """Stop and forget this process's Chroma system for the folder ``path``: Chroma
    keeps one per folder for the life of the process, so a folder that was moved,
    deleted or failed to open would otherwise be used again (stale or half made)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    key = str(path)
    system = getattr(SharedSystemClient, "_identifier_to_system", {}).pop(key, None)
    getattr(SharedSystemClient, "_identifier_to_refcount", {}).pop(key, None)
    if system is not None:
        try:
            system.stop()
        except Exception:  # noqa: BLE001 - half made (it failed to open): nothing to stop
            pass


class GuardedCollection:
    """A Chroma collection whose calls raise ``on_damage(exc)`` when Chroma's
    SQLite file turns out damaged mid-use; everything else passes through."""

    def __init__(self, inner: Any, on_damage: Callable[[Exception], Exception]) -> None:
        self._inner = inner
        self._on_damage = on_damage

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return attr(*args, **kwargs)
            except Exception as exc:
                if chroma_damage(exc):
                    raise self._on_damage(exc) from exc
                raise
        return call


def backup_hint(home: Path) -> str:
    """Where the repair puts damaged files, as a message names it (the real home:
    ``IPWRITER_HOME`` may be anywhere)."""
    return f"{home / 'damaged-日期-时间'}{os.sep}"


def damaged_dir(home: Path) -> Path:
    """A new ``damaged-YYYYmmdd-HHMMSS`` folder under the workspace home."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(100):
        path = home / (f"damaged-{stamp}" + (f"-{n}" if n else ""))
        try:
            path.mkdir(parents=True)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(home / f"damaged-{stamp}")


def move_aside(path: Path, dest: Path) -> list[Path]:
    """Move a file (with its SQLite companions) or a folder into ``dest``;
    returns where each went. Nothing is deleted."""
    moved = []
    for p in [path, *(Path(f"{path}{s}") for s in COMPANIONS)]:
        if p.exists():
            target = dest / p.name
            shutil.move(str(p), str(target))
            moved.append(target)
    return moved


def salvage(path: Path, tables: dict[str, tuple[str, ...]]) -> tuple[dict[str, list[tuple]], int]:
    """Every row that can still be read from a damaged SQLite file (a scratch copy:
    SQLite may write to it), table by table in rowid order, and how many damaged
    places were skipped. A table is read in one pass when it can be; otherwise
    row by row, stepping past what fails."""
    rows: dict[str, list[tuple]] = {t: [] for t in tables}
    skipped = 0
    try:
        db = sqlite3.connect(str(path), timeout=10)
        # a file shorter than its header says is refused as a whole, unless the schema
        # may be "written": then SQLite reads the pages that are there
        db.execute("PRAGMA writable_schema=ON")
    except sqlite3.DatabaseError:
        return rows, len(tables)
    try:
        for table, columns in tables.items():
            cols = ", ".join(columns)
            try:
                rows[table] = db.execute(f"SELECT {cols} FROM {table} ORDER BY rowid").fetchall()
                continue
            except sqlite3.DatabaseError:
                pass
            got, lost = _row_by_row(db, table, cols)
            rows[table], skipped = got, skipped + lost
    finally:
        db.close()
    return rows, skipped


def _row_by_row(db: sqlite3.Connection, table: str, cols: str) -> tuple[list[tuple], int]:
    got: list[tuple] = []
    lost, after = 0, 0
    while True:
        step, nxt = 1, None
        while step < 2 ** 40:  # the next rowid that can be found, probing past a broken page
            try:
                nxt = db.execute(f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1",
                                 (after + step - 1,)).fetchone()
                break
            except sqlite3.DatabaseError:
                lost += step == 1
                step *= 2
        if nxt is None:
            return got, lost
        try:
            row = db.execute(f"SELECT {cols} FROM {table} WHERE rowid = ?", (nxt[0],)).fetchone()
            got.append(row)
        except sqlite3.DatabaseError:  # the row is there, its content (an overflow page) is not
            lost += 1
        after = nxt[0]
