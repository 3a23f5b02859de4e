"""A brief (素材提纲): what the notes give a piece before any model writes it.

Every chain makes one (``Chain.brief``) from the creator's notes, profile and
the platform rules alone: the best cases with their numbers (each with its
quote and source), stance candidates, an outline in the chain's structure,
title candidates from real facts, the calls to action the platform allows and
the compliance traps near the topic. :class:`Plan` is what the creator picks
from it; a chain follows a plan (its inputs' ``plan``), or the brief's own
first picks when none is given.

``Brief`` is the JSON contract of ``ipwriter brief … --json``: its schema is
``docs/brief.schema.json`` (a test keeps the two equal). :func:`to_markdown`
renders it for people.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ipwriter.errors import ConfigError
from ipwriter.knowledge.models import Fact
from ipwriter.platforms import label as platform_label
from ipwriter.write.inputs import Param


class BriefFact(BaseModel):
    """A number from the notes, with the sentence it stands in and where."""

    text: str
    kind: str
    quote: str
    source: str

    @classmethod
    def of(cls, fact: Fact) -> BriefFact:
        # a student's result without their consent is never offered as 他证
        kind = "他证（未获授权，不能用）" if fact.kind == "他证" and not fact.usable_as_third_party_proof \
            else fact.kind
        return cls(text=fact.text, kind=kind, quote=fact.quote.strip().lstrip("-*·• ").strip(),
                   source=fact.source)


class BriefCase(BaseModel):
    source: str
    title: str
    facts: list[BriefFact] = Field(default_factory=list, description="key numbers, best first")


class Stance(BaseModel):
    text: str
    origin: Literal["attitude", "contrast", "note"] = Field(
        description="attitude: from profile.yaml; note: a contrast sentence quoted from a note; "
                    "contrast: the profile's stance set against a real number")
    source: str | None = None


class TitleIdea(BaseModel):
    text: str
    pattern: str = Field(description="对象+数字+结果 | 前后对比 | 案例标题 | 提问 | 清单")
    platform: str
    limit: int = Field(description="the platform's title limit, in characters")


class Section(BaseModel):
    """One part of the outline: what it does and the material it can use."""

    name: str
    guide: str
    minutes: int | None = None
    facts: list[BriefFact] = Field(default_factory=list)
    lines: list[str] = Field(default_factory=list, description="material quoted from notes/profile")


class Trap(BaseModel):
    text: str
    rule: str
    advice: str


class Plan(BaseModel):
    """The creator's picks from a brief: a chain writes to them (a misspelt key is
    an error, not a plan silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stance: str = ""
    title: str = ""
    cases: list[str] = Field(default_factory=list, description="case notes (sources) to write from")
    outline: list[str] = Field(default_factory=list, description="the sections, in order")

    def is_empty(self) -> bool:
        return not (self.stance or self.title or self.cases or self.outline)


class Brief(BaseModel):
    chain: str
    label: str
    request: dict[str, Any] = Field(description="the chain's inputs the brief was made for")
    summary: str = Field("", description="the request in one line, for people")
    platform: str | None = None
    cases: list[BriefCase] = Field(default_factory=list)
    stances: list[Stance] = Field(default_factory=list)
    titles: list[TitleIdea] = Field(default_factory=list)
    outline: list[Section] = Field(default_factory=list)
    ctas: list[str] = Field(default_factory=list, description="calls to action allowed on the platform")
    traps: list[Trap] = Field(default_factory=list)
    missing: str = Field("", description="set when the notes hold nothing for this request")
    suggestions: list[str] = Field(default_factory=list, description="notes worth adding")
    plan: Plan = Field(default_factory=Plan, description="the brief's own first picks")


