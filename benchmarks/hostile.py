"""Hostile files against the loaders and the ingest: time and peak memory of each.

    .venv/bin/python benchmarks/hostile.py [--code DIR]

Builds the probes in a temporary folder (a docx of millions of empty
paragraphs, a docx holding one 1.5 GB text node, a 5 MB note on one line, a
link to a file outside the workspace) and runs each in a child process, so its
peak RSS is its own. ``--code`` runs another checkout of ipwriter (e.g. a
``git worktree`` of an older commit) for a before/after table. The 5 MB note
is read and chunked, not embedded: the chunk count is what embedding would
cost. Prints one line per probe and a JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, re, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
def peak():  # this process's own high-water RSS in MB (ru_maxrss would include the parent's at fork)
    return int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)) // 1024
probe, path = sys.argv[2], Path(sys.argv[3])
started = time.perf_counter()
out = {}
try:
    if probe == "link":
        from ipwriter.knowledge import ingest as ing
        files, _, errors = ing.scan(path, [path / "knowledge"])
        out["outcome"] = f"{len(files)} file(s) to ingest, {len(errors)} skipped"
        out["outside_ingested"] = any("passwd" in s for s in files)
    else:
        from ipwriter.knowledge.load import load_document
        doc = load_document(path, "knowledge/" + path.name)
        out["outcome"] = f"loaded {len(doc.text)} characters"
        if probe == "one-line":
            from ipwriter.knowledge.chunk import chunk_document
            out["chunks"] = len(chunk_document(doc))
except Exception as exc:
    out["outcome"] = "refused: " + str(exc)[:90]
out["seconds"] = round(time.perf_counter() - started, 2)
out["peak_mb"] = peak()
print(json.dumps(out, ensure_ascii=False))
"""

DOC_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')


def docx(path: Path, body_parts) -> Path:
    """A docx made by python-docx, its body streamed from ``body_parts``."""
    from docx import Document

    Document().save(str(path))
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            if name != "word/document.xml":
                z.writestr(name, data)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(DOC_HEAD)
            for part in body_parts:
                f.write(part)
            f.write(b"</w:body></w:document>")
    return path


def probes(tmp: Path) -> dict[str, Path]:
    paras = docx(tmp / "paras.docx", (b"<w:p/>" * 100_000 for _ in range(30)))
    node = docx(tmp / "node.docx", [b"<w:p><w:r><w:t>", *(b"A" * 10_000_000 for _ in range(150)),
                                    b"</w:t></w:r></w:p>"])
    line = tmp / "one-line.md"
    line.write_text("第3期复盘学员33人续费12人，" * 140_000, encoding="utf-8")
    ws = tmp / "ws"
    (ws / "knowledge").mkdir(parents=True)
    (tmp / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    os.symlink(tmp / "passwd", ws / "knowledge" / "passwd.md")
    (ws / "knowledge" / "ok.md").write_text("# 复盘\n\n学员 33 人。\n", encoding="utf-8")
    return {"docx-empty-paragraphs": paras, "docx-one-text-node": node, "one-line": line, "link": ws}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--code", type=Path, default=ROOT, help="the ipwriter checkout to run")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as d:
        for name, path in probes(Path(d)).items():
            probe = "link" if name == "link" else ("one-line" if name == "one-line" else "file")
            size = path.stat().st_size if path.is_file() else 0
            r = subprocess.run([sys.executable, "-c", CHILD, str(args.code.resolve()), probe, str(path.resolve())],
                               capture_output=True, text=True, timeout=900, check=False)
            line = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
            res = json.loads(line) if line.startswith("{") else {"outcome": f"crashed: {r.stderr[-200:]}"}
            res["file_kb"] = size // 1024
            results[name] = res
            print(f"{name:24s} {size // 1024:>7} KB  {res.get('seconds', '-'):>6} s  "
                  f"peak {res.get('peak_mb', '-'):>5} MB  {res['outcome']}"
                  + (f"  ({res['chunks']} chunks)" if "chunks" in res else ""))
    print(json.dumps({"code": str(args.code), "probes": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
