"""Local-model figures on this machine: load time and tokens per second.

    .venv/bin/python benchmarks/local_model.py [--runs 3] [--threads N]

Prints one JSON document: GGUF assembly time, model load time (cold, in this
process), prompt-eval and generation speed (median over runs) for free text
and for grammar-constrained JSON, and one structured call end to end.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time

from ipwriter.config import load_settings, physical_cores
from ipwriter.llm import invoke_structured, make_chat_model
from ipwriter.llm.local import load_llama, packaged_gguf

PROMPT = ("你是知识型博主阿岚（阿岚聊私域）的文案助手。请用三段话介绍私域运营的第一步："
          "先想清楚用户是谁、在哪、要什么，再设计一个低价引流产品，最后用朋友圈建立信任。")


def stream_once(llama, response_format=None, max_tokens=128) -> dict:
    llama.reset()  # no prefix-cache hits: every run evaluates the whole prompt
    started = time.perf_counter()
    first = None
    tokens = 0
    for part in llama.create_chat_completion(
        messages=[{"role": "user", "content": PROMPT}], stream=True, max_tokens=max_tokens,
        temperature=0.3, repeat_penalty=1.15, response_format=response_format, seed=7,
    ):
        if part["choices"][0]["delta"].get("content"):
            tokens += 1
            if first is None:
                first = time.perf_counter()
    end = time.perf_counter()
    prompt_tokens = len(llama.tokenize(PROMPT.encode("utf-8")))
    return {
        "prompt_tokens": prompt_tokens,
        "time_to_first_token_s": round(first - started, 3),
        "generated_tokens": tokens,
        "generation_tokens_per_s": round((tokens - 1) / (end - first), 1) if tokens > 1 else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()
    threads = args.threads or physical_cores()

    t = time.perf_counter()
    path = packaged_gguf()
    assemble_s = time.perf_counter() - t
    t = time.perf_counter()
    llama = load_llama(str(path), 4096, threads)
    load_s = time.perf_counter() - t

    schema = {"type": "object", "required": ["title", "points"], "properties": {
        "title": {"type": "string", "maxLength": 20},
        "points": {"type": "array", "minItems": 3, "maxItems": 3,
                   "items": {"type": "string", "maxLength": 40}}}}
    free = [stream_once(llama) for _ in range(args.runs)]
    constrained = [stream_once(llama, {"type": "json_object", "schema": schema})
                   for _ in range(args.runs)]

    def med(rows, key):
        values = [r[key] for r in rows if r[key] is not None]
        return statistics.median(values) if values else None

    handle = make_chat_model(load_settings(local_threads=threads))
    from ipwriter.write.selftest import SelfTestReply

    t = time.perf_counter()
    result = invoke_structured(handle, SelfTestReply, [("human", "阿岚聊私域，关键词实操。自我介绍一句。")])
    structured_s = time.perf_counter() - t

    print(json.dumps({
        "machine": {"cpu": platform.processor() or platform.machine(), "threads": threads},
        "model": path.name,
        "assemble_s": round(assemble_s, 3),
        "load_s": round(load_s, 3),
        "free_text": {"runs": args.runs,
                      "time_to_first_token_s": med(free, "time_to_first_token_s"),
                      "generation_tokens_per_s": med(free, "generation_tokens_per_s"),
                      "generated_tokens": med(free, "generated_tokens"),
                      "prompt_tokens": free[0]["prompt_tokens"]},
        "json_grammar": {"runs": args.runs,
                         "time_to_first_token_s": med(constrained, "time_to_first_token_s"),
                         "generation_tokens_per_s": med(constrained, "generation_tokens_per_s"),
                         "generated_tokens": med(constrained, "generated_tokens")},
        "structured_call": {"seconds": round(structured_s, 2), "attempts": result.attempts,
                            "output_tokens": result.usage["output_tokens"]},
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
