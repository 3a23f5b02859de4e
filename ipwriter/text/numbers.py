"""Find and normalise number-bearing claims in Chinese marketing text.

Shared by fact extraction (the creator's notes) and by the checker that
verifies the numbers in a draft, so every :class:`NumberSpan` carries exact
offsets into the *original* text: ``text[span.start:span.end] == span.text``.

Grammar of a claim
------------------
::

    claim    := [modifier] [¥|$|破] core [range] [suffix] [unit] [post]
    core     := arabic [scale] | chinese | 百分之/N分之 chinese-or-arabic
              | magnitude
    magnitude:= (上|数|破|过) scale-only       "上万" "数十万" "破万" "过百万"
              | modifier scale-only           "近万" "超百万" (before a unit, 以上…,
                                              a particle or punctuation only)
              | (大|小) 几 scale              "大几千" [5000, 9999], "小几万" [10000, 49999]
              | N 位数                        "七位数" [1000000, 9999999] (N = 2…12)
    arabic   := 1,999 | 2.3 | 38          (full-width digits are accepted)
    scale    := 万 千 百 亿 百万 千万 万亿 | w W (=万) | k K (=千)
                (+ colloquial tail: "1万2" = 12000, "1万2千" = 12000)
    chinese  := 零〇一二两三四五六七八九十百千万亿 (+ 壹贰叁… 拾佰仟 萬億),
                optional decimal "三点五"
    range    := (- ~ ～ 〜 — – 到 至) core      "25-35人", "3天到5天", "1-2万"
                (after 从, "从18%到32%" is a change: two claims, not a range)
              | two adjacent Chinese digits     "两三个月" [2,3], "三五天" [3,5],
                                                "十二三万" [120000,130000]
    suffix   := + 多 余 (plus=True) | 来 (approx) | 几 after 20/30… (approx range)
    unit     := longest match from :data:`UNITS`, normalised (see ``_UNIT_TABLE``)
    post     := 以上 出头 (plus) | 左右 上下 (approx) | 以下 以内 之内 (put in
                ``modifier`` when there is no leading one) | 多 / 半 after a
                time unit ("一年多", "1年半" = 1.5) | 多 after 成 ("三成多")

Choices
-------
* Normalisation: each character of the Halfwidth/Fullwidth block is NFKC-mapped
  on its own when that yields one ASCII digit/letter/sign, so the normalised
  string has the same length and offsets carry over unchanged.  The Chinese
  comma ``，`` and colon ``：`` are left alone (``1，200`` is two numbers).
* Units are canonicalised: 位/名/学员/用户/客户/个人 → 人, 粉丝/个粉 → 粉,
  块/块钱/人民币 → 元, 日 → 天, 星期/礼拜 → 周, 月 → 个月, 小时/钟头 → 小时,
  点赞 → 赞, 阅读量 → 阅读, 百分点 → 个百分点, 颗星 → 星 …  A unit must follow the
  number: "涨粉2.3万" has unit ``None``; "2.3万粉" has unit 粉.
* Percentages keep the written figure: "38%" → 38, unit "%".  "百分之三十八" →
  38 "%"; "千分之五" → 5 "‰"; other fractions ("三分之一") → value 1/3, unit None.
  成 is a tenth, so a share: "三成" / "3成" → 30 "%", "七八成" → [70, 80], "九成以上"
  → 90 plus, "三成多" → 30 plus, "近三成" → 30 approx, "九成五" → 95.  Only after a
  plain numeral up to ten, and not where 成 starts a word (成交 成本 成为 成功 成长
  成熟 成员 …; 成年 but not 成年轻人); "一成" alone, like any lone 一, needs a
  modifier ("不到一成").  "八成新" (the condition of goods), "一成不变", "几成",
  "十成把握" are not claims.
* Vague magnitudes: "破万" / "过万" → 10000 plus (past it; not 跌破, 不过, 写过 …),
  "破10万" → 100000 plus, "近万" → 10000 approx (modifier 近), "七位数" →
  [1000000, 9999999], "大几千" → [5000, 9999] approx.  After an income word (年入,
  月入, 月薪, 收入, 营收, 流水, 赚 …) such a vague amount is money (unit 元): "年入七位数",
  "月入过万"; "七位数收入" keeps unit None (the metric is named after it).  A
  bare scale with none of these stays a non-claim ("年入百万", "百万富翁", "万能").
* Vague quantities: "十几" → [10, 19], "二十几" → [20, 29], "十几万" →
  [100000, 190000]; "几十"/"数十" → [20, 90] (几 = 2…9), "几万" → [20000, 90000];
  "上千"/"上万" → 1000/10000 with plus.  All of these have ``approx=True``.
* Vague-free ranges keep both ends: ``value`` = low, ``high`` = high; a bare low
  end borrows the high end's scale ("1-2万" → [10000, 20000]).
* Dates and times are skipped, never returned: "2025-04-28", "2025年",
  "2025年4月8日到17日", "4月8日", "3月" / "4月份" (月 with 1–12 and no modifier),
  "17日" (日 with 1–31 and no modifier), "8号", "20:00", "晚上8点", "25年底".
  Only 4-digit years 1900–2099 are recognised as years; "3年" is a duration.
* Not claims: ordinals (anything after 第, incl. "第1、2期"), list markers ("1. ", "2、", "（3）" at
  a line start or after sentence punctuation), numbers glued to Latin words
  ("gpt-4o", "e5", "v3", "5G", "3kg"; an all-caps acronym such as "GMV85957"
  or "UV3000" is accepted only with a unit/scale or 3+ digits), versions
  ("1.2.3"), phone/ID numbers (11+ digits, a-b-c chains), ratios and fractions
  with ":" or "/", 双11, "618大促", "90后", "80年代", "5年级", "从0到1",
  "从0开始", a few idioms (十万火急, 三天两头, 一成不变, 成百上千 …), 千万 as "by all
  means" (千万别, 千万不要), arithmetic with N位数 ("两位数乘两位数").
* Known limits: "100,200,300" reads as one number (ASCII thousands commas win);
  "7日" (seven days) is read as a day of the month unless a modifier precedes
  it; 块 is always money; "TOP 3" with a space is a claim.
* Chinese numerals are stricter than Arabic ones: a lone 一 is never a claim
  unless a modifier, a range, 多/余/半/以上… makes it one (so 统一, 一直, 万一,
  唯一, 一定, 一起, 一点, 一次性, "一个" do not fire); any other single Chinese digit
  needs a unit ("三天" yes, "三观" no); a bare multi-character Chinese numeral
  needs 百/千/万/亿 or three characters ("十二万五" yes, "十一" no).  A scale
  alone ("万粉", "百万粉丝") counts only before a counting unit.
* Chinese numerals: the grammar here finds the span and decides whether it is
  one well-formed numeral, a range ("两三" = [2,3]; cn2an would say 23) or a
  vague form ("十几"); ``cn2an`` then converts the single numeral ("十二万五" =
  125000, "一千五" = 1500, "一千零五" = 1005), only ever on that span, never on
  whole text (it turns 统一 into 统1).  A small positional parser validates the
  numeral and stands in where cn2an raises ("一亿二").  ``jieba`` is not needed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ipwriter.text.marks import CITATION_PATTERN
from ipwriter.text.units import APPROX_MODIFIERS, MODIFIERS, TIME_UNITS, TRAILING_MODIFIERS
from ipwriter.text.words import Words

__all__ = ["NumberSpan", "UNITS", "find_numbers", "parse_number"]


@dataclass(frozen=True)
class NumberSpan:
    """One number-bearing claim; ``text == original[start:end]``."""

    text: str
    start: int
    end: int
    value: float  # normalised value (for a range: the low end)
    high: float | None  # for ranges: the high end, else None
    unit: str | None  # canonical unit, e.g. "人", "粉", "元", "%", "天", "个月"
    modifier: str | None  # 近 约 超过 不到 至少 … (or a trailing 以下/以内/之内)
    approx: bool  # 近/约/左右/大约/接近/将近/差不多/来/十几 …
    plus: bool  # trailing + / 多 / 余 / 以上 / 出头, 上千 / 上万, or 破万 / 过万 / 破10万

    @property
    def is_range(self) -> bool:
        return self.high is not None


# --------------------------------------------------------------------------- #
# Normalisation (same length as the input, so offsets carry over)

def _build_norm_table() -> dict[int, str]:
    table: dict[int, str] = {0x3000: " ", 0xFFE5: "¥", 0x301C: "~"}
    for cp in range(0xFF01, 0xFF5F):
        n = unicodedata.normalize("NFKC", chr(cp))
        if len(n) == 1 and n.isascii() and (n.isalnum() or n in "%+-.~$/"):
            table[cp] = n
    return table


_NORM_TABLE = _build_norm_table()

# --------------------------------------------------------------------------- #
# Chinese numerals

_DIGIT_VALUES = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_CN_SCALES = "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)
_CN_CHARS = "".join(_DIGIT_VALUES) + _CN_SCALES
_CN_DIGITS = "".join(_DIGIT_VALUES)
_CN_BIG_OR_HUNDRED = "百佰千仟万萬亿億"
_YI = "一壹"
# characters that make a following 一 part of a word: 统一 唯一 之一 同一 每一 …
_YI_WORD_PREV = set("统唯之同专单划如归合初周第逐任某每其另不均择选始守惟")


def _cn_int(s: str) -> int | None:
    """Positional parse of a Chinese integer; None if malformed."""
    total = section = 0
    num: int | None = None
    last_small, last_big, last_unit = 10**5, 0, 1
    zero = seen = False
    for ch in s:
        if ch in _DIGIT_VALUES:
            if num is not None:
                return None  # two digits in a row: a range or a digit string
            seen = True
            d = _DIGIT_VALUES[ch]
            if d == 0:
                zero = True
            else:
                num = d
        elif ch in _SMALL_UNITS:
            u = _SMALL_UNITS[ch]
            if u >= last_small:
                return None
            if num is None:
                if u == 10 and section == 0 and not zero:
                    num = 1  # leading 十 = 一十
                else:
                    return None
            section += num * u
            num, zero, seen, last_small, last_unit = None, False, True, u, u
        elif ch in _BIG_UNITS:
            u = _BIG_UNITS[ch]
            part = section + (num or 0)
            if u == 10**8:
                if (total == 0 and part == 0) or last_big == u:
                    return None
                total = (total + part) * u
            else:
                if part == 0 or last_big == u:
                    return None
                total += part * u
            section, num, zero, last_small, last_big, last_unit = 0, None, False, 10**5, u, u
        else:
            return None
    if num is not None:
        # colloquial tail fills the next lower place: 十二万五 = 125000
        section += num if zero or last_unit < 100 else num * last_unit // 10
    return total + section if seen else None


@lru_cache(maxsize=1)
def _cn2an():
    import cn2an  # ~0.2 s to import: only when a Chinese numeral is met

    return cn2an.cn2an


def _cn_value(s: str) -> float | None:
    """A Chinese integer or decimal (三点五).

    The grammar here decides whether ``s`` is one well-formed numeral (cn2an
    would read the range 三五 as 35); cn2an converts it. Where cn2an cannot
    (一亿二 raises in every mode) the positional parser's value stands.
    """
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = _cn_int(whole)
        if w is None or not frac or any(c not in _DIGIT_VALUES for c in frac):
            return None
        fallback = float(f"{w}.{''.join(str(_DIGIT_VALUES[c]) for c in frac)}")
    else:
        v = _cn_int(s)
        if v is None:
            return None
        fallback = float(v)
    try:
        return float(_cn2an()(s, "normal"))
    except Exception:  # cn2an raises ValueError/KeyError on forms it does not know
        return fallback


_SCALE_ONLY_RE = re.compile(r"(?:[十拾百佰千仟]?[万萬亿億]?|[万萬][亿億])")


def _scale_product(s: str) -> int | None:
    if not s or not _SCALE_ONLY_RE.fullmatch(s):
        return None
    out = 1
    for ch in s:
        out *= _SMALL_UNITS.get(ch) or _BIG_UNITS[ch]
    return out


def _cn_core(tok: str) -> tuple[float, float | None, bool] | None:
    """(low, high, approx) of a Chinese numeral token, handling ranges and 几."""
    if "几" in tok:
        if tok.count("几") > 1 or "点" in tok:
            return None
        pre, _, post = tok.partition("几")
        scale = _scale_product(post) if post else 1
        if scale is None:
            return None
        if not pre:  # 几十 几百 几万 几十万: 几 = 2…9
            return (2.0 * scale, 9.0 * scale, True) if post else None
        if pre[-1] not in "十拾":  # only 十几 / 二十几 style
            return None
        base = _cn_int(pre)
        return None if base is None else (float(base * scale), float((base + 9) * scale), True)
    if all(c in _DIGIT_VALUES for c in tok):
        if len(tok) == 1:
            return float(_DIGIT_VALUES[tok]), None, False
        if len(tok) == 2:
            a, b = _DIGIT_VALUES[tok[0]], _DIGIT_VALUES[tok[1]]
            if a and b - a in (1, 2):
                return float(a), float(b), False
        return None
    if "点" not in tok:
        for i in range(len(tok) - 1):
            a, b = _DIGIT_VALUES.get(tok[i]), _DIGIT_VALUES.get(tok[i + 1])
            if a and b:  # adjacent non-zero digits: 十二三万, 三四十, 二十七八
                if b - a not in (1, 2):
                    return None
                lo = _cn_int(tok[:i + 1] + tok[i + 2:])
                hi = _cn_int(tok[:i] + tok[i + 1:])
                if lo is None or hi is None:
                    return None
                return float(lo), float(hi), False
    v = _cn_value(tok)
    return None if v is None else (v, None, False)


# --------------------------------------------------------------------------- #
# Unit lexicon: (surface, canonical, characters that must not follow)

_UNIT_TABLE: tuple[tuple[str, str, str], ...] = (
    # people
    ("人次", "人次", ""), ("人", "人", "民均气设"), ("个人", "人", "设品化"),
    ("位", "人", "数置于"), ("名", "人", "额字次义单称"),
    ("学员", "人", ""), ("用户", "人", ""), ("客户", "人", ""),
    # fans and engagement
    ("粉丝", "粉", ""), ("个粉", "粉", ""), ("粉", "粉", "色末红底"),
    ("点赞", "赞", ""), ("赞", "赞", "助美"), ("阅读量", "阅读", ""), ("阅读", "阅读", ""),
    ("播放量", "播放", ""), ("播放", "播放", ""), ("浏览量", "浏览", ""), ("浏览", "浏览", ""),
    ("曝光量", "曝光", ""), ("曝光", "曝光", ""), ("收藏", "收藏", ""), ("转发", "转发", ""),
    ("评论", "评论", ""), ("私信", "私信", ""),
    # orders and money
    ("单", "单", "价元品词身独"), ("笔", "笔", "记"), ("份", "份", "额"), ("件", "件", ""),
    ("元", "元", "旦素宇气"), ("元钱", "元", ""), ("块钱", "元", ""), ("块", "元", ""),
    ("人民币", "元", ""), ("美元", "美元", ""), ("美金", "美元", ""),
    # ratios
    ("%", "%", ""), ("‰", "‰", ""), ("个百分点", "个百分点", ""), ("百分点", "个百分点", ""),
    ("成", "成", "交为本果长功员绩品立就熟了型群语色瘾团"), ("折", "折", "扣腾叠"), ("倍", "倍", ""),
    # time
    ("秒", "秒", "杀懂"), ("分钟", "分钟", ""), ("小时", "小时", ""), ("个小时", "小时", ""),
    ("钟头", "小时", ""), ("个钟头", "小时", ""), ("天", "天", "然才使花地空猫"),
    ("日", "日", "均常记报子本元"), ("工作日", "工作日", ""), ("个工作日", "工作日", ""),
    ("周", "周", "边末刊报围期到"), ("个周", "周", ""), ("星期", "周", ""), ("个星期", "周", ""),
    ("礼拜", "周", ""), ("个礼拜", "周", ""), ("周年", "周年", ""), ("周岁", "岁", ""),
    ("个月", "个月", ""), ("月", "个月", "份底初末中薪光饼亮"),
    ("季度", "季度", ""), ("个季度", "季度", ""), ("年", "年", "级代初底末度轻龄纪货会终"),
    # content and counting
    ("篇", "篇", ""), ("稿", "稿", "件子费"), ("版", "版", "本权面块税"),
    ("组", "组", "织成合建件"), ("段", "段", "落位子"), ("句", "句", "子号式"),
    ("条", "条", "件理"), ("次", "次", "元日要数"),
    ("期", "期", "间待望限货末"), ("节", "节", "点日目奏约省"), ("堂", "堂", ""),
    ("场", "场", "景地所面"), ("页", "页", "面"), ("字", "字", "母幕号节"),
    ("章", "章", "程"), ("讲", "讲", "解述师话"), ("集", "集", "团中合"), ("遍", "遍", ""),
    ("轮", "轮", "廓"), ("批", "批", "评"), ("届", "届", ""), ("课", "课", "程堂"),
    ("门", "门", "槛店户口"), ("本", "本", "地人身质来钱事"), ("个", "个", ""),
    ("张", "张", ""), ("套", "套", "餐路"), ("款", "款", "式项"), ("项", "项", "目"),
    ("种", "种", "子草"), ("类", "类", "似"), ("步", "步", ""), ("招", "招", "聘生"),
    ("家", "家", "长庭里族"), ("台", "台", "词上阶"), ("颗星", "星", ""),
    ("星", "星", "期座球级"), ("分", "分", "享析别开配布手销摊裂化散发组类期成为之钱红店支"),
    ("点", "点", "赞击评"), ("岁", "岁", ""), ("斤", "斤", ""), ("公斤", "公斤", ""),
    ("公里", "公里", ""),
)

#: Unit surfaces, longest first (the order in which they are tried).
UNITS: tuple[str, ...] = tuple(sorted({u for u, _, _ in _UNIT_TABLE}, key=len, reverse=True))
_UNIT_CANON = {u: c for u, c, _ in _UNIT_TABLE}
_UNIT_ALT = "|".join(
    re.escape(u) + (f"(?![{f}])" if f else "")
    for u, _, f in sorted(_UNIT_TABLE, key=lambda t: len(t[0]), reverse=True)
)
_UNIT_RE = re.compile(rf"(?P<u>{_UNIT_ALT})")
_UNIT_SP_RE = re.compile(rf"[ ]?(?P<u>{_UNIT_ALT})")  # "85957 元" in mixed text
_GE_RE = re.compile(r"个(?P<x>[多半])(?P<u>月|小时|钟头|星期|礼拜|季度|工作日|周)")

_HALF_UNITS = {"小时", "天", "周", "个月", "年"}
_COUNT_UNITS = {"粉", "人", "人次", "元", "美元", "赞", "阅读", "播放", "浏览", "曝光",
                "收藏", "转发", "评论", "单", "次", "字"}

# --------------------------------------------------------------------------- #
# Modifiers, suffixes, ranges

_MOD_LOOKBEHIND = {"近": "最附靠亲邻就将接", "约": "预签相邀合节违制公条婚履赴失契隐大",
                   "仅": "不仅", "超": "赶高"}
_MOD_RE = re.compile(
    "(?:"
    + "|".join((f"(?<![{_MOD_LOOKBEHIND[m]}])" if m in _MOD_LOOKBEHIND else "") + m
               for m in sorted(MODIFIERS, key=len, reverse=True))
    + r")[ ]?\Z"
)

_TOKEN_RE = re.compile(
    r"(?P<ar>\d{1,3}(?:,\d{3}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"|(?P<cn>[{_CN_CHARS}几]+(?:点[{_CN_DIGITS}]+)?)"
)
_AR_SCALES = {"百": 100, "千": 1000, "万": 10**4, "亿": 10**8, "百万": 10**6,
              "千万": 10**7, "万亿": 10**12, "w": 10**4, "W": 10**4, "k": 1000, "K": 1000}
_AR_SCALE_RE = re.compile(r"百万|千万|万亿|百(?!分)|[千万亿]|[wWkK](?![A-Za-z0-9_])")
_AR_TAIL_RE = re.compile(r"(?P<d>[1-9一二两三四五六七八九])(?P<q>千)?(?![\d.,%])")
_RANGE_SEP_RE = re.compile(r"[ ]?(?:[-~〜—–]|到|至)[ ]?")
_PRE_SUFFIX_RE = re.compile(rf"\+(?!\d)|多(?![少么久样])|余(?![下额])|来(?={_UNIT_ALT})|几")
_POST_RE = re.compile(r"以上|以下|以内|之内|左右|上下(?![班车楼左])|出头|多(?![少么次种样])|半")
_REJECT_AFTER_RE = re.compile(r"号|年级|年代|年[初底末]|年[上下]半年|月(?:份|底|初|末|[上中下]旬)")

# --------------------------------------------------------------------------- #
# Magnitudes: 三成, 破万, 近万, 七位数, 大几千

_CHENG_NOT_WORD_RE = re.compile(r"成年(?!轻)")  # 三成年轻人 is 30 %; 成年 is an adult
_CHENG_TAIL_RE = re.compile(r"[1-9二三四五六七八九](?=[^\u4e00-\u9fff\d.%]|[的以左上都是人]|\Z)")
# 破 / 过 before a number means "past it" (破万, 过百万) except in these words:
# 跌破 is "fell below", 不过 "not over"; 打破 / 看破 / 经过 / 错过 … are other verbs, and
# after a verb 过 says it happened (写过十万字: wrote, not more than); 超过 is a modifier
_PO_WORD_PREV = set("跌打识看说击戳点揭攻冲")
_GUO_WORD_PREV = set("不经通错难太路走跨越度闯熬挺跳胜强好超"
                     "写做卖看用发拍讲带学听试吃玩买去来见读干当花投跑聊教接")
# a bare scale after 破 / 过 / a modifier counts when what follows does not make a
# word of it (过万的 yes, 走过千山万水 no): a unit, 以上/左右…, or one of these
_BARE_SCALE_NEXT = set("了啦的后啊呀咯喽之大关级不就才还也又都")
# 大几千 / 小几万: these before 大 / 小 make another word (扩大, 缩小)
_DAXIAO_WORD_PREV = set("扩放加增壮伟巨宏庞强远重高最较缩减变弱微细渺矮大小")
# a vague amount of money: 年入七位数, 月入过万, 月薪大几千 (money, unit 元)
_MONEY_BEFORE_RE = re.compile(
    r"(?:[年月日周天][入收赚薪]|收入|营收|流水|变现|营业额|销售额|成交额|利润|存款|收益|"
    r"GMV|gmv|[赚挣](?:了|到)?)(?:都|也|就|已经|能|可以)?[ ]?\Z")
_DIGIT_COUNT_MATH = set("乘加减除")  # 两位数乘两位数: arithmetic, not an amount
_BARE_SCALE_WORD_RE = re.compile(r"流水|营收|收入|销售|成交|营业|付费|观看|点击|下载|订阅|会员")
_WEEK_PREV = ("周", "星期", "礼拜")

# --------------------------------------------------------------------------- #
# Regions that never hold a claim: dates, times, ordinals, list markers, ids

_D_TAIL = (r"(?:\s*[-~〜—–到至]\s*(?:\d{1,2}\s*月\s*)?\d{1,2}"
           rf"(?:\s*[日号]|(?![\d.]|\s*(?:{_UNIT_ALT}))))?")
_CNN = f"[{_CN_CHARS}]"
_BLOCK_RE = re.compile("|".join([
    # ordinals (with ranges and lists): 第3期 第一次 第 3-5 期 第1、2期
    rf"第\s*(?:\d+|{_CNN}+)(?:\s*[-~〜—–到至、,，和及与]\s*(?:\d+|{_CNN}+))*",
    # dates
    r"(?<!\d)(?:1[89]|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?" + _D_TAIL,
    r"(?<![\d.])(?:1[89]|20)\d{2}[-/.]\d{1,2}(?:[-/.]\d{1,2})?(?![\d.])",
    r"(?<![\d.])\d{1,2}\s*月\s*\d{1,2}\s*[日号]" + _D_TAIL,
    r"(?<![\d.])\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?",
    r"[〇零一二三四五六七八九]{4}\s*年",
    r"[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}[日号]",
    # times and ratios
    r"(?<![\d.])\d+(?:\.\d+)?:\d+(?:\.\d+)?(?::\d+)?",
    r"(?:凌晨|早上|上午|中午|下午|傍晚|晚上|今晚|明晚|晚|早)\s*[\d零一二两三四五六七八九十]{1,3}\s*点"
    r"(?:半|整|钟|[\d零一二三四五六七八九十]{1,3}分?)?",
    r"(?<![\d.])[\d零一二两三四五六七八九十]{1,3}\s*点(?:半|整|钟|\s*\d{1,2}\s*分)",
    r"(?<![\d.])\d{1,2}\s*点(?=\s*(?:前|后|之前|之后|以前|以后|开始|结束|准时|截止|下班|上线))",
    r"零点(?![一二三四五六七八九\d])",
    # versions, ids, phone numbers, fractions written with /
    r"\d+(?:\.\d+){2,}", r"\d+(?:-\d+){2,}", r"\d{11,}", r"\d+(?:\.\d+)?/\d+(?:\.\d+)?",
    # list markers: keycap emoji (1️⃣ 2️⃣, with or without U+FE0F) anywhere, and
    # numbers that open a line or a sentence followed by . 、 ) 
    r"\d\uFE0F?\u20E3",
    r"^[ \t]*(?:[-*•·>#]+[ \t]*)?(?:[(（][ \t]*(?:\d{1,3}|" + _CNN + r"{1,3})[ \t]*[)）]"
    r"|(?:\d{1,3}|" + _CNN + r"{1,3})[ \t]*[.、)）](?!\d))",
    r"(?<=[\s。；;！!？?：:])\d{1,2}[.、)）](?![\d%])",
    r"[(（]\s*\d{1,2}\s*[)）]",
    # citation markers in drafts: [1], [12]
    CITATION_PATTERN,
    # interaction codes: 评论区扣1, 回复666, 刷1 (a reply to type, not a claim)
    r"(?:扣|刷|回复|打)\s*\d{1,4}(?![\d.,%万千百亿wWkK]|\s*(?:" + _UNIT_ALT + "))",
    # festivals, generations, eras, grades
    r"双\s*(?:11|12|十一|十二)", r"(?<!\d)618(?=大促|活动|期间|当天|购物节|节|狂欢|年中)",
    r"(?<!\d)\d[05]后", r"\d{2,4}\s*年代", r"从\s*(?:0|零)\s*到\s*(?:1|一)(?![\d万千百十])",
    r"从\s*0\s*(?=开始|起步|做起)",
    # idioms and words made of numerals
    "十万火急|千方百计|千军万马|万无一失|一五一十|三心二意|十全十美|百分百|成千上万|千千万万"
    "|三三两两|乱七八糟|七上八下|四面八方|五颜六色|九死一生|三天两头|三天打鱼|两天晒网|三番五次"
    "|三言两语|一举两得|一石二鸟|十有八九|百发百中|百里挑一|万众一心|万事俱备|一点一点|一点点"
    "|三点一线|两回事|两码事|[二三]次元|十分(?![钟之])",
    # 成 that is not a share: 一成不变, 成百上千, 八成新 (the condition of goods, not
    # 九成新手), and 千万 as "by all means" (千万别 / 千万不要 / 千万记住)
    "一成不变|成百上千|千万(?:别|不要|不能|不可|不得|记|要|莫|勿|注意|小心|当心|务必|得)",
    r"(?:\d|[一二两三四五六七八九十])成[一二三四五六七八九]?新(?![手人用学粉号博客朋同媒])",
]), re.MULTILINE)


# Every character a _BLOCK_RE match can start with (tests/test_checks_linear.py derives
# them from the pattern itself): a digit, a Chinese numeral, the first character of
# a time word, an idiom or a marker, and what may open a list line.
_BLOCK_FIRST = re.compile(rf"[\d{_CN_CHARS}第凌早上中下傍晚今明双从扣刷回打乱成(（\[ \t\-*•·>#]")


def _blocked_mask(norm: str) -> bytearray:
    """1 where a region that never holds a claim lies. The same matches as
    ``_BLOCK_RE.finditer(norm)``, tried only where one can start: the pattern's
    two dozen branches are not tried at each of a long draft's characters."""
    mask = bytearray(len(norm) + 1)
    pos = 0
    while True:
        c = _BLOCK_FIRST.search(norm, pos)
        if c is None:
            return mask
        m = _BLOCK_RE.match(norm, c.start())
        if m is None:
            pos = c.start() + 1
            continue
        a, b = m.span()
        mask[a:b] = b"\x01" * (b - a)
        pos = b


