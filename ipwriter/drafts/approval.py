"""Approving a draft: what blocks it (a 广告法 ban, a number the records do not
back, broken output: ``checks.report.severity``; a stored report that cannot be
read blocks too), and the override with a reason that the draft's history records."""

from __future__ import annotations

import json

from ipwriter.checks.models import CheckReport
from ipwriter.checks.report import severity
from ipwriter.errors import ConfigError
from ipwriter.labels import LEVEL_LABELS, VERDICT_LABELS

#: The blocker when a version's stored check report is missing or cannot be read.
UNREADABLE_REPORT = "检查报告无法读取，请重新检查这一版"


class ApprovalBlocked(ConfigError):
    """The latest version has findings that block publishing; approving needs an
    override with a reason. ``blockers``: one Chinese line per finding."""

    def __init__(self, draft_id: str, version: int, blockers: list[str]) -> None:
        self.draft_id, self.version, self.blockers = draft_id, version, blockers
        shown = "；".join(blockers[:3]) + (f" 等 {len(blockers)} 处" if len(blockers) > 3 else "")
        super().__init__(
            f"草稿 {draft_id} 第 {version} 版还有 {len(blockers)} 处必须修改的问题：{shown}。"
            f"请先修改；确要通过，用 ipwriter drafts approve {draft_id} --force --reason \"理由\""
            "（理由会记入草稿历史）",
            f"draft {draft_id} v{version} has {len(blockers)} blocking finding(s); fix them, or "
            "override with --force --reason \"...\" (recorded in the draft's history)")


def blocking_findings(report: CheckReport) -> list[str]:
    """What blocks publishing (checks.report.severity), one Chinese line each."""
    lines = [f"广告法{LEVEL_LABELS[c.level]}词「{c.text}」（{c.rule}）"
             for c in report.compliance if severity(c) == "block"]
    lines += [f"{VERDICT_LABELS[n.verdict]}的数字「{n.text}」"
              for n in report.numbers if severity(n) == "block"]
    return lines + [s.problem for s in report.structure if severity(s) == "block"]


def approval_note(draft_id: str, version: int, payload: str, note: str, force: bool,
                  reason: str) -> str:
    """The event detail of an approval of this version (its stored ``payload``);
    raises :class:`ApprovalBlocked` when findings block and there is no override."""
    try:
        blockers = blocking_findings(CheckReport.model_validate(json.loads(payload)["report"]))
    except (ValueError, TypeError, KeyError, AttributeError):  # no readable report: never approve blind
        blockers = [UNREADABLE_REPORT]
    if blockers and not force:
        raise ApprovalBlocked(draft_id, version, blockers)
    if blockers:
        shown = "；".join(blockers[:5]) + (" …" if len(blockers) > 5 else "")
        return f"强制通过 / override：{reason}（第 {version} 版有 {len(blockers)} 处必须修改：{shown}）"
    return " ".join(x for x in (note, reason) if x)
