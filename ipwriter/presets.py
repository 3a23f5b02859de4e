"""Provider presets: where each chat endpoint lives, its default model, the
environment variable that holds its key, and the structured-output method it
accepts.

Structured-output methods:

- ``json_schema``: OpenAI's ``response_format={"type": "json_schema", ...}``
  (OpenAI, Ollama enforce it).
- ``json_mode``: ``{"type": "json_object"}`` with no schema; the prompt must
  contain the word JSON and describe the schema (DeepSeek, Qwen, Moonshot,
  Zhipu reject ``json_schema``).
- ``json_object_schema``: ``{"type": "json_object", "schema": {...}}``, the
  form llama.cpp (in-process and its server) turns into a grammar, so the
  output is constrained rather than hoped for.
- ``function_calling``: a forced tool call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

StructuredMethod = Literal["json_schema", "json_mode", "json_object_schema", "function_calling"]
STRUCTURED_METHODS: tuple[str, ...] = (
    "json_schema",
    "json_mode",
    "json_object_schema",
    "function_calling",
)


@dataclass(frozen=True)
class ProviderPreset:
    name: str
    label: str
    base_url: str | None
    default_model: str | None
    key_env: str | None  # None: no key needed
    key_required: bool
    structured_method: StructuredMethod


PRESETS: dict[str, ProviderPreset] = {
    p.name: p
    for p in (
        ProviderPreset("local", "本地模型 (llama.cpp, GGUF)", None, None, None, False,
                       "json_object_schema"),
        ProviderPreset("openai", "OpenAI", None, "gpt-4o-mini", "OPENAI_API_KEY", True,
                       "json_schema"),
        ProviderPreset("deepseek", "DeepSeek 深度求索", "https://api.deepseek.com",
                       "deepseek-chat", "DEEPSEEK_API_KEY", True, "json_mode"),
        ProviderPreset("qwen", "通义千问 (DashScope 兼容模式)",
                       "https://dashscope.aliyuncs.com/compatible-mode/v1", "qwen-plus",
                       "DASHSCOPE_API_KEY", True, "json_mode"),
        ProviderPreset("moonshot", "Moonshot 月之暗面 (Kimi)", "https://api.moonshot.cn/v1",
                       "moonshot-v1-8k", "MOONSHOT_API_KEY", True, "json_mode"),
        ProviderPreset("zhipu", "智谱 GLM", "https://open.bigmodel.cn/api/paas/v4/",
                       "glm-4-flash", "ZHIPUAI_API_KEY", True, "json_mode"),
        ProviderPreset("ollama", "Ollama (本机)", "http://127.0.0.1:11434/v1", "qwen2.5:7b",
                       None, False, "json_schema"),
        ProviderPreset("openai-compatible", "任意 OpenAI 兼容接口 (vLLM, llama.cpp server …)",
                       None, None, None, False, "json_object_schema"),
    )
}

PROVIDER_NAMES: tuple[str, ...] = tuple(PRESETS)
