"""Marks ipwriter writes into drafts, and the citation marker models write.

- ``[n]``: a citation of the n-th evidence passage. It is never a number
  claim (the number grammar skips it).
- 【待核实：…】 wraps a number the records do not back; 【待补充：…的数据】
  stands where the records hold no number at all. Both are meant to be seen
  and replaced by the creator before publishing.
"""

from __future__ import annotations

import re

CITATION = re.compile(r"\[(\d{1,3})\]")
#: The same marker as a fragment for larger patterns (no group).
CITATION_PATTERN = r"\[\d{1,3}\]"

UNVERIFIED = "【待核实：{}】"
MISSING = "【待补充：{}的数据】"
OPENERS = ("【待核实：", "【待补充：")
CLOSER = "】"


def inside_mark(text: str, pos: int) -> bool:
    """True if ``pos`` lies inside a 【待核实：…】 or 【待补充：…】 mark."""
    opened = max(text.rfind(m, 0, pos) for m in OPENERS)
    return opened >= 0 and text.find(CLOSER, opened) >= pos
