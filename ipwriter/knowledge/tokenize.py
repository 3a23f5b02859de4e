"""Chinese tokens for BM25: jieba word boundaries plus search sub-words,
with the domain's own vocabulary (``text.words``) so 私域, 起号营, 复购率 stay whole.

Numbers are where a creator's notes differ most from one another ("第3期" vs
"第6期", "2.3万粉" vs "2.6万粉"), and jieba cuts them into pieces ("2", ".",
"3", "万"). So each number claim also becomes one normalised token
("#23000", "#23000粉" for "2.3万粉" and "两万三千粉" alike), and each ordinal
one token ("第3期" for "第三期"), and each month one token ("3月" for "三月份" and
"3月6日" alike). Query and passages go through the same code.

Before jieba cuts a text, each number claim and ordinal is set apart by spaces:
jieba reads a run of digits on its own and then segments what follows as a new
block, so "21天辅食启蒙营" gave "天辅食" and "第5期辅食营" gave "期辅", "食营", and
the question and the note it asks about shared no word for 辅食. "1对1" and
"一对一" (the commonest product name in paid knowledge) become one token, as do
the festivals (618 = 年中大促 = 六月大促; 双十一 = 11.11; 三八节 = 女神节 = 3月8日).
"""

from __future__ import annotations

import re
import unicodedata

from ipwriter.text.numbers import find_numbers, parse_number
from ipwriter.text.words import jieba

_STOP = set("的 了 和 是 在 也 就 都 而 及 与 着 或 一个 没有 我们 你们 他们 这 那 之 把 被 让 给 "
            "吗 呢 吧 啊 么 什么 怎么 多少 哪 哪些 哪次 有没有 是否 几 个 里 中 上 下".split())
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
_MONTH = re.compile(r"(?<![0-9.．零〇一二两三四五六七八九十百])([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月(?![亮饼嫂子])")
# "1对1" is the commonest product name in paid knowledge; jieba already gives "一对一"
_ONE_ON_ONE = re.compile(r"(?<![0-9统])[1一][ \t]*对[ \t]*[1一](?![0-9])")
_ORDINAL = re.compile(r"第\s*([0-9０-９]+|[零〇一二两三四五六七八九十百]+)\s*([期段周次篇天个步届轮批课章节名])")
# The festivals creators name several ways (a live stream's review says 618, the question
# 年中大促): one token each. A count, price, rate or date of another kind is no festival:
# "618人", "6月18人报名", "6.18%", "¥618", "11.11元".
# (text/numbers.py keeps 双11 and 618大促 out of number claims; this table is for search.)
_NOT_FESTIVAL = r"(?![0-9.%])(?![ \t]*[人元块单份个件位次名条万千百粉盒张号%])"
_FESTIVALS = [
    ("@618", re.compile(rf"(?<![0-9.¥$￥第价])618{_NOT_FESTIVAL}|(?<![0-9.])6[ \t]*[.·月][ \t]*18{_NOT_FESTIVAL}"
                        rf"|(?<=[0-9]{{4}}[.·/-])6[.·/-]18(?![0-9])"
                        r"|(年中|六月|6月)[^，。！？,.\s]{0,4}大促|年中促")),
    ("@1111", re.compile(rf"双[ \t]*(十一|11)(?![0-9])|(?<![0-9.])11[ \t]*[.·月][ \t]*11{_NOT_FESTIVAL}")),
    ("@1212", re.compile(rf"双[ \t]*(十二|12)(?![0-9])|(?<![0-9.])12[ \t]*[.·月][ \t]*12{_NOT_FESTIVAL}")),
    ("@38", re.compile(r"三八节|妇女节|女神节|(?<![0-9.])3[ \t]*[.·][ \t]*8[ \t]*节|(?<![0-9])3月8日")),
    ("@61", re.compile(r"儿童节|六一(?=节|当天|那天|活动|直播)|(?<![0-9])6月1日")),
]


def _num(value: float) -> str:
    return f"{value:.6g}" if not float(value).is_integer() else str(int(value))


def number_tokens(text: str, spans: list[tuple[int, int]] | None = None) -> list[str]:
    """One token per number claim and per ordinal: "#23000", "#23000粉", "第3期".
    ``spans``, when given, receives each claim's and ordinal's (start, end)."""
    out: list[str] = []
    for span in find_numbers(text):
        value = _num(span.value) + (f"-{_num(span.high)}" if span.high is not None else "")
        out.append(f"#{value}")
        if span.unit:
            out.append(f"#{value}{span.unit}")
        if spans is not None:
            spans.append((span.start, span.end))
    for m in _ORDINAL.finditer(text):
        n = parse_number(m.group(1))
        if n is not None:
            out.append(f"第{_num(n)}{m.group(2)}")
            if spans is not None:
                spans.append(m.span())
    return out


def _set_apart(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with a space before and after each span (overlaps merged)."""
    cuts = sorted({i for span in spans for i in span})
    if not cuts:
        return text
    parts, prev = [], 0
    for i in cuts:
        parts.append(text[prev:i])
        prev = i
    parts.append(text[prev:])
    return " ".join(parts)


def month_tokens(text: str) -> list[str]:
    """One token per month named: "3月" for "3月", "三月份" and "3月6日" ("3个月" is a duration)."""
    out = []
    for m in _MONTH.finditer(text):
        n = parse_number(m.group(1))
        if n is not None and float(n).is_integer() and 1 <= n <= 12:
            out.append(f"{int(n)}月")
    return out


def chunk_tokens(chunk) -> list[str]:
    """What BM25 indexes for a chunk: the same text that is embedded."""
    return tokens(chunk.embedding_text())


def tokens(text: str) -> list[str]:
    jb = jieba()
    spans: list[tuple[int, int]] = []
    marks = number_tokens(text, spans)
    out = []
    for tok in jb.cut_for_search(_set_apart(text, spans).lower()):
        tok = tok.strip()
        if not tok or tok in _STOP or _PUNCT.match(tok):
            continue
        out.append(tok)
    out.extend(marks)
    out.extend(month_tokens(text))
    folded = unicodedata.normalize("NFKC", text)  # full-width digits: only these tokens, no offsets
    out.extend("一对一" for m in _ONE_ON_ONE.finditer(folded) if m.group(0) != "一对一")
    out.extend(token for token, pattern in _FESTIVALS for _ in pattern.finditer(folded))
    return out
