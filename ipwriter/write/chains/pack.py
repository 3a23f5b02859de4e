"""一鱼多吃: one case note told for five platforms — a 抖音 talk, a 小红书 note,
a 公众号 outline, a 朋友圈 post and a live segment — with the same facts in
each platform's form (methodology B.8 "say 'I have results' in many forms").
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, create_model

from ipwriter.write.brief import PLAN_HELP, PLAN_PARAM, Brief, Plan, PlanInput, Section, plan_of
from ipwriter.write.chains.base import Chain
from ipwriter.write.chains.toolkit import (
    Reviser,
    generate,
    hashtags,
    instructions,
    join,
    persona,
    reviewed_draft,
)
from ipwriter.write.context import MaterialContext, TokenSink, WriteContext
from ipwriter.write.evidence import evidence_block, plan_prompt
from ipwriter.write.inputs import ChainInputs, Param
from ipwriter.write.material import ctas, find_cases, platform_traps, stance_ideas, title_ideas, traps
from ipwriter.write.models import FULL, Draft, Limits, PackItem
from ipwriter.write.review import Assembled, review

#: The pack's sections, as headed in the saved text.
PACK_LABELS = {"douyin": "抖音口播", "xiaohongshu": "小红书笔记", "wechat": "公众号提纲",
               "moments": "朋友圈", "live": "直播片段"}


class PackInputs(ChainInputs):
    case: Annotated[str, Field(min_length=1, description="一篇已导入的案例笔记 / an ingested case note"),
                    Param(flags=("--case",), ui="case", label="案例")]
    plan: Annotated[PlanInput, Field(description=PLAN_HELP), PLAN_PARAM] = None


#: What each platform's piece does with the same facts.
PACK_GUIDES = {"douyin": "第一句抛冲突或结论，口语短句，不提别的平台",
               "xiaohongshu": "标题写对象+数字+结果，短段落，话题标签",
               "wechat": "标题加几条小标题，每条一句话说明要讲什么",
               "moments": "第一人称，像和朋友聊天，短",
               "live": "几句口语台词，有一句和观众互动"}


def brief(ctx: MaterialContext, inputs: PackInputs) -> Brief:
    """One case's numbers, and per platform the title and call to action it allows."""
    case = find_cases(ctx, "", named=[inputs.case], k=1, per_case=5)[0]  # a missing note raised
    stances = stance_ideas(ctx.profile, case.case.title, [case])
    titles = {p: title_ideas(p, [case]) for p in ("xiaohongshu", "douyin", "wechat")}
    outline = [Section(name=label, guide=PACK_GUIDES[p], facts=case.case.facts[:3],
                       lines=[*(f"标题：{t.text}" for t in titles.get(p, [])[:1]), *ctas(p)[:1]])
               for p, label in PACK_LABELS.items()]
    all_titles = [t for ts in titles.values() for t in ts]
    return Brief(
        chain="pack", label=CHAIN.label, request=inputs.model_dump(mode="json", exclude={"plan"}),
        summary=f"案例：{case.case.title}", cases=[case.case], stances=stances, titles=all_titles,
        outline=outline, ctas=[f"{PACK_LABELS[p]}：{c}" for p in PACK_LABELS for c in ctas(p)[:1]],
        traps=traps(None, [t.text for t in all_titles], case.case.facts, selling=False,
                    banned_words=ctx.profile.banned_words)
        + [t for p in PACK_LABELS for t in platform_traps(p)],
        plan=Plan(stance=stances[0].text, cases=[inputs.case], outline=list(PACK_LABELS.values()),
                  title=titles["xiaohongshu"][0].text if titles["xiaohongshu"] else ""))


