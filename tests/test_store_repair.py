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
import sqlite3
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
    monkeypatch.setattr("ipwriter.doctor.ping_chat", lambda *a, **k: "fake chat model")
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


def _drop_version(home: Path, draft_id: str, version: int) -> None:
    """A version row gone (its page unreadable), its history kept: what a damaged file
    gives the repair."""
    db = sqlite3.connect(home / "drafts.sqlite3")
    with db:
        db.execute("DELETE FROM versions WHERE draft_id = ? AND version = ?", (draft_id, version))
    db.close()


def test_a_draft_that_lost_a_version_is_no_longer_approved(built, tmp_path):
    """The approved version may be the lost one: the repaired draft goes back to 待审,
    and its history says why; a draft that lost nothing keeps its status."""
    root, home, clean = built
    edited = next(d for d, v in clean["drafts"].items() if len(v) == 2)
    whole = next(d for d, v in clean["drafts"].items() if len(v) == 1)
    w = open_workspace(root)
    for draft_id in (edited, whole):
        w.set_draft_status(draft_id, "approved", force=True, reason="测试")
    _drop_version(home, edited, 2)
    dest = tmp_path / "backup"
    dest.mkdir()
    got = w.drafts.repair(dest)
    assert got.lost_versions == 1
    status = {s.draft_id: s.status for s in w.list_drafts()}
    assert status[edited] == "draft" and status[whole] == "approved"
    last = w.draft_events(edited)[-1]
    assert last["event"] == "repaired" and "第 2 版读不出来" in last["detail"]
    assert "改回「待审」" in last["detail"] and "status reset from approved to draft" in last["detail"]
    assert "改回" not in w.draft_events(whole)[-1]["detail"]


def test_the_drafts_repair_never_races_a_write(built, tmp_path, monkeypatch):
    """The repair and every write take drafts.lock: a repair while a write holds it (or
    a write while the repair holds it) fails with a clear message, changing nothing."""
    from filelock import FileLock

    from ipwriter.drafts import DraftsBusyError, DraftStore

    root, home, clean = built
    monkeypatch.setattr(DraftStore, "write_wait", 0.2)
    monkeypatch.setattr(DraftStore, "repair_wait", 0.2)
    w = open_workspace(root)
    before = (home / "drafts.sqlite3").read_bytes()
    dest = tmp_path / "backup"
    dest.mkdir()
    with FileLock(str(home / "drafts.lock")):  # another process writing, or repairing
        with pytest.raises(DraftsBusyError) as info:
            w.drafts.repair(dest)
        assert "正被另一个 ipwriter 进程使用" in info.value.message and "in use" in info.value.message
        assert info.value.exit_code == 2
        assert not list(dest.iterdir())  # nothing copied, nothing replaced
        draft_id = next(iter(clean["drafts"]))
        with pytest.raises(DraftsBusyError):
            w.edit_draft(draft_id, BODY + "\n\n又改了一句。")
        r = CliRunner().invoke(cli(root), ["drafts", "reject", draft_id])
        assert r.exit_code == 2 and "请稍后再试" in r.stderr and "Traceback" not in r.output
    assert (home / "drafts.sqlite3").read_bytes() == before
    assert w.draft_versions(draft_id) == open_workspace(root).draft_versions(draft_id)
    w.edit_draft(draft_id, BODY + "\n\n又改了一句。")  # the lock released: writes go on
    assert w.drafts.repair(dest).drafts == len(clean["drafts"])


def test_repair_messages_name_the_real_home(tmp_path):
    """IPWRITER_HOME may be anywhere: the messages name the folder the repair really uses."""
    from ipwriter.config import load_settings
    from ipwriter.drafts import DraftsDamagedError
    from ipwriter.knowledge.catalog import StoreDamagedError
    from ipwriter.workspace import Workspace

    from .support.fakes import fake_embeddings

    home = tmp_path / "elsewhere" / "state"
    for exc in (StoreDamagedError(home / "knowledge.sqlite3", "坏了"),
                StoreDamagedError(chroma_dir(home), "坏了", "vectors"),
                StoreDamagedError(chroma_dir(home) / "chroma.sqlite3", "坏了", "vectors"),
                DraftsDamagedError(home / "drafts.sqlite3", "坏了")):
        assert str(home / "damaged-日期-时间") in exc.zh and str(home / "damaged-") in exc.en
        assert ".ipwriter" not in exc.message

    root = demo_copy(tmp_path / "ws")
    w = Workspace(root, load_settings(home=home, _env_file=None), embeddings=fake_embeddings())
    for name in ("drafts.sqlite3", "knowledge.sqlite3"):
        (home / name).write_bytes(b"not a database at all" * 20)
    with pytest.raises(DraftsDamagedError) as info:
        w.list_drafts()
    assert str(home / "damaged-日期-时间") in info.value.message
    with pytest.raises(StoreDamagedError) as info:
        w.sources()
    assert str(home / "damaged-日期-时间") in info.value.message


NOTE = "# 学员案例\n\n学员小王跟着做私域，三个月私信成交 37 单，复购率 41%。\n"


def test_repair_reingests_the_other_folders_that_were_ingested(built):
    """Notes ingested from other workspace folders (ipwriter ingest cases/) come back
    too; a stored note that no longer exists is named, not silently dropped."""
    root, home, _ = built
    (root / "cases").mkdir()
    (root / "cases" / "wang.md").write_text(NOTE, encoding="utf-8")
    (root / "extra.md").write_text(NOTE.replace("小王", "小李"), encoding="utf-8")
    (root / "gone").mkdir()
    (root / "gone" / "zhao.md").write_text(NOTE.replace("小王", "小赵"), encoding="utf-8")
    app, runner = cli(root), CliRunner()
    r = runner.invoke(app, ["ingest", "cases", "extra.md", "gone", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["added"] == 3, r.output
    shutil.rmtree(root / "gone")
    DAMAGE["chroma-deleted"](home)

    r = runner.invoke(app, ["doctor", "--repair", "--json"])
    assert r.exit_code == 0, r.output
    repair = json.loads(r.stdout)["repair"]
    assert repair["reingested"] == ["knowledge", "cases", "extra.md"]
    assert repair["not_reingested"] == ["gone/zhao.md"] and not repair["sources_unread"]
    assert repair["ingest"]["added"] == 14
    sources = {s["source"] for s in open_workspace(root).sources()}
    assert {"cases/wang.md", "extra.md"} <= sources and "gone/zhao.md" not in sources

    DAMAGE["catalog-overwritten"](home)  # the list of sources is gone too: knowledge/ alone
    r = runner.invoke(app, ["doctor", "--repair"])
    assert r.exit_code == 0, r.output
    assert "只重建了 knowledge/" in r.stderr and "Traceback" not in r.output


def test_the_repair_names_the_notes_it_could_not_bring_back(built):
    root, home, _ = built
    (root / "gone").mkdir()
    (root / "gone" / "zhao.md").write_text(NOTE, encoding="utf-8")
    app, runner = cli(root), CliRunner()
    assert runner.invoke(app, ["ingest", "gone"]).exit_code == 0
    shutil.rmtree(root / "gone")
    DAMAGE["chroma-truncated"](home)
    r = runner.invoke(app, ["doctor", "--repair"])
    assert r.exit_code == 0, r.output
    assert "没能重新导入" in r.stderr and "gone/zhao.md" in r.stderr
