"""``ipwriter sources``: list the notes the knowledge base holds, remove one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
from rich.table import Table

from ipwriter.cli.common import JsonOpt, emit_json, out, run
from ipwriter.cli.render import safe_text


def sources_app(open_ws: Callable[[], Any]) -> typer.Typer:
    app = typer.Typer(help="知识库里的笔记 / the notes in the knowledge base", no_args_is_help=True)

    @app.command("list")
    def sources_list(as_json: bool = JsonOpt) -> None:
        """列出已导入的笔记（含失败的）/ list ingested notes (and failed ones)."""
        rows = run(as_json, lambda: open_ws().sources())
        if as_json:
            emit_json({"sources": rows})
            return
        table = Table(title=f"知识库笔记（{len(rows)}）")
        for col in ("笔记", "标题", "片段", "数字事实", "导入时间", "错误"):
            table.add_column(col, overflow="fold")
        for s in rows:  # every cell is text from a file: never markup
            table.add_row(safe_text(s["source"]), safe_text(s["title"] or ""), str(s["chunks"]),
                          str(s["facts"]), (s["ingested_at"] or "")[:19].replace("T", " "),
                          safe_text(s["error"] or ""))
        out.print(table)

    @app.command("remove")
    def sources_remove(
        source: str = typer.Argument(..., metavar="SOURCE", help="ipwriter sources list 里的名字"),
        as_json: bool = JsonOpt,
    ) -> None:
        """从知识库删除一篇笔记（文件移到 knowledge/.trash/）/ remove a note."""
        moved = run(as_json, lambda: open_ws().remove_source(source))
        if as_json:
            emit_json({"removed": source, "moved_to": str(moved) if moved else None})
            return
        line = safe_text(f"已删除 {source}")
        line.append_text(safe_text(f"，文件移到了 {moved}" if moved
                                   else "（只在知识库里有记录，没有动任何文件）"))
        out.print(line, highlight=False, soft_wrap=True)

    return app
