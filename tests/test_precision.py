"""Precision: honest copy gets a clean report, and real problems are still caught.

The acceptance set (``tests/fixtures/precision``, see ``tests/support/precision.py``):
honest pieces in the demo creator's voice for every platform, every number
copied from a note (a sources file beside each), each checked ``ok`` with no
finding above info; and planted pieces, each with one real problem (a metric
swap, a subject swap, a true absolute term, a diversion, a number in no note,
a guarantee) that must still be caught at its place. Then one unit test per
pattern the checks used to get wrong on such copy.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from ipwriter.checks import NumberChecker, run_checks
from ipwriter.checks.compliance import check_compliance
from ipwriter.checks.stance import has_stance
from ipwriter.cli import make_app
from ipwriter.knowledge.facts import extract_facts
from ipwriter.knowledge.models import Chunk, Fact
from ipwriter.platforms import PLATFORMS
from ipwriter.text.numbers import find_numbers

from .support.precision import (
    DEV_SETS,
    above_info,
    at_span,
    check,
    honest,
    planted,
    source_text,
)
from .support.workspaces import demo_copy, open_workspace

PIECES = [p for s in DEV_SETS for p in honest(s)]
PLANTED = [p for s in DEV_SETS for p in planted(s)]


def test_the_acceptance_set_is_as_the_issue_asks():
    mine = honest("")
    assert len(mine) >= 20
    assert {p.platform for p in mine} == set(PLATFORMS)
    assert {p.problem for p in planted("")} >= {"metric_swap", "subject_swap", "absolute_term",
                                                "diversion"}


@pytest.mark.parametrize("piece", PIECES, ids=[f"{p.path.parent.parent.name}/{p.path.stem}"
                                               for p in PIECES])
def test_the_sources_file_holds_every_number_word_for_word(piece):
    """The corpus is honest by construction: each number is in the piece, and its
    quote is in the note it names, character for character."""
    for n in piece.numbers:
        assert n["text"] in piece.text, n
        if n["note"] not in ("structure", "none"):
            assert n["quote"] in source_text(n["note"]), n
    assert piece.kind in ("post", "segment", "text")


@pytest.mark.parametrize("piece", PIECES, ids=[f"{p.path.parent.parent.name}/{p.path.stem}"
                                               for p in PIECES])
def test_honest_copy_gets_a_clean_report(piece):
    report = check(piece.text, piece.platform, piece.kind)
    assert above_info(report) == [], [(n.text, n.verdict, n.note) for n in report.numbers]
    assert report.summary.ok and report.summary.blocking == report.summary.advisory == 0
    # every number the checks read is one the sources file accounts for
    listed = [(m.start(), m.end()) for n in piece.numbers
              for m in re.finditer(re.escape(n["text"]), piece.text)]
    for n in report.numbers:
        assert any(s < n.end and e > n.start for s, e in listed), n.text


@pytest.mark.parametrize("item", [
    pytest.param(p, id=f"{p.set or 'precision'}/{p.id}", marks=[pytest.mark.xfail(strict=True, reason=p.known_miss)]
                 if p.known_miss else []) for p in PLANTED])
def test_a_planted_problem_is_caught_where_it_is(item):
    report = check(item.text, item.platform, item.kind)
    found = at_span(report, item.text, item.span)
    assert found, (item.why, [(n.text, n.verdict) for n in report.numbers], report.compliance)
    if item.expect == "block":
        assert "block" in {level for _, level in found} and not report.summary.ok


def test_check_cli_on_an_honest_piece_and_a_planted_one(tmp_path, monkeypatch):
    """Through ``ipwriter check`` on the ingested demo workspace: ok for honest copy
    (its info hints listed), not ok with the blocking finding for the plant."""
    ws = demo_copy(tmp_path / "ws")
    monkeypatch.chdir(ws)
    app = make_app(workspace=lambda: open_workspace(ws))
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "--json"]).exit_code == 0
    piece = next(p for p in PIECES if p.path.stem == "07-douyin-failed-launch")
    (ws / "piece.md").write_text(piece.text, encoding="utf-8")
    r = runner.invoke(app, ["check", "piece.md", "-p", "douyin", "--kind", "segment", "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["summary"]["ok"] and report["summary"]["blocking"] == 0
    assert report["summary"]["info"] == len(report["vague"]) >= 1
    assert {v["level"] for v in report["vague"]} == {"info"}
    r = runner.invoke(app, ["check", "piece.md", "-p", "douyin", "--kind", "segment"])
    assert r.exit_code == 0 and "通过" in r.stdout and "提示" in r.stdout
    item = next(p for p in PLANTED if p.id == "student-result-as-own")
    (ws / "plant.md").write_text(item.text, encoding="utf-8")
    r = runner.invoke(app, ["check", "plant.md", "-p", item.platform, "--json"])
    assert r.exit_code == 0, r.output
    assert not json.loads(r.stdout)["summary"]["ok"]
    bad = [n for n in json.loads(r.stdout)["numbers"] if n["verdict"] == "context_mismatch"]
    assert [n["text"] for n in bad] == ["3800粉"] and "学员" in bad[0]["note"]


# -- one test per pattern the checks got wrong on honest copy ----------------------------
def fact(text, value, unit, quote, kind="自证", subject="", title="", high=None, source="n.md"):
    return Fact(text=text, value=value, high=high, unit=unit, subject=subject, kind=kind,
                source=source, quote=quote, chunk_id="c1", title=title)


def verdicts(text, facts, **kw):
    return [(n.text, n.verdict) for n in run_checks(text, NumberChecker(facts), **kw).numbers]


def test_1_only_n_is_an_exact_small_amount():
    note = fact("只有860粉", 860, "粉", "到8月中旬只有860粉，单篇平均点赞不到50。")
    assert verdicts("到8月中旬只有860粉", [note]) == [("只有860粉", "grounded")]
    plain = fact("860粉", 860, "粉", "到8月中旬860粉。")
    assert verdicts("那时候才860粉，仅860粉", [plain]) == [("860粉", "grounded"), ("仅860粉", "grounded")]


def test_2_bounds_are_compared_like_with_like():
    note = fact("不到5000", 5000, None, "24条里有9条播放不到5000。")
    assert verdicts("9条播放不到5000", [note])[-1] == ("不到5000", "grounded")
    assert verdicts("9条播放不足5000", [note])[-1] == ("不足5000", "grounded")
    # a plain 5000 says more than the record does
    assert verdicts("9条播放5000", [note])[-1][1] == "ungrounded"
    plain = fact("5000", 5000, None, "这条播放5000。")
    assert verdicts("播放不到5000", [plain]) == [("不到5000", "ungrounded")]


def test_3_a_verb_is_not_split_into_a_bound():
    assert [(s.text, s.modifier) for s in find_numbers("又看不到1999元那种完整交付")] == [("1999元", None)]
    assert [(s.text, s.modifier) for s in find_numbers("播放不到5000")] == [("不到5000", "不到")]
    price = fact("1999元", 1999, "元", "和1999元实战营的内容重叠。", kind="价格")
    assert verdicts("又看不到1999元那种完整交付", [price]) == [("1999元", "grounded")]


@pytest.mark.parametrize("marker", ["1️⃣", "2\u20e3", "①", "❷", "⑩"])
def test_4_list_markers_are_not_numbers(marker):
    text = f"{marker} 标题写对象+数字+结果\n{marker}封面统一"
    assert find_numbers(text) == []
    assert run_checks(text, NumberChecker([])).numbers == []


def test_5_a_vague_word_with_no_number_in_the_records_is_an_info_hint():
    report = run_checks("很多人问我怎么开始。", NumberChecker([]))
    assert [(v.text, v.level) for v in report.vague] == [("很多人", "info")]
    assert report.summary.ok and (report.summary.info, report.summary.advisory) == (1, 0)
    students = fact("126人", 126, "人", "首期学员126人。", subject="首期学员")
    report = run_checks("学员很多", NumberChecker([students]))
    assert [(v.text, v.level, v.suggestion) for v in report.vague] == [("很多", "advise", "有126位")]
    assert report.summary.ok and report.summary.advisory == 1


@pytest.mark.parametrize("text", ["第一句直接抛冲突", "这是我第一处改动", "我的第一笔收入", "第一页只写三件事",
                                  "第一，删掉开场白", "做了三件事：第一，删掉开场白", "第一次开营", "做到第一步"])
def test_6_first_with_a_measure_word_or_verb_is_an_order(text):
    assert check_compliance(text) == []


@pytest.mark.parametrize("text", ["我们是第一。", "做到第一的老师", "稳居第一", "私域第一人", "行业第一",
                                  "考了第一名", "类目排名第一位", "第一大品牌", "同类课程里，我们是第一梯队。",
                                  "稳坐私域第一把交椅。", "中国第一私域导师带你做私域。", "抖音第一私域博主阿岚。",
                                  "业内第一家做私域陪跑的。", "想学私域变现，第一选择就是我的实战营。",
                                  "论效果，第一，没有之一。"])
def test_6_first_as_a_rank_is_still_banned(text):
    assert [c.level for c in check_compliance(text)] == ["ban"]


@pytest.mark.parametrize("text", ["哪条排第一，下周就接着用。", "学员反馈类带来的咨询排第一，占41%。"])
def test_6_first_in_a_ranking_of_ones_own_data_is_a_caution(text):
    assert [(c.text, c.level) for c in check_compliance(text)] == [("第一", "caution")]


@pytest.mark.parametrize("text", ["我只承诺8周搭好你的私域成交链路，不承诺收入。",
                                  "谁跟你承诺收入，你都要多留个心眼。",
                                  "这条意见我认。",
                                  "生活类不是用来带咨询的，它让人确认你是一个真实的人。",
                                  "同样的课，不该让一部分人多花钱。",
                                  "方案写得全不等于有用，客户做得到才有用。", "先别急。",
                                  "所以我不会为了显得专业，把日常删掉。"])
def test_7_a_stance_is_found_by_the_form_of_its_sentence(text):
    assert has_stance(text)
    report = run_checks(text + "首期学员126人。", NumberChecker([
        fact("8周", 8, "周", "8周直播课。"), fact("126人", 126, "人", "首期学员126人。")]), kind="post")
    assert [s.code for s in report.structure] == []


@pytest.mark.parametrize("text", ["2025年6月12日晚8点，视频号直播，时长110分钟。累计观看5380人次。",
                                  "今天发了一篇笔记，点赞1.2w，收藏1.9万。", "你是不是也遇到过这种情况？",
                                  "我每天8点发一条。", "别人都在拉群。", "应该是3月10日发的。", "刚才有人问我价格。",
                                  "我不会剪辑视频。", "我定了个闹钟。", "我发现今天下雨了。", "你要的资料在这里。"])
def test_7_narration_and_questions_are_not_stances(text):
    assert not has_stance(text)
    report = run_checks(text, NumberChecker([]), kind="post")
    assert "missing:attitude" in [s.code for s in report.structure]


def test_8_a_live_segment_is_not_checked_as_a_full_script():
    segment = "好，接下来讲讲产品。一共8周，每周二晚8点一节直播课。售后也说清楚：开营7天内觉得不合适，全额退款。"
    facts = NumberChecker([fact("8周", 8, "周", "8周直播课。"), fact("7天", 7, "天", "开营7天内全额退款。")])
    assert run_checks(segment, facts, kind="segment").structure == []
    script = run_checks(segment, facts, kind="script")
    missing = [s for s in script.structure if s.code.startswith("missing:")]
    assert missing and not any(s.blocking for s in missing)
    assert script.summary.ok  # a missing part advises; it does not block


def test_8_broken_output_still_blocks():
    report = run_checks("同一句话。同一句话。同一句话。", NumberChecker([]), kind="segment")
    assert [s.code for s in report.structure] == ["repeated"] and report.structure[0].blocking
    assert not report.summary.ok and report.summary.blocking == 1


def test_9_a_gain_is_not_a_total():
    gain = fact("5200", 5200, None, "抖音口播做了3个月，涨粉5200，收到有效客资64条。")
    assert verdicts("老陈的抖音做到了5200粉", [gain]) == [("5200粉", "context_mismatch")]
    assert verdicts("老陈抖音3个月涨粉5200", [gain])[-1] == ("5200", "grounded")
    assert verdicts("这3个月带来了5200粉", [gain])[-1] == ("5200粉", "grounded")
    totals = [fact("3900", 3900, None, "公众号粉丝从3900涨到10200；"),
              fact("10200", 10200, None, "公众号粉丝从3900涨到10200；")]
    assert verdicts("公众号新增关注6300", totals)[-1] == ("6300", "derived")  # 10200 − 3900
    assert verdicts("公众号粉丝涨到了6300", totals)[-1][1] == "ungrounded"  # a total is no difference


def test_9_a_near_value_about_another_metric_is_not_approximate():
    other = fact("2200", 2200, None, "第二篇…点赞5400，收藏8100，涨粉2200。")
    assert verdicts("我的抖音到4月只有2700粉", [other]) == [("只有2700粉", "ungrounded")]
    likes = fact("1.9万", 19000, None, "点赞1.2w，收藏1.9万，评论640条。")
    assert verdicts("那篇笔记点赞1.9万", [likes]) == [("1.9万", "context_mismatch")]


def test_9_a_students_result_is_not_the_creators_and_back():
    student = fact("3800粉", 3800, "粉", "她的小红书从0开始，2个月做到3800粉。", kind="他证")
    assert verdicts("我自己的小红书2个月做到3800粉", [student])[-1] == ("3800粉", "context_mismatch")
    assert verdicts("小周的小红书2个月做到3800粉", [student])[-1] == ("3800粉", "grounded")
    # 我 with someone named: not a claim about me alone
    assert verdicts("我第一次看到小周的数据：2个月3800粉", [student])[-1] == ("3800粉", "grounded")
    own = fact("8600", 8600, None, "涨粉8600，粉丝从2700涨到11300；")
    assert verdicts("学员小周改了开头，30天涨粉8600", [own])[-1] == ("8600", "context_mismatch")
    # a bare name may be the creator's nickname: not judged (the original table's 小林)
    assert verdicts("Amy的抖音30天涨粉8600", [own])[-1] == ("8600", "grounded")
    assert verdicts("我改了开头3秒，30天涨粉8600", [own])[-1] == ("8600", "grounded")
    # 我 and a student in one sentence, no one in the number's clause: not judged
    assert verdicts("学员小周按我教的方法改了开头，30天涨粉8600", [own])[-1] == ("8600", "grounded")


def test_9_another_account_and_another_cohort():
    douyin = fact("只有2700粉", 2700, "粉", "前3个月发了38条口播，到4月14日只有2700粉。",
                  title="抖音口播号改开头3秒：30天完播率从18%到32%的增长复盘")
    assert verdicts("我的小红书前3个月只有2700粉", [douyin])[-1] == ("只有2700粉", "context_mismatch")
    assert verdicts("我的抖音前3个月只有2700粉", [douyin])[-1] == ("只有2700粉", "grounded")
    assert verdicts("前3个月只有2700粉", [douyin])[-1] == ("只有2700粉", "grounded")  # unnamed: no conflict
    cohort = fact("126人", 126, "人", "第3期最后开营126人，其中43人来自这场直播。")
    assert verdicts("实战营第4期开营126人", [cohort]) == [("126人", "context_mismatch")]
    assert verdicts("实战营第3期开营126人", [cohort]) == [("126人", "grounded")]


# Sentences a hostile reviewer wrote against the demo notes (real facts, real extractor):
# honest ones must pass without a finding above info at the number, plants must be caught.
TRICKY_HONEST = [
    ("学员常问我，小红书5个月做到2.3万粉是怎么做到的。", "2.3万粉"),
    ("不少客户是看了我抖音30天涨粉8600那条复盘才来的。", "8600"),
    ("学员最爱听的案例，是我那场直播成交43单。", "43单"),
    ("她们都不信，我的小红书前两个月只有860粉。", "只有860粉"),
    ("我替小周高兴，第一个月收入两千元。", "两千元"),
    ("我一直记得小周2个月做到3800粉那天。", "3800粉"),
    ("我印象最深的是老陈：抖音3个月涨粉5200，设计费合计8.6万元。", "5200"),
    ("我的一对一诊断，12个月收入183600元。", "183600元"),
    ("我的复训收入80919元，81人回来复训。", "80919元"),
    ("我在朋友圈说过：那篇文章加微信948人。", "948人"),
    ("我的朋友圈和小红书一起推，9.9元起号营146单。", "146单"),
    ("两篇爆文，一共6900粉。", "6900粉"),
    ("单条视频3100粉，是这30天里最多的一条。", "3100粉"),
    ("对数据的时候，她给我看了后台截图：小红书做到1.1万粉。", "1.1万粉"),
]
TRICKY_PLANTED = [
    ("我的抖音平均完播率63%。", "63%"),              # 63% is 3秒留存
    ("抖音3秒留存从18%升到32%。", "18%"),            # 18% → 32% is 完播率
    ("有9条视频播放5000。", "5000"),                 # only 投流5000元 has the value
    ("那篇笔记收藏1500。", "1500"),                  # only 助教费1500元
    ("学员小周30天涨粉8600。", "8600"),              # the creator's own 抖音
    ("他第一次直播在线峰值612人。", "612人"),         # the creator's live stream
    ("实战营第2期最后开营126人。", "126人"),          # 第3期
    ("第1期88人里复购39人。", "88人"),               # 88 is 第2期
    ("单篇平均点赞超过40。", "超过40"),               # the note says 不到50: no floor
]


@pytest.mark.parametrize(("text", "number"), TRICKY_HONEST, ids=[t[:10] for t, _ in TRICKY_HONEST])
def test_reviewers_honest_sentences_pass(text, number):
    report = check(text, "moments", "text")
    assert [(n.text, n.verdict) for n in report.numbers if n.text == number][0][1] in ("grounded", "approx")
    assert above_info(report) == [], [(n.text, n.verdict, n.note) for n in report.numbers]


@pytest.mark.parametrize(("text", "span"), TRICKY_PLANTED, ids=[t[:10] for t, _ in TRICKY_PLANTED])
def test_reviewers_planted_sentences_are_caught(text, span):
    report = check(text, "wechat", "text")
    assert ("block" in {level for _, level in at_span(report, text, span)}), \
        [(n.text, n.verdict) for n in report.numbers]


def test_a_heading_about_students_does_not_make_the_creators_numbers_theirs():
    """Fact kinds decide whose result a number is, so they must come from the
    sentence: a note titled "…112位实战营学员" tells the creator's own funnel."""
    chunk = Chunk(id="c", source="n.md", ord=1, title="私域漏斗全链路复盘：从4.6万主页访客到112位实战营学员",
                  headings=["收入和结果"], text="下一季优先改抖音主页引导，目标是把访客→加微信做到10%。")
    assert [f.kind for f in extract_facts(chunk)] == ["自证"]
    # a client as an object, a student in a price's parentheses: still the creator's numbers
    served = Chunk(id="e", source="n.md", ord=1, title="诊断复盘", headings=[],
                   text="12个月里一共服务了23位客户，成交27单，收入183600元。\n"
                        "- 实战营复训（老学员复训价999元）81人，收入80919元。")
    assert {f.text: f.kind for f in extract_facts(served)}["183600元"] == "自证"
    assert {f.text: f.kind for f in extract_facts(served)}["80919元"] == "自证"
    told = Chunk(id="f", source="n.md", ord=1, title="复盘", headings=[],
                 text="学员小林3个月涨粉2万，她说最难的是坚持。")
    assert [f.kind for f in extract_facts(told) if f.text == "2万"] == ["他证"]
    consented = Chunk(id="d", source="n.md", ord=1, title="学员成果", headings=["小周"],
                      text="（已获本人授权，可作为他证使用）\n她的小红书2个月做到3800粉。")
    assert [(f.text, f.kind) for f in extract_facts(consented)] == [("2个月", "时间"), ("3800粉", "他证")]


