"""The second retrieval benchmark's data (benchmarks/retrieval2) stays well-posed:
every question has exactly one right note, which holds its answer; no distractor
holds any answer; every niche is in exactly one split."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
import yaml

from ipwriter.knowledge.load import load_document

SET = Path(__file__).resolve().parent.parent / "benchmarks" / "retrieval2"
NICHES = sorted(p.name for p in SET.iterdir() if (p / "questions.yaml").is_file())


def squash(text: str) -> str:
    return "".join(text.split()).lower()


def test_every_niche_is_in_exactly_one_split():
    import sys

    sys.path.insert(0, str(SET.parent))
    try:
        from retrieval_v2 import SPLITS
    finally:
        sys.path.remove(str(SET.parent))
    assert sorted(SPLITS["dev"] + SPLITS["test"]) == NICHES
    assert not set(SPLITS["dev"]) & set(SPLITS["test"])


@pytest.mark.parametrize("niche", NICHES)
def test_each_question_has_one_right_note_and_no_distractor_answers_it(niche):
    base = SET / niche
    qs = yaml.safe_load((base / "questions.yaml").read_text(encoding="utf-8"))
    assert len(qs) >= 15 and len({q["id"] for q in qs}) == len(qs)
    assert {q["kind"] for q in qs} == {"case", "number", "method", "heading"}
    texts = {p.relative_to(base).as_posix(): squash(load_document(p, p.name).text)
             for p in sorted((base / "notes").iterdir())}
    assert {Path(s).suffix for s in texts} >= {".md", ".txt", ".html", ".docx", ".pdf"}
    for q in qs:
        answer = squash(q["answer"])
        assert [s for s, t in texts.items() if answer in t] == [q["source"]], q["id"]
    spec = importlib.util.spec_from_file_location(f"d_{niche}", base / "distractors.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    for i in range(300):  # as many as the benchmark makes per niche
        _, text = mod.make(random.Random(1000 + i), i)
        flat = squash(text)
        assert not [q["id"] for q in qs if squash(q["answer"]) in flat], i
