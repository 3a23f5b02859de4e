"""ipwriter: grounded copy for knowledge-type creators (知识型IP)."""

__version__ = "0.1.0"
