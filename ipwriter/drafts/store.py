"""Draft history in SQLite under ``$IPWRITER_HOME``: every generation and every
edit is a new version; nothing is overwritten.

Tables: ``drafts`` (one row per draft: chain, platform, status, and the
chain's typed inputs — what the creator asked for) and ``versions``
(draft_id, version, the text, title and everything the chain returned, the
check report, how the version was generated, who wrote it). Status changes go
to ``events``. A new version is numbered inside a ``BEGIN IMMEDIATE``
transaction, so the CLI and the app writing at once cannot take the same
number or lose one.

Drafts saved before inputs were typed kept the request and the run record
in one dict; they are read back split into the two, so nothing is lost.

The drafts are the creator's work: a damaged file (cut short, overwritten)
raises :class:`DraftsDamagedError` naming the repair, and is never rebuilt on
its own. :meth:`DraftStore.repair` (``ipwriter doctor --repair``) backs it up
and keeps every row that can still be read, holding ``drafts.lock`` (which every
write takes too), so a repair never races a write. Approving a draft whose latest
version has blocking findings needs an override with a reason
(:class:`ApprovalBlocked`); the reason goes to ``events``.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from filelock import FileLock, Timeout
from pydantic import BaseModel, ValidationError

from ipwriter.drafts.approval import approval_note
from ipwriter.drafts.repair import DraftsRepair, check_file, create_file, repair_file
from ipwriter.drafts.schema import SCHEMA, DraftsBusyError, DraftsDamagedError
from ipwriter.drafts.schema import now as _now
from ipwriter.errors import ConfigError
from ipwriter.knowledge.damage import is_corruption, sqlite_damage
from ipwriter.labels import STATUSES
from ipwriter.write.inputs import ChainInputs, StoredInputs
from ipwriter.write.models import Draft, RunInfo

InputsModel = Callable[[str], "type[ChainInputs] | None"]
# what a version row keeps beyond text/title (everything the chain returned)
_PAYLOAD_FIELDS = ("citations", "report", "before", "replacements", "segments", "items", "model",
                   "usage", "run")


class DraftNotFound(ConfigError):
    def __init__(self, draft_id: str, version: int | None = None) -> None:
        what = f"{draft_id} 的第 {version} 版" if version else draft_id
        super().__init__(f"找不到草稿 {what}（用 ipwriter drafts list 查看）",
                         f"no such draft: {draft_id}" + (f" v{version}" if version else ""))


class DraftDamaged(ConfigError):
    def __init__(self, draft_id: str, version: int, exc: Exception) -> None:
        super().__init__(f"草稿 {draft_id} 第 {version} 版的记录已损坏，无法读取（{type(exc).__name__}）",
                         f"draft {draft_id} v{version} is damaged: {exc}")


class DraftSummary(BaseModel):
    draft_id: str
    chain: str
    platform: str | None
    status: str
    title: str
    versions: int
    created_at: str
    updated_at: str
    ok: bool | None = None


def _summary_ok(payload: str) -> bool | None:
    """The check verdict stored with a version (None if the payload is unreadable)."""
    try:
        return (json.loads(payload).get("report") or {}).get("summary", {}).get("ok")
    except (ValueError, AttributeError):
        return None


def new_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


def _split_legacy(raw: dict[str, Any], model: type[ChainInputs] | None,
                  before: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """An old mixed dict → (inputs, run). A rewrite's text was kept as ``before``.
    For a chain no longer registered, everything that is not a run field stays an input."""
    run_fields = set(RunInfo.model_fields) - {"details"}
    fields = set(model.model_fields) if model is not None else set(raw) - run_fields
    inputs = {k: v for k, v in raw.items() if k in fields}
    if "text" in fields and "text" not in inputs and before:
        inputs["text"] = before
    run = {k: v for k, v in raw.items() if k in run_fields}
    run["details"] = {k: v for k, v in raw.items() if k not in fields and k not in run_fields}
    return inputs, run


class DraftStore:
    #: seconds a write waits for the drafts lock (held by a repair), and the repair for writes
    write_wait = 30.0
    repair_wait = 2.0

    def __init__(self, home: Path, inputs_model: InputsModel = lambda chain: None) -> None:
        """``inputs_model(chain)``: the typed inputs of a chain (None: keep them as saved)."""
        home.mkdir(parents=True, exist_ok=True)
        self.inputs_model = inputs_model
        self.path = home / "drafts.sqlite3"
        self.lock_path = home / "drafts.lock"
        self._ready = False  # the file is opened (and made) on first use, not here

    @contextmanager
    def _locked(self, wait: float) -> Iterator[None]:
        """The drafts lock, held by every write and by the repair: a repair never
        races a write (from the app, from another command)."""
        lock = FileLock(str(self.lock_path))
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise DraftsBusyError(self.path) from None
        try:
            yield
        finally:
            lock.release()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # one short-lived connection per operation: safe across threads (Streamlit)
        if not self._ready:
            create_file(self.path)
        found = sqlite_damage(self.path, empty_is_damage=True)
        if found:
            raise DraftsDamagedError(self.path, found)
        try:
            db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA foreign_keys=ON")
                if not self._ready:
                    db.executescript(SCHEMA)  # tables a newer version added
                    self._ready = True
                yield db
            finally:
                db.close()
        except sqlite3.DatabaseError as exc:
            if is_corruption(exc):
                raise DraftsDamagedError(self.path, f"内容损坏（{exc}）") from exc
            raise

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._locked(self.write_wait), self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- writes -----------------------------------------------------------------------
    def save_new(self, draft: Draft) -> Draft:
        """Store a freshly generated draft as version 1 of a new draft id."""
        draft_id = new_id()
        at = _now()
        with self._write() as db:
            db.execute("INSERT INTO drafts (id, chain, platform, status, created_at, updated_at, inputs) "
                       "VALUES (?, ?, ?, 'draft', ?, ?, ?)",
                       (draft_id, draft.chain, draft.platform, at, at,
                        json.dumps({"v": 2, "inputs": draft.inputs.model_dump(mode="json")},
                                   ensure_ascii=False)))
            self._insert_version(db, draft_id, 1, draft, at)
            db.execute("INSERT INTO events VALUES (?, ?, 'created', ?)", (draft_id, at, draft.author))
        return draft.model_copy(update={"draft_id": draft_id, "version": 1, "created_at": at,
                                        "status": "draft"})

    def add_version(self, draft_id: str, draft: Draft, note: str = "") -> Draft:
        """A new version (an edit, a regeneration) of an existing draft."""
        at = _now()
        with self._write() as db:
            if not db.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone():
                raise DraftNotFound(draft_id)
            (latest,) = db.execute("SELECT COALESCE(MAX(version), 0) FROM versions WHERE draft_id = ?",
                                   (draft_id,)).fetchone()
            version = latest + 1
            self._insert_version(db, draft_id, version, draft, at, note)
            db.execute("UPDATE drafts SET updated_at = ?, status = 'draft' WHERE id = ?",
                       (at, draft_id))
            db.execute("INSERT INTO events VALUES (?, ?, 'version', ?)",
                       (draft_id, at, f"v{version} {draft.author} {note}".strip()))
        return self.get(draft_id, version)

    def _insert_version(self, db: sqlite3.Connection, draft_id: str, version: int, draft: Draft,
                        at: str, note: str = "") -> None:
        payload = draft.model_dump(mode="json", include=set(_PAYLOAD_FIELDS), by_alias=True)
        db.execute("INSERT INTO versions (draft_id, version, title, text, payload, author, note, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (draft_id, version, draft.title, draft.text,
                    json.dumps(payload, ensure_ascii=False), draft.author, note, at))

    def set_status(self, draft_id: str, status: str, note: str = "", *, force: bool = False,
                   reason: str = "") -> None:
        """Approving a draft whose latest version has blocking findings raises
        :class:`ApprovalBlocked` unless ``force`` with a ``reason``; the override,
        its reason and what it overrode are recorded in ``events``."""
        if status not in STATUSES:
            raise ConfigError(f"状态只能是 {'、'.join(STATUSES)}", f"status must be one of {STATUSES}")
        reason = " ".join(reason.split())
        if force and not reason:
            raise ConfigError("强制通过需要写明理由（--reason \"…\"），理由会记入草稿历史",
                              "an override needs a reason (--reason \"...\"); it is recorded")
        at = _now()
        with self._write() as db:
            if status == "approved":
                row = db.execute("SELECT version, payload FROM versions WHERE draft_id = ? "
                                 "ORDER BY version DESC LIMIT 1", (draft_id,)).fetchone()
                if row is None:
                    raise DraftNotFound(draft_id)
                note = approval_note(draft_id, row[0], row[1], note, force, reason)
            cur = db.execute("UPDATE drafts SET status = ?, updated_at = ? WHERE id = ?",
                             (status, at, draft_id))
            if cur.rowcount == 0:
                raise DraftNotFound(draft_id)
            db.execute("INSERT INTO events VALUES (?, ?, ?, ?)", (draft_id, at, status, note))

    # -- reads ------------------------------------------------------------------------
    def get(self, draft_id: str, version: int | None = None) -> Draft:
        with self._connect() as db:
            head = db.execute("SELECT chain, platform, status, inputs FROM drafts WHERE id = ?",
                              (draft_id,)).fetchone()
            if head is None:
                raise DraftNotFound(draft_id)
            if version is None:
                row = db.execute("SELECT version, title, text, payload, author, created_at FROM versions "
                                 "WHERE draft_id = ? ORDER BY version DESC LIMIT 1", (draft_id,)).fetchone()
            else:
                row = db.execute("SELECT version, title, text, payload, author, created_at FROM versions "
                                 "WHERE draft_id = ? AND version = ?", (draft_id, version)).fetchone()
            if row is None:
                raise DraftNotFound(draft_id, version)
        chain, platform, status, inputs = head
        v, title, text, payload, author, created_at = row
        try:
            data: dict[str, Any] = json.loads(payload)
            stored = json.loads(inputs)
            model = self.inputs_model(chain)
            if isinstance(stored, dict) and stored.get("v") == 2:
                raw_inputs = dict(stored["inputs"])
            else:  # before typed inputs: one dict held the request and the run record
                raw_inputs, legacy_run = _split_legacy(dict(stored), model,
                                                       self._first_before(draft_id))
                data.setdefault("run", legacy_run)
            return Draft.model_validate({
                **data, "draft_id": draft_id, "version": v, "chain": chain, "platform": platform,
                "status": status, "inputs": self._typed(model, raw_inputs), "title": title,
                "text": text, "author": author, "created_at": created_at})
        except (ValueError, TypeError, KeyError) as exc:  # JSONDecodeError and ValidationError too
            raise DraftDamaged(draft_id, v, exc) from exc

    def _first_before(self, draft_id: str) -> str | None:
        with self._connect() as db:
            first = db.execute("SELECT payload FROM versions WHERE draft_id = ? AND version = 1",
                               (draft_id,)).fetchone()
        return json.loads(first[0]).get("before") if first else None

    @staticmethod
    def _typed(model: type[ChainInputs] | None, raw: dict[str, Any]) -> ChainInputs:
        if model is not None:
            try:
                return model.model_validate(raw)
            except ValidationError:  # saved by another version of the chain: keep as saved
                pass
        return StoredInputs.model_validate(raw)

    def versions(self, draft_id: str) -> list[dict[str, Any]]:
        with self._connect() as db:
            rows = db.execute("SELECT version, title, author, note, created_at FROM versions "
                              "WHERE draft_id = ? ORDER BY version", (draft_id,)).fetchall()
        if not rows:
            raise DraftNotFound(draft_id)
        return [dict(zip(("version", "title", "author", "note", "created_at"), r)) for r in rows]

    def events(self, draft_id: str) -> list[dict[str, str]]:
        with self._connect() as db:
            rows = db.execute("SELECT at, event, detail FROM events WHERE draft_id = ? ORDER BY rowid",
                              (draft_id,)).fetchall()
        return [dict(zip(("at", "event", "detail"), r)) for r in rows]

    def list(self, *, status: str | None = None, chain: str | None = None,
             platform: str | None = None, since: str | None = None, until: str | None = None,
             limit: int = 200) -> list[DraftSummary]:
        sql = ("SELECT d.id, d.chain, d.platform, d.status, v.title, v.payload, d.created_at, "
               "d.updated_at, (SELECT COUNT(*) FROM versions x WHERE x.draft_id = d.id) "
               "FROM drafts d JOIN versions v ON v.draft_id = d.id AND v.version = "
               "(SELECT MAX(version) FROM versions y WHERE y.draft_id = d.id) WHERE 1=1")
        args: list[Any] = []
        for column, value in (("d.status", status), ("d.chain", chain), ("d.platform", platform)):
            if value:
                sql += f" AND {column} = ?"
                args.append(value)
        if since:
            sql += " AND d.created_at >= ?"
            args.append(since)
        if until:
            sql += " AND d.created_at < ?"
            args.append(until)
        sql += " ORDER BY d.updated_at DESC LIMIT ?"
        args.append(limit)
        with self._connect() as db:
            rows = db.execute(sql, args).fetchall()
        out = []
        for r in rows:
            ok = _summary_ok(r[5])
            out.append(DraftSummary(draft_id=r[0], chain=r[1], platform=r[2], status=r[3], title=r[4],
                                    created_at=r[6], updated_at=r[7], versions=r[8], ok=ok))
        return out

    # -- health and repair ---------------------------------------------------------------
    def health(self) -> str:
        """A Chinese line for doctor (SQLite's quick_check reads every page); raises
        :class:`DraftsDamagedError` when the file is damaged."""
        if not self.path.exists():
            return "还没有草稿库（写第一篇草稿时建立）"
        check_file(self.path)
        with self._connect() as db:
            (n,) = db.execute("SELECT COUNT(*) FROM drafts").fetchone()
        return f"草稿库 {self.path} 正常：{n} 篇草稿"

    def repair(self, dest: Path) -> DraftsRepair:
        """Back the damaged file up into ``dest`` and keep every row that can be read,
        holding the drafts lock (:class:`DraftsBusyError` if a write holds it)."""
        with self._locked(self.repair_wait):
            self._ready = False
            return repair_file(self.path, dest)