# --------------------------------------------------------------------------- #
# Scanner

def _is_latin(ch: str) -> bool:
    return ch.isascii() and (ch.isalpha() or ch == "_")


def _arabic_core(norm: str, m: re.Match[str]) -> tuple[float, int, bool]:
    """Value of an Arabic token with its scale; returns (value, end, scaled)."""
    value = float(m.group("ar").replace(",", ""))
    p = m.end()
    sm = _AR_SCALE_RE.match(norm, p)
    if not sm:
        return value, p, False
    scale = _AR_SCALES[sm.group()]
    value *= scale
    p = sm.end()
    if scale in (10**4, 10**8) and sm.group() not in "wW":
        tm = _AR_TAIL_RE.match(norm, p)
        if tm:
            d = tm.group("d")
            digit = int(d) if d.isdigit() else _DIGIT_VALUES[d]
            um = _UNIT_RE.match(norm, tm.end())
            if tm.group("q") or um is None or (
                    digit != 1 and _UNIT_CANON[um.group("u")] in _COUNT_UNITS):
                value += digit * scale / 10
                p = tm.end()
    return value, p, True


def _high_core(norm: str, p: int, blocked: bytearray) -> tuple[float, int, int | None] | None:
    """Parse the high end of a range at p: (value, end, scale-or-None)."""
    hm = _TOKEN_RE.match(norm, p)
    if not hm or blocked[hm.start()]:
        return None
    if hm.group("ar") is not None:
        raw = float(hm.group("ar").replace(",", ""))
        value, end, scaled = _arabic_core(norm, hm)
        if end < len(norm) and _is_latin(norm[end]):
            return None
        return value, end, (round(value / raw) if scaled and raw else None)
    tok = hm.group("cn")
    core = _cn_core(tok)
    if core is None or core[1] is not None:
        return None
    k = len(tok)
    while k and tok[k - 1] in _BIG_UNITS:
        k -= 1
    scale = _scale_product(tok[k:]) if k < len(tok) else None
    return core[0], hm.end(), scale


