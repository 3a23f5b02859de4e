"""What a writing chain gets: one small, typed object, built by the workspace.

A chain needs a model, the prompt files, the creator's profile, a way to find
evidence, a way to check a draft and the size limits for its replies — and
nothing else. :class:`WriteContext` carries exactly those, so a chain never
reaches back into the workspace, and a test builds one from fakes.

``Retriever`` and ``Checker`` are protocols: the knowledge base
(:class:`ipwriter.knowledge.base.KnowledgeBase`) and the draft checker
(:class:`ipwriter.checks.checker.DraftChecker`) satisfy them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ipwriter.checks.models import CheckReport, DraftKind
from ipwriter.knowledge.models import Evidence, Fact
from ipwriter.profile import CreatorProfile
from ipwriter.write.models import Limits

if TYPE_CHECKING:  # langchain loads on first use, not when the CLI starts
    from ipwriter.llm import ChatHandle
    from ipwriter.write.prompts import PromptLibrary

#: Receives the model's reply as it streams in (a preview; None: no streaming).
TokenSink = Callable[[str], None] | None


class Retriever(Protocol):
    def search(self, query: str, k: int = 5, *, sources: Sequence[str] | None = None,
               kinds: Sequence[str] | None = None) -> list[Evidence]: ...

    def case_evidence(self, cases: Sequence[str]) -> list[Evidence]: ...


class Checker(Protocol):
    @property
    def facts(self) -> list[Fact]: ...

    def check(self, text: str, *, platform: str | None = None, kind: DraftKind = "text",
              segments: Sequence[dict] | None = None, instructions: Sequence[str] = (),
              generated: bool = False, given: Sequence[Fact] = (),
              material: Sequence[str] = ()) -> CheckReport: ...


@dataclass(frozen=True)
class MaterialContext:
    """What a brief needs: the profile, a retriever, the checker, the reply limits.
    No model: a brief is made from the notes alone."""

    profile: CreatorProfile
    retriever: Retriever
    checker: Checker
    limits: Limits


@dataclass(frozen=True)
class WriteContext(MaterialContext):
    """A brief's context plus the model, the prompts and the evidence budget."""

    model: ChatHandle
    prompts: PromptLibrary
    evidence_chars: int  # evidence budget per prompt, in characters

    @property
    def model_label(self) -> str:
        return f"{self.model.provider}/{self.model.model_name}"
