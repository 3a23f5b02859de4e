"""Issue 13's acceptance table: at least 80 sentences from course-selling copy, the
violations and the honest text, each with the level and rule family expected."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.support.acceptance import FAMILIES, load_cases, verdict

TABLE = Path(__file__).parent / "fixtures" / "compliance" / "acceptance.yaml"
# the first blind set, measured once untouched, then tuned on (benchmarks/checks_quality.py):
# kept passing here; the second blind set stays out of the tests
FIRST_HOLDOUT = Path(__file__).parent.parent / "benchmarks" / "data" / "checks_holdout.yaml"
CASES = load_cases(TABLE)
TUNED = load_cases(FIRST_HOLDOUT)


def test_the_table_covers_every_family_and_enough_honest_copy() -> None:
    flagged = [c for c in CASES if c.expect != "none"]
    honest = [c for c in CASES if c.family == "honest"]
    assert len(CASES) >= 80 and len(flagged) >= 50 and len(honest) >= 30
    by_family = Counter(c.family for c in flagged)
    assert set(by_family) == set(FAMILIES) - {"honest"}, by_family
    assert sum(c.evasion is not None for c in flagged) >= 15
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES + TUNED, ids=[c.id for c in CASES + TUNED])
def test_sentence(case) -> None:
    problem = verdict(case)
    assert problem is None, f"{case.text!r} ({case.platform}): {problem}"
