"""Issue 13's acceptance table: at least 80 sentences from course-selling copy, the
violations and the honest text, each with the level and rule family expected."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchmarks.checks_quality import DEV_TABLES
from tests.support.acceptance import FAMILIES, load_cases, verdict

TABLE = Path(__file__).parent / "fixtures" / "compliance" / "acceptance.yaml"
# the blind sets already measured once untouched, then tuned on (benchmarks/checks_quality.py):
# kept passing here; the last blind set, the benchmark's test split, stays out of the tests
CASES = load_cases(TABLE)
TUNED = [c for p in DEV_TABLES[1:] for c in load_cases(p)]


def test_the_table_covers_every_family_and_enough_honest_copy() -> None:
    flagged = [c for c in CASES if c.expect != "none"]
    honest = [c for c in CASES if c.family == "honest"]
    assert len(CASES) >= 80 and len(flagged) >= 50 and len(honest) >= 30
    by_family = Counter(c.family for c in flagged)
    assert set(by_family) == set(FAMILIES) - {"honest"}, by_family
    assert sum(c.evasion is not None for c in flagged) >= 15
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.known_miss)] if c.known_miss else [])
    for c in CASES + TUNED])
def test_sentence(case) -> None:
    problem = verdict(case)
    assert problem is None, f"{case.text!r} ({case.platform}): {problem}"
