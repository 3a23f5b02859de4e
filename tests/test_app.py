"""The review app's pages through Streamlit's AppTest: real Workspace, real
Chroma, the fake embedder and a scripted fake chat model (tests/support/fakes.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ipwriter.webapp import state
from ipwriter.workspace import Workspace

from .support.fakes import ScriptedChat, handle, reply, script_reply
from .support.servers import free_port
from .support.workspaces import demo_copy, open_workspace

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
PAGES = "ipwriter/webapp/views/"
GOOD_BODY = ("私域不是拉群发广告，是把人当朋友长期经营。我的小红书从0开始，5个月涨到2.3万粉，"
             "私信咨询约1300条我全部亲自回[1]。\n\n你不需要一夜爆红，先把每一个来问的人当朋友。")
SECRET = "sk-test-abcdefghijklmnop-WXYZ"


def make_ws(root: Path, knowledge: bool = True) -> Workspace:
    return open_workspace(demo_copy(root, knowledge=knowledge))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo workspace, ingested once for the module."""
    ws = make_ws(tmp_path_factory.mktemp("app") / "ws")
    ws.ingest()
    ws.close()
    yield ws
    ws.close()


def use(ws: Workspace, replies) -> ScriptedChat:
    h = handle(replies)
    ws.use_chat_model(h)
    return h.chat  # type: ignore[return-value]


def app_for(ws: Workspace, page: str | None = None, **params: str) -> AppTest:
    state.reset()
    state.factory = lambda: ws
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(PAGES + page).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(autouse=True)
def _restore_factory():
    default = state.factory
    yield
    state._workspace.clear()  # the module's workspace is closed by its fixture
    state.factory = default


def click(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "success", "error", "warning", "info")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


# -- 知识库 -------------------------------------------------------------------------------------
def test_upload_ingests_with_progress_and_keeps_names_inside_knowledge(tmp_path):
    ws = make_ws(tmp_path / "ws", knowledge=False)
    at = app_for(ws)
    assert "知识库还是空的" in texts(at)
    note = "# 三月训练营复盘\n\n三月训练营招了42个学员，完课31人，续费9人。".encode()
    gbk = "# 私信复盘\n\n上个月私信咨询86条，成交7单。".encode("gbk")
    at.get("file_uploader")[0].set_value([
        ("../../escape.md", note, "text/markdown"),
        ("私信.txt", gbk, "text/plain"),
        ("坏的.pdf", b"%PDF-1.4 not really a pdf", "application/pdf"),
    ])
    at.button[0].click().run()  # 上传并导入 (the form's submit button)
    assert not at.exception
    assert (ws.kb.folder / "uploads" / "escape.md").read_bytes() == note
    assert not (tmp_path / "escape.md").exists() and not (tmp_path / "ws" / "escape.md").exists()
    assert at.get("progress"), "ingest shows a progress bar"
    page = texts(at)
    assert "新增 2" in page and "失败 1" in page and "坏的.pdf" in page
    table = at.dataframe[0].value
    assert set(table["笔记"]) >= {"knowledge/uploads/escape.md", "knowledge/uploads/私信.txt"}
    row = table[table["笔记"] == "knowledge/uploads/私信.txt"].iloc[0]
    assert row["数字事实"] >= 2  # GBK decoded: 86条 and 7单 are facts
    assert (ws.kb.folder / "uploads" / "坏的.pdf").exists()  # a failed file is kept, not lost

    at.text_input(key="kb_query").input("训练营 续费").run()
    found = [m.value for m in at.markdown if 'class="evidence"' in m.value]
    assert found and "<mark title=\"42个\">42个</mark>学员" in found[0]


def test_delete_moves_the_note_to_trash(tmp_path):
    ws = make_ws(tmp_path / "ws")
    ws.ingest(), ws.close()
    at = app_for(ws)
    target = "knowledge/01-xiaohongshu-zero-to-23k-followers.md"
    at.selectbox(key="delete_target").select(target).run()
    at.checkbox(key="delete_sure").check().run()
    next(b for b in at.button if b.label == "删除").click().run()
    assert f"已删除 {target}" in texts(at)
    assert target not in set(at.dataframe[0].value["笔记"])
    assert not (ws.root / target).exists()
    assert list((ws.kb.folder / ".trash").glob("*01-xiaohongshu-zero-to-23k-followers.md"))


