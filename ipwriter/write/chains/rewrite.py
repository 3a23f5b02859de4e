"""数字化改写: adjectives into numbers from the records (methodology B.7).

The vague-word check finds 很多 / 大量学员 / 好评如潮 …; for each, facts that
could replace it are collected (the checker's own concrete pick, then facts on
the same metric from a search on the sentence). The model only *chooses* among
those numbered facts and phrases the replacement; a phrase whose numbers are
not exactly the chosen fact's is refused. Where the records hold nothing, a
【待补充：…的数据】 placeholder goes in. Never a new number.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from ipwriter.checks.grounding import metric_groups
from ipwriter.checks.vague import find_vague
from ipwriter.checks.vague_lexicon import default_vague_lexicon
from ipwriter.errors import ConfigError
from ipwriter.knowledge.models import Fact
from ipwriter.text.marks import MISSING
from ipwriter.text.numbers import find_numbers
from ipwriter.text.split import sentence_bounds
from ipwriter.text.units import AGE_UNITS, TIME_UNITS
from ipwriter.write.brief import Brief, BriefCase, BriefFact, Section
from ipwriter.write.chains.base import Chain
from ipwriter.write.chains.toolkit import persona, run_info
from ipwriter.write.context import MaterialContext, TokenSink, WriteContext
from ipwriter.write.inputs import ChainInputs, Param
from ipwriter.write.material import traps
from ipwriter.write.models import Draft, Replacement


class RewriteInputs(ChainInputs):
    text: Annotated[str, Field(min_length=1, description="要改写的文案，- 表示标准输入 / "
                                                         "the copy to rewrite: FILE, or - for stdin"),
                    Param(argument=True, from_file=True, ui="long_text",
                          label="要改写的文案（把形容词换成记录里的真实数字）")]


class RewriteItem(BaseModel):
    n: int = Field(ge=1, le=40, description="第几项")
    fact: int = Field(ge=0, le=40, description="用到的事实编号，没有合适的填0")
    to: str = Field(default="", max_length=30, description="带数字的替换短语，没有事实时留空")


class RewriteOut(BaseModel):
    items: list[RewriteItem] = Field(max_length=40)


def _refused(finding) -> bool:
    """The checker said why no number fits (the notes hold only a sample, 5位学员的
    真实数据; 大量学员反馈 are those who did it): offer none either."""
    return bool(finding.withheld)


def _whole(f: Fact) -> bool:
    """The fact counts a whole group, not a sample or a part (其中43人, 5位学员的真实数据,
    256位学员里97人)."""
    return not default_vague_lexicon().is_sample(f.quote, f.text) and not any(
        s.unit not in TIME_UNITS | AGE_UNITS for s in find_numbers(f.subject))


def candidates(ctx: MaterialContext, text: str, finding, facts: list[Fact]) -> list[Fact]:
    """Facts that could replace one vague phrase: the checker's own concrete
    pick first, then facts from passages on the same subject that share a
    metric with the sentence (durations, prices, ranges, samples and parts of
    a larger count are never offered; nothing where the checker said why none fits)."""
    out: list[Fact] = []
    if _refused(finding):
        return out
    if finding.source is not None:
        out += [f for f in facts if f.source == finding.source.path
                and f.quote == finding.source.quote and f.text in finding.suggestion]
    start, end = sentence_bounds(text, finding.start, finding.end)
    sentence = text[start:end]
    groups = metric_groups(sentence)
    if groups:
        for e in ctx.retriever.search(sentence, k=4, kinds=["自证", "他证"]):
            for f in e.facts:
                # a student's number only with their consent (the proof ledger)
                if (f.kind == "自证" or f.usable_as_third_party_proof) and f.high is None and groups & metric_groups(
                        f.subject + f.quote) and f not in out and _whole(f):
                    out.append(f)
    return out[:3]


def _noun(finding) -> str:
    """What a vague phrase is about, for the placeholder: 大量学员 → 学员, 好评如潮 → 好评如潮."""
    phrases = default_vague_lexicon().entries
    vague = max((w for w in phrases if w in finding.text and w != finding.text), key=len,
                default="")
    return finding.text.replace(vague, "").strip("的") if vague else finding.text


def _numbers_only_from(phrase: str, fact: Fact) -> bool:
    spans = find_numbers(phrase)
    return bool(spans) and all(abs(s.value - fact.value) < 1e-9 for s in spans)


def choose(finding, cands: list[Fact], numbered: list[Fact], pick) -> tuple[Fact | None, str]:
    """The fact and replacement text for one vague phrase. The model's phrase is
    used only if its numbers are exactly the chosen fact's; otherwise the
    checker's own concrete suggestion, else a placeholder. Never a new number."""
    fact: Fact | None = None
    if pick is not None and 1 <= pick.fact <= len(numbered) and numbered[pick.fact - 1] in cands:
        fact = numbered[pick.fact - 1]
    elif finding.source is not None and cands:
        fact = cands[0]
    if fact is None:
        return None, MISSING.format(_noun(finding))
    if pick is not None and pick.to and _numbers_only_from(pick.to, fact):
        return fact, pick.to.strip()
    if finding.source is not None and fact.quote == finding.source.quote:
        return fact, finding.suggestion
    return fact, fact.text


