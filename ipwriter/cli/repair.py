"""What ``ipwriter doctor --repair`` tells the creator it found and did."""

from __future__ import annotations

from ipwriter.cli.common import err, out
from ipwriter.cli.render import safe_text


def say(text: str, *, to=out) -> None:
    to.print(safe_text(text), soft_wrap=True)  # paths may hold [brackets], :x: or control characters


def print_repair(report) -> None:
    if not report.backup:
        say("没有发现损坏的文件，无需修复 / nothing is damaged")
        return
    if report.knowledge:
        say(f"已损坏 / damaged: {report.knowledge}")
        ing = report.ingest
        if ing is not None:
            say(f"  已从 knowledge/ 重新导入：{ing.added} 篇笔记，{ing.chunks} 个片段，{ing.facts} 条数字事实，"
                f"失败 {ing.failed} / rebuilt from knowledge/")
    if report.drafts_damage:
        d = report.drafts
        say(f"已损坏 / damaged: {report.drafts_damage}")
        say(f"  已恢复 {d['drafts']} 篇草稿（{d['versions']} 个版本，{d['events']} 条记录），跳过 "
            f"{d['skipped']} 处损坏 / recovered what could be read")
        if d["lost_drafts"] or d["lost_versions"]:
            say(f"  读不出来的：{d['lost_drafts']} 篇草稿、{d['lost_versions']} 个版本，仍在备份 "
                f"{d['backup']} 里 / not recoverable, kept in the backup", to=err)
    say(f"损坏的文件已移到（没有删除）/ damaged files moved to: {report.backup}")
