"""The chain registry drives every front end: a throwaway chain added to the
table alone (no other code) appears in the CLI with its options, runs, is saved
with typed inputs, regenerates, and appears in the app's 写作 page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import Field
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from ipwriter.cli import make_app
from ipwriter.platforms import PLATFORMS
from ipwriter.webapp import state
from ipwriter.write.chains import CHAINS, get_chain
from ipwriter.write.chains.base import Chain
from ipwriter.write.context import WriteContext
from ipwriter.write.inputs import ChainInputs, Param
from ipwriter.write.models import Draft, RunInfo

from .support.workspaces import demo_copy, open_workspace

APP = str(Path(__file__).resolve().parent.parent / "app.py")


class EchoInputs(ChainInputs):
    note: Annotated[str, Field(min_length=1, description="一句话 / a line"),
                    Param(flags=("--note", "-n"), label="一句话")]
    times: Annotated[int, Field(ge=1, le=3, description="几遍 / how many times"),
                     Param(label="重复几遍")] = 1
    tags: Annotated[list[str], Field(description="标签 / tags")] = []  # no Param: defaults


def run_echo(ctx: WriteContext, inputs: EchoInputs, on_token=None) -> Draft:
    """Writes the note back ``times`` times, with the best passage as its evidence."""
    evidence = ctx.retriever.search(inputs.note, k=1)
    text = "".join(f"{inputs.note}。" for _ in range(inputs.times))
    return Draft(chain="echo", title=inputs.note[:12], text=text, report=ctx.checker.check(text),
                 inputs=inputs, run=RunInfo(evidence=[e.chunk_id for e in evidence]),
                 model=ctx.model_label)


ECHO = Chain(name="echo", label="回声测试", help="原样写回一句话 / echo a line back", inputs=EchoInputs,
             run=run_echo, progress="正在回声")


@pytest.fixture
def echo(monkeypatch):
    monkeypatch.setitem(CHAINS, "echo", ECHO)


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    w = open_workspace(demo_copy(tmp_path_factory.mktemp("registry") / "ws"))
    w.ingest()
    w.close()
    yield w
    w.close()


def test_a_chain_added_to_the_table_is_a_cli_command(echo, ws, monkeypatch):
    monkeypatch.chdir(ws.root)
    app = make_app(workspace=lambda: ws)
    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0 and "echo" in top.output and "原样写回一句话" in top.output
    own = runner.invoke(app, ["echo", "--help"])
    assert "--note" in own.output and "--times" in own.output and "--json" in own.output
    assert "--tags" in own.output  # a field without Param gets --<name>

    r = runner.invoke(app, ["echo", "-n", "第3期直播在线峰值612人", "--times", "2", "--tags", "直播",
                            "--tags", "复盘", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert {"draft_id", "chain", "title", "text", "citations", "report"} <= set(data)
    assert data["chain"] == "echo" and data["text"] == "第3期直播在线峰值612人。" * 2
    assert data["inputs"] == {"note": "第3期直播在线峰值612人", "times": 2, "tags": ["直播", "复盘"]}
    assert [n["verdict"] for n in data["report"]["numbers"]] == ["grounded", "grounded"]

    saved = ws.draft(data["draft_id"])
    assert isinstance(saved.inputs, EchoInputs) and saved.inputs.times == 2
    again = ws.regenerate(data["draft_id"])  # the saved inputs run the chain again
    assert again.version == 2 and again.text == saved.text

    bad = runner.invoke(app, ["echo", "--note", "x", "--times", "9"])
    assert bad.exit_code == 2 and "「重复几遍」要在 1 到 3 之间" in bad.stderr
    listed = runner.invoke(app, ["drafts", "list", "--chain", "echo", "--json"])
    assert [d["draft_id"] for d in json.loads(listed.stdout)["drafts"]] == [data["draft_id"]]


def test_a_chain_added_to_the_table_is_an_option_in_the_app(echo, ws):
    state.reset()
    default = state.factory
    state.factory = lambda: ws
    try:
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        at.switch_page("ipwriter/webapp/views/write.py").run()
        control = at.get("button_group")[0]
        assert control.options == [c.label for c in CHAINS.values()]  # the table, in order
        assert control.options[-1] == "回声测试"
        control.set_value("echo").run()
        assert at.number_input(key="echo_times").value == 1  # the model's default
        at.text_input(key="echo_note").input("私信咨询约1300条")
        at.number_input(key="echo_times").set_value(3)
        at.text_area(key="echo_tags").input("私域\n\n 复盘 ")  # a list field: one per line
        next(b for b in at.button if b.label == "开始生成").click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        made = ws.list_drafts(chain="echo", limit=1)[0]
        assert ws.draft(made.draft_id).text == "私信咨询约1300条。" * 3
        assert ws.draft(made.draft_id).inputs.tags == ["私域", "复盘"]
        assert any("回声测试" in c.value for c in at.caption)
    finally:
        state._workspace.clear()
        state.factory = default


def test_an_unknown_chain_lists_the_registered_ones():
    with pytest.raises(Exception, match="没有叫「nope」的写作类型") as err:
        get_chain("nope")
    assert all(name in err.value.en for name in CHAINS)


def test_every_chain_declares_what_front_ends_need():
    for name, chain in CHAINS.items():
        assert chain.name == name and chain.label and " / " in chain.help
        assert issubclass(chain.inputs, ChainInputs)
        for field_name, field in chain.inputs.model_fields.items():
            assert field.description, f"{name}.{field_name} needs a description (the CLI help)"
        assert set(chain.platforms) <= set(PLATFORMS)
