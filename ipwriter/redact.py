"""Keep secrets out of logs, errors, drafts and the store.

Every API key the process learns of is registered here; :func:`redact`
replaces each with ``***``, and masks what a URL carries in the clear (the
password of ``user:pass@``, ``?api_key=``/``token=``/``password=`` … query
values); :class:`RedactingFormatter` applies that to every formatted log line,
tracebacks included.
"""

from __future__ import annotations

import logging
import re

_SECRETS: set[str] = set()
# Shapes of common provider keys, for text that carries a key we were never told of.
_KEY_SHAPES = re.compile(r"\b(sk-[A-Za-z0-9_\-]{8,}|[A-Fa-f0-9]{32}\.[A-Za-z0-9]{16})\b")
# scheme://user:password@host — the password may itself hold an '@' (the last one ends it)
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^/?#@\s:]*)"
                       r"(?::(?P<password>[^/?#\s]*))?@(?=[^/?#\s@]*(?:[/?#\s]|$))")
# ?key=… &access_token=… ;password=… (a query or matrix parameter, never free text's "key=")
_SECRET_PARAMS = re.compile(
    r"(?P<name>[?&;](?:[\w.\-]*[_.\-])?(?:(?:api|access|auth|refresh|secret)?(?:key|token)|secret|"
    r"password|passwd|pwd|sig|signature|auth)=)"
    r"(?:(?![&#;])[!-~])*", re.IGNORECASE)  # a URL's value is printable ASCII: "…=v，请检查" ends at v


def register_secret(value: str | None) -> None:
    if value and len(value) >= 4:
        _SECRETS.add(value)


def _userinfo(m: re.Match[str]) -> str:
    if m.group("password") is None:  # https://TOKEN@host: a bare user may be the secret
        return f"{m.group('scheme')}***@"
    return f"{m.group('scheme')}{m.group('user')}:***@"


def redact_url(text: str) -> str:
    """URL secrets masked: ``http://u:pass@h/?key=v`` → ``http://u:***@h/?key=***``."""
    if "://" in text:
        text = _USERINFO.sub(_userinfo, text)
    return _SECRET_PARAMS.sub(r"\g<name>***", text)


def redact(text: str) -> str:
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    return _KEY_SHAPES.sub("***", redact_url(text))


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted record, tracebacks included (a filter would see
    only the message; ``log.exception`` adds the exception text later)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
