"""ipwriter.checks.compliance: 广告法 / platform findings with offsets into the draft."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipwriter.checks.compliance import (
    DEFAULT_LEXICON,
    ComplianceLexiconError,
    check_compliance,
    default_compliance_lexicon,
    load_compliance_lexicon,
    parse_compliance_lexicon,
)
from ipwriter.checks.models import ComplianceFinding
from ipwriter.checks.normalize import normalize
from ipwriter.errors import ConfigError


def found(text: str, platform: str | None = None, banned: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    findings = check_compliance(text, platform, banned)
    assert_offsets(text, findings)
    return [(f.text, f.level) for f in findings]


def assert_offsets(text: str, findings: list[ComplianceFinding]) -> None:
    last = 0
    for f in findings:
        assert text[f.start:f.end] == f.text
        assert f.start < f.end
        assert f.start >= last, "findings must be sorted and not overlap"
        last = f.end


# ------------------------------------------------------------ acceptance rows

ACCEPTANCE = [
    ("三个月涨粉两万，真的不难", []),
    ("小林3个月涨粉2w+，ＮＯ．１的起号方法", [("ＮＯ．１", "ban")]),
    ("首期126位学员，复购率高达38%", []),
    ("首期近130位学员", []),
    ("首期学员超过200人", []),
    ("单场直播卖了十二万五", []),
    ("统一零售价一千九百九十九，性价比之王", [("性价比之王", "ban")]),
    ("每天练习不少于30分钟，7天就能看到明显效果", [("7天就能看到明显效果", "caution")]),
    ("第一步先定位，第一次发笔记就爆了", []),
    # 祛痘 (cure claim) and 100%有效 are bans; the doctor's endorsement needs proof.
    ("这款精华三天祛痘，100%有效，皮肤科医生推荐",
     [("祛痘", "ban"), ("100%有效", "ban"), ("皮肤科医生推荐", "evidence")]),
    ("好评如潮，大量学员反馈效果显著", []),
    ("超级市场买的平价面霜，我用了两三个月", []),
    # self-comparison (SAMR 2023 guideline art. 6(1)): downgraded to caution, never ban
    ("我最高一篇笔记点赞1.2w，是我做号以来最好的一篇", [("最高", "caution"), ("最好", "caution")]),
    ("零基础3个月回本，年入百万不是梦", [("3个月回本", "ban"), ("年入百万", "ban")]),
]


@pytest.mark.parametrize("text, expected", ACCEPTANCE)
@pytest.mark.parametrize("platform", [None, "xiaohongshu", "douyin", "wechat", "moments", "live"])
def test_acceptance_rows(text: str, expected: list[tuple[str, str]], platform: str | None) -> None:
    assert found(text, platform) == expected


def test_nfkc_full_width_no1_reports_original_text() -> None:
    text = "小林3个月涨粉2w+，ＮＯ．１的起号方法"
    [f] = check_compliance(text)
    assert (f.text, f.start, f.end) == ("ＮＯ．１", 11, 15)
    assert f.rule == "绝对化用语"
    assert f.basis == "《广告法》第九条第三项"


def test_exact_finding_fields_for_cosmetics_row() -> None:
    fs = check_compliance("这款精华三天祛痘，100%有效，皮肤科医生推荐")
    assert [(f.rule, f.start, f.end) for f in fs] == [
        ("疾病治疗/医疗用语", 6, 8),
        ("百分百效果承诺", 9, 15),
        ("专业人士推荐/证明", 16, 23),
    ]
    assert "第十七条" in fs[0].basis
    assert all(f.suggestion for f in fs)


# ------------------------------------------------------------- platforms

VX = "想要同款的姐妹加我V信，评论区扣1"


def test_off_platform_on_xiaohongshu_is_a_ban_and_bait_a_caution() -> None:
    fs = check_compliance(VX, "xiaohongshu")
    assert [(f.text, f.level, f.rule, f.id) for f in fs] == [
        ("加我V信", "ban", "站外导流/留联系方式", "off-platform-contact"),
        ("评论区扣1", "caution", "诱导互动", "interaction-bait-xiaohongshu"),
    ]
    assert (fs[0].start, fs[0].end) == (7, 11)
    # each platform's rule cites its own document
    assert "小红书" in fs[0].basis and "小红书" in fs[1].basis
    assert "抖音" in check_compliance(VX, "douyin")[1].basis


def test_off_platform_and_bait_on_douyin_are_cautions() -> None:
    fs = check_compliance(VX, "douyin")
    assert [(f.text, f.level, f.rule) for f in fs] == [
        ("加我V信", "caution", "站外导流/留联系方式"),
        ("评论区扣1", "caution", "诱导互动"),
    ]


@pytest.mark.parametrize("platform", ["wechat", "moments", "live"])
def test_xiaohongshu_and_douyin_rules_do_not_apply_elsewhere(platform: str) -> None:
    assert found(VX, platform) == []


def test_no_platform_reports_platform_entries_with_where_they_apply() -> None:
    fs = check_compliance(VX)
    assert [(f.text, f.level, f.platforms) for f in fs] == [
        ("加我V信", "ban", ["xiaohongshu", "douyin"]),  # the strictest level
        ("评论区扣1", "caution", ["xiaohongshu", "douyin"]),
    ]
    # law findings apply everywhere
    assert check_compliance("性价比之王")[0].platforms == []


def test_naming_another_platform_only_matters_on_douyin() -> None:
    text = "这个方法我在小红书上也发过"
    assert found(text, "douyin") == [("小红书", "caution")]
    assert found(text, "xiaohongshu") == []
    [f] = check_compliance(text)
    assert f.platforms == ["douyin"]


def test_unknown_platform_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as err:
        check_compliance("性价比之王", "weibo")
    assert "xiaohongshu" in str(err.value)
    assert err.value.exit_code == 2


def test_induced_sharing_on_wechat() -> None:
    text = "转发到朋友圈集赞38个就送资料"
    assert found(text, "wechat") == [("转发到朋友圈", "ban"), ("集赞38个", "ban")]
    assert found(text, "douyin") == []


# --------------------------------------------------------- normalisation

@pytest.mark.parametrize("text, expected", [
    ("全網最低", [("全網最低", "ban")]),                      # traditional
    ("全 网 最 低", [("全 网 最 低", "ban")]),                # spaces between Chinese
    ("全\u3000网最低", [("全\u3000网最低", "ban")]),          # ideographic space
    ("全\u200b网最低", [("全\u200b网最低", "ban")]),          # zero-width space
    ("全\u200d网\ufeff最低", [("全\u200d网\ufeff最低", "ban")]),
    ("醫生推薦的面霜", [("醫生推薦", "evidence")]),
    ("加我ｖｘ", [("加我ｖｘ", "ban")]),                      # full-width Latin, any case
    ("加我Ｖ信", [("加我Ｖ信", "ban")]),
])
def test_normalised_matching_keeps_original_spans(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_offsets_inside_longer_text() -> None:
    text = "今天 全 網\u200b最 低 价，来看看"
    [f] = check_compliance(text)
    assert f.level == "ban"
    assert (f.start, f.end, f.text) == (3, 10, "全 網\u200b最 低")


def test_line_break_is_a_boundary_not_a_space() -> None:
    assert found("全网\n最低") == [("最低", "caution")]


def test_latin_terms_need_word_boundaries() -> None:
    assert found("排名no.10的账号") == []
    assert found("TOP1的课") == [("TOP1", "ban")]
    assert found("我的wxid是多少", "xiaohongshu") == []
    assert found("加我wx", "xiaohongshu") == [("加我wx", "ban")]


def test_normalize_map() -> None:
    n = normalize("ＮＯ．１ 全 網\u200b最低")
    assert n.text == "no.1 全网最低"
    assert n.span(5, 9) == (5, 11)
    assert n.original_text(0, 4) == "ＮＯ．１"
    # combining marks fold with their base character and keep one span
    n = normalize("Cafe\u0301!")
    assert n.text == "café!"
    assert n.original_text(3, 4) == "e\u0301"


# ------------------------------------------------- exceptions and contexts

@pytest.mark.parametrize("text", [
    "最近在做私域",
    "最后一步是复盘",
    "最好的办法是先定位",
    "你最好先把定位想清楚",
    "第一，先定位；第二，再写笔记",
    "这是我第一年做号，第一时间回复学员",
    "时间是最好的老师",
    "最大的误区是不做定位",
    "这篇笔记很治愈系",
    "双击打开文件",
])
def test_exceptions_do_not_fire(text: str) -> None:
    assert found(text, "douyin") == []


@pytest.mark.parametrize("text, expected", [
    ("这是最好的面霜", [("最好", "ban")]),
    ("这款是我用过最好的面霜", [("最好", "ban")]),    # comparing with others' products
    ("我们的课是全网最好的", [("全网最好", "ban")]),
    ("行业第一的私域课", [("行业第一", "ban")]),
    ("我们是第一品牌", [("第一品牌", "ban")]),
    ("顶级讲师，极品好课", [("顶级", "ban"), ("极品", "ban")]),
])
def test_absolute_terms_fire_without_exception(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_leftmost_longest_no_overlap() -> None:
    # 全网最低 (scope claim) wins over 最低价 and 最低; one finding only
    assert found("全网最低价") == [("全网最低", "ban")]
    assert found("评论区扣1", "douyin") == [("评论区扣1", "caution")]


def test_data_without_source_needs_evidence() -> None:
    text = "数据显示，私域用户的复购率更高。"
    fs = check_compliance(text)
    assert [(f.text, f.level, f.rule) for f in fs] == [("数据显示", "evidence", "引用数据未标出处")]
    assert "第十一条" in fs[0].basis


@pytest.mark.parametrize("text", [
    "据《2024中国私域报告》数据显示，私域用户的复购率更高。",
    "据艾瑞咨询的数据显示，私域用户的复购率更高。",
    "研究表明，每天读书的人更专注（来源：《XX阅读报告》）。",
    "我的后台数据显示，第三篇的完播率更高。",
])
def test_named_source_is_not_flagged(text: str) -> None:
    assert found(text) == []


def test_unnamed_source_in_next_sentence_still_flagged() -> None:
    text = "研究表明，每天读书的人更专注。来源我忘了。"
    assert found(text) == [("研究表明", "evidence")]


def test_negation_cancels_promises() -> None:
    assert found("不保证3个月回本") == []
    assert found("我们不承诺躺赚") == []
    assert found("3个月回本") == [("3个月回本", "ban")]
    assert found("保证涨粉") == [("保证涨粉", "ban")]


def test_official_grades_awards_and_limited_rankings_need_evidence() -> None:
    assert found("国家级非遗传承人") == [("国家级", "evidence")]
    assert found("荣获全国大赛第一名") == [("第一名", "evidence")]
    assert found("2023年双十一店铺销量第一") == [("销量第一", "evidence")]
    assert found("销量第一") == [("销量第一", "ban")]


def test_own_income_record_is_caution_not_promise() -> None:
    assert found("我去年年入百万") == [("年入百万", "caution")]
    assert found("跟着学，年入百万") == [("年入百万", "ban")]


@pytest.mark.parametrize("text, expected", [
    ("保过班，不过退款", [("保过", "ban"), ("不过退款", "ban")]),
    ("包学会，包就业", [("包学会", "ban"), ("包就业", "ban")]),
    ("月入过万，躺赚，零风险", [("月入过万", "ban"), ("躺赚", "ban"), ("零风险", "ban")]),
    ("根治失眠，药到病除", [("根治", "ban"), ("药到病除", "ban")]),
    ("确保过程顺利", []),
    ("發紅包過年", []),
])
def test_training_income_and_cure_claims(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


# ------------------------------------------------------ creator's own words

def test_profile_banned_words_join_the_lexicon() -> None:
    text = "我从不割韭菜，也不搞ABC套路"
    fs = check_compliance(text, banned_words=["割韭菜", "abc"])
    assert [(f.text, f.level, f.rule) for f in fs] == [
        ("割韭菜", "ban", "创作者自定禁用词"),
        ("ABC", "ban", "创作者自定禁用词"),
    ]
    assert_offsets(text, fs)
    assert check_compliance(text) == []


def test_profile_banned_word_matches_traditional_and_spaced_text() -> None:
    assert found("別再割 韭 菜了", banned=("割韭菜",)) == [("割 韭 菜", "ban")]
    assert found("别再割韭菜了", banned=("割 韭菜",)) == [("割韭菜", "ban")]
    assert found("别再割韭菜了", banned=("  ", "\u200b")) == []  # blank words are ignored


def test_profile_word_beats_a_weaker_lexicon_entry_on_the_same_span() -> None:
    fs = check_compliance("一夜暴富", banned_words=["暴富"])
    assert [(f.text, f.level, f.rule) for f in fs] == [("暴富", "ban", "创作者自定禁用词")]
    assert [(f.text, f.level) for f in check_compliance("一夜暴富")] == [("暴富", "caution")]


def test_works_with_a_creator_profile() -> None:
    from ipwriter.profile import CreatorProfile

    profile = CreatorProfile(
        name="阿岚", tagline="阿岚聊私域", keyword="实操", traits=["真实"], attitudes=["不割韭菜"],
        audience={"who": "宝妈", "where": "小红书", "wants": "副业"},
        platforms=["xiaohongshu"], banned_words=["秒杀"],
    )
    assert found("今晚秒杀", "xiaohongshu", tuple(profile.banned_words)) == [("秒杀", "ban")]


# ------------------------------------------------------------- offsets

TRICKY = [row for row, _ in ACCEPTANCE] + [
    VX,
    "Ｔｏｐ１和ＮＯ．１，全網最低價！！",
    "e\u0301全\u200b 网\u3000最 低\u200d，加 我 Ｖ 信",
    "🎉全网最低🎉第一名👍最好的\n面霜",
    "",
    "   ",
    "ﬁ最佳ﬂ",
]


@pytest.mark.parametrize("platform", [None, "xiaohongshu", "douyin", "wechat"])
def test_offsets_always_point_into_the_original(platform: str | None) -> None:
    for text in TRICKY:
        fs = check_compliance(text, platform, ["面霜"])
        assert_offsets(text, fs)


# --------------------------------------------------------------- lexicon

def test_default_lexicon_is_cached_and_well_formed() -> None:
    lx = default_compliance_lexicon()
    assert lx is default_compliance_lexicon()
    assert DEFAULT_LEXICON.is_file()
    assert len(lx.data.entries) >= 15
    for e in lx.data.entries:
        assert e.source and e.basis and e.suggestion


GOOD_ENTRY = """\
version: 1
entries:
  - id: a
    rule: 绝对化用语
    level: ban
    basis: 《广告法》第九条第三项
    source: 广告法
    terms: [最佳]
    suggestion: 删掉