def test_a_busy_store_is_named(tmp_path):
    ws = make_ws(tmp_path / "ws")
    other = open_workspace(ws.root)
    other.kb.store  # noqa: B018 - holds the store lock, like a CLI ingest in progress
    try:
        at = app_for(ws)  # listing the notes reads the catalog: no lock needed
        next(b for b in at.button if b.label == "重新导入整个知识库").click().run()
        assert not at.exception
        assert any("正被另一个 ipwriter 进程" in e.value for e in at.error)
        assert any("等它结束后" in i.value for i in at.info)
    finally:
        other.close()


# -- 写作 ---------------------------------------------------------------------------------------
def test_generate_two_variants_with_reports(demo):
    chat = use(demo, [reply({"title": "5个月2.3万粉的私信功夫", "body": GOOD_BODY, "tags": ["私域"]}),
                      reply({"title": "私信才是起号的底气", "body": GOOD_BODY, "tags": []})])
    before = len(demo.list_drafts())
    at = app_for(demo, "write.py")
    at.text_input(key="post_topic").input("小红书起号靠什么涨粉")
    at.number_input(key="variants").set_value(2)
    click(at, "开始生成")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert len(chat.calls) == 2
    drafts = demo.list_drafts()
    assert len(drafts) == before + 2
    page = texts(at)
    assert "5个月2.3万粉的私信功夫" in page and "私信才是起号的底气" in page
    assert page.count("检查通过") == 2
    assert len([b for b in at.button if b.label == "去审阅"]) == 2


def test_the_brief_step_shows_material_and_the_draft_follows_the_picks(demo):
    chat = use(demo, [reply({"title": "私信来了别急着报价", "body": GOOD_BODY, "tags": []})])
    at = app_for(demo, "write.py")
    at.text_input(key="post_topic").input("粉丝不多，也能靠私信和朋友圈卖出第一单")
    click(at, "先看素材（不调用模型）")
    assert not at.exception, at.exception
    assert chat.calls == []  # the brief needs no model
    page = texts(at)
    assert "素材提纲" in "\n".join(str(h.value) for h in at.subheader) and "案例" in page
    stance, title = at.radio(key="brief_post_stance"), at.radio(key="brief_post_title")
    stance.set_value(stance.options[-1])
    title.set_value(title.options[1])
    at.run()
    click(at, "按这个提纲生成")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert len(chat.calls) == 1
    picked_stance, picked_title = at.radio(key="brief_post_stance").value, at.radio(key="brief_post_title").value
    assert f"标题：{picked_title}" in chat.user(0) and f"立场：{picked_stance}" in chat.user(0)
    newest = demo.draft(demo.list_drafts()[0].draft_id)
    assert newest.run.details["brief"]["title"] == picked_title


def test_a_brief_for_another_topic_is_not_used(demo):
    chat = use(demo, [reply({"title": "社群复购", "body": GOOD_BODY, "tags": []})])
    at = app_for(demo, "write.py")
    at.text_input(key="post_topic").input("粉丝不多，也能靠私信和朋友圈卖出第一单")
    click(at, "先看素材（不调用模型）")
    old_title = at.radio(key="brief_post_title").value
    at.text_input(key="post_topic").input("社群复购怎么做")
    click(at, "开始生成")
    assert not at.exception and len(chat.calls) == 1
    assert any("输入改过了" in w.value for w in at.warning)
    assert f"标题：{old_title}" not in chat.user(0)  # the new topic's own brief, not the old picks


def test_a_failed_generation_keeps_the_form_and_shows_a_readable_error(demo):
    use(demo, [reply("坏的一"), reply("坏的二"), reply('{"title": "x"')])
    before = len(demo.list_drafts())
    at = app_for(demo, "write.py")
    at.text_input(key="post_topic").input("私信怎么回")
    at.selectbox(key="post_platform").select("moments")
    click(at, "开始生成")
    assert not at.exception  # no traceback on the page
    assert at.error and "3 次" in at.error[0].value
    assert at.text_input(key="post_topic").value == "私信怎么回"
    assert at.selectbox(key="post_platform").value == "moments"
    assert len(demo.list_drafts()) == before


