"""Vague words → numbers: ipwriter.checks.vague."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipwriter.checks.models import SourceRef
from ipwriter.checks.vague import find_vague
from ipwriter.checks.vague_lexicon import (
    CATEGORIES,
    VagueLexiconError,
    default_vague_lexicon,
    load_vague_lexicon,
)
from ipwriter.errors import ConfigError
from ipwriter.knowledge.models import Fact

STUDENTS = "knowledge/06-students.md"
STUDENTS_QUOTE = "首期学员126人，已获本人授权，可作为他证使用。"


def fact(text: str, value: float, unit: str | None, subject: str, kind: str, quote: str,
         source: str = "knowledge/01-xiaohongshu.md", **kw) -> Fact:
    return Fact(text=text, value=value, unit=unit, subject=subject, kind=kind, source=source,
                quote=quote, chunk_id=f"{source}#{text}", **kw)


FANS = fact("20000", 20000, None, "3个月涨粉", "自证", "3个月涨粉20000，从800粉涨到20800粉。")


def students(kind: str = "他证") -> Fact:
    return fact("126人", 126, "人", "首期学员", kind, STUDENTS_QUOTE, source=STUDENTS)


def all_facts(kind: str = "他证") -> list[Fact]:
    return [
        FANS,
        students(kind),
        fact("1999元", 1999, "元", "课程", "价格", "课程1999元一份，含8周直播课。",
             source="knowledge/05-live.md"),
        fact("38%", 38, "%", "复购率", "自证", "第1—3期复购率38%。", source=STUDENTS),
        fact("12.5万元", 125000, "元", "单场GMV", "自证", "单场GMV 12.5万元，成交63单。",
             source="knowledge/05-live.md"),
        fact("7天", 7, "天", "", "时间", "7天训练营，每天练习30分钟。",
             source="knowledge/04-camp.md"),
        fact("30分钟", 30, "分钟", "每天练习", "时间", "7天训练营，每天练习30分钟。",
             source="knowledge/04-camp.md"),
        fact("1.2w", 12000, "赞", "最高一篇笔记点赞", "自证", "最高一篇笔记点赞1.2w，收藏1.9万。"),
    ]


def texts(draft: str, facts=()) -> list[str]:
    return [f.text for f in find_vague(draft, facts)]


# --------------------------------------------------------------------------- #
# Acceptance rows from the issue

ACCEPTANCE = [
    ("三个月涨粉两万，真的不难", []),
    ("小林3个月涨粉2w+，ＮＯ．１的起号方法", []),
    ("首期126位学员，复购率高达38%", []),
    ("首期近130位学员", []),
    ("首期学员超过200人", []),
    ("单场直播卖了十二万五", []),
    ("统一零售价一千九百九十九，性价比之王", []),
    ("每天练习不少于30分钟，7天就能看到明显效果", ["明显效果"]),
    ("第一步先定位，第一次发笔记就爆了", ["爆了"]),
    ("想要同款的姐妹加我V信，评论区扣1", []),
    ("这款精华三天祛痘，100%有效，皮肤科医生推荐", []),
    ("好评如潮，大量学员反馈效果显著", ["好评如潮", "大量学员", "效果显著"]),
    ("超级市场买的平价面霜，我用了两三个月", []),
    ("我最高一篇笔记点赞1.2w，是我做号以来最好的一篇", []),
    ("零基础3个月回本，年入百万不是梦", []),
]


@pytest.mark.parametrize("with_facts", [False, True])
@pytest.mark.parametrize(("draft", "expected"), ACCEPTANCE)
def test_acceptance_rows(draft: str, expected: list[str], with_facts: bool) -> None:
    assert texts(draft, all_facts() if with_facts else ()) == expected


@pytest.mark.parametrize("kind", ["他证", "自证"])
def test_acceptance_row_concrete_suggestion(kind: str) -> None:
    draft = "好评如潮，带过大量学员，效果显著"
    found = find_vague(draft, all_facts(kind))
    assert [(f.text, f.start, f.end, f.category) for f in found] == [
        ("好评如潮", 0, 4, "stock"), ("大量学员", 7, 11, "quantity"), ("效果显著", 12, 16, "stock"),
    ]
    hype, many, effect = found
    assert many.suggestion == "126位学员"
    assert many.source == SourceRef(path=STUDENTS, quote=STUDENTS_QUOTE)
    # no fact about 好评 or 效果 in the records: generic hints, no source
    assert hype.suggestion == "换成具体数字，如「N条好评」"
    assert hype.source is None
    assert effect.suggestion == "写出可核实的具体效果和用时，如「练习N天后，…从A提升到B」"
    assert effect.source is None


def test_a_total_never_stands_for_those_who_did_something() -> None:
    """Issue 13: the replacement keeps the referent. 大量学员反馈 are the students who
    gave feedback: the total of 126 would say all of them did."""
    for draft in ("好评如潮，大量学员反馈效果显著", "很多学员都说终于敢开口卖课了"):
        many = next(f for f in find_vague(draft, all_facts()) if "学员" in f.text)
        assert many.source is None and many.level == "info"
        assert "总人数不能代替" in many.suggestion and "126" not in many.suggestion
    # a rate is no subset: 大量学员复购率38% is a number beside the word, as before
    assert find_vague("大量学员复购率38%", all_facts()) == []


def test_without_facts_suggestions_are_generic() -> None:
    found = find_vague("好评如潮，带过大量学员，效果显著")
    assert [f.suggestion for f in found] == [
        "换成具体数字，如「N条好评」",
        "换成具体人数，如「N位学员」",
        "写出可核实的具体效果和用时，如「练习N天后，…从A提升到B」",
    ]
    assert [f.source for f in found] == [None, None, None]


def test_generic_suggestions_by_category() -> None:
    found = find_vague("这套方法超级好用，转化率大幅提升，人气爆棚，来了一大波")
    assert [(f.text, f.category, f.suggestion) for f in found] == [
        ("超级好用", "intensifier", "用数据代替形容词，如「复购率N%」「N位学员反馈…」"),
        ("大幅提升", "change", "写出变化前后的数字，如「从N%提升到M%」「N天涨粉M」"),
        ("人气爆棚", "stock", "换成可核实的数据，如「N条好评」「销量N单」"),
        ("一大波", "quantity", "换成具体数字，如「N位学员」「N条好评」，数字要来自你的记录"),
    ]


# --------------------------------------------------------------------------- #
# Word boundaries and blockers

@pytest.mark.parametrize("draft", [
    "超级市场买的平价面霜",  # 超级 inside 超级市场
    "每天练习不少于30分钟",  # jieba splits 不少|于: the blocker catches it
    "最大量程是十米",  # 大量 straddles 最大|量程
    "这里群众多",  # 众多 starts inside 群众|多
    "也许多练练就好了",  # jieba reads 也|许多: the blocker 也许多 catches it
    "我对这个非常好奇",  # 非常好 straddles 非常|好奇
    "这个步骤很多余",  # 很多|余 → blocker 很多余
    "很多时候我们想太多",  # adverbial "often"
    "现在好多了",
    "这个价格特别值得",  # 特别值 straddles 特别|值得
])
def test_boundaries_and_blockers_do_not_fire(draft: str) -> None:
    assert find_vague(draft) == []


@pytest.mark.parametrize(("draft", "expected"), [
    ("超级好用的方法", ["超级好用"]),
    ("不少学员问过我", ["不少学员"]),
    ("积累了大量素材", ["大量"]),
    ("这门课非常好", ["非常好"]),  # 非常好 evaluates the course (我对这个非常好 would not)
    ("N多人问我", ["N多人"]),  # jieba: N|多|人
    ("这门课卖爆了", ["卖爆了"]),  # the HMM would glue 课卖 and hide 卖爆了
    ("试了无数次", ["无数"]),  # jieba keeps 无数次 one word: 次 is glue
])
def test_counterparts_do_fire(draft: str, expected: list[str]) -> None:
    assert texts(draft) == expected


def _lexicon(tmp_path: Path, phrases: list[str], blockers: list[str] = ()) -> object:
    path = tmp_path / "lex.yaml"
    path.write_text(
        "version: 1\n"
        "categories:\n"
        "  quantity:\n"
        "    generic: 换成数字\n"
        f"    phrases: [{', '.join(phrases)}]\n"
        f"blockers: [{', '.join(blockers)}]\n",
        encoding="utf-8",
    )
    return load_vague_lexicon(path)


def test_match_must_end_on_a_jieba_boundary(tmp_path: Path) -> None:
    lex = _lexicon(tmp_path, ["超级"])
    assert find_vague("超级市场买的面霜", lexicon=lex) == []  # 超级市场 is one word
    assert [f.text for f in find_vague("这个超级，真的", lexicon=lex)] == ["超级"]


def test_blockers_are_what_stops_bu_shao_yu(tmp_path: Path) -> None:
    draft = "每天练习不少于30分钟"
    assert [f.text for f in find_vague(draft, lexicon=_lexicon(tmp_path, ["不少"]))] == ["不少"]
    blocked = _lexicon(tmp_path, ["不少"], ["不少于"])
    assert find_vague(draft, lexicon=blocked) == []


# --------------------------------------------------------------------------- #
# Negation

@pytest.mark.parametrize("draft", [
    "来的人不是很多",
    "效果并不显著",
    "没有明显提升",
    "谈不上好评如潮",
    "这套方法并不是非常有效",
    "课程没有大量学员",
    "算不上很多",
    "涨粉其实并没有那么大幅增长",
])
def test_negated_phrases_do_not_fire(draft: str) -> None:
    assert find_vague(draft) == []


@pytest.mark.parametrize(("draft", "expected"), [
    ("来的人很多", ["很多"]),
    ("效果显著", ["效果显著"]),
    ("转化率明显提升", ["明显提升"]),
    ("评论区好评如潮", ["好评如潮"]),
    ("这套方法是非常有效", ["非常有效"]),
    ("课程拥有大量学员", ["大量学员"]),  # 有 is a filler, 拥 is not a negator
    ("做法的区别很多", ["很多"]),  # 区别 ends in 别, which is not a negator
    ("不得不说效果很明显", ["效果很明显"]),
])
def test_non_negated_counterparts_fire(draft: str, expected: list[str]) -> None:
    assert texts(draft) == expected


# --------------------------------------------------------------------------- #
# A number in the same clause

@pytest.mark.parametrize(("draft", "expected"), [
    ("复购率高达38%", []),
    ("126位学员好评如潮", []),
    ("大量学员复购率38%", []),
    ("大量学员，复购率38%", ["大量学员"]),  # the number is in another clause
    ("好评如潮，126位学员", ["好评如潮"]),
    ("点赞1.2w口碑爆棚", []),  # the . in 1.2w is not a clause mark
    ("点赞1.2w，口碑爆棚", ["口碑爆棚"]),
    ("1,999元的课程卖爆了", []),  # the , in 1,999 is not a clause mark
    ("课程卖爆了,复购率38%", ["卖爆了"]),  # an ASCII comma between words is
    ("学员很多、复购率38%", ["很多"]),
    ("7天就能看到明显效果", ["明显效果"]),  # a duration does not quantify the effect
    ("3个月涨粉很多", ["很多"]),
    ("第一次发笔记就爆了", ["爆了"]),  # an ordinal is not a number
])
def test_same_clause_number_suppresses(draft: str, expected: list[str]) -> None:
    assert texts(draft) == expected


# --------------------------------------------------------------------------- #
# Offsets

def test_offsets_point_into_the_original_text() -> None:
    draft = ("  ＃标题＃\n这套方法超级好用！很多人问我：\n- 大量学员反馈效果显著；"
             "口碑爆棚，复购率38%。\n\t销量很好、好评如潮")
    found = find_vague(draft)
    assert [f.text for f in found] == [
        "超级好用", "很多人", "大量学员", "效果显著", "口碑爆棚", "销量很好", "好评如潮"]
    for f in found:
        assert draft[f.start:f.end] == f.text
    assert [f.start for f in found] == sorted(f.start for f in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert (found[0].start, found[0].end) == (11, 15)


def test_noun_joins_the_finding_and_replacement_fits() -> None:
    draft = "我们有非常多的学员"
    [f] = find_vague(draft, [students()])
    assert (f.text, f.start, f.end) == ("非常多的学员", 3, 9)
    assert f.suggestion == "126位学员"
    assert draft[:f.start] + f.suggestion + draft[f.end:] == "我们有126位学员"


def test_noun_before_gives_a_predicate_replacement() -> None:
    draft = "首期学员很多"
    [f] = find_vague(draft, [students()])
    assert (f.text, f.start, f.end) == ("很多", 4, 6)
    assert draft[:f.start] + f.suggestion + draft[f.end:] == "首期学员有126位"
    assert f.source is not None and f.source.path == STUDENTS


def test_words_before_the_noun_must_fit_the_fact() -> None:
    alumni = fact("256位", 256, "人", "第1—3期", "他证", "第1—3期256位学员都进了校友群。",
                  source="knowledge/08-community.md")
    [f] = find_vague("我们的学员真的很多", [alumni])  # 我们 does not narrow 学员
    assert (f.text, f.suggestion) == ("很多", "有256位")
    for draft in ["首期学员很多", "第3期的学员很多"]:  # all alumni are not the first cohort
        [f] = find_vague(draft, [alumni])
        assert (f.text, f.suggestion, f.source) == ("很多", "换成具体人数，如「N位学员」", None)
    [f] = find_vague("首期的学员很多", [alumni, students()])
    assert f.suggestion == "有126位"


# --------------------------------------------------------------------------- #
# Choosing (or refusing) a fact

def test_prefers_third_party_proof_for_student_words() -> None:
    self_proof = fact("256位", 256, "人", "我带过的学员", "自证", "我带过的学员一共256位。",
                      source="knowledge/08-community.md")
    [f] = find_vague("大量学员", [self_proof, students("他证")])
    assert f.suggestion == "126位学员"
    [f] = find_vague("大量学员", [self_proof, students("自证")])
    assert f.suggestion == "256位学员"  # same kind: the first given wins


@pytest.mark.parametrize("facts", [
    [FANS],  # only a 粉 fact
    [fact("612人", 612, "人", "在线峰值", "自证", "直播在线峰值612人。")],  # 人, not 学员
    [fact("97人", 97, "人", "第1—3期256位学员里", "他证", "第1—3期256位学员里97人复购。")],
    [fact("只有23人", 23, "人", "学员", "他证", "学员只有23人交满作业。")],  # a downward claim
    [fact("25-35人", 25, "人", "每期学员", "他证", "每期学员25-35人。", high=35)],  # a range
    [fact("126人", 126, "人", "首期学员", "价格", STUDENTS_QUOTE)],  # wrong kind
    [fact("126人", 126, "人", "首期", "他证", "首期开营126人。")],  # never says 学员
])
def test_unfit_facts_are_not_offered(facts: list[Fact]) -> None:
    [f] = find_vague("好多学员", facts)
    assert (f.text, f.suggestion, f.source) == ("好多学员", "换成具体人数，如「N位学员」", None)


def test_count_named_right_after_its_number_in_the_quote() -> None:
    part = fact("97人", 97, "人", "第1—3期256位学员里", "他证", "第1—3期256位学员里97人复购。")
    whole = fact("256位", 256, "人", "第1—3期", "他证", "第1—3期256位学员里97人复购。")
    [f] = find_vague("大量学员", [part, whole])
    assert f.suggestion == "256位学员"


def test_durations_in_the_clause_must_agree_with_the_fact() -> None:
    [f] = find_vague("7天来了大量学员", [students()])
    assert (f.text, f.source) == ("大量学员", None)
    [f] = find_vague("3个月涨粉很多", [FANS])
    assert (f.text, f.suggestion) == ("很多", "达到2万")
    assert f.source == SourceRef(path=FANS.source, quote=FANS.quote)
    [f] = find_vague("7天涨粉很多", [FANS])
    assert (f.suggestion, f.source) == ("换成具体粉丝数，如「N粉丝」「N天涨粉M」", None)


def test_gain_is_not_offered_for_a_total() -> None:
    [f] = find_vague("积累了大量粉丝", [FANS])  # 涨粉20000 is a gain, not 粉丝 in total
    assert (f.text, f.source) == ("大量粉丝", None)
    total = fact("2.3万粉", 23000, "粉", "小红书5个月做到", "自证", "小红书5个月做到2.3万粉。")
    [f] = find_vague("积累了大量粉丝", [total])
    assert f.suggestion == "2.3万粉丝"


def test_other_topics_use_their_own_facts() -> None:
    facts = all_facts()
    [f] = find_vague("那篇笔记收获大量点赞", facts)
    assert (f.text, f.suggestion) == ("大量点赞", "1.2万点赞")
    reviews = fact("67890条", 67890, "条", "累计", "自证", "课程累计67890条好评。")
    [f] = find_vague("好评如潮", [*facts, reviews])
    assert (f.suggestion, f.source) == ("67890条好评", SourceRef(path=reviews.source,
                                                               quote=reviews.quote))
    orders = fact("43单", 43, "单", "当场成交", "自证", "当场成交43单。")
    [f] = find_vague("这门课卖爆了", [orders])
    assert f.suggestion == "卖了43单"
    student_orders = orders.model_copy(update={"kind": "他证"})  # a student's sales
    [f] = find_vague("这门课卖爆了", [student_orders])
    assert f.source is None
    things = fact("三件", 3, "件", "只改", "自证", "为了能对比，只改三件事。")  # 件 is not 销量
    [f] = find_vague("这门课卖爆了", [things])
    assert f.source is None
    [f] = find_vague("销量直接爆了", [things, orders])  # noun before, adverb skipped
    assert (f.text, f.suggestion) == ("爆了", "达到43单")


def test_approximate_facts_keep_their_qualifier() -> None:
    near = fact("近3000人", 3000, "人", "累计购买学员", "自证", "累计购买学员近3000人。",
                approx=True)
    [f] = find_vague("大量学员", [near])
    assert f.suggestion == "近3000位学员"


# --------------------------------------------------------------------------- #
# Lexicon loading

def test_packaged_lexicon_is_cached_and_categorised() -> None:
    lex = default_vague_lexicon()
    assert default_vague_lexicon() is lex
    cat = {w: e.category for w, e in lex.entries.items()}
    assert {cat[w] for w in ["很多", "大量", "无数", "海量", "N多", "不少", "许多", "一大波"]} == {
        "quantity"}
    assert {cat[w] for w in ["非常好", "超级好用", "特别划算", "巨火", "超有效"]} == {"intensifier"}
    assert {cat[w] for w in ["好评如潮", "效果显著", "立竿见影", "口碑爆棚", "爆了", "销量很好",
                             "反响热烈"]} == {"stock"}
    assert {cat[w] for w in ["大幅提升", "显著增长", "明显提高", "明显效果", "效果明显"]} == {"change"}
    assert {e.category for e in lex.entries.values()} == set(CATEGORIES)


@pytest.mark.parametrize(("body", "needle"), [
    ("version: 1\ncategories: [oops\n", "YAML"),
    ("- just a list\n", "mapping"),
    ("version: 2\ncategories: {}\n", "version"),
    ("version: 1\ncategories: {quantity: {generic: x, phrasez: [很多]}}\n", "phrasez"),
    ("version: 1\ncategories: {fuzzy: {generic: x}}\n", "fuzzy"),
    ("version: 1\ncategories: {stock: {generic: x, phrases: [{text: 好评如潮, topic: nope}]}}\n",
     "nope"),
    ("version: 1\ncategories: {quantity: {generic: x, phrases: [很多, 很多]}}\n", "twice"),
    ("version: 1\ncategories: {quantity: {generic: x, phrases: [很多]}}\nblockers: [超级市场]\n",
     "超级市场"),
    ("version: 1\ncategories: {stock: {generic: x, phrases: [{text: 好评如潮, topic: t, "
     "template: '{m}条好评'}]}}\ntopics: {t: {nouns: [好评], unitless: true, generic: g}}\n",
     "'m'"),
])
def test_malformed_lexicon_gives_a_clear_error(tmp_path: Path, body: str, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(VagueLexiconError) as err:
        load_vague_lexicon(path)
    assert isinstance(err.value, ConfigError) and err.value.exit_code == 2
    assert str(path) in str(err.value)
    assert needle in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_lexicon_file(tmp_path: Path) -> None:
    with pytest.raises(VagueLexiconError, match="cannot read"):
        load_vague_lexicon(tmp_path / "nope.yaml")


# --------------------------------------------------------------------------- #
# Shared jieba and speed

def test_shared_jieba_dictionary_is_not_changed() -> None:
    from ipwriter.knowledge.tokenize import tokens
    from ipwriter.text.words import jieba

    sample = "超级好用的N多学员，好评如潮，卖爆了，无数次"
    before = tokens(sample)
    size = len(jieba().dt.FREQ)
    assert find_vague(sample)
    assert tokens(sample) == before
    assert len(jieba().dt.FREQ) == size