class _Skip(Exception):
    """Not a claim: scanning resumes at ``pos``."""

    def __init__(self, pos: int) -> None:
        self.pos = pos


@dataclass
class _Claim:
    """A claim being read, left to right: each step reads one part of the
    grammar at ``p`` and moves ``p`` past it, or raises :class:`_Skip`."""

    norm: str
    text: str
    blocked: bytearray
    s: int  # where the numeral starts (moves past a word's 一 or a leading scale)
    e: int  # where the numeral token ends
    is_ar: bool
    p: int = 0
    value: float = 0.0
    high: float | None = None
    tok: str = ""  # the Chinese numeral token
    ar: str = ""  # the Arabic digits as written
    scaled: bool = False  # 万/千/百/w/k or a Chinese numeral with 百 and up
    fixed_unit: bool = False  # 百分之 / 千分之: the unit came with the numeral
    scale_only: bool = False  # 万粉: a scale with no digit before it
    vague_prefix: bool = False  # 上千 / 数十万 / 破万 / 大几千: one character before the numeral
    magnitude: bool = False  # a vague amount: 上万 破万 近万 几万 七位数 大几千
    digit_count: bool = False  # 七位数
    acronym: bool = False  # GMV85957
    approx: bool = False
    plus: bool = False
    half: bool = False
    unit: str | None = None
    unit_surface: str = ""
    suffix: str = ""
    post: str = ""
    modifier: str | None = None
    start: int = 0
    words: Words | None = None  # jieba boundaries of ``norm`` (lazy: segments on first use)

    def span(self) -> NumberSpan:
        return NumberSpan(text=self.text[self.start:self.p], start=self.start, end=self.p,
                          value=float(self.value),
                          high=None if self.high is None else float(self.high), unit=self.unit,
                          modifier=self.modifier, approx=self.approx, plus=self.plus)


