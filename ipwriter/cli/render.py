"""Terminal rendering (rich); presentation only: :func:`safe_text` for every
string that is not ours, and check reports."""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ipwriter.checks.models import CheckReport
from ipwriter.labels import LEVEL_LABELS, NO_RECORD_HINT, SEVERITY_LABELS, VERDICT_LABELS

VERDICT_STYLE = {
    "grounded": "bold green",
    "approx": "green",
    "derived": "cyan",
    "context_mismatch": "bold yellow",
    "ungrounded": "bold red",
}
LEVEL_STYLE = {"ban": "bold white on red", "caution": "black on yellow", "evidence": "underline blue"}
# C0/C1 controls, and the marks, overrides and isolates that reorder a line (U+202E …)
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _picture(c: str) -> str:
    """A visible stand-in of one character: ␊ ␛ ␡ for C0 and DEL, � for the rest."""
    code = ord(c)
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


def safe_text(value: object, style: str = "", *, lines: bool = False) -> Text:
    """A string from a creator, a note, a model or a file path, to print: rich ``Text``,
    so ``[/bold]`` is never markup and ``:x:`` never an emoji, and nothing highlighted.
    Control and bidi characters become visible one for one (offsets keep), except line
    breaks and tabs with ``lines`` (a passage, a draft: not a name or a message)."""
    def picture(m: re.Match[str]) -> str:
        return m.group() if lines and m.group() in "\n\t" else _picture(m.group())

    return Text(_HIDDEN.sub(picture, str(value)), style=style)


def marked_text(text: str, report: CheckReport) -> Text:
    """The draft with every finding styled in place."""
    out = safe_text(text, lines=True)
    for v in report.vague:
        out.stylize("underline magenta", v.start, v.end)
    for c in report.compliance:
        out.stylize(LEVEL_STYLE[c.level], c.start, c.end)
    for n in report.numbers:
        out.stylize(VERDICT_STYLE[n.verdict], n.start, n.end)
    return out


def print_report(console: Console, text: str, report: CheckReport) -> None:
    console.print(marked_text(text, report))
    console.print()
    if report.numbers:
        t = Table(title="数字", show_lines=False)
        for col in ("数字", "结论", "依据 / 说明"):
            t.add_column(col, overflow="fold")
        for n in report.numbers:
            why = f"{n.source.path}：{n.source.quote}" if n.source else ""
            if n.note:
                why = f"{n.note}  {why}".strip()
            t.add_row(safe_text(n.text), Text(VERDICT_LABELS[n.verdict], style=VERDICT_STYLE[n.verdict]),
                      safe_text(why))
        console.print(t)
    if report.compliance:
        t = Table(title="广告法与平台规则")
        for col in ("原文", "级别", "规则", "依据", "建议"):
            t.add_column(col, overflow="fold")
        for c in report.compliance:
            t.add_row(safe_text(c.text), Text(LEVEL_LABELS[c.level], style=LEVEL_STYLE[c.level]),
                      safe_text(c.rule), safe_text(c.basis), safe_text(c.suggestion))
        console.print(t)
    if report.vague:
        t = Table(title="模糊词 → 数字")
        for col in ("原文", "建议"):
            t.add_column(col, overflow="fold")
        for v in report.vague:
            hint = f"（{v.source.path}）" if v.source else f"（{SEVERITY_LABELS['info']}：{NO_RECORD_HINT}）"
            t.add_row(safe_text(v.text), safe_text(v.suggestion + hint))
        console.print(t)
    for s in report.structure:
        label = ("结构·必须改", "red") if s.blocking else ("结构·建议", "yellow")
        console.print(Text.assemble(label, " ", safe_text(s.problem), " → ", safe_text(s.suggestion)))
    for notice in report.notices:
        console.print(Text.assemble(("提醒", "cyan"), " ", safe_text(notice)))
    s = report.summary
    verdict = "[green]通过[/green]" if s.ok else "[red]需要修改[/red]"
    console.print(f"{verdict}  {SEVERITY_LABELS['block']} {s.blocking} · {SEVERITY_LABELS['advise']} "
                  f"{s.advisory} · {SEVERITY_LABELS['info']} {s.info}（无据数字 {s.ungrounded} · "
                  f"禁用 {s.ban} · 慎用 {s.caution} · 模糊词 {s.vague} · 结构问题 {len(report.structure)}）",
                  highlight=False)
    if s.ok and (s.advisory or s.info):
        console.print("[dim]“通过”只看必须改的问题（禁用词、无据或语境不符的数字、坏掉的输出）；"
                      "建议和提示不影响通过，值得看一眼。[/dim]", highlight=False)
