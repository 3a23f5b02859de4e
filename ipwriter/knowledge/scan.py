"""Which files an ingest reads: nothing outside the workspace gets in.

A path given on the command line, a file found in a folder and a symbolic
link are all resolved first; whatever resolves outside the workspace is
skipped with a reason (a link in ``knowledge/`` to ``/etc/passwd`` would
otherwise be searchable and sent to a remote model as evidence). The
workspace is its folder and, when ``knowledge/`` itself is a link (to a synced
folder, a vault), the folder it leads to. Linked folders inside are walked
once each (a link loop ends). A file is stored under its path as written
(workspace-relative, links not followed), the name the creator sees. Hidden
files and folders (``.trash``, ``.git``) are skipped, and so is a file whose
name carries control or bidirectional-override characters, which can
disguise what a name says (``a\u202egpj.md`` shows as ``adm.jpg``).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from ipwriter.knowledge.load import SUPPORTED
from ipwriter.knowledge.models import FileError

Scope = tuple[str, bool]  # (source or folder, is a folder)

OUTSIDE = "指向工作区之外（{target}），出于安全没有导入；请把文件复制进 knowledge/ / resolves outside the workspace"


Roots = tuple[Path, ...]


def roots_of(root: Path) -> Roots:
    """The folders a workspace's notes may resolve into: the workspace (resolved), and
    the target of ``knowledge/`` when that folder is a link leading elsewhere."""
    knowledge = (root / "knowledge").resolve()
    return (root,) if knowledge.is_relative_to(root) else (root, knowledge)


def inside(path: Path, roots: Roots) -> bool:
    """Does ``path``, every link followed, resolve inside one of ``roots``?"""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a link loop
        return False
    return any(real.is_relative_to(r) for r in roots)


def source_name(path: Path, root: Path) -> str:
    """The name a file is stored under: its path relative to the workspace as written
    (normalised, links not followed); an absolute path when it is not under it."""
    p = Path(os.path.normpath(path if path.is_absolute() else root / path))
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        return p.as_posix()


def unsafe_name(name: str) -> bool:
    """Control characters (a newline) or format characters (U+202E) in a file name."""
    return any(unicodedata.category(c) in ("Cc", "Cf") for c in name)


def _shown(name: str) -> str:
    return name.encode("unicode_escape").decode("ascii") if unsafe_name(name) else name


def _where(path: Path, root: Path) -> str:
    """A path as shown in a skip message: workspace-relative (links not followed), escaped."""
    return _shown(path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path))


def _file_error(path: Path, root: Path, roots: Roots) -> FileError | None:
    """Why a file found or given cannot be ingested, or None."""
    if unsafe_name(path.name):
        return FileError(path=_where(path, root),
                         error="文件名里有控制字符或方向控制符（可能在伪装文件名），请改名后再导入 / "
                               "the file name holds control or bidi characters: rename it")
    if not inside(path, roots):
        return FileError(path=_where(path, root), error=OUTSIDE.format(target=_shown(str(path.resolve()))))
    return None


def _walk(folder: Path, root: Path, roots: Roots, files: dict[str, Path], errors: list[FileError]) -> None:
    """Every supported file under ``folder``; links are followed only inside the workspace."""
    seen: set[Path] = set()
    for here, dirs, names in os.walk(folder, followlinks=True):
        base = Path(here)
        real = base.resolve()
        if real in seen:  # a link loop, or two links to one folder
            dirs[:] = []
            continue
        seen.add(real)
        kept = []
        for d in sorted(dirs):
            sub = base / d
            if d.startswith("."):
                continue
            if sub.is_symlink() and not inside(sub, roots):
                errors.append(FileError(path=_where(sub, root),
                                        error=OUTSIDE.format(target=_shown(str(sub.resolve())))))
                continue
            kept.append(d)
        dirs[:] = kept
        for n in sorted(names):
            f = base / n
            if n.startswith("."):
                continue
            problem = _file_error(f, root, roots)
            if problem is not None:
                errors.append(problem)
                continue
            if not f.is_file():  # a dangling link
                continue
            src = source_name(f, root)
            if f.suffix.lower() in SUPPORTED:
                files.setdefault(src, f)
            else:
                errors.append(FileError(path=src, error=f"不支持的文件类型 {f.suffix or '(无扩展名)'}，"
                                                        "已跳过 / unsupported file type"))


def scan(root: Path, paths: Sequence[Path]) -> tuple[dict[str, Path], list[Scope], list[FileError]]:
    """Files to ingest by source name, the scopes (source, is_dir), and path errors.

    ``root`` is the resolved workspace folder; see :func:`roots_of`."""
    roots = roots_of(root)
    files: dict[str, Path] = {}
    scopes: list[Scope] = []
    errors: list[FileError] = []
    for given in paths:
        p = given if given.is_absolute() else root / given
        if not p.exists():
            errors.append(FileError(path=_shown(str(given)), error="路径不存在 / no such file or folder"))
            continue
        if not inside(p, roots):
            errors.append(FileError(path=_where(p, root), error=OUTSIDE.format(target=_shown(str(p.resolve())))))
            continue
        name = source_name(p, root)
        if p.is_dir():
            scopes.append((name.rstrip("/"), True))
            _walk(p, root, roots, files, errors)
        else:
            problem = _file_error(p, root, roots)
            if problem is not None:
                errors.append(problem)
                continue
            scopes.append((name, False))
            files[name] = p
    return files, scopes, errors


def in_scope(source: str, scopes: list[Scope]) -> bool:
    for scope, is_dir in scopes:
        if source == scope or is_dir and (scope in ("", ".") or source.startswith(scope + "/")):
            return True
    return False


def gone(source: str, root: Path) -> bool:
    """A stored source whose file no longer resolves to a file inside the workspace
    (deleted, moved out, replaced by a link that leads outside, or stored before
    links were checked)."""
    p = Path(source)
    p = p if p.is_absolute() else root / p
    return not (inside(p, roots_of(root)) and p.is_file())