def test_script_and_rewrite_forms_come_from_their_inputs(demo):
    chat = use(demo, [reply(script_reply([1], [1]))] + [reply({"body": "这一句改好了。"})] * 3)
    at = app_for(demo, "write.py")
    at.get("button_group")[0].set_value("script").run()
    assert at.selectbox(key="script_product").options == [p.name for p in demo.profile().products]
    at.selectbox(key="script_product").select("私域变现实战营")
    at.number_input(key="script_minutes").set_value(95)
    next(b for b in at.button if b.label == "开始生成").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    script = demo.list_drafts(chain="script", limit=1)[0]
    assert demo.draft(script.draft_id).inputs.minutes == 95 and "1999元" in chat.system(0)

    use(demo, [])  # vague words with no fitting facts: placeholders, no model call
    at.get("button_group")[0].set_value("rewrite").run()
    at.text_area(key="rewrite_text").input("这款面霜非常好用，回购的人超级多。")
    next(b for b in at.button if b.label == "开始生成").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    rewritten = demo.draft(demo.list_drafts(chain="rewrite", limit=1)[0].draft_id)
    assert "【待补充：" in rewritten.text


def test_a_form_whose_choices_are_empty_says_what_is_missing(tmp_path):
    ws = make_ws(tmp_path / "ws", knowledge=False)
    at = app_for(ws, "write.py")
    at.get("button_group")[0].set_value("pack").run()
    next(b for b in at.button if b.label == "开始生成").click().run()
    assert not at.exception
    assert at.error and "知识库还是空的" in at.error[0].value
    assert ws.list_drafts() == []


# -- 审阅 ---------------------------------------------------------------------------------------
def test_review_tells_what_blocks_from_what_only_advises(demo):
    """A vague word the records hold no number for is a hint: the draft still passes,
    the hint says so; broken output blocks and is shown as an error."""
    use(demo, [reply({"title": "私信的力量", "body": GOOD_BODY + "很多人问我怎么开始。", "tags": []})])
    draft = demo.write("post", topic="小红书起号", platform="xiaohongshu")
    assert [v.level for v in draft.report.vague if v.text == "很多人"] == ["info"]
    at = app_for(demo, "review.py", draft=draft.draft_id)
    page = texts(at)
    assert "检查通过" in page and "提示 " in page and "记录里没有对应数字" in page
    at.text_area(key=f"edit-{draft.draft_id}-1").input("同一句话。同一句话。同一句话。").run()
    assert not at.exception
    assert "需要修改" in texts(at) and "必须改 1" in texts(at)
    assert any("同一句话重复了" in e.value for e in at.error)


