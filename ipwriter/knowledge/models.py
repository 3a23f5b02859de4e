"""Typed records of the knowledge layer: documents, chunks, facts, evidence."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_serializer

FactKind = Literal["自证", "他证", "价格", "时间", "其他"]
FACT_KINDS: tuple[str, ...] = ("自证", "他证", "价格", "时间", "其他")


class Document(BaseModel):
    """A loaded file: its source path (workspace-relative), title and clean text (Markdown-ish)."""

    source: str
    title: str
    text: str
    content_hash: str


class Chunk(BaseModel):
    id: str
    source: str
    ord: int
    title: str
    headings: list[str] = Field(default_factory=list)
    text: str

    @property
    def heading_path(self) -> str:
        return " > ".join(self.headings)

    def embedding_text(self) -> str:
        """What gets embedded and BM25-indexed: the title is the best retrieval signal."""
        head = self.title + (f" > {self.heading_path}" if self.headings else "")
        return f"{head}\n{self.text}"


class Fact(BaseModel):
    """A number-bearing claim in the creator's own records."""

    text: str
    value: float
    high: float | None = None
    unit: str | None = None
    subject: str
    kind: FactKind
    source: str
    quote: str
    chunk_id: str
    approx: bool = False
    plus: bool = False
    title: str = ""  # the note's title: an account it names (抖音口播号…) scopes the numbers

    @field_serializer("value", "high")
    def _whole_numbers_as_int(self, v: float | None) -> float | int | None:
        return int(v) if v is not None and float(v).is_integer() else v


class Evidence(BaseModel):
    """A retrieved passage, as handed to writing chains and shown to people."""

    source: str
    chunk_id: str
    title: str
    headings: list[str] = Field(default_factory=list)
    text: str
    score: float
    facts: list[Fact] = Field(default_factory=list)


class FileError(BaseModel):
    path: str
    error: str


class IngestReport(BaseModel):
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    chunks: int = 0  # in the knowledge base after this run
    facts: int = 0   # in the knowledge base after this run
    errors: list[FileError] = Field(default_factory=list)
    seconds: float = 0.0
