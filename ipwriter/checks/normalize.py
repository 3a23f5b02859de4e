"""Text normalisation for matching, with a map back to the original offsets.

Checks match a folded copy of the text, then report spans of the text as
written. ``normalize(text)`` returns that copy together with, for every
character of it, the span ``[starts[i], ends[i])`` of the original it came
from, so a match ``norm.text[a:b]`` is ``text[norm.span(a, b)]``. Characters
folded from several original ones (``ﬁ``, ``e`` + U+0301, the pinyin ``zui``)
each take the span of all of them; spans never go backwards.

Stage 1, per character (a base character and the combining marks after it are
folded together). ``fold_chars`` is this stage alone; lexicon patterns must be
written in this form. Per character on purpose: every folded character keeps
one original position (phrase-level t2s, 乾隆 stays 乾隆, is not needed).

==  ====================================  ============================================
 #  rule                                  examples
==  ====================================  ============================================
1   Unicode NFKC                          ``ＮＯ．１`` → ``NO.1``, ``，`` → ``,``, ``𝟏`` → ``1``
2   traditional → simplified (OpenCC)     ``網`` → ``网``, ``貳`` → ``贰``
3   financial numerals, always            ``壹贰叁肆伍陆柒捌玖拾`` → ``一二三四五六七八九十``
4   Latin lower case                      ``TOP1`` → ``top1``
5   invisible characters dropped          category Cf (ZWSP, ZWJ, BOM, soft hyphen,
                                          U+2060–2064, U+206A–206F …), variation
                                          selectors, U+034F, U+180B–180D, U+180F,
                                          U+2800, U+115F, U+1160, U+3164, U+FFA0
6   combining marks (Mn, Me) NFKC did     ``最`` + U+0301 → ``最``, keycap U+20E3;
    not compose are dropped               ``e`` + U+0301 is still ``é`` (NFKC)
==  ====================================  ============================================

Stage 2, context rules of ``normalize`` in this order (not in ``fold_chars``:
``*`` ``|`` ``/`` are regex syntax in a pattern):

==  ====================================  ============================================
P   pinyin for one character of a hot     ``zui好``, ``ZUI好``, ``zuì好``, ``最hao`` →
    bigram (:data:`HOT_BIGRAMS`);         ``最好``; ``di一``/``di1`` → ``第一``; ``bao过`` →
    initials (:data:`INITIALS`)           ``包过``; ``wei1`` → ``唯一``; ``sx领取`` →
                                          ``私信领取``; ``dd我`` → ``滴滴我``
D   a digit 1–9 right after 第, or 1      ``第1``/``第１``/``第𝟏``/``第壹`` → ``第一``,
    right after 唯, that no digit or      ``第3`` → ``第三``, ``唯1`` → ``唯一``; ``第10``,
    continued number follows              ``第1.5``, ``第1-3``, ``第1~3``, ``第1,2`` stay
O   0 for the letter O (n0, t0p) before   ``N0.1``, ``n0 1``, ``NO．1`` → ``no.1``/``no 1``;
    a digit, not after a Latin/digit      ``T0P1`` → ``top1``
G   a gap of filler between two Chinese   ``最·好``, ``最 - 好``, ``最🔥好``, ``最❤️好``,
    characters is dropped                 ``最👍🏻好``, ``全 网 最 低`` → ``最好``/``全网最低``
==  ====================================  ============================================

Rule P. A Latin run (letters only, tone marks ignored, no Latin letter or digit
before it, no Latin letter after it) becomes ONE Chinese character only when it
is the pinyin of one character of a bigram in :data:`HOT_BIGRAMS` and the
bigram's other character is right next to it (no space); for a bigram ending in
一, a lone digit 1 (rule D) counts too, if a Chinese character is next to the
run or the 1. ``di士尼``, ``VIP会员``, ``ok吗``, ``iPhone手机``, ``zui 好`` never
fold. :data:`INITIALS`: ``sx`` next to a Chinese character → 私信, ``dd`` right
before 我 → 滴滴. ``vx``, ``wx``, ``v信`` are lexicon terms, left alone.

Rule G. Filler: horizontal whitespace, categories So Sk Sm Pc Pd (emoji, skin
tones, ★, -, _, ~, —) and ``· • ・ ‧ ∙ * / \\ | ~ ^ _ = @ ' "`` and the backtick
(variation selectors, ZWJ and keycap marks are gone in stage 1). Never filler,
so never dropped: clause punctuation ``，,。.！!？?；;：:、…``, brackets and
quotes ``「」『』“”‘’()（）《》【】<>`` (every other P* character too), line
breaks; arrows (→, ➡, ``->``: context rules read ``访客->加微信``); ``#`` (a
hashtag starts there: ``#宝妈副业 #知识变现`` is two tags, and patterns stop at
``#``); ``+`` and ``➕`` (any character named PLUS: the lexicon reads them as 加,
``点赞+收藏``, ``➕微信``). A gap of whitespace only is dropped whatever its length.
A gap with other filler is dropped when it holds at most 3 units (a run of
whitespace is one, an emoji with its skin tone one, a flag one) and no 破折号
(``——``, two em dashes: Chinese clause punctuation; one ``—`` is filler).
Whitespace anywhere else is kept.

The usual draft (every character folds to one, no pinyin, no gap to drop) takes
a fast path with identity offsets, rules D and O included (one character for
one). ``_normalize_slow`` is the reference; the tests check that both agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

__all__ = ["HOT_BIGRAMS", "INITIALS", "Normalized", "fold_chars", "is_cjk", "normalize"]

_T2S = opencc.OpenCC("t2s")

# Invisible characters that are not category Cf (dropped by category) but still hide in words:
# Hangul fillers, combining grapheme joiner, Mongolian variation selectors, braille blank.
_INVISIBLE_EXTRA = frozenset("\u115f\u1160\u3164\uffa0\u034f\u180b\u180c\u180d\u180e\u180f\u2800")
_LINE_BREAKS = {"\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"}
# always, 伍 陆 拾 too (月入拾万): 队伍 → 队五 in the matching copy matches no term
_FINANCIAL = dict(zip("壹贰叁肆伍陆柒捌玖拾", "一二三四五六七八九十", strict=True))
_NUMERALS = "一二三四五六七八九"

#: Bigrams that begin a lexicon term, with the pinyin of each character (rule P).
#: Order decides a tie only: ``bao过`` is 包过 (before 保过; both are bans).
HOT_BIGRAMS: dict[str, tuple[str, str]] = {
    "最好": ("zui", "hao"), "最佳": ("zui", "jia"), "最低": ("zui", "di"), "最强": ("zui", "qiang"),
    "最高": ("zui", "gao"), "最大": ("zui", "da"), "最全": ("zui", "quan"), "最火": ("zui", "huo"),
    "第一": ("di", "yi"), "唯一": ("wei", "yi"), "绝对": ("jue", "dui"), "包过": ("bao", "guo"),
    "保过": ("bao", "guo"), "包会": ("bao", "hui"), "包赚": ("bao", "zhuan"), "顶级": ("ding", "ji"),
    "全网": ("quan", "wang"), "私信": ("si", "xin"), "加微": ("jia", "wei"), "治愈": ("zhi", "yu"),
    "根治": ("gen", "zhi"), "祛痘": ("qu", "dou"), "稳赚": ("wen", "zhuan"), "暴富": ("bao", "fu"),
    "韭菜": ("jiu", "cai"), "躺赚": ("tang", "zhuan"), "包你": ("bao", "ni"), "割韭": ("ge", "jiu"),
}

#: Initials replaced as a whole run (rule P): run → (characters, the character that
#: must follow it, or None: a Chinese character on either side).
INITIALS: dict[str, tuple[str, str | None]] = {"sx": ("私信", None), "dd": ("滴滴", "我")}

# pinyin → [(character, the character after it)], and → [(character, the one before it)]
_FIRST: dict[str, list[tuple[str, str]]] = {}
_SECOND: dict[str, list[tuple[str, str]]] = {}
for _pair, (_p1, _p2) in HOT_BIGRAMS.items():
    _FIRST.setdefault(_p1, []).append((_pair[0], _pair[1]))
    _SECOND.setdefault(_p2, []).append((_pair[1], _pair[0]))


def is_cjk(ch: str) -> bool:
    """A Chinese (Han) character, in any of the common blocks (and 〇)."""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x323AF
            or 0xF900 <= o <= 0xFAFF or o == 0x3007)


def _invisible(ch: str) -> bool:
    """Format characters, combining marks left alone, variation selectors, _INVISIBLE_EXTRA."""
    o = ord(ch)
    return (unicodedata.category(ch) in ("Cf", "Mn", "Me") or 0xFE00 <= o <= 0xFE0F
            or 0xE0100 <= o <= 0xE01EF or ch in _INVISIBLE_EXTRA)


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """t2s + numerals + lower case for one already-NFKC character; '' if invisible."""
    if _invisible(ch):
        return ""
    if ord(ch) >= 0x2E80:
        simplified = _T2S.convert(ch)
        if len(simplified) == 1:
            ch = simplified
        ch = _FINANCIAL.get(ch, ch)
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


@lru_cache(maxsize=8192)
def _fold_cluster(cluster: str) -> str:
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFKC", cluster))


def fold_chars(text: str) -> str:
    """Stage 1 alone (no offset map, no context rules); used to check that lexicon
    patterns are written in folded form."""
    return "".join(_fold_cluster(c) for c in text)


@dataclass(frozen=True, slots=True)
class Normalized:
    """A folded copy of ``original`` and, per folded character, the span
    ``[starts[i], ends[i])`` of the original it came from."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span ``[start, end)`` (end > start)."""
        return self.starts[start], self.ends[end - 1]

    def original_text(self, start: int, end: int) -> str:
        s, e = self.span(start, end)
        return self.original[s:e]


