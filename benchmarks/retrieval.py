"""Retrieval benchmark: ipwriter's knowledge pipeline against a naive baseline.

    .venv/bin/python benchmarks/retrieval.py [--distractors 500] [--embed-cache FILE]

In one run it builds a labelled set from the demo knowledge (the questions in
``benchmarks/questions.yaml``, each with the note and passage that answers
it) plus ``--distractors`` generated notes on the same topics with other
numbers (``benchmarks/distractors.py``), and reports, for ipwriter's pipeline
(heading-aware chunks with title paths, e5 + BM25 over jieba, RRF) and for a
naive baseline (fixed 500-character chunks, dense e5 only), side by side:

- recall@5 and hit@1: a question counts when a returned chunk comes from the
  right note and contains the answer sentence;
- ingest notes/s and chunks/s (real e5 embeddings, unless ``--embed-cache``
  served them: then the figures are marked as not valid);
- re-ingest time when nothing changed (the baseline has no change detection:
  it re-embeds everything), and for ipwriter also on 1,000 notes;
- search latency p50/p95 at 1k and 10k chunks, in process, after warm-up.

Stores for the no-change and latency figures are filled with hash vectors
(deterministic unit vectors of the chunk text): the no-change path never
embeds, and search cost depends on the index size, not on what the vectors
mean; the query itself is embedded with the real model. Embedding 10k chunks
for real would take about 5 minutes on 2 cores (at the 34 chunks/s measured).

Prints a table and one JSON document (also written to ``--out``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml
from langchain_core.embeddings import Embeddings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from distractors import write_distractors  # noqa: E402

from ipwriter.config import load_settings  # noqa: E402
from ipwriter.knowledge.embed import E5Embeddings  # noqa: E402
from ipwriter.workspace import Workspace  # noqa: E402

BASELINE_CHARS = 500
DIM = 384


# --------------------------------------------------------------------------- embeddings
class HashEmbeddings(Embeddings):
    """Deterministic unit vectors of the text: fills an index without a model."""

    def _vec(self, text: str) -> list[float]:
        seed = int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:16], 16)
        v = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
        return (v / np.linalg.norm(v)).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return E5Embeddings().embed_query(text)  # the query is always real


class CachedEmbeddings(Embeddings):
    """Real e5 passages, remembered by text hash across runs (for development)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.inner = E5Embeddings()
        self.hits = self.misses = 0
        self.cache: dict[str, list[float]] = {}
        if path.is_file():
            data = np.load(path)
            self.cache = {k: data[k].tolist() for k in data.files}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        todo = [i for i, k in enumerate(keys) if k not in self.cache]
        self.hits += len(texts) - len(todo)
        self.misses += len(todo)
        if todo:
            for i, v in zip(todo, self.inner.embed_documents([texts[i] for i in todo])):
                self.cache[keys[i]] = v
        return [self.cache[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(self.path, **{k: np.asarray(v, dtype=np.float32) for k, v in self.cache.items()})


# --------------------------------------------------------------------------- helpers
def questions() -> list[dict]:
    qs = yaml.safe_load((ROOT / "benchmarks" / "questions.yaml").read_text(encoding="utf-8"))
    for q in qs:
        note = (ROOT / q["source"]).read_text(encoding="utf-8")
        assert q["passage"] in note, f"{q['id']}: passage not in {q['source']}"
        assert q["answer"] in q["passage"], f"{q['id']}: answer not in passage"
    return qs


def squash(text: str) -> str:
    return "".join(text.split())


def is_hit(q: dict, source: str, text: str) -> bool:
    return source == q["source"] and squash(q["answer"]) in squash(text)


def pct(values: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(values), p))


def make_workspace(root: Path, home: Path, embeddings: Embeddings, collection: str) -> Workspace:
    settings = load_settings(home=home, collection=collection, _env_file=None)
    return Workspace(root, settings, embeddings=(embeddings, "bench"))


def build_corpus(base: Path, n_distractors: int) -> Path:
    ws = base / "ws"
    shutil.copytree(ROOT / "knowledge", ws / "knowledge")
    shutil.copy(ROOT / "profile.yaml", ws / "profile.yaml")
    write_distractors(ws / "knowledge" / "more", n_distractors)
    return ws


# --------------------------------------------------------------------------- the baseline
class Baseline:
    """Fixed 500-character chunks of each file's text, dense e5 only, in Chroma."""

    def __init__(self, path: Path, embeddings: Embeddings) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self.embeddings = embeddings
        client = chromadb.PersistentClient(path=str(path),
                                           settings=ChromaSettings(anonymized_telemetry=False))
        self.col = client.get_or_create_collection("baseline", embedding_function=None,
                                                   configuration={"hnsw": {"space": "cosine"}})
        self.max_batch = min(5000, client.get_max_batch_size())

    def ingest(self, root: Path, files: list[Path]) -> int:
        ids, docs, metas = [], [], []
        for f in files:
            text = f.read_text(encoding="utf-8")
            source = f.relative_to(root).as_posix()
            for i in range(0, len(text), BASELINE_CHARS):
                ids.append(f"{source}#{i}")
                docs.append(text[i:i + BASELINE_CHARS])
                metas.append({"source": source})
        vectors = self.embeddings.embed_documents(docs)
        for i in range(0, len(ids), self.max_batch):
            j = i + self.max_batch
            self.col.upsert(ids=ids[i:j], embeddings=vectors[i:j], documents=docs[i:j],
                            metadatas=metas[i:j])
        return len(ids)

    def search(self, query: str, k: int = 5) -> list[tuple[str, str]]:
        res = self.col.query(query_embeddings=[self.embeddings.embed_query(query)], n_results=k,
                             include=["documents", "metadatas"])
        return [(m["source"], d) for m, d in zip(res["metadatas"][0], res["documents"][0])]


# --------------------------------------------------------------------------- phases
def evaluate(qs: list[dict], search) -> dict:
    recall = hit1 = 0
    misses = []
    for q in qs:
        results = search(q["question"])
        hits = [is_hit(q, s, t) for s, t in results[:5]]
        recall += any(hits)
        hit1 += bool(hits and hits[0])
        if not any(hits):
            misses.append(q["id"])
    n = len(qs)
    return {"recall@5": round(recall / n, 3), "hit@1": round(hit1 / n, 3), "missed": misses}


def quality_and_ingest(base: Path, n_distractors: int, cache: Path | None) -> dict:
    qs = questions()
    ws_root = build_corpus(base, n_distractors)
    files = sorted((ws_root / "knowledge").rglob("*.md"))
    emb: Embeddings = CachedEmbeddings(cache) if cache else E5Embeddings()

    out: dict = {"notes": len(files), "questions": len(qs)}
    ws = make_workspace(ws_root, base / "home", emb, "bench")
    try:
        started = time.perf_counter()
        report = ws.ingest()
        took = time.perf_counter() - started
        assert report.failed == 0, report.errors
        out["ipwriter"] = {"chunks": report.chunks, "facts": report.facts,
                           "ingest_s": round(took, 2),
                           "ingest_notes_per_s": round(len(files) / took, 2),
                           "ingest_chunks_per_s": round(report.chunks / took, 2)}
        started = time.perf_counter()
        again = ws.ingest()
        out["ipwriter"]["reingest_nochange_s"] = round(time.perf_counter() - started, 3)
        assert again.unchanged == len(files)

        def ours(q: str) -> list[tuple[str, str]]:
            return [(e.source, e.text) for e in ws.search(q, k=5)]

        out["ipwriter"].update(evaluate(qs, ours))
    finally:
        ws.close()

    baseline = Baseline(base / "baseline", emb)
    started = time.perf_counter()
    chunks = baseline.ingest(ws_root, files)
    took = time.perf_counter() - started
    out["baseline"] = {"chunks": chunks, "ingest_s": round(took, 2),
                       "ingest_notes_per_s": round(len(files) / took, 2),
                       "ingest_chunks_per_s": round(chunks / took, 2),
                       "reingest_nochange_s": round(took, 2)}  # no change detection
    out["baseline"].update(evaluate(qs, baseline.search))
    if isinstance(emb, CachedEmbeddings):
        out["embedding_cache"] = {"hits": emb.hits, "misses": emb.misses,
                                  "note": "ingest speeds are not valid when the cache served hits"}
        emb.save()
    return out


def nochange_1000(base: Path) -> dict:
    root = base / "ws1000"
    write_distractors(root / "knowledge", 1000, seed=11)
    ws = make_workspace(root, base / "home1000", HashEmbeddings(), "n1000")
    try:
        ws.ingest()
        started = time.perf_counter()
        r = ws.ingest()
        took = time.perf_counter() - started
        assert r.unchanged == 1000
        return {"notes": 1000, "chunks": r.chunks, "reingest_nochange_s": round(took, 3)}
    finally:
        ws.close()


def latency(base: Path, target_chunks: int, queries: list[str], repeat: int) -> dict:
    root = base / f"lat{target_chunks}"
    # distractor notes make 1–2 chunks each here; write until the index is big enough
    n_notes = int(target_chunks / 1.05)  # a distractor note is mostly one chunk
    write_distractors(root / "knowledge", n_notes, seed=target_chunks)
    ws = make_workspace(root, base / f"lat-home{target_chunks}", HashEmbeddings(), f"lat{target_chunks}")
    out: dict = {}
    try:
        report = ws.ingest()
        out["chunks"] = report.chunks
        for q in queries[:5]:
            ws.search(q, k=5)  # warm-up: model, BM25 index, caches
        samples = []
        for _ in range(repeat):
            for q in queries:
                t = time.perf_counter()
                ws.search(q, k=5)
                samples.append((time.perf_counter() - t) * 1000)
        out["ipwriter_ms"] = {"p50": round(pct(samples, 50), 1), "p95": round(pct(samples, 95), 1)}
    finally:
        ws.close()

    baseline = Baseline(base / f"baseline{target_chunks}", HashEmbeddings())
    files = sorted((root / "knowledge").rglob("*.md"))
    out["baseline_chunks"] = baseline.ingest(root, files)
    for q in queries[:5]:
        baseline.search(q)
    samples = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            baseline.search(q)
            samples.append((time.perf_counter() - t) * 1000)
    out["baseline_ms"] = {"p50": round(pct(samples, 50), 1), "p95": round(pct(samples, 95), 1)}
    return out


def table(result: dict) -> str:
    q, lat = result["quality"], result["latency"]
    ours, base = q["ipwriter"], q["baseline"]
    rows = [
        ("recall@5", ours["recall@5"], base["recall@5"]),
        ("hit@1", ours["hit@1"], base["hit@1"]),
        ("chunks", ours["chunks"], base["chunks"]),
        ("ingest notes/s", ours["ingest_notes_per_s"], base["ingest_notes_per_s"]),
        ("ingest chunks/s", ours["ingest_chunks_per_s"], base["ingest_chunks_per_s"]),
        (f"re-ingest, no change, {q['notes']} notes (s)", ours["reingest_nochange_s"],
         base["reingest_nochange_s"]),
        ("re-ingest, no change, 1000 notes (s)", result["nochange_1000"]["reingest_nochange_s"], "-"),
    ]
    for size, r in lat.items():
        rows.append((f"search p50 / p95 at {r['chunks']} chunks (ms)",
                     f"{r['ipwriter_ms']['p50']} / {r['ipwriter_ms']['p95']}",
                     f"{r['baseline_ms']['p50']} / {r['baseline_ms']['p95']}"))
    width = max(len(r[0]) for r in rows)
    lines = [f"{'':{width}}  {'ipwriter':>14}  {'baseline':>14}"]
    lines += [f"{name:{width}}  {str(a):>14}  {str(b):>14}" for name, a, b in rows]
    lines.append(f"missed by ipwriter: {ours['missed']}  ·  by the baseline: {base['missed']}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--distractors", type=int, default=500)
    ap.add_argument("--embed-cache", type=Path, default=None,
                    help="remember e5 vectors across runs (development; ingest speeds not valid)")
    ap.add_argument("--sizes", default="1000,10000", help="index sizes for the latency figures")
    ap.add_argument("--repeat", type=int, default=3, help="passes over the questions per size")
    ap.add_argument("--skip-latency", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "retrieval.json")
    args = ap.parse_args()

    base = Path(tempfile.mkdtemp(prefix="ipwriter-bench-"))
    try:
        result: dict = {"machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()}}
        t0 = time.perf_counter()
        result["quality"] = quality_and_ingest(base, args.distractors, args.embed_cache)
        print(f"quality + ingest: {time.perf_counter() - t0:.0f}s", file=sys.stderr)
        result["nochange_1000"] = nochange_1000(base)
        result["latency"] = {}
        if not args.skip_latency:
            qs = [q["question"] for q in questions()]
            for size in (int(s) for s in args.sizes.split(",")):
                t0 = time.perf_counter()
                result["latency"][str(size)] = latency(base, size, qs, args.repeat)
                print(f"latency at {size}: {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(table(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
