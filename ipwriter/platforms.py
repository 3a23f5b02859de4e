"""The platforms a creator publishes on: names, Chinese labels, validation.

One home for the list: the profile, the checks, the chains, the CLI and the
app all take it from here. Per-platform writing style lives in the prompt
files (``prompts/platform-<name>.yaml``) and per-platform rules in the
compliance lexicon.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, get_args

from ipwriter.errors import ConfigError

Platform = Literal["xiaohongshu", "douyin", "wechat", "moments", "live"]
PLATFORMS: tuple[str, ...] = get_args(Platform)
PLATFORM_LABELS: dict[str, str] = dict(zip(PLATFORMS, ("小红书", "抖音", "公众号", "朋友圈/微信群", "直播"),
                                           strict=True))
#: Where a post is published (a live stream gets a script, not a post).
POST_PLATFORMS: tuple[str, ...] = ("xiaohongshu", "douyin", "wechat", "moments")


def label(platform: str | None) -> str:
    """The Chinese name of a platform ("" for none)."""
    return PLATFORM_LABELS.get(platform or "", platform or "")


def check_platform(platform: str, allowed: Sequence[str] = PLATFORMS, *,
                   error: Callable[[str, str], Exception] = ConfigError) -> str:
    """``platform`` if it is one of ``allowed``; else ``error(zh, en)`` listing the
    choices (a ConfigError, or what a pydantic validator must raise)."""
    if platform not in allowed:
        labels = "、".join(f"{p}（{PLATFORM_LABELS.get(p, p)}）" for p in allowed)
        raise error(f"平台「{platform}」不可用，可选：{labels}",
                    f"unknown platform {platform!r}; valid: {', '.join(allowed)}")
    return platform