def _plan_from_text(value: Any) -> Any:
    """A plan from a file's text: YAML or JSON, a Plan or a whole brief (its ``plan``)."""
    if not isinstance(value, str):
        return value.get("plan", value) if isinstance(value, dict) and "chain" in value else value
    import yaml

    try:
        data = yaml.safe_load(value)
    except yaml.YAMLError as exc:
        raise ConfigError("写作计划文件不是有效的 YAML/JSON", f"plan file is not YAML/JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError("写作计划文件应是一个字典（或 ipwriter brief --json 的输出）",
                          "a plan file holds a mapping (or the output of ipwriter brief --json)")
    return _plan_from_text(data)


#: A chain input: a Plan, its mapping, or the text of a plan/brief file.
PlanInput = Annotated[Plan | None, BeforeValidator(_plan_from_text)]
PLAN_HELP = ("写作计划：ipwriter brief … --json 的输出（可先编辑 plan 部分），或只写 stance/title/"
             "cases/outline 的 YAML / a plan file: the output of ipwriter brief --json, or a YAML plan")
PLAN_PARAM = Param(flags=("--plan",), from_file=True, ui="plan", label="写作计划")


def plan_of(given: Plan | None, make_brief: Callable[[], Brief]) -> Plan:
    """The plan a chain writes to: the one given, or the brief's own first picks."""
    return given if given is not None and not given.is_empty() else make_brief().plan


def plan_block(plan: Plan) -> str:
    """The plan as the lines a prompt gets (data: the caller delimits it)."""
    lines = []
    if plan.title:
        lines.append(f"标题：{plan.title}")
    if plan.stance:
        lines.append(f"立场：{plan.stance}")
    if plan.cases:
        lines.append("案例：" + "、".join(plan.cases))
    if plan.outline:
        lines.append("结构：" + " → ".join(plan.outline))
    return "\n".join(lines)


# control characters (terminal escapes a note may carry) never reach a terminal or a file
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _fact_lines(facts: list[BriefFact]) -> list[str]:
    """One line per quoted sentence, with every number it gives: 「…」 once."""
    by_quote: dict[tuple[str, str], list[str]] = {}
    for f in facts:
        by_quote.setdefault((f.quote, f.kind), []).append(f"**{f.text}**")
    return [f"- {'、'.join(nums)}（{kind}）——「{quote}」" for (quote, kind), nums in by_quote.items()]


def to_markdown(brief: Brief) -> str:
    """The brief for people: cases, stances, titles, outline, CTAs and traps."""
    where = f" · {platform_label(brief.platform)}" if brief.platform else ""
    out = [f"# 素材提纲：{brief.label}{where}", ""]
    if brief.summary:
        out.append(brief.summary)
    if brief.missing:
        out += ["", f"> {brief.missing}"]
        out += [f"> - {s}" for s in brief.suggestions]
    out += ["", "## 案例与数字"]
    if not brief.cases:
        out.append("（没有找到可用的案例）")
    for case in brief.cases:
        out.append(f"### {case.title}（{case.source}）")
        out += _fact_lines(case.facts) or ["- （这篇笔记里没有数字）"]
    out += ["", "## 立场候选"]
    origin = {"attitude": "档案里的态度", "contrast": "态度 + 真实数字", "note": "笔记原话"}
    out += [f"- {s.text}（{origin[s.origin]}{'，' + s.source if s.source else ''}）"
            for s in brief.stances] or ["（没有）"]
    if brief.titles:
        out += ["", "## 标题候选（都在平台的标题字数限制内）"]
        out += [f"- {t.text}（{t.pattern}，{platform_label(t.platform)}）" for t in brief.titles]
    out += ["", "## 提纲"]
    for s in brief.outline:
        minutes = f"（{s.minutes}分钟）" if s.minutes else ""
        out.append(f"### {s.name}{minutes}")
        out.append(s.guide)
        out += _fact_lines(s.facts)
        out += [f"- {line}" for line in s.lines]
    if brief.ctas:
        out += ["", "## 这个平台允许的行动号召", "、".join(brief.ctas)]
    out += ["", "## 合规提醒"]
    out += [f"- {t.text}：{t.advice}（{t.rule}）" for t in brief.traps] or ["- 没有发现明显的雷区"]
    return _CONTROL.sub("", "\n".join(out).strip()) + "\n"