def _read_arabic(c: _Claim, m: re.Match[str]) -> None:
    """Arabic digits with their scale; not glued to a Latin word ("gpt-4o", "v3"),
    except after an all-caps acronym ("GMV85957"), judged later."""
    norm, s = c.norm, c.s
    prev = norm[s - 1] if s else ""
    if _is_latin(prev):
        j = s
        while j and _is_latin(norm[j - 1]):
            j -= 1
        run = norm[j:s]
        if not (len(run) >= 2 and run.isupper()):
            raise _Skip(c.e)
        c.acronym = True
    elif prev == "#" or (prev in "-./" and s >= 2 and norm[s - 2].isascii()
                         and norm[s - 2].isalnum()):
        raise _Skip(c.e)
    c.ar = m.group("ar")
    c.value, c.p, c.scaled = _arabic_core(norm, m)
    if c.p < len(norm) and _is_latin(norm[c.p]):
        raise _Skip(c.e)


def _read_fraction(c: _Claim) -> None:
    """百分之三十八 → 38 %, 千分之五 → 5 ‰, 三分之一 → 1/3 (the token is the denominator)."""
    norm = c.norm
    den = _scale_product(c.tok) or _cn_int(c.tok)
    nm = _TOKEN_RE.match(norm, c.e + 2)
    if not den or not nm:
        raise _Skip(c.e)
    if nm.group("ar") is not None:
        num: float | None = float(nm.group("ar").replace(",", ""))
    else:
        num = _cn_value(nm.group("cn"))
    if num is None:
        raise _Skip(nm.end())
    if den in (100, 1000):
        c.value, c.unit = num, ("%" if den == 100 else "‰")
    else:
        c.value = num / den
    c.p, c.fixed_unit, c.scaled = nm.end(), True, True


