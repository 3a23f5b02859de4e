"""What every chain does the same way: the persona block, one structured call
with a second try on degenerate text, revision calls, joining units into the
saved text, and the run record. Every function returns what it made; nothing
here changes its arguments.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ipwriter.checks.models import CheckReport
from ipwriter.checks.structure import degenerate
from ipwriter.knowledge.models import Fact
from ipwriter.write.context import TokenSink, WriteContext
from ipwriter.write.evidence import citations_for
from ipwriter.write.inputs import ChainInputs
from ipwriter.write.models import Draft, RunInfo, revise_schema
from ipwriter.write.review import Assembled, Reviewed

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage

log = logging.getLogger(__name__)

Usage = dict[str, int]


def add_usage(*parts: Mapping[str, int]) -> Usage:
    """Token counts summed key by key."""
    out: Usage = {}
    for part in parts:
        for k, v in part.items():
            out[k] = out.get(k, 0) + v
    return out


def persona(ctx: WriteContext) -> str:
    p = ctx.profile
    a = p.audience
    return ctx.prompts.get("persona").text(
        name=p.name, tagline=p.tagline, keyword=p.keyword, traits="、".join(p.traits),
        attitudes="\n".join(f"- {x}" for x in p.attitudes),
        audience=f"{a.who}；在{a.where}；想要{a.wants}")


def platform_style(ctx: WriteContext, platform: str) -> str:
    return ctx.prompts.get(f"platform-{platform}").text()


def instructions(ctx: WriteContext, *names: str) -> list[str]:
    """The fixed text of these prompts (to spot instructions echoed in a draft)."""
    out: list[str] = []
    for n in names:
        out.extend(ctx.prompts.get(n).instruction_lines)
    return out


@dataclass(frozen=True)
class Generated:
    value: Any
    usage: Usage
    attempts: int


def _degenerate(rendered: str | list[str], instructions: Sequence[str],
                material: Sequence[str]) -> list:
    """Degenerate-output findings (junk included); a list of texts is checked piece by piece."""
    pieces = [rendered] if isinstance(rendered, str) else rendered
    return [f for piece in pieces
            for f in degenerate(piece, instructions, generated=True, material=material)]


def generate(ctx: WriteContext, schema: type[BaseModel], messages: list[BaseMessage],
             render: Callable[[Any], str | list[str]], instructions: Sequence[str], *,
             on_token: TokenSink = None) -> Generated:
    """One structured call; a degenerate text (repeats, cut off, echoed
    instructions, a link or code the prompt did not hold) is asked for once
    more with other sampling, and the better of the two is kept."""
    from ipwriter.llm import invoke_structured  # langchain: loaded on the first model call

    first = invoke_structured(ctx.model, schema, messages, on_token=on_token)
    material = [str(m.content) for m in messages]
    problems = _degenerate(render(first.value), instructions, material)
    if not problems:
        return Generated(first.value, dict(first.usage), first.attempts)
    log.info("degenerate output (%s); asking again with other sampling",
             ", ".join(p.code for p in problems))
    base = float(getattr(ctx.model.chat, "temperature", None) or 0.3)
    second = invoke_structured(ctx.model, schema, messages, on_token=on_token,
                               temperature=min(1.0, base + 0.4), seed=97)
    again = _degenerate(render(second.value), instructions, material)
    best = second if len(again) < len(problems) else first
    return Generated(best.value, add_usage(first.usage, second.usage),
                     first.attempts + second.attempts)


@dataclass
class Reviser:
    """Revision calls over one unit of text at a time, with the check findings
    as feedback; keeps its own token count (``usage``)."""

    ctx: WriteContext
    persona: str
    style: str
    evidence: str
    usage: Usage = field(default_factory=dict)

    def __call__(self, unit: str, problems: list[str]) -> str:
        from ipwriter.llm import invoke_structured

        messages = self.ctx.prompts.get("revise").messages(
            persona=self.persona, platform_style=self.style, evidence=self.evidence, draft=unit,
            problems="\n".join(f"- {p}" for p in problems))
        result = invoke_structured(self.ctx.model, revise_schema(self.ctx.limits), messages)
        self.usage = add_usage(self.usage, result.usage)
        return result.value.body


def join(parts: Sequence[tuple[str, str]]) -> Assembled:
    """Join (prefix, unit) pairs; the spans point at the units only."""
    text, spans = "", []
    for prefix, unit in parts:
        text += prefix
        spans.append((len(text), len(text) + len(unit)))
        text += unit
    return text, spans


def hashtags(tags: Sequence[str]) -> list[str]:
    """Tags as the model gave them, without # and blanks."""
    return [t.strip().lstrip("#") for t in tags if t.strip().lstrip("#")]


def run_info(ctx: WriteContext, evidence: Sequence[Any], gen: Generated | None,
             done: Reviewed | None, **details: Any) -> RunInfo:
    return RunInfo(evidence=[e.chunk_id for e in evidence],
                   profile_version=ctx.profile.version(),
                   attempts=gen.attempts if gen else 0,
                   revised=bool(done.revised) if done else False,
                   marked=list(done.marked) if done else [],
                   revision_error=done.revision_error if done else "",
                   details=details)


#: The line a student's result carries in copy that sells (广告法 第二十四条第三项).
RESULTS_VARY = "（以上是个人结果，不代表每个人都能做到。）"
RESULTS_VARY_SAID = re.compile(r"因人而异|个体差异|个人结果|不代表每个人|不代表所有人")


def tells_third_party_result(report: CheckReport, facts: Sequence[Fact]) -> bool:
    """Does the draft carry a number backed by a student's consented result?"""
    third = {(f.source, f.quote) for f in facts if f.usable_as_third_party_proof}
    return any(n.source is not None and (n.source.path, n.source.quote) in third
               and n.verdict not in ("ungrounded", "context_mismatch") for n in report.numbers)


def reviewed_draft(ctx: WriteContext, chain: str, inputs: ChainInputs, done: Reviewed,
                   evidence: Sequence[Any], gen: Generated, reviser: Reviser, *,
                   title: str, platform: str | None = None,
                   details: Mapping[str, Any] | None = None, **outputs: Any) -> Draft:
    """The unsaved draft of a chain that went through :func:`review.review`; a
    draft that tells a student's result (a number backed by a consented 他证)
    ends with the results-vary line if it does not say so already."""
    text = done.text
    if tells_third_party_result(done.report, ctx.checker.facts) and not RESULTS_VARY_SAID.search(text):
        text = f"{text.rstrip()}\n\n{RESULTS_VARY}"
    return Draft(
        chain=chain, platform=platform, title=title, text=text,
        citations=citations_for(text, done.report, list(evidence)), report=done.report,
        inputs=inputs, run=run_info(ctx, evidence, gen, done, **(details or {})),
        model=ctx.model_label, usage=add_usage(gen.usage, reviser.usage), **outputs)
