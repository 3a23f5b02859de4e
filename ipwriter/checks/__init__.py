"""Checks run on every draft: numbers (grounding), vague words, compliance, structure."""

from ipwriter.checks.checker import DraftChecker
from ipwriter.checks.grounding import NumberChecker
from ipwriter.checks.models import CheckReport
from ipwriter.checks.report import run_checks

__all__ = ["CheckReport", "DraftChecker", "NumberChecker", "run_checks"]
