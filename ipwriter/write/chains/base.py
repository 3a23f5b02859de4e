"""A chain's registry entry: everything the front ends and the workspace need
to know about it, in one place.

The CLI builds one subcommand per entry (options from ``inputs``), the app's
写作 page one form, ``regenerate`` runs ``run`` again with the saved inputs,
``edit_draft`` re-checks with ``kind`` and ``given_facts``, ``ipwriter brief``
and the app's 先看素材 step call ``brief``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ipwriter.checks.models import DraftKind
from ipwriter.errors import ConfigError
from ipwriter.knowledge.models import Fact
from ipwriter.write.brief import Brief, plan_of
from ipwriter.write.context import MaterialContext, TokenSink, WriteContext
from ipwriter.write.inputs import ChainInputs, parse_inputs
from ipwriter.write.models import Draft

I = TypeVar("I", bound=ChainInputs)  # noqa: E741 - the conventional name for "inputs"


@dataclass(frozen=True)
class Chain(Generic[I]):
    name: str  # the CLI subcommand and the draft's ``chain``
    label: str  # what the creator reads: 写作 page, history, review
    help: str  # the CLI's help line, Chinese / English
    inputs: type[I]
    run: Callable[[WriteContext, I, TokenSink], Draft]
    kind: DraftKind = "text"  # the structure rules its drafts are checked with
    platforms: tuple[str, ...] = ()  # where its drafts may be published (in its inputs)
    prompts: tuple[str, ...] = ()  # the prompt files it renders
    progress: str = "正在生成"  # what the CLI says while the model writes
    given_facts: Callable[[I], list[Fact]] | None = None  # numbers the request itself fixes
    brief: Callable[[MaterialContext, I], Brief] | None = None  # its 素材提纲, made with no model

    def parse(self, data: Mapping[str, Any] | ChainInputs) -> I:
        """Typed, validated inputs; a bilingual ConfigError otherwise."""
        return parse_inputs(self.inputs, data)  # type: ignore[return-value]

    def make_brief(self, ctx: MaterialContext, data: Mapping[str, Any] | ChainInputs) -> Brief:
        """The chain's brief for these inputs (validated first)."""
        if self.brief is None:
            raise ConfigError(f"「{self.label}」还没有素材提纲", f"chain {self.name} makes no brief")
        return self.brief(ctx, self.parse(data))

    def planned(self, inputs: I, make_brief: Callable[[I], Brief]) -> I:
        """The inputs with a plan: the one given, or the first picks of the brief the
        creator would be shown (so a draft follows what ``ipwriter brief`` prints)."""
        if "plan" not in type(inputs).model_fields:
            return inputs
        return inputs.model_copy(update={"plan": plan_of(getattr(inputs, "plan"),
                                                         lambda: make_brief(inputs))})

    def facts_given(self, inputs: ChainInputs) -> list[Fact]:
        if self.given_facts is None or not isinstance(inputs, self.inputs):
            return []
        return self.given_facts(inputs)
