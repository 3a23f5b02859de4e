"""Typed records of the knowledge layer: documents, chunks, facts, evidence."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_serializer, model_validator

FactKind = Literal["自证", "他证", "价格", "时间", "其他"]
FACT_KINDS: tuple[str, ...] = ("自证", "他证", "价格", "时间", "其他")
#: Whose number a fact is: the creator's own result, a student's or customer's, another
#: party's (a peer, a named third party), a platform or industry statistic, the offer
#: (price, lessons, delivery) — or unknown when the sentence does not say.
FactOwner = Literal["creator", "student", "third_party", "platform", "offer", "unknown"]
FACT_OWNERS: tuple[str, ...] = ("creator", "student", "third_party", "platform", "offer", "unknown")
_OWNER_OF_KIND = {"自证": "creator", "他证": "student", "价格": "offer"}


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
    """A number-bearing claim in the creator's own records, with whose result it is
    (``owner``) and whether that person agreed to its use as proof (``consent``).
    Only a fact of someone other than the creator *with* consent may stand as 他证."""

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
    owner: FactOwner = "unknown"
    consent: bool = False
    corrected: bool = False  # the creator set kind/owner/consent by hand (fact ledger)

    @model_validator(mode="before")
    @classmethod
    def _owner_from_kind(cls, data: Any) -> Any:
        # facts built by hand or stored before the ledger existed: the kind says whose
        if isinstance(data, dict) and data.get("owner") is None:
            data = {**data, "owner": _OWNER_OF_KIND.get(str(data.get("kind")), "unknown")}
        return data

    @property
    def usable_as_third_party_proof(self) -> bool:
        """他证: another person's result, with their consent."""
        return self.kind == "他证" and self.owner in ("student", "third_party") and self.consent

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
