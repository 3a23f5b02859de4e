"""The compliance acceptance tables (issue 13): sentences as course sellers write
them, each with the family of rule and the level it must get, or ``none`` for
honest copy that must not get a ``ban`` (other levels only where ``allow`` says).
Shared by the test (tests/fixtures/compliance/acceptance.yaml) and the quality
benchmark (benchmarks/data/checks_holdout.yaml, written apart and never tuned on)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from ipwriter.checks.compliance import check_compliance
from ipwriter.checks.models import ComplianceFinding

#: The lexicon entries that answer for each family of claim.
FAMILIES: dict[str, frozenset[str]] = {
    "guarantee": frozenset({"training-guarantee", "hundred-percent", "efficacy-time"}),
    "income": frozenset({"income-promise", "income-hype"}),
    "price": frozenset({"price-original"}),
    "scarcity": frozenset({"scarcity"}),
    "disparage": frozenset({"disparage"}),
    "authority": frozenset({"authority-state", "authority-media", "authority-title", "endorsement"}),
    "absolute": frozenset({"absolute-scope", "absolute-ranking", "absolute-terms", "absolute-first",
                           "absolute-soft", "absolute-efficacy", "absolute-duration"}),
    "diversion": frozenset({"off-platform-contact", "off-platform-contact-douyin"}),
    "interaction": frozenset({"interaction-bait", "interaction-bait-xiaohongshu"}),
    "testimonial": frozenset({"testimonial"}),
    "medical": frozenset({"medical-claim", "medical-treatment"}),
    "honest": frozenset(),
}
_RANK = {"ban": 0, "caution": 1, "evidence": 2}


class Case(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    text: str
    platform: str | None = None
    family: str
    expect: str = Field(pattern="^(ban|caution|evidence|none)$")
    allow: list[str] = Field(default_factory=list)
    evasion: str | None = None
    known_miss: str = ""  # a sentence of a tuned blind set the checks still read wrongly, and why


def load_cases(path: Path) -> list[Case]:
    return [Case.model_validate(x) for x in yaml.safe_load(path.read_text(encoding="utf-8"))["sentences"]]


def verdict(case: Case, findings: list[ComplianceFinding] | None = None) -> str | None:
    """None if the checks treat the sentence as the table says; else why not."""
    fs = check_compliance(case.text, case.platform) if findings is None else findings
    shown = "; ".join(f"{f.text}={f.level}/{f.id}" for f in fs) or "no finding"
    if case.expect == "none":
        bad = [f for f in fs if f.level == "ban" or f.level not in case.allow]
        return f"honest copy flagged: {shown}" if bad else None
    strictest = min((_RANK[f.level] for f in fs), default=None)
    ours = [f for f in fs if f.id in FAMILIES[case.family] and f.level == case.expect]
    if not ours:
        return f"expected {case.expect} from {case.family}: {shown}"
    if strictest is not None and strictest < _RANK[case.expect]:
        return f"stricter than {case.expect}: {shown}"
    return None
