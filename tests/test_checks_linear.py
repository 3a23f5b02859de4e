"""The checks on a draft take time in proportion to its length, and the faster
forms of their parts give the same answers as the plain ones.

Not a timing test: a draft four times as long must make the checks take at most
about four times as many steps (functions called and lines of Python run,
counted with ``sys.setprofile`` and ``sys.settrace``), whatever the draft's
shape — prose, one long sentence of clauses, or no punctuation at all, where a
clause or sentence lookup that walked the text made each number cost the length
of the text.
"""

from __future__ import annotations

import random
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipwriter.checks import run_checks
from ipwriter.checks.metrics import DraftClaims, claim_groups, claim_scope
from ipwriter.checks.structure import _TAG_LINE, _tag_line
from ipwriter.checks.vague import _Blocked
from ipwriter.text.numbers import _BLOCK_FIRST, _BLOCK_RE, _blocked_mask
from ipwriter.text.split import Marks, clause_bounds, is_clause_mark, sentence_bounds

from .support.precision import demo_checker

SENTENCES = [
    "我的小红书从0开始，5个月涨到2.3万粉，私信咨询约1300条我全部亲自回。",
    "第三期训练营一共招了126位学员，续费率做到了43%左右。",
    "这门课是全网最好的私域课，效果显著，好评如潮。",
    "很多学员反馈说方法很实用，大量同学都拿到了结果。",
    "想要资料的姐妹加我V信，评论区扣1。",
    "学员小周在抖音直播那天在线人数最高到了3000多人，成交了58单，客单价399元。",
    "我做这件事的态度很简单：不割韭菜，只教自己做过的。",
    "去年我又把一对一诊断的价格调到了6800元，交付四周。",
    "其实你不需要一夜爆红，保证你三个月月入过万，粉丝从800涨到20800。",
    "第2期她说我的学员小周和我一起复盘了3次，我问她的客户，她说我给的方法让她涨粉500。",
]
SHAPES = ("prose", "one sentence", "no marks")


def draft(sentences: int, shape: str) -> str:
    """``sentences`` sentences, every digit drawn at random (few numbers repeat),
    in one of :data:`SHAPES`."""
    rng = random.Random(sentences)
    out = []
    for i in range(sentences):
        out.append(re.sub(r"\d", lambda _: str(rng.randint(1, 9)), SENTENCES[i % len(SENTENCES)]))
        if i % 4 == 3:
            out.append("\n\n")
    text = "".join(out)
    if shape == "one sentence":
        return re.sub(r"[。！？\n]", "，", text)
    if shape == "no marks":
        return re.sub(r"[，。！？：、\n]", "", text)
    return text


def steps(fn) -> int:
    """How many steps ``fn()`` takes: functions called (Python and built-in) and
    lines of Python run (a loop over the text's characters calls no function)."""
    n = 0

    def profile(_frame, event, _arg):
        nonlocal n
        if event in ("call", "c_call"):
            n += 1

    def trace(_frame, event, _arg):
        nonlocal n
        if event == "line":
            n += 1
        return trace

    sys.setprofile(profile)
    sys.settrace(trace)
    try:
        fn()
    finally:
        sys.settrace(None)
        sys.setprofile(None)
    return n


@pytest.mark.parametrize("shape", SHAPES)
def test_a_draft_four_times_as_long_costs_about_four_times_as_much(shape):
    checker = demo_checker()
    check = lambda text: checker.check(text, platform="xiaohongshu", kind="post",  # noqa: E731
                                       generated=True)
    check(draft(12, shape))  # warm: lexicons, jieba, automatons
    small, large = draft(100, shape), draft(400, shape)
    assert len(large) > 3.9 * len(small)
    ratio = steps(lambda: check(large)) / steps(lambda: check(small))
    # linear is 4 (a little less where a long draft repeats itself); before the checks
    # were made linear: 3.9 for prose, 7.1 for one sentence, 14 with no marks
    assert ratio < 6, f"{shape}: {ratio:.1f}× the calls for 4× the text"


