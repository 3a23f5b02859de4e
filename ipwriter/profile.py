"""The creator profile (``profile.yaml`` at the workspace root).

It encodes 有态度的干货: a name + tag line, a differentiating keyword, persona
trait words, attitudes, who the audience is, the platforms, the product ladder
and the creator's own banned words. A broken file gets an error that names the
field and the line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ipwriter.errors import ProfileError

Platform = Literal["xiaohongshu", "douyin", "wechat", "moments", "live"]
Tier = Literal["引流产品", "明星产品", "非标产品"]

PLATFORM_LABELS: dict[str, str] = {
    "xiaohongshu": "小红书",
    "douyin": "抖音",
    "wechat": "公众号",
    "moments": "朋友圈/微信群",
    "live": "直播",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Audience(_Strict):
    who: str = Field(min_length=1, description="用户是谁")
    where: str = Field(min_length=1, description="用户在哪")
    wants: str = Field(min_length=1, description="用户要什么")


class Product(_Strict):
    tier: Tier
    name: str = Field(min_length=1)
    price: float = Field(ge=0, description="元")
    promise: str = Field(min_length=1, description="承诺")
    delivery: str = Field(min_length=1, description="交付")


class CreatorProfile(_Strict):
    name: str = Field(min_length=1, description="名字")
    tagline: str = Field(min_length=1, description="名字+标签, e.g. 阿岚聊私域")
    keyword: str = Field(min_length=1, description="差异化关键词")
    traits: list[str] = Field(min_length=1, description="人格特性关键词")
    attitudes: list[str] = Field(min_length=1, description="态度/观点")
    audience: Audience
    platforms: list[Platform] = Field(min_length=1)
    products: list[Product] = Field(default_factory=list, description="产品阶梯")
    banned_words: list[str] = Field(default_factory=list, description="自己的禁用词")

    @field_validator("traits", "attitudes", "banned_words")
    @classmethod
    def _no_blank_items(cls, items: list[str]) -> list[str]:
        if any(not str(i).strip() for i in items):
            raise ValueError("empty item in list")
        return [str(i).strip() for i in items]

    def product(self, name: str) -> Product:
        for p in self.products:
            if p.name == name:
                return p
        known = "、".join(p.name for p in self.products) or "（无）"
        raise ProfileError(
            f"产品阶梯里没有「{name}」，可选：{known}",
            f"no product named {name!r} in profile.yaml",
        )

    def version(self) -> str:
        """A short content hash, stored with every draft."""
        raw = self.model_dump_json().encode("utf-8")
        return hashlib.sha256(raw).hexdigest()[:12]


_FIELD_ZH = {
    "name": "名字", "tagline": "名字+标签", "keyword": "差异化关键词", "traits": "人格特性关键词",
    "attitudes": "态度", "audience": "目标用户", "who": "用户是谁", "where": "用户在哪",
    "wants": "用户要什么", "platforms": "平台", "products": "产品阶梯", "tier": "产品层级",
    "price": "价格", "promise": "承诺", "delivery": "交付", "banned_words": "禁用词",
}


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Walk a composed YAML node tree along a pydantic error location; return
    the line of the deepest key (or list item) found on the way."""
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == part), None)
            if pair is None:
                return line
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def parse_profile(text: str, source: str = "profile.yaml") -> CreatorProfile:
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else "某处"
        en_where = f"line {mark.line + 1}" if mark else "somewhere"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProfileError(
            f"{source} 不是合法的 YAML（{where}）：{problem}",
            f"{source} is not valid YAML at {en_where}: {problem}",
        ) from None
    if not isinstance(data, dict):
        raise ProfileError(
            f"{source} 应该是「字段: 值」的格式，现在是空的或不是映射",
            f"{source} must be a mapping of fields, got {type(data).__name__}",
        )
    try:
        return CreatorProfile.model_validate(data)
    except ValidationError as exc:
        zh_parts, en_parts = [], []
        for err in exc.errors():
            loc = tuple(err["loc"])
            field = ".".join(str(p) for p in loc) or "(root)"
            line = None if err["type"] == "missing" else _line_of(root, loc)
            label = next((_FIELD_ZH[p] for p in reversed(loc) if p in _FIELD_ZH), field)
            msg = err["msg"]
            if err["type"] == "missing":
                zh = f"缺少字段 {field}（{label}）"
            elif err["type"] == "extra_forbidden":
                zh = f"第 {line} 行：不认识的字段 {field}（拼写错误？）"
            else:
                zh = f"第 {line} 行：字段 {field}（{label}）取值无效：{msg}"
            zh_parts.append(zh)
            en_parts.append(f"{field}" + (f" (line {line})" if line else "") + f": {msg}")
        raise ProfileError(
            f"{source} 有误：" + "；".join(zh_parts),
            f"invalid {source}: " + "; ".join(en_parts),
        ) from None


def load_profile(path: Path) -> CreatorProfile:
    if not path.is_file():
        raise ProfileError(
            f"找不到创作者档案 {path}，请在工作区根目录放一个 profile.yaml",
            f"profile not found: {path}",
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = path.read_bytes().decode("gb18030")
        except UnicodeDecodeError:
            raise ProfileError(
                f"{path.name} 不是文本文件（无法按 UTF-8 或 GBK 解码）",
                f"{path.name} is not a UTF-8 or GBK text file",
            ) from None
    return parse_profile(text, source=path.name)