def _title_of(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:30]


def _note_title(ctx: MaterialContext, source: str) -> str:
    """A note's title (profile.yaml and the like are named by their file)."""
    try:
        return ctx.retriever.case_evidence([source])[0].title
    except ConfigError:
        return source


def brief(ctx: MaterialContext, inputs: RewriteInputs) -> Brief:
    """Each vague phrase with the numbers from the records that could replace it —
    the same candidates the model will choose among — or why there are none."""
    text = inputs.text
    facts = ctx.checker.facts
    outline, used = [], []
    for finding in find_vague(text, facts):
        cands = candidates(ctx, text, finding, facts)
        used += [f for f in cands if f not in used]
        outline.append(Section(
            name=f"「{finding.text}」",
            guide=("记录里可能替换它的数字：先确认说的是同一件事、同一个范围" if cands else
                   finding.suggestion if _refused(finding) else
                   "记录里没有对应的数字：补一条记录，或删掉这个说法；不要编一个"),
            facts=[BriefFact.of(f) for f in cands]))
    cases = [BriefCase(source=src, title=_note_title(ctx, src),
                       facts=[BriefFact.of(f) for f in used if f.source == src])
             for src in dict.fromkeys(f.source for f in used)]
    return Brief(
        chain="rewrite", label=CHAIN.label, request=inputs.model_dump(mode="json"),
        summary="文案里的形容词，和记录里能替换它们的数字",
        cases=cases, outline=outline,
        missing="" if outline else "这段文案里没有找到需要换成数字的形容词。",
        traps=traps(None, [text], used, selling=False, banned_words=ctx.profile.banned_words))


def run(ctx: WriteContext, inputs: RewriteInputs, on_token: TokenSink = None) -> Draft:
    text = inputs.text
    facts = ctx.checker.facts
    findings = find_vague(text, facts)
    per_item = [candidates(ctx, text, f, facts) for f in findings]
    numbered: list[Fact] = []
    lines = []
    for i, (finding, cands) in enumerate(zip(findings, per_item), start=1):
        opts = []
        for f in cands:
            numbered.append(f)
            opts.append(f"    ({len(numbered)}) {f.text} ——「{f.quote}」")
        lines.append(f"[{i}] 「{finding.text}」" + ("\n" + "\n".join(opts) if opts else "（没有候选事实）"))
    usage: dict[str, int] = {}
    picks: dict[int, Any] = {}
    attempts = 0
    if numbered:
        from ipwriter.llm import invoke_structured  # langchain: loaded on the first model call

        messages = ctx.prompts.get("rewrite").messages(
            persona=persona(ctx), original=text, items="\n".join(lines))
        result = invoke_structured(ctx.model, RewriteOut, messages, on_token=on_token)
        usage, attempts = dict(result.usage), result.attempts
        picks = {item.n: item for item in result.value.items}

    replacements: list[Replacement] = []
    for i, (finding, cands) in enumerate(zip(findings, per_item), start=1):
        fact, to = choose(finding, cands, numbered, picks.get(i))
        replacements.append(Replacement(
            **{"from": finding.text}, to=to, start=finding.start, end=finding.end,
            source=fact.source if fact else None, quote=fact.quote if fact else None))
    new_text = text
    for r in sorted(replacements, key=lambda r: -r.start):
        new_text = new_text[:r.start] + r.to + new_text[r.end:]
    run_record = run_info(ctx, [], None, None, findings=len(findings))
    return Draft(
        chain="rewrite", platform=None, title=_title_of(new_text), text=new_text, citations=[],
        report=ctx.checker.check(new_text), before=text, replacements=replacements,
        inputs=inputs, run=run_record.model_copy(update={"attempts": attempts}),
        model=ctx.model_label, usage=usage)


CHAIN = Chain(
    name="rewrite", label="数字化改写", inputs=RewriteInputs, run=run, kind="text",
    help="把形容词换成记录里的真实数字 / rewrite adjectives into numbers from your records.",
    prompts=("rewrite", "persona"), progress="正在改写", brief=brief,
)
