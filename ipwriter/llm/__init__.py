"""Chat models: provider presets, the factory, and how ipwriter calls them."""

from ipwriter.llm.calls import (
    StructuredResult,
    format_instructions,
    invoke_structured,
    model_errors,
)
from ipwriter.llm.factory import ChatHandle, make_chat_model, preset_for, resolve_key
from ipwriter.presets import PRESETS, PROVIDER_NAMES, ProviderPreset

__all__ = [
    "PRESETS", "PROVIDER_NAMES", "ChatHandle", "ProviderPreset", "StructuredResult",
    "format_instructions", "invoke_structured", "make_chat_model", "model_errors",
    "preset_for", "resolve_key",
]
