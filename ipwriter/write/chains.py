"""The writing chains: post, rewrite, script, pack. Each returns an unsaved
:class:`Draft` (the Workspace saves it).

Every chain: gather evidence from the creator's records → render its prompt
file (persona, platform style, the numbered evidence block) → ask the model
for a bounded pydantic object through the provider's structured-output
method (re-asked on invalid JSON by ``invoke_structured``) → retry once with
other sampling if the text is degenerate → :func:`review.review` (checks, one
revision pass, 【待核实】 marks) → citations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from langchain_core.messages import BaseMessage
from pydantic import BaseModel

from ipwriter.checks.models import CHECK_PLATFORMS
from ipwriter.checks.numbers import metric_groups
from ipwriter.checks.structure import degenerate
from ipwriter.checks.vague import find_vague
from ipwriter.errors import ConfigError
from ipwriter.knowledge.models import Evidence, Fact
from ipwriter.llm import invoke_structured
from ipwriter.numbers import find_numbers
from ipwriter.profile import PLATFORM_LABELS, CreatorProfile
from ipwriter.write.evidence import citations_for, evidence_block
from ipwriter.write.models import (
    COMPACT,
    FULL,
    SEGMENTS,
    Draft,
    FactRef,
    Limits,
    PackItem,
    Replacement,
    RewriteOut,
    Segment,
    pack_schema,
    post_schema,
    revise_schema,
    script_schema,
)
from ipwriter.write.review import Assembled, review

if TYPE_CHECKING:
    from ipwriter.workspace import Workspace

log = logging.getLogger(__name__)

POST_PLATFORMS = ("xiaohongshu", "douyin", "wechat", "moments")
MIN_MINUTES, MAX_MINUTES = 10, 240
PLACEHOLDER = "【待补充：{}的数据】"
TokenSink = Callable[[str], None] | None


# -- shared pieces -----------------------------------------------------------------------
def persona(ws: Workspace, profile: CreatorProfile) -> str:
    a = profile.audience
    return ws.prompts.get("persona").text(
        name=profile.name, tagline=profile.tagline, keyword=profile.keyword,
        traits="、".join(profile.traits),
        attitudes="\n".join(f"- {x}" for x in profile.attitudes),
        audience=f"{a.who}；在{a.where}；想要{a.wants}")


def limits(ws: Workspace) -> Limits:
    """Short replies for the tiny in-process model, room for real endpoints."""
    return COMPACT if ws.compact else FULL


def platform_style(ws: Workspace, platform: str) -> str:
    return ws.prompts.get(f"platform-{platform}").text()


@dataclass
class Generated:
    value: Any
    usage: dict[str, int]
    attempts: int


def generate(ws: Workspace, schema: type[BaseModel], messages: list[BaseMessage],
             render: Callable[[Any], str | list[str]], instructions: Sequence[str], *,
             max_tokens: int | None = None, on_token: TokenSink = None) -> Generated:
    """One structured call; a degenerate text (repeats, cut off, echoed
    instructions) is asked for once more with other sampling, and the better
    of the two is kept."""
    kwargs: dict[str, Any] = {}
    if max_tokens:
        kwargs["max_tokens"] = max_tokens
    first = invoke_structured(ws.llm, schema, messages, on_token=on_token, **kwargs)
    usage = dict(first.usage)
    problems = _degenerate(render(first.value), instructions)
    if not problems:
        return Generated(first.value, usage, first.attempts)
    log.info("degenerate output (%s); asking again with other sampling",
             ", ".join(p.code for p in problems))
    base = float(getattr(ws.llm.chat, "temperature", None) or 0.3)
    second = invoke_structured(ws.llm, schema, messages, on_token=on_token,
                               temperature=min(1.0, base + 0.4), seed=97, **kwargs)
    for k, v in second.usage.items():
        usage[k] = usage.get(k, 0) + v
    again = _degenerate(render(second.value), instructions)
    best = second if len(again) < len(problems) else first
    return Generated(best.value, usage, first.attempts + second.attempts)


def _degenerate(rendered: str | list[str], instructions: Sequence[str]) -> list:
    """Degenerate-output findings; a list of texts is checked piece by piece."""
    pieces = [rendered] if isinstance(rendered, str) else rendered
    return [f for piece in pieces for f in degenerate(piece, instructions, generated=True)]


def _revise_with(ws: Workspace, context: list[str], usage: dict[str, int]) -> Callable[[str, list[str]], str]:
    """A revision call over one unit of text, with the check findings as feedback."""
    persona_text, style, block = context

    def revise(unit: str, problems: list[str]) -> str:
        messages = ws.prompts.get("revise").messages(
            persona=persona_text, platform_style=style, evidence=block, draft=unit,
            problems="\n".join(f"- {p}" for p in problems))
        result = invoke_structured(ws.llm, revise_schema(limits(ws)), messages)
        for k, v in result.usage.items():
            usage[k] = usage.get(k, 0) + v
        return result.value.body

    return revise


def _join(parts: list[tuple[str, str]]) -> Assembled:
    """Join (prefix, unit) pairs; spans point at the units only."""
    text, spans = "", []
    for prefix, unit in parts:
        text += prefix
        spans.append((len(text), len(text) + len(unit)))
        text += unit
    return text, spans


def _inputs(ws: Workspace, profile: CreatorProfile, evidence: list[Evidence], **extra: Any) -> dict[str, Any]:
    return {**extra, "evidence": [e.chunk_id for e in evidence],
            "profile_version": profile.version(), "provider": ws.llm.provider,
            "model": ws.llm.model_name}


def _instructions(ws: Workspace, *names: str) -> list[str]:
    out: list[str] = []
    for n in names:
        out.extend(ws.prompts.get(n).instruction_lines)
    return out


def _check_platform(platform: str, allowed: Sequence[str]) -> None:
    if platform not in allowed:
        labels = "、".join(f"{p}（{PLATFORM_LABELS[p]}）" for p in allowed)
        raise ConfigError(f"平台「{platform}」不可用，可选：{labels}",
                          f"unknown platform {platform!r}; valid: {', '.join(allowed)}")


def pick_attitude(profile: CreatorProfile, topic: str) -> str:
    """The profile attitude that shares most characters with the topic (the first on a tie)."""
    chars = set(topic)
    return max(profile.attitudes, key=lambda a: len(chars & set(a)))


# -- post -------------------------------------------------------------------------------
def write_post(ws: Workspace, topic: str, platform: str = "xiaohongshu",
               cases: Sequence[str] | None = None, *, on_token: TokenSink = None) -> Draft:
    topic = topic.strip()
    if not topic:
        raise ConfigError("请给一个主题（--topic）", "a topic is required (--topic)")
    _check_platform(platform, POST_PLATFORMS)
    profile = ws.profile()
    evidence = ws.case_evidence(cases) if cases else ws.search(topic, k=6)
    block, used = evidence_block(ws.prompts, evidence, ws.evidence_chars)
    persona_text, style = persona(ws, profile), platform_style(ws, platform)
    attitude = pick_attitude(profile, topic)
    messages = ws.prompts.get("post").messages(
        persona=persona_text, platform_style=style, evidence=block, topic=topic, attitude=attitude)
    instructions = _instructions(ws, "post", "persona", f"platform-{platform}", "evidence")

    def units_of(v: Any) -> list[str]:
        return [v.title.strip(), v.body.strip()]

    tags = []

    def assemble(units: list[str]) -> Assembled:
        parts = [("", units[0]), ("\n\n", units[1])]
        text, spans = _join(parts)
        if tags:
            text += "\n\n" + " ".join(f"#{t}" for t in tags)
        return text, spans

    gen = generate(ws, post_schema(platform, limits(ws)), messages,
                   lambda v: assemble(units_of(v))[0], instructions, on_token=on_token)
    tags.extend(t.strip().lstrip("#") for t in gen.value.tags if t.strip().lstrip("#"))
    usage = gen.usage

    def check(text: str):
        return ws.check(text, platform=platform, kind="post", instructions=instructions,
                        generated=True)

    done = review(units_of(gen.value), assemble, check,
                  _revise_with(ws, [persona_text, style, block], usage),
                  revisable=lambda i: i == 1)
    return Draft(
        chain="post", platform=platform, title=done.units[0], text=done.text,
        citations=citations_for(done.text, done.report, used), report=done.report,
        inputs=_inputs(ws, profile, used, topic=topic, platform=platform, cases=list(cases or []),
                       attitude=attitude, revised=bool(done.revised), marked=done.marked,
                       revision_error=done.revision_error, attempts=gen.attempts),
        model=f"{ws.llm.provider}/{ws.llm.model_name}", usage=usage)


# -- rewrite ----------------------------------------------------------------------------
def _candidates(ws: Workspace, text: str, finding, facts: list[Fact]) -> list[Fact]:
    """Facts that could replace one vague phrase: the checker's own concrete
    pick first, then facts from passages on the same subject that share a
    metric with the sentence (durations, prices and ranges are never offered)."""
    out: list[Fact] = []
    if finding.source is not None:
        out += [f for f in facts if f.source == finding.source.path
                and f.quote == finding.source.quote and f.text in finding.suggestion]
    start = max(text.rfind(c, 0, finding.start) for c in "。！？\n") + 1
    end = min([i for i in (text.find(c, finding.end) for c in "。！？\n") if i >= 0] or [len(text)])
    sentence = text[start:end]
    groups = metric_groups(sentence)
    if groups:
        for e in ws.search(sentence, k=4, kinds=["自证", "他证"]):
            for f in e.facts:
                if f.kind in ("自证", "他证") and f.high is None and groups & metric_groups(
                        f.subject + f.quote) and f not in out:
                    out.append(f)
    return out[:3]


def rewrite(ws: Workspace, text: str, *, on_token: TokenSink = None) -> Draft:
    """Vague words → numbers from the records; a placeholder where the records hold none."""
    text = text.strip()
    if not text:
        raise ConfigError("要改写的文案是空的", "the text to rewrite is empty")
    profile = ws.profile()
    facts = ws.all_facts()
    findings = find_vague(text, facts)
    per_item = [_candidates(ws, text, f, facts) for f in findings]
    numbered: list[Fact] = []
    lines = []
    for i, (finding, cands) in enumerate(zip(findings, per_item), start=1):
        opts = []
        for f in cands:
            numbered.append(f)
            opts.append(f"    ({len(numbered)}) {f.text} ——「{f.quote}」")
        lines.append(f"[{i}] 「{finding.text}」" + ("\n" + "\n".join(opts) if opts else "（没有候选事实）"))
    usage: dict[str, int] = {}
    picks: dict[int, Any] = {}
    attempts = 0
    if numbered:
        messages = ws.prompts.get("rewrite").messages(
            persona=persona(ws, profile), original=text, items="\n".join(lines))
        result = invoke_structured(ws.llm, RewriteOut, messages, on_token=on_token)
        usage, attempts = dict(result.usage), result.attempts
        picks = {item.n: item for item in result.value.items}

    replacements: list[Replacement] = []
    for i, (finding, cands) in enumerate(zip(findings, per_item), start=1):
        fact, to = _choose(finding, cands, numbered, picks.get(i))
        replacements.append(Replacement(
            **{"from": finding.text}, to=to, start=finding.start, end=finding.end,
            source=fact.source if fact else None, quote=fact.quote if fact else None))
    new_text = text
    for r in sorted(replacements, key=lambda r: -r.start):
        new_text = new_text[:r.start] + r.to + new_text[r.end:]
    report = ws.check(new_text)
    return Draft(
        chain="rewrite", platform=None, title=_title_of(new_text), text=new_text,
        citations=[], report=report, before=text, replacements=replacements,
        inputs={"profile_version": profile.version(), "provider": ws.llm.provider,
                "model": ws.llm.model_name, "findings": len(findings), "attempts": attempts},
        model=f"{ws.llm.provider}/{ws.llm.model_name}", usage=usage)


def _noun(finding) -> str:
    t = finding.text
    for w in ("很多", "大量", "无数", "海量", "不少", "许多", "N多", "n多", "超级", "非常", "特别"):
        t = t.replace(w, "")
    return t.strip("的") or finding.text


def _choose(finding, cands: list[Fact], numbered: list[Fact], pick) -> tuple[Fact | None, str]:
    """The fact and replacement text for one vague phrase. The model's phrase is
    used only if its numbers are exactly the chosen fact's; otherwise the
    checker's own concrete suggestion, else a placeholder. Never a new number."""
    fact: Fact | None = None
    if pick is not None and 1 <= pick.fact <= len(numbered) and numbered[pick.fact - 1] in cands:
        fact = numbered[pick.fact - 1]
    elif finding.source is not None and cands:
        fact = cands[0]
    if fact is None:
        return None, PLACEHOLDER.format(_noun(finding))
    if pick is not None and pick.to and _numbers_only_from(pick.to, fact):
        return fact, pick.to.strip()
    if finding.source is not None and fact.quote == finding.source.quote:
        return fact, finding.suggestion
    return fact, fact.text


