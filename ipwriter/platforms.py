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
#: Title limits in characters: 小红书's note title is 20; the others are kept to 30
#: (抖音 图文 and 视频号 short titles, a 公众号 headline that shows whole in the feed).
TITLE_LIMITS: dict[str, int] = {"xiaohongshu": 20}
DEFAULT_TITLE_LIMIT = 30
#: Calls to action each platform allows (methodology B.9, E.22): on 小红书 and 抖音
#: only in-app ones (no 微信, no "私信领取"); 微信 may take people to a chat.
CTAS: dict[str, tuple[str, ...]] = {
    "xiaohongshu": ("点个收藏，用的时候翻出来", "关注我，看后面的复盘", "评论区说说你卡在哪一步",
                    "主页置顶有完整做法", "进我的小红书群聊（站内）"),
    "douyin": ("关注我，下期讲具体做法", "评论区留下你的问题", "预约直播，当面答疑",
               "进我的粉丝群（站内）"),
    "wechat": ("点个在看，转给需要的朋友", "留言说说你的情况", "关注公众号，看下一篇复盘",
               "想要完整清单，加我微信"),
    "moments": ("想了解的直接私聊我", "评论里说说你的情况", "想进交流群的私聊我"),
    "live": ("点点关注，开播提醒你", "评论区打出你的问题", "点左下角小黄车看详情"),
}


def title_limit(platform: str | None) -> int:
    """How many characters a title may have on ``platform``."""
    return TITLE_LIMITS.get(platform or "", DEFAULT_TITLE_LIMIT)


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
