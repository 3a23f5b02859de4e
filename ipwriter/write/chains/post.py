"""有态度的干货帖: an attitude-led post for 小红书, 抖音, 公众号 or 朋友圈 from
the creator's own cases (methodology A.4, B.6–9).

The brief (no model): the best cases for the topic, stances, titles from real
facts, the outline hook → stance → case with numbers → steps → CTA. The
draft follows a plan — the creator's picks from that brief, or its first
picks: evidence from a search on the topic within the plan's case notes (the
named notes whole; any note when the plan names none) → the post prompt
(persona, the platform's style, numbered evidence, the topic, the stance and
the plan) → a bounded title, body and tags → checks, one revision of the
body, 【待核实】 marks → citations.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, create_model, field_validator

from ipwriter.platforms import POST_PLATFORMS, check_platform, title_limit
from ipwriter.write.brief import PLAN_HELP, PLAN_PARAM, Brief, Plan, PlanInput, Section, plan_of
from ipwriter.write.chains.base import Chain
from ipwriter.write.chains.toolkit import (
    Reviser,
    generate,
    hashtags,
    instructions,
    join,
    persona,
    platform_style,
    reviewed_draft,
)
from ipwriter.write.context import MaterialContext, TokenSink, WriteContext
from ipwriter.write.evidence import evidence_block, plan_prompt
from ipwriter.write.inputs import ChainInputs, InvalidInput, Param
from ipwriter.write.material import (
    ctas,
    find_cases,
    no_case_message,
    stance_ideas,
    steps_of,
    title_ideas,
    traps,
)
from ipwriter.write.models import FULL, Draft, Limits
from ipwriter.write.review import Assembled, review


class PostInputs(ChainInputs):
    topic: Annotated[str, Field(min_length=1, description="主题 / topic"),
                     Param(flags=("--topic", "-t"), label="主题",
                           placeholder="比如：小红书起号，先别急着投流")]
    platform: Annotated[str, Field(description="平台 / platform: " + " | ".join(POST_PLATFORMS)),
                        Param(flags=("--platform", "-p"), ui="platform", label="平台")] = "xiaohongshu"
    cases: Annotated[list[str], Field(description="指定案例笔记（可多次）/ case notes to use"),
                     Param(flags=("--case",), ui="cases",
                           label="指定案例（可不选：按主题自动检索）")] = []
    plan: Annotated[PlanInput, Field(description=PLAN_HELP), PLAN_PARAM] = None

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str) -> str:
        return check_platform(value, POST_PLATFORMS, error=InvalidInput)


def post_schema(platform: str, limits: Limits = FULL) -> type:
    """The post reply, shaped by the platform (小红书: title ≤ 20, tags)."""
    title_max = title_limit(platform)
    body_max = limits.wechat_body if platform == "wechat" else limits.body
    return create_model(
        "PostOut",
        title=(str, Field(min_length=2, max_length=title_max, description="标题")),
        body=(str, Field(min_length=40, max_length=body_max, description="正文")),
        tags=(list[Annotated[str, Field(max_length=12)]],
              Field(default_factory=list, max_length=limits.tags, description="话题标签，不带#号")),
        __config__=ConfigDict(extra="ignore"),
    )


def assemble(units: list[str], tags: list[str]) -> Assembled:
    """Title, blank line, body; the tags on a last line (not a unit: never revised)."""
    text, spans = join([("", units[0]), ("\n\n", units[1])])
    if tags:
        text += "\n\n" + " ".join(f"#{t}" for t in tags)
    return text, spans


def units_of(value: Any) -> list[str]:
    return [value.title.strip(), value.body.strip()]


OUTLINE = (
    ("开头钩子", "开头就让读者知道这篇和自己有关：一个反常识的数字或场景"),
    ("亮明态度", "一句话说出你的立场，全文都为它服务"),
    ("案例与数字", "讲一个真实案例：起点、做了什么、结果；数字只用下面这些"),
    ("方法步骤", "把做法拆成读者能照着做的几步"),
    ("行动号召", "结尾一句，只用这个平台允许的方式"),
)


def brief(ctx: MaterialContext, inputs: PostInputs) -> Brief:
    """Cases, stances, titles and the post's outline for the topic, from the notes alone."""
    cases = find_cases(ctx, inputs.topic, named=inputs.cases)
    stances = stance_ideas(ctx.profile, inputs.topic, cases)
    titles = title_ideas(inputs.platform, cases, inputs.topic)
    top = cases[0] if cases else None
    allowed = ctas(inputs.platform)
    material = {
        "开头钩子": [titles[0].text] if titles else [],
        "亮明态度": [stances[0].text],
        "方法步骤": steps_of(top) if top else [],
        "行动号召": allowed[:2],
    }
    outline = [Section(name=name, guide=guide, lines=material.get(name, []),
                       facts=top.case.facts if top and name == "案例与数字" else [])
               for name, guide in OUTLINE]
    facts = [f for c in cases for f in c.case.facts]
    missing, suggestions = ("", []) if cases else no_case_message(inputs.topic, "和这个主题有关")
    return Brief(
        chain="post", label=CHAIN.label, request=inputs.model_dump(mode="json", exclude={"plan"}),
        summary=f"主题：{inputs.topic}", platform=inputs.platform,
        cases=[c.case for c in cases], stances=stances, titles=titles, outline=outline,
        ctas=allowed, missing=missing, suggestions=suggestions,
        traps=traps(inputs.platform, [inputs.topic, *(t.text for t in titles)], facts,
                    selling=False, banned_words=ctx.profile.banned_words),
        plan=Plan(stance=stances[0].text, title=titles[0].text if titles else "",
                  cases=[top.case.source] if top else [], outline=[n for n, _ in OUTLINE]))


