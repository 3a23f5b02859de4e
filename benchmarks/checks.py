"""How fast a draft is checked: a 2,000-character draft against the demo
knowledge base's facts (numbers, vague words, 广告法/platform lexicon, structure).

    .venv/bin/python benchmarks/checks.py [--chars 2000] [--runs 300]
    .venv/bin/python benchmarks/checks.py --sweep [--shape prose]   # 2k, 26k, 206k chars, 1 MB
    .venv/bin/python benchmarks/checks.py --mb 1 [--shape prose]    # one size, in MB of UTF-8

Facts come straight from the demo notes (load → chunk → extract, no embeddings),
so this measures the checks alone. Prints one line per part and a JSON document.

``--sweep`` and ``--mb`` time one whole check per size (``run_checks``, as
``ipwriter check`` runs it) and each part on its own, to show the time grows
with the text and no faster. ``--shape`` picks what the large draft is made of:
``prose`` (the sentences below, with paragraphs), ``varied`` (the same with
every digit drawn at random, so few numbers repeat), ``one-line`` (no sentence
end and no line break: one sentence of clauses) or ``no-marks`` (no punctuation
at all: one clause).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from pathlib import Path

from ipwriter.checks import NumberChecker, run_checks
from ipwriter.checks.compliance import check_compliance
from ipwriter.checks.structure import degenerate, post_parts
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
SHAPES = ("prose", "varied", "one-line", "no-marks")
SWEEP = (("2k", 2000, None), ("26k", 26000, None), ("206k", 206000, None), ("1 MB", None, 1.0))


def draft(chars: int) -> str:
    out, i, n = [], 0, 0
    while n < chars:
        out.append(SENTENCES[i % len(SENTENCES)])
        n += len(out[-1])
        i += 1
        if i % 4 == 0:
            out.append("\n\n")
            n += 2
    return "".join(out)[:chars]


def shaped(chars: int, shape: str) -> str:
    """A draft of ``chars`` characters in one of :data:`SHAPES`."""
    text = draft(chars)
    if shape == "varied":
        rng = random.Random(13)
        return re.sub(r"\d", lambda _: str(rng.randint(0, 9)), text)
    if shape == "one-line":
        return re.sub(r"[。！？\n]", "，", text)
    if shape == "no-marks":
        return re.sub(r"[，。！？：\n]", "", draft(chars * 11 // 10))[:chars]
    return text


def sized(mb: float, shape: str) -> str:
    """A draft of ``mb`` megabytes (10**6 bytes) of UTF-8."""
    text = shaped(int(mb * 10**6 / 2.5), shape)
    while len(text.encode()) < mb * 10**6:
        text = shaped(len(text) * 11 // 10, shape)
    cut = len(text)
    while len(text[:cut].encode()) > mb * 10**6:
        cut -= max(1, (len(text[:cut].encode()) - int(mb * 10**6)) // 3)
    return text[:cut]


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


def seconds(fn) -> float:
    t = time.perf_counter()
    fn()
    return round(time.perf_counter() - t, 3)


def one_size(text: str, checker: NumberChecker, facts) -> dict:
    """The first whole check of ``text`` (nothing of it in any cache yet), then
    each part on its own, in seconds."""
    t = time.perf_counter()
    report = run_checks(text, checker, platform="xiaohongshu", kind="post", attitudes=["不割韭菜"])
    whole = round(time.perf_counter() - t, 3)
    return {
        "chars": len(text), "bytes": len(text.encode()),
        "findings": {"numbers": len(report.numbers), "vague": len(report.vague),
                     "compliance": len(report.compliance)},
        "s": {
            "all checks": whole,
            "numbers": seconds(lambda: checker.check(text)),
            "vague": seconds(lambda: find_vague(text, facts)),
            "compliance": seconds(lambda: check_compliance(text, "xiaohongshu", [])),
            "structure": seconds(lambda: (degenerate(text), post_parts(text, [], ["不割韭菜"]))),
        },
    }


def sweep(sizes, shape: str, checker: NumberChecker, facts) -> list[dict]:
    run_checks(shaped(2000, shape), checker, platform="xiaohongshu", kind="post")  # warm
    rows = []
    print(f"shape {shape}: seconds per whole check (run_checks), then per part")
    for label, chars, mb in sizes:
        text = sized(mb, shape) if mb else shaped(chars, shape)
        row = {"size": label, "shape": shape, **one_size(text, checker, facts)}
        rows.append(row)
        s = row["s"]
        print(f"  {label:>6} {row['chars']:>8} chars {row['bytes']:>8} B   all {s['all checks']:7.3f} s"
              f"   numbers {s['numbers']:.3f}  vague {s['vague']:.3f}  compliance "
              f"{s['compliance']:.3f}  structure {s['structure']:.3f}")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chars", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--sweep", action="store_true", help="2k, 26k, 206k characters and 1 MB")
    ap.add_argument("--mb", type=float, help="one draft of this many MB (UTF-8), timed once")
    ap.add_argument("--shape", choices=SHAPES, default="prose")
    args = ap.parse_args()

    t = time.perf_counter()
    facts = facts_of_demo()
    checker = NumberChecker(facts)
    prep_ms = (time.perf_counter() - t) * 1000
    if args.sweep or args.mb:
        sizes = SWEEP if args.sweep else ((f"{args.mb:g} MB", None, args.mb),)
        rows = sweep(sizes, args.shape, checker, facts)
        print(json.dumps({"facts": len(facts), "sizes": rows}, ensure_ascii=False))
        return
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
