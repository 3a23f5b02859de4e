"""``ipwriter eval retrieval FILE``: the creator's retrieval self-test (检索自测)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.text import Text

from ipwriter.cli.common import JsonOpt, emit_json, err, out, run
from ipwriter.cli.render import safe_text
from ipwriter.knowledge.evaluate import EXAMPLE


def _with_progress(as_json: bool, action: Callable[[Any], Any]) -> Any:
    if as_json or not err.is_terminal:
        return action(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("检索自测"), BarColumn(), MofNCompleteColumn(), console=err,
                  transient=True) as bar:
        task = bar.add_task("", total=None)
        return action(lambda done, total: bar.update(task, completed=done, total=total))


def print_eval(report) -> None:
    out.print(f"共 {report.questions} 个问题：前 {report.k} 条里找到 {report.found} 个"
              f"（recall@{report.k} {report.recall_at_k:.3f}），排第 1 的 {report.first} 个"
              f"（hit@1 {report.hit_at_1:.3f}）", highlight=False)
    misses = [r for r in report.results if r.rank != 1]
    if not misses:
        out.print("每个问题期望的笔记都排在第 1。", highlight=False)
        return
    out.print()
    out.print(f"没排第 1 的问题（{len(misses)}）：", highlight=False)
    for r in misses:  # questions, names and headings come from files: never markup
        where = f"第 {r.rank} 名" if r.rank else f"前 {report.pool} 条里没有"
        out.print()
        out.print(safe_text(f"✗ {r.question}"), highlight=False, soft_wrap=True)
        out.print(safe_text(f"  期望：{r.note}（{where}）"), highlight=False, soft_wrap=True)
        out.print(safe_text(f"  为什么：{r.why}"), highlight=False, soft_wrap=True)


def eval_app(open_ws: Callable[[], Any]) -> typer.Typer:
    app = typer.Typer(help="自测 / self-tests", no_args_is_help=True)

    @app.command("retrieval", help="检索自测：你的问题能不能找到你期望的笔记 / can your questions "
                                   "find the notes you expect?\n\n\b\n" + EXAMPLE)
    def eval_retrieval(
        file: Path = typer.Argument(..., metavar="FILE",
                                    help="问题文件：YAML 或 CSV（question, note, 可选 answer）"),
        k: int = typer.Option(5, "-k", help="看前几条（1–20）/ results counted as found"),
        as_json: bool = JsonOpt,
    ) -> None:
        report = run(as_json, lambda: _with_progress(
            as_json, lambda progress: open_ws().eval_retrieval(file, k, progress)))
        if as_json:
            emit_json(report.model_dump())
            return
        for warning in report.warnings:
            err.print(Text.assemble(("注意", "yellow"), " ", safe_text(warning)), soft_wrap=True)
        print_eval(report)

    return app
