"""What the writing chains ask the model for (bounded, so a small model under a
JSON-schema grammar cannot run away) and the Draft they produce."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from ipwriter.checks.models import CheckReport

# -- what the model returns ----------------------------------------------------------
# Two sizes. The bundled 270M model writes ~9 tokens/s under a JSON grammar on
# 2 cores, and the grammar is what bounds it, so its replies are kept short
# (every bound under 240 characters is enforced by llama.cpp's grammar). Real
# model endpoints get room for a real post.


@dataclass(frozen=True)
class Limits:
    body: int
    wechat_body: int
    tags: int
    line: int
    lines: int
    pack_text: int
    pack_items: int


FULL = Limits(body=800, wechat_body=1500, tags=8, line=80, lines=3, pack_text=600, pack_items=6)
COMPACT = Limits(body=220, wechat_body=220, tags=5, line=50, lines=1, pack_text=90, pack_items=3)


def post_schema(platform: str, limits: Limits = FULL) -> type[BaseModel]:
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


def revise_schema(limits: Limits = FULL) -> type[BaseModel]:
    return create_model(
        "ReviseOut",
        body=(str, Field(min_length=10, max_length=max(limits.wechat_body, limits.line * 2),
                         description="修改后的正文")),
        __config__=ConfigDict(extra="ignore"),
    )


class RewriteItem(BaseModel):
    n: int = Field(ge=1, le=40, description="第几项")
    fact: int = Field(ge=0, le=40, description="用到的事实编号，没有合适的填0")
    to: str = Field(default="", max_length=30, description="带数字的替换短语，没有事实时留空")


class RewriteOut(BaseModel):
    items: list[RewriteItem] = Field(max_length=40)


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


def script_schema(limits: Limits = FULL) -> type[BaseModel]:
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


def pack_schema(limits: Limits = FULL) -> type[BaseModel]:
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


# -- what a chain produces -------------------------------------------------------------


class Citation(BaseModel):
    n: int
    source: str
    quote: str
    chunk_id: str = ""


class FactRef(BaseModel):
    text: str
    kind: str
    source: str
    quote: str


class Segment(BaseModel):
    key: str
    name: str
    minutes: int
    lines: list[str]
    facts: list[FactRef] = Field(default_factory=list)


class Replacement(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    start: int
    end: int
    source: str | None = None
    quote: str | None = None


class PackItem(BaseModel):
    platform: str
    title: str
    text: str


class Draft(BaseModel):
    """A saved draft version, as the CLI prints it and the app shows it."""

    draft_id: str = ""
    version: int = 1
    chain: str
    platform: str | None = None
    title: str
    text: str
    citations: list[Citation] = Field(default_factory=list)
    report: CheckReport
    status: str = "draft"
    before: str | None = None
    replacements: list[Replacement] | None = None
    segments: list[Segment] | None = None
    items: list[PackItem] | None = None
    inputs: dict[str, Any] = Field(default_factory=dict)
    model: str = ""
    usage: dict[str, int] = Field(default_factory=dict)
    author: str = "model"
    created_at: str = ""

    def public(self) -> dict[str, Any]:
        """The CLI contract's JSON: chain-specific fields only where they apply."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