def test_review_marks_edit_recheck_approve_diff_export(demo):
    use(demo, [reply({"title": "私信的力量", "body": GOOD_BODY, "tags": []})])
    draft = demo.write("post", topic="小红书起号", platform="xiaohongshu")
    at = app_for(demo, "review.py", draft=draft.draft_id)
    marked = next(m.value for m in at.markdown if 'class="draft"' in m.value)
    assert 'data-kind="number-grounded"' in marked or 'data-kind="number-approx"' in marked
    assert "knowledge/01-" in marked  # the source quote is on the mark
    assert "knowledge/01-" in texts(at)  # and in the evidence / number list
    assert "检查通过" in texts(at)

    edited = draft.text.replace("2.3万粉", "99999粉") + "\n\n这是全网最好的课。"
    at.text_area(key=f"edit-{draft.draft_id}-1").input(edited).run()
    assert not at.exception
    assert "已保存为第 2 版" in texts(at)
    v2 = demo.draft(draft.draft_id)
    assert v2.version == 2 and v2.author == "user" and "99999粉" in v2.text
    assert any(n.verdict == "ungrounded" for n in v2.report.numbers)
    assert v2.report.summary.ban >= 1  # 全网最好 is an absolute term
    marked = next(m.value for m in at.markdown if 'class="draft"' in m.value)
    assert 'data-kind="number-ungrounded"' in marked and "compliance-ban" in marked
    assert "需要修改" in texts(at)

    diff = next(h.proto.body for h in at.get("html") if "<table" in h.proto.body)
    assert "第 1 版" in diff and "diff_add" in diff and "这是全网最好的课。" in diff
    assert [b.label for b in at.get("download_button")] == ["下载 MD", "下载 DOCX"]
    assert any(c.value == v2.text for c in at.code)  # the copy box holds the text

    # v2 has a 广告法 ban and an unbacked number: 通过 asks for a confirmation with a reason
    next(b for b in at.button if b.label == "通过").click().run()
    assert not at.exception
    assert demo.draft(draft.draft_id).status == "draft"
    assert any("2 处必须修改" in w.value for w in at.warning)
    assert "全网最好" in texts(at) and "99999粉" in texts(at)
    confirm = next(b for b in at.button if b.label == "仍然通过")
    assert confirm.disabled  # no reason, no override
    at.text_input(key=f"override-{draft.draft_id}").input("客户确认过这一版").run()
    next(b for b in at.button if b.label == "仍然通过").click().run()
    assert "已强制通过" in texts(at)
    assert demo.draft(draft.draft_id).status == "approved"
    last = demo.draft_events(draft.draft_id)[-1]
    assert last["event"] == "approved" and "客户确认过这一版" in last["detail"]
    assert "全网最好" in last["detail"]  # what was overridden is on record
    assert any("客户确认过这一版" in c.value for c in at.caption)  # the 记录 tab shows it

    history = app_for(demo, "history.py")
    history.selectbox(key="h_pick").select(draft.draft_id).run()
    assert any("强制通过" in w.value and "客户确认过这一版" in w.value for w in history.warning)


def test_an_edit_survives_a_reload(demo):
    use(demo, [reply({"title": "私信的力量", "body": GOOD_BODY, "tags": []})])
    draft = demo.write("post", topic="私信", platform="moments")
    at = app_for(demo, "review.py", draft=draft.draft_id)
    at.text_area(key=f"edit-{draft.draft_id}-1").input(draft.text + "\n\n补一句：先把人当朋友。").run()
    fresh = app_for(demo, "review.py", draft=draft.draft_id)  # a new browser session
    assert any("补一句：先把人当朋友。" in c.value for c in fresh.code)
    assert "第 2/2 版" in texts(fresh)


def test_regenerate_makes_a_new_version(demo):
    use(demo, [reply({"title": "私信的力量", "body": GOOD_BODY, "tags": []}),
               reply({"title": "第二次写的私信", "body": GOOD_BODY, "tags": []})])
    draft = demo.write("post", topic="私信", platform="douyin")
    at = app_for(demo, "review.py", draft=draft.draft_id)
    next(b for b in at.button if b.label == "重新生成").click().run()
    assert [(v["version"], v["author"], v["note"]) for v in demo.draft_versions(draft.draft_id)] == [
        (1, "model", ""), (2, "model", "重新生成")]
    assert "已重新生成：第 2 版" in texts(at)
    assert demo.draft(draft.draft_id).title == "第二次写的私信"


# -- 历史 ---------------------------------------------------------------------------------------
def test_history_filters_and_reopens_a_version(demo):
    use(demo, [reply({"title": "被通过的一篇", "body": GOOD_BODY, "tags": []}),
               reply({"title": "被拒的一篇", "body": GOOD_BODY, "tags": []})])
    a = demo.write("post", topic="私信", platform="wechat")
    b = demo.write("post", topic="私信", platform="moments")
    demo.set_draft_status(a.draft_id, "approved")
    demo.set_draft_status(b.draft_id, "rejected")
    at = app_for(demo, "history.py")
    assert set(at.dataframe[0].value["草稿"]) >= {a.draft_id, b.draft_id}
    at.selectbox(key="h_status").select("approved").run()
    rows = at.dataframe[0].value
    assert a.draft_id in set(rows["草稿"]) and b.draft_id not in set(rows["草稿"])
    assert set(rows["状态"]) == {"已通过"}
    at.selectbox(key="h_status").select(None).run()
    at.selectbox(key="h_platform").select("moments").run()
    assert set(at.dataframe[0].value["平台"]) == {"朋友圈/微信群"}
    at.selectbox(key="h_pick").select(b.draft_id).run()
    next(x for x in at.button if x.label == "在审阅页打开").click().run()
    assert not at.exception
    assert at.title[0].value == "审阅"
    assert at.selectbox(key="review_pick").value == b.draft_id


