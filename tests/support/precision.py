"""The precision corpus (``tests/fixtures/precision``): honest pieces written from
the demo notes, each with a sources file, and planted pieces with one real
problem each. Shared by ``tests/test_precision.py`` and ``benchmarks/precision.py``.

Layout of one set (the top folder is the first set; ``holdout-N/`` are more)::

    honest/NN-<platform>-<slug>.md     the piece as published
    honest/NN-<platform>-<slug>.yaml   platform, kind, and every number with its source:
                                       {text, note: <file in knowledge/> | profile.yaml | structure, quote}
    planted.yaml                       [{id, platform, kind, problem, span, expect?, why, text}]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ipwriter.checks.checker import DraftChecker, checker_for
from ipwriter.checks.models import CheckReport
from ipwriter.checks.report import severity
from ipwriter.knowledge.chunk import chunk_document
from ipwriter.knowledge.facts import extract_facts
from ipwriter.knowledge.load import load_document
from ipwriter.profile import load_profile

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "precision"
#: the sets the checks were fixed on (asserted by the tests), and the one written by
#: someone who never saw the checks and measured untouched (by the benchmark only)
DEV_SETS = ("", "holdout-1", "holdout-2")
TEST_SETS = ("holdout-3",)


@dataclass
class Piece:
    path: Path
    text: str
    platform: str
    kind: str
    numbers: list[dict] = field(default_factory=list)


@dataclass
class Planted:
    id: str
    platform: str
    kind: str
    problem: str
    span: str
    why: str
    text: str
    expect: str = "block"
    known_miss: str = ""  # a problem the checks do not catch yet, and the issue that will
    set: str = ""  # the corpus set it comes from ("" is the first)


@lru_cache(maxsize=1)
def demo_checker() -> DraftChecker:
    """What ``ipwriter check`` uses on the demo workspace: the notes' facts
    (real loader, chunker and extractor) and the profile's."""
    facts = []
    for path in sorted((ROOT / "knowledge").glob("*.md")):
        doc = load_document(path, f"knowledge/{path.name}")
        facts += [f for c in chunk_document(doc) for f in extract_facts(c)]
    return checker_for(facts, load_profile(ROOT / "profile.yaml"))


def honest(set_name: str = "") -> list[Piece]:
    out = []
    for path in sorted((CORPUS / set_name / "honest").glob("*.md")):
        meta = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
        out.append(Piece(path, path.read_text(encoding="utf-8"), meta["platform"],
                         meta.get("kind", "text"), meta.get("numbers") or []))
    return out


def planted(set_name: str = "") -> list[Planted]:
    path = CORPUS / set_name / "planted.yaml"
    return [Planted(**{k: v for k, v in e.items() if k in Planted.__dataclass_fields__},
                    set=set_name) for e in yaml.safe_load(path.read_text(encoding="utf-8"))]


def source_text(note: str) -> str:
    return (ROOT / ("profile.yaml" if note == "profile.yaml" else f"knowledge/{note}")
            ).read_text(encoding="utf-8")


def check(text: str, platform: str, kind: str) -> CheckReport:
    return demo_checker().check(text, platform=platform, kind=kind)


def above_info(report: CheckReport) -> list[tuple[str, str]]:
    """(text or code, severity) of every finding that blocks or advises."""
    out = []
    for f in (*report.numbers, *report.compliance, *report.vague, *report.structure):
        level = severity(f)
        if level in ("block", "advise"):
            out.append((getattr(f, "text", None) or getattr(f, "code", ""), level))
    return out


def at_span(report: CheckReport, text: str, span: str) -> list[tuple[str, str]]:
    """(text, severity) of the findings above info that overlap ``span`` in ``text``."""
    a = text.index(span)
    b = a + len(span)
    out = []
    for f in (*report.numbers, *report.compliance, *report.vague, *report.structure):
        start, end = getattr(f, "start", None), getattr(f, "end", None)
        level = severity(f)
        if start is not None and end is not None and start < b and end > a \
                and level in ("block", "advise"):
            out.append((getattr(f, "text", ""), level))
    return out
