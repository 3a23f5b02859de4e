"""Fault injection: each state file damaged in turn (the catalog cut short or
overwritten, Chroma's SQLite file cut short, the Chroma folder deleted, the
drafts database cut short). The normal command names the damage and the
repair (no traceback), ``doctor`` fails the check and names the fix, and
``doctor --repair`` moves the damaged files aside and rebuilds: search
results and facts equal a clean ingest, and no draft that can be read is lost.

Every CLI call opens a fresh Workspace, as a new process would; Chroma keeps
one client per folder for the life of a process, so the build releases it
(``release_chroma``) the way a process ending would.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipwriter.cli import make_app
from ipwriter.knowledge.damage import release_chroma, salvage
from ipwriter.knowledge.store import chroma_dir

from .support.fakes import handle, reply
from .support.store_state import state
from .support.workspaces import demo_copy, open_workspace

BODY = ("私域不是拉群发广告，是把人当朋友长期经营。我的小红书从0开始，5个月涨到2.3万粉，"
        "私信咨询约1300条我全部亲自回[1]。\n\n你不需要一夜爆红，先把每一个来问的人当朋友。")
QUERIES = ["私信 成交", "直播 在线峰值", "训练营 续费率", "学员 他证"]
FIX = "ipwriter doctor --repair"


def snapshot(root: Path) -> dict:
    """What the creator relies on: search results, facts, the whole store, every draft."""
    w = open_workspace(root)
    try:
        drafts = {d.draft_id: [(v["version"], w.draft(d.draft_id, v["version"]).text)
                               for v in w.draft_versions(d.draft_id)]
                  for d in w.list_drafts()}
        return {"search": {q: [(e.chunk_id, e.score) for e in w.search(q, 5)] for q in QUERIES},
                "facts": len(w.facts()), "store": state(w), "drafts": drafts}
    finally:
        w.close()
        release_chroma(chroma_dir(w.home))  # as when the process ends


@pytest.fixture
def built(tmp_path, monkeypatch):
    monkeypatch.setattr("ipwriter.workspace.ping_chat", lambda *a, **k: "fake chat model")
    root = demo_copy(tmp_path / "ws")
    w = open_workspace(root)
    w.ingest()
    w.use_chat_model(handle([reply({"title": f"私信的力量 {i}", "body": BODY, "tags": []})
                             for i in range(3)]))
    made = [w.write("post", topic="私信", platform="xiaohongshu") for _ in range(3)]
    w.edit_draft(made[0].draft_id, BODY + "\n\n补一句：先把人当朋友。")
    w.close()
    return root, w.home, snapshot(root)


def truncate(path: Path, keep: int | None = None) -> None:
    os.truncate(path, path.stat().st_size // 2 if keep is None else keep)


def garbage(path: Path, start: int = 0) -> None:
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(start)
        f.write(random.Random(7).randbytes(size - start))


DAMAGE = {
    "catalog-truncated": lambda home: truncate(home / "knowledge.sqlite3"),
    "catalog-overwritten": lambda home: garbage(home / "knowledge.sqlite3"),
    "catalog-overwritten-after-header": lambda home: garbage(home / "knowledge.sqlite3", 4096),
    "chroma-truncated": lambda home: truncate(chroma_dir(home) / "chroma.sqlite3"),
    "chroma-deleted": lambda home: shutil.rmtree(chroma_dir(home)),
    "drafts-truncated": lambda home: truncate(home / "drafts.sqlite3",
                                              (home / "drafts.sqlite3").stat().st_size - 2 * 4096),
}
DAMAGED_FILE = {"catalog": "knowledge.sqlite3", "chroma": "chroma/chroma.sqlite3",
                "drafts": "drafts.sqlite3"}


def cli(root: Path):
    return make_app(workspace=lambda: open_workspace(root))


def checks(result) -> dict:
    return {c["name"]: c for c in json.loads(result.stdout)["checks"]}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damage_is_named_and_repaired(built, case):
    root, home, clean = built
    DAMAGE[case](home)
    part = case.split("-")[0]
    damaged = (home / ("store" if part == "chroma" else "") / DAMAGED_FILE[part])
    damaged_bytes = damaged.read_bytes() if damaged.exists() else None
    app, runner = cli(root), CliRunner()

    # 1. the normal commands: a clear message naming the repair, never a traceback
    r = runner.invoke(app, ["search", "私信 成交", "--json"])
    if part in ("catalog", "chroma") and case != "chroma-deleted":
        assert r.exit_code == 2, r.output
        assert json.loads(r.stdout)["error"]["type"] == "StoreDamagedError"
        assert "已损坏" in r.stderr and FIX in r.stderr and "Traceback" not in r.output
        assert ("知识库目录" if part == "catalog" else "向量库") in r.stderr
    elif case == "chroma-deleted":  # search still answers, by keywords only, and says so
        assert r.exit_code == 0, r.output
        data = json.loads(r.stdout)
        assert data["results"] and "向量库是空的" in data["warnings"][0]
        assert "向量库是空的" in r.stderr and "ipwriter ingest" in r.stderr
    else:  # a damaged drafts database leaves the knowledge base alone
        assert r.exit_code == 0, r.output
    if part == "catalog":  # the model-free paths read the catalog too
        r = runner.invoke(app, ["check", "-"], input="5个月涨到2.3万粉。")
        assert r.exit_code == 2 and FIX in r.stderr and "Traceback" not in r.output
    r = runner.invoke(app, ["drafts", "list"])
    if part == "drafts":
        assert r.exit_code == 2, r.output
        assert "草稿库" in r.stderr and "已损坏" in r.stderr and FIX in r.stderr
        assert "Traceback" not in r.output
        assert damaged.read_bytes() == damaged_bytes  # nothing rebuilt behind the creator's back
    else:
        assert r.exit_code == 0, r.output

    # 2. doctor fails the check and names the fix
    r = runner.invoke(app, ["doctor", "--json"])
    assert r.exit_code == 1
    found = checks(r)
    broken = found["drafts" if part == "drafts" else "store"]
    assert not broken["ok"] and FIX in broken["detail"]
    assert found["store" if part == "drafts" else "drafts"]["ok"]

    # 3. the repair: damaged files aside, the store rebuilt from knowledge/, drafts recovered
    r = runner.invoke(app, ["doctor", "--repair", "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert all(c["ok"] for c in report["checks"]), report["checks"]
    repair = report["repair"]
    backup = Path(repair["backup"])
    assert backup.parent == home and backup.name.startswith("damaged-")
    assert (backup / "REPAIR.txt").is_file()
    kept = backup / ("chroma/chroma.sqlite3" if part == "chroma" else DAMAGED_FILE[part])
    if damaged_bytes is not None:
        assert kept.read_bytes() == damaged_bytes  # moved or copied aside, never deleted
    if part == "drafts":
        assert repair["knowledge"] is None and repair["drafts_damage"]
    else:
        assert repair["knowledge"] and repair["drafts"] is None
        assert repair["ingest"]["added"] == 12 and repair["ingest"]["failed"] == 0

    after = snapshot(root)
    assert after["search"] == clean["search"]
    assert after["facts"] == clean["facts"]
    assert after["store"] == clean["store"]
    if part != "drafts":
        assert after["drafts"] == clean["drafts"]
    else:
        readable = {row[0] for row in salvage(_scratch(kept), {"versions": ("draft_id",)})[0]["versions"]}
        assert after["drafts"], "the truncated file still held drafts that can be read"
        assert set(after["drafts"]) == readable & set(clean["drafts"])
        assert repair["drafts"]["drafts"] == len(after["drafts"])
        assert repair["drafts"]["lost_drafts"] == len(clean["drafts"]) - len(after["drafts"])
        # the last pages held the newest versions: the history names them, so the loss is counted
        lost = sum(len(clean["drafts"][d]) - len(v) for d, v in after["drafts"].items())
        assert lost and repair["drafts"]["lost_versions"] == lost
        for draft_id, versions in after["drafts"].items():  # what came back is what was saved
            assert set(versions) <= set(clean["drafts"][draft_id])
        r = runner.invoke(app, ["drafts", "list", "--json"])
        assert r.exit_code == 0 and len(json.loads(r.stdout)["drafts"]) == len(after["drafts"])
        for draft_id, versions in after["drafts"].items():
            last = open_workspace(root).draft_events(draft_id)[-1]
            assert last["event"] == "repaired" and str(backup) in last["detail"]
            assert ("读不出来" in last["detail"]) == (len(versions) < len(clean["drafts"][draft_id]))

    # 4. and the next doctor finds nothing to repair
    r = runner.invoke(app, ["doctor", "--repair", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["repair"]["backup"] is None


def _scratch(path: Path) -> Path:
    copy = path.with_name("scratch-" + path.name)
    shutil.copy(path, copy)
    return copy


def test_repair_of_a_sound_workspace_changes_nothing(built):
    root, home, clean = built
    r = CliRunner().invoke(cli(root), ["doctor", "--repair"])
    assert r.exit_code == 0, r.output
    assert "无需修复" in r.stdout
    assert not list(home.glob("damaged-*"))
    assert snapshot(root) == clean


def test_repair_without_flag_never_touches_drafts(built):
    """A damaged drafts file stays exactly as it is until the creator runs the repair."""
    root, home, _ = built
    DAMAGE["drafts-truncated"](home)
    before = (home / "drafts.sqlite3").read_bytes()
    app = cli(root)
    for args in (["drafts", "list"], ["drafts", "show", "x"], ["doctor"], ["search", "私信"]):
        CliRunner().invoke(app, args)
    w = open_workspace(root)
    with pytest.raises(Exception, match="doctor --repair"):
        w.list_drafts()
    assert (home / "drafts.sqlite3").read_bytes() == before
    assert not list(home.glob("damaged-*"))
