"""直播话术: a live-stream or launch script for one product of the ladder
(methodology C.12–13, D.17).

The minutes are split over ten segments (开场 … 售后承诺) by weight. Facts are
gathered by kind: 自证 (the creator's own results) and 他证 (students' results
*with their consent*, from the proof ledger) from separate searches, numbered
for the model. The proof segments keep only facts of their own kind, and a
line of the model's whose number belongs to anyone else is dropped (a
revision that brings one in is refused), so the creator's numbers are never
presented as a student's, nor a student's as the creator's; an empty 他证 slot
says 【待补充】. A 他证 segment ends with the results-vary line (广告法 第二十四条).
Then checks, revision of the failing lines and 【待核实】 marks, as for every chain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import ConfigDict, Field, create_model

from ipwriter.checks.structure import SCRIPT_PARTS
from ipwriter.errors import ConfigError
from ipwriter.knowledge.models import Evidence, Fact
from ipwriter.platforms import title_limit
from ipwriter.profile import Product
from ipwriter.text.numbers import find_numbers
from ipwriter.write.brief import (
    PLAN_HELP,
    PLAN_PARAM,
    Brief,
    BriefFact,
    Plan,
    PlanInput,
    Section,
    TitleIdea,
    plan_of,
)
from ipwriter.write.chains.base import Chain
from ipwriter.write.chains.toolkit import (
    RESULTS_VARY,
    Reviser,
    generate,
    instructions,
    join,
    persona,
    platform_style,
    reviewed_draft,
)
from ipwriter.write.context import MaterialContext, TokenSink, WriteContext
from ipwriter.write.evidence import evidence_block, plan_prompt
from ipwriter.write.inputs import ChainInputs, Param
from ipwriter.write.material import PROOF_KINDS, ctas, group_cases, stance_ideas, title_ideas, traps
from ipwriter.write.models import FULL, Draft, FactRef, Limits, Segment
from ipwriter.write.review import Assembled, review

MIN_MINUTES, MAX_MINUTES = 10, 240
MISSING_THIRD_PARTY = "【待补充：一个已获本人授权的学员案例和数据】"
SEGMENTS: tuple[tuple[str, str, int], ...] = (
    # key, name, weight (minutes in the demo's 110-minute launch: see knowledge/05)
    ("opening", "开场", 8),
    ("pain", "痛点", 12),
    ("promise", "承诺", 5),
    ("self_proof", "自证", 15),
    ("third_party", "他证", 12),
    ("product", "产品与交付", 18),
    ("offer", "限时优惠", 10),
    ("interaction", "互动", 20),
    ("closing", "收尾", 6),
    ("after_sale", "售后承诺", 4),
)


class ScriptInputs(ChainInputs):
    product: Annotated[str, Field(min_length=1, description="产品名（profile.yaml 的产品阶梯）/ product"),
                       Param(flags=("--product",), ui="product", label="产品")]
    minutes: Annotated[int, Field(ge=MIN_MINUTES, le=MAX_MINUTES,
                                  description="直播总时长（分钟）/ minutes"),
                       Param(flags=("--minutes", "-m"), label="直播时长（分钟）", step=5)] = 60
    plan: Annotated[PlanInput, Field(description=PLAN_HELP), PLAN_PARAM] = None


def script_schema(limits: Limits = FULL) -> type:
    segment = create_model(
        "SegmentOut",
        lines=(list[Annotated[str, Field(min_length=2, max_length=limits.line)]],
               Field(min_length=1, max_length=limits.lines, description="这一段要说的话")),
        facts=(list[int], Field(default_factory=list, max_length=3, description="用到的事实编号")),
        __config__=ConfigDict(extra="ignore"),
    )
    return create_model(
        "ScriptOut",
        **{key: (segment, Field(description=name)) for key, name, _ in SEGMENTS},
        __config__=ConfigDict(extra="ignore"),
    )


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


def plan_facts(inputs: ScriptInputs) -> list[Fact]:
    """The minutes a script's request fixed: they back the numbers in its headings."""
    plan = [(n, m) for _, n, m in allocate_minutes(inputs.minutes)]
    quote = f"本次直播计划：共{inputs.minutes}分钟，" + "，".join(f"{n}{m}分钟" for n, m in plan)
    return [Fact(text=f"{m}分钟", value=m, unit="分钟", subject=n, kind="时间", source="（本次请求）",
                 quote=quote, chunk_id="plan") for n, m in [("直播", inputs.minutes), *plan]]


def _facts_of(evidence: list[Evidence], kind: str, limit: int | None = None) -> list[Fact]:
    """Facts of this kind in the passages: for 他证 only those usable as proof
    (another person's result, with consent)."""
    out: list[Fact] = []
    for e in evidence:
        for f in e.facts:
            if f.kind == kind and f not in out and (kind != "他证" or f.usable_as_third_party_proof):
                out.append(f)
    return out[:limit]


def _numbers(facts: list[Fact]) -> set[tuple[float, str | None]]:
    """Every (value, unit) in the facts' sentences: what a proof line may say."""
    return {(n.value, n.unit) for f in facts for n in find_numbers(f.quote)}


