"""Logging to ``$IPWRITER_HOME/logs/ipwriter.log``, with secrets redacted."""

from __future__ import annotations

import logging
from pathlib import Path

from ipwriter.redact import RedactingFormatter

_configured: set[Path] = set()


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    path = (log_dir / "ipwriter.log").resolve()
    root = logging.getLogger("ipwriter")
    if path not in _configured:
        for h in list(root.handlers):
            if getattr(h, "_ipwriter", False):
                root.removeHandler(h)
                h.close()
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._ipwriter = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        _configured.clear()
        _configured.add(path)
    root.setLevel(level)
    return path
