"""Demo workspaces for tests: a copy of profile.yaml and knowledge/ in a temp
folder, opened with the fake embedder (fast tier) or the real e5 model."""

from __future__ import annotations

import shutil
from pathlib import Path

from ipwriter.config import load_settings
from ipwriter.workspace import Workspace

from .fakes import fake_embeddings

REPO = Path(__file__).resolve().parent.parent.parent


def demo_copy(root: Path, *, knowledge: bool = True) -> Path:
    """profile.yaml and (optionally) the demo notes in ``root`` (created)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "profile.yaml", root / "profile.yaml")
    if knowledge:
        shutil.copytree(REPO / "knowledge", root / "knowledge")
    else:
        (root / "knowledge").mkdir()
    return root


def open_workspace(root: Path, *, real_embeddings: bool = False, **settings) -> Workspace:
    """A workspace at ``root`` with its state in ``root/.ipwriter`` and no .env;
    the fake embedder unless ``real_embeddings``."""
    s = load_settings(home=root / ".ipwriter", _env_file=None, **settings)
    return Workspace(root, s, embeddings=None if real_embeddings else fake_embeddings())
