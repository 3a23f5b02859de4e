"""Dodges of the compliance lexicon are folded away (ipwriter/checks/normalize.py),
end to end: the finding is reported on the text as written, and honest copy
that looks like a dodge stays clean.

Each evaded draft is checked against its plain form: the same findings (rule
and level), the evaded one reported with its original span. That keeps these
tests about the folding, whatever the lexicon's levels are.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ipwriter.checks.normalize as normalize_module
from ipwriter.checks.compliance import check_compliance, load_compliance_lexicon
from ipwriter.checks.normalize import Normalized, _normalize_slow, fold_chars, normalize
from ipwriter.checks.vague import default_vague_lexicon


def assert_offsets(text: str, findings: list) -> None:
    last = 0
    for f in findings:
        assert text[f.start:f.end] == f.text
        assert f.start < f.end
        assert f.start >= last
        last = f.end


def folded_of(n: Normalized, start: int, end: int) -> str:
    """The folded characters that come from ``original[start:end]``."""
    return "".join(c for c, s, e in zip(n.text, n.starts, n.ends, strict=True) if start <= s and e <= end)


def assert_caught(evaded: str, plain: str, span: str, platform: str | None = None) -> None:
    """``evaded`` is reported like ``plain`` (same rules, levels and folded text),
    each finding as written, and one of them holds the dodge ``span``."""
    reference = check_compliance(plain, platform)
    assert reference, f"the plain form {plain!r} must be a finding of the lexicon"
    findings = check_compliance(evaded, platform)
    assert_offsets(evaded, findings)
    assert [(f.rule, f.level) for f in findings] == [(f.rule, f.level) for f in reference]
    folded, folded_plain = normalize(evaded), normalize(plain)
    for f, r in zip(findings, reference, strict=True):
        assert folded_of(folded, f.start, f.end) == folded_of(folded_plain, r.start, r.end)
    holding = [f for f in findings if span in f.text]
    assert holding, (span, [f.text for f in findings])
    f = holding[0]
    assert f.level in ("ban", "caution")
    at = f.start + f.text.index(span)
    assert evaded[at:at + len(span)] == span


# ------------------------------------------------- 1. digits for 一, 0 for O

DIGITS = [
    ("行业第1的私域课", "行业第一的私域课", "行业第1"),
    ("全网第１的课", "全网第一的课", "全网第１"),
    ("销量第𝟏的课", "销量第一的课", "销量第𝟏"),
    ("这门课排名第壹", "这门课排名第一", "排名第壹"),
    ("我们是第1名", "我们是第一名", "第1名"),
    ("第1品牌", "第一品牌", "第1品牌"),
    ("跟我学月入拾万", "跟我学月入十万", "月入拾万"),
    ("N0.1的起号方法", "no.1的起号方法", "N0.1"),
    ("小林的课是n0 1", "小林的课是no 1", "n0 1"),
    ("ＮＯ．１的课，Ｎ０．１也不行", "ＮＯ．１的课，ＮＯ．１也不行", "Ｎ０．１"),
    ("T0P1的课", "TOP1的课", "T0P1"),
]


@pytest.mark.parametrize("evaded, plain, span", DIGITS)
def test_digit_dodges_are_caught(evaded: str, plain: str, span: str) -> None:
    assert_caught(evaded, plain, span)


@pytest.mark.parametrize("text, folded", [
    ("第1", "第一"), ("第１", "第一"), ("第𝟏", "第一"), ("第壹", "第一"), ("第3节", "第三节"),
    ("第9", "第九"), ("唯1", "唯一"), ("壹贰叁肆伍陆柒捌玖拾", "一二三四五六七八九十"),
    ("第10期", "第10期"), ("第1.5版", "第1.5版"), ("第1-3周", "第1-3周"), ("第1~3节", "第1~3节"),
    ("第1,2章", "第1,2章"), ("第1、2期", "第1、2期"), ("第0", "第0"), ("唯2", "唯2"),
    ("第 1名", "第 1名"), ("N0.1", "no.1"), ("NO．1", "no.1"), ("n0 1", "no 1"), ("t0p1", "top1"),
    ("xn0.1", "xn0.1"), ("2n0.1", "2n0.1"), ("n0", "n0"), ("n0.x", "n0.x"),
])
def test_digit_folding(text: str, folded: str) -> None:
    assert normalize(text).text == folded
    assert normalize(text) == _normalize_slow(text)


# ------------------------------------- 2. combining marks and invisible marks

INVISIBLE = [
    ("这门课最\u0301好", "这门课最好", "最\u0301好"),
    ("国\u034f家级课程", "国家级课程", "国\u034f家级"),
    ("顶\u180b级讲师", "顶级讲师", "顶\u180b级"),
    ("保\u2800过班", "保过班", "保\u2800过"),
    ("治\u206a愈失眠", "治愈失眠", "治\u206a愈"),
    ("无\u180f效退款", "无效退款", "无\u180f效退款"),
    ("这是唯\u2063一认证的课", "这是唯一认证的课", "唯\u2063一"),
    ("最\u20dd佳", "最佳", "最\u20dd佳"),  # a combining enclosing circle (Me)
    ("最低\u0323\u0301价", "最低价", "最低\u0323\u0301价"),
]


@pytest.mark.parametrize("evaded, plain, span", INVISIBLE)
def test_invisible_marks_are_dropped(evaded: str, plain: str, span: str) -> None:
    assert_caught(evaded, plain, span)


def test_composed_accents_stay_letters() -> None:
    n = normalize("Cafe\u0301!")
    assert n.text == "café!"
    assert n.original_text(3, 4) == "e\u0301"


# --------------------------------------- 3. filler between Chinese characters

FILLER = [
    ("全网最🔥好的课", "全网最好的课", "全网最🔥好"),
    ("这门课最·佳", "这门课最佳", "最·佳"),
    ("今天最-低价", "今天最低价", "最-低价"),
    ("国*家级认证", "国家级认证", "国*家级"),
    ("顶_级讲师", "顶级讲师", "顶_级"),
    ("包/过班", "包过班", "包/过"),
    ("保~过班", "保过班", "保~过"),
    ("无|效退款", "无效退款", "无|效退款"),
    ("治★愈失眠", "治愈失眠", "治★愈"),
    ("这门课最 ❤️ 好", "这门课最好", "最 ❤️ 好"),
    ("这门课最👍🏻好", "这门课最好", "最👍🏻好"),
    ("这门课最👨‍👩‍👧好", "这门课最好", "最👨‍👩‍👧好"),
    ("这门课最*️⃣好", "这门课最好", "最*️⃣好"),
    ("这门课最🇨🇳好", "这门课最好", "最🇨🇳好"),
    ("这门课最 · 佳", "这门课最佳", "最 · 佳"),
    ("国家·级", "国家级", "国家·级"),
    ("国＊家级", "国家级", "国＊家级"),
    ("最—好的课", "最好的课", "最—好"),
]


@pytest.mark.parametrize("evaded, plain, span", FILLER)
def test_filler_between_chinese_is_dropped(evaded: str, plain: str, span: str) -> None:
    assert_caught(evaded, plain, span)


@pytest.mark.parametrize("text", [
    "最🔥🔥🔥🔥好",  # more than three units: a separator, not a dodge
    "国内——最大的问题是定价",  # 破折号 is clause punctuation
    "最…好", "最，好", "最,好", "最。好", "最!好", "最？好", "最；好", "最：好", "最、好",
    "最「好」", "最『好』", "最“好”", "最‘好’", "最(好)", "最（好）", "最《好》", "最【好】",
    "最\n好", "最 \n 好", "访客->加微信", "访客→加微信", "访客➡️加微信", "最<好>",
    "最#好", "最 #好", "最+好", "最➕好", "最＋好",  # a hashtag; + is 加 to the lexicon
])
def test_clause_punctuation_and_long_gaps_stay(text: str) -> None:
    n = normalize(text)
    assert n == _normalize_slow(text)
    assert "最好" not in n.text and "客加" not in n.text


def test_hashtags_and_plus_signs_stay() -> None:
    assert normalize("#收纳师 #宝妈副业 #知识变现").text == "#收纳师 #宝妈副业 #知识变现"
    assert normalize("点赞+收藏，资料➕微信").text == "点赞+收藏,资料➕微信"


def test_filler_gap_takes_the_span_of_the_run() -> None:
    n = normalize("全网最 🔥 好")
    assert n.text == "全网最好"
    assert n.span(2, 4) == (2, 7)
    assert n.original_text(3, 4) == "好"


# ------------------------------------------------------- 4. pinyin dodges

PINYIN = [
    ("zui好的课", "最好的课", "zui好", None),
    ("ZUI低价", "最低价", "ZUI低价", None),
    ("zuì佳方案", "最佳方案", "zuì佳", None),
    ("最hao的课", "最好的课", "最hao", None),
    ("行业di一", "行业第一", "行业di一", None),
    ("行业di1", "行业第一", "行业di1", None),
    ("bao过班", "包过班", "bao过", None),
    ("包guo班", "包过班", "包guo", None),
    ("顶ji讲师", "顶级讲师", "顶ji", None),
    ("这是wei一认证的课", "这是唯一认证的课", "wei一", None),
    ("这是wei1认证的课", "这是唯一认证的课", "wei1", None),
    ("sx领取资料", "私信领取资料", "sx领取", "xiaohongshu"),
    ("想要的jia微信", "想要的加微信", "jia微信", "xiaohongshu"),
    ("想要的加wei信", "想要的加微信", "加wei信", "xiaohongshu"),
]


@pytest.mark.parametrize("evaded, plain, span, platform", PINYIN)
def test_pinyin_dodges_are_caught(evaded: str, plain: str, span: str, platform: str | None) -> None:
    assert_caught(evaded, plain, span, platform)


@pytest.mark.parametrize("text, folded", [
    ("zui好", "最好"), ("ZUI好", "最好"), ("Zuì好", "最好"), ("zu\u0300i好", "最好"), ("zu\u200bi好", "最好"),
    ("dd我", "滴滴我"), ("sx我", "私信我"),
    # left alone: not next to the bigram's other character, not a hot bigram, not pinyin
    ("zui 好", "zui 好"), ("zuihao", "zuihao"), ("zui", "zui"), ("xzui好", "xzui好"), ("2zui好", "2zui好"),
    ("di士尼", "di士尼"), ("VIP会员", "vip会员"), ("iPhone手机", "iphone手机"), ("ok吗", "ok吗"),
    ("dd打车", "dd打车"), ("wei12", "wei12"), ("d1", "d1"), ("di1", "di1"), ("回Ben消息", "回ben消息"),
    ("Audi一下", "audi一下"), ("加Wei老师", "加微老师"),
])
def test_pinyin_folding(text: str, folded: str) -> None:
    assert normalize(text).text == folded
    assert normalize(text) == _normalize_slow(text)


def test_pinyin_takes_the_span_of_the_run() -> None:
    n = normalize("全网zuì好")
    assert n.text == "全网最好"
    assert n.span(2, 3) == (2, 5)
    assert n.original_text(2, 4) == "zuì好"
    n = normalize("sx领取")
    assert n.text == "私信领取"
    assert n.starts[:2] == (0, 0) and n.ends[:2] == (2, 2)


# ------------------------------------------------------------ honest copy

HONEST = [
    "第1次开营就满员了", "第1步先定位", "第10期训练营开始报名", "第1.5版课件更新了", "1对1答疑",
    "VIP会员可以看回放", "iPhone手机拍的", "学会了ok吗", "第一次发笔记就爆了", "最近在做私域",
    "di士尼乐园的照片", "最后一步是复盘", "2024-最新版大纲", "好课🔥最近在更新",
    "小红书·最近三个月的复盘", "第1期·开营", "第1期·开营🎉最近还有名额", "我的第1个学员",
    "第3节讲选题", "第1周：定位", "第1-3周打基础", "第1、2期学员", "打卡第1天",
    "课程/社群/直播都有", "上午·下午各一场", "张三·李四", "好评如潮👍最近还在更新",
    "谢谢大家～最近有点忙", "国内——最大的问题是定价", "2w+粉丝", "N0.5号位", "我的🐱超可爱",
    "今天打卡✅明天继续", "周一📚周二📝周三🎬", "收拾好心情再出发", "队伍里有三个新人",
    "这是我做号以来最🔥的一篇", "#私域运营# #小红书#", "@小林 谢谢你的反馈",
    "⚠️ 以上是小鹿的个人结果。\n\n#收纳师 #宝妈副业 #知识变现",
]


@pytest.mark.parametrize("text", HONEST)
def test_honest_copy_stays_clean(text: str) -> None:
    findings = check_compliance(text, "xiaohongshu")
    assert_offsets(text, findings)
    assert [f for f in findings if f.level == "ban"] == []
    assert [f for f in check_compliance(text) if f.level == "ban"] == []


@pytest.mark.parametrize("text", [t for t in HONEST if "小红书" not in t and "最🔥" not in t])
def test_honest_copy_has_no_finding_at_all(text: str) -> None:
    assert check_compliance(text) == []


# ------------------------------------------------------------- fold_chars


@pytest.mark.parametrize("pattern", [
    r"(?<![a-z0-9])(?:no|top) ?\.? ?1(?![0-9])", r"最*好|#+/~_\d{2,}[^,。]", "第1", "zui好", "最 好",
    r"(?:->|→)\s*", r"[^,。!?;]{0,12}$", "'\"`^=@|\\",
])
def test_fold_chars_keeps_pattern_syntax(pattern: str) -> None:
    """fold_chars is the per-character stage only: context rules never touch a pattern."""
    assert fold_chars(pattern) == pattern


def test_fold_chars_folds_numerals_and_drops_marks() -> None:
    assert fold_chars("第壹") == "第一"
    assert fold_chars("貳拾") == "二十"
    assert fold_chars("最\u0301好\u034f\u2800") == "最好"
    assert fold_chars("ＮＯ．１") == "no.1"


def test_lexicons_load() -> None:
    assert load_compliance_lexicon().rules
    assert default_vague_lexicon() is not None


# --------------------------------------------------- offsets and fast path

ALPHABET = list(
    "最好佳低价第一唯包过全网国家级顶治愈无效退款课的我"  # Han
    "zuidheowbagjxsnpt"  # Latin, pinyin and no/top
    "ZUIDN0123456789"  # capitals and digits
    "·-*/_~|★#+=@'\"`"  # filler
    " \t\u3000\n"  # whitespace
    ",.，。!？、:;「」“”()（）《》…—<>→"  # clause punctuation and structure
) + [
    "🔥", "❤️", "👍🏻", "🇨🇳", "👨‍👩‍👧", "#️⃣", "１", "𝟏", "壹", "拾", "ì", "é", "Ｎ", "０", "．",
    "\u200b", "\u034f", "\u180b", "\u2800", "\u2062", "\u206a", "\u0301", "\u20e3", "\ufe0f", "\u3164",
    "——", "ﬁ", "㍿", "網", "貳",
]


def assert_invariants(text: str, n: Normalized) -> None:
    assert n.original == text
    assert len(n.starts) == len(n.ends) == len(n.text)
    last_start = last_end = 0
    for s, e in zip(n.starts, n.ends, strict=True):
        assert 0 <= s < e <= len(text)
        assert s >= last_start and e >= last_end, "spans are monotonic"
        last_start, last_end = s, e
    for a in range(len(n.text)):
        for b in range(a + 1, min(len(n.text), a + 6) + 1):
            s, e = n.span(a, b)
            assert n.original_text(a, b) == text[s:e]
            assert s == n.starts[a] and e == n.ends[b - 1]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join))
def test_fast_path_agrees_with_the_reference_on_mixed_text(text: str) -> None:
    n = normalize(text)
    assert n == _normalize_slow(text)
    assert_invariants(text, n)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join))
def test_findings_report_the_original_text(text: str) -> None:
    findings = check_compliance(text)
    assert_offsets(text, findings)
    for f in findings:
        assert f.text == text[f.start:f.end] and f.text


@pytest.mark.parametrize("text", [
    "全网最🔥好的课，zui好的方法，行业第1，N0.1，国\u034f家级",
    "第1期·开营\n\n好课🔥最近在更新 —— 全 网 最 低",
    "zuì好 ZUI低价 最hao 包guo sx领取 dd我 wei1的课 di一",
    "最🔥🔥🔥🔥好 国内——最大 访客->加微信 最…好",
])
def test_offsets_of_every_dodge(text: str) -> None:
    n = normalize(text)
    assert n == _normalize_slow(text)
    assert_invariants(text, n)


@pytest.mark.parametrize("text", [
    "我的小红书从0开始，5个月涨到2.3万粉，私信咨询约1300条我全部亲自回。",
    "第2期她说我的学员小周和我一起复盘了3次，第1次开营就满员了。",
    "想要资料的姐妹加我V信，评论区扣1。N0.1的课，TOP1的课。",
    "这门课是全网最好的私域课，效果显著，好评如潮。2w+粉丝，1对1答疑，VIP会员。",
])
def test_ordinary_drafts_take_the_fast_path(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = _normalize_slow(text)

    def refuse(_text: str) -> Normalized:
        raise AssertionError("an ordinary draft took the slow path")

    monkeypatch.setattr(normalize_module, "_normalize_slow", refuse)
    n = normalize(text)
    assert n == reference
    assert n.starts == tuple(range(len(text)))
