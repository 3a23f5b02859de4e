"""Workspace facade, doctor and the demo command."""

import json

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from typer.testing import CliRunner

from ipwriter.cli import app, make_app
from ipwriter.errors import InvalidModelOutput
from ipwriter.llm import ChatHandle
from ipwriter.workspace import Workspace

from .support.fakes import fake_embeddings, reply
from .support.fakes import handle as scripted


def fast_app(root):
    """The CLI on a workspace with the fake embedder (doctor embeds one query)."""
    return make_app(workspace=lambda: Workspace(root, embeddings=fake_embeddings()))


def fake_handle(*replies: str) -> ChatHandle:
    msgs = [AIMessage(r, response_metadata={"finish_reason": "stop"}) for r in replies]
    chat = GenericFakeChatModel(messages=iter(msgs))
    return ChatHandle(chat, "fake", "fake-model", "json_mode", None, None, 5.0)


def test_selftest_with_a_fake_model(demo_ws):
    h = scripted([reply({"tagline": "我是阿岚，只教自己做过的私域", "keywords": ["实操", "私域"]})])
    ws = Workspace(demo_ws, llm=h)
    assert ws.selftest().keywords == ["实操", "私域"]
    # the prompt comes from prompts/selftest.yaml, filled from the profile
    assert "阿岚聊私域" in h.chat.user(0) and "「实操」" in h.chat.user(0)


def test_selftest_fake_that_never_complies_fails_clearly(demo_ws):
    ws = Workspace(demo_ws)
    ws.use_chat_model(fake_handle(*["好的，我来介绍一下自己"] * 3))
    with pytest.raises(InvalidModelOutput) as info:
        ws.selftest()
    assert info.value.last_completion == "好的，我来介绍一下自己"


def test_state_lives_under_home(demo_ws, tmp_path, monkeypatch):
    monkeypatch.delenv("IPWRITER_HOME")
    ws = Workspace(demo_ws)
    assert ws.home == demo_ws / ".ipwriter"
    assert ws.log_path.is_relative_to(ws.home)


@pytest.mark.model
def test_doctor_on_the_embedded_defaults(demo_ws, monkeypatch):
    monkeypatch.chdir(demo_ws)
    result = CliRunner().invoke(app, ["doctor", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True
    names = {c["name"]: c for c in report["checks"]}
    assert set(names) == {"profile", "chat_model", "embeddings", "store", "drafts"}
    assert "local/gemma-3-270m" in names["chat_model"]["detail"]
    assert "384" in names["embeddings"]["detail"]
    assert report["settings"]["provider"] == "local"


def test_doctor_reports_a_dead_endpoint(demo_ws, monkeypatch):
    monkeypatch.chdir(demo_ws)
    monkeypatch.setenv("IPWRITER_PROVIDER", "openai-compatible")
    monkeypatch.setenv("IPWRITER_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("IPWRITER_MODEL", "m")
    monkeypatch.setenv("IPWRITER_API_KEY", "sk-doctor-secret-123456")
    result = CliRunner().invoke(fast_app(demo_ws), ["doctor", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    chat = next(c for c in report["checks"] if c["name"] == "chat_model")
    assert chat["ok"] is False and "连接不上" in chat["detail"]
    assert "sk-doctor-secret-123456" not in result.stdout
    assert report["settings"]["api_key"] == "sk-…3456"


def test_doctor_missing_key_names_variable(demo_ws, monkeypatch):
    monkeypatch.chdir(demo_ws)
    monkeypatch.setenv("IPWRITER_PROVIDER", "zhipu")
    result = CliRunner().invoke(fast_app(demo_ws), ["doctor"])
    assert result.exit_code == 1
    assert "ZHIPUAI_API_KEY" in result.stdout


@pytest.mark.model
def test_demo_runs_on_the_embedded_defaults(demo_ws, monkeypatch):
    monkeypatch.chdir(demo_ws)
    result = CliRunner().invoke(app, ["demo", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["profile"]["tagline"] == "阿岚聊私域"
    assert data["doctor"]["ok"] is True
    assert data["ingest"]["added"] == 12 and data["ingest"]["failed"] == 0
    brief = data["brief"]  # the model-free brief comes first, and the draft follows its plan
    assert brief["cases"] and brief["titles"] and brief["outline"] and not brief["missing"]
    post = data["post"]
    assert post["chain"] == "post" and post["platform"] == "xiaohongshu" and post["draft_id"]
    assert post["run"]["details"]["brief"] == brief["plan"]
    assert list(data).index("brief") < list(data).index("post")
    assert set(post["report"]["summary"]) == {"ok", "ungrounded", "ban", "caution", "vague", "blocking", "advisory", "info"}
    shown = CliRunner().invoke(app, ["drafts", "show", post["draft_id"], "--json"])
    assert json.loads(shown.stdout)["text"] == post["text"]


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and "ipwriter" in result.stdout


def test_unexpected_failure_exits_1_without_traceback(demo_ws, monkeypatch):
    monkeypatch.chdir(demo_ws)

    def boom(self):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Workspace, "profile", boom)
    result = CliRunner().invoke(app, ["profile"])
    assert result.exit_code == 1
    assert "disk on fire" in result.stderr and "Traceback" not in result.stderr
    log = (demo_ws.parent / "home" / "logs" / "ipwriter.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "disk on fire" in log
