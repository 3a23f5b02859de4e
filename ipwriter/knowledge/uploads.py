"""Uploaded files: a file name from a browser is data, never a path.

:func:`safe_name` keeps the base name only (either slash style), drops
control and reserved characters and leading dots, and bounds the length;
:func:`save_uploads` writes into ``knowledge/uploads/`` and checks that every
target stays inside the knowledge folder. An upload never overwrites a note:
the file it would replace moves to ``knowledge/.trash/`` first (the same
bytes again are left as they are).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from ipwriter.errors import ConfigError
from ipwriter.knowledge.load import SUPPORTED
from ipwriter.knowledge.trash import to_trash

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


class Saved(NamedTuple):
    path: Path
    replaced: Path | None  # where the older file of that name went (in .trash/)


def save_uploads(knowledge_dir: Path, files: list[tuple[str, bytes]]) -> list[Saved]:
    """Write (name, bytes) pairs into ``knowledge_dir/uploads/`` under safe names;
    a different file of the same name is kept in ``.trash/``, never overwritten."""
    folder = knowledge_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Saved] = []
    for name, data in files:
        clean = safe_name(name)
        if Path(clean).suffix.lower() not in SUPPORTED:
            raise ConfigError(f"不支持的文件类型：{clean}（支持 md、txt、docx、pdf、html）",
                              f"unsupported file type: {clean}")
        target = (folder / clean).resolve()
        if not target.is_relative_to(knowledge_dir.resolve()):
            raise ConfigError(f"文件名不合法：{name}", f"unsafe file name: {name!r}")
        replaced = None
        if target.is_symlink() or target.exists():
            if not target.is_symlink() and target.is_file() and target.read_bytes() == data:
                written.append(Saved(target, None))
                continue
            replaced = to_trash(knowledge_dir, target)
        target.write_bytes(data)
        written.append(Saved(target, replaced))
    return written
