"""How fast a brief (素材提纲) is made, with no model: every chain on the demo
workspace, in one process.

    .venv/bin/python benchmarks/brief.py [--runs 20]

The demo notes are ingested once into a temporary workspace with a hashing
embedder (a brief never embeds: it reads the catalog). Prints the first brief
(jieba, bm25s and the lexicons load then) and the p50/max of later ones per
chain, then a JSON document.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from langchain_core.embeddings import Embeddings

from ipwriter.config import load_settings
from ipwriter.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = {
    "post": [{"topic": t, "platform": p} for t, p in (
        ("粉丝不多，也能靠私信和朋友圈卖出第一单", "xiaohongshu"), ("社群复购怎么做", "moments"),
        ("直播间怎么做他证", "douyin"), ("公众号文章怎么涨粉", "wechat"))],
    "script": [{"product": p, "minutes": 90}
               for p in ("7天小红书起号营", "私域变现实战营", "一对一私域诊断")],
    "pack": [{"case": "knowledge/06-student-results-third-party-proof.md"},
             {"case": "knowledge/01-xiaohongshu-zero-to-23k-followers.md"}],
    "rewrite": [{"text": "我们的学员很多，好评如潮，私信咨询也很多。"}],
}


class Hashing(Embeddings):
    """Ingest needs vectors; a brief never reads them."""

    def _one(self, text: str) -> list[float]:
        digest = hashlib.sha256(text.encode()).digest()
        return [b / 255 for b in digest[:16]]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._one(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._one(text)


def ingest(root: Path) -> None:
    settings = load_settings(home=root / ".ipwriter", _env_file=None)
    with Workspace(root, settings, embeddings=(Hashing(), "hash16")) as ws:
        ws.ingest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(ROOT / "profile.yaml", root / "profile.yaml")
        shutil.copytree(ROOT / "knowledge", root / "knowledge")
        # ingest in another process, so this one starts cold (nothing loaded) like a CLI call
        child = multiprocessing.get_context("spawn").Process(target=ingest, args=(root,))
        child.start()
        child.join()
        settings = load_settings(home=root / ".ipwriter", _env_file=None)
        ws = Workspace(root, settings, embeddings=(Hashing(), "hash16"))
        started = time.perf_counter()
        ws.brief("post", REQUESTS["post"][0])
        first = time.perf_counter() - started
        figures: dict[str, dict[str, float]] = {}
        for chain, requests in REQUESTS.items():
            times = []
            for _ in range(args.runs):
                for request in requests:
                    t = time.perf_counter()
                    ws.brief(chain, request)
                    times.append(time.perf_counter() - t)
            figures[chain] = {"p50_ms": round(statistics.median(times) * 1000, 1),
                              "max_ms": round(max(times) * 1000, 1), "n": len(times)}
            f = figures[chain]
            print(f"{chain:8s} p50 {f['p50_ms']:7.1f} ms   max {f['max_ms']:7.1f} ms   ({len(times)} briefs)")
        print(f"first brief in the process (loads jieba, bm25s, lexicons): {first * 1000:.0f} ms")
        print(json.dumps({"first_ms": round(first * 1000), "chains": figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
