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
        where = "、".join(f"{p}/" if p == "knowledge" else p for p in report.reingested) or "knowledge/"
        if ing is not None:
            say(f"  已从 {where} 重新导入：{ing.added} 篇笔记，{ing.chunks} 个片段，{ing.facts} 条数字事实，"
                f"失败 {ing.failed} / rebuilt from {where}")
        if report.sources_unread:
            say("  损坏的知识库目录读不出导入过哪些笔记，只重建了 knowledge/；其他文件夹的笔记请重新 "
                "ipwriter ingest / the damaged catalog did not list its sources: only knowledge/ was "
                "rebuilt, ingest other folders again", to=err)
        if report.not_reingested:
            say(f"  这些导入过的笔记没能重新导入（文件已不在，或在工作区之外）/ not re-ingested: "
                f"{'、'.join(report.not_reingested)}", to=err)
    if report.drafts_damage:
        d = report.drafts
        say(f"已损坏 / damaged: {report.drafts_damage}")
        say(f"  已恢复 {d['drafts']} 篇草稿（{d['versions']} 个版本，{d['events']} 条记录），跳过 "
            f"{d['skipped']} 处损坏 / recovered what could be read")
        if d["lost_drafts"] or d["lost_versions"]:
            say(f"  读不出来的：{d['lost_drafts']} 篇草稿、{d['lost_versions']} 个版本，仍在备份 "
                f"{d['backup']} 里 / not recoverable, kept in the backup", to=err)
    say(f"损坏的文件已移到（没有删除）/ damaged files moved to: {report.backup}")
