"""``python -m ipwriter.cli``."""

from ipwriter.cli import app

app()
