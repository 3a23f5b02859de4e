"""Intensifiers, stock phrases and the referent of a suggested number
(ipwriter.checks.vague; the rewrite chain's candidates).

The sentences are written the way course sellers write on 小红书 and 朋友圈:
honest copy (feelings, pain points, time words, questions, life posts, 复盘)
must stay clean; hype about the product, the course or a result must be found.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from ipwriter.checks.vague import find_vague
from ipwriter.checks.vague_lexicon import VagueLexiconError, default_vague_lexicon, load_vague_lexicon
from ipwriter.knowledge.models import Fact
from ipwriter.write.chains.rewrite import candidates


def fact(text: str, value: float, unit: str | None, subject: str, kind: str, quote: str,
         source: str = "knowledge/06-students.md") -> Fact:
    return Fact(text=text, value=value, unit=unit, subject=subject, kind=kind, source=source,
                quote=quote, chunk_id=f"{source}#{text}")


# --------------------------------------------------------------------------- #
# Honest copy: no finding

HONEST = [
    # time words built on 很/好/太
    "很多年前我也是一个不敢对着镜头说话的人",
    "很久以前我就想做一个自己的训练营",
    "我很早就开始写复盘了，一开始根本没人看",
    "好久没发朋友圈了，这周把第4期的账本晒一下",
    "太久没直播，开场的时候有点紧张",
    "很快就到年底了，今年我只做成了三件事",
    "课程很快就要上线了，先把大纲发给大家看看",
    # 特别是 / 真的是 / questions
    "特别是做本地生活的同学，先把定位想清楚再发笔记",
    "真的是这样吗？我拿自己的账号试了一下",
    "这个方法真的有效吗？我自己用了3个月才敢下结论",
    "这门课真的好用吗？买之前先看完这篇",
    # feelings and pain points
    "今天带娃去公园放风筝，我很开心",
    "连着改作业改到凌晨，真的很累",
    "做小红书太难了，前两个月一个粉都没涨",
    "压力很大的时候，我就出门跑步",
    "第一次发笔记就被限流，心里很难受",
    "谢谢大家一直陪着我，真的很感动",
    "我真的很好奇你们是怎么坚持下来的",
    # people, trends and things that are not the product
    "我老公真的很靠谱，周末都是他带娃",
    "姐妹们你们真的很棒，作业交得比我想的还快",
    "我觉得AI写文案很火，就做了，没有先问过一个学员",
    "这两年行业变化很大，我也在重新找方向",
    "孩子这学期进步很大，老师还专门发了消息",
    "这家店很实惠，带娃吃饭的好去处",
    "这本书很有用，读书会下周就拆它",
    "今天天气真的很好，适合出门拍素材",
    "这是一个很好的问题，我们下周直播里细聊",
    "这一步特别重要，别跳过",
    "定位门槛很高，新手先别急着投流",
    # negated, blocked, honest nouns
    "这门课不是很好卖，我得承认",
    "我不是很专业，但每一步都是自己做过的",
    "把这些模板好好用起来，别收藏了就吃灰",
    "我在很大程度上是被学员推着往前走的",
    "打造爆款不是靠运气，是靠一遍遍复盘",
    "零基础也能听懂，我会从注册账号讲起",
    "大多数人做小红书都踩过这个坑",
    "90天的方案，多数客户要两三个月才能看到变化",
]


@pytest.mark.parametrize("draft", HONEST)
def test_honest_copy_has_no_finding(draft: str) -> None:
    assert [(f.text, f.category) for f in find_vague(draft)] == []


# --------------------------------------------------------------------------- #
# Vague claims: (draft, [(text, category), ...])

VAGUE = [
    # intensifier + a head that evaluates on its own
    ("这套起号方法真的很有效，照着做就行", [("真的很有效", "intensifier")]),
    ("剪映的这个功能真的很好用", [("真的很好用", "intensifier")]),
    ("这份复盘模板超实用，建议收藏", [("超实用", "intensifier")]),
    ("我们的陪跑服务特别好用", [("特别好用", "intensifier")]),
    ("助教老师非常专业，每条作业都会点评", [("非常专业", "intensifier")]),
    ("这个排版工具巨好用，谁用谁知道", [("巨好用", "intensifier")]),
    ("这门课在学员里很受欢迎", [("很受欢迎", "intensifier")]),
    ("这些模板真的好实用", [("真的好实用", "intensifier")]),
    ("我教的这套打法贼管用", [("贼管用", "intensifier")]),
    ("这节直播课很干货，建议回放", [("很干货", "intensifier")]),
    # price: the price or nothing before it
    ("早鸟价只要599，太划算了", [("太划算", "intensifier")]),
    ("这个价格真的很值", [("真的很值", "intensifier")]),
    # heads that need what they evaluate: before them or after 的
    ("最近这门课特别火，名额不多了", [("特别火", "intensifier")]),
    ("我的训练营真的很火", [("真的很火", "intensifier")]),
    ("这门课真的很好，推荐给身边做副业的朋友", [("真的很好", "intensifier")]),
    ("这是一门非常好的课", [("非常好", "intensifier")]),
    ("这套拆解方法太牛了", [("太牛", "intensifier")]),
    ("这套模板很有用，新手直接套", [("很有用", "intensifier")]),
    ("这门课性价比很高", [("很高", "intensifier")]),
    ("用了这套话术，转化率特别高", [("特别高", "intensifier")]),
    ("按这个方法做，涨粉很快", [("很快", "intensifier")]),
    ("这套方法对我帮助很大", [("很大", "intensifier")]),
    # stock phrases
    ("学完之后效果很好，身边朋友都来问", [("效果很好", "stock")]),
    ("干货满满，建议先收藏再看", [("干货满满", "stock")]),
    ("满满干货，全是我自己踩过的坑", [("满满干货", "stock")]),
    ("这门课一上线就爆火", [("爆火", "stock")]),
    ("我的爆款课第4期开始招生啦", [("爆款课", "stock")]),
    ("教你快速涨粉，普通人也能做", [("快速涨粉", "stock")]),
    ("跟着练就能迅速变现", [("迅速变现", "stock")]),
    ("大部分学员第一个月就能接到单", [("大部分学员", "stock")]),
    ("绝大多数学员都拿到了结果", [("绝大多数学员", "stock")]),
    ("学完的姐妹都说效果显著", [("效果显著", "stock")]),
    ("照着改完标题，效果惊人", [("效果惊人", "stock")]),
    ("课程上线一周，口碑炸裂", [("口碑炸裂", "stock")]),
    ("评论区好评如潮，截图都存不过来", [("好评如潮", "stock")]),
    ("第2期学员一致好评", [("一致好评", "stock")]),
    # quantities next to the new phrases
    ("已经有无数学员靠这套方法翻身", [("无数学员", "quantity")]),
    ("海量干货免费领", [("海量干货", "quantity")]),
    ("很多学员反馈说方法很实用", [("很多学员", "quantity"), ("很实用", "intensifier")]),
]


@pytest.mark.parametrize(("draft", "expected"), VAGUE)
def test_vague_claims_are_found(draft: str, expected: list[tuple[str, str]]) -> None:
    found = find_vague(draft)
    assert [(f.text, f.category) for f in found] == expected
    for f in found:
        assert draft[f.start:f.end] == f.text
        assert (f.source, f.level) == (None, "info")  # no facts: advice, never a number


def test_tables_are_big_enough() -> None:
    assert len(HONEST) >= 25 and len(VAGUE) >= 25


@pytest.mark.parametrize(("draft", "expected"), [
    ("真的有效", ["真的有效"]),
    ("真的有效吗", []),  # a question
    ("真的有效？", []),
    ("这套方法真的很有效，你信吗？", ["真的很有效"]),  # the question is another clause
    ("课程很好", ["很好"]),
    ("上课很好", []),  # 课 ends 上课: not the course
    ("出单很快", ["很快"]),  # 出|单: a subject may span jieba words
    ("很好的课程", ["很好"]),
    ("很好的问题", []),
    ("我很火大", []),
    ("这家店很实惠", []),
    ("现在报名真的很划算", ["真的很划算"]),
    ("并不是特别好用", []),
    ("没那么好用", []),
])
def test_context_decides(draft: str, expected: list[str]) -> None:
    assert [f.text for f in find_vague(draft)] == expected


def test_share_phrases_ask_for_a_share_not_a_total() -> None:
    total = fact("126人", 126, "人", "首期学员", "他证", "首期学员126人，已获本人授权。")
    [f] = find_vague("大部分学员第一个月就能接到单", [total])
    assert f.source is None and f.level == "info"
    assert "比例" in f.suggestion and "126" not in f.suggestion


def test_stock_phrases_reuse_the_records() -> None:
    reviews = fact("67890条", 67890, "条", "累计", "自证", "课程累计67890条好评。")
    [f] = find_vague("第2期学员一致好评", [reviews])
    assert f.source is None  # 一致好评 has no template: a count cannot replace it word for word
    [f] = find_vague("评论区好评如潮", [reviews])
    assert (f.suggestion, f.level) == ("67890条好评", "advise")


# --------------------------------------------------------------------------- #
# The referent: a number must count the same group as the vague phrase

SAMPLE = fact("5位", 5, "人", "学员成果合集", "他证",
              "学员成果合集：5位实战营学员的真实数据（他证素材）")
TOTAL = fact("126人", 126, "人", "首期学员", "自证", "首期学员126人，复购率38%。",
             source="knowledge/08-community.md")
SERVED = fact("300位", 300, "人", "累计服务", "自证", "两年累计服务300位学员。",
              source="knowledge/09-diagnosis.md")
REASON = "笔记里只有5位学员的样本数据，不能当作学员总数；写出你的实际学员总数"


@pytest.mark.parametrize("draft", ["学员很多", "我们的学员真的很多", "大量学员", "很多学员都在用"])
def test_a_sample_is_not_a_total(draft: str) -> None:
    [f] = find_vague(draft, [SAMPLE])
    assert f.source is None and f.level == "info"
    assert f.suggestion == REASON


@pytest.mark.parametrize(("draft", "facts", "text", "suggestion"), [
    ("学员很多", [TOTAL], "很多", "有126位"),
    ("学员很多", [SAMPLE, TOTAL], "很多", "有126位"),  # the sample comes first, the total wins
    ("大量学员", [SAMPLE, SERVED], "大量学员", "300位学员"),
    ("我们带过非常多的学员", [SERVED, SAMPLE], "非常多的学员", "300位学员"),
])
def test_a_total_count_is_offered(draft: str, facts: list[Fact], text: str, suggestion: str) -> None:
    [f] = find_vague(draft, facts)
    assert (f.text, f.suggestion, f.level) == (text, suggestion, "advise")
    assert f.source is not None and f.source.quote != SAMPLE.quote


@pytest.mark.parametrize(("quote", "number", "sample"), [
    ("学员成果合集：5位实战营学员的真实数据（他证素材）", "5位", True),
    ("第3期最后开营126人，其中43人来自这场直播。", "43人", True),
    ("第3期最后开营126人，其中43人来自这场直播。", "126人", False),
    ("以下5位学员都同意公开自己的后台数据。", "5位", True),
    ("我挑了3位学员的账号做拆解。", "3位", True),
    ("这5位学员都是宝妈。", "5位", True),
    ("今天分享3个学员案例。", "3个", True),
    ("举3个例子，都是第2期的学员。", "3个", True),
    ("随机抽样20位学员做了回访。", "20位", True),
    ("首期学员126人，已获本人授权。", "126人", False),
    ("两年累计服务300位学员。", "300位", False),
    ("第1—3期256位学员里有97人再次付费，复购率38%。", "256位", False),
])
def test_sample_markers(quote: str, number: str, sample: bool) -> None:
    assert default_vague_lexicon().is_sample(quote, number) is sample


def test_demo_notes_sample_is_never_the_student_count() -> None:
    """The issue: 学员很多 got 有5位 from the title of the student-results note."""
    from ipwriter.knowledge.chunk import chunk_document
    from ipwriter.knowledge.facts import extract_facts
    from ipwriter.knowledge.load import load_document

    root = Path(__file__).resolve().parent.parent / "knowledge"
    facts = [f for name in ["06-student-results-third-party-proof.md",
                            "08-community-operation-and-repurchase.md"]
             for c in chunk_document(load_document(root / name, f"knowledge/{name}"))
             for f in extract_facts(c)]
    [f] = find_vague("我们的学员很多", facts)
    assert f.suggestion != "有5位"
    assert f.source is None or "真实数据" not in f.source.quote
    # whatever kind the extractor gives the title's 5位, the check itself refuses it
    titles = [f.model_copy(update={"kind": "他证"}) for f in facts
              if f.text == "5位" and "真实数据" in f.quote]
    assert titles
    [f] = find_vague("我们的学员很多", titles)
    assert (f.source, f.suggestion) == (None, REASON)


# --------------------------------------------------------------------------- #
# The rewrite chain offers no sample either

class _Retriever:
    def __init__(self, facts: list[Fact]) -> None:
        self.facts = facts

    def search(self, query: str, k: int, kinds: list[str]):
        return [SimpleNamespace(facts=self.facts)]


def test_rewrite_candidates_skip_samples_and_parts() -> None:
    part = fact("97人", 97, "人", "第1—3期256位学员里", "自证",
                "第1—3期256位学员里有97人再次付费。", source="knowledge/08-community.md")
    ctx = SimpleNamespace(retriever=_Retriever([SAMPLE, part, TOTAL]))
    text = "我们的学员很多，你也可以"
    [finding] = find_vague(text, [TOTAL])
    assert candidates(ctx, text, finding, [TOTAL]) == [TOTAL]
    # the checker said why no number fits: the rewrite offers none either
    [finding] = find_vague(text, [SAMPLE])
    assert finding.suggestion == REASON
    assert candidates(ctx, text, finding, [SAMPLE]) == []


# --------------------------------------------------------------------------- #
# Lexicon schema for the new fields

@pytest.mark.parametrize(("body", "needle"), [
    ("version: 1\ncategories: {intensifier: {generic: x, combos: [{parts: [[很], [好]], "
     "about: nope}]}}\n", "nope"),
    ("version: 1\ncategories: {stock: {generic: x, combos: [{parts: [[大部分], [学员]], "
     "topic: nope}]}}\n", "nope"),
    ("version: 1\ncategories: {quantity: {generic: x, phrases: [很多]}}\n"
     "topics: {t: {nouns: [学员], generic: g, sample: '{m}位'}}\n", "'m'"),
])
def test_malformed_new_fields(tmp_path: Path, body: str, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(VagueLexiconError, match=needle):
        load_vague_lexicon(path)


def test_compiled_entries_carry_what_they_need() -> None:
    lex = default_vague_lexicon()
    assert lex.entries["很好"].about is not None and "课程" in lex.entries["很好"].about
    assert "" in lex.entries["太划算"].about  # nothing before it counts for a price word
    assert lex.entries["很有效"].about is None
    assert (lex.entries["大部分学员"].category, lex.entries["大部分学员"].topic) == ("stock", "share")