_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
_HSPACE = "[^\\S\n\r\u2028\u2029\x0b\x0c\x85]"  # horizontal whitespace
_CJK_GAP = re.compile(f"[{_CJK}]{_HSPACE}+[{_CJK}]")  # whitespace between two Chinese characters
_LATIN = "a-z\u00df-\u00f6\u00f8-\u024f\u1e00-\u1eff"  # folded: lower case
_LATIN_RUN = re.compile(f"(?<![{_LATIN}0-9])[{_LATIN}]+(?![{_LATIN}])")
_PINYIN_KEYS = frozenset({*_FIRST, *_SECOND, *INITIALS})
_ASCII_RUN = re.compile("[a-z]+")  # rule P folds only runs that are one of _PINYIN_KEYS
_DIGIT_AFTER = re.compile(r"第[1-9]|唯1")
_NOT_CONTINUED = re.compile(r"(?![0-9]|[ \t]*[.,、~\-–—/:至到][ \t]*[0-9])")
_ZERO_FOR_O = re.compile(r"(?<![a-z0-9])(?:n0|t0p)(?= ?\.? ?[0-9])")
# Rule G's candidates: runs of non-word characters or _ (every filler is one) between Han.
_GAP_RUN = re.compile(f"(?<=[{_CJK}])(?:[^\\w\n\r\u2028\u2029\x0b\x0c\x85]|_)+(?=[{_CJK}])")
_FILLER_EXTRA = frozenset("·•・‧∙*/\\|~^_=@'\"`")
_FILLER_CATEGORIES = frozenset(("So", "Sk", "Sm", "Pc", "Pd"))
_EM_DASHES = frozenset("\u2014\u2015")
_UNITLESS = frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))  # skin tones
_REGIONAL = range(0x1F1E6, 0x1F200)  # two regional indicators make one flag


