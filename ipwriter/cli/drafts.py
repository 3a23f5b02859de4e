"""``ipwriter drafts``: list, show (with its history), export, approve (a draft with
blocking findings only with ``--force --reason``), reject and edit saved drafts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from ipwriter.cli.common import JsonOpt, emit_draft, emit_json, out, print_draft, read_input, run
from ipwriter.cli.render import safe_text
from ipwriter.labels import EVENT_LABELS, STATUS_LABELS, STATUSES
from ipwriter.platforms import label as platform_label
from ipwriter.write.chains.base import Chain


def drafts_app(chains: Mapping[str, Chain], open_ws: Callable[[], Any]) -> typer.Typer:
    app = typer.Typer(help="草稿历史 / draft history", no_args_is_help=True)

    @app.command("list")
    def drafts_list(
        status: str = typer.Option(None, "--status", help=" | ".join(STATUSES)),
        chain: str = typer.Option(None, "--chain", help=" | ".join(chains)),
        platform: str = typer.Option(None, "--platform", "-p"),
        as_json: bool = JsonOpt,
    ) -> None:
        """列出草稿 / list drafts."""
        rows = run(as_json, lambda: open_ws().list_drafts(status=status, chain=chain,
                                                          platform=platform))
        if as_json:
            emit_json({"drafts": [r.model_dump(mode="json") for r in rows]})
            return
        table = Table(title=f"草稿（{len(rows)}）")
        for col in ("ID", "类型", "平台", "状态", "版本", "标题", "检查", "更新时间"):
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(r.draft_id, chains[r.chain].label if r.chain in chains else r.chain, platform_label(r.platform),
                          STATUS_LABELS.get(r.status, r.status), str(r.versions), safe_text(r.title),
                          "通过" if r.ok else "待改", r.updated_at[:19])
        out.print(table)

    @app.command("show")
    def drafts_show(
        draft_id: str = typer.Argument(..., metavar="ID"),
        version: int = typer.Option(None, "--version", "-v", help="第几版，默认最新"),
        as_json: bool = JsonOpt,
    ) -> None:
        """查看一篇草稿和它的记录 / show a draft and its history."""
        def _show():
            ws = open_ws()
            return ws.draft(draft_id, version), ws.draft_events(draft_id)

        d, events = run(as_json, _show)
        if as_json:
            emit_json({**d.public(), "events": events})
            return
        print_draft(d)
        out.rule("记录 / history")
        for e in events:
            line = f"{e['at'][:19].replace('T', ' ')}  {EVENT_LABELS.get(e['event'], e['event'])}  {e['detail']}"
            out.print(safe_text(line), style="yellow" if
                      e["detail"].startswith("强制通过") else None)

    @app.command("export")
    def drafts_export(
        draft_id: str = typer.Argument(..., metavar="ID"),
        fmt: str = typer.Option("md", "--format", "-f", help="md | docx"),
        out_path: Path = typer.Option(None, "--out", "-o", help="输出文件，默认 $IPWRITER_HOME/exports/"),
        as_json: bool = JsonOpt,
    ) -> None:
        """导出为 Markdown 或 Word / export to md or docx."""
        path = run(as_json, lambda: open_ws().export_draft(draft_id, fmt, out_path))
        if as_json:
            emit_json({"draft_id": draft_id, "format": fmt, "path": str(path)})
        else:
            out.print(safe_text(f"已导出 / exported: {path}"))

    def set_status(draft_id: str, status: str, as_json: bool, **override: Any) -> None:
        def _set():
            ws = open_ws()
            return ws.set_draft_status(draft_id, status, **override), ws.draft_events(draft_id)[-1]

        d, event = run(as_json, _set)
        if as_json:
            emit_json({"draft_id": d.draft_id, "status": d.status, "version": d.version,
                       "event": event})
        else:
            out.print(f"{d.draft_id} → {STATUS_LABELS.get(d.status, d.status)}", highlight=False)
            if event["detail"]:
                out.print(safe_text(f"记录 / recorded: {event['detail']}"))

    @app.command("approve")
    def drafts_approve(
        draft_id: str = typer.Argument(..., metavar="ID"),
        force: bool = typer.Option(False, "--force", help="有必须修改的问题（广告法禁用词、无据的数字…）"
                                   "也通过；要和 --reason 一起用 / approve despite blocking findings"),
        reason: str = typer.Option("", "--reason", help="强制通过的理由，记入草稿历史 / why (recorded)"),
        as_json: bool = JsonOpt,
    ) -> None:
        """通过；有必须修改的问题时要 --force --reason / approve a draft."""
        set_status(draft_id, "approved", as_json, force=force, reason=reason)

    @app.command("reject")
    def drafts_reject(draft_id: str = typer.Argument(..., metavar="ID"),
                      as_json: bool = JsonOpt) -> None:
        """退回 / reject a draft."""
        set_status(draft_id, "rejected", as_json)

    @app.command("edit")
    def drafts_edit(
        draft_id: str = typer.Argument(..., metavar="ID"),
        file: str = typer.Argument(..., help="改好的全文，- 表示标准输入"),
        as_json: bool = JsonOpt,
    ) -> None:
        """用改好的全文保存新版本（重新检查）/ save an edit as a new version."""
        emit_draft(as_json, run(as_json, lambda: open_ws().edit_draft(draft_id, read_input(file))))

    return app
