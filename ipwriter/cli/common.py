"""What every command shares: the consoles, the ``--json`` option, the error →
exit-code mapping of the contract, reading a draft from a file or standard
input, and how progress and drafts are shown."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ipwriter.cli.render import print_report, safe_text
from ipwriter.errors import ConfigError, IpwriterError
from ipwriter.redact import redact

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
        err.print(Text.assemble(("错误", "red"), " ", safe_text(msg)), soft_wrap=True)
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
        err.print(Text.assemble("意外错误，详情见日志 / unexpected error (see the log): ", safe_text(msg)),
                  soft_wrap=True)
        raise typer.Exit(1) from None


def read_input(path: str | None) -> str:
    """A draft from FILE or standard input ('-'); UTF-8 or GBK; never empty."""
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


def generating(as_json: bool, label: str, action: Callable[..., T]) -> T:
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


def ingest_with_progress(ws, paths, as_json: bool):
    """Ingest with a rich progress bar on a terminal; quiet with --json."""
    if as_json or not out.is_terminal:
        return ws.ingest(paths)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("导入知识库"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.description}", markup=False), console=out,
                  transient=True) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, source: str) -> None:
            bar.update(task, completed=done, total=total, description=safe_text(source).plain)

        return ws.ingest(paths, progress=progress)


def print_ingest(report) -> None:
    out.print(f"新增 {report.added} · 更新 {report.updated} · 未变 {report.unchanged} · "
              f"删除 {report.removed} · 失败 {report.failed} —— 知识库共 {report.chunks} 个片段、"
              f"{report.facts} 条数字事实（{report.seconds:.1f}s）", highlight=False)
    for e in report.errors:
        err.print(Text.assemble(("跳过", "yellow"), " ", safe_text(e.path), "：", safe_text(redact(e.error))),
                  soft_wrap=True)


def print_doctor(report) -> None:
    table = Table(title="ipwriter doctor", show_lines=False)
    table.add_column("检查")
    table.add_column("结果")
    table.add_column("说明", overflow="fold")
    table.add_column("耗时", justify="right")
    for c in report.checks:
        table.add_row(safe_text(c.name), Text("正常", "green") if c.ok else Text("失败", "red"),
                      safe_text(redact(c.detail)), f"{c.seconds:.2f}s")
    out.print(table)
    s = report.settings
    out.print(safe_text(redact(f"provider={s['provider']} model={s['model'] or '(默认)'} "
                               f"base_url={s['base_url'] or '(默认)'} api_key={s['api_key'] or '(未设置)'} "
                               f"home={s['home']}")))


def print_draft(draft) -> None:
    out.rule(safe_text(f"草稿 {draft.draft_id} · v{draft.version} · {draft.chain}"
                       + (f" · {draft.platform}" if draft.platform else "")))
    print_report(out, draft.text, draft.report)
    for c in draft.citations:
        out.print(Text.assemble(f"[{c.n}] ", safe_text(c.source), "：", safe_text(c.quote, lines=True)))
    for r in draft.replacements or []:
        src = f"（{r.source}）" if r.source else ""
        out.print(Text.assemble("替换：", safe_text(f"{r.from_} → {r.to}{src}")))
    if draft.run.marked:
        out.print(Text.assemble(("已标记待核实：", "yellow"), safe_text("、".join(draft.run.marked))))
    out.print(safe_text(f"已保存。查看：ipwriter drafts show {draft.draft_id}"))


def emit_draft(as_json: bool, draft) -> None:
    if as_json:
        emit_json(draft.public())
    else:
        print_draft(draft)
