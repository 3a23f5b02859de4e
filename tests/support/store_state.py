"""Everything that defines a knowledge store's content, for convergence checks
(a re-ingest, or an ingest after a crash, must end where a clean run ends)."""

from __future__ import annotations

import json

from ipwriter.workspace import Workspace


def state(w: Workspace) -> dict:
    store = w.kb.store
    rows = store.chunk_rows()
    chroma = store.collection.get(include=["documents", "metadatas"])
    hashes = store.file_hashes()
    return {
        "files": sorted((s["source"], hashes.get(s["source"]), s["chunks"], s["facts"])
                        for s in store.sources() if s["source"] in hashes),
        "chunks": sorted((r[0], r[1], r[5], r[6]) for r in rows),
        "facts": sorted((f.chunk_id, f.text, f.value, f.unit, f.kind, f.subject)
                        for f in store.facts()),
        "chroma": sorted(zip(chroma["ids"], chroma["documents"],
                             (json.dumps(m, sort_keys=True) for m in chroma["metadatas"]))),
    }


def drop_catalog_chunks(store, source: str) -> None:
    """Damage the catalog on purpose: the chunk rows of ``source`` vanish while its
    file row stays. No crash can do this (both commit in one transaction); the
    sweep still checks for it, and this is the one place a test writes SQL."""
    with store.db:
        store.db.execute("DELETE FROM chunks WHERE source = ?", (source,))
