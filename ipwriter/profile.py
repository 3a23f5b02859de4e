"""The creator profile (``profile.yaml`` at the workspace root).

It encodes 有态度的干货: a name + tag line, a differentiating keyword, persona
trait words, attitudes, who the audience is, the platforms, the product ladder
and the creator's own banned words. A broken file gets an error that names the
field and the line.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ipwriter.errors import ProfileError
from ipwriter.platforms import Platform
from ipwriter.spec import parse_spec, read_text

Tier = Literal["引流产品", "明星产品", "非标产品"]


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

    @property
    def price_text(self) -> str:
        """The price as written, to the fen (1999, 9.9, 12999.99): never rounded."""
        return f"{self.price:.2f}".rstrip("0").rstrip(".")


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
WHAT = ("创作者档案", "creator profile")


def parse_profile(text: str, source: str = "profile.yaml") -> CreatorProfile:
    """Validate profile.yaml's text; a ProfileError names the field and the line."""
    return parse_spec(text, CreatorProfile, source=source, what=WHAT, error=ProfileError,
                      labels=_FIELD_ZH)


def load_profile(path: Path) -> CreatorProfile:
    if not path.is_file():
        raise ProfileError(
            f"找不到创作者档案 {path}，请在工作区根目录放一个 profile.yaml",
            f"profile not found: {path}",
        )
    return parse_profile(read_text(path, what=WHAT, error=ProfileError), source=path.name)


def save_profile(path: Path, text: str, backups: Path) -> CreatorProfile:
    """Validate ``text``, keep a timestamped copy of the old file in ``backups``,
    then write it: a broken profile is never saved, and nothing is lost."""
    profile = parse_profile(text)
    if path.is_file():
        backups.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        (backups / f"profile-{stamp}.yaml").write_bytes(path.read_bytes())
    path.write_text(text, encoding="utf-8")
    return profile
