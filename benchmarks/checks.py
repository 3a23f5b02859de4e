"""How fast a draft is checked: a 2,000-character draft against the demo
knowledge base's facts (numbers, vague words, 广告法/platform lexicon, structure).

    .venv/bin/python benchmarks/checks.py [--chars 2000] [--runs 300]

Facts come straight from the demo notes (load → chunk → extract, no embeddings),
so this measures the checks alone. Prints one line per part and a JSON document.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from ipwriter.checks import NumberChecker, run_checks
from ipwriter.checks.compliance import check_compliance
from ipwriter.checks.vague import find_vague
from ipwriter.knowledge.chunk import chunk_document
from ipwriter.knowledge.facts import extract_facts
from ipwriter.knowledge.load import load_document

ROOT = Path(__file__).resolve().parent.parent

# sentences a draft is made of: grounded and invented numbers, vague words,
# absolute terms, platform contact bait, plain prose
SENTENCES = [
    "我的小红书从0开始，5个月涨到2.3万粉，私信咨询约1300条我全部亲自回。",
    "第三期训练营一共招了126位学员，续费率做到了43%左右。",
    "这门课是全网最好的私域课，效果显著，好评如潮。",
    "很多学员反馈说方法很实用，大量同学都拿到了结果。",
    "想要资料的姐妹加我V信，评论区扣1。",
    "直播那天在线人数最高到了3000多人，成交了58单，客单价399元。",
    "我做这件事的态度很简单：不割韭菜，只教自己做过的。",
    "第一步先把人设立住，第一次发笔记不要急着带货。",
    "去年我又把一对一诊断的价格调到了6800元，交付四周。",
    "其实你不需要一夜爆红，先把每一个来问的人当朋友，保证你三个月月入过万。",
]


def draft(chars: int) -> str:
    out, i = [], 0
    while sum(map(len, out)) < chars:
        out.append(SENTENCES[i % len(SENTENCES)])
        i += 1
        if i % 4 == 0:
            out.append("\n\n")
    return "".join(out)[:chars]


def facts_of_demo():
    facts = []
    for path in sorted((ROOT / "knowledge").glob("*.md")):
        doc = load_document(path, f"knowledge/{path.name}")
        for chunk in chunk_document(doc):
            facts.extend(extract_facts(chunk))
    return facts


def timed(fn, runs: int) -> dict[str, float]:
    fn()  # warm: lexicons, jieba dictionary, automatons
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {"p50": round(statistics.median(samples), 2),
            "p95": round(samples[int(len(samples) * 0.95) - 1], 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chars", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=300)
    args = ap.parse_args()

    t = time.perf_counter()
    facts = facts_of_demo()
    checker = NumberChecker(facts)
    prep_ms = (time.perf_counter() - t) * 1000
    text = draft(args.chars)
    report = run_checks(text, checker, platform="xiaohongshu", kind="post", attitudes=["不割韭菜"])
    result = {
        "chars": len(text), "facts": len(facts), "prepare_facts_ms": round(prep_ms, 1),
        "findings": {"numbers": len(report.numbers), "vague": len(report.vague),
                     "compliance": len(report.compliance), "structure": len(report.structure)},
        "ms": {
            "all checks": timed(lambda: run_checks(text, checker, platform="xiaohongshu", kind="post",
                                                   attitudes=["不割韭菜"]), args.runs),
            "numbers": timed(lambda: checker.check(text), args.runs),
            "vague": timed(lambda: find_vague(text, facts), args.runs),
            "compliance": timed(lambda: check_compliance(text, "xiaohongshu", []), args.runs),
        },
    }
    print(f"{result['chars']}-character draft, {result['facts']} facts "
          f"(prepared in {result['prepare_facts_ms']} ms), {args.runs} runs")
    for part, ms in result["ms"].items():
        print(f"  {part:<12} p50 {ms['p50']:>7.2f} ms   p95 {ms['p95']:>7.2f} ms")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
