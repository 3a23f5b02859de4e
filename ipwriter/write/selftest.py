"""A structured call on the configured model that proves the whole path works
(prompt file → provider's structured-output method → validated reply): a
one-line self-introduction of the creator and 2–3 keywords."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ipwriter.llm import ChatHandle, invoke_structured
from ipwriter.profile import CreatorProfile
from ipwriter.write.prompts import PromptLibrary


class SelfTestReply(BaseModel):
    tagline: str = Field(max_length=30, description="一句话自我介绍")
    keywords: list[str] = Field(min_length=2, max_length=3, description="2到3个关键词")


def selftest(model: ChatHandle, prompts: PromptLibrary, profile: CreatorProfile) -> SelfTestReply:
    messages = prompts.get("selftest").messages(
        name=profile.name, tagline=profile.tagline, keyword=profile.keyword,
        attitude=profile.attitudes[0])
    return invoke_structured(model, SelfTestReply, messages).value
