"""有态度的干货帖: an attitude-led post for 小红书, 抖音, 公众号 or 朋友圈 from
the creator's own cases (methodology A.4, B.6–9).

Evidence: the named case notes, or a search on the topic → the post prompt
(persona, the platform's style, numbered evidence, the topic and one of the
creator's attitudes) → a bounded title, body and tags → checks, one revision
of the body, 【待核实】 marks → citations.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, create_model, field_validator

from ipwriter.platforms import POST_PLATFORMS, check_platform
from ipwriter.profile import CreatorProfile
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
from ipwriter.write.context import TokenSink, WriteContext
from ipwriter.write.evidence import evidence_block
from ipwriter.write.inputs import ChainInputs, InvalidInput, Param
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

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str) -> str:
        return check_platform(value, POST_PLATFORMS, error=InvalidInput)


def post_schema(platform: str, limits: Limits = FULL) -> type:
    """The post reply, shaped by the platform (小红书: title ≤ 20, tags)."""
    title_max = 20 if platform == "xiaohongshu" else 30
    body_max = limits.wechat_body if platform == "wechat" else limits.body
    return create_model(
        "PostOut",
        title=(str, Field(min_length=2, max_length=title_max, description="标题")),
        body=(str, Field(min_length=40, max_length=body_max, description="正文")),
        tags=(list[Annotated[str, Field(max_length=12)]],
              Field(default_factory=list, max_length=limits.tags, description="话题标签，不带#号")),
        __config__=ConfigDict(extra="ignore"),
    )


def pick_attitude(profile: CreatorProfile, topic: str) -> str:
    """The profile attitude that shares most characters with the topic (the first on a tie)."""
    chars = set(topic)
    return max(profile.attitudes, key=lambda a: len(chars & set(a)))


def assemble(units: list[str], tags: list[str]) -> Assembled:
    """Title, blank line, body; the tags on a last line (not a unit: never revised)."""
    text, spans = join([("", units[0]), ("\n\n", units[1])])
    if tags:
        text += "\n\n" + " ".join(f"#{t}" for t in tags)
    return text, spans


def units_of(value: Any) -> list[str]:
    return [value.title.strip(), value.body.strip()]


def run(ctx: WriteContext, inputs: PostInputs, on_token: TokenSink = None) -> Draft:
    evidence = (ctx.retriever.case_evidence(inputs.cases) if inputs.cases
                else ctx.retriever.search(inputs.topic, k=6))
    block, used = evidence_block(ctx.prompts, evidence, ctx.evidence_chars)
    persona_text, style = persona(ctx), platform_style(ctx, inputs.platform)
    attitude = pick_attitude(ctx.profile, inputs.topic)
    messages = ctx.prompts.get("post").messages(
        persona=persona_text, platform_style=style, evidence=block, topic=inputs.topic,
        attitude=attitude)
    rules = instructions(ctx, "post", "persona", f"platform-{inputs.platform}", "evidence")
    gen = generate(ctx, post_schema(inputs.platform, ctx.limits), messages,
                   lambda v: assemble(units_of(v), [])[0], rules, on_token=on_token)
    tags = hashtags(gen.value.tags)
    reviser = Reviser(ctx, persona_text, style, block)
    done = review(units_of(gen.value), lambda units: assemble(units, tags),
                  lambda text: ctx.checker.check(text, platform=inputs.platform, kind="post",
                                                 instructions=rules, generated=True),
                  reviser, revisable=lambda i: i == 1)
    return reviewed_draft(ctx, "post", inputs, done, used, gen, reviser, title=done.units[0],
                          platform=inputs.platform, details={"attitude": attitude})


CHAIN = Chain(
    name="post", label="有态度的干货帖", inputs=PostInputs, run=run, kind="post",
    help="写一篇有态度的干货帖 / draft an attitude-led post from your cases.",
    platforms=POST_PLATFORMS, progress="正在写帖子",
    prompts=("post", "persona", "evidence", "revise",
             *(f"platform-{p}" for p in POST_PLATFORMS)),
)
