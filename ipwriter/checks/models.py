"""The check report: what ``ipwriter check`` prints and what is stored with a draft.

Field names follow the CLI contract in ``shared/design.md``. Every finding
that points into the text carries ``start``/``end`` offsets into the text as
written (not a normalised copy), so ``text[start:end] == finding.text``.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, Field, field_serializer, model_validator

from ipwriter.errors import ConfigError

Verdict = Literal["grounded", "approx", "derived", "context_mismatch", "ungrounded"]
Level = Literal["ban", "caution", "evidence"]
#: What a draft is, for the structure rules: a post, a full live script (all
#: ten parts), a platform pack (repeats across its sections are expected), one
#: live segment or a short spoken piece (口播: no parts required), or any text.
DraftKind = Literal["post", "script", "pack", "segment", "text"]
KIND_HELP = ("post 帖子（要有态度和真实数字）· script 完整直播脚本（十段齐全）· pack 多平台包 · "
             "segment 一段直播话术或口播 · text 任意文本")
DRAFT_KINDS: tuple[str, ...] = get_args(DraftKind)


def check_kind(kind: str) -> str:
    """``kind`` if it is a draft kind; a ConfigError listing the kinds otherwise."""
    if kind not in DRAFT_KINDS:
        raise ConfigError(f"--kind 只能是 {'、'.join(DRAFT_KINDS)}，而不是 {kind}",
                          f"--kind must be one of {', '.join(DRAFT_KINDS)}, not {kind!r}")
    return kind


class SourceRef(BaseModel):
    path: str
    quote: str


class NumberFinding(BaseModel):
    text: str
    start: int
    end: int
    value: float
    high: float | None = None
    unit: str | None = None
    subject: str = ""
    verdict: Verdict
    source: SourceRef | None = None
    note: str = ""  # why this verdict: "126 in the records" / "= 43 / 126"

    @field_serializer("value", "high")
    def _whole_numbers_as_int(self, v: float | None) -> float | int | None:
        return int(v) if v is not None and float(v).is_integer() else v


class VagueFinding(BaseModel):
    text: str
    start: int
    end: int
    category: str = ""  # quantity | intensifier | stock | change
    suggestion: str
    source: SourceRef | None = None  # the fact behind a concrete suggestion, if any
    # advise: the records hold a number to put here (source); info: they hold none
    level: Literal["advise", "info"] = "advise"
    # why no number from the records may stand here although one seems to: "sample"
    # (5位学员的真实数据 is not how many there are), "subset" (大量学员反馈: those who did it)
    withheld: Literal["", "sample", "subset"] = ""


class ComplianceFinding(BaseModel):
    text: str
    start: int
    end: int
    level: Level
    rule: str
    basis: str
    suggestion: str
    platforms: list[str] = Field(default_factory=list)  # empty: every platform
    id: str = ""  # the lexicon entry's stable id (income-promise, scarcity …); profile: banned-word


class StructureFinding(BaseModel):
    problem: str
    suggestion: str
    code: str = ""  # stable id, e.g. missing:他证, repeated, truncated, echoed_instruction, junk
    start: int | None = None  # where it is, for findings at one place (junk)
    end: int | None = None
    # broken output (empty, cut off, repeated, an echoed instruction, junk) blocks;
    # a missing part (missing:…: an attitude, a script's 他证 segment) advises. Reports
    # saved before this field existed get it from their code.
    blocking: bool = True

    @model_validator(mode="before")
    @classmethod
    def _blocking_from_code(cls, data: Any) -> Any:
        if isinstance(data, dict) and "blocking" not in data:
            data = {**data, "blocking": not str(data.get("code", "")).startswith("missing:")}
        return data


Severity = Literal["block", "advise", "info"]


class Summary(BaseModel):
    """``ok`` depends only on what blocks: a 广告法 ban, a number the records
    do not back (ungrounded, context mismatch) and broken output. Cautions,
    evidence requests, derived numbers, vague words with a number to use and
    missing parts advise; vague words the records hold no number for are info."""

    ok: bool
    ungrounded: int = 0  # ungrounded + context_mismatch
    ban: int = 0
    caution: int = 0
    vague: int = 0
    blocking: int = 0
    advisory: int = 0
    info: int = 0


#: The reminder every model-written draft carries (in force 2025-09-01).
AI_LABEL_NOTICE = ("这是 AI 生成的草稿：按《人工智能生成合成内容标识办法》（2025年9月1日起施行）第十条，"
                   "发布时请主动声明并使用平台提供的 AI 生成内容标识功能；导出文件默认已加上标识。")


class CheckReport(BaseModel):
    numbers: list[NumberFinding] = Field(default_factory=list)
    vague: list[VagueFinding] = Field(default_factory=list)
    compliance: list[ComplianceFinding] = Field(default_factory=list)
    structure: list[StructureFinding] = Field(default_factory=list)
    summary: Summary
    notices: list[str] = Field(default_factory=list)  # reminders that are no finding (AI label)
