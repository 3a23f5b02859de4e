"""The ``ipwriter`` command: thin, every action goes through Workspace.

Contract (``shared/design.md``): ``--json`` prints exactly one JSON document
on stdout; exit 0 on success, 2 on bad input or configuration (one-line
Chinese + English reason on stderr), 1 on an unexpected failure.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from ipwriter import __version__
from ipwriter.errors import IpwriterError
from ipwriter.redact import redact

app = typer.Typer(
    help="ipwriter：把你的实操复盘变成有依据的文案 / grounded copy from your own cases.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)
log = logging.getLogger("ipwriter.cli")
T = TypeVar("T")

JsonOpt = typer.Option(False, "--json", help="只输出一个 JSON 文档 / print one JSON document")


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def run(as_json: bool, action: Callable[[], T]) -> T:
    """Run an action; map errors to the contract's exit codes and messages."""
    try:
        return action()
    except IpwriterError as exc:
        msg = redact(exc.message)
        if as_json:
            emit_json({"error": {"type": type(exc).__name__, "message": msg}})
        err.print(f"[red]错误[/red] {msg}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        err.print("已中断 / interrupted")
        raise typer.Exit(130) from None
    except Exception as exc:
        log.exception("unexpected failure")
        msg = redact(f"{type(exc).__name__}: {exc}")
        if as_json:
            emit_json({"error": {"type": "UnexpectedError", "message": msg}})
        err.print(f"意外错误，详情见日志 / unexpected error (see the log): {msg}",
                  highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from None


def workspace():
    from ipwriter.workspace import Workspace

    return Workspace()


@app.callback(invoke_without_command=True)
def main(version: bool = typer.Option(False, "--version", help="版本 / version")) -> None:
    if version:
        out.print(f"ipwriter {__version__}")
        raise typer.Exit(0)


@app.command()
def doctor(as_json: bool = JsonOpt) -> None:
    """检查配置、模型、向量模型和存储 / check settings, models and the store."""
    report = run(as_json, lambda: workspace().doctor())
    if as_json:
        emit_json(report.model_dump(mode="json"))
    else:
        _print_doctor(report)
    raise typer.Exit(0 if report.ok else 1)


def _print_doctor(report) -> None:
    table = Table(title="ipwriter doctor", show_lines=False)
    table.add_column("检查")
    table.add_column("结果")
    table.add_column("说明", overflow="fold")
    table.add_column("耗时", justify="right")
    for c in report.checks:
        table.add_row(c.name, "[green]正常[/green]" if c.ok else "[red]失败[/red]", c.detail,
                      f"{c.seconds:.2f}s")
    out.print(table)
    s = report.settings
    out.print(f"provider={s['provider']} model={s['model'] or '(默认)'} "
              f"base_url={s['base_url'] or '(默认)'} api_key={s['api_key'] or '(未设置)'} "
              f"home={s['home']}", highlight=False)


@app.command()
def profile(as_json: bool = JsonOpt) -> None:
    """读取并校验 profile.yaml / load and validate the creator profile."""
    p = run(as_json, lambda: workspace().profile())
    if as_json:
        emit_json({"profile": p.model_dump(mode="json"), "version": p.version()})
        return
    out.print(f"[bold]{p.tagline}[/bold]（{p.name}）· 差异化关键词：{p.keyword}")
    out.print("人格特性：" + "、".join(p.traits))
    for a in p.attitudes:
        out.print(f"  态度：{a}")
    for prod in p.products:
        out.print(f"  {prod.tier}：{prod.name} {prod.price:g} 元 — {prod.promise}")


def _progress_ingest(ws, paths, as_json: bool):
    """Ingest with a rich progress bar on a terminal; quiet with --json."""
    if as_json or not out.is_terminal:
        return ws.ingest(paths)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("导入知识库"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.description}"), console=out,
                  transient=True) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, source: str) -> None:
            bar.update(task, completed=done, total=total, description=source)

        return ws.ingest(paths, progress=progress)


def _print_ingest(report) -> None:
    out.print(f"新增 {report.added} · 更新 {report.updated} · 未变 {report.unchanged} · "
              f"删除 {report.removed} · 失败 {report.failed} —— 知识库共 {report.chunks} 个片段、"
              f"{report.facts} 条数字事实（{report.seconds:.1f}s）", highlight=False)
    for e in report.errors:
        err.print(f"[yellow]跳过[/yellow] {e.path}：{e.error}", highlight=False, soft_wrap=True)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(None, help="文件或文件夹，默认 knowledge/ / files or folders"),
    as_json: bool = JsonOpt,
) -> None:
    """导入案例笔记（增量、可重复执行）/ ingest case notes, incrementally."""
    report = run(as_json, lambda: _progress_ingest(workspace(), paths or None, as_json))
    if as_json:
        emit_json(report.model_dump(mode="json", exclude={"seconds"}))
    else:
        _print_ingest(report)