def _numbers_only_from(phrase: str, fact: Fact) -> bool:
    spans = find_numbers(phrase)
    return bool(spans) and all(abs(s.value - fact.value) < 1e-9 for s in spans)


def _title_of(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:30]


# -- script -----------------------------------------------------------------------------
def allocate_minutes(total: int) -> list[tuple[str, str, int]]:
    """Split ``total`` minutes over the ten segments by weight (largest remainder),
    at least one minute each; the result sums to ``total`` exactly."""
    if not MIN_MINUTES <= total <= MAX_MINUTES:
        raise ConfigError(f"直播时长要在 {MIN_MINUTES} 到 {MAX_MINUTES} 分钟之间（现在是 {total}）",
                          f"minutes must be between {MIN_MINUTES} and {MAX_MINUTES}")
    weights = [w for _, _, w in SEGMENTS]
    spare = total - len(SEGMENTS)
    shares = [spare * w / sum(weights) for w in weights]
    base = [1 + int(s) for s in shares]
    left = total - sum(base)
    order = sorted(range(len(SEGMENTS)), key=lambda i: -(shares[i] - int(shares[i])))
    for i in order[:left]:
        base[i] += 1
    return [(k, n, m) for (k, n, _), m in zip(SEGMENTS, base)]


def plan_facts(minutes: int, plan: list[tuple[str, int]]) -> list[Fact]:
    """The minutes a script's request fixed: they back the numbers in its headings."""
    quote = f"本次直播计划：共{minutes}分钟，" + "，".join(f"{n}{m}分钟" for n, m in plan)
    return [Fact(text=f"{m}分钟", value=m, unit="分钟", subject=n, kind="时间", source="（本次请求）",
                 quote=quote, chunk_id="plan") for n, m in [("直播", minutes), *plan]]


