"""HTML for drafts with inline marks, evidence with facts highlighted, and diffs."""

from __future__ import annotations

import difflib
import html
import re

from ipwriter.checks.models import CheckReport
from ipwriter.labels import LEVEL_LABELS, NO_RECORD_HINT, SEVERITY_LABELS, VERDICT_LABELS

_VERDICT_COLOR = {"grounded": "#1a7f37", "approx": "#2da44e", "derived": "#0969da",
                  "context_mismatch": "#bf8700", "ungrounded": "#cf222e"}
_LEVEL_COLOR = {"ban": "#cf222e", "caution": "#bf8700", "evidence": "#0969da"}
#: (colour, Chinese label) per verdict and per compliance level
VERDICT = {k: (c, VERDICT_LABELS[k]) for k, c in _VERDICT_COLOR.items()}
LEVEL = {k: (c, LEVEL_LABELS[k]) for k, c in _LEVEL_COLOR.items()}


def marked_html(text: str, report: CheckReport) -> str:
    """The draft with numbers coloured by verdict and findings underlined; hovering
    a mark shows its source quote or the rule and suggestion."""
    marks: list[tuple[int, int, str, str, str]] = []  # start, end, css, title, data-kind
    for n in report.numbers:
        color, label = VERDICT[n.verdict]
        why = f"{label}：{n.source.path}「{n.source.quote}」" if n.source else label
        if n.note:
            why += f"（{n.note}）"
        marks.append((n.start, n.end, f"color:{color};font-weight:600;border-bottom:2px solid {color}",
                      why, f"number-{n.verdict}"))
    for c in report.compliance:
        color, label = LEVEL[c.level]
        marks.append((c.start, c.end, f"text-decoration:underline wavy {color}",
                      f"{label}·{c.rule}（{c.basis}）：{c.suggestion}", f"compliance-{c.level}"))
    for v in report.vague:
        hint = "" if v.source else f"（{NO_RECORD_HINT}）"
        marks.append((v.start, v.end, "text-decoration:underline dotted #8250df",
                      f"模糊词 → {v.suggestion}{hint}", "vague"))
    # outermost first; a mark inside another is drawn inside it
    marks.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    out: list[str] = []
    pos = 0
    for start, end, css, title, kind in marks:
        if start < pos:  # overlaps a mark already drawn: skip rather than break the HTML
            continue
        out.append(_text(text[pos:start]))
        out.append(f'<span class="mark {kind}" data-kind="{kind}" style="{css}" '
                   f'title="{html_text(title)}">{_text(text[start:end])}</span>')
        pos = end
    out.append(_text(text[pos:]))
    body = "".join(out)
    return f'<div class="draft" style="line-height:1.9;font-size:1.02rem">{body}</div>'


# inline syntax anywhere (links, images, emphasis, code, HTML, math, tables, entities) …
# ("a_b" is never emphasis: an underscore between letters or digits stays as it is)
_MD_INLINE = re.compile(r"([\\`*\[\]<>~$|&]|(?<![^\W_])_|_(?![^\W_]))")
# … and what starts a block only at the start of a line (headings, quotes, lists, rules)
_MD_BLOCK = re.compile(r"^([ \t]*)(?:([#>+=\-])|(\d{1,9})([.)])(?=\s|$))", re.MULTILINE)
# the same characters as HTML entities: markup in an HTML block is never Markdown either
_HTML_MD = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]~$|"})


def md_text(s: str) -> str:
    """Text that Markdown shows as written (no links, images, emphasis or headings).
    A path or a number keeps its dots and dashes: only line starts can be blocks."""
    def block(m: re.Match[str]) -> str:  # "\#", "\-"; "1\." (a digit is no escape)
        return m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4))

    return _MD_BLOCK.sub(block, _MD_INLINE.sub(r"\\\1", s))


def md_code(s: str) -> str:
    """Text as a Markdown code span (a path): a fence longer than any run of backticks in it."""
    fence = "`" * (max(map(len, re.findall("`+", s)), default=0) + 1)
    return f"{fence} {s} {fence}"


def html_text(s: str) -> str:
    """Text inside the HTML we pass to ``st.markdown``: escaped, and no Markdown either."""
    return html.escape(s).translate(_HTML_MD)


def _text(s: str) -> str:
    """Draft text as HTML: escaped, line breaks kept (only in text, never in attributes)."""
    return html_text(s).replace("\n", "<br>")


def legend_html() -> str:
    items = [f'<span style="color:{c};font-weight:600">■ {label}</span>' for c, label in VERDICT.values()]
    items += ['<span style="text-decoration:underline wavy #cf222e">广告法/平台</span>',
              '<span style="text-decoration:underline dotted #8250df">模糊词</span>']
    return " &nbsp; ".join(items)


def evidence_html(text: str, facts) -> str:
    """A passage with its number facts highlighted."""
    spans = sorted({(text.find(f.text), f.text) for f in facts if f.text and text.find(f.text) >= 0})
    out, pos = [], 0
    for start, t in spans:
        if start < pos:
            continue
        out.append(html_text(text[pos:start]))
        out.append(f'<mark title="{html_text(t)}">{html_text(t)}</mark>')
        pos = start + len(t)
    out.append(html_text(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def diff_html(a: str, b: str, a_label: str, b_label: str) -> str:
    return difflib.HtmlDiff(wrapcolumn=40).make_table(
        a.splitlines(), b.splitlines(), a_label, b_label, context=True, numlines=2)


def summary_line(report: CheckReport) -> str:
    """One Markdown line: the check verdict at a glance."""
    s = report.summary
    counts: dict[str, int] = {}
    for n in report.numbers:
        counts[n.verdict] = counts.get(n.verdict, 0) + 1
    numbers = "、".join(f"{VERDICT[k][1]} {v}" for k, v in counts.items()) or "无数字"
    head = ":green[**检查通过**]" if s.ok else ":red[**需要修改**]"
    grades = " · ".join(f"{SEVERITY_LABELS[k]} {n}" for k, n in
                        (("block", s.blocking), ("advise", s.advisory), ("info", s.info)))
    return (f"{head}（{grades}）· 数字：{numbers} · 广告法禁用 {s.ban} · 慎用 {s.caution} · "
            f"模糊词 {s.vague}" + (f" · 结构问题 {len(report.structure)}" if report.structure else ""))


DIFF_CSS = """<style>
table.diff {font-size: .9rem; border-collapse: collapse; width: 100%}
table.diff td {padding: 2px 6px; vertical-align: top; white-space: pre-wrap}
.diff_add {background: #dafbe1} .diff_chg {background: #fff8c5} .diff_sub {background: #ffebe9}
.diff_header {color: #57606a} .diff_next {display: none}
</style>"""
