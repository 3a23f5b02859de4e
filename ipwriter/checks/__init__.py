"""Checks run on every draft: numbers, vague words, compliance, structure."""

from ipwriter.checks.models import CHECK_PLATFORMS, CheckReport
from ipwriter.checks.numbers import NumberChecker
from ipwriter.checks.report import run_checks

__all__ = ["CHECK_PLATFORMS", "CheckReport", "NumberChecker", "run_checks"]
