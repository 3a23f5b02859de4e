"""How well the compliance checks read course sellers' copy: violations caught at
the right level and rule family, and honest copy left alone.

    .venv/bin/python benchmarks/checks_quality.py [--show-misses]

Two tables of sentences, each with its family (guarantee, income, price,
scarcity, disparage, authority, absolute, diversion, interaction, testimonial,
medical, honest), the platform, and the level expected (``none`` for honest
copy: no ``ban``, and no other level unless the table allows it):

- ``dev``: tests/fixtures/compliance/acceptance.yaml, the table the lexicon was
  fixed on (issue 13), and the blind sets already measured: each was written by
  someone who read neither the lexicon nor the other tables, measured once
  untouched, then tuned on (the first-look figures are in the README); the test
  suite requires all of them to pass;
- ``test``: the last blind set (``BLIND[-1]``), not tuned on: its figure is the
  quality claim. A new round adds a set at the end of ``BLIND``.

Per split it prints: violations caught (right family and level, nothing
stricter), caught with an evasion (invisible characters, fillers, pinyin, digits),
honest sentences left alone, per family; then one JSON document. Misses are
listed with ``--show-misses`` (reading them is tuning: say so if you fix any).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.acceptance import load_cases, verdict  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
#: Blind sets, each measured once untouched and then tuned on, in order (see the README).
BLIND = ("checks_holdout.yaml", "checks_holdout2.yaml", "checks_holdout3.yaml", "checks_holdout4.yaml")
DEV_TABLES = (ROOT / "tests" / "fixtures" / "compliance" / "acceptance.yaml",
              *(DATA / name for name in BLIND[:-1]))
SPLITS = {"dev": DEV_TABLES, "test": (DATA / BLIND[-1],)}


def measure(paths: tuple[Path, ...]) -> dict:
    cases = [c for p in paths for c in load_cases(p)]
    by_family: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    out = {"sentences": len(cases), "flagged": [0, 0], "evasion": [0, 0], "honest": [0, 0],
           "misses": []}
    for c in cases:
        problem = verdict(c)
        ok = problem is None
        bucket = "honest" if c.expect == "none" else "flagged"
        out[bucket][0] += ok
        out[bucket][1] += 1
        by_family[c.family][0] += ok
        by_family[c.family][1] += 1
        if c.evasion and c.expect != "none":
            out["evasion"][0] += ok
            out["evasion"][1] += 1
        if not ok:
            out["misses"].append({"id": c.id, "family": c.family, "platform": c.platform,
                                  "text": c.text, "why": problem})
    out["families"] = {k: v for k, v in sorted(by_family.items())}
    return out


def ratio(pair: list[int]) -> str:
    return f"{pair[0]}/{pair[1]} ({pair[0] / pair[1]:.0%})" if pair[1] else "0/0"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true", help="list every sentence read wrongly")
    args = ap.parse_args()
    results = {}
    for split, paths in SPLITS.items():
        missing = [p for p in paths if not p.is_file()]
        if missing:
            print(f"{split}: {', '.join(map(str, missing))} missing", file=sys.stderr)
            continue
        r = results[split] = measure(paths)
        names = " + ".join(str(p.relative_to(ROOT)) for p in paths)
        print(f"{split} ({names}, {r['sentences']} sentences)")
        print(f"  violations caught      {ratio(r['flagged'])}")
        print(f"    through an evasion   {ratio(r['evasion'])}")
        print(f"  honest left alone      {ratio(r['honest'])}")
        print("  per family             " + " · ".join(f"{k} {ratio(v)}" for k, v in r["families"].items()))
        if args.show_misses:
            for m in r["misses"]:
                print(f"    ✗ {m['id']} [{m['family']}/{m['platform']}] {m['text']}\n      {m['why']}")
    if not args.show_misses:
        for r in results.values():
            r["misses"] = [m["id"] for m in r["misses"]]
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
