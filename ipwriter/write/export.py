"""Export a draft to Markdown or Word (.docx): the text, the sources it cites
and what the checks still flag, so the file stands on its own. Every stored
draft was written by a model chain, so the export carries the AI-generated
label (《人工智能生成合成内容标识办法》, in force 2025-09-01: an explicit label
on generated text) and a reminder to declare it on the platform, unless the
setting ``IPWRITER_AI_LABEL=false`` turns both off. The label says 辅助: the
creator's edits do not make a model's draft their own typing."""

from __future__ import annotations

from pathlib import Path

from ipwriter.errors import ConfigError
from ipwriter.labels import LEVEL_LABELS, UNBACKED_VERDICTS, VERDICT_LABELS
from ipwriter.write.models import Draft

#: Verdicts listed under 发布前请处理 (a derived number: check the arithmetic).
_TO_HANDLE = (*UNBACKED_VERDICTS, "derived")


#: The explicit label (显式标识) put at the end of an exported draft.
AI_LABEL = "（本内容由 AI 辅助生成）"  # says nothing the tool cannot know (whether anyone edited it)


def _notes(draft: Draft, ai_label: bool = True) -> list[str]:
    out = []
    if ai_label:
        out.append("发布时在平台上勾选“AI 生成内容”声明（《人工智能生成合成内容标识办法》第十条）")
    for n in draft.report.numbers:
        if n.verdict in _TO_HANDLE:
            out.append(f"数字「{n.text}」：{VERDICT_LABELS[n.verdict]}" + (f"（{n.note}）" if n.note else ""))
    for c in draft.report.compliance:
        out.append(f"「{c.text}」：{LEVEL_LABELS[c.level]}，{c.rule}（{c.basis}）")
    for s in draft.report.structure:
        out.append(f"结构：{s.problem}")
    return out


def to_markdown(draft: Draft, ai_label: bool = True) -> str:
    lines = [f"<!-- ipwriter {draft.draft_id} v{draft.version} · {draft.chain} · {draft.status} -->",
             "", draft.text.strip(), ""]
    if ai_label:
        lines += [AI_LABEL, ""]
    if draft.citations:
        lines += ["---", "", "资料来源：", ""]
        lines += [f"[{c.n}] {c.source}：{c.quote}" for c in draft.citations]
        lines.append("")
    notes = _notes(draft, ai_label)
    if notes:
        lines += ["---", "", "发布前请处理：", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(lines)


def to_docx(draft: Draft, path: Path, ai_label: bool = True) -> None:
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
    if ai_label:
        doc.add_paragraph(AI_LABEL)
    if draft.citations:
        doc.add_heading("资料来源", level=2)
        for c in draft.citations:
            doc.add_paragraph(f"[{c.n}] {c.source}：{c.quote}")
    notes = _notes(draft, ai_label)
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


def export(draft: Draft, fmt: str, path: Path, ai_label: bool = True) -> Path:
    """Write the draft to ``path`` as Markdown or Word; returns the path."""
    check_format(fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "md":
        path.write_text(to_markdown(draft, ai_label), encoding="utf-8")
    else:
        to_docx(draft, path, ai_label)
    return path