def _read_scale_only(c: _Claim) -> None:
    """A token of scales only: 上千 / 上万 (at least, about), 数十万 (2…9 × 10万),
    破万 / 过百万 (past it), 近万 / 超百万 (the modifier is read with the prefix),
    十 / 十万, or a bare scale (万粉) that counts only before a counting unit."""
    norm, s = c.norm, c.s
    prevc = norm[s - 1] if s else ""
    product = _scale_product(c.tok)
    if product is None:
        raise _Skip(c.e)
    c.value, c.scaled, c.p = float(product), True, c.e
    if prevc == "上" and c.tok[0] not in "十拾":
        c.plus = c.approx = c.vague_prefix = c.magnitude = True
    elif prevc == "数":
        c.value, c.high = 2.0 * product, 9.0 * product
        c.approx = c.vague_prefix = c.magnitude = True
    elif _past(norm, s) and _bare_scale_ends(norm, c.e):
        c.plus = c.vague_prefix = c.magnitude = c.scale_only = True
    elif c.tok[0] not in "十拾":
        c.scale_only = True
        # 近万, 超百万: a claim with its modifier (checked once the prefix is read)
        c.magnitude = _bare_scale_ends(norm, c.e) and bool(_MOD_RE.search(norm, max(0, s - 5), s))