# -- 设置 ---------------------------------------------------------------------------------------
def test_settings_masks_the_key_and_validates_the_profile(tmp_path):
    ws = make_ws(tmp_path / "ws", knowledge=False)
    at = app_for(ws, "settings.py")
    at.selectbox[0].select("deepseek")
    key_box = next(t for t in at.text_input if t.label.startswith("API Key"))
    key_box.input(SECRET)
    at.button[0].click().run()  # 应用
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert ws.settings.provider == "deepseek"
    page = texts(at)
    assert "已切换到 deepseek" in page and "sk-…WXYZ" in page
    shown = page + "".join(str(t.value) for t in at.text_input if not t.label.startswith("API Key"))
    assert SECRET not in shown

    # a broken profile is refused with the field named; the file is untouched
    original = ws.profile_text()
    broken = original.replace("tagline:", "tagline_typo:", 1)
    at.text_area(key="profile_text").input(broken)
    next(b for b in at.button if b.label == "校验并保存档案").click().run()
    assert at.error and "tagline" in at.error[0].value
    assert ws.profile_text() == original
    assert at.text_area(key="profile_text").value == broken  # what was typed is kept
    fixed = original.replace("阿岚聊私域", "阿岚聊私域2026", 1)
    at.text_area(key="profile_text").input(fixed)
    next(b for b in at.button if b.label == "校验并保存档案").click().run()
    assert "档案已保存" in texts(at)
    assert ws.profile().tagline.startswith("阿岚聊私域2026")
    assert list((ws.home / "backups").glob("profile-*.yaml"))

    log = ws.log_path.read_text(encoding="utf-8") if ws.log_path.exists() else ""
    assert SECRET not in log


@pytest.mark.server
@pytest.mark.model
def test_settings_connection_test_gives_a_chinese_verdict(tmp_path, llama_server):
    """Against a real llama.cpp OpenAI-compatible server, then a URL where nothing listens."""
    base, _ = llama_server
    ws = make_ws(tmp_path / "ws", knowledge=False)
    at = app_for(ws, "settings.py")
    at.selectbox(key="set_provider").select("openai-compatible")
    at.text_input(key="set_model").input("gemma3-270m")
    at.text_input(key="set_base_url").input(base + "/v1")
    at.button[0].click().run()
    assert not at.error, [e.value for e in at.error]
    next(b for b in at.button if b.label == "测试连接").click().run()
    assert at.success and at.success[-1].value.startswith("连接成功")

    at.text_input(key="set_base_url").input(f"http://127.0.0.1:{free_port()}/v1")
    at.button[0].click().run()
    next(b for b in at.button if b.label == "测试连接").click().run()
    failed = [e.value for e in at.error]
    assert failed and failed[-1].startswith("连接失败") and ("连接" in failed[-1][4:] or "地址" in failed[-1])


def test_ipwriter_app_binds_localhost_by_default(demo_ws, monkeypatch):
    from typer.testing import CliRunner

    from ipwriter.cli import app

    seen = {}
    monkeypatch.setattr("ipwriter.cli.commands._run_server", lambda cmd: seen.setdefault("cmd", cmd) and 0)
    monkeypatch.chdir(demo_ws)
    result = CliRunner().invoke(app, ["app", "--port", "8765"])
    assert result.exit_code == 0, result.output
    cmd = seen["cmd"]
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--server.port") + 1] == "8765"
    assert cmd[cmd.index("--browser.gatherUsageStats") + 1] == "false"
    assert Path(cmd[cmd.index("run") + 1]).is_file()
    assert "127.0.0.1:8765" in result.output


def test_ipwriter_app_refuses_a_broken_profile(demo_ws, monkeypatch):
    from typer.testing import CliRunner

    from ipwriter.cli import app

    (demo_ws / "profile.yaml").write_text("name: [broken\n", encoding="utf-8")
    monkeypatch.chdir(demo_ws)
    result = CliRunner().invoke(app, ["app"])
    assert result.exit_code == 2 and "profile.yaml" in result.output