def pack_schema(limits: Limits = FULL) -> type:
    text = Annotated[str, Field(min_length=10, max_length=limits.pack_text)]
    short = Annotated[str, Field(min_length=2, max_length=40)]
    douyin = create_model("PackDouyin", title=(str, Field(min_length=2, max_length=30)),
                          text=(text, ...))
    xhs = create_model("PackXhs", title=(str, Field(min_length=2, max_length=20)), text=(text, ...),
                       tags=(list[Annotated[str, Field(max_length=12)]],
                             Field(default_factory=list, max_length=limits.tags)))
    wechat = create_model("PackWechat", title=(str, Field(min_length=2, max_length=30)),
                          outline=(list[short], Field(min_length=3, max_length=max(3, limits.pack_items))))
    moments = create_model("PackMoments", text=(text, ...))
    live = create_model("PackLive", lines=(list[Annotated[str, Field(min_length=2, max_length=limits.line)]],
                                           Field(min_length=3, max_length=max(3, limits.pack_items))))
    return create_model("PackOut", douyin=(douyin, ...), xiaohongshu=(xhs, ...),
                        wechat=(wechat, ...), moments=(moments, ...), live=(live, ...))


def units_of(v: Any) -> list[str]:
    return [v.douyin.title, v.douyin.text, v.xiaohongshu.title, v.xiaohongshu.text,
            v.wechat.title, "\n".join(f"{i}. {x}" for i, x in enumerate(v.wechat.outline, 1)),
            v.moments.text, "\n".join(v.live.lines)]


def assemble(u: list[str], case_title: str, tags: list[str]) -> Assembled:
    tag_line = (" ".join(f"#{t}" for t in tags) + "\n") if tags else ""
    return join([
        (f"# {case_title}：一案多发\n\n## {PACK_LABELS['douyin']}\n标题：", u[0]), ("\n", u[1]),
        (f"\n\n## {PACK_LABELS['xiaohongshu']}\n", u[2]), ("\n", u[3]),
        (f"\n{tag_line}\n## {PACK_LABELS['wechat']}\n标题：", u[4]), ("\n", u[5]),
        (f"\n\n## {PACK_LABELS['moments']}\n", u[6]),
        (f"\n\n## {PACK_LABELS['live']}\n", u[7]),
    ])


def run(ctx: WriteContext, inputs: PackInputs, on_token: TokenSink = None) -> Draft:
    chosen = plan_of(inputs.plan, lambda: brief(ctx, inputs))
    evidence = ctx.retriever.case_evidence([inputs.case])
    block, used = evidence_block(ctx.prompts, evidence, ctx.evidence_chars)
    case_title = evidence[0].title
    persona_text = persona(ctx)
    messages = ctx.prompts.get("pack").messages(
        persona=persona_text, case_title=case_title, evidence=block,
        brief=plan_prompt(ctx.prompts, chosen.model_copy(update={"cases": []}), evidence))
    rules = instructions(ctx, "pack", "persona", "evidence", "brief")
    gen = generate(ctx, pack_schema(ctx.limits), messages,
                   lambda v: [u for u in units_of(v) if len(u) > 20], rules, on_token=on_token)
    tags = hashtags(gen.value.xiaohongshu.tags)
    reviser = Reviser(ctx, persona_text, "", block)
    done = review(units_of(gen.value), lambda u: assemble(u, case_title, tags),
                  lambda text: ctx.checker.check(text, kind="pack", instructions=rules,
                                                 generated=True, material=(block,)),
                  reviser, revisable=lambda i: i in (1, 3, 6))
    u = done.units
    tag_text = "\n\n" + " ".join(f"#{t}" for t in tags) if tags else ""
    items = [PackItem(platform="douyin", title=u[0], text=u[1]),
             PackItem(platform="xiaohongshu", title=u[2], text=u[3] + tag_text),
             PackItem(platform="wechat", title=u[4], text=u[5]),
             PackItem(platform="moments", title="朋友圈", text=u[6]),
             PackItem(platform="live", title="直播片段", text=u[7])]
    return reviewed_draft(ctx, "pack", inputs, done, used, gen, reviser,
                          title=f"{case_title}：一案多发", items=items,
                          details={"brief": chosen.model_dump()})


CHAIN = Chain(
    name="pack", label="一鱼多吃", inputs=PackInputs, run=run, kind="pack",
    help="一个案例 → 抖音、小红书、公众号、朋友圈、直播片段 / one case → a platform pack.",
    prompts=("pack", "persona", "evidence", "brief", "revise"), progress="正在生成内容包",
    brief=brief,
)
