"""The drafts database's tables, and the errors a damaged or busy file raises."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from ipwriter.errors import IpwriterError
from ipwriter.knowledge.damage import REPAIR_COMMAND, backup_hint

SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY, chain TEXT NOT NULL, platform TEXT, status TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, inputs TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS versions (
    draft_id TEXT NOT NULL REFERENCES drafts(id), version INTEGER NOT NULL,
    title TEXT NOT NULL, text TEXT NOT NULL, payload TEXT NOT NULL, author TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL,
    PRIMARY KEY (draft_id, version));
CREATE TABLE IF NOT EXISTS events (
    draft_id TEXT NOT NULL, at TEXT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS drafts_updated ON drafts(updated_at);
"""
COLUMNS = {"drafts": ("id", "chain", "platform", "status", "created_at", "updated_at", "inputs"),
           "versions": ("draft_id", "version", "title", "text", "payload", "author", "note",
                        "created_at"),
           "events": ("draft_id", "at", "event", "detail")}


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class DraftsDamagedError(IpwriterError):
    exit_code = 2  # the creator must act: run the repair

    def __init__(self, path: Path, what: str) -> None:
        self.summary = f"草稿库 {path}：{what}"
        super().__init__(
            f"草稿库 {path} 已损坏：{what}。草稿不会被自动重建或覆盖；请运行 {REPAIR_COMMAND}："
            f"先把原文件备份到 {backup_hint(path.parent)}，再把还能读出的草稿逐条恢复到新的草稿库",
            f"the drafts database {path} is damaged; it is never rebuilt on its own: run "
            f"`{REPAIR_COMMAND}` to back it up into {path.parent / 'damaged-…'} and recover every "
            "draft that can still be read")


class DraftsBusyError(IpwriterError):
    """The drafts lock is held: ``doctor --repair`` is repairing the file, or (for the
    repair) another process is writing a draft."""

    exit_code = 2  # like a busy knowledge store: try again later

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"草稿库 {path} 正被另一个 ipwriter 进程使用（正在保存草稿，或正在运行 {REPAIR_COMMAND}），"
            "请稍后再试",
            f"the drafts database {path} is in use by another ipwriter process (saving a draft, "
            f"or `{REPAIR_COMMAND}`); try again later")
