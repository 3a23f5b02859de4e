"""The checker a workspace hands to the writing chains: every check on a draft,
with what the workspace knows — the facts of the records and the profile, the
creator's own banned words and attitudes.

Numbers fixed by the request itself (a script's minutes per segment) are not
in the records, but they are not the model's invention either: ``given``
facts back them for one check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ipwriter.checks.grounding import NumberChecker
from ipwriter.checks.models import CheckReport, DraftKind, check_kind
from ipwriter.checks.report import run_checks
from ipwriter.knowledge.facts import profile_facts
from ipwriter.knowledge.models import Fact
from ipwriter.profile import CreatorProfile


class DraftChecker:
    def __init__(self, facts: Iterable[Fact], *, banned_words: Sequence[str] = (),
                 attitudes: Sequence[str] = (), self_names: Sequence[str] = ()) -> None:
        self.self_names = tuple(self_names)
        self.numbers = NumberChecker(facts, self_names=self.self_names)
        self.banned_words = tuple(banned_words)
        self.attitudes = tuple(attitudes)

    @property
    def facts(self) -> list[Fact]:
        """Every fact the checks ground numbers in (records first, then the profile)."""
        return [pf.fact for pf in self.numbers.facts]

    def check(self, text: str, *, platform: str | None = None, kind: DraftKind = "text",
              segments: Sequence[dict] | None = None, instructions: Sequence[str] = (),
              generated: bool = False, given: Sequence[Fact] = (),
              material: Sequence[str] = ()) -> CheckReport:
        """Check ``text``; ``kind`` adds the post or script structure rules,
        ``generated`` marks a model's output (a missing sentence end then means
        it was cut off; a link or code not in its ``material``, the evidence it
        was given, is junk). An unknown platform or kind is a ConfigError."""
        check_kind(kind)
        numbers = NumberChecker([*self.facts, *given], self_names=self.self_names) if given \
            else self.numbers
        return run_checks(text, numbers, platform=platform, banned_words=self.banned_words,
                          attitudes=self.attitudes, kind=kind, segments=segments,
                          instructions=instructions, generated=generated, material=material)


def checker_for(facts: Iterable[Fact], profile: CreatorProfile | None) -> DraftChecker:
    """Checks with the records' facts and, with a profile, the numbers it declares
    (prices, delivery), the creator's banned words and attitudes."""
    if profile is None:
        return DraftChecker(facts)
    return DraftChecker([*facts, *profile_facts(profile)], banned_words=profile.banned_words,
                        attitudes=profile.attitudes, self_names=[profile.name])
