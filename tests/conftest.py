"""Every test gets a fresh workspace and IPWRITER_HOME, and no provider keys
from the developer's environment.

Markers say what a test needs beyond the fast tier (``make test-fast`` runs
none of them): ``model`` loads the real e5 or the real local chat model,
``server`` starts a real server (``chroma run``, ``llama_cpp.server``, the
Streamlit app), ``browser`` drives the real headless Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .support.servers import free_port, stop, wait_until_up

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


@pytest.fixture(autouse=True)
def models_only_when_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test without the ``model`` marker that loads the real e5 or the real local
    chat model fails: the fast tier must stay fast, and its marker must say so."""
    if request.node.get_closest_marker("model"):
        return

    def refuse(*_args, **_kwargs):
        # pytest.fail raises a BaseException: no `except Exception` in the code under test
        # (doctor's checks, the app's error display) can swallow it
        pytest.fail(f"{request.node.nodeid} loads a real model: mark it @pytest.mark.model, "
                    "or use tests/support/fakes.py")

    monkeypatch.setattr("ipwriter.knowledge.e5_ort.get_model", refuse)
    monkeypatch.setattr("ipwriter.llm.local.load_llama", refuse)


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


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real ``chroma run`` server on 127.0.0.1 and a free port."""
    import subprocess
    import sys


    path = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    exe = Path(sys.executable).parent / "chroma"
    log = open(path / "server.log", "w")
    proc = subprocess.Popen([str(exe), "run", "--path", str(path / "data"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"
    wait_until_up(proc, url + "/api/v2/heartbeat", path / "server.log", "chroma run", 60)
    yield url
    stop(proc, log)


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory, gguf_path):
    """``python -m llama_cpp.server``'s own entry point on 127.0.0.1 and a free port,
    with the packaged GGUF and a recording tap: (base URL, JSONL file of every
    request the server received)."""
    import subprocess
    import sys


    server = Path(__file__).parent / "support" / "recording_llama_server.py"
    record = tmp_path_factory.mktemp("server") / "requests.jsonl"
    port = free_port()
    log = open(record.with_suffix(".log"), "w")
    proc = subprocess.Popen(
        [sys.executable, str(server), "--model", str(gguf_path), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "4096", "--n_threads", "2",
         "--chat_format", "ipwriter-gemma3"],
        env={**os.environ, "RECORD_FILE": str(record)}, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(proc, base + "/v1/models", record.with_suffix(".log"), "llama server", 120)
    record.write_text("")  # forget the readiness probes
    yield base, record
    stop(proc, log)