def run(ctx: WriteContext, inputs: PostInputs, on_token: TokenSink = None) -> Draft:
    plan = plan_of(inputs.plan, lambda: brief(ctx, inputs))
    if inputs.cases:  # the notes the creator named, whole
        evidence = ctx.retriever.case_evidence(inputs.cases)
    else:  # the plan's notes, their passages on the topic first; any note if they are gone
        evidence = ((ctx.retriever.search(inputs.topic, k=6, sources=plan.cases) if plan.cases
                     else []) or ctx.retriever.search(inputs.topic, k=6))
    block, used = evidence_block(ctx.prompts, evidence, ctx.evidence_chars)
    persona_text, style = persona(ctx), platform_style(ctx, inputs.platform)
    # the system prompt takes the creator's own attitudes only; any other stance (a sentence
    # quoted from a note, the creator's own words) stays in the delimited plan block
    attitude = (plan.stance if plan.stance in ctx.profile.attitudes
                else "照下面写作计划里的立场写" if plan.stance else ctx.profile.attitudes[0])
    messages = ctx.prompts.get("post").messages(
        persona=persona_text, platform_style=style, evidence=block, topic=inputs.topic,
        attitude=attitude, brief=plan_prompt(ctx.prompts, plan, evidence))
    rules = instructions(ctx, "post", "persona", f"platform-{inputs.platform}", "evidence", "brief")
    gen = generate(ctx, post_schema(inputs.platform, ctx.limits), messages,
                   lambda v: assemble(units_of(v), [])[0], rules, on_token=on_token)
    tags = hashtags(gen.value.tags)
    reviser = Reviser(ctx, persona_text, style, block)
    done = review(units_of(gen.value), lambda units: assemble(units, tags),
                  lambda text: ctx.checker.check(text, platform=inputs.platform, kind="post",
                                                 instructions=rules, generated=True,
                                                 material=(block,)),
                  reviser, revisable=lambda i: i == 1)
    return reviewed_draft(ctx, "post", inputs, done, used, gen, reviser, title=done.units[0],
                          platform=inputs.platform,
                          details={"attitude": attitude, "brief": plan.model_dump()})


CHAIN = Chain(
    name="post", label="有态度的干货帖", inputs=PostInputs, run=run, kind="post",
    help="写一篇有态度的干货帖 / draft an attitude-led post from your cases.",
    platforms=POST_PLATFORMS, progress="正在写帖子",
    brief=brief, prompts=("post", "persona", "evidence", "brief", "revise",
             *(f"platform-{p}" for p in POST_PLATFORMS)),
)