def _past(norm: str, s: int) -> bool:
    """破 / 过 just before ``s`` in the sense "past" (破万, 月入过万), not 跌破 / 不过 / 错过."""
    prevc = norm[s - 1] if s else ""
    if prevc not in ("破", "过"):
        return False
    before = norm[s - 2] if s >= 2 else ""
    return before not in (_PO_WORD_PREV if prevc == "破" else _GUO_WORD_PREV)


def _bare_scale_ends(norm: str, p: int) -> bool:
    """Does a bare scale (破万, 近千) end here, rather than start a word (万能,
    千山万水)? Yes before a unit, 以上 / 左右 …, a metric, a particle or punctuation."""
    if p >= len(norm) or not _is_han(norm[p]) or norm[p] in _BARE_SCALE_NEXT:
        return True
    return bool(_UNIT_RE.match(norm, p) or _POST_RE.match(norm, p) or _BARE_SCALE_WORD_RE.match(norm, p))


def _read_digit_count(c: _Claim) -> None:
    """七位数 = 1,000,000…9,999,999: an amount of N digits (两位数 … 十二位数);
    not arithmetic (两位数乘两位数) and not a digit's place (十位数)."""
    norm = c.norm
    if not norm.startswith("位数", c.p) or c.high is not None or c.scaled or c.fixed_unit \
            or c.approx or not c.value.is_integer() or not 2 <= c.value <= 12:
        return
    after = c.p + 2
    if (c.s and norm[c.s - 1] in _DIGIT_COUNT_MATH) or norm[after:after + 1] in _DIGIT_COUNT_MATH:
        raise _Skip(after)
    n = int(c.value)
    c.value, c.high = float(10 ** (n - 1)), float(10 ** n - 1)
    c.p, c.magnitude, c.digit_count = after, True, True


def _read_chinese(c: _Claim, m: re.Match[str]) -> None:
    """A Chinese numeral: not the 一 of a word (统一, 唯一), not a leading scale
    (万一, 千万); a range (两三), a vague form (十几) or one numeral (十二万五)."""
    norm = c.norm
    c.tok = m.group("cn")
    if c.tok[0] in _YI and c.s and norm[c.s - 1] in _YI_WORD_PREV:
        c.s, c.tok = c.s + 1, c.tok[1:]
        if not c.tok or c.blocked[c.s]:
            raise _Skip(c.e)
    if norm.startswith("分之", c.e):
        _read_fraction(c)
        return
    if all(ch in _CN_SCALES for ch in c.tok):
        _read_scale_only(c)
        return
    if c.tok[0] in _CN_SCALES and c.tok[0] not in "十拾":  # 万一, 千万…: drop the scale
        k = 0
        while c.tok[k] in _CN_SCALES:
            k += 1
        c.s, c.tok = c.s + k, c.tok[k:]
    if (len(c.tok) >= 2 and c.tok[-1] in _YI and c.tok[-2] in _CN_BIG_OR_HUNDRED
            and _UNIT_RE.match(norm, c.e)):  # 五十万一年: the 一 belongs to 年
        c.tok, c.e = c.tok[:-1], c.e - 1
    core = _cn_core(c.tok)
    if core is None:
        raise _Skip(c.e)
    c.value, c.high, c.approx = core
    c.scaled = any(ch in _CN_BIG_OR_HUNDRED for ch in c.tok)
    c.p = c.e
    if "几" in c.tok and c.scaled:  # 几万, 十几万, 几十万: a vague amount
        c.magnitude = True
        if c.tok[0] == "几" and c.s and norm[c.s - 1] in "大小" \
                and (c.s < 2 or norm[c.s - 2] not in _DAXIAO_WORD_PREV):
            # 大几千 = 5000…9999, 小几万 = 10000…49999 (几千 alone is 2000…9000)
            scale = c.value / 2
            big = norm[c.s - 1] == "大"
            c.value, c.high = (5 * scale, 10 * scale - 1) if big else (scale, 5 * scale - 1)
            c.vague_prefix = True


