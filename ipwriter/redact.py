"""Keep secrets out of logs, errors, drafts and the store.

Every API key the process learns of is registered here; :func:`redact`
replaces each with ``***`` and :class:`RedactingFormatter` applies that to every
formatted log line, tracebacks included.
"""

from __future__ import annotations

import logging
import re

_SECRETS: set[str] = set()
# Shapes of common provider keys, for text that carries a key we were never told of.
_KEY_SHAPES = re.compile(r"\b(sk-[A-Za-z0-9_\-]{8,}|[A-Fa-f0-9]{32}\.[A-Za-z0-9]{16})\b")


def register_secret(value: str | None) -> None:
    if value and len(value) >= 4:
        _SECRETS.add(value)


def redact(text: str) -> str:
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    return _KEY_SHAPES.sub("***", text)


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted record, tracebacks included (a filter would see
    only the message; ``log.exception`` adds the exception text later)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
