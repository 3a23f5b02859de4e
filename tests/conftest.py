"""Every test gets a fresh workspace and IPWRITER_HOME, and no provider keys
from the developer's environment."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
KEY_VARS = ["OPENAI_API_KEY", "DEEPSEEK_API_KEY", "DASHSCOPE_API_KEY", "MOONSHOT_API_KEY",
            "ZHIPUAI_API_KEY"]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("IPWRITER_") or name in KEY_VARS:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IPWRITER_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def demo_ws(tmp_path: Path) -> Path:
    """A copy of the demo workspace (profile.yaml + knowledge/) in a temp folder."""
    ws = tmp_path / "ws"
    ws.mkdir()
    shutil.copy(REPO / "profile.yaml", ws / "profile.yaml")
    shutil.copytree(REPO / "knowledge", ws / "knowledge")
    return ws


@pytest.fixture(scope="session")
def gguf_path() -> Path:
    from ipwriter.llm.local import packaged_gguf

    return packaged_gguf()