def test_many_ordinals_and_findings_cost_the_compliance_check_linear_time():
    """Context rules run on every match now, and a cancelled reading takes its sub-matches
    with it: a draft full of ordinals (第一次, 第一步 are cancelled readings) and findings
    (行业第一, a testimonial that yields) once made each match scan all earlier ones."""
    from ipwriter.checks.compliance import check_compliance

    unit = "第一次开营，第一步先定位，行业第一，学员小林跟着做三个月涨粉2万。"
    check_compliance(unit, "xiaohongshu")  # warm
    small, large = unit * 100, unit * 400
    assert len(check_compliance(large, "xiaohongshu")) == 4 * len(check_compliance(small, "xiaohongshu"))
    ratio = steps(lambda: check_compliance(large, "xiaohongshu")) / steps(
        lambda: check_compliance(small, "xiaohongshu"))
    assert ratio < 6, f"{ratio:.1f}× the steps for 4× the text"


def test_a_huge_sentence_is_checked_as_a_window_around_each_number():
    checker = demo_checker()
    text = draft(400, "no marks")
    report = run_checks(text, checker.numbers, platform="douyin", kind="post")
    assert report.numbers and report.compliance
    for f in [*report.numbers, *report.vague, *report.compliance]:
        assert text[f.start:f.end] == f.text


# -- the faster forms agree with the plain ones --------------------------------------------
def pieces(*items: str, max_size: int = 40) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(items), max_size=max_size).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=pieces(*"ab1.,．，。！?？；;…、（）()\n\r 中文2x", "中文字", max_size=80), data=st.data(),
       short=st.booleans())
def test_marks_find_what_a_walk_over_the_text_finds(text, data, short):
    from ipwriter.text import split

    marks = Marks(text)
    assert marks._clause == [i for i in range(len(text)) if is_clause_mark(text, i)]
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    reach = (split.CLAUSE_REACH, split.SENTENCE_REACH)
    if short:  # the reach cuts these short clauses and sentences too
        split.CLAUSE_REACH, split.SENTENCE_REACH = 3, 5
    try:
        assert marks.clause(start, end) == clause_bounds(text, start, end)
        for window in (None, 3, 40):
            assert marks.sentence(start, end, window) == sentence_bounds(text, start, end, window)
    finally:
        split.CLAUSE_REACH, split.SENTENCE_REACH = reach


def test_a_clause_or_sentence_reaches_only_so_far():
    text = "涨粉" * 1000 + "3000人" + "私域" * 1000
    i = text.index("3000")
    s, e = clause_bounds(text, i, i + 5)
    assert (s, e) == Marks(text).clause(i, i + 5) and i - s == 200 and e - (i + 5) == 200
    assert Marks(text).cut(s, e) and not Marks("涨粉3000人").cut(0, 7)
    assert sentence_bounds(text, i, i + 5) == (i - 400, i + 5 + 400)


@settings(max_examples=200, deadline=None)
@given(picks=st.lists(st.integers(0, len(SENTENCES) - 1), min_size=1, max_size=12),
       sep=st.sampled_from(["", "，", "。", "\n", "：", "我的学员"]))
def test_a_drafts_claims_are_the_claims_of_each_number(picks, sep):
    """DraftClaims (marks found once, repeated clauses read once) answers what
    claim_groups and claim_scope answer for each number on its own."""
    text = sep.join(SENTENCES[i] for i in picks)
    claims = DraftClaims(text, ("小周",))
    for m in re.finditer(r"\d+", text):
        a, b = m.span()
        assert claims.groups(a, b) == claim_groups(text, a, b)
        assert claims.scope(a, b) == claim_scope(text, a, b, ("小周",))


