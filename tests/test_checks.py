"""The checks on every draft: the issue's acceptance table, with its facts taken
from a note through the real loader, chunker and fact extractor; number
verdicts beyond the table; structure; the report and ``ipwriter check``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ipwriter.checks import NumberChecker, run_checks
from ipwriter.checks.structure import degenerate, post_parts, script_parts
from ipwriter.cli import make_app
from ipwriter.knowledge.chunk import chunk_document
from ipwriter.knowledge.facts import extract_facts
from ipwriter.knowledge.load import load_document
from ipwriter.knowledge.models import Fact
from ipwriter.text.numbers import find_numbers, parse_number

from .support.workspaces import open_workspace

NOTE = Path(__file__).parent / "fixtures" / "acceptance-note.md"


def note_facts(path: Path = NOTE, source: str = "knowledge/acceptance-note.md") -> list[Fact]:
    doc = load_document(path, source)
    return [f for c in chunk_document(doc) for f in extract_facts(c)]


@pytest.fixture(scope="module")
def checker() -> NumberChecker:
    return NumberChecker(note_facts())


# draft → (compliance [(text, level)], vague [text], numbers [(text, verdict)])
# with no platform given; the V信 row is also checked per platform below.
ACCEPTANCE = [
    ("三个月涨粉两万，真的不难", [], [], [("三个月", "grounded"), ("两万", "grounded")]),
    ("小林3个月涨粉2w+，ＮＯ．１的起号方法", [("ＮＯ．１", "ban")], [],
     [("3个月", "grounded"), ("2w+", "grounded")]),
    ("首期126位学员，复购率高达38%", [], [], [("126位", "grounded"), ("高达38%", "grounded")]),
    ("首期近130位学员", [], [], [("近130位", "approx")]),
    ("首期学员超过200人", [], [], [("超过200人", "ungrounded")]),
    ("单场直播卖了十二万五", [], [], [("十二万五", "grounded")]),
    ("统一零售价一千九百九十九，性价比之王", [("性价比之王", "ban")], [],
     [("一千九百九十九", "grounded")]),
    ("每天练习不少于30分钟，7天就能看到明显效果", [("7天就能看到明显效果", "caution")], ["明显效果"],
     [("不少于30分钟", "grounded"), ("7天", "grounded")]),
    ("第一步先定位，第一次发笔记就爆了", [], ["爆了"], []),
    ("想要同款的姐妹加我V信，评论区扣1", [("加我V信", "ban"), ("评论区扣1", "caution")], [], []),
    ("这款精华三天祛痘，100%有效，皮肤科医生推荐",
     [("祛痘", "ban"), ("100%有效", "ban"), ("皮肤科医生推荐", "evidence")], [],
     [("三天", "ungrounded"), ("100%", "ungrounded")]),
    ("好评如潮，大量学员反馈效果显著", [], ["好评如潮", "大量学员", "效果显著"], []),
    ("超级市场买的平价面霜，我用了两三个月", [], [], [("两三个月", "ungrounded")]),
    ("我最高一篇笔记点赞1.2w，是我做号以来最好的一篇", [("最高", "caution"), ("最好", "caution")], [],
     [("1.2w", "grounded")]),
    ("零基础3个月回本，年入百万不是梦", [("3个月回本", "ban"), ("年入百万", "ban")], [],
     [("3个月", "context_mismatch")]),
]


@pytest.mark.parametrize(("draft", "compliance", "vague", "numbers"), ACCEPTANCE,
                         ids=[row[0][:8] for row in ACCEPTANCE])
def test_acceptance_table(checker, draft, compliance, vague, numbers):
    report = run_checks(draft, checker)
    assert [(c.text, c.level) for c in report.compliance] == compliance
    assert [v.text for v in report.vague] == vague
    assert [(n.text, n.verdict) for n in report.numbers] == numbers
    for finding in [*report.numbers, *report.vague, *report.compliance]:
        assert draft[finding.start:finding.end] == finding.text


def test_acceptance_values_and_sources(checker):
    gmv = run_checks("单场直播卖了十二万五", checker).numbers[0]
    assert gmv.value == 125000 and gmv.value != 120005
    assert gmv.source is not None and "12.5万元" in gmv.source.quote
    assert gmv.source.path == "knowledge/acceptance-note.md"
    two_three = run_checks("超级市场买的平价面霜，我用了两三个月", checker).numbers[0]
    assert (two_three.value, two_three.high, two_three.unit) == (2, 3, "个月")
    flagged = run_checks("首期学员超过200人", checker).numbers[0]
    assert flagged.source is None and "126人" in flagged.note
    price = run_checks("统一零售价一千九百九十九，性价比之王", checker).numbers
    assert [n.value for n in price] == [1999]  # 统一 is no number


def test_the_vague_suggestion_comes_from_the_records(checker):
    report = run_checks("好评如潮，带过大量学员，效果显著", checker)
    students = next(v for v in report.vague if v.text == "大量学员")
    assert students.suggestion == "126位学员"
    assert students.source is not None and "126人" in students.source.quote


@pytest.mark.parametrize(("platform", "expected"), [
    ("xiaohongshu", [("加我V信", "ban"), ("评论区扣1", "caution")]),
    ("douyin", [("加我V信", "caution"), ("评论区扣1", "caution")]),
    ("wechat", []),
])
def test_the_vx_row_per_platform(checker, platform, expected):
    report = run_checks("想要同款的姐妹加我V信，评论区扣1", checker, platform=platform)
    assert [(c.text, c.level) for c in report.compliance] == expected


def test_summary_counts_and_ok(checker):
    bad = run_checks("这款精华三天祛痘，100%有效，皮肤科医生推荐", checker)
    assert bad.summary.model_dump() == {"ok": False, "ungrounded": 2, "ban": 2, "caution": 0,
                                        "vague": 0, "blocking": 4, "advisory": 1, "info": 0}
    good = run_checks("首期126位学员，复购率高达38%", checker)
    assert good.summary.ok and good.summary.ungrounded == 0


# -- number verdicts beyond the table -------------------------------------------------
def fact(text, value, unit, subject, quote, source="knowledge/n.md", kind="自证", high=None):
    return Fact(text=text, value=value, high=high, unit=unit, subject=subject, kind=kind,
                source=source, quote=quote, chunk_id="c1")


def test_same_number_about_something_else_is_a_context_mismatch():
    checker = NumberChecker([fact("600", 600, None, "掉粉", "那个月掉粉600，是因为断更。")])
    n = run_checks("直播在线峰值600人", checker).numbers[0]
    assert n.verdict == "context_mismatch" and n.source is not None
    ok = run_checks("那个月掉粉600", checker).numbers[0]
    assert ok.verdict == "grounded"


def test_derived_numbers_are_reported_with_their_arithmetic():
    checker = NumberChecker([
        fact("126人", 126, "人", "开营", "第3期最后开营126人，其中43人来自这场直播。"),
        fact("43人", 43, "人", "其中", "第3期最后开营126人，其中43人来自这场直播。"),
        fact("43单", 43, "单", "成交", "当场成交43单，每单1999元。"),
        fact("1999元", 1999, "元", "每单", "当场成交43单，每单1999元。", kind="价格"),
        fact("20800粉", 20800, "粉", "粉丝", "粉丝从800涨到20800粉。"),
        fact("800", 800, None, "粉丝从", "粉丝从800涨到20800粉。"),
    ])
    rate = run_checks("直播来的学员占了34.1%", checker).numbers[0]
    assert rate.verdict == "derived" and "43人 / 126人" in rate.note
    gmv = run_checks("当晚卖了85957元", checker).numbers[0]
    assert gmv.verdict == "derived" and "×" in gmv.note
    gain = run_checks("一共涨粉20000", checker).numbers[0]
    assert gain.verdict == "derived" and "−" in gain.note
    nothing = run_checks("直播来的学员占了50%", checker).numbers[0]
    assert nothing.verdict == "ungrounded"


@pytest.mark.parametrize(("draft", "verdict"), [
    ("10万+阅读", "approx"),        # backed by 102000
    ("阅读量10万", "approx"),       # a round number within 5 %
    ("阅读量约11万", "approx"),     # 近/约: within 10 %
    ("阅读量约15万", "ungrounded"),
    ("阅读不到12万", "approx"),     # an upper bound the fact sits under
    ("阅读超过20万", "ungrounded"),
    ("阅读102000", "grounded"),
])
def test_hedges_and_rounding(draft, verdict):
    checker = NumberChecker([fact("10.2万", 102000, None, "阅读量", "阅读量10.2万，转发3100次。")])
    assert run_checks(draft, checker).numbers[0].verdict == verdict


def test_structural_counts_and_interaction_codes_are_not_claims():
    checker = NumberChecker([])
    report = run_checks("做私域的3个误区，第2个最要命。评论区扣1领资料", checker)
    assert report.numbers == []


def test_percent_never_matches_a_plain_count():
    checker = NumberChecker([fact("38人", 38, "人", "报名", "报名38人。")])
    assert run_checks("转化率38%", checker).numbers[0].verdict == "ungrounded"


# -- structure --------------------------------------------------------------------------
def test_script_parts_from_segments_and_from_text():
    full = [{"key": k, "lines": ["一句话。"]} for k in
            ("opening", "pain", "promise", "self_proof", "third_party", "product", "offer",
             "interaction", "closing", "after_sale")]
    assert script_parts("", full) == []
    missing = [s for s in full if s["key"] not in ("third_party", "after_sale")]
    codes = [f.code for f in script_parts("", missing)]
    assert codes == ["missing:third_party", "missing:after_sale"]
    empty_lines = [dict(s, lines=[" "]) if s["key"] == "offer" else s for s in full]
    assert [f.code for f in script_parts("", empty_lines)] == ["missing:offer"]
    text = "大家好，今晚聊私域。你是不是发了内容没人问？我自己5个月做到2.3万粉。"
    codes = {f.code for f in script_parts(text)}
    assert "missing:opening" not in codes and "missing:self_proof" not in codes
    assert {"missing:third_party", "missing:after_sale", "missing:offer"} <= codes


def test_post_needs_an_attitude_and_a_real_number(checker):
    text = "私域不是拉群发广告。我3个月涨粉两万，靠的是每天回私信。"
    report = run_checks(text, checker, kind="post", attitudes=["私域不是拉群发广告，是把人当朋友长期经营"])
    assert report.structure == []
    flat = run_checks("今天分享一下运营方法，大家可以参考。", checker, kind="post")
    assert {s.code for s in flat.structure} == {"missing:attitude", "missing:case_number"}
    assert post_parts("说实话，别再迷信爆款了。", [], []) [0].code == "missing:case_number"


@pytest.mark.parametrize(("text", "code"), [
    ("私域很重要。私域很重要。私域很重要。所以要做。", "repeated"),
    ("涨粉涨粉涨粉涨粉涨粉的秘诀就是坚持。", "repeated"),
    ("我做私域三年，最大的体会是信任要靠长期", "truncated"),
    ("好的，以下是根据写作要求生成的文案：数字只能来自资料，不许编造。", "echoed_instruction"),
    ("今天聊聊{topic}，大家好。", "echoed_instruction"),
])
def test_degenerate_output(text, code):
    found = degenerate(text, ["数字只能来自资料，不许编造。"], generated=True)
    assert code in {f.code for f in found}


def test_sane_text_is_not_degenerate():
    text = "三个月涨粉两万，真的不难。\n\n#私域 #小红书运营"
    assert degenerate(text, ["数字只能来自资料，不许编造。"], generated=True) == []
    assert degenerate("一句没有句号的标题") == []  # a person's draft may end like that


# -- the number parser: properties ---------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,万千百亿wk两三一二十零〇几多余+%-~到至个月天人粉元第约近超过不到 ，。")),
               max_size=40))
def test_the_number_parser_never_crashes_and_keeps_offsets(text):
    for span in find_numbers(text):
        assert text[span.start:span.end] == span.text
        assert span.high is None or span.high >= span.value


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["人", "元", "粉", "单", "次"]))
def test_arabic_numbers_round_trip(n, unit):
    spans = find_numbers(f"一共{n}{unit}。")
    assert [(s.value, s.unit) for s in spans] == [(float(n), unit)]
    assert parse_number(str(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=99_999_999))  # a lone 一 is never a claim
def test_chinese_numerals_round_trip_through_cn2an(n):
    import cn2an

    numeral = cn2an.an2cn(n, "low")
    spans = find_numbers(f"一共{numeral}人。")
    assert [s.value for s in spans] == [float(n)], numeral


# -- through the knowledge base and the CLI -------------------------------------------
def test_check_cli_against_an_ingested_note(tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    (ws / "knowledge").mkdir(parents=True)
    shutil.copy(NOTE, ws / "knowledge" / "acceptance-note.md")
    monkeypatch.chdir(ws)
    runner = CliRunner()
    app = make_app(workspace=lambda: open_workspace(ws))  # the fake embedder: no model load
    assert runner.invoke(app, ["ingest", "--json"]).exit_code == 0
    draft = ws / "draft.md"
    draft.write_text("首期126位学员，复购率高达38%。首期学员超过200人。", encoding="utf-8")
    r = runner.invoke(app, ["check", str(draft), "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert set(report) == {"numbers", "vague", "compliance", "structure", "summary", "notices"}
    assert report["notices"] == []  # a text the creator checks is no AI draft
    assert [(n["text"], n["verdict"]) for n in report["numbers"]] == [
        ("126位", "grounded"), ("高达38%", "grounded"), ("超过200人", "ungrounded")]
    assert report["numbers"][0]["source"] == {"path": "knowledge/acceptance-note.md",
                                              "quote": "首期学员126人，课程1999元，复购率38%。"}
    assert report["summary"]["ungrounded"] == 1 and report["summary"]["ok"] is False
    # standard input, GBK, and a platform
    r = runner.invoke(app, ["check", "-", "-p", "xiaohongshu", "--json"],
                      input="加我V信领资料".encode("gbk"))
    assert r.exit_code == 0 and json.loads(r.stdout)["summary"]["ban"] == 1
    # bad input: exit 2 with a Chinese-first reason
    for args, data in ((["check", "-"], b""), (["check", "nope.md"], None),
                       (["check", "-", "-p", "weibo"], "x".encode()),
                       (["check", "-"], bytes(range(256)) * 4),
                       (["check", "-", "--kind", "essay"], "x".encode())):
        r = runner.invoke(app, args, input=data)
        assert r.exit_code == 2, (args, r.output)
    assert "--kind 只能是" in r.stderr


def test_check_needs_no_embedding_model(tmp_path, monkeypatch):
    """Checking reads the catalog only: embeddings settings that could not even
    build an embedder (openai-compatible without a URL) do not stop it."""
    from ipwriter.workspace import Workspace

    ws = tmp_path / "ws"
    (ws / "knowledge").mkdir(parents=True)
    shutil.copy(NOTE, ws / "knowledge" / "acceptance-note.md")
    with open_workspace(ws) as w:
        w.ingest()
    monkeypatch.chdir(ws)
    monkeypatch.setenv("IPWRITER_HOME", str(ws / ".ipwriter"))
    monkeypatch.setenv("IPWRITER_EMBEDDINGS", "openai-compatible")
    (ws / "draft.md").write_text("首期126位学员。", encoding="utf-8")
    r = CliRunner().invoke(make_app(workspace=Workspace), ["check", "draft.md", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["numbers"][0]["verdict"] == "grounded"
