"""The Chinese words a creator reads for check verdicts, compliance levels,
draft statuses and draft events: one set for the CLI, the app and exported files."""

from __future__ import annotations

VERDICT_LABELS: dict[str, str] = {
    "grounded": "有据", "approx": "近似有据", "derived": "推算",
    "context_mismatch": "语境不符", "ungrounded": "无据",
}
#: Verdicts a creator must act on before publishing.
UNBACKED_VERDICTS = ("ungrounded", "context_mismatch")
LEVEL_LABELS: dict[str, str] = {"ban": "禁用", "caution": "慎用", "evidence": "需举证"}
#: What a finding asks of the creator (checks.report.severity), and what the
#: report's summary calls the counts.
SEVERITY_LABELS: dict[str, str] = {"block": "必须改", "advise": "建议看", "info": "提示"}
#: Said beside a vague word the records hold no number for (an info-level hint).
NO_RECORD_HINT = "记录里没有对应数字，考虑补一条记录"
#: Whose number a fact is (the proof ledger: knowledge.facts).
OWNER_LABELS: dict[str, str] = {"creator": "我自己", "student": "学员/客户", "third_party": "第三方",
                                "platform": "平台/行业数据", "offer": "产品/报价", "unknown": "说不清"}
def consent_label(owner: str, consent: bool) -> str:
    """已授权 / 未授权 for someone else's number; nothing for the creator's or the offer's."""
    return "已授权" if consent else "未授权" if owner in ("student", "third_party") else ""


STATUS_LABELS: dict[str, str] = {"draft": "待审", "approved": "已通过", "rejected": "未通过"}
STATUSES: tuple[str, ...] = tuple(STATUS_LABELS)
#: A draft's history (``events``): its status changes, and how it got its versions.
EVENT_LABELS: dict[str, str] = {**STATUS_LABELS, "created": "创建", "version": "新版本",
                                "repaired": "修复草稿库"}
