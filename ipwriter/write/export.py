"""Export a draft to Markdown or Word (.docx): the text, the sources it cites
and what the checks still flag, so the file stands on its own."""

from __future__ import annotations

from pathlib import Path

from ipwriter.errors import ConfigError
from ipwriter.labels import LEVEL_LABELS, UNBACKED_VERDICTS, VERDICT_LABELS
from ipwriter.write.models import Draft

#: Verdicts listed under 发布前请处理 (a derived number: check the arithmetic).
_TO_HANDLE = (*UNBACKED_VERDICTS, "derived")


def _notes(draft: Draft) -> list[str]:
    out = []
    for n in draft.report.numbers:
        if n.verdict in _TO_HANDLE:
            out.append(f"数字「{n.text}」：{VERDICT_LABELS[n.verdict]}" + (f"（{n.note}）" if n.note else ""))
    for c in draft.report.compliance:
        out.append(f"「{c.text}」：{LEVEL_LABELS[c.level]}，{c.rule}（{c.basis}）")
    for s in draft.report.structure:
        out.append(f"结构：{s.problem}")
    return out


def to_markdown(draft: Draft) -> str:
    lines = [f"<!-- ipwriter {draft.draft_id} v{draft.version} · {draft.chain} · {draft.status} -->",
             "", draft.text.strip(), ""]
    if draft.citations:
        lines += ["---", "", "资料来源：", ""]
        lines += [f"[{c.n}] {c.source}：{c.quote}" for c in draft.citations]
        lines.append("")
    notes = _notes(draft)
    if notes:
        lines += ["---", "", "发布前请处理：", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(lines)


def to_docx(draft: Draft, path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_heading(draft.title or draft.chain, level=1)
    for block in draft.text.strip().split("\n\n"):
        block = block.strip()
        if not block:
            continue
        if block.startswith("## "):
            doc.add_heading(block[3:].splitlines()[0], level=2)
            block = "\n".join(block.splitlines()[1:])
        elif block.startswith("# "):
            doc.add_heading(block[2:].splitlines()[0], level=1)
            block = "\n".join(block.splitlines()[1:])
        if block:
            doc.add_paragraph(block)
    if draft.citations:
        doc.add_heading("资料来源", level=2)
        for c in draft.citations:
            doc.add_paragraph(f"[{c.n}] {c.source}：{c.quote}")
    notes = _notes(draft)
    if notes:
        doc.add_heading("发布前请处理", level=2)
        for n in notes:
            doc.add_paragraph(n, style="List Bullet")
    doc.core_properties.title = draft.title
    doc.save(str(path))


FORMATS = ("md", "docx")


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ConfigError(f"导出格式只能是 md 或 docx，而不是 {fmt}", "format must be md or docx")
    return fmt


def export(draft: Draft, fmt: str, path: Path) -> Path:
    """Write the draft to ``path`` as Markdown or Word; returns the path."""
    check_format(fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "md":
        path.write_text(to_markdown(draft), encoding="utf-8")
    else:
        to_docx(draft, path)
    return path
