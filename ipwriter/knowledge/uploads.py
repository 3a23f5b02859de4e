"""Safe names for uploaded files: a file name from a browser is data, never a
path. Keeps the base name only (either slash style), drops control and
reserved characters and leading dots, and bounds the length."""

from __future__ import annotations

import re
import unicodedata

from ipwriter.errors import ConfigError

_BAD = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\/]')
MAX_NAME_BYTES = 200  # file systems allow 255 bytes; the trash adds a 16-character prefix


def safe_name(name: str) -> str:
    base = unicodedata.normalize("NFC", name).replace("\\", "/").split("/")[-1]
    # control and format characters (U+202E and friends can disguise a name) go too
    base = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf"))
    base = _BAD.sub("_", base).strip().lstrip(".").strip()
    if not base or base in {".", ".."} or set(base) <= {"_", "."}:
        raise ConfigError(f"文件名不合法：{name!r}", f"unsafe file name: {name!r}")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = suffix[:16]
    room = MAX_NAME_BYTES - len(suffix.encode()) - 1
    stem = stem.encode()[:room].decode("utf-8", "ignore")  # cut on a character boundary
    return f"{stem}.{suffix}" if suffix else stem