def _read_range(c: _Claim) -> None:
    """The high end of a range: "25-35", "3天到5天" (same unit on both ends), "1-2万"
    (the low end borrows the high end's scale). After 从, "从18%到32%" is a
    change, two claims, not a range."""
    if c.high is not None or c.fixed_unit or c.scale_only or c.vague_prefix:
        return
    norm = c.norm
    from_to = norm.endswith("从", 0, c.s) or norm.endswith("从 ", 0, c.s)
    lo_unit = _UNIT_RE.match(norm, c.p)
    for use_unit in (False, True):
        if use_unit and not lo_unit:
            return
        at = lo_unit.end() if use_unit and lo_unit else c.p
        sep = _RANGE_SEP_RE.match(norm, at)
        if not sep or (from_to and "到" in sep.group()):
            continue
        hc = _high_core(norm, sep.end(), c.blocked)
        if hc is None:
            continue
        h_val, h_end, h_scale = hc
        low = c.value
        if not c.scaled and h_scale and low * h_scale <= h_val:
            low *= h_scale
        if low >= h_val:
            continue
        if use_unit and lo_unit:
            hu = _UNIT_RE.match(norm, h_end)
            if not hu or _UNIT_CANON[hu.group("u")] != _UNIT_CANON[lo_unit.group("u")]:
                continue
        c.value, c.high, c.p = low, h_val, h_end
        return


def _read_suffix(c: _Claim) -> None:
    """Before the unit: 10万+, 3000多人, 二十余人 (at least), 十来天 (about), 20几个 ([20, 29])."""
    sfx = _PRE_SUFFIX_RE.match(c.norm, c.p)
    if not sfx:
        return
    suffix = sfx.group()
    if suffix == "几":
        if not (c.is_ar and c.high is None and c.value.is_integer() and c.value % 10 == 0
                and c.value):
            return
        c.high, c.approx = c.value + 9, True
    elif suffix == "来":
        c.approx = True
    else:
        c.plus = True
    c.suffix = suffix
    c.p = sfx.end()


def _read_unit(c: _Claim) -> None:
    """The longest unit at ``p`` ("个多月" / "个半小时" carry 多 / 半 inside)."""
    if c.fixed_unit:
        return
    ge = _GE_RE.match(c.norm, c.p)
    if ge:
        c.unit_surface = "个" + ge.group("u")
        c.unit = _UNIT_CANON[c.unit_surface if c.unit_surface in _UNIT_CANON else ge.group("u")]
        if ge.group("x") == "多":
            c.plus = True
        else:
            c.half = True
        c.p = ge.end()
        return
    um = (_UNIT_SP_RE if c.is_ar else _UNIT_RE).match(c.norm, c.p)
    if um and not c.blocked[um.start("u")]:
        surface = um.group("u")
        if surface == "成":
            _read_cheng(c, um)
            return
        if c.digit_count and _UNIT_CANON[surface] not in _COUNT_UNITS:
            return  # 七位数年薪: the 年 is not the unit
        c.unit_surface = surface
        c.unit = _UNIT_CANON[surface]
        c.p = um.end()


def _read_cheng(c: _Claim, um: re.Match[str]) -> None:
    """成 is a tenth: 三成 = 30 %, 七八成 = 70…80 %, 九成五 = 95 %, 两成半 = 25 %.
    Only after a plain numeral up to ten (not 十成, 几成, 3万成) and not in 成年
    (an adult; 三成年轻人 is 30 %)."""
    top = c.value if c.high is None else c.high
    if c.scaled or c.suffix or c.magnitude or not 0 < top <= 10 \
            or _CHENG_NOT_WORD_RE.match(c.norm, um.start("u")):
        return
    c.unit_surface, c.unit, c.p = "成", "%", um.end()
    c.value = round(c.value * 10, 9)
    if c.high is not None:
        c.high = round(c.high * 10, 9)
        return
    if c.norm.startswith("半", c.p):
        c.value += 5
        c.p += 1
        return
    tail = _CHENG_TAIL_RE.match(c.norm, c.p)
    if tail:
        d = tail.group()
        c.value += int(d) if d.isdigit() else _DIGIT_VALUES[d]
        c.p = tail.end()


def _read_post(c: _Claim) -> None:
    """After the unit: 以上 出头 (at least), 左右 上下 (about), 以下 以内 之内
    (at most, judged with the modifier), 多 after a time unit, 倍 or 元, and 半
    after a time unit ("一年多", "1年半" = 1.5)."""
    pm = _POST_RE.match(c.norm, c.p)
    if pm:
        post = pm.group()
        if post in ("以上", "出头"):
            c.plus = True
        elif post in ("左右", "上下"):
            c.approx = True
        elif post == "多":
            if (c.unit in TIME_UNITS or c.unit in ("倍", "元") or c.unit_surface == "成") \
                    and not c.suffix:
                c.plus = True
            else:
                post = ""
        elif post == "半":
            if c.unit in _HALF_UNITS and not c.suffix and not c.half and c.value.is_integer():
                c.half = True
            else:
                post = ""
        if post:
            c.post = post
            c.p = pm.end()
    if c.half:
        c.value += 0.5
        if c.high is not None:
            c.high += 0.5


def _read_prefix(c: _Claim) -> None:
    """Before the numeral: a currency sign (¥ → 元, $ → 美元), the 上 / 数 of a
    vague form, and a modifier (近 约 超过 不到 …; or a trailing 以下/以内/之内)."""
    norm = c.norm
    start = c.s
    if start and norm[start - 1] == " " and start >= 2 and norm[start - 2] in "¥$":
        start -= 2
    elif start and norm[start - 1] in "¥$":
        start -= 1
    if start < c.s:
        if c.unit is None:
            c.unit = "元" if norm[start] == "¥" else "美元"
    elif c.vague_prefix:
        start -= 1
    elif (c.is_ar or c.scaled) and c.high is None and _past(norm, start) and norm[start - 1] == "破":
        start -= 1  # 破10万, 突破两万: past it
        c.plus = True
    mm = _MOD_RE.search(norm, max(0, start - 5), start)
    if mm and mm.group().startswith("不") and not _word_start(c, mm.start()):
        mm = None  # 看不到1999元: the verb 看不到 (can't see), not the bound 不到
    if mm:
        c.modifier = mm.group().rstrip()
        start = mm.start()
        if c.modifier in APPROX_MODIFIERS:
            c.approx = True
    elif c.post in TRAILING_MODIFIERS:
        c.modifier = c.post
    c.start = start
    if c.magnitude and c.unit is None and _MONEY_BEFORE_RE.search(norm, max(0, start - 6), start):
        c.unit = "元"  # 年入七位数, 月入过万, 月薪大几千


