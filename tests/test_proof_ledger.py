"""The proof ledger (issue 13 §4): whose result every number is and whether that
person consented; 他证 slots take only consented results of someone else, 自证 slots
only the creator's; the creator's corrections survive re-ingest and repair."""

from __future__ import annotations

import json

import pytest

from ipwriter.errors import ConfigError
from ipwriter.knowledge.facts import extract_facts, profile_facts
from ipwriter.knowledge.models import Chunk
from ipwriter.text.numbers import find_numbers
from ipwriter.workspace import Workspace
from ipwriter.write.chains.toolkit import RESULTS_VARY

from .support.fakes import handle, reply, script_reply
from .support.workspaces import demo_copy, open_workspace

STUDENTS = "knowledge/06-student-results-third-party-proof.md"
DIAGNOSIS = "knowledge/09-one-on-one-diagnosis-6800-delivery.md"


def facts_of(text: str, headings: list[str] | None = None) -> dict[str, tuple[str, str, bool]]:
    chunk = Chunk(id="c", source="n.md", ord=1, title="笔记", headings=headings or [], text=text)
    return {f.text: (f.kind, f.owner, f.consent) for f in extract_facts(chunk)}


# -- extraction: the sentence's subject decides, never the file's topic ------------------
@pytest.mark.parametrize(("text", "number", "expected"), [
    # a student as the subject, no consent marker: their result, not usable as 他证
    ("学员小林3个月涨粉2万粉。", "2万粉", ("他证", "student", False)),
    # "我的学员" names the student, not the creator
    ("我的学员小林3个月涨粉2万粉。", "2万粉", ("他证", "student", False)),
    # the creator and a student both the subject: unknown, never 他证
    ("我和学员一起3天卖了42单。", "42单", ("其他", "unknown", False)),
    # a count of students is the creator's figure
    ("首期学员126人，全部是小红书来的。", "126人", ("自证", "creator", False)),
    ("整理了5位实战营学员的真实数据。", "5位", ("其他", "creator", False)),  # a sample, no result
    ("我的小红书5个月涨到2.3万粉。", "2.3万粉", ("自证", "creator", False)),
    # the offer: prices and what the product delivers are no one's proof
    ("实战营定价1999元。", "1999元", ("价格", "offer", False)),
    ("课程包含8节直播课和3次作业批改。", "8节", ("其他", "offer", False)),
    ("课程包含8节直播课和3次作业批改。", "3次", ("其他", "offer", False)),
    # a platform's statistic
    ("据平台公布的数据统计，知识类笔记的平均收藏率是3%。", "3%", ("其他", "platform", False)),
])
def test_whose_number_it_is(text, number, expected):
    assert facts_of(text)[number] == expected


def test_consent_comes_from_the_section_and_a_refusal_wins():
    marked = "（已获本人授权，可作为他证使用）\n她的小红书2个月做到3800粉。第一个月接了10单。"
    got = facts_of(marked, ["小周"])
    assert got["3800粉"] == ("他证", "student", True)
    # no subject of its own inside a consented section: the student the section is about
    assert got["10单"] == ("他证", "student", True)
    refused = "（未获本人授权，不公开）\n她的小红书2个月做到3800粉。"
    assert facts_of(refused)["3800粉"] == ("他证", "student", False)
    # a consent marker does not make the creator's own number a student's
    assert facts_of("（已获本人授权）\n我自己这个月涨粉600粉。")["600粉"] == ("自证", "creator", False)


def test_profile_numbers_are_the_offer(ws):
    assert {f.owner for f in profile_facts(ws.profile())} == {"offer"}
    assert not any(f.kind in ("自证", "他证") for f in profile_facts(ws.profile()))


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    w = open_workspace(demo_copy(tmp_path_factory.mktemp("ledger") / "ws"), compact=False)
    w.ingest()
    yield w
    w.close()


def test_the_demo_ledger_has_only_consented_students_as_third_party_proof(ws):
    facts = ws.facts()
    third = [f for f in facts if f.kind == "他证"]
    assert third and all(f.usable_as_third_party_proof for f in third)
    assert {f.source for f in third} == {STUDENTS}
    # the diagnosis note is the creator's own business: none of its numbers is a student's
    assert not [f for f in facts if f.source == DIAGNOSIS and f.owner in ("student", "third_party")]
    # prices and lesson counts are never proof
    prices = {p.price for p in ws.profile().products}
    assert not [f for f in third if f.unit == "元" and f.value in prices]
    assert all(f.kind == "价格" for f in facts if f.owner == "offer" and f.unit == "元")
    assert all(f.owner == "creator" for f in facts if f.kind == "自证")