def _hspace(ch: str) -> bool:
    return ch.isspace() and ch not in _LINE_BREAKS


@lru_cache(maxsize=8192)
def _filler(ch: str) -> bool:
    """Filler (rule G) other than whitespace, for one folded character."""
    if ch in _FILLER_EXTRA:
        return True
    if ch in "<>#" or unicodedata.category(ch) not in _FILLER_CATEGORIES:
        return False
    name = unicodedata.name(ch, "")
    return "ARROW" not in name and "PLUS" not in name


def _latin_ext(ch: str) -> bool:
    """A folded non-ASCII Latin letter (its run may be pinyin with tone marks)."""
    return "\u00df" <= ch <= "\u1eff" and ch.isalpha() and "LATIN" in unicodedata.name(ch, "")


# -------------------------------------------------------------------- fast path

_FOLD1: dict[str, str] = {}
_FOLD1_TABLE: dict[int, str] = {}  # the same, for str.translate (one character to one)
_IRREGULAR: set[str] = set()  # characters that fold to zero or several characters
_FILLING: dict[str, str] = {}  # characters that fold to a filler other than whitespace
_LATIN_EXT: set[str] = set()  # characters that fold to a non-ASCII Latin letter


def _fold1(ch: str) -> str:
    folded = _FOLD1.get(ch)
    if folded is None:
        folded = _fold_cluster(ch) if ch >= "\x80" else ch.lower()
        if len(folded) != 1:
            _IRREGULAR.add(ch)
        else:
            if _filler(folded):
                _FILLING[ch] = folded
            if folded >= "\x80" and _latin_ext(folded):
                _LATIN_EXT.add(ch)
            _FOLD1_TABLE[ord(ch)] = folded
        _FOLD1[ch] = folded  # last: a character in _FOLD1 is in the table or irregular
    return folded


