"""``knowledge/.trash/``: where a removed or replaced note goes, so nothing is lost.

A file (or a link: the link itself, never its target) moves in under a
time-stamped name; two notes of the same name in the same second get distinct
names, and nothing already in the trash is ever overwritten.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def to_trash(knowledge_dir: Path, path: Path) -> Path:
    """Move ``path`` into ``knowledge_dir/.trash/``; returns where it went."""
    trash = knowledge_dir / ".trash"
    trash.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 10_000):
        target = trash / (f"{stamp}-{path.name}" if n == 1 else f"{stamp}-{n}-{path.name}")
        try:  # a hard link fails if the name is taken: never overwrite
            os.link(path, target, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError:  # no hard links here (another file system): check, then rename
            if target.exists() or target.is_symlink():
                continue
            path.rename(target)
            return target
        path.unlink()
        return target
    raise FileExistsError(f"no free name in {trash} for {path.name}")
