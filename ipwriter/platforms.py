"""The platforms a creator publishes on: names, Chinese labels, validation.

One home for the list: the profile, the checks, the chains, the CLI and the
app all take it from here. Per-platform writing style lives in the prompt
files (``prompts/platform-<name>.yaml``) and per-platform rules in the
compliance lexicon.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ipwriter.errors import ConfigError

Platform = Literal["xiaohongshu", "douyin", "wechat", "moments", "live"]
PLATFORM_LABELS: dict[str, str] = {
    "xiaohongshu": "小红书",
    "douyin": "抖音",
    "wechat": "公众号",
    "moments": "朋友圈/微信群",
    "live": "直播",
}
PLATFORMS: tuple[str, ...] = tuple(PLATFORM_LABELS)
#: Where a post is published (a live stream gets a script, not a post).
POST_PLATFORMS: tuple[str, ...] = ("xiaohongshu", "douyin", "wechat", "moments")


def label(platform: str | None) -> str:
    """The Chinese name of a platform ("" for none)."""
    return PLATFORM_LABELS.get(platform or "", platform or "")


def check_platform(platform: str, allowed: Sequence[str] = PLATFORMS) -> str:
    """``platform`` if it is one of ``allowed``; else a ConfigError listing the choices."""
    if platform not in allowed:
        labels = "、".join(f"{p}（{PLATFORM_LABELS.get(p, p)}）" for p in allowed)
        raise ConfigError(f"平台「{platform}」不可用，可选：{labels}",
                          f"unknown platform {platform!r}; valid: {', '.join(allowed)}")
    return platform
