"""The knowledge layer: load → chunk → facts → embed → store, and hybrid search."""

from ipwriter.knowledge.models import (
    FACT_KINDS,
    Chunk,
    Document,
    Evidence,
    Fact,
    FileError,
    IngestReport,
)

__all__ = ["FACT_KINDS", "Chunk", "Document", "Evidence", "Fact", "FileError", "IngestReport"]