@lru_cache(maxsize=256)
def _filler_gap(fillers: frozenset[str]) -> re.Pattern[str]:
    """Two Chinese characters with only whitespace and these fillers between them."""
    return re.compile(f"[{_CJK}](?:{_HSPACE}|[{re.escape(''.join(sorted(fillers)))}])+[{_CJK}]")


def normalize(text: str) -> Normalized:
    # Fast path, the usual case: every character folds to exactly one, no combining
    # marks, no pinyin and no gap to drop: offsets are the identity. The tests are on
    # the draft's distinct characters, the folding is one str.translate and two
    # regexes: no Python call per character of a long draft.
    if len(_FOLD1) < 65536:
        chars = set(text)
        for ch in chars.difference(_FOLD1):
            _fold1(ch)
        if (
            _IRREGULAR.isdisjoint(chars)
            and _LATIN_EXT.isdisjoint(chars)
            and not any(map(unicodedata.combining, chars))
        ):
            folded = text.translate(_FOLD1_TABLE)
            if _PINYIN_KEYS.isdisjoint(_ASCII_RUN.findall(folded)):
                folded = _one_for_one(folded)
                fillers = frozenset(_FILLING[c] for c in _FILLING.keys() & chars)
                if not (_filler_gap(fillers) if fillers else _CJK_GAP).search(folded):
                    n = len(text)
                    return Normalized(text, folded, tuple(range(n)), tuple(range(1, n + 1)))
    return _normalize_slow(text)


# ---------------------------------------------------------------------- rules

def _one_for_one(s: str) -> str:
    """Rules D and O: each replaces one character by one, so offsets do not move."""
    if "第" in s or "唯" in s:
        s = _DIGIT_AFTER.sub(_numeral, s)
    if "n0" in s or "t0p" in s:
        s = _ZERO_FOR_O.sub(lambda m: m.group(0).replace("0", "o"), s)
    return s


def _numeral(m: re.Match[str]) -> str:
    if not _NOT_CONTINUED.match(m.string, m.end()):
        return m.group(0)
    return m.group(0)[0] + _NUMERALS[int(m.group(0)[1]) - 1]