KindOpt = typer.Option(None, "--kind", help="按事实类型过滤：自证/他证/价格/时间/其他")


@app.command()
def search(
    query: str = typer.Argument(..., help="要找什么 / what to look for"),
    k: int = typer.Option(5, "-k", min=1, max=50, help="返回条数"),
    source: list[str] = typer.Option(None, "--source", help="只在这些文件里找"),
    kind: list[str] = KindOpt,
    as_json: bool = JsonOpt,
) -> None:
    """混合检索案例（向量 + BM25）/ hybrid search over the knowledge base."""
    results = run(as_json, lambda: workspace().search(query, k, sources=source or None,
                                                      kinds=kind or None))
    if as_json:
        emit_json({"results": [r.model_dump(mode="json") for r in results]})
        return
    if not results:
        out.print("没有找到相关片段（先运行 ipwriter ingest？）")
    for n, r in enumerate(results, 1):
        path = " > ".join([r.title, *r.headings])
        out.print(f"[bold][{n}][/bold] {path}  [dim]{r.source} · {r.score:.4f}[/dim]")
        out.print(r.text, highlight=False, markup=False)
        out.print()


@app.command()
def facts(
    source: str = typer.Option(None, "--source", help="只看这个文件的数字"),
    kind: list[str] = KindOpt,
    as_json: bool = JsonOpt,
) -> None:
    """列出知识库里的数字事实 / list the number facts in the knowledge base."""
    rows = run(as_json, lambda: workspace().facts(source, kinds=kind or None))
    if as_json:
        emit_json({"facts": [f.model_dump(mode="json") for f in rows]})
        return
    table = Table(title=f"数字事实（{len(rows)} 条）")
    for col in ("数字", "单位", "主题", "类型", "来源", "原文"):
        table.add_column(col, overflow="fold")
    for f in rows:
        table.add_row(f.text, f.unit or "", f.subject, f.kind, f.source, f.quote)
    out.print(table)


PlatformOpt = typer.Option(None, "--platform", "-p",
                           help="平台：xiaohongshu | douyin | wechat | moments | live")


def read_input(path: str | None) -> str:
    """A draft from FILE or standard input ('-'); UTF-8 or GBK; never empty."""
    from ipwriter.errors import ConfigError
    from ipwriter.knowledge.load import decode_text

    if path in (None, "-"):
        if path is None and sys.stdin.isatty():
            raise ConfigError("请给一个文件，或用 - 从标准输入读取",
                              "give a FILE, or - to read standard input")
        data = sys.stdin.buffer.read()
        name = "标准输入"
    else:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"找不到文件 {path}", f"no such file: {path}")
        data = p.read_bytes()
        name = p.name
    text = decode_text(data, name) if data else ""
    if not text.strip():
        raise ConfigError(f"{name} 没有内容", f"{name} is empty")
    return text.replace("\r\n", "\n")


@app.command()
def check(
    file: str = typer.Argument(None, help="草稿文件，- 表示标准输入 / draft file, - for stdin"),
    platform: str = PlatformOpt,
    kind: str = typer.Option("text", "--kind", help="text | post | script（加查结构）"),
    as_json: bool = JsonOpt,
) -> None:
    """检查数字是否有据、模糊词、广告法与平台规则 / check a draft."""
    from ipwriter.cli_render import print_report

    def _check():
        from ipwriter.errors import ConfigError

        if kind not in ("text", "post", "script"):
            raise ConfigError(f"--kind 只能是 text、post 或 script，而不是 {kind}",
                              f"--kind must be text, post or script, not {kind!r}")
        text = read_input(file)
        return text, workspace().check(text, platform=platform, kind=kind)

    text, report = run(as_json, _check)
    if as_json:
        emit_json(report.model_dump(mode="json"))
    else:
        print_report(out, text, report)


def _generating(as_json: bool, label: str, action: Callable[..., T]) -> T:
    """Run a chain with a spinner and a live character count on a terminal."""
    if as_json or not err.is_terminal:
        return action(None)
    received = 0
    with err.status(f"{label}…") as status:
        def on_token(piece: str) -> None:
            nonlocal received
            received += len(piece)
            status.update(f"{label}… 已收到 {received} 字符")

        return action(on_token)


def _print_draft(draft) -> None:
    from ipwriter.cli_render import print_report

    out.rule(f"草稿 {draft.draft_id} · v{draft.version} · {draft.chain}"
             + (f" · {draft.platform}" if draft.platform else ""))
    print_report(out, draft.text, draft.report)
    for c in draft.citations:
        out.print(f"[{c.n}] {c.source}：{c.quote}", highlight=False, markup=False)
    for r in draft.replacements or []:
        src = f"（{r.source}）" if r.source else ""
        out.print(f"替换：{r.from_} → {r.to}{src}", highlight=False, markup=False)
    if draft.inputs.get("marked"):
        out.print("[yellow]已标记待核实：[/yellow]" + "、".join(draft.inputs["marked"]), highlight=False)
    out.print(f"已保存。查看：ipwriter drafts show {draft.draft_id}", highlight=False)


