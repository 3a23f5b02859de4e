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


# Steps of the main job, in order; later issues fill them in.
PIPELINE = [
    ("ingest", "导入知识库 knowledge/（知识层）"),
    ("write_post", "根据案例写一篇有态度的帖子（写作链）"),
    ("check", "检查数字、模糊词和广告法（检查）"),
]


@app.command()
def demo(as_json: bool = JsonOpt) -> None:
    """在内置示例上跑一遍主流程 / run the main job on the demo workspace."""
    from ipwriter.workspace import Workspace

    def _demo() -> dict[str, Any]:
        ws = workspace()
        result: dict[str, Any] = {"steps": []}
        p = ws.profile()
        result["profile"] = {"tagline": p.tagline, "products": [x.name for x in p.products]}
        if not as_json:
            out.rule("1. 创作者档案 profile.yaml")
            out.print(f"{p.tagline} · {p.keyword} · " + "、".join(x.name for x in p.products))
            out.rule("2. 运行环境 doctor")
        report = ws.doctor()
        result["doctor"] = report.model_dump(mode="json")
        if not as_json:
            _print_doctor(report)
            out.rule("3. 本地模型结构化输出 structured output")
        started = time.perf_counter()
        reply = ws.selftest()
        result["selftest"] = {**reply.model_dump(), "seconds": round(time.perf_counter() - started, 2)}
        if not as_json:
            out.print(f"{reply.tagline}  关键词：{'、'.join(reply.keywords)}  "
                      f"({result['selftest']['seconds']}s, {ws.llm.provider}/{ws.llm.model_name})")
        for n, (method, label) in enumerate(PIPELINE, start=4):
            built = hasattr(Workspace, method)
            result["steps"].append({"step": method, "built": built})
            if not as_json:
                out.rule(f"{n}. {label}")
                if not built:
                    out.print(f"[yellow]尚未实现 / not built yet:[/yellow] Workspace.{method}")
        return result

    result = run(as_json, _demo)
    if as_json:
        emit_json(result)


if __name__ == "__main__":  # pragma: no cover
    app()
