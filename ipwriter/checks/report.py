"""All checks on one draft → a :class:`CheckReport` (the ``ipwriter check`` contract).

No model is involved: numbers are grounded against the knowledge base's
facts, vague words and compliance come from lexicons, structure from rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from ipwriter.checks.compliance import check_compliance
from ipwriter.checks.grounding import NumberChecker
from ipwriter.checks.models import (
    AI_LABEL_NOTICE,
    CheckReport,
    ComplianceFinding,
    DraftKind,
    NumberFinding,
    Severity,
    StructureFinding,
    Summary,
    VagueFinding,
)
from ipwriter.checks.record_hint import add_record_hints
from ipwriter.checks.structure import degenerate, post_parts, script_parts
from ipwriter.checks.vague import find_vague
from ipwriter.knowledge.models import Fact
from ipwriter.labels import UNBACKED_VERDICTS


def run_checks(
    text: str,
    facts: Sequence[Fact] | NumberChecker,
    *,
    platform: str | None = None,
    banned_words: Sequence[str] = (),
    attitudes: Sequence[str] = (),
    kind: DraftKind = "text",
    segments: Sequence[dict] | None = None,
    instructions: Sequence[str] = (),
    generated: bool = False,
    material: Sequence[str] = (),
) -> CheckReport:
    """Check ``text``. ``facts`` may be a prepared :class:`NumberChecker` (its
    facts are reused for vague-word suggestions). ``kind`` adds the post or
    script structure rules; ``generated`` marks a model's output (a missing
    sentence end then means it was cut off, and a link or code not in the
    ``material`` it was given is junk)."""
    checker = facts if isinstance(facts, NumberChecker) else NumberChecker(facts)
    fact_list = [pf.fact for pf in checker.facts]
    numbers = checker.check(text)
    vague = find_vague(text, fact_list)
    compliance = add_record_hints(text, check_compliance(text, platform, banned_words), fact_list,
                                  owner=checker)
    if kind == "pack":  # one case told for five platforms: repeats across sections are the point
        structure, at = [], 0
        for section in text.split("\n## "):
            structure += [f if f.start is None or f.end is None else
                          f.model_copy(update={"start": f.start + at, "end": f.end + at})
                          for f in degenerate(section, instructions, generated=generated,
                                              material=material)]
            at += len(section) + len("\n## ")
    else:
        structure = degenerate(text, instructions, generated=generated, material=material)
    if kind == "post":
        structure += post_parts(text, numbers, attitudes)
    elif kind == "script":
        structure += script_parts(text, segments)
    report = CheckReport(numbers=numbers, vague=vague, compliance=compliance, structure=structure,
                         summary=Summary(ok=False), notices=[AI_LABEL_NOTICE] if generated else [])
    report.summary = summarize(report)
    return report


def severity(finding: NumberFinding | VagueFinding | ComplianceFinding | StructureFinding
             ) -> Severity | None:
    """What a finding asks of the creator: block (fix before publishing),
    advise (look at it), info (a hint), or None (a backed number)."""
    if isinstance(finding, NumberFinding):
        if finding.verdict in UNBACKED_VERDICTS:
            return "block"
        return "advise" if finding.verdict == "derived" else None
    if isinstance(finding, ComplianceFinding):
        return "block" if finding.level == "ban" else "advise"
    if isinstance(finding, VagueFinding):
        return finding.level
    return "block" if finding.blocking else "advise"


def summarize(report: CheckReport) -> Summary:
    """The counts, and ``ok`` from the blocking findings alone."""
    levels = [severity(f) for f in (*report.numbers, *report.vague, *report.compliance,
                                    *report.structure)]
    blocking = levels.count("block")
    return Summary(
        ok=blocking == 0,
        ungrounded=sum(n.verdict in UNBACKED_VERDICTS for n in report.numbers),
        ban=sum(c.level == "ban" for c in report.compliance),
        caution=sum(c.level == "caution" for c in report.compliance),
        vague=len(report.vague),
        blocking=blocking, advisory=levels.count("advise"), info=levels.count("info"),
    )
