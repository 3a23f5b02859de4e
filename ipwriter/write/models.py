"""The reply sizes every chain is bounded by, the revision reply, and the Draft
a chain produces (each chain's own reply schema lives in its module)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, create_model, field_validator

from ipwriter.checks.models import CheckReport
from ipwriter.write.inputs import ChainInputs, StoredInputs

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


def revise_schema(limits: Limits = FULL) -> type[BaseModel]:
    return create_model(
        "ReviseOut",
        body=(str, Field(min_length=10, max_length=max(limits.wechat_body, limits.line * 2),
                         description="修改后的正文")),
        __config__=ConfigDict(extra="ignore"),
    )


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


class RunInfo(BaseModel):
    """How one version was generated (stored with the version, not with the draft)."""

    evidence: list[str] = Field(default_factory=list)  # chunk ids of the passages shown
    profile_version: str = ""
    attempts: int = 0  # structured-output attempts of the main call
    revised: bool = False  # the revision pass changed the text
    marked: list[str] = Field(default_factory=list)  # numbers wrapped as 【待核实】
    revision_error: str = ""
    details: dict[str, Any] = Field(default_factory=dict)  # chain-specific (attitude, plan …)


class Draft(BaseModel):
    """A saved draft version, as the CLI prints it and the app shows it.

    ``inputs`` is what the creator asked for (the chain's typed inputs: enough
    to run it again); ``run`` is how this version came about."""

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
    inputs: SerializeAsAny[ChainInputs] = Field(default_factory=StoredInputs)
    run: RunInfo = Field(default_factory=RunInfo)
    model: str = ""
    usage: dict[str, int] = Field(default_factory=dict)
    author: str = "model"
    created_at: str = ""

    @field_validator("inputs", mode="before")
    @classmethod
    def _inputs_as_saved(cls, value: Any) -> Any:
        """A plain mapping (a draft read back from JSON) keeps its fields as saved;
        the store gives each chain's typed inputs."""
        return StoredInputs.model_validate(value) if isinstance(value, dict) else value

    def public(self) -> dict[str, Any]:
        """The CLI contract's JSON: chain-specific fields only where they apply
        (``platform`` is always there, null for a draft with none)."""
        return {"platform": None, **self.model_dump(mode="json", by_alias=True, exclude_none=True)}
