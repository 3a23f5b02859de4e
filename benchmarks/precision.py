"""How often the checks cry wolf on honest copy, and how often they catch a planted problem.

    .venv/bin/python benchmarks/precision.py

The corpus is ``tests/fixtures/precision`` (see its README): honest pieces written
from the demo notes, every number copied from a note, and planted pieces with one
real problem each. Per split — ``dev`` (the sets the checks were fixed on) and
``test`` (a set written by someone who never saw the checks, measured untouched) —
it prints:

- honest pieces reported ok, and pieces with no finding above info;
- false findings: blocking and advisory findings on honest copy, with their text;
- planted problems caught at their place (blocking, or advisory where that is the rule).

Then one JSON document. No model is loaded: the facts come from the demo notes
through the real loader, chunker and extractor.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.precision import (  # noqa: E402
    CORPUS,
    DEV_SETS,
    TEST_SETS,
    above_info,
    at_span,
    check,
    honest,
    planted,
)


def measure(sets: tuple[str, ...]) -> dict:
    pieces = [p for s in sets if (CORPUS / s / "honest").is_dir() for p in honest(s)]
    plants = [p for s in sets if (CORPUS / s / "planted.yaml").is_file() for p in planted(s)]
    ok = clean = 0
    false: list[dict] = []
    for p in pieces:
        report = check(p.text, p.platform, p.kind)
        ok += report.summary.ok
        found = above_info(report)
        clean += not found
        false += [{"piece": f"{p.path.parent.parent.name}/{p.path.stem}", "text": t, "level": lv}
                  for t, lv in found]
    caught, missed = 0, []
    for p in plants:
        report = check(p.text, p.platform, p.kind)
        levels = {lv for _, lv in at_span(report, p.text, p.span)}
        if ("block" in levels and not report.summary.ok) or (p.expect == "advise" and levels):
            caught += 1
        else:
            missed.append({"id": f"{p.set or 'precision'}/{p.id}", "span": p.span,
                           "problem": p.problem, "known": p.known_miss})
    return {"honest": len(pieces), "ok": ok, "clean": clean,
            "false_blocking": sum(f["level"] == "block" for f in false),
            "false_advisory": sum(f["level"] == "advise" for f in false), "false": false,
            "planted": len(plants), "caught": caught, "missed": missed}


def main() -> None:
    out = {}
    for split, sets in (("dev", DEV_SETS), ("test", TEST_SETS)):
        m = out[split] = measure(sets)
        if not m["honest"] and not m["planted"]:
            print(f"{split}: no pieces")
            continue
        print(f"{split}: honest {m['ok']}/{m['honest']} ok, {m['clean']}/{m['honest']} with no finding "
              f"above info; false findings: {m['false_blocking']} blocking, {m['false_advisory']} "
              f"advisory; planted {m['caught']}/{m['planted']} caught")
        for f in m["false"]:
            print(f"  false {f['level']:6} {f['piece']}: {f['text']}")
        for x in m["missed"]:
            known = f"  [known: {x['known']}]" if x["known"] else ""
            print(f"  missed {x['id']} ({x['problem']}): {x['span']}{known}")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