def _fits(line: str, allowed: set[tuple[float, str | None]],
          banned: set[tuple[float, str | None]]) -> bool:
    """No number of the line is banned, and (when ``allowed`` is given) each is allowed,
    value and unit alike: a bare "10" is not the student's "10单" (the creator has
    tens of 10s)."""
    for n in find_numbers(line):
        key = (n.value, n.unit)
        if key in banned and key not in allowed or allowed and key not in allowed:
            return False
    return True


class ProofGuard:
    """Keeps each proof segment to its owner's numbers: a 他证 line may only say the
    numbers of consented students' sentences; a 自证 line none of a student's."""

    def __init__(self, own: list[Fact], third: list[Fact]) -> None:
        self.third_ok = _numbers([f for f in third if f.usable_as_third_party_proof])
        self.own_ok = _numbers(own)

    def keeps(self, key: str, line: str) -> bool:
        if key == "third_party":
            return bool(self.third_ok) and _fits(line, self.third_ok, set())
        if key == "self_proof":
            return _fits(line, set(), self.third_ok - self.own_ok)
        return True


def _ref(f: Fact) -> FactRef:
    return FactRef(text=f.text, kind=f.kind, source=f.source, quote=f.quote)


def segments_of(value: Any, plan: list[tuple[str, str, int]], numbered: list[Fact],
                own: list[Fact], third: list[Fact], guard: ProofGuard | None = None) -> list[Segment]:
    """The model's segments with the planned minutes; the proof segments keep
    only facts (and lines) of their owner, get one from the records if they have
    none, and an empty 他证 slot says what to add."""
    guard = guard or ProofGuard(own, third)
    out = []
    for key, name, minutes in plan:
        seg = getattr(value, key)
        lines = [ln.strip() for ln in seg.lines if ln.strip() and guard.keeps(key, ln.strip())]
        chosen = [numbered[i - 1] for i in seg.facts if 1 <= i <= len(numbered)]
        if key == "self_proof":
            chosen = [f for f in chosen if f.kind == "自证"]
            if not chosen and own:
                chosen = [own[0]]
                lines.append(f"我的真实数据：{own[0].quote}")
        elif key == "third_party":
            chosen = [f for f in chosen if f.usable_as_third_party_proof]
            if not chosen and third:
                chosen = [third[0]]
                lines.append(f"学员案例（已获本人授权）：{third[0].quote}")
            if chosen:
                lines.append(RESULTS_VARY)
            else:
                lines = [MISSING_THIRD_PARTY]
        lines = lines or ["（这一段待补充）"]
        unique: list[Fact] = []
        for f in chosen:
            if f not in unique:
                unique.append(f)
        out.append(Segment(key=key, name=name, minutes=minutes, lines=lines,
                           facts=[_ref(f) for f in unique]))
    return out


def _lines(segs: list[Segment]) -> list[str]:
    return [line for s in segs for line in s.lines]


def assembler(title: str, segs: list[Segment]) -> Callable[[list[str]], Assembled]:
    """Joins the lines (the units) under a heading per segment with its minutes."""
    def assemble(units: list[str]) -> Assembled:
        parts: list[tuple[str, str]] = []
        k = 0
        head = f"# {title}\n"
        for i, s in enumerate(segs, 1):
            prefix = f"\n## {i}. {s.name}（{s.minutes}分钟）\n- "
            for j in range(len(s.lines)):
                parts.append((head + prefix if j == 0 else "\n- ", units[k]))
                head = ""
                k += 1
        return join(parts)
    return assemble


def proof(ctx: MaterialContext, product: Product) -> tuple[list[Evidence], list[Evidence]]:
    """(自证 passages, 他证 passages) for a product: separate searches, so the
    creator's numbers and the students' never stand in for each other."""
    return (ctx.retriever.search(f"{product.name} {product.promise} 我自己的结果", k=6, kinds=["自证"]),
            ctx.retriever.search(f"{product.name} 学员 成果 他证", k=6, kinds=["他证"]))


