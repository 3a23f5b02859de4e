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


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(proc, url: str, log_path: Path, what: str, timeout: float,
                  ready=lambda r: r.status_code == 200) -> None:
    """Poll ``url`` until ``ready(response)``; fail with the log's tail if the
    process exits or the time runs out (then the process is killed)."""
    import time

    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited: " + log_path.read_text(errors="replace")[-3000:])
        try:
            if ready(httpx.get(url, timeout=1)):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    pytest.fail(f"{what} did not answer in {timeout:.0f} s")


def stop(proc, log, grace: float = 10) -> None:
    """Terminate a server started for a test, kill it if it lingers, close its log."""
    import subprocess

    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


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
