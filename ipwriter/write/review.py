"""After generation: check, one revision pass, then mark what is still unverified.

A draft is held as *units* (a post's title and body, a script's lines, a
pack's item texts) that an ``assemble`` function joins into the saved text,
remembering where each unit sits. The flow:

1. check the assembled text;
2. if a number is ungrounded (or its context does not match), a ``ban``
   term appears or the model wrote junk (a link, code, a placeholder), revise
   the units that hold those problems — one model call
   per unit, at most :data:`MAX_REVISED` units, with the findings as feedback;
   the revision is kept only if it does not make the draft worse;
3. every number still not backed by the records is wrapped as
   【待核实：…】 inside its unit, and the final text is checked again: that
   report is what is stored with the draft.

No number leaves unverified: either the records back it, or it is visibly
marked for the creator to confirm.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from ipwriter.checks.models import CheckReport, ComplianceFinding, NumberFinding
from ipwriter.errors import ModelError
from ipwriter.labels import UNBACKED_VERDICTS
from ipwriter.text.marks import UNVERIFIED, inside_mark

log = logging.getLogger(__name__)

MAX_REVISED = 3

Assembled = tuple[str, list[tuple[int, int]]]  # text, (start, end) of every unit


@dataclass
class Reviewed:
    units: list[str]
    text: str
    report: CheckReport
    revised: list[int] = field(default_factory=list)  # indexes of units the revision changed
    revision_error: str = ""
    marked: list[str] = field(default_factory=list)   # numbers wrapped as 【待核实】


def _bad_numbers(report: CheckReport) -> list[NumberFinding]:
    return [n for n in report.numbers if n.verdict in UNBACKED_VERDICTS]


def _bans(report: CheckReport) -> list[ComplianceFinding]:
    return [c for c in report.compliance if c.level == "ban"]


def _badness(report: CheckReport) -> tuple[int, int]:
    return (len(_bad_numbers(report)) + len(_bans(report)), len(report.structure))


def _unit_of(spans: list[tuple[int, int]], start: int, end: int) -> int | None:
    for i, (a, b) in enumerate(spans):
        if a <= start and end <= b:
            return i
    return None


def problems_by_unit(report: CheckReport, spans: list[tuple[int, int]]) -> dict[int, list[str]]:
    """Chinese feedback lines for each unit that holds a problem."""
    out: dict[int, list[str]] = {}
    for n in _bad_numbers(report):
        i = _unit_of(spans, n.start, n.end)
        if i is None:
            continue
        why = n.note or "资料里找不到这个数字"
        out.setdefault(i, []).append(f"数字「{n.text}」：{why}。改成资料里的原数字，或者删掉它。")
    for c in _bans(report):
        i = _unit_of(spans, c.start, c.end)
        if i is None:
            continue
        out.setdefault(i, []).append(f"「{c.text}」违反{c.basis}（{c.rule}）：{c.suggestion}")
    for s in report.structure:  # junk: a link or code no note holds
        i = _unit_of(spans, s.start, s.end) if s.start is not None and s.end is not None else None
        if i is not None:
            out.setdefault(i, []).append(f"{s.problem}：删掉它。")
    return out


def mark_unverified(units: list[str], report: CheckReport, spans: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """Wrap every number the records do not back as 【待核实：…】 in its unit."""
    units = list(units)
    marked: list[str] = []
    for n in sorted(_bad_numbers(report), key=lambda n: -n.start):
        i = _unit_of(spans, n.start, n.end)
        if i is None:
            continue
        a = n.start - spans[i][0]
        b = n.end - spans[i][0]
        unit = units[i]
        if unit[a:b] != n.text or inside_mark(unit, a):
            continue
        units[i] = unit[:a] + UNVERIFIED.format(n.text) + unit[b:]
        marked.append(n.text)
    return units, list(reversed(marked))


def review(
    units: list[str],
    assemble: Callable[[list[str]], Assembled],
    check: Callable[[str], CheckReport],
    revise: Callable[[str, list[str]], str] | None,
    *,
    revisable: Callable[[int], bool] = lambda i: True,
) -> Reviewed:
    text, spans = assemble(units)
    report = check(text)
    result = Reviewed(units=list(units), text=text, report=report)
    problems = problems_by_unit(report, spans)
    targets = [i for i in sorted(problems) if revisable(i)][:MAX_REVISED]
    if revise is not None and targets:
        new_units = list(units)
        try:
            for i in targets:
                candidate = revise(units[i], problems[i]).strip()
                if candidate:
                    new_units[i] = candidate
        except ModelError as exc:
            log.warning("revision failed: %s", exc.message)
            result.revision_error = exc.message
        changed = [i for i in targets if new_units[i] != units[i]]
        if changed:
            new_text, _ = assemble(new_units)
            new_report = check(new_text)
            if _badness(new_report) <= _badness(report):
                result = Reviewed(units=new_units, text=new_text, report=new_report, revised=changed,
                                  revision_error=result.revision_error)
    text, spans = assemble(result.units)
    marked_units, marked = mark_unverified(result.units, result.report, spans)
    if marked:
        result.units = marked_units
        result.text, _ = assemble(marked_units)
        result.report = check(result.text)
        result.marked = marked
    return result
