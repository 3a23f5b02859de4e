"""A SIGKILL halfway through ingest leaves a usable store, and the next
ingest converges to the same state as a clean run."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ipwriter.knowledge.catalog import read_sources
from ipwriter.workspace import Workspace

from .support.fakes import fake_embeddings
from .support.store_state import drop_catalog_chunks, state

TOPICS = ["小红书起号", "抖音口播", "私域漏斗", "直播复盘", "社群复购", "朋友圈运营", "定价实验"]


def make_notes(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        body = f"这一轮{topic}做了{10 + i}天，新增{100 + i * 7}人，成交{20 + i}单。"
        (folder / f"gen-{i:04d}.md").write_text(f"# {topic}复盘 {i}\n\n{body}\n", encoding="utf-8")


@pytest.mark.model
def test_sigkill_during_ingest_then_reingest_converges(demo_ws, tmp_path):
    """The real CLI with the real e5 model in a subprocess, killed mid-ingest."""
    make_notes(demo_ws / "knowledge" / "gen", 240)
    home = Path(os.environ["IPWRITER_HOME"])
    proc = subprocess.Popen([sys.executable, "-m", "ipwriter.cli", "ingest", "--json"], cwd=demo_ws,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            done = sum(1 for s in read_sources(home) if s["chunks"])
        except Exception:  # noqa: BLE001 - the catalog may be mid-creation
            done = 0
        if done >= 64:  # files are committed in batches of 32
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed: make more notes"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 64 <= done < 252

    w = Workspace(demo_ws)  # the lock died with the process; the store opens
    try:
        assert w.search("直播复盘")  # usable right away
        r = w.ingest()
        assert r.failed == 0 and r.added + r.unchanged + r.updated == 252
        assert r.unchanged >= 64  # what was committed before the kill is not redone
        crashed = state(w)
    finally:
        w.close()
    clean = Workspace(demo_ws, Workspace(demo_ws).settings.model_copy(
        update={"home": tmp_path / "clean"}))
    try:
        clean.ingest()
        fresh = state(clean)
    finally:
        clean.close()
    assert crashed["chunks"] == fresh["chunks"]
    assert crashed["facts"] == fresh["facts"]
    assert crashed["chroma"] == fresh["chroma"]
    assert [f[:3] for f in crashed["files"]] == [f[:3] for f in fresh["files"]]


def test_sweep_removes_vectors_the_catalog_does_not_know(demo_ws):
    w = Workspace(demo_ws, embeddings=fake_embeddings())
    try:
        w.ingest()
        store = w.kb.store
        store.collection.upsert(ids=["orphan-1"], embeddings=[[0.01] * 256],
                                documents=["半截写入"], metadatas=[{"source": "knowledge/ghost.md"}])
        drop_catalog_chunks(store, "knowledge/01-xiaohongshu-zero-to-23k-followers.md")
        # chunks deleted from the catalog but not Chroma → orphans; file hash stays → the
        # file would look unchanged, so sweep must notice the missing rows too
        store.collection.delete(ids=[store.chunk_rows()[0][0]])
        r = w.ingest()
        assert "orphan-1" not in store.collection.get(include=[])["ids"]
        assert r.updated >= 1
        assert set(store.collection.get(include=[])["ids"]) == {row[0] for row in store.chunk_rows()}
    finally:
        w.close()