def test_the_block_pattern_starts_only_where_its_first_characters_say():
    """_BLOCK_FIRST holds every character a match of _BLOCK_RE can start with,
    read from the pattern itself: a branch added with a new first character
    must add it there too, or _blocked_mask would skip its matches."""
    from re import _constants as c
    from re import _parser

    def first(items) -> tuple[list, bool]:  # (single-character items a match starts with, empty?)
        out = []
        for op, av in items:
            if op in (c.LITERAL, c.IN):
                return [*out, (op, av)], False
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue
            if op is c.SUBPATTERN:
                got, empty = first(av[3])
            elif op is c.BRANCH:
                parts = [first(alt) for alt in av[1]]
                got, empty = [x for p, _ in parts for x in p], any(e for _, e in parts)
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                got, empty = first(av[2])
                empty = empty or av[0] == 0
            else:
                raise AssertionError(f"teach this test the pattern item {op}")
            out += got
            if not empty:
                return out, False
        return out, True

    starts, empty = first(_parser.parse(_BLOCK_RE.pattern, _BLOCK_RE.flags))
    assert not empty
    probe = re.compile("|".join(_parser_item(op, av) for op, av in starts))
    every = "".join(map(chr, range(0x3000))) + "".join(map(chr, range(0x4E00, 0xA000))) + "（）"
    can_start = {ch for ch in every if probe.match(ch)}
    missing = {ch for ch in can_start if not _BLOCK_FIRST.match(ch)}
    assert not missing, f"add to _BLOCK_FIRST: {''.join(sorted(missing))!r}"


def _parser_item(op, av) -> str:
    """One parsed single-character item (LITERAL or IN) written back as a pattern."""
    from re import _constants as c

    if op is c.LITERAL:
        return re.escape(chr(av))
    parts, negate = [], False
    for kind, value in av:
        if kind is c.LITERAL:
            parts.append(re.escape(chr(value)))
        elif kind is c.RANGE:
            parts.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
        elif kind is c.CATEGORY:
            parts.append({c.CATEGORY_DIGIT: r"\d", c.CATEGORY_SPACE: r"\s",
                          c.CATEGORY_WORD: r"\w"}[value])
        elif kind is c.NEGATE:
            negate = True
        else:
            raise AssertionError(f"teach this test the set item {kind}")
    return f"[{'^' if negate else ''}{''.join(parts)}]"


@settings(max_examples=400, deadline=None)
@given(text=pieces(*"第3期1-2、,，和及与2025年4月8日到17日号/.:20晚上8点半整钟前零一二两三四五六七八九十百千万\n \t",
                   *"-*•·>#(（)）[]扣刷回复打双11十一618大促90后年代从0到1开始十万火急十分钟之x成千上万乱七八糟",
                   "1\ufe0f\u20e3", "回复", "晚上", "2025年", "十分钟"))
def test_the_blocked_mask_is_the_blocked_regions(text):
    mask = bytearray(len(text) + 1)
    for m in _BLOCK_RE.finditer(text):
        mask[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    assert _blocked_mask(text) == mask


@settings(max_examples=400, deadline=None)
@given(text=pieces("#a", "#", "b", " ", "\n", "#私域", "x#y", "\t", "\n\n", max_size=14))
def test_a_tag_line_is_found_on_the_last_line(text):
    text = text.strip()
    assert _tag_line(text) == bool(_TAG_LINE.search(text))


@settings(max_examples=300, deadline=None)
@given(text=pieces(*"不少于很多余也许多x", "不少于", "很多", max_size=30), data=st.data())
def test_a_blocker_overlaps_a_phrase_as_a_pass_over_all_blockers_says(text, data):
    spans = [m.span() for m in re.finditer("不少于|很多余|也许多", text)]
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text) + 2))
    blocked = _Blocked(re.finditer("不少于|很多余|也许多", text))
    assert blocked.overlaps(start, end) == any(bs < end and be > start for bs, be in spans)