# -- the app's housekeeping through the Workspace ----------------------------------------------
def test_upload_names_are_cleaned_and_bounded():
    from ipwriter.errors import ConfigError
    from ipwriter.knowledge.uploads import MAX_NAME_BYTES, safe_name

    assert safe_name("..\\\\..\\\\windows\\\\evil.md") == "evil.md"
    assert safe_name("笔记\u202egpj.md") == "笔记gpj.md"  # a right-to-left override cannot disguise it
    long = safe_name("复盘" * 200 + ".docx")
    assert long.endswith(".docx") and len(long.encode()) <= MAX_NAME_BYTES
    for bad in ("..", "/", "\u202e", "  .  "):
        with pytest.raises(ConfigError):
            safe_name(bad)


def test_env_is_saved_to_the_one_file_settings_are_read_from(tmp_path):
    ws = make_ws(tmp_path / "ws", knowledge=False)
    original = ws.profile_text()
    (ws.root / ".env").write_text("# mine\nOTHER=1\n", encoding="utf-8")
    path = ws.save_env({"IPWRITER_PROVIDER": "deepseek"})
    assert path == ws.root / ".env"
    assert path.read_text(encoding="utf-8").splitlines() == ["# mine", "OTHER=1", "IPWRITER_PROVIDER=deepseek"]
    assert ws.profile_text() == original
    # it takes effect: a new Workspace on the same folder reads it
    assert Workspace(ws.root).settings.provider == "deepseek"


def test_removing_a_note_while_the_store_is_busy_keeps_the_note(tmp_path):
    from ipwriter.knowledge.store import StoreBusyError

    ws = make_ws(tmp_path / "ws")
    target = "knowledge/01-xiaohongshu-zero-to-23k-followers.md"
    other = open_workspace(ws.root)
    other.kb.store  # noqa: B018 - holds the store lock
    try:
        with pytest.raises(StoreBusyError):
            ws.remove_source(target)
        assert (ws.root / target).is_file()
        assert not list(ws.kb.folder.glob(".trash/*"))
    finally:
        other.close()


def test_a_key_inside_a_traceback_is_redacted_in_the_log(tmp_path):
    import logging

    ws = make_ws(tmp_path / "ws", knowledge=False)
    ws.configure_model("deepseek", api_key=SECRET)
    try:
        raise RuntimeError(f"upstream said: bad key {SECRET}")
    except RuntimeError:
        logging.getLogger("ipwriter.test").exception("call failed")
    log = ws.log_path.read_text(encoding="utf-8")
    assert "upstream said: bad key ***" in log and SECRET not in log


def test_editing_an_old_version_starts_from_that_version(demo):
    use(demo, [reply({"title": "第一版标题", "body": GOOD_BODY, "tags": []}),
               reply({"title": "重写后的标题", "body": GOOD_BODY, "tags": []})])
    d = demo.write("post", topic="私信", platform="xiaohongshu")
    demo.regenerate(d.draft_id)
    v3 = demo.edit_draft(d.draft_id, d.text + "\n\n补一句。", base_version=1)
    assert v3.version == 3 and v3.title == "第一版标题"
    at = app_for(demo, "review.py", draft=d.draft_id, v="²")  # junk in the URL: the latest, no traceback
    assert "第 3/3 版" in texts(at)


def test_the_record_tab_names_every_event_in_chinese(demo):
    use(demo, [reply({"title": "私信的力量", "body": GOOD_BODY, "tags": []})])
    draft = demo.write("post", topic="私信", platform="xiaohongshu")
    demo.edit_draft(draft.draft_id, GOOD_BODY + "\n\n补一句。")
    at = app_for(demo, "review.py", draft=draft.draft_id)
    log = [c.value for c in at.caption if c.value[:2].isdigit()]  # "2025-… 创建 …"
    assert any(" 创建 " in line for line in log) and any(" 新版本 " in line for line in log), log
    assert not any(" created " in line or " version " in line for line in log), log


