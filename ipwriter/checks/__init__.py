"""Checks run on every draft: numbers (grounding), vague words, compliance, structure.

The names below load on first use (PEP 562), so importing one small module of
this package (``checks.models``) does not load the lexicons and OpenCC.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {"CheckReport": "models", "DraftChecker": "checker", "NumberChecker": "grounding",
            "run_checks": "report"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
