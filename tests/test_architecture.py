"""The architecture holds: layers only import downward, nothing under
``ipwriter.write`` imports the workspace or a front end, no import cycle at any
depth (import-linter, contracts in pyproject.toml); modules stay small."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "ipwriter"
MAX_LINES = 400
# the number grammar is one coherent specification, split into named steps inside
EXEMPT = {"text/numbers.py"}


def test_import_contracts_are_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    r = subprocess.run([str(lint), "--no-cache", "--no-logo"], cwd=REPO, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "3 kept, 0 broken" in r.stdout


def test_modules_stay_small():
    sizes = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    too_big = {name: n for name, n in sizes.items() if n > MAX_LINES and name not in EXEMPT}
    assert not too_big, f"split these modules (over {MAX_LINES} lines): {too_big}"
    assert sizes["workspace.py"] <= 250, "the workspace composes and delegates; move logic down"