"""


def test_parse_lexicon_accepts_a_minimal_file() -> None:
    lx = parse_compliance_lexicon(GOOD_ENTRY)
    assert [(f.text, f.level) for f in lx.check("最佳方案")] == [("最佳", "ban")]


@pytest.mark.parametrize("broken, needle", [
    ("version: 1\nentries: [\n", "YAML"),
    ("- just\n- a list\n", "映射"),
    (GOOD_ENTRY.replace("level: ban", "level: forbidden"), "entries.0.level (id='a')"),
    (GOOD_ENTRY.replace("    source: 广告法\n", ""), "entries.0.source"),
    (GOOD_ENTRY.replace("terms: [最佳]", "patterns: ['最(佳']"), "invalid regular expression"),
    (GOOD_ENTRY.replace("terms: [最佳]", "patterns: ['ＮＯ']"), "normalised form"),
    (GOOD_ENTRY.replace("terms: [最佳]", "patterns: ['NO\\.1']"), "normalised form"),
    (GOOD_ENTRY.replace("terms: [最佳]", "patterns: ['x*']"), "empty string"),
    (GOOD_ENTRY.replace("terms: [最佳]", "terms: [最佳]\n    exceptions: [最近]"), "none of the entry's terms"),
    (GOOD_ENTRY.replace("terms: [最佳]", "terms: [最佳]\n    contexts: [nope]"), "unknown context"),
    (GOOD_ENTRY.replace("terms: [最佳]", "terms: [最佳]\n    platform_levels: {douyin: caution}"),
     "not in 'platforms'"),
    (GOOD_ENTRY.replace("terms: [最佳]", "terms: [最佳]\n    platforms: [weibo]"), "platforms"),
    (GOOD_ENTRY.replace("terms: [最佳]", "terms: [最佳]\n    colour: red"), "colour"),
    (GOOD_ENTRY.replace("    terms: [最佳]\n", ""), "needs 'terms' or 'patterns'"),
    (GOOD_ENTRY + GOOD_ENTRY.split("entries:\n")[1], "duplicate entry id"),
    (GOOD_ENTRY.replace("version: 1", "version: 2"), "version"),
])
def test_malformed_lexicon_raises_a_clear_error(tmp_path: Path, broken: str, needle: str) -> None:
    path = tmp_path / "compliance.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ComplianceLexiconError) as err:
        load_compliance_lexicon(path)
    message = str(err.value)
    assert needle in message
    assert message.startswith("合规词库 compliance.yaml")
    assert err.value.exit_code == 2


def test_missing_lexicon_file(tmp_path: Path) -> None:
    with pytest.raises(ComplianceLexiconError, match="读不到合规词库"):
        load_compliance_lexicon(tmp_path / "nope.yaml")



@pytest.mark.parametrize("text", [
    "全网最低", "全 网 最 低", "全\u200b网最低", "ＮＯ．１ 全 網", "Cafe\u0301 中 文", "ﬁ最佳㍿",
    "中\t\u3000文 a 中", "第一\n 次", "İstanbul 最 好", "\U00020000 \U00020001", "加\ufe0f我 Ｖ 信", "",
])
def test_normalize_fast_path_agrees_with_the_reference(text: str) -> None:
    from ipwriter.checks.normalize import _normalize_slow

    assert normalize(text) == _normalize_slow(text)
