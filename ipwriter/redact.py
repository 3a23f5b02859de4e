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
# scheme://user:password@host — the password may itself hold an '@' or a '/' (the last '@' ends it)
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^/?#@\s:]*)"
                       r"(?::(?P<password>[^?#\s]*))?@(?=[^/?#\s@]*(?:[/?#\s]|$))")
# ?key=… &access_token=… ;jsessionid=… #access_token=… (a query, matrix or fragment parameter, never
# free text's "key="); a name may be percent-encoded (api%5Fkey)
_SEP = r"(?:[_.\-]|%5[Ff]|%2[Dd])"
_SECRET_PARAMS = re.compile(
    rf"(?P<name>[?&;#](?:(?:[\w.\-]|%[0-9A-Fa-f]{{2}})*{_SEP})?(?:(?:api|access|auth|refresh|secret|id)?"
    rf"{_SEP}?(?:key|token)|secret|password|passwd|pwd|sig|signature|auth|credential|j?session(?:id)?)=)"
    r"(?:(?![&#;])[!-~])*", re.IGNORECASE)  # a URL's value is printable ASCII: "…=v，请检查" ends at v
# Authorization: Bearer … / an environment line such as OPENAI_API_KEY=…
_BEARER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=\-]{8,}", re.IGNORECASE)
_ENV_SECRET = re.compile(r"\b(?P<name>[A-Z][A-Z0-9_]*(?:API_KEY|_KEY|TOKEN|SECRET|PASSWORD))(?P<eq>\s*=\s*)"
                         r"(?P<value>[A-Za-z0-9._~+/=\-]{4,})")


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


def _env(m: re.Match[str]) -> str:
    return m.group(0) if m.group("value") == "***" else f"{m.group('name')}{m.group('eq')}***"


def redact(text: str) -> str:
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    text = _BEARER.sub(lambda m: f"{m.group(1)} ***", redact_url(text))
    return _KEY_SHAPES.sub("***", _ENV_SECRET.sub(_env, text))


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted record, tracebacks included (a filter would see
    only the message; ``log.exception`` adds the exception text later)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
