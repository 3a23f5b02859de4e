"""Approving a draft whose latest version has blocking findings (a 广告法 ban, a
number the records do not back) needs an explicit override with a reason; the
override is recorded in the draft's history. A clean draft approves as before."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ipwriter.cli import make_app
from ipwriter.drafts import ApprovalBlocked
from ipwriter.errors import ConfigError

from .support.fakes import handle, reply
from .support.workspaces import demo_copy, open_workspace

CLEAN = ("私域不是拉群发广告，是把人当朋友长期经营。我的小红书从0开始，5个月涨到2.3万粉，"
         "私信咨询约1300条我全部亲自回[1]。\n\n你不需要一夜爆红，先把每一个来问的人当朋友。")
BANNED = CLEAN.replace("2.3万粉", "99999粉") + "\n\n这是全网最好的课。"


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    w = open_workspace(demo_copy(tmp_path_factory.mktemp("approval") / "ws"))
    w.ingest()
    yield w
    w.close()


def drafts(ws, n: int = 1):
    ws.use_chat_model(handle([reply({"title": "私信的力量", "body": CLEAN, "tags": []})] * n))
    made = [ws.write("post", topic="私信", platform="xiaohongshu") for _ in range(n)]
    return made if n > 1 else made[0]


def banned(ws):
    d = drafts(ws)
    return ws.edit_draft(d.draft_id, BANNED)


def test_a_clean_draft_approves_as_before(ws):
    d = drafts(ws)
    assert d.report.summary.ok
    assert ws.set_draft_status(d.draft_id, "approved").status == "approved"
    last = ws.draft_events(d.draft_id)[-1]
    assert last["event"] == "approved" and last["detail"] == ""


def test_blocking_findings_need_an_override_with_a_reason(ws):
    d = banned(ws)
    assert d.report.summary.blocking == 2
    with pytest.raises(ApprovalBlocked) as info:
        ws.set_draft_status(d.draft_id, "approved")
    assert len(info.value.blockers) == 2
    assert "全网最好" in info.value.message and "99999粉" in info.value.message
    assert "--force --reason" in info.value.message
    assert info.value.exit_code == 2
    assert ws.draft(d.draft_id).status == "draft"  # nothing changed
    with pytest.raises(ConfigError, match="理由"):
        ws.set_draft_status(d.draft_id, "approved", force=True, reason="  ")
    assert ws.draft(d.draft_id).status == "draft"

    ws.set_draft_status(d.draft_id, "approved", force=True, reason="这句是引用客户原话")
    assert ws.draft(d.draft_id).status == "approved"
    last = ws.draft_events(d.draft_id)[-1]
    assert last["event"] == "approved"
    assert last["detail"].startswith("强制通过")
    assert "这句是引用客户原话" in last["detail"] and "全网最好" in last["detail"]
    assert "第 2 版" in last["detail"]


def test_an_edit_that_fixes_the_findings_approves_without_override(ws):
    d = banned(ws)
    with pytest.raises(ApprovalBlocked):
        ws.set_draft_status(d.draft_id, "approved")
    ws.edit_draft(d.draft_id, CLEAN)  # the latest version decides
    assert ws.set_draft_status(d.draft_id, "approved").status == "approved"


def test_cli_approve_refuses_without_force_and_records_the_override(ws):
    app = make_app(workspace=lambda: ws)
    runner = CliRunner()
    d = banned(ws)

    r = runner.invoke(app, ["drafts", "approve", d.draft_id])
    assert r.exit_code == 2
    assert "2 处必须修改" in r.stderr and "全网最好" in r.stderr and "99999粉" in r.stderr
    assert "--force --reason" in r.stderr and "Traceback" not in r.output
    r = runner.invoke(app, ["drafts", "approve", d.draft_id, "--json"])
    assert r.exit_code == 2 and json.loads(r.stdout)["error"]["type"] == "ApprovalBlocked"
    r = runner.invoke(app, ["drafts", "approve", d.draft_id, "--force"])
    assert r.exit_code == 2 and "理由" in r.stderr
    assert ws.draft(d.draft_id).status == "draft"

    r = runner.invoke(app, ["drafts", "approve", d.draft_id, "--force", "--reason",
                            "客户确认过", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "approved" and "客户确认过" in data["event"]["detail"]

    r = runner.invoke(app, ["drafts", "show", d.draft_id])
    assert r.exit_code == 0
    assert "强制通过" in r.stdout and "客户确认过" in r.stdout and "全网最好" in r.stdout
    shown = json.loads(runner.invoke(app, ["drafts", "show", d.draft_id, "--json"]).stdout)
    assert shown["events"][-1]["event"] == "approved"
    assert "客户确认过" in shown["events"][-1]["detail"]


def test_cli_approves_a_clean_draft_without_flags(ws):
    d = drafts(ws)
    r = CliRunner().invoke(make_app(workspace=lambda: ws), ["drafts", "approve", d.draft_id])
    assert r.exit_code == 0, r.output
    assert ws.draft(d.draft_id).status == "approved"


@pytest.mark.parametrize("payload", ["not json", json.dumps({"report": {"numbers": 5}}),
                                     json.dumps({"citations": []}), json.dumps(["report"])])
def test_an_unreadable_stored_report_blocks_until_overridden(ws, payload):
    """Fail closed: a version whose stored check report cannot be read is never approved
    as if it were clean."""
    import sqlite3

    d = drafts(ws)
    db = sqlite3.connect(ws.drafts.path)
    with db:
        db.execute("UPDATE versions SET payload = ? WHERE draft_id = ?", (payload, d.draft_id))
    db.close()
    with pytest.raises(ApprovalBlocked) as info:
        ws.drafts.set_status(d.draft_id, "approved")
    assert info.value.blockers == ["检查报告无法读取，请重新检查这一版"]
    assert "--force --reason" in info.value.message
    status = {s.draft_id: s.status for s in ws.drafts.list()}
    assert status[d.draft_id] == "draft"  # nothing changed
    ws.drafts.set_status(d.draft_id, "approved", force=True, reason="人工核对过")
    assert {s.draft_id: s.status for s in ws.drafts.list()}[d.draft_id] == "approved"
    last = ws.draft_events(d.draft_id)[-1]
    assert last["event"] == "approved" and "人工核对过" in last["detail"]
    assert "检查报告无法读取" in last["detail"]
