"""The proof ledger's corrections: the creator's own word on whose a number is.

Fact extraction guesses kind, owner and consent from the sentence
(``knowledge.facts``); the creator knows. A correction names a fact by its
note, quote and number text and sets its kind, owner and consent. Corrections
live in ``$IPWRITER_HOME/fact-corrections.json``, outside the derived store:
they are the creator's data, so re-ingesting a note, re-deriving facts after
an upgrade or repairing a damaged store re-applies them instead of losing them.
The file is written atomically; a broken file is never overwritten (the error
names it), so a correction is never lost silently.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ipwriter.errors import ConfigError
from ipwriter.knowledge.models import Fact, FactKind, FactOwner

__all__ = ["CORRECTIONS_FILE", "FactCorrection", "apply_corrections", "load_corrections",
           "save_correction"]

CORRECTIONS_FILE = "fact-corrections.json"
_OTHERS = ("student", "third_party")


class FactCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source: str
    quote: str
    text: str
    kind: FactKind
    owner: FactOwner
    consent: bool = False
    at: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> FactCorrection:
        if self.kind == "他证" and self.owner not in _OTHERS:
            raise ValueError("他证 must be a student's or a third party's result (owner student/third_party)")
        if self.kind == "自证" and self.owner != "creator":
            raise ValueError("自证 must be the creator's own result (owner creator)")
        if self.consent and self.owner not in _OTHERS:
            raise ValueError("consent is given by a student or a third party, not by the creator")
        return self

    @property
    def key(self) -> tuple[str, str, str]:
        return self.source, self.quote, self.text


def _path(home: Path) -> Path:
    return home / CORRECTIONS_FILE


def load_corrections(home: Path) -> dict[tuple[str, str, str], FactCorrection]:
    """The creator's corrections by (source, quote, text); none if there is no file."""
    path = _path(home)
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        items = [FactCorrection.model_validate(x) for x in raw["corrections"]]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError,
            ValidationError) as exc:
        raise ConfigError(
            f"事实更正文件 {path} 读不出来（{type(exc).__name__}）：请修好或移走它，里面是你手动改过的事实类型",
            f"the fact corrections file {path} is unreadable ({exc}); fix or move it") from None
    return {c.key: c for c in items}


def save_correction(home: Path, correction: FactCorrection) -> FactCorrection:
    """Add or replace one correction (read, change and atomic write under a lock, so
    two saves at once both land); returns it with its time."""
    home.mkdir(parents=True, exist_ok=True)
    with FileLock(str(home / (CORRECTIONS_FILE + ".lock")), timeout=30):
        corrections = load_corrections(home)  # a broken file raises: never overwritten
        correction = correction.model_copy(
            update={"at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        corrections[correction.key] = correction
        body = json.dumps({"version": 1, "corrections": [c.model_dump() for c in corrections.values()]},
                          ensure_ascii=False, indent=1)
        fd, tmp = tempfile.mkstemp(dir=home, prefix=".corrections-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
            os.replace(tmp, _path(home))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return correction


def apply_corrections(facts: Iterable[Fact],
                      corrections: dict[tuple[str, str, str], FactCorrection]) -> list[Fact]:
    """The facts with the creator's corrections applied (marked ``corrected``)."""
    out = []
    for f in facts:
        c = corrections.get((f.source, f.quote, f.text)) if corrections else None
        out.append(f if c is None else f.model_copy(update={
            "kind": c.kind, "owner": c.owner, "consent": c.consent, "corrected": True}))
    return out
