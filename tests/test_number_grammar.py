"""Numbers as course sellers write them: 成 as a share (三成 = 30 %), vague
magnitudes (破万, 近万, 七位数, 大几千) and the idioms that only look like numbers;
then end to end, from a note through the fact extractor to a draft's verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipwriter.checks import NumberChecker, run_checks
from ipwriter.knowledge.chunk import chunk_document
from ipwriter.knowledge.facts import extract_facts
from ipwriter.knowledge.load import load_document
from ipwriter.knowledge.models import Fact
from ipwriter.text.numbers import NumberSpan, find_numbers


def one(text: str) -> NumberSpan:
    spans = find_numbers(text)
    assert len(spans) == 1, spans
    s = spans[0]
    assert text[s.start:s.end] == s.text
    return s


def shape(s: NumberSpan) -> tuple:
    return s.text, s.value, s.high, s.unit, s.approx, s.plus, s.modifier


# --------------------------------------------------------------------- 成: a tenth

@pytest.mark.parametrize("text, expected", [
    ("3成", ("3成", 30, None, "%", False, False, None)),
    ("3 成", ("3 成", 30, None, "%", False, False, None)),
    ("三成的学员", ("三成", 30, None, "%", False, False, None)),
    ("两成", ("两成", 20, None, "%", False, False, None)),
    ("四成", ("四成", 40, None, "%", False, False, None)),
    ("七八成", ("七八成", 70, 80, "%", False, False, None)),
    ("两三成", ("两三成", 20, 30, "%", False, False, None)),
    ("3成到5成", ("3成到5成", 30, 50, "%", False, False, None)),
    ("九成以上", ("九成以上", 90, None, "%", False, True, None)),
    ("三成多", ("三成多", 30, None, "%", False, True, None)),
    ("三成左右", ("三成左右", 30, None, "%", True, False, None)),
    ("近三成", ("近三成", 30, None, "%", True, False, "近")),
    ("超过三成", ("超过三成", 30, None, "%", False, False, "超过")),
    ("不到一成", ("不到一成", 10, None, "%", False, False, "不到")),
    ("3.5成", ("3.5成", 35, None, "%", False, False, None)),
    ("九成五的人", ("九成五", 95, None, "%", False, False, None)),
    ("九成九", ("九成九", 99, None, "%", False, False, None)),
    ("两成半", ("两成半", 25, None, "%", False, False, None)),
    ("三成年轻人", ("三成", 30, None, "%", False, False, None)),  # not 成年
    ("九成都是宝妈", ("九成", 90, None, "%", False, False, None)),  # not 成都
    ("九成新手都卡在这", ("九成", 90, None, "%", False, False, None)),  # not 九成新
])
def test_cheng_is_a_percentage(text: str, expected: tuple) -> None:
    assert shape(one(text)) == expected


@pytest.mark.parametrize("text", [
    "成功", "成交", "成本", "成为", "成长", "完成", "成都", "我在成都开课",
    "八成新的二手书", "九成九新", "3成新", "一成不变", "三成熟", "七成熟的牛排", "几成",
    "十成把握", "三五成群", "成千上万", "成百上千", "一成",
])
def test_cheng_that_is_not_a_share(text: str) -> None:
    assert find_numbers(text) == []


def test_cheng_next_to_words() -> None:
    # 成 glued to a following word is that word: no share, and no number left over
    assert [s.text for s in find_numbers("那天三成交了40单，九成为了投流")] == ["40单"]
    # an Arabic digit with no unit is still a number (as 涨粉8600 is), just not a share
    assert shape(one("第3天3成交")) == ("3", 3, None, None, False, False, None)
    # a tail digit is read only where no other word starts: 九成一样 is 90 %
    assert shape(one("九成一样")) == ("九成", 90, None, "%", False, False, None)
    assert shape(one("三成四川人")) == ("三成", 30, None, "%", False, False, None)


# --------------------------------------------------------------------- magnitudes

@pytest.mark.parametrize("text, expected", [
    ("粉丝破万", ("破万", 10000, None, None, False, True, None)),
    ("破万粉", ("破万粉", 10000, None, "粉", False, True, None)),
    ("播放破百万", ("破百万", 1_000_000, None, None, False, True, None)),
    ("过百万", ("过百万", 1_000_000, None, None, False, True, None)),
    ("营收破千万了", ("破千万", 10_000_000, None, "元", False, True, None)),
    ("销量过万的爆款", ("过万", 10000, None, None, False, True, None)),
    ("月入过万", ("过万", 10000, None, "元", False, True, None)),
    ("年流水过亿", ("过亿", 100_000_000, None, "元", False, True, None)),
    ("破10万", ("破10万", 100000, None, None, False, True, None)),
    ("突破两万粉", ("破两万粉", 20000, None, "粉", False, True, None)),
    ("上万", ("上万", 10000, None, None, True, True, None)),
    ("近万", ("近万", 10000, None, None, True, False, "近")),
    ("近万名学员", ("近万名", 10000, None, "人", True, False, "近")),
    ("超百万播放", ("超百万播放", 1_000_000, None, "播放", False, False, "超")),
    ("超过百万", ("超过百万", 1_000_000, None, None, False, False, "超过")),
    ("逾千万", ("逾千万", 10_000_000, None, None, False, False, "逾")),
    ("近万份", ("近万份", 10000, None, "份", True, False, "近")),
    ("数万", ("数万", 20000, 90000, None, True, False, None)),
    ("几万", ("几万", 20000, 90000, None, True, False, None)),
    ("几十万", ("几十万", 200000, 900000, None, True, False, None)),
    ("大几千", ("大几千", 5000, 9999, None, True, False, None)),
    ("月入大几千", ("大几千", 5000, 9999, "元", True, False, None)),
    ("大几万", ("大几万", 50000, 99999, None, True, False, None)),
    ("小几万", ("小几万", 10000, 49999, None, True, False, None)),
    ("七位数", ("七位数", 1_000_000, 9_999_999, None, False, False, None)),
    ("年入七位数", ("七位数", 1_000_000, 9_999_999, "元", False, False, None)),
    ("七位数收入", ("七位数", 1_000_000, 9_999_999, None, False, False, None)),
    ("七位数年薪", ("七位数", 1_000_000, 9_999_999, None, False, False, None)),
    ("六位数", ("六位数", 100_000, 999_999, None, False, False, None)),
    ("八位数", ("八位数", 10_000_000, 99_999_999, None, False, False, None)),
    ("六位数粉丝", ("六位数粉丝", 100_000, 999_999, "粉", False, False, None)),
    ("5位数", ("5位数", 10000, 99999, None, False, False, None)),
])
def test_vague_magnitudes(text: str, expected: tuple) -> None:
    assert shape(one(text)) == expected


@pytest.mark.parametrize("text", [
    "万一", "万能", "万事开头难", "千万别", "千万不要", "千万记住", "不过千万别急", "百万富翁",
    "年入百万不是梦", "走过千山万水", "超万能的方法", "月入不过万", "两位数乘两位数", "十位数",
    "突破一下自己", "近百年", "年过千年",
])
def test_magnitude_idioms_are_not_claims(text: str) -> None:
    assert find_numbers(text) == []


def test_po_and_guo_that_are_not_past() -> None:
    # 跌破 is "fell below": the number stands, without 破 or a lower bound
    assert shape(one("跌破1万")) == ("1万", 10000, None, None, False, False, None)
    # 写过十万字: after a verb 过 says it happened; the number stands, not a lower bound
    assert shape(one("写过十万字的人")) == ("十万字", 100000, None, "字", False, False, None)
    # 扩大几千倍: the 大 is 扩大's, so 几千 keeps its plain 2…9 thousand
    assert shape(one("扩大几千倍")) == ("几千倍", 2000, 9000, "倍", True, False, None)


def test_offsets_in_a_sentence() -> None:
    text = "学员里有三成做到了月入过万，粉丝破万的有近万人，我年入七位数，上班时月入大几千。"
    spans = find_numbers(text)
    assert [s.text for s in spans] == ["三成", "过万", "破万", "近万人", "七位数", "大几千"]
    for s in spans:
        assert text[s.start:s.end] == s.text


# --------------------------------------------------------------------- end to end

def note_checker(tmp_path: Path, note: str) -> NumberChecker:
    """Facts from a note through the real loader, chunker and fact extractor."""
    path = tmp_path / "note.md"
    path.write_text(note, encoding="utf-8")
    doc = load_document(path, "knowledge/note.md")
    return NumberChecker([f for c in chunk_document(doc) for f in extract_facts(c)])


def verdicts(draft: str, checker: NumberChecker) -> list[tuple[str, str]]:
    return [(n.text, n.verdict) for n in run_checks(draft, checker).numbers]


def fact(text: str, value: float, unit: str | None, subject: str, quote: str,
         high: float | None = None) -> Fact:
    return Fact(text=text, value=value, high=high, unit=unit, subject=subject, kind="自证",
                source="knowledge/n.md", quote=quote, chunk_id="c1")


def test_three_cheng_is_grounded_by_thirty_percent(tmp_path: Path) -> None:
    checker = note_checker(tmp_path, "# 第二期复盘\n\n学员里有30%做到了月入过万。\n")
    assert verdicts("学员里有三成做到了月入过万", checker) == [("三成", "grounded"), ("过万", "grounded")]
    assert verdicts("学员里有四成做到了月入过万", checker)[0] == ("四成", "ungrounded")


def test_a_share_in_the_notes_grounds_a_percentage(tmp_path: Path) -> None:
    checker = note_checker(tmp_path, "# 复盘\n\n这次复购率三成。\n")
    assert verdicts("这次复购率30%", checker) == [("30%", "grounded")]
    assert verdicts("这次复购率3成", checker) == [("3成", "grounded")]
    assert verdicts("这次复购率30人", checker) == [("30人", "ungrounded")]  # % is its own unit


@pytest.mark.parametrize("note, draft, verdict", [
    ("这次复购率38%。", "这次复购率近四成", "approx"),
    ("这次复购率92%。", "这次复购率九成以上", "approx"),
    ("这次复购率75%。", "这次复购率七八成", "approx"),
    ("这次复购率65%。", "这次复购率七八成", "ungrounded"),
])
def test_hedged_and_ranged_shares(tmp_path: Path, note: str, draft: str, verdict: str) -> None:
    checker = note_checker(tmp_path, f"# 复盘\n\n{note}\n")
    assert verdicts(draft, checker)[0][1] == verdict


@pytest.mark.parametrize("value, verdict", [(12000, "approx"), (8600, "ungrounded")])
def test_fans_past_ten_thousand(tmp_path: Path, value: int, verdict: str) -> None:
    checker = note_checker(tmp_path, f"# 账号\n\n今年小红书粉丝涨到{value}粉。\n")
    assert verdicts("我的小红书粉丝破万了", checker) == [("破万", verdict)]
    hand = NumberChecker([fact(f"{value}粉", value, "粉", "粉丝", f"粉丝涨到{value}粉。")])
    assert verdicts("粉丝破万", hand) == [("破万", verdict)]


def test_seven_figures(tmp_path: Path) -> None:
    assert verdicts("去年年入七位数", NumberChecker([])) == [("七位数", "ungrounded")]
    checker = note_checker(tmp_path, "# 收入\n\n2024年我年入1,200,000元。\n")
    assert verdicts("去年年入七位数", checker) == [("七位数", "approx")]
    low = note_checker(tmp_path, "# 收入\n\n2024年我年入800,000元。\n")
    assert verdicts("去年年入七位数", low) == [("七位数", "ungrounded")]
    same = note_checker(tmp_path, "# 收入\n\n2024年我年入七位数。\n")
    assert verdicts("去年年入七位数", same) == [("七位数", "grounded")]


@pytest.mark.parametrize("draft, value, verdict", [
    ("辞职前我月入大几千", 8500, "approx"),
    ("辞职前我月入大几千", 4000, "ungrounded"),
    ("辞职前我月入小几千", 8500, "ungrounded"),
    ("辞职前我月入小几千", 3000, "approx"),
])
def test_big_and_small_thousands(tmp_path: Path, draft: str, value: int, verdict: str) -> None:
    checker = note_checker(tmp_path, f"# 收入\n\n辞职前我月入{value}元。\n")
    assert verdicts(draft, checker) == [(draft[-3:], verdict)]


@pytest.mark.parametrize("note, draft, verdict", [
    ("这场直播卖了3万元。", "这场直播卖了几万", "approx"),
    ("这场直播卖了25万元。", "这场直播卖了几十万", "approx"),
    ("这场直播卖了3万元。", "这场直播卖了几十万", "ungrounded"),
    ("小红书有近9800人关注。", "小红书近万人关注", "approx"),
    ("小红书有7000人关注。", "小红书近万人关注", "ungrounded"),
])
def test_vague_amounts_end_to_end(tmp_path: Path, note: str, draft: str, verdict: str) -> None:
    checker = note_checker(tmp_path, f"# 复盘\n\n{note}\n")
    assert verdicts(draft, checker)[0][1] == verdict
