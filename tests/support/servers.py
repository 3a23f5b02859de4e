"""Starting and stopping real servers for tests: a free port, waiting until the
server answers (or failing with its log), stopping it for sure."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(proc, url: str, log_path: Path, what: str, timeout: float,
                  ready=lambda r: r.status_code == 200) -> None:
    """Poll ``url`` until ``ready(response)``; fail with the log's tail if the
    process exits or the time runs out (then the process is killed)."""
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
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def start_app(root: Path):
    """``ipwriter app`` on a free port for the workspace at ``root`` (state in
    root/.ipwriter), once it answers: (process, log file, url)."""
    import os
    import sys

    port = free_port()
    log = open(root / "app.log", "w")
    env = {**os.environ, "IPWRITER_HOME": str(root / ".ipwriter")}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "ipwriter"), "app", "--port", str(port)],
                            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(proc, url + "/_stcore/health", root / "app.log", "ipwriter app", 90,
                  ready=lambda r: r.text == "ok")
    return proc, log, url
