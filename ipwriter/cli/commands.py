"""The commands that are not chains: doctor, profile, ingest, search, facts,
check, app and demo. Each is thin: it calls the workspace and prints."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from ipwriter.checks.models import KIND_HELP, check_kind
from ipwriter.cli.common import (
    JsonOpt,
    emit_json,
    err,
    generating,
    ingest_with_progress,
    out,
    print_doctor,
    print_draft,
    print_ingest,
    read_input,
    run,
)
from ipwriter.cli.render import print_report, safe_text
from ipwriter.cli.repair import print_repair
from ipwriter.knowledge.models import FACT_KINDS
from ipwriter.labels import OWNER_LABELS, consent_label
from ipwriter.platforms import PLATFORMS
from ipwriter.write.brief import to_markdown

KindOpt = typer.Option(None, "--kind", help="按事实类型过滤：" + "/".join(FACT_KINDS))
PlatformOpt = typer.Option(None, "--platform", "-p", help="平台：" + " | ".join(PLATFORMS))
# The main job the demo runs (the README's quick start).
DEMO_TOPIC = "粉丝不多，也能靠私信和朋友圈卖出第一单"
DEMO_PLATFORM = "xiaohongshu"


def _run_server(cmd: list[str]) -> int:
    """Run the Streamlit server as a child and pass on SIGTERM/SIGHUP: stopping
    ``ipwriter app`` (a service manager, a test, a closed terminal) stops the server
    too instead of leaving it orphaned on its port. Ctrl+C reaches both already."""
    proc = subprocess.Popen(cmd)

    def forward(signum, _frame) -> None:
        proc.send_signal(signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, forward)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        return 0


def add_commands(app: typer.Typer, open_ws: Callable[[], Any]) -> None:
    @app.command()
    def doctor(
        repair: bool = typer.Option(False, "--repair", help="修复损坏的知识库和草稿库：损坏的文件移到 "
                                    "IPWRITER_HOME（默认 .ipwriter）下的 damaged-…/，知识库从 knowledge/ "
                                    "和其他导入过的文件夹重建，草稿尽量恢复 / repair damaged stores"),
        as_json: bool = JsonOpt,
    ) -> None:
        """检查配置、模型、向量模型、存储和草稿库 / check settings, models, the store and drafts."""
        def _doctor():
            ws = open_ws()
            fixed = ws.repair() if repair else None
            return ws.doctor().model_copy(update={"repair": fixed})

        report = run(as_json, _doctor)
        if as_json:
            emit_json(report.model_dump(mode="json", exclude=None if repair else {"repair"}))
        else:
            if report.repair is not None:
                print_repair(report.repair)
            print_doctor(report)
        raise typer.Exit(0 if report.ok else 1)

    @app.command()
    def profile(as_json: bool = JsonOpt) -> None:
        """读取并校验 profile.yaml / load and validate the creator profile."""
        p = run(as_json, lambda: open_ws().profile())
        if as_json:
            emit_json({"profile": p.model_dump(mode="json"), "version": p.version()})
            return
        out.print(Text.assemble(safe_text(p.tagline, "bold"),
                                safe_text(f"（{p.name}）· 差异化关键词：{p.keyword}")))
        out.print(safe_text("人格特性：" + "、".join(p.traits)))
        for a in p.attitudes:
            out.print(safe_text(f"  态度：{a}"))
        for prod in p.products:
            out.print(safe_text(f"  {prod.tier}：{prod.name} {prod.price:g} 元 — {prod.promise}"))

    @app.command()
    def ingest(
        paths: list[Path] = typer.Argument(None, help="文件或文件夹，默认 knowledge/ / files or folders"),
        as_json: bool = JsonOpt,
    ) -> None:
        """导入案例笔记（增量、可重复执行）/ ingest case notes, incrementally."""
        report = run(as_json, lambda: ingest_with_progress(open_ws(), paths or None, as_json))
        if as_json:
            emit_json(report.model_dump(mode="json", exclude={"seconds"}))
        else:
            print_ingest(report)
        if report.failed and not (report.added or report.updated or report.unchanged):
            if not as_json:
                err.print("没有导入任何文件：给出的文件都失败了 / nothing was ingested: every file failed",
                          markup=False, highlight=False)
            raise typer.Exit(2)  # bad input: the contract's code

    @app.command()
    def search(
        query: str = typer.Argument(..., help="要找什么 / what to look for"),
        k: int = typer.Option(5, "-k", min=1, max=50, help="返回条数"),
        source: list[str] = typer.Option(None, "--source", help="只在这些文件里找"),
        kind: list[str] = KindOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        """混合检索案例（向量 + BM25）/ hybrid search over the knowledge base."""
        def _search():
            ws = open_ws()
            return ws.search(query, k, sources=source or None, kinds=kind or None), ws.search_warnings()

        results, warnings = run(as_json, _search)
        for warning in warnings:  # vectors gone: keyword search only
            err.print(Text.assemble(("注意", "yellow"), " ", safe_text(warning)), soft_wrap=True)
        if as_json:
            emit_json({"results": [r.model_dump(mode="json") for r in results],
                       **({"warnings": warnings} if warnings else {})})
            return
        if not results:
            out.print("没有找到相关片段（先运行 ipwriter ingest？）")
        for n, r in enumerate(results, 1):
            path = " > ".join([r.title, *r.headings])
            out.print(Text.assemble((f"[{n}]", "bold"), " ", safe_text(path), "  ",
                                    safe_text(f"{r.source} · {r.score:.4f}", "dim")))
            out.print(safe_text(r.text, lines=True))
            out.print()

    @app.command()
    def facts(
        source: str = typer.Option(None, "--source", help="只看这个文件的数字"),
        kind: list[str] = KindOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        """列出知识库里的数字事实 / list the number facts in the knowledge base."""
        rows = run(as_json, lambda: open_ws().facts(source, kinds=kind or None))
        if as_json:
            emit_json({"facts": [f.model_dump(mode="json") for f in rows]})
            return
        table = Table(title=f"数字事实（{len(rows)} 条）：谁的结果、是否授权，他证只用已授权的学员结果")
        for col in ("数字", "类型", "谁的", "授权", "来源", "原文"):
            table.add_column(col, overflow="fold")
        for f in rows:
            cells = (f.text, f.kind, OWNER_LABELS[f.owner] + ("（已更正）" if f.corrected else ""),
                     consent_label(f.owner, f.consent), f.source, f.quote)
            table.add_row(*(safe_text(x) for x in cells))
        out.print(table)

    @app.command("correct-fact")
    def correct_fact(
        source: str = typer.Argument(..., help="笔记，如 knowledge/09-….md"),
        text: str = typer.Argument(..., help="数字原文，如 27单"),
        kind: str = typer.Option(..., "--kind", help="改成的类型：" + "/".join(FACT_KINDS)),
        owner: str = typer.Option(..., "--owner", help="谁的结果：" + "/".join(
            f"{k}（{v}）" for k, v in OWNER_LABELS.items())),
        consent: bool = typer.Option(False, "--consent", help="本人已授权用作他证"),
        quote: str = typer.Option(None, "--quote", help="原句：同一个数字在这篇笔记里出现在几句里时必填"),
        as_json: bool = JsonOpt,
    ) -> None:
        """更正一条数字事实是谁的结果、是否授权（重新导入也保留）/ correct whose a fact is."""
        changed = run(as_json, lambda: open_ws().correct_fact(
            source=source, text=text, quote=quote, kind=kind, owner=owner, consent=consent))
        if as_json:
            emit_json({"changed": changed})
            return
        out.print(safe_text(f"已更正 {changed} 条：{source}「{text}」→ {kind}（{OWNER_LABELS.get(owner, owner)}"
                            f"{'，已授权' if consent else ''}）"))

    @app.command()
    def check(
        file: str = typer.Argument(None, help="草稿文件，- 表示标准输入 / draft file, - for stdin"),
        platform: str = PlatformOpt,
        kind: str = typer.Option("text", "--kind", help=KIND_HELP),
        as_json: bool = JsonOpt,
    ) -> None:
        """检查数字是否有据、模糊词、广告法与平台规则 / check a draft."""
        def _check():
            check_kind(kind)  # before reading standard input
            text = read_input(file)
            return text, open_ws().check(text, platform=platform, kind=kind)

        text, report = run(as_json, _check)
        if as_json:
            emit_json(report.model_dump(mode="json"))
        else:
            print_report(out, text, report)

    @app.command("app")
    def app_cmd(
        port: int = typer.Option(8501, "--port", help="端口 / port"),
        host: str = typer.Option("127.0.0.1", "--host",
                                 help="监听地址；默认只允许本机访问 / bind address (local only by default)"),
        open_browser: bool = typer.Option(False, "--open/--no-open", help="自动打开浏览器"),
    ) -> None:
        """打开审阅应用（Streamlit，默认 http://127.0.0.1:8501）/ start the review app."""
        script = Path(__file__).resolve().parent.parent / "webapp" / "streamlit_app.py"
        run(False, lambda: open_ws().profile())  # a broken profile fails here, readably
        if host not in ("127.0.0.1", "localhost", "::1"):
            err.print(Text.assemble(("注意", "yellow"), " 应用监听在 ", safe_text(host),
                                    "，局域网里的其他人也能打开它"))
        out.print(safe_text(f"审阅应用：http://{host}:{port}  （Ctrl+C 退出）"))
        cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", host,
               "--server.port", str(port), "--server.headless", str(not open_browser).lower(),
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
               "--global.developmentMode", "false", "--client.toolbarMode", "minimal"]
        raise typer.Exit(_run_server(cmd))

    @app.command()
    def demo(
        topic: str = typer.Option(DEMO_TOPIC, "--topic", help="示例帖子的主题"),
        platform: str = typer.Option(DEMO_PLATFORM, "--platform", "-p"),
        as_json: bool = JsonOpt,
    ) -> None:
        """在内置示例上跑一遍主流程：导入 → 素材提纲 → 写帖子 → 检查 → 保存 / run the main job on the demo workspace."""
        result = run(as_json, lambda: _demo(open_ws(), topic, platform, as_json))
        if as_json:
            emit_json(result)