def _word_start(c: _Claim, pos: int) -> bool:
    """A negated modifier (不到, 不足 …) counts only where a word starts (jieba):
    播放|不到|5000 is a bound, 又|看不到|1999元 is a verb (can't see). Other
    modifiers always count: jieba glues 远超过 into one word, and it is still 超过."""
    if pos == 0 or not _is_han(c.norm[pos - 1]):
        return True
    return c.words is None or c.words.boundary(pos)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _check_context(c: _Claim) -> None:
    """What the parts together say is not a claim: months and days of the month,
    clock times, acronym codes, weekdays, bare Chinese digits that are words."""
    norm, p = c.norm, c.p
    if c.unit_surface == "月" and c.modifier is None and c.value.is_integer() \
            and 1 <= c.value <= 12 and (c.high is None or c.high <= 12):
        raise _Skip(p)  # 3月 / 3-5月: months of the year
    if c.unit_surface == "日":
        if c.modifier is None and c.value.is_integer() and (c.high or c.value) <= 31:
            raise _Skip(p)  # 17日: day of the month
        c.unit = "天"
    if c.unit == "点" and (p < len(norm) and (norm[p] in "半整钟" or norm[p].isdigit())):
        raise _Skip(p)
    bare = c.unit is None and not c.suffix and not c.post and c.modifier is None \
        and c.start == c.s
    if c.is_ar:
        if c.acronym and not (c.unit or c.scaled or c.suffix) and len(c.ar.split(".")[0]) < 3:
            raise _Skip(p)
        if c.unit is None and any(c.text.endswith(w, 0, c.s) for w in _WEEK_PREV):
            raise _Skip(p)
    elif not c.fixed_unit:
        if c.scale_only and c.unit not in _COUNT_UNITS and not (
                c.magnitude and c.unit not in TIME_UNITS and (c.vague_prefix or c.modifier)):
            raise _Skip(p)  # 万粉 yes, 万能 no; 破万 / 近万份 yes, 过千年 no
        if c.tok in ("一", "壹") and c.high is None and not (c.modifier or c.plus or c.half
                                                             or c.post):
            raise _Skip(p)
        if bare and not (c.vague_prefix or c.magnitude):
            if len(c.tok) == 1 or not (any(ch in _CN_BIG_OR_HUNDRED for ch in c.tok)
                                       or (len(c.tok) >= 3 and c.high is None)):
                raise _Skip(p)


def _scan(norm: str, text: str, m: re.Match[str], blocked: bytearray,
          words: Words | None = None) -> tuple[NumberSpan | None, int]:
    """One claim starting at the numeral token ``m``, or None; and where to go on.

    The grammar's parts, in reading order: the numeral (Arabic or Chinese),
    a range, a suffix, the unit, a trailing qualifier, then what stands
    before the numeral; last, the context rules that reject what is not a claim.
    """
    s, e = m.span()
    if blocked[s]:
        return None, e
    c = _Claim(norm, text, blocked, s, e, is_ar=m.group("ar") is not None, words=words)
    try:
        if c.is_ar:
            _read_arabic(c, m)
        else:
            _read_chinese(c, m)
        _read_digit_count(c)
        _read_range(c)
        if _REJECT_AFTER_RE.match(norm, c.p):
            raise _Skip(c.p)
        _read_suffix(c)
        _read_unit(c)
        _read_post(c)
        _read_prefix(c)
        _check_context(c)
    except _Skip as skip:
        return None, skip.pos
    return c.span(), c.p


def find_numbers(text: str) -> list[NumberSpan]:
    """Every number-bearing claim in ``text``, in order and non-overlapping."""
    norm = text.translate(_NORM_TABLE)
    blocked = _blocked_mask(norm)
    words = Words(norm)  # segments a block only when a modifier needs it
    spans: list[NumberSpan] = []
    pos = 0
    while True:
        m = _TOKEN_RE.search(norm, pos)
        if not m:
            return spans
        span, nxt = _scan(norm, text, m, blocked, words)
        if span is not None:
            if spans and span.start < spans[-1].end:  # never overlap a previous claim
                span = None
            else:
                spans.append(span)
        pos = max(nxt, m.start() + 1)


_PARSE_AR_RE = re.compile(
    r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<s>百万|千万|万亿|[百千万亿wWkK])?"
    r"(?:(?P<d>[1-9一二两三四五六七八九])(?P<q>千)?)?"
)


def parse_number(token: str) -> float | None:
    """Value of one numeral token including its scale, or None.

    ``"2.3万"`` → 23000, ``"1.2w"`` → 12000, ``"3k"`` → 3000, ``"1,999"`` → 1999,
    ``"十二万五"`` → 125000, ``"两千"`` → 2000, ``"〇"`` → 0, ``"二〇二五"`` → 2025.
    Ranges and vague forms ("两三", "十几") are not single numbers: None.
    """
    tok = token.translate(_NORM_TABLE).strip()
    if not tok:
        return None
    m = _PARSE_AR_RE.fullmatch(tok)
    if m:
        value = float(m.group("n").replace(",", ""))
        if m.group("s"):
            scale = _AR_SCALES[m.group("s")]
            value *= scale
            if m.group("d"):
                if scale not in (10**4, 10**8) or m.group("s") in "wW":
                    return None
                d = m.group("d")
                value += (int(d) if d.isdigit() else _DIGIT_VALUES[d]) * scale / 10
        elif m.group("d"):
            return None
        return value
    if any(c not in _CN_CHARS and c != "点" for c in tok):
        return None
    if len(tok) > 1 and all(c in _DIGIT_VALUES for c in tok):
        if len(tok) == 2 and "零" not in tok and "〇" not in tok:
            return None  # 两三 / 三五: a range, not a number
        return float("".join(str(_DIGIT_VALUES[c]) for c in tok))  # 二〇二五
    scale = _scale_product(tok)
    if scale is not None and tok[0] in "十拾":
        return float(scale)
    return _cn_value(tok)


if __name__ == "__main__":  # tiny benchmark: python -m ipwriter.text.numbers
    import timeit

    sample = ("复盘：2025年4月8日到17日预售，共10天。在线峰值612人，成交43单，GMV 85957元，"
              "复购率38%，涨粉2.3万，近3000人进群，客单价399元，两三个月回本。\n1. 没做需求调研\n") * 8
    sample = sample[:1000]
    find_numbers(sample)
    n = 200
    t = timeit.timeit(lambda: find_numbers(sample), number=n) / n
    print(f"{len(sample)} chars: {t * 1000:.2f} ms, {len(find_numbers(sample))} spans")
