"""Each writing chain once on the demo workspace with the configured model
(the bundled local one by default): wall time, model calls, prompt size in
characters, tokens, and whether the checks passed.

    .venv/bin/python benchmarks/chains.py [--chains post,rewrite,script,pack]

Runs in a temporary copy of the demo workspace (profile.yaml + knowledge/);
prints one line per chain and a JSON document.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler

from ipwriter.config import load_settings
from ipwriter.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
REWRITE_INPUT = "我的小红书涨粉很快，私信咨询特别多，学员反馈效果显著，续费的人也很多。"


class PromptMeter(BaseCallbackHandler):
    """Counts model calls and the characters of every prompt sent."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        for convo in messages:
            self.calls.append(sum(len(m.text) for m in convo))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chains", default="post,rewrite,script,pack")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        root.mkdir()
        shutil.copy(ROOT / "profile.yaml", root / "profile.yaml")
        shutil.copytree(ROOT / "knowledge", root / "knowledge")
        ws = Workspace(root, load_settings(home=root / ".ipwriter"))
        t = time.perf_counter()
        ws.ingest()
        ingest_s = time.perf_counter() - t
        t = time.perf_counter()
        ws.llm  # noqa: B018 - load the model outside the chain timings
        load_s = time.perf_counter() - t
        product = ws.profile().products[1].name
        runs = {
            "post": lambda: ws.write("post", topic="粉丝不多，也能靠私信和朋友圈卖出第一单",
                                     platform="xiaohongshu"),
            "rewrite": lambda: ws.write("rewrite", text=REWRITE_INPUT),
            "script": lambda: ws.write("script", product=product, minutes=60),
            "pack": lambda: ws.write("pack", case="knowledge/05-live-stream-cohort-3-enrollment.md"),
        }
        out: dict[str, Any] = {"model": f"{ws.llm.provider}/{ws.llm.model_name}",
                               "compact": ws.settings.compact_mode, "ingest_s": round(ingest_s, 1),
                               "model_load_s": round(load_s, 2), "chains": {}}
        for name in args.chains.split(","):
            meter = PromptMeter()
            ws.llm.chat.callbacks = [meter]
            t = time.perf_counter()
            draft = runs[name]()
            seconds = time.perf_counter() - t
            out["chains"][name] = {
                "seconds": round(seconds, 1), "model_calls": len(meter.calls),
                "prompt_chars": meter.calls, "tokens": draft.usage,
                "text_chars": len(draft.text), "checks_ok": draft.report.summary.ok,
                "ungrounded": draft.report.summary.ungrounded,
            }
            print(f"{name:<8} {seconds:6.1f} s  {len(meter.calls)} call(s)  prompt chars {meter.calls}  "
                  f"text {len(draft.text)} chars  checks ok={draft.report.summary.ok}", flush=True)
        ws.close()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
