"""Text that is not ours — a note, a file name, a path, a model's reply, a setting —
is shown as written and never obeyed: no Rich markup or emoji codes on the
terminal, no control or bidi characters, no Markdown links in the app, no
password of a URL anywhere it is shown or logged, no pypdf noise on stderr."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipwriter.cli import make_app
from ipwriter.cli.render import safe_text
from ipwriter.logs import setup_logging
from ipwriter.redact import redact
from ipwriter.webapp import state

from .support.fakes import reply
from .support.workspaces import demo_copy, open_workspace
from .test_app import app_for, texts, use

MARKUP = "[/bold] [/dim] :x:"
NOTE = f"# 复盘 {MARKUP}\n\n我三个月涨粉 1200 人 {MARKUP}，私信成交 7 单。\n"
# a PDF cut off after its first object: no xref, no trailer, no %%EOF
TRUNCATED_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
WIDE = {"COLUMNS": "250"}  # no table cell folded: the strings are checked whole


@pytest.fixture
def _restore_factory():
    default = state.factory
    yield
    state._workspace.clear()
    state.factory = default


@pytest.fixture
def marked_ws(tmp_path: Path):
    """A workspace whose only note and broken file have Rich markup in name and text."""
    root = demo_copy(tmp_path / "ws", knowledge=False)
    (root / "knowledge" / "n[bold]2.md").write_text(NOTE, encoding="utf-8")
    (root / "knowledge" / "坏[bold]的.pdf").write_bytes(TRUNCATED_PDF)
    (root / "draft.md").write_text(f"我涨粉 1200 人 {MARKUP}\n", encoding="utf-8")
    return root


def _cli(root: Path):
    runner = CliRunner()
    app = make_app(workspace=lambda: open_workspace(root))
    return lambda *args: runner.invoke(app, list(args), env=WIDE)


def _no_crash(res, code: int = 0) -> None:
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert res.exit_code == code, res.stdout + res.stderr


# -- 1. the terminal: markup, emoji codes ----------------------------------------------------
def test_notes_and_names_with_markup_print_as_written(marked_ws):
    cli = _cli(marked_ws)
    res = cli("ingest")
    _no_crash(res)
    assert "跳过 knowledge/坏[bold]的.pdf：" in res.stderr  # the skip message, name intact

    res = cli("search", "涨粉")
    _no_crash(res)
    assert f"复盘 {MARKUP}" in res.stdout and "knowledge/n[bold]2.md" in res.stdout
    assert f"1200 人 {MARKUP}，私信成交" in res.stdout
    assert "❌" not in res.stdout  # :x: is not an emoji code here

    res = cli("facts")
    _no_crash(res)
    assert "knowledge/n[bold]2.md" in res.stdout and f"1200 人 {MARKUP}，私信成交" in res.stdout

    res = cli("check", "ws/draft.md")
    _no_crash(res)
    assert f"我涨粉 1200 人 {MARKUP}" in res.stdout  # the draft
    assert f"knowledge/n[bold]2.md：我三个月涨粉 1200 人 {MARKUP}" in res.stdout  # its evidence
    assert "❌" not in res.stdout

    res = cli("sources", "list")
    _no_crash(res)
    assert "knowledge/n[bold]2.md" in res.stdout and "knowledge/坏[bold]的.pdf" in res.stdout


def test_the_error_handler_prints_a_name_with_markup(marked_ws):
    res = _cli(marked_ws)("check", "no[/x]such.md")
    _no_crash(res, 2)  # the contract's code for bad input, not a MarkupError traceback
    assert "错误 找不到文件 no[/x]such.md / no such file: no[/x]such.md" in res.stderr


def test_control_and_bidi_characters_in_a_name_are_made_visible(marked_ws):
    res = _cli(marked_ws)("check", "no\nsu\u202ech\x1b[2J.md")
    _no_crash(res, 2)
    line = res.stderr.strip()
    assert "\n" not in line and "\u202e" not in line and "\x1b" not in line
    assert "找不到文件 no␊su\ufffdch␛[2J.md" in line


def test_safe_text_is_text_not_markup():
    t = safe_text(f"a[bold]b{MARKUP}\u202e\u2066\u200f\x85\x7f\tz\n")
    assert t.plain == "a[bold]b[/bold] [/dim] :x:\ufffd\ufffd\ufffd\ufffd␡␉z␊" and not t.spans
    kept = safe_text("一\n二\t三\r\u202e", lines=True)  # a passage keeps its lines and tabs
    assert kept.plain == "一\n二\t三␍\ufffd"
    assert len(safe_text("x\u202ey\x00").plain) == 4  # one for one: a draft's offsets hold


# -- 2. secrets in URLs ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, shown", [
    ("http://user:S3cret@127.0.0.1:9/v1", "http://user:***@127.0.0.1:9/v1"),
    ("连接不上模型服务 http://user:S3cret@host/v1，请检查", "连接不上模型服务 http://user:***@host/v1，请检查"),
    ("https://u:p@ss:w0rd@host/v1", "https://u:***@host/v1"),  # an '@' inside the password
    ("https://S3cretToken@host/v1", "https://***@host/v1"),
    ("http://host/v1?api_key=S3cret&x=1", "http://host/v1?api_key=***&x=1"),
    ("连接不上 http://h/v1?api_key=S3cret，请检查", "连接不上 http://h/v1?api_key=***，请检查"),
    ("http://h/v1?a=1&token=S3cret#f", "http://h/v1?a=1&token=***#f"),
    ("http://h/?key=S3cret;access_token=S3cret&Password=S3cret&secret=S3cret",
     "http://h/?key=***;access_token=***&Password=***&secret=***"),
    # the ones a review found slipping through
    ("https://h/cb#access_token=S3cret", "https://h/cb#access_token=***"),      # an OAuth fragment
    ("https://h/?api%5Fkey=S3cret&x=1", "https://h/?api%5Fkey=***&x=1"),      # a percent-encoded name
    ("https://:S3cret@host/v1", "https://:***@host/v1"),
    ("https://u:pa/ss@host/v1", "https://u:***@host/v1"),                     # a '/' in the password
    ("https://h/a;jsessionid=S3cret", "https://h/a;jsessionid=***"),
    ("https://s3/x?X-Amz-Credential=S3cret&X-Amz-Signature=S3cret",
     "https://s3/x?X-Amz-Credential=***&X-Amz-Signature=***"),
    ("Authorization: Bearer S3cretS3cret", "Authorization: Bearer ***"),
    ("OPENAI_API_KEY=S3cretS3cret", "OPENAI_API_KEY=***"),
])
def test_redact_masks_url_secrets(text, shown):
    assert redact(text) == shown


@pytest.mark.parametrize("text", [
    "写信给 a@b.com", "http://[::1]:8080/v1", "https://host/a@b/c", "api_key=sk-…WXYZ base_url=(默认)",
    "https://host/v1?keyword=私域&monkey=1", "cache key=abc", "https://host:8080/path 正常",
    "IPWRITER_API_KEY=(未设置)", "http://127.0.0.1:8000/v1",
])
def test_redact_leaves_what_is_no_secret(text):
    assert redact(text) == text


def test_a_log_line_with_a_url_password_is_redacted(tmp_path):
    path = setup_logging(tmp_path / "logs")
    logging.getLogger("ipwriter.test").warning("connecting to %s", "http://user:S3cret@host/v1?key=K3y")
    for h in logging.getLogger("ipwriter").handlers:
        h.flush()
    logged = path.read_text(encoding="utf-8")
    assert "connecting to http://user:***@host/v1?key=***" in logged
    assert "S3cret" not in logged and "K3y" not in logged


def test_doctor_shows_no_password_of_the_base_url(tmp_path):
    url = "http://user:S3cret@127.0.0.1:9/v1?api_key=K3yQ"  # nothing listens on port 9
    root = demo_copy(tmp_path / "ws", knowledge=False)
    ws = open_workspace(root, provider="openai-compatible", model="m", base_url=url, api_key="unused",
                        timeout=3, max_retries=0)
    assert ws.public_settings()["base_url"] == "http://user:***@127.0.0.1:9/v1?api_key=***"
    runner, app = CliRunner(), make_app(workspace=lambda: ws)
    res = runner.invoke(app, ["doctor"], env=WIDE)
    _no_crash(res, 1)  # the chat model is unreachable
    shown = res.stdout + res.stderr
    assert "S3cret" not in shown and "K3yQ" not in shown
    assert "base_url=http://user:***@127.0.0.1:9/v1?api_key=***" in shown
    assert "连接不上模型服务 http://user:***@127.0.0.1:9/v1?api_key=***，请检查网络" in shown  # the error
    res = runner.invoke(app, ["doctor", "--json"])
    report = json.loads(res.stdout)
    assert "S3cret" not in res.stdout and "K3yQ" not in res.stdout
    assert report["settings"]["base_url"] == "http://user:***@127.0.0.1:9/v1?api_key=***"
    logged = (ws.log_path).read_text(encoding="utf-8")
    assert "S3cret" not in logged


def test_the_settings_page_sends_no_url_password_to_the_browser(tmp_path, _restore_factory):
    url = "http://user:S3cret@127.0.0.1:9/v1?api_key=K3yQ"
    root = demo_copy(tmp_path / "ws", knowledge=False)
    ws = open_workspace(root, provider="openai-compatible", model="m", base_url=url, api_key="unused")
    at = app_for(ws, "settings.py")
    box = at.text_input(key="set_base_url")
    shown = texts(at) + "".join(str(t.value) for t in at.text_input)
    assert "S3cret" not in shown and "K3yQ" not in shown
    assert box.value == "http://user:***@127.0.0.1:9/v1?api_key=***"
    at.button[0].click().run()  # 应用, the URL as shown: the real one is kept, not the mask
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert ws.settings.base_url == url
    at.text_input(key="set_base_url").input("http://127.0.0.1:9/v2")
    at.button[0].click().run()  # a URL the creator typed is taken as typed
    assert ws.settings.base_url == "http://127.0.0.1:9/v2"


# -- 3. the app, pypdf -----------------------------------------------------------------------------
LINK = "[点我](http://evil.example)"
TITLE = "[点我](http://e.cn)"  # a model's title: at most 20 characters


def test_a_note_quote_and_a_model_title_are_not_markdown_in_the_app(tmp_path, _restore_factory):
    root = demo_copy(tmp_path / "ws", knowledge=False)
    (root / "knowledge" / "evil*note*.md").write_text(
        f"# 复盘\n\n我三个月涨粉 1200 人，{LINK} **粗体**。\n", encoding="utf-8")
    ws = open_workspace(root)
    ws.ingest()
    ws.close()

    at = app_for(ws)  # 知识库: the search shows the passage
    at.text_input(key="kb_query").input("涨粉").run()
    evidence = next(m.value for m in at.markdown if 'class="evidence"' in m.value)
    assert "[点我]" not in evidence and "**粗体**" not in evidence
    assert "&#91;点我&#93;(http://evil.example) &#42;&#42;粗体&#42;&#42;" in evidence
    assert "knowledge/evil\\*note\\*.md · 复盘" in "\n".join(e.proto.label for e in at.expander)

    body = "我三个月涨粉 1200 人，全部靠私信。你不需要一夜爆红，先把每一个来问的人当朋友，慢慢就有了。"
    use(ws, [reply({"title": TITLE, "body": body, "tags": []})] * 2 + [reply({"body": body})] * 4)
    draft = ws.write("post", topic="涨粉", platform="xiaohongshu")
    at = app_for(ws, "review.py", draft=draft.draft_id)
    page = texts(at) + "\n".join(h.value for h in at.subheader)
    assert "\\[点我\\](http://evil.example) \\*\\*粗体\\*\\*" in page  # the quote, as text
    assert "\\[点我\\](http://e.cn)" in page  # the model's title, as text
    assert LINK not in page and TITLE not in page and "**粗体**" not in page


def test_pypdf_warnings_go_to_the_log_not_stderr(tmp_path, monkeypatch):
    # as in the real CLI: no handler on the root logger (pytest puts its capture there),
    # so a record that reaches it goes to Python's last resort, stderr
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    root = demo_copy(tmp_path / "ws", knowledge=False)
    (root / "knowledge" / "trunc.pdf").write_bytes(TRUNCATED_PDF)
    (root / "knowledge" / "ok.md").write_text("我三个月涨粉 1200 人。\n", encoding="utf-8")
    res = _cli(root)("ingest")
    _no_crash(res)
    assert "EOF marker" not in res.stderr and "EOF marker" not in res.stdout
    assert "跳过 knowledge/trunc.pdf：" in res.stderr  # the creator still learns which file failed
    assert "EOF marker" in (root / ".ipwriter" / "logs" / "ipwriter.log").read_text(encoding="utf-8")