def _demo(ws, topic: str, platform: str, as_json: bool) -> dict[str, Any]:
    result: dict[str, Any] = {}
    p = ws.profile()
    result["profile"] = {"tagline": p.tagline, "products": [x.name for x in p.products]}
    if not as_json:
        out.rule("1. 创作者档案 profile.yaml")
        out.print(safe_text(f"{p.tagline} · {p.keyword} · " + "、".join(x.name for x in p.products)))
        out.rule("2. 运行环境 doctor")
    report = ws.doctor()
    result["doctor"] = report.model_dump(mode="json")
    if not as_json:
        print_doctor(report)
        out.rule("3. 导入知识库 knowledge/")
    ingest_report = ingest_with_progress(ws, None, as_json)
    result["ingest"] = ingest_report.model_dump(mode="json")
    if not as_json:
        print_ingest(ingest_report)
        out.rule("4. 素材提纲（不调用模型：案例、数字、立场、标题、提纲）")
    started = time.perf_counter()
    brief = ws.brief("post", topic=topic, platform=platform)
    result["brief"] = {**brief.model_dump(mode="json"),
                       "seconds": round(time.perf_counter() - started, 2)}
    if not as_json:
        out.print(safe_text(to_markdown(brief), lines=True), soft_wrap=True)
        out.rule(safe_text(f"5. 按提纲写一篇{topic}（{ws.llm.provider}/{ws.llm.model_name}）"))
    started = time.perf_counter()
    draft = generating(as_json, "正在写帖子",
                       lambda tok: ws.write("post", topic=topic, platform=platform, on_token=tok))
    result["post"] = {**draft.public(), "seconds": round(time.perf_counter() - started, 1)}
    if not as_json:
        out.rule("6. 草稿与检查报告")
        print_draft(draft)
        if ws.settings.provider == "local":
            out.print("[dim]内置的 270M 小模型只为离线跑通流程，写不出可发布的文案；上面的素材提纲"
                      "才是现在就能用的部分。[/dim]")
            out.rule("7. 接入真正的大模型")
            out.print("在工作区的 .env 里写上（以 DeepSeek 为例，其他服务商见 README「模型服务商」）：\n"
                      "  IPWRITER_PROVIDER=deepseek\n  DEEPSEEK_API_KEY=你的密钥\n"
                      "然后运行 ipwriter doctor 检查连接，再运行 ipwriter post --topic …",
                      markup=False, highlight=False)
    return result
