"""Health checks behind ``ipwriter doctor``: settings, profile, chat model,
embedding model, store. Each check is timed and never raises."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from ipwriter.errors import IpwriterError
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