def _emit_draft(as_json: bool, draft) -> None:
    if as_json:
        emit_json(draft.public())
    else:
        _print_draft(draft)


@app.command()
def post(
    topic: str = typer.Option(..., "--topic", "-t", help="主题 / topic"),
    platform: str = typer.Option("xiaohongshu", "--platform", "-p",
                                 help="xiaohongshu | douyin | wechat | moments"),
    case: list[str] = typer.Option(None, "--case", help="指定案例笔记（可多次）/ case notes to use"),
    as_json: bool = JsonOpt,
) -> None:
    """写一篇有态度的干货帖 / draft an attitude-led post from your cases."""
    draft = run(as_json, lambda: _generating(as_json, "正在写帖子", lambda tok: workspace().write_post(
        topic, platform, case or None, on_token=tok)))
    _emit_draft(as_json, draft)


@app.command("rewrite")
def rewrite_cmd(
    file: str = typer.Argument(None, help="要改写的文案，- 表示标准输入 / FILE or -"),
    as_json: bool = JsonOpt,
) -> None:
    """把形容词换成记录里的真实数字 / rewrite adjectives into numbers from your records."""
    def _do(tok):
        return workspace().rewrite(read_input(file), on_token=tok)

    draft = run(as_json, lambda: _generating(as_json, "正在改写", _do))
    _emit_draft(as_json, draft)


@app.command()
def script(
    product: str = typer.Option(..., "--product", help="产品名（profile.yaml 的产品阶梯）"),
    minutes: int = typer.Option(60, "--minutes", "-m", help="直播总时长（分钟）"),
    as_json: bool = JsonOpt,
) -> None:
    """写直播 / 发售话术 / draft a live-stream or launch script."""
    draft = run(as_json, lambda: _generating(as_json, "正在写直播话术", lambda tok: workspace().write_script(
        product, minutes, on_token=tok)))
    _emit_draft(as_json, draft)


@app.command("pack")
def pack_cmd(
    case: str = typer.Option(..., "--case", help="一篇已导入的案例笔记 / an ingested case note"),
    as_json: bool = JsonOpt,
) -> None:
    """一个案例 → 抖音、小红书、公众号、朋友圈、直播片段 / one case → a platform pack."""
    draft = run(as_json, lambda: _generating(as_json, "正在生成内容包", lambda tok: workspace().pack(
        case, on_token=tok)))
    _emit_draft(as_json, draft)


drafts_app = typer.Typer(help="草稿历史 / draft history", no_args_is_help=True)
app.add_typer(drafts_app, name="drafts")


@drafts_app.command("list")
def drafts_list(
    status: str = typer.Option(None, "--status", help="draft | approved | rejected"),
    chain: str = typer.Option(None, "--chain", help="post | rewrite | script | pack"),
    platform: str = typer.Option(None, "--platform", "-p"),
    as_json: bool = JsonOpt,
) -> None:
    """列出草稿 / list drafts."""
    rows = run(as_json, lambda: workspace().list_drafts(status=status, chain=chain, platform=platform))
    if as_json:
        emit_json({"drafts": [r.model_dump(mode="json") for r in rows]})
        return
    table = Table(title=f"草稿（{len(rows)}）")
    for col in ("ID", "类型", "平台", "状态", "版本", "标题", "检查", "更新时间"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r.draft_id, r.chain, r.platform or "", r.status, str(r.versions), r.title,
                      "通过" if r.ok else "待改", r.updated_at[:19])
    out.print(table)


@drafts_app.command("show")
def drafts_show(
    draft_id: str = typer.Argument(..., metavar="ID"),
    version: int = typer.Option(None, "--version", "-v", help="第几版，默认最新"),
    as_json: bool = JsonOpt,
) -> None:
    """查看一篇草稿 / show a draft."""
    draft = run(as_json, lambda: workspace().draft(draft_id, version))
    _emit_draft(as_json, draft)


@drafts_app.command("export")
def drafts_export(
    draft_id: str = typer.Argument(..., metavar="ID"),
    fmt: str = typer.Option("md", "--format", "-f", help="md | docx"),
    out_path: Path = typer.Option(None, "--out", "-o", help="输出文件，默认 $IPWRITER_HOME/exports/"),
    as_json: bool = JsonOpt,
) -> None:
    """导出为 Markdown 或 Word / export to md or docx."""
    path = run(as_json, lambda: workspace().export_draft(draft_id, fmt, out_path))
    if as_json:
        emit_json({"draft_id": draft_id, "format": fmt, "path": str(path)})
    else:
        out.print(f"已导出 / exported: {path}", highlight=False)