# -- corrections survive re-ingest and repair ------------------------------------------
def test_a_correction_is_applied_at_once_and_survives_reingest_and_repair(tmp_path):
    root = demo_copy(tmp_path / "ws")
    w = open_workspace(root)
    w.ingest()
    target = next(f for f in w.facts(DIAGNOSIS) if f.text == "27单")
    assert target.kind == "自证"
    changed = w.correct_fact(source=target.source, quote=target.quote, text=target.text,
                             kind="他证", owner="third_party", consent=True)
    assert changed >= 1
    fixed = [f for f in w.facts(DIAGNOSIS) if f.quote == target.quote and f.text == "27单"]
    assert fixed and all(f.kind == "他证" and f.consent and f.corrected for f in fixed)
    # found by the kind it was corrected to (the chunk's search filter follows)
    assert any(e.source == DIAGNOSIS for e in w.search("一对一诊断 成交", k=12, kinds=["他证"]))
    # re-ingest the note (changed elsewhere): the correction is re-applied
    note = root / DIAGNOSIS
    note.write_text(note.read_text(encoding="utf-8") + "\n\n补记：方案模板改了一版。\n", encoding="utf-8")
    w.ingest()
    again = [f for f in w.facts(DIAGNOSIS) if f.quote == target.quote and f.text == "27单"]
    assert again and all(f.kind == "他证" and f.corrected for f in again)
    # repair moves the whole store aside; the corrections file is the creator's and stays
    w.close()
    w = open_workspace(root)
    w.repair()
    w.ingest()
    assert all(f.kind == "他证" for f in w.facts(DIAGNOSIS) if f.quote == target.quote and f.text == "27单")
    saved = json.loads((root / ".ipwriter" / "fact-corrections.json").read_text(encoding="utf-8"))
    assert saved["corrections"][0]["text"] == "27单"
    w.close()


def test_a_bad_correction_is_refused_with_a_clear_message(ws):
    f = ws.facts(STUDENTS, kinds=["他证"])[0]
    with pytest.raises(ConfigError, match="自证 must be the creator"):
        ws.correct_fact(source=f.source, quote=f.quote, text=f.text, kind="自证", owner="student")
    with pytest.raises(ConfigError, match="没有这条事实"):
        ws.correct_fact(source=f.source, quote="不存在的一句话", text=f.text, kind="其他", owner="unknown")


def test_a_broken_corrections_file_is_named_and_never_overwritten(tmp_path):
    root = demo_copy(tmp_path / "ws")
    w = open_workspace(root)
    w.ingest()
    broken = root / ".ipwriter" / "fact-corrections.json"
    broken.write_text("{not json", encoding="utf-8")
    f = w.facts(DIAGNOSIS)[0]
    with pytest.raises(ConfigError, match="fact-corrections.json"):
        w.correct_fact(source=f.source, quote=f.quote, text=f.text, kind="其他", owner="unknown")
    assert broken.read_text(encoding="utf-8") == "{not json"
    w.close()


# -- writing: no creator fact in a 他证 slot ---------------------------------------------
def _use(ws: Workspace, replies) -> None:
    ws.use_chat_model(handle(replies))


def _consented_numbers(ws: Workspace) -> set[tuple[float, str | None]]:
    return {(n.value, n.unit) for f in ws.facts(kinds=["他证"]) if f.usable_as_third_party_proof
            for n in find_numbers(f.quote)}


@pytest.mark.parametrize("product", ["私域变现实战营", "一对一私域诊断"])
def test_a_model_that_puts_the_creators_numbers_in_the_third_party_slot_is_overruled(ws, product):
    bad = script_reply([1], [1, 2, 3])
    # the model presents the creator's own results and the price as a student's
    bad["third_party"] = {"lines": ["学员案例：我的小红书5个月做到2.3万粉。", "学员都说1999元很值。",
                                    "她说第一次有陌生人给她转账时，手都在抖。"],
                          "facts": [1, 2, 7]}  # the creator's (1, 2) and a student's (7)
    bad["self_proof"] = {"lines": ["我自己第一个月接了10单简历修改，收入两千元。", "这是我的复盘。"],
                         "facts": [1, 7, 8]}
    # the reviser tries to bring a creator number back into the 他证 slot
    _use(ws, [reply(bad)] + [reply({"body": "学员也是5个月做到2.3万粉。"})] * 6)
    draft = ws.write("script", product=product, minutes=60)
    seg = {s.key: s for s in draft.segments}
    ledger = {(f.source, f.quote, f.text): f for f in ws.facts()}
    third = seg["third_party"]
    assert all(ledger[(r.source, r.quote, r.text)].usable_as_third_party_proof for r in third.facts)
    assert all(f.kind == "自证" and ledger[(f.source, f.quote, f.text)].owner == "creator"
               for f in seg["self_proof"].facts)
    allowed = _consented_numbers(ws)
    for line in third.lines:
        assert "2.3万粉" not in line and "1999元" not in line, line
        assert all((n.value, n.unit) in allowed for n in find_numbers(line)), line
    # a student's number is not told as the creator's
    assert not any("两千元" in line for line in seg["self_proof"].lines)
    assert third.facts and third.lines[-1] == RESULTS_VARY
    assert not [c for c in draft.report.compliance if c.level == "ban"], draft.report.compliance


