"""One factory: Settings → a LangChain chat model plus what callers need to
know about it (provider, model name, structured-output method).

Keys come from an explicit setting first (``IPWRITER_API_KEY``), then the
preset's own variable; a missing key names the variable to set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from dotenv import dotenv_values
from langchain_core.language_models.chat_models import BaseChatModel
from pydantic import SecretStr

from ipwriter.config import Settings
from ipwriter.errors import ConfigError, MissingKeyError
from ipwriter.presets import PRESETS, PROVIDER_NAMES, ProviderPreset, StructuredMethod
from ipwriter.redact import register_secret


@dataclass
class ChatHandle:
    """A chat model and the facts about it that chains and doctor need."""

    chat: BaseChatModel
    provider: str
    model_name: str
    method: StructuredMethod
    base_url: str | None
    key_env: str | None
    timeout: float


def preset_for(name: str) -> ProviderPreset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ConfigError(
            f"未知的模型服务商 {name!r}，可选：{', '.join(PROVIDER_NAMES)}",
            f"unknown provider {name!r}; valid providers: {', '.join(PROVIDER_NAMES)}",
        ) from None


def resolve_key(settings: Settings, preset: ProviderPreset, env_file: Path | None) -> str | None:
    if settings.api_key is not None and settings.api_key.get_secret_value():
        return settings.api_key.get_secret_value()
    if preset.key_env:
        value = os.environ.get(preset.key_env)
        if not value and env_file is not None and env_file.is_file():
            value = dotenv_values(env_file).get(preset.key_env)
        if value:
            return value
    if preset.key_required:
        raise MissingKeyError(preset.name, preset.key_env or "IPWRITER_API_KEY")
    return None


def make_chat_model(
    settings: Settings,
    *,
    http_client: Any | None = None,
    env_file: Path | None = Path(".env"),
) -> ChatHandle:
    preset = preset_for(settings.provider)
    method: StructuredMethod = settings.structured_method or preset.structured_method  # type: ignore[assignment]

    if preset.name == "local":
        from ipwriter.llm.local import LocalLlamaChat, packaged_gguf

        path = settings.local_model or packaged_gguf()
        chat = LocalLlamaChat(
            model_path=str(path),
            n_ctx=settings.local_ctx,
            n_threads=settings.threads,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
        )
        return ChatHandle(chat, "local", Path(path).name, method, None, None, settings.timeout)

    from langchain_openai import ChatOpenAI

    chat_class = ChatOpenAI if preset.name == "openai" else _compatible_chat_class()
    key = resolve_key(settings, preset, env_file)
    register_secret(key)
    base_url = settings.base_url or preset.base_url
    model = settings.model or preset.default_model
    if not model:
        raise ConfigError(
            f"服务商 {preset.name} 需要指定模型名：请设置环境变量 IPWRITER_MODEL",
            f"provider {preset.name} needs a model name: set IPWRITER_MODEL",
        )
    chat = chat_class(
        model=model,
        api_key=SecretStr(key or "not-needed"),
        base_url=base_url,
        timeout=settings.timeout,
        max_retries=settings.max_retries,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
        http_client=http_client,
        stream_usage=True,
    )
    return ChatHandle(chat, preset.name, model, method, base_url, preset.key_env, settings.timeout)


@lru_cache(maxsize=1)
def _compatible_chat_class() -> type:
    """ChatOpenAI for OpenAI-compatible servers. langchain-openai renames
    ``max_tokens`` to ``max_completion_tokens`` (OpenAI's newer name), which
    llama.cpp's server, DeepSeek, DashScope and vLLM ignore or reject, so a
    reply would run to the end of the context. This sends ``max_tokens``."""
    from langchain_openai import ChatOpenAI

    class CompatibleChatOpenAI(ChatOpenAI):
        def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None,
                                 **kwargs: Any) -> dict:
            payload = super()._get_request_payload(input_, stop=stop, **kwargs)
            if "max_completion_tokens" in payload:
                payload["max_tokens"] = payload.pop("max_completion_tokens")
            return payload

    return CompatibleChatOpenAI
