"""The app's one Workspace, and how pages report errors.

One Streamlit server is one process: every browser session shares one
Workspace (it holds the knowledge store's lock). Tests replace ``factory``
with one that builds a Workspace around a fake model.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from ipwriter.errors import IpwriterError
from ipwriter.redact import redact
from ipwriter.webapp.render import md_code, md_text

log = logging.getLogger(__name__)
T = TypeVar("T")


def _default_factory():
    from ipwriter.workspace import Workspace

    return Workspace(Path.cwd())


factory: Callable[[], Any] = _default_factory
_lock = threading.Lock()
_workspace: dict[str, Any] = {}
# One action at a time across browser sessions: the knowledge store is closed
# after each one (so the CLI can use it in between) and the local model runs
# one generation at a time anyway.
_action_lock = threading.RLock()


def workspace():
    """The shared Workspace (built on first use)."""
    with _lock:
        if "ws" not in _workspace:
            _workspace["ws"] = factory()
        return _workspace["ws"]


def reset() -> None:
    """Forget the shared Workspace (tests; after settings change on disk)."""
    with _lock:
        ws = _workspace.pop("ws", None)
    if ws is not None:
        ws.close()


def guard(action: Callable[[], T], *, what: str = "", release: bool = True) -> T | None:
    """Run an action; show a readable Chinese-first error instead of a traceback.
    ``release``: close the knowledge store afterwards, so its lock is free for the CLI."""
    if not release:  # reads of the draft database and settings: no store, no waiting
        return _attempt(action, what)
    with _action_lock:
        try:
            return _attempt(action, what)
        finally:
            if "ws" in _workspace:
                _workspace["ws"].close()


def _attempt(action: Callable[[], T], what: str) -> T | None:
    try:
        return action()
    except IpwriterError as exc:
        st.error(md_text(redact(exc.message)), icon="⚠️")
        if type(exc).__name__ == "StoreBusyError":
            st.info("知识库正被另一个 ipwriter 进程占用（比如命令行正在导入）。等它结束后刷新页面即可。")
        return None
    except Exception as exc:  # an unexpected failure: logged in full, shown short
        log.exception("app action failed: %s", what)
        st.error(f"出错了：{md_text(redact(f'{type(exc).__name__}: {exc}'))}（详情见日志）", icon="⚠️")
        return None


def go(page: str, **params: str) -> None:
    """Switch to another page (by url path), with query parameters."""
    st.switch_page(st.session_state["_pages"][page], query_params=params or None)


def sidebar() -> None:
    ws = guard(workspace, what="open workspace", release=False)
    with st.sidebar:
        if ws is None:
            return
        s = ws.settings
        model = s.model or ("内置 Gemma 3 270M" if s.provider == "local" else "默认模型")
        st.caption(f"工作区：{md_code(str(ws.root))}")
        st.caption(f"模型：{s.provider} · {md_text(model)}")
        if s.compact_mode:
            st.caption("精简模式：回复短，适合小模型（IPWRITER_COMPACT）")
        st.caption(f"日志：{md_code(str(ws.log_path))}")