def brief(ctx: MaterialContext, inputs: ScriptInputs) -> Brief:
    """The timed segments with the facts each can use: 自证 only the creator's
    results, 他证 only students', the offer and delivery from profile.yaml."""
    product = ctx.profile.product(inputs.product)
    self_ev, third_ev = proof(ctx, product)
    own, third = _facts_of(self_ev, "自证", 3), _facts_of(third_ev, "他证", 3)
    cases = group_cases([*self_ev, *third_ev], product.promise, covered=False, kinds=PROOF_KINDS)
    stances = stance_ideas(ctx.profile, f"{product.name} {product.promise}", cases)
    titles = [TitleIdea(text=text, pattern="产品+承诺", platform="live", limit=title_limit("live"))
              for text in (f"{product.name}：{product.promise}".split("，")[0],)
              if len(text) <= title_limit("live")] + title_ideas("live", cases)
    allowed = ctas("live")
    missing = {"self_proof": "【待补充：你自己用这套方法做出的真实结果（复盘记录）】",
               "third_party": MISSING_THIRD_PARTY}
    lines = {"opening": [stances[0].text], "promise": [product.promise],
             "product": [f"交付：{product.delivery}"], "offer": [f"价格：{product.price_text}元"],
             "interaction": allowed[:2]}
    outline = []
    for (key, name, minutes), (_, _, _, advice) in zip(allocate_minutes(inputs.minutes), SCRIPT_PARTS):
        facts = own if key == "self_proof" else third if key == "third_party" else []
        outline.append(Section(name=name, guide=advice, minutes=minutes,
                               facts=[BriefFact.of(f) for f in facts],
                               lines=lines.get(key, []) or ([missing[key]] if key in missing and not facts
                                                            else [])))
    facts = [*own, *third]
    return Brief(
        chain="script", label=CHAIN.label, request=inputs.model_dump(mode="json", exclude={"plan"}),
        summary=f"产品：{product.name}（{product.tier}）", platform="live",
        cases=[c.case for c in cases], stances=stances, titles=titles[:4], outline=outline,
        ctas=allowed, traps=traps("live", [product.promise, *(t.text for t in titles)], facts,
                                  selling=True, banned_words=ctx.profile.banned_words),
        plan=Plan(stance=stances[0].text, title=titles[0].text if titles else "",
                  cases=[c.case.source for c in cases], outline=[s.name for s in outline]))


def run(ctx: WriteContext, inputs: ScriptInputs, on_token: TokenSink = None) -> Draft:
    product = ctx.profile.product(inputs.product)
    plan = allocate_minutes(inputs.minutes)
    chosen = plan_of(inputs.plan, lambda: brief(ctx, inputs))
    self_ev, third_ev = proof(ctx, product)
    own, third = _facts_of(self_ev, "自证", 6), _facts_of(third_ev, "他证", 6)
    numbered = own + third
    fact_lines = [f"[{i}]（{f.kind}）{f.text} ——「{f.quote}」" for i, f in enumerate(numbered, 1)]
    block, used = evidence_block(ctx.prompts, [*self_ev[:2], *third_ev[:2]], ctx.evidence_chars // 2)
    persona_text, style = persona(ctx), platform_style(ctx, "live")
    product_text = (f"{product.name}（{product.tier}，{product.price_text}元）：{product.promise}；"
                    f"交付：{product.delivery}")
    messages = ctx.prompts.get("script").messages(
        persona=persona_text, platform_style=style, product=product_text, minutes=inputs.minutes,
        plan="\n".join(f"{i}. {n}（{m}分钟）" for i, (_, n, m) in enumerate(plan, 1)),
        facts="\n".join(fact_lines) or "（知识库里没有找到可用的事实：不要写具体数字）",
        evidence=block, brief=plan_prompt(ctx.prompts, chosen, [*self_ev, *third_ev]))
    rules = instructions(ctx, "script", "persona", "platform-live", "evidence", "brief")
    title = f"{product.name} 直播话术（{inputs.minutes}分钟）"

    guard = ProofGuard(_facts_of(self_ev, "自证"), _facts_of(third_ev, "他证"))

    def render(value: Any) -> str:
        segs = segments_of(value, plan, numbered, own, third, guard)
        return assembler(title, segs)(_lines(segs))[0]

    gen = generate(ctx, script_schema(ctx.limits), messages, render, rules, on_token=on_token)
    segs = segments_of(gen.value, plan, numbered, own, third, guard)
    given = plan_facts(inputs)
    reviser = Reviser(ctx, persona_text, style, block)
    segment_of = [s.key for s in segs for _ in s.lines]

    def revise_unit(unit: str, problems: list[str]) -> str:
        """A revision that brings a number of someone else into a proof line is refused."""
        new = reviser(unit, problems)
        keys = {segment_of[i] for i, u in enumerate(_lines(segs)) if u == unit}
        return new if all(guard.keeps(k, new.strip()) for k in keys) else unit

    done = review(_lines(segs), assembler(title, segs),
                  lambda text: ctx.checker.check(
                      text, platform="live", kind="script",
                      segments=[{"key": s.key, "lines": s.lines} for s in segs],
                      instructions=rules, generated=True, material=(block,), given=given),
                  revise_unit)
    final, k = [], 0
    for s in segs:
        final.append(s.model_copy(update={"lines": done.units[k:k + len(s.lines)]}))
        k += len(s.lines)
    return reviewed_draft(ctx, "script", inputs, done, used, gen, reviser, title=title,
                          platform="live", segments=final,
                          details={"plan": [[n, m] for _, n, m in plan],
                                   "facts": [f.text for f in numbered],
                                   "brief": chosen.model_dump()})


CHAIN = Chain(
    name="script", label="直播话术", inputs=ScriptInputs, run=run, kind="script",
    help="写直播 / 发售话术 / draft a live-stream or launch script.",
    platforms=("live",), prompts=("script", "persona", "platform-live", "evidence", "brief", "revise"),
    progress="正在写直播话术", given_facts=plan_facts, brief=brief,
)
