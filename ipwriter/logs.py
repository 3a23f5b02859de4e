"""Logging to ``$IPWRITER_HOME/logs/ipwriter.log``, with secrets redacted.

Libraries that log what a creator cannot act on while it happens (pypdf's
``EOF marker not found`` on a broken PDF: the ingest report names the file)
log to the same file and never to the terminal."""

from __future__ import annotations

import logging
from pathlib import Path

from ipwriter.redact import RedactingFormatter

_configured: set[Path] = set()
#: third-party loggers kept off stderr: their records go to the log file only
QUIET_LIBRARIES = ("pypdf",)


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    path = (log_dir / "ipwriter.log").resolve()
    root = logging.getLogger("ipwriter")
    quiet = [logging.getLogger(name) for name in QUIET_LIBRARIES]
    if path not in _configured:
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._ipwriter = True  # type: ignore[attr-defined]
        for logger in (root, *quiet):
            for h in list(logger.handlers):
                if getattr(h, "_ipwriter", False):
                    logger.removeHandler(h)
                    if logger is root:
                        h.close()
            logger.addHandler(handler)
        _configured.clear()
        _configured.add(path)
    root.setLevel(level)
    for logger in quiet:
        logger.propagate = False  # not to the root logger, nor Python's last-resort stderr
        logger.setLevel(logging.WARNING)
    return path