def test_the_blocked_dialog_follows_the_version(demo):
    """The override dialog shows the findings of the version it would approve: after an
    edit (a new version) the old version's findings are gone."""
    use(demo, [reply({"title": "私信的力量", "body": GOOD_BODY, "tags": []})])
    draft = demo.write("post", topic="私信", platform="xiaohongshu")
    at = app_for(demo, "review.py", draft=draft.draft_id)
    banned = GOOD_BODY.replace("2.3万粉", "99999粉") + "\n\n这是全网最好的课。"
    at.text_area(key=f"edit-{draft.draft_id}-1").input(banned).run()
    click(at, "通过")
    assert any("第 2 版还有 2 处必须修改" in w.value for w in at.warning)
    at.text_area(key=f"edit-{draft.draft_id}-2").input(GOOD_BODY + "\n\n这是全网第一的课。").run()
    assert not at.exception
    assert demo.draft(draft.draft_id).version == 3
    assert not any("第 2 版" in w.value for w in at.warning)
    assert "99999粉" not in texts(at)
    assert not any(b.label == "仍然通过" for b in at.button)
    click(at, "通过")  # v3 is blocked in its own right: its findings, its number
    assert any("第 3 版还有" in w.value for w in at.warning)
    assert "全网第一" in texts(at) and "99999粉" not in texts(at)


def test_retrieval_self_test_shows_figures_and_why_a_note_was_not_first(demo):
    at = app_for(demo)
    at.text_area(key="eval_text").input(
        "- question: 小红书账号从0做到2.3万粉用了几个月？\n"
        "  note: 01-xiaohongshu-zero-to-23k-followers.md\n"
        "- question: 小红书账号从0做到2.3万粉用了几个月？\n"
        "  note: 12-pricing-anchor-ab-experiment.md\n")
    click(at, "开始自测")
    assert not at.exception, at.exception
    found, first = (m.value for m in at.metric)
    assert first == "1/2" and found in {"1/2", "2/2"}  # note 12 may still be in the first 5
    misses = at.dataframe[-1].value
    assert list(misses["期望的笔记"]) == ["knowledge/12-pricing-anchor-ab-experiment.md"]
    assert "排第 1 的是 knowledge/01-xiaohongshu-zero-to-23k-followers.md" in misses["为什么"].iloc[0]

    at.text_area(key="eval_text").input("- question: 随便问问\n  note: 不存在的笔记.md\n")
    click(at, "开始自测")
    assert "不在知识库里" in "\n".join(e.value for e in at.error)
    assert not at.metric  # the last report is not shown as if it were this one's


def test_the_ledger_shows_whose_each_number_is_and_a_correction_sticks(tmp_path):
    """Issue 13 §4: who, consent and quote per fact; a correction made in the app is
    saved, shown, and kept through a re-ingest."""
    ws = make_ws(tmp_path / "ws")
    ws.ingest(), ws.close()
    at = app_for(ws)
    ledger = at.dataframe[1].value
    third = ledger[ledger["类型"] == "他证"]
    assert len(third) and set(third["授权"]) == {"已授权"} and set(third["谁的"]) == {"学员/客户"}
    assert set(ledger[ledger["类型"] == "自证"]["谁的"]) == {"我自己"}
    facts = ws.facts(kinds=["他证", "自证"])
    ws.close()
    i = next(i for i, f in enumerate(facts) if f.text == "27单" and "一对一私域诊断" in f.quote)
    at.selectbox(key="ledger_pick").select(i).run()
    at.selectbox(key=f"ledger_kind_{i}").select("其他")  # a form: sent with its submit button
    at.selectbox(key=f"ledger_owner_{i}").select("unknown")
    next(b for b in at.button if b.label == "保存更正").click().run()
    assert not at.exception, at.exception
    assert "已更正" in texts(at) and "现在是其他" in texts(at)
    note = ws.root / facts[i].source  # the note changes elsewhere: its facts are extracted again
    note.write_text(note.read_text(encoding="utf-8") + "\n\n补记：模板改了一版。\n", encoding="utf-8")
    assert ws.ingest().updated == 1
    fixed = [f for f in ws.facts() if f.text == "27单" and f.quote == facts[i].quote]
    assert fixed and all(f.kind == "其他" and f.owner == "unknown" and f.corrected for f in fixed)
    ws.close()
