"""``ipwriter app`` runs Streamlit as a child: stopping it (SIGTERM from a service
manager or a test) must stop the server too, not leave it orphaned on its port."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from .support.servers import start_app, stop

pytestmark = pytest.mark.server


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child pids from /proc (Linux)")
def test_terminating_ipwriter_app_stops_the_server(demo_ws):
    proc, log, _url = start_app(demo_ws)
    try:
        server = children(proc.pid)
        assert server, "ipwriter app runs Streamlit as a child"
        proc.terminate()
        proc.wait(20)
        deadline = time.monotonic() + 20
        while any(alive(p) for p in server) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(alive(p) for p in server), "the Streamlit server outlived ipwriter app"
    finally:
        for p in children(proc.pid) if proc.poll() is None else []:
            os.kill(p, 9)
        stop(proc, log)
