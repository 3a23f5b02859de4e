"""The drafts database's file: made whole or not at all, checked, and repaired.

The drafts are the creator's work, so a damaged file is never rebuilt on its
own. :func:`repair_file` (``ipwriter doctor --repair``) copies it aside first,
then puts in its place a new file with every row that can still be read
(``knowledge.damage.salvage``: table by table, row by row).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

from pydantic import BaseModel

from ipwriter.drafts.schema import COLUMNS, SCHEMA, DraftsDamagedError, now
from ipwriter.knowledge.damage import COMPANIONS, integrity, salvage, sqlite_damage
from ipwriter.labels import STATUS_LABELS


class DraftsRepair(BaseModel):
    """What :func:`repair_file` kept: rows read back, damaged places skipped, drafts
    and versions not brought back (they stay in the backup), where the original went."""

    backup: str
    drafts: int
    versions: int
    events: int
    skipped: int
    lost_drafts: int
    lost_versions: int  # known from the history (each version left an event)


def files(path: Path) -> list[Path]:
    """The database and its SQLite companions (WAL, shared memory) that exist."""
    return [p for p in (path, *(Path(f"{path}{s}") for s in COMPANIONS)) if p.exists()]


def _new_file(path: Path) -> Path:
    """An empty database with the schema, made beside ``path`` (closed: no WAL left)."""
    fd, tmp = tempfile.mkstemp(prefix=".drafts-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    db = sqlite3.connect(tmp)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(SCHEMA)
    finally:
        db.close()
    return Path(tmp)


def create_file(path: Path) -> None:
    """Make the database if there is none. It appears whole (made aside, then
    linked in), so an empty drafts file is damage, never a database being made."""
    if path.exists():
        return
    tmp = _new_file(path)
    try:
        os.link(tmp, path)
    except FileExistsError:  # another process made it first: use theirs
        pass
    finally:
        tmp.unlink()


def check_file(path: Path) -> None:
    """Raise :class:`DraftsDamagedError` if the file is damaged (reads every page)."""
    found = sqlite_damage(path, empty_is_damage=True) or integrity(path)
    if found:
        raise DraftsDamagedError(path, found)


def repair_file(path: Path, dest: Path) -> DraftsRepair:
    """Copy the damaged database (and its WAL) into ``dest``, then put in its place
    a new one with every row that can still be read. A draft none of whose
    versions can be read is not brought back: it stays in the backup. A draft that
    lost a version goes back to ``draft`` (the version it was approved or rejected
    at may be the lost one), and its ``repaired`` event says so."""
    backup = [Path(shutil.copy2(p, dest / p.name)) for p in files(path)]
    with tempfile.TemporaryDirectory() as scratch:  # salvage never touches the backup
        for p in backup:
            shutil.copy2(p, Path(scratch) / p.name)
        rows, skipped = salvage(Path(scratch) / path.name, COLUMNS)
    with_versions = {r[0] for r in rows["versions"]}
    kept = {r[0] for r in rows["drafts"] if r[0] in with_versions}
    lost = _lost_versions(rows, kept)
    # a status was given to a version that may be the one lost: the draft goes back to review
    reset = {r[0]: r[3] for r in rows["drafts"] if r[0] in kept and lost.get(r[0]) and r[3] != "draft"}
    drafts = [(*r[:3], "draft", *r[4:]) if r[0] in reset else r for r in rows["drafts"] if r[0] in kept]
    at = now()
    notes = {d: "从损坏的草稿库恢复" + (f"，第 {'、'.join(map(str, lost[d]))} 版读不出来" if lost.get(d) else "")
             + (f"，状态由「{STATUS_LABELS.get(reset[d], reset[d])}」改回「{STATUS_LABELS['draft']}」"
                "（审阅过的那一版可能已丢失，请重新审阅）" if d in reset else "")
             + f"；原文件备份在 {dest}"
             + (f" / status reset from {reset[d]} to draft: the reviewed version may be lost"
                if d in reset else "") for d in kept}
    tables = {"drafts": drafts,
              "versions": [r for r in rows["versions"] if r[0] in kept],
              "events": [r for r in rows["events"] if r[0] in kept]
              + [(d, at, "repaired", notes[d]) for d in sorted(kept)]}
    tmp = _new_file(path)
    db = sqlite3.connect(tmp)
    try:
        with db:
            for table, got in tables.items():
                db.executemany(f"INSERT OR IGNORE INTO {table} ({', '.join(COLUMNS[table])}) "
                               f"VALUES ({', '.join('?' * len(COLUMNS[table]))})", got)
    finally:
        db.close()
    for p in files(path):  # the damaged file's WAL must never meet the new file (all backed up)
        if p != path:
            p.unlink()
    os.replace(tmp, path)
    return DraftsRepair(backup=str(dest / path.name), drafts=len(drafts),
                        versions=len(tables["versions"]), events=len(tables["events"]) - len(kept),
                        skipped=skipped, lost_versions=sum(map(len, lost.values())),
                        lost_drafts=len(({r[0] for r in rows["drafts"]} | with_versions) - kept))


def _lost_versions(rows: dict[str, list[tuple]], kept: set[str]) -> dict[str, list[int]]:
    """Versions of the kept drafts that the history names but could not be read:
    every version left an event ('created' for v1, 'version' with "v<n> …")."""
    named: dict[str, set[int]] = {}
    for draft_id, _, event, detail in rows["events"]:
        m = re.match(r"v(\d+)\b", detail) if event == "version" else None
        number = 1 if event == "created" else int(m[1]) if m else None
        if number is not None and draft_id in kept:
            named.setdefault(draft_id, set()).add(number)
    have = {(r[0], r[1]) for r in rows["versions"]}
    return {d: sorted(n for n in numbers if (d, n) not in have) for d, numbers in named.items()}