def test_an_empty_third_party_slot_says_what_to_add(tmp_path):
    root = demo_copy(tmp_path / "ws")
    (root / STUDENTS).unlink()  # no consented student results at all
    w = open_workspace(root, compact=False)
    w.ingest()
    bad = script_reply([1], [1, 2])
    bad["third_party"] = {"lines": ["学员小林3个月涨粉2.3万粉。"], "facts": [1, 2]}
    _use(w, [reply(bad)] + [reply({"body": "这一句改好了。"})] * 6)
    draft = w.write("script", product="私域变现实战营", minutes=60)
    third = next(s for s in draft.segments if s.key == "third_party")
    assert third.facts == [] and third.lines == ["【待补充：一个已获本人授权的学员案例和数据】"]
    w.close()


def test_a_post_that_tells_a_students_result_ends_with_the_results_vary_line(ws):
    body = ("别急着拉群。小周是第2期学员，2个月做到3800粉，第一个月接了10单简历修改[1]。\n\n"
            "先把每一个来问的人当朋友。")
    _use(ws, [reply({"title": "别急着拉群", "body": body, "tags": ["私域"]})]
         + [reply({"body": "这一句改好了。"})] * 6)
    draft = ws.write("post", topic="学员第一个月怎么接到单", platform="xiaohongshu")
    assert draft.text.rstrip().endswith(RESULTS_VARY)
    assert not [c for c in draft.report.compliance if c.level == "ban"]


def test_a_post_that_tells_the_creators_number_as_a_students_is_blocked(ws):
    body = "私域不是拉群。我的学员小周5个月涨到2.3万粉[1]。\n\n先把每一个来问的人当朋友。"
    _use(ws, [reply({"title": "私域不是拉群", "body": body, "tags": ["私域"]})]
         + [reply({"body": "我的学员小周5个月涨到2.3万粉。"})] * 6)
    draft = ws.write("post", topic="私域不是拉群", platform="xiaohongshu")
    bad = [n for n in draft.report.numbers if n.text == "2.3万粉"]
    assert bad and bad[0].verdict == "context_mismatch", draft.report.numbers
    assert not draft.report.summary.ok


def test_the_proof_guard_keeps_each_slot_to_its_owner():
    from ipwriter.knowledge.models import Fact
    from ipwriter.write.chains.script import ProofGuard

    own = [Fact(text="2.3万粉", value=23000, unit="粉", subject="小红书", kind="自证", source="a.md",
                quote="我的小红书5个月涨到2.3万粉", chunk_id="a")]
    student = Fact(text="3800粉", value=3800, unit="粉", subject="小红书", kind="他证", source="b.md",
                   quote="她的小红书2个月做到3800粉", chunk_id="b", consent=True)
    guard = ProofGuard(own, [student])
    assert guard.keeps("third_party", "小周2个月做到3800粉。")
    assert guard.keeps("third_party", "她说第一次收到转账时手都在抖。")  # no number: fine
    assert not guard.keeps("third_party", "学员5个月涨到2.3万粉。")  # the creator's number
    assert not guard.keeps("self_proof", "我2个月做到3800粉。")  # a student's number
    assert guard.keeps("self_proof", "我5个月涨到2.3万粉。")
    # without consent there is no 他证 at all: every line of the slot goes
    unconsented = ProofGuard(own, [student.model_copy(update={"consent": False})])
    assert not unconsented.keeps("third_party", "她说第一次收到转账时手都在抖。")
    assert not unconsented.keeps("third_party", "小周2个月做到3800粉。")


# -- a forbidden claim answered with a true record --------------------------------------
def _fact(text, value, unit, kind, quote, owner=None, consent=False, source="n.md"):
    from ipwriter.knowledge.models import Fact

    return Fact(text=text, value=value, unit=unit, subject="", kind=kind, source=source, quote=quote,
                chunk_id="c", owner=owner, consent=consent)