def _pinyin(s: str, i: int, j: int) -> str | None:
    """The Chinese character(s) for the Latin run ``s[i:j]``, or None (rule P)."""
    key = "".join(c for c in unicodedata.normalize("NFKD", s[i:j]) if not unicodedata.combining(c))
    prev, nxt = s[i - 1:i], s[j:j + 1]
    if key in INITIALS:
        chars, before = INITIALS[key]
        if before is None:
            return chars if is_cjk(prev or "a") or is_cjk(nxt or "a") else None
        return chars if nxt == before else None
    lone_one = nxt == "1" and _NOT_CONTINUED.match(s, j + 1) is not None  # rule D folds it
    for ch, follower in _FIRST.get(key, ()):
        if nxt == follower or (
            follower == "一" and lone_one and (is_cjk(prev or "a") or is_cjk(s[j + 1:j + 2] or "a"))
        ):
            return ch
    for ch, leader in _SECOND.get(key, ()):
        if prev == leader:
            return ch
    return None


def _gap_units(gap: str) -> int | None:
    """How many units of filler ``gap`` holds, or None if it holds a 破折号 (rule G)."""
    units, last, flag_open = 0, "", False
    for ch in gap:
        if (ch in _EM_DASHES and last in _EM_DASHES) or ch in "\u2e3a\u2e3b":
            return None
        if _hspace(ch):
            units += not _hspace(last)  # a run of whitespace is one unit
        elif ord(ch) in _REGIONAL:
            units += not flag_open  # two regional indicators are one flag
            flag_open = not flag_open
        elif ch not in _UNITLESS:  # a skin tone belongs to the emoji before it
            units += 1
        if ord(ch) not in _REGIONAL:
            flag_open = False
        last = ch
    return units


# ---------------------------------------------------------------- slow path


def _normalize_slow(text: str) -> Normalized:
    # Stage 1: per character (a base character with its combining marks).
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        j = i + 1
        if ch < "\x80" and (j == n or text[j] < "\u0300"):
            out.append(ch.lower())
            starts.append(i)
            ends.append(j)
            i = j
            continue
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for folded in _fold_cluster(text[i:j]):
            out.append(folded)
            starts.append(i)
            ends.append(j)
        i = j

    # Rule P: pinyin and initials, a whole Latin run at a time.
    s = "".join(out)
    edits = [(m.start(), m.end(), c) for m in _LATIN_RUN.finditer(s)
             if (c := _pinyin(s, m.start(), m.end())) is not None]
    if edits:
        out, starts, ends = _apply(out, starts, ends, edits)
        s = "".join(out)

    # Rules D and O: one character for one.
    s = _one_for_one(s)

    # Rule G: filler (whitespace included) between two Chinese characters.
    edits = []
    for m in _GAP_RUN.finditer(s):
        gap = m.group()
        if all(_hspace(c) or _filler(c) for c in gap):
            units = _gap_units(gap)
            if units is not None and (units <= 3 or all(map(_hspace, gap))):
                edits.append((m.start(), m.end(), ""))
    if edits:
        out, starts, ends = _apply(list(s), starts, ends, edits)
        s = "".join(out)
    return Normalized(text, s, tuple(starts), tuple(ends))


def _apply(
    out: list[str], starts: list[int], ends: list[int], edits: list[tuple[int, int, str]]
) -> tuple[list[str], list[int], list[int]]:
    """Replace ``out[i:j]`` by the characters of each edit (in order, not overlapping);
    each new character takes the original span of all of ``out[i:j]``."""
    o: list[str] = []
    s: list[int] = []
    e: list[int] = []
    k = 0
    for i, j, chars in edits:
        o += out[k:i]
        s += starts[k:i]
        e += ends[k:i]
        o += chars
        s += [starts[i]] * len(chars)
        e += [ends[j - 1]] * len(chars)
        k = j
    return o + out[k:], s + starts[k:], e + ends[k:]
