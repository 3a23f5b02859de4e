"""Draft history: the store (``store``), its tables and damage error (``schema``),
approval and its override (``approval``), the file's creation, check and repair
(``repair``)."""

from ipwriter.drafts.approval import ApprovalBlocked, blocking_findings
from ipwriter.drafts.repair import DraftsRepair
from ipwriter.drafts.schema import DraftsBusyError, DraftsDamagedError
from ipwriter.drafts.store import DraftDamaged, DraftNotFound, DraftStore, DraftSummary, new_id

__all__ = ["ApprovalBlocked", "DraftDamaged", "DraftNotFound", "DraftStore", "DraftSummary",
           "DraftsBusyError", "DraftsDamagedError", "DraftsRepair", "blocking_findings", "new_id"]
