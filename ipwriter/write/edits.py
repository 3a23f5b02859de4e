"""The creator's own edit of a draft: a new version, checked the way its chain
checks its drafts (the chain's structure rules, the numbers its request fixed),
keeping the citations the text still uses. Nothing is overwritten: the store
saves it as the next version."""

from __future__ import annotations

from ipwriter.errors import ConfigError
from ipwriter.write.chains import CHAINS
from ipwriter.write.context import Checker
from ipwriter.write.evidence import still_cited
from ipwriter.write.models import Draft


def edited(current: Draft, text: str, checker: Checker, *, title: str | None = None) -> Draft:
    """``current`` with ``text`` (and ``title``) as written by the creator, checked again."""
    text = text.replace("\r\n", "\n")
    if not text.strip():
        raise ConfigError("草稿不能是空的", "a draft cannot be empty")
    chain = CHAINS.get(current.chain)
    report = checker.check(text, platform=current.platform, kind=chain.kind if chain else "text",
                           given=chain.facts_given(current.inputs) if chain else ())
    return current.model_copy(update={
        "text": text, "title": title if title is not None else current.title, "report": report,
        "author": "user", "citations": still_cited(current.citations, text, report),
        "segments": None, "items": None})  # the text no longer follows the chain's parts