def test_a_funnel_step_named_on_xiaohongshu_is_not_a_diversion():
    for text in ("新加的微信好友按尾号随机分成两组", "加微信：3680人，访客→加微信 8.0%", "加微信的人数翻了一倍"):
        assert check_compliance(text, "xiaohongshu") == [], text
    for text in ("想要模板的加我微信", "加微信领资料", "加我的微信", "加我微信：13800138000",
                 "想要模板的，加微信：3680。", "加微信→领资料", "加微信 1对1聊", "添加微信 1v1 诊断",
                 "加微信的人领资料"):
        assert [c.level for c in check_compliance(text, "xiaohongshu")] == ["ban"], text


def test_the_sources_of_a_fact_carry_the_notes_title_through_the_store(tmp_path):
    """The account a note's title names reaches the checker from the catalog too."""
    ws = demo_copy(tmp_path / "ws")
    with open_workspace(ws) as w:
        w.ingest()
        facts = w.facts("knowledge/02-douyin-talking-head-hook-growth.md")
        assert facts and all(f.title.startswith("抖音口播号") for f in facts)
        report = w.check("我的小红书前3个月发了38条，只有2700粉。", platform="xiaohongshu")
    assert ("只有2700粉", "context_mismatch") in [(n.text, n.verdict) for n in report.numbers]