def _facts_of(evidence: list[Evidence], kind: str, limit: int) -> list[Fact]:
    out: list[Fact] = []
    for e in evidence:
        for f in e.facts:
            if f.kind == kind and f not in out:
                out.append(f)
    return out[:limit]


def write_script(ws: Workspace, product_name: str, minutes: int = 60, *,
                 on_token: TokenSink = None) -> Draft:
    profile = ws.profile()
    product = profile.product(product_name)
    plan = allocate_minutes(minutes)
    self_ev = ws.search(f"{product.name} {product.promise} 我自己的结果", k=6, kinds=["自证"])
    third_ev = ws.search(f"{product.name} 学员 成果 他证", k=6, kinds=["他证"])
    own = _facts_of(self_ev, "自证", 6)
    third = _facts_of(third_ev, "他证", 6)
    numbered = own + third
    fact_lines = [f"[{i}]（{f.kind}）{f.text} ——「{f.quote}」" for i, f in enumerate(numbered, 1)]
    block, used = evidence_block(ws.prompts, [*self_ev[:2], *third_ev[:2]], ws.evidence_chars // 2)
    persona_text, style = persona(ws, profile), platform_style(ws, "live")
    product_text = (f"{product.name}（{product.tier}，{product.price:g}元）：{product.promise}；"
                    f"交付：{product.delivery}")
    messages = ws.prompts.get("script").messages(
        persona=persona_text, platform_style=style, product=product_text, minutes=minutes,
        plan="\n".join(f"{i}. {n}（{m}分钟）" for i, (_, n, m) in enumerate(plan, 1)),
        facts="\n".join(fact_lines) or "（知识库里没有找到可用的事实：不要写具体数字）",
        evidence=block)
    instructions = _instructions(ws, "script", "persona", "platform-live", "evidence")

    def segments_of(v: Any) -> list[Segment]:
        return _segments(v, plan, numbered, own, third)

    def units_and_layout(segs: list[Segment]) -> list[str]:
        return [line for s in segs for line in s.lines]

    def assemble_with(segs: list[Segment]) -> Callable[[list[str]], Assembled]:
        def assemble(units: list[str]) -> Assembled:
            parts: list[tuple[str, str]] = []
            k = 0
            head = f"# {product.name} 直播话术（{minutes}分钟）\n"
            for i, s in enumerate(segs, 1):
                prefix = f"\n## {i}. {s.name}（{s.minutes}分钟）\n- "
                for j in range(len(s.lines)):
                    parts.append((head + prefix if j == 0 else "\n- ", units[k]))
                    head = ""
                    k += 1
            return _join(parts)
        return assemble

    gen = generate(ws, script_schema(limits(ws)), messages,
                   lambda v: assemble_with(segments_of(v))(units_and_layout(segments_of(v)))[0],
                   instructions, on_token=on_token)
    segs = segments_of(gen.value)
    assemble = assemble_with(segs)
    usage = gen.usage

    given = plan_facts(minutes, [(n, m) for _, n, m in plan])

    def check(text: str):
        return ws.check(text, platform="live", kind="script",
                        segments=[{"key": s.key, "lines": s.lines} for s in segs],
                        instructions=instructions, generated=True, given=given)

    done = review(units_and_layout(segs), assemble, check,
                  _revise_with(ws, [persona_text, style, block], usage))
    k = 0
    for s in segs:
        s.lines = done.units[k:k + len(s.lines)]
        k += len(s.lines)
    return Draft(
        chain="script", platform="live", title=f"{product.name} 直播话术（{minutes}分钟）",
        text=done.text, citations=citations_for(done.text, done.report, used), report=done.report,
        segments=segs,
        inputs=_inputs(ws, profile, used, product=product.name, minutes=minutes,
                       plan=[[n, m] for _, n, m in plan],
                       facts=[f.text for f in numbered], revised=bool(done.revised),
                       marked=done.marked, revision_error=done.revision_error,
                       attempts=gen.attempts),
        model=f"{ws.llm.provider}/{ws.llm.model_name}", usage=usage)


def _ref(f: Fact) -> FactRef:
    return FactRef(text=f.text, kind=f.kind, source=f.source, quote=f.quote)


def _segments(value: Any, plan: list[tuple[str, str, int]], numbered: list[Fact],
              own: list[Fact], third: list[Fact]) -> list[Segment]:
    """The model's segments with the planned minutes; the proof segments keep
    only facts of their kind, and get one from the records if they have none."""
    out = []
    for key, name, minutes in plan:
        seg = getattr(value, key)
        lines = [ln.strip() for ln in seg.lines if ln.strip()] or ["（这一段待补充）"]
        chosen = [numbered[i - 1] for i in seg.facts if 1 <= i <= len(numbered)]
        if key == "self_proof":
            chosen = [f for f in chosen if f.kind == "自证"]
            if not chosen and own:
                chosen = [own[0]]
                lines.append(f"我的真实数据：{own[0].quote}")
        elif key == "third_party":
            chosen = [f for f in chosen if f.kind == "他证"]
            if not chosen and third:
                chosen = [third[0]]
                lines.append(f"学员案例（已获授权）：{third[0].quote}")
        unique: list[Fact] = []
        for f in chosen:
            if f not in unique:
                unique.append(f)
        out.append(Segment(key=key, name=name, minutes=minutes, lines=lines,
                           facts=[_ref(f) for f in unique]))
    return out


# -- pack -------------------------------------------------------------------------------
PACK_LABELS = {"douyin": "抖音口播", "xiaohongshu": "小红书笔记", "wechat": "公众号提纲",
               "moments": "朋友圈", "live": "直播片段"}


def pack(ws: Workspace, case: str, *, on_token: TokenSink = None) -> Draft:
    profile = ws.profile()
    evidence = ws.case_evidence([case])
    block, used = evidence_block(ws.prompts, evidence, ws.evidence_chars)
    case_title = evidence[0].title
    persona_text = persona(ws, profile)
    messages = ws.prompts.get("pack").messages(persona=persona_text, case_title=case_title,
                                               evidence=block)
    instructions = _instructions(ws, "pack", "persona", "evidence")

    def units_of(v: Any) -> list[str]:
        return [v.douyin.title, v.douyin.text, v.xiaohongshu.title, v.xiaohongshu.text,
                v.wechat.title, "\n".join(f"{i}. {x}" for i, x in enumerate(v.wechat.outline, 1)),
                v.moments.text, "\n".join(v.live.lines)]

    tags: list[str] = []

    def assemble(u: list[str]) -> Assembled:
        tag_line = (" ".join(f"#{t}" for t in tags) + "\n") if tags else ""
        parts = [
            (f"# {case_title}：一案多发\n\n## {PACK_LABELS['douyin']}\n标题：", u[0]), ("\n", u[1]),
            (f"\n\n## {PACK_LABELS['xiaohongshu']}\n", u[2]), ("\n", u[3]),
            (f"\n{tag_line}\n## {PACK_LABELS['wechat']}\n标题：", u[4]), ("\n", u[5]),
            (f"\n\n## {PACK_LABELS['moments']}\n", u[6]),
            (f"\n\n## {PACK_LABELS['live']}\n", u[7]),
        ]
        return _join(parts)

    gen = generate(ws, pack_schema(limits(ws)), messages, lambda v: [u for u in units_of(v) if len(u) > 20],
                   instructions, on_token=on_token)
    tags.extend(t.strip().lstrip("#") for t in gen.value.xiaohongshu.tags if t.strip().lstrip("#"))
    usage = gen.usage

    def check(text: str):
        return ws.check(text, kind="pack", instructions=instructions, generated=True)

    done = review(units_of(gen.value), assemble, check,
                  _revise_with(ws, [persona_text, "", block], usage),
                  revisable=lambda i: i in (1, 3, 6))
    u = done.units
    items = [PackItem(platform="douyin", title=u[0], text=u[1]),
             PackItem(platform="xiaohongshu", title=u[2],
                      text=u[3] + ("\n\n" + " ".join(f"#{t}" for t in tags) if tags else "")),
             PackItem(platform="wechat", title=u[4], text=u[5]),
             PackItem(platform="moments", title="朋友圈", text=u[6]),
             PackItem(platform="live", title="直播片段", text=u[7])]
    return Draft(
        chain="pack", platform=None, title=f"{case_title}：一案多发", text=done.text,
        citations=citations_for(done.text, done.report, used), report=done.report, items=items,
        inputs=_inputs(ws, profile, used, case=case, revised=bool(done.revised),
                       marked=done.marked, revision_error=done.revision_error,
                       attempts=gen.attempts),
        model=f"{ws.llm.provider}/{ws.llm.model_name}", usage=usage)


__all__ = ["CHECK_PLATFORMS", "allocate_minutes", "pack", "rewrite", "write_post", "write_script"]