def _status(draft_id: str, status: str, as_json: bool) -> None:
    d = run(as_json, lambda: workspace().set_draft_status(draft_id, status))
    if as_json:
        emit_json({"draft_id": d.draft_id, "status": d.status, "version": d.version})
    else:
        out.print(f"{d.draft_id} → {d.status}", highlight=False)


@drafts_app.command("approve")
def drafts_approve(draft_id: str = typer.Argument(..., metavar="ID"), as_json: bool = JsonOpt) -> None:
    """通过 / approve a draft."""
    _status(draft_id, "approved", as_json)


@drafts_app.command("reject")
def drafts_reject(draft_id: str = typer.Argument(..., metavar="ID"), as_json: bool = JsonOpt) -> None:
    """退回 / reject a draft."""
    _status(draft_id, "rejected", as_json)


@drafts_app.command("edit")
def drafts_edit(
    draft_id: str = typer.Argument(..., metavar="ID"),
    file: str = typer.Argument(..., help="改好的全文，- 表示标准输入"),
    as_json: bool = JsonOpt,
) -> None:
    """用改好的全文保存新版本（重新检查）/ save an edit as a new version."""
    d = run(as_json, lambda: workspace().edit_draft(draft_id, read_input(file)))
    _emit_draft(as_json, d)


@app.command("app")
def app_cmd(
    port: int = typer.Option(8501, "--port", help="端口 / port"),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="监听地址；默认只允许本机访问 / bind address (local only by default)"),
    open_browser: bool = typer.Option(False, "--open/--no-open", help="自动打开浏览器"),
) -> None:
    """打开审阅应用（Streamlit，默认 http://127.0.0.1:8501）/ start the review app."""
    import subprocess
    from pathlib import Path as _Path

    script = _Path(__file__).parent / "webapp" / "streamlit_app.py"
    run(False, lambda: workspace().profile())  # a broken profile fails here, readably
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]注意[/yellow] 应用监听在 {host}，局域网里的其他人也能打开它", markup=True)
    out.print(f"审阅应用：http://{host}:{port}  （Ctrl+C 退出）", highlight=False)
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", host,
           "--server.port", str(port), "--server.headless", str(not open_browser).lower(),
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
           "--global.developmentMode", "false", "--client.toolbarMode", "minimal"]
    try:
        code = subprocess.call(cmd)
    except KeyboardInterrupt:
        code = 0
    raise typer.Exit(code)


# Steps of the main job that later issues add to the Workspace.
DEMO_TOPIC = "粉丝不多，也能靠私信和朋友圈卖出第一单"
DEMO_PLATFORM = "xiaohongshu"


@app.command()
def demo(
    topic: str = typer.Option(DEMO_TOPIC, "--topic", help="示例帖子的主题"),
    platform: str = typer.Option(DEMO_PLATFORM, "--platform", "-p"),
    as_json: bool = JsonOpt,
) -> None:
    """在内置示例上跑一遍主流程：导入 → 写帖子 → 检查 → 保存 / run the main job on the demo workspace."""

    def _demo() -> dict[str, Any]:
        ws = workspace()
        result: dict[str, Any] = {}
        p = ws.profile()
        result["profile"] = {"tagline": p.tagline, "products": [x.name for x in p.products]}
        if not as_json:
            out.rule("1. 创作者档案 profile.yaml")
            out.print(f"{p.tagline} · {p.keyword} · " + "、".join(x.name for x in p.products),
                      highlight=False)
            out.rule("2. 运行环境 doctor")
        report = ws.doctor()
        result["doctor"] = report.model_dump(mode="json")
        if not as_json:
            _print_doctor(report)
            out.rule("3. 导入知识库 knowledge/")
        ingest_report = _progress_ingest(ws, None, as_json)
        result["ingest"] = ingest_report.model_dump(mode="json")
        if not as_json:
            _print_ingest(ingest_report)
            out.rule(f"4. 写一篇{topic}（{ws.llm.provider}/{ws.llm.model_name}）")
        started = time.perf_counter()
        draft = _generating(as_json, "正在写帖子", lambda tok: ws.write_post(topic, platform,
                                                                        on_token=tok))
        result["post"] = {**draft.public(), "seconds": round(time.perf_counter() - started, 1)}
        if not as_json:
            out.rule("5. 草稿与检查报告")
            _print_draft(draft)
            if ws.settings.provider == "local":
                out.print("[dim]内置的 270M 小模型只为离线跑通流程，写不出可发布的文案；"
                          "正式使用请接入真正的大模型（见 README「模型服务商」）。[/dim]")
        return result

    result = run(as_json, _demo)
    if as_json:
        emit_json(result)


if __name__ == "__main__":  # pragma: no cover
    app()
