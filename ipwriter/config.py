"""Settings: one object, read from ``IPWRITER_*`` environment variables and an
optional ``.env`` file in the workspace.

All state (the store, the draft database, logs) lives under ``home``. An
invalid value fails at start with a message that names the variable.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ipwriter.errors import ConfigError
from ipwriter.presets import PROVIDER_NAMES, STRUCTURED_METHODS
from ipwriter.redact import redact_url

ENV_PREFIX = "IPWRITER_"


def physical_cores() -> int:
    """Physical cores (llama.cpp runs best with one thread per core)."""
    try:
        cores = set()
        phys = core = None
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "physical id":
                    phys = value.strip()
                elif key == "core id":
                    core = value.strip()
                elif not key and phys is not None and core is not None:
                    cores.add((phys, core))
                    phys = core = None
        if phys is not None and core is not None:
            cores.add((phys, core))
        if cores:
            return len(cores)
    except OSError:
        pass
    return max(1, (os.cpu_count() or 2) // 2)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )

    home: Path = Field(Path(".ipwriter"), description="all state: store, drafts, logs")
    provider: str = Field("local", description="chat-model provider preset")
    model: str | None = Field(None, description="model name; the preset's default if unset")
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint URL")
    api_key: SecretStr | None = Field(None, description="overrides the preset's key variable")
    structured_method: str | None = Field(None, description="override the preset's method")
    local_model: Path | None = Field(None, description="a GGUF file for the local provider")
    local_threads: int | None = Field(None, ge=1, le=256)
    local_ctx: int = Field(4096, ge=512, le=131072)
    chroma_url: str | None = Field(None, description="a Chroma server; embedded store if unset")
    collection: str = Field("ipwriter", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,40}$",
                            description="Chroma collection prefix (ASCII); one per workspace on a shared server")
    embeddings: Literal["local", "openai-compatible"] = "local"
    embeddings_model: str | None = None
    embeddings_base_url: str | None = None
    ai_label: bool = Field(True, description="导出时加上 AI 生成内容标识（《人工智能生成合成内容标识办法》）")
    timeout: float = Field(120.0, gt=0, le=3600, description="seconds per model call")
    max_retries: int = Field(2, ge=0, le=10, description="retries on 429/5xx/connection errors")
    temperature: float = Field(0.3, ge=0, le=2)
    max_tokens: int = Field(1024, ge=16, le=32768)
    max_file_mb: float = Field(10.0, gt=0, le=1024, description="larger knowledge files are refused")
    max_chunks_per_note: int = Field(1000, ge=1, le=1_000_000,
                                     description="a note that makes more chunks is skipped (split it)")
    evidence_chars: int | None = Field(None, ge=300, le=100000,
                                       description="evidence budget per prompt; by model size if unset")
    compact: bool | None = Field(None, description="short replies and prompts for a tiny model; "
                                                   "on for the local provider if unset")

    @field_validator("provider")
    @classmethod
    def _known_provider(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in PROVIDER_NAMES:
            raise ValueError(f"unknown provider {value!r}; valid: {', '.join(PROVIDER_NAMES)}")
        return value

    @field_validator("structured_method")
    @classmethod
    def _known_method(cls, value: str | None) -> str | None:
        if value is not None and value not in STRUCTURED_METHODS:
            raise ValueError(f"unknown method {value!r}; valid: {', '.join(STRUCTURED_METHODS)}")
        return value

    @field_validator("base_url", "chroma_url", "embeddings_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("local_model")
    @classmethod
    def _gguf_exists(cls, value: Path | None) -> Path | None:
        if value is None or str(value) == "":
            return None
        value = value.expanduser()
        if not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @model_validator(mode="after")
    def _compatible_needs_url(self) -> "Settings":
        if self.provider == "openai-compatible" and not self.base_url:
            raise ValueError("provider openai-compatible needs IPWRITER_BASE_URL")
        return self

    @property
    def threads(self) -> int:
        return self.local_threads or physical_cores()

    @property
    def compact_mode(self) -> bool:
        """Short prompts and replies, for a tiny model (the bundled one by default)."""
        return self.compact if self.compact is not None else self.provider == "local"

    @property
    def evidence_budget(self) -> int:
        """Evidence characters per prompt: small for a tiny model's 4k context."""
        return self.evidence_chars or (1500 if self.compact_mode else 6000)

    def public_dict(self) -> dict:
        """Settings as shown to people: every secret masked."""
        data = self.model_dump(mode="json")
        data["api_key"] = mask_secret(self.api_key.get_secret_value() if self.api_key else None)
        for name in ("base_url", "chroma_url", "embeddings_base_url"):  # user:pass@, ?key=
            data[name] = redact_url(data[name]) if data[name] else data[name]
        return data


def mask_secret(value: str | None) -> str | None:
    """``sk-abc…wxyz`` → ``sk-…wxyz`` style: enough to recognise, never enough to use."""
    if not value:
        return None
    if len(value) <= 8:
        return "****"
    return f"{value[:3]}…{value[-4:]}"


_ZH_HINTS = {
    "float_parsing": "需要一个数字",
    "int_parsing": "需要一个整数",
    "greater_than": "数值太小",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "literal_error": "不是可选值之一",
    "bool_parsing": "需要 true 或 false",
}


def load_settings(**overrides) -> Settings:
    """Build Settings or raise ConfigError naming the offending variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            name = ENV_PREFIX + loc[0].upper() if loc else "IPWRITER_PROVIDER"
            msg = err["msg"].removeprefix("Value error, ")
            if not loc and "IPWRITER_BASE_URL" in msg:
                name = "IPWRITER_BASE_URL"
            hint = _ZH_HINTS.get(err["type"], "取值无效")
            shown = err.get("input")
            shown = "" if isinstance(shown, dict) or name.endswith("API_KEY") else f"={shown!s}"
            problems.append((name, hint, shown, msg))
        zh = "；".join(f"{n}{s} {h}" for n, h, s, _ in problems)
        en = "; ".join(f"{n}: {m}" for n, _, _, m in problems)
        raise ConfigError(f"配置错误：{zh}", f"invalid setting: {en}") from None


def save_env(path: Path, values: dict[str, str]) -> Path:
    """Write ``KEY=value`` lines into an env file (created if missing); its other
    lines are kept."""
    from dotenv import set_key

    path.touch(exist_ok=True)
    for k, v in values.items():
        set_key(str(path), k, v, quote_mode="never")
    return path