def test_a_promise_is_answered_with_a_consented_students_real_result():
    from ipwriter.checks.report import run_checks

    mine = _fact("2.3万粉", 23000, "粉", "自证", "我的小红书5个月涨到2.3万粉")
    hers = _fact("3800粉", 3800, "粉", "他证", "她的小红书2个月涨粉3800粉", consent=True, source="s.md")
    secret = _fact("9000粉", 9000, "粉", "他证", "他的抖音3个月涨粉9000粉", consent=False, source="x.md")
    promise = run_checks("跟着练21天，一定能涨粉", [secret, mine, hers], platform="xiaohongshu").compliance
    assert promise[0].id == "training-guarantee"
    assert "。笔记里有真实数字可以照实写（学员本人授权的结果）：「她的小红书2个月涨粉3800粉」（s.md）" \
        in promise[0].suggestion  # the reader's analog: a student
    assert "9000" not in promise[0].suggestion  # never an unconsented student's
    best = run_checks("我的涨粉课是全网最好的", [secret, mine, hers], platform="xiaohongshu").compliance
    assert "「我的小红书5个月涨到2.3万粉」" in best[0].suggestion  # a "best": the creator's own
    # money answers money only: no follower count for an income promise
    income = run_checks("保证你月入过万", [mine, hers], platform="xiaohongshu").compliance
    assert income and "笔记里有真实数字" not in income[0].suggestion


def test_the_cli_ledger_lists_who_and_consent(ws):
    from typer.testing import CliRunner

    from ipwriter.cli import make_app

    app = make_app(workspace=lambda: ws)
    r = CliRunner().invoke(app, ["facts", "--kind", "他证", "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["facts"]
    assert rows and all(x["owner"] == "student" and x["consent"] is True for x in rows)
    table = CliRunner().invoke(app, ["facts", "--source", DIAGNOSIS])
    assert "我自己" in table.stdout and "谁的" in table.stdout


def test_the_cli_corrects_a_fact_by_its_number(tmp_path):
    from typer.testing import CliRunner

    from ipwriter.cli import make_app

    w = open_workspace(demo_copy(tmp_path / "ws"))
    w.ingest()
    app = make_app(workspace=lambda: w)
    r = CliRunner().invoke(app, ["correct-fact", DIAGNOSIS, "27单", "--kind", "其他", "--owner", "unknown",
                                 "--json"])
    assert r.exit_code == 2 and "--quote" in r.output  # 27单 stands in more than one sentence
    quote = next(f.quote for f in w.facts(DIAGNOSIS) if f.text == "27单")
    r = CliRunner().invoke(app, ["correct-fact", DIAGNOSIS, "27单", "--quote", quote, "--kind", "其他",
                                 "--owner", "unknown", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {"changed": 1}
    r = CliRunner().invoke(app, ["correct-fact", DIAGNOSIS, "183600元", "--kind", "他证", "--owner", "creator"])
    assert r.exit_code == 2 and "他证" in r.output  # 他证 is never the creator's
    w.close()


def test_a_bare_number_in_the_third_party_slot_is_not_the_students():
    """Found by the real model: a line "10" in the 他证 segment. The student's is 10单;
    a bare 10 could be anyone's (the creator's notes hold many), so it goes."""
    from ipwriter.knowledge.models import Fact
    from ipwriter.write.chains.script import ProofGuard

    hers = Fact(text="10单", value=10, unit="单", subject="", kind="他证", source="b.md",
                quote="第一个月接了10单简历修改", chunk_id="b", consent=True)
    guard = ProofGuard([], [hers])
    assert guard.keeps("third_party", "第一个月接了10单")
    assert not guard.keeps("third_party", "10")


@pytest.mark.parametrize(("text", "number", "expected"), [
    # found in review: the number's own clause decides when it names one side only
    ("她第一个月接了10单，我这个月接了12单。", "10单", ("他证", "student", False)),
    ("她第一个月接了10单，我这个月接了12单。", "12单", ("自证", "creator", False)),
    ("我的学员里有5个人月入过万。", "5个人", ("自证", "creator", False)),  # a count of students
])
def test_the_clause_decides_whose_number_it_is(text, number, expected):
    assert facts_of(text)[number] == expected


def test_corrections_saved_at_once_all_land(tmp_path):
    """Found in review: two saves at the same time lost one (read, change, write)."""
    import threading

    from ipwriter.knowledge.ledger import FactCorrection, load_corrections, save_correction

    def save(i: int) -> None:
        save_correction(tmp_path, FactCorrection(source="n.md", quote=f"第{i}句", text=f"{i}单",
                                                 kind="其他", owner="unknown"))

    threads = [threading.Thread(target=save, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(load_corrections(tmp_path)) == 20
