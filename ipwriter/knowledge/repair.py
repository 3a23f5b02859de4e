"""Moving a damaged store aside (``ipwriter doctor --repair``), under the store lock."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from ipwriter.knowledge.catalog import StoreBusyError, catalog_path
from ipwriter.knowledge.damage import move_aside, release_chroma
from ipwriter.knowledge.store import chroma_dir

__all__ = ["move_store_aside"]


def move_store_aside(home: Path, dest: Path, *, local: bool = True,
                     lock_timeout: float = 2.0) -> list[Path]:
    """Move the catalog (and WAL) and the embedded Chroma folder into ``dest``, holding
    the store lock. The next ingest builds both afresh (sweeping a server's vectors)."""
    lock = FileLock(str(home / "store.lock"))
    try:
        lock.acquire(timeout=lock_timeout)
    except Timeout:
        raise StoreBusyError(home / "store") from None
    try:
        moved = move_aside(catalog_path(home), dest)
        if local:
            release_chroma(chroma_dir(home))
            moved += move_aside(chroma_dir(home), dest)
        return moved
    finally:
        lock.release()
