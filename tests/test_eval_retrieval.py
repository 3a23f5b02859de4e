"""``ipwriter eval retrieval``: the creator's retrieval self-test, through the CLI
(fake embedder: the ranking is BM25-led, the figures are what the search returns)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipwriter.cli import make_app
from ipwriter.knowledge.evaluate import parse_questions

from .support.workspaces import REPO, demo_copy, open_workspace

XHS = "knowledge/01-xiaohongshu-zero-to-23k-followers.md"
QUESTIONS = """\
- question: 小红书账号从0做到2.3万粉用了几个月？
  note: 01-xiaohongshu-zero-to-23k-followers.md
  answer: 前后正好5个月
- question: 6800元一对一诊断服务了多少位客户
  note: 一对一私域诊断（6800元）交付复盘：12个月服务23位客户
- question: 抖音口播开头3秒怎么改
  note: knowledge/02-douyin-talking-head-hook-growth.md
- question: 小红书账号从0做到2.3万粉用了几个月？
  note: 12-pricing-anchor-ab-experiment   # a deliberate miss: this note does not answer it
"""


def cli(root: Path):
    return make_app(workspace=lambda: open_workspace(root))


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    root = demo_copy(tmp_path_factory.mktemp("eval") / "ws")
    with open_workspace(root) as ws:
        ws.ingest()
    return root


def run(root: Path, *args: str):
    return CliRunner().invoke(cli(root), ["eval", "retrieval", *args])


def test_the_figures_and_each_miss_explained(ingested, tmp_path):
    qfile = tmp_path / "q.yaml"
    qfile.write_text(QUESTIONS, encoding="utf-8")
    result = run(ingested, str(qfile), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["questions"] == 4 and report["k"] == 5
    notes = [r["note"] for r in report["results"]]
    assert notes == [XHS, "knowledge/09-one-on-one-diagnosis-6800-delivery.md",
                     "knowledge/02-douyin-talking-head-hook-growth.md",
                     "knowledge/12-pricing-anchor-ab-experiment.md"]  # file name, title, path, stem
    first = report["results"][0]
    assert first["rank"] == 1 and first["found"] and first["why"] == ""
    miss = report["results"][3]
    assert miss["rank"] != 1
    assert miss["first"]["source"] == XHS  # what came first instead
    assert "排第 1 的是 " + XHS in miss["why"] and "BM25" in miss["why"]
    assert report["first"] == sum(r["rank"] == 1 for r in report["results"])
    assert report["recall_at_k"] == round(report["found"] / 4, 3)
    assert report["hit_at_1"] <= 0.75  # the deliberate miss is never first

    text = run(ingested, str(qfile))
    assert text.exit_code == 0, text.output
    assert "共 4 个问题" in text.stdout and "没排第 1 的问题" in text.stdout


def test_an_answer_phrase_its_note_does_not_hold_is_named_before_any_search(ingested, tmp_path):
    qfile = tmp_path / "q.yaml"
    qfile.write_text(f"- question: 小红书从0到2.3万粉用了多久\n  note: {XHS}\n  answer: 这句话笔记里没有\n",
                     encoding="utf-8")
    result = run(ingested, str(qfile), "--json")
    assert result.exit_code == 2
    msg = json.loads(result.stdout)["error"]["message"]
    assert f"第 1 项的答案「这句话笔记里没有」不在笔记 {XHS} 的任何一段里" in msg


def test_a_typo_in_a_note_name_stops_before_any_search_and_suggests(ingested, tmp_path):
    qfile = tmp_path / "q.yaml"
    qfile.write_text("- question: 起号用了多久\n  note: 01-xiaohongshu-zero-to-23k-follower.md\n"
                     "- question: 诊断服务了多少人\n  note: 09-one-on-one-diagnosis-6800-delivery.md\n",
                     encoding="utf-8")
    result = run(ingested, str(qfile), "--json")
    assert result.exit_code == 2
    msg = json.loads(result.stdout)["error"]["message"]
    assert "第 1 项的笔记「01-xiaohongshu-zero-to-23k-follower.md」不在知识库里" in msg
    assert "01-xiaohongshu-zero-to-23k-followers.md" in msg  # the suggestion
    assert "第 2 项" not in msg


def test_an_empty_knowledge_base_says_to_ingest(tmp_path):
    root = demo_copy(tmp_path / "empty", knowledge=False)
    qfile = tmp_path / "q.yaml"
    qfile.write_text(QUESTIONS, encoding="utf-8")
    result = run(root, str(qfile))
    assert result.exit_code == 2
    assert "知识库是空的" in result.stderr and "ipwriter ingest" in result.stderr


@pytest.mark.parametrize("name,data,expected", [
    ("q.yaml", b"- question: [unclosed\n  note: x\n", "不是有效的 YAML"),
    ("q.yaml", b"question: a\nnote: b\n", "应当是一个问题列表"),
    ("q.yaml", "- question: 只有问题\n".encode(), "第 1 个问题缺少 note"),
    ("q.csv", "question,note\n,只有笔记\n".encode(), "第 2 行缺少 question"),
    ("q.yaml", b"", "空文件"),
    ("q.yaml", b"\x00\x01binary", "二进制"),
    ("q.yaml", b"# only a comment\n", "应当是一个问题列表"),
    ("q.yaml", "- question: [小红书, 2万粉]\n  note: a.md\n".encode(), "第 1 个问题的 question 应当是一段文字"),
    ("q.yaml", "- question: a\n  note: {x: 1}\n".encode(), "note 应当是一段文字"),
    ("q.yaml", ("- question: " + "问" * 501 + "\n  note: a.md\n").encode(), "请写在 500 字以内"),
    ("q.csv", "起号用了多久,01-x.md\n诊断多少人,09-x.md\n".encode(), "第 1 行应当是表头"),
    ("q.yaml", b"x" * (2 * 1024 * 1024 + 1), "太大"),
])
def test_a_broken_question_file_gets_a_clear_reason(name, data, expected):
    from ipwriter.errors import IpwriterError

    with pytest.raises(IpwriterError) as exc:  # exit code 2 in the CLI
        parse_questions(data, name)
    assert exc.value.exit_code == 2
    assert expected in exc.value.message


def test_csv_and_gbk_files_and_chinese_column_names():
    csv_gbk = "问题,笔记,答案\n起号用了多久,01-x.md,5个月\n\n".encode("gbk")
    qs = parse_questions(csv_gbk, "问题.csv")
    assert [(q.question, q.note, q.answer, q.item) for q in qs] == [("起号用了多久", "01-x.md", "5个月", 2)]
    tsv = parse_questions("question\tnote\na\tb\n", "q.tsv")
    assert (tsv[0].question, tsv[0].note) == ("a", "b")
    wrapped = parse_questions("questions:\n  - {question: a, note: b}\n", "q.yml")
    assert wrapped[0].note == "b"
    cased = parse_questions("- Question: a\n  NOTE: b\n  Answer: 7\n", "q.yaml")
    assert (cased[0].question, cased[0].note, cased[0].answer) == ("a", "b", "7")


def test_a_missing_question_file_is_named(ingested, tmp_path):
    result = run(ingested, str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "找不到问题文件" in result.stderr


def test_an_ambiguous_name_asks_for_the_full_path(tmp_path):
    root = demo_copy(tmp_path / "ws", knowledge=False)
    for folder in ("a", "b"):
        (root / "knowledge" / folder).mkdir()
        (root / "knowledge" / folder / "same.md").write_text(f"# {folder} 复盘\n\n第一期招了{len(folder)}0人。",
                                                             encoding="utf-8")
    with open_workspace(root) as ws:
        ws.ingest()
        from ipwriter.errors import ConfigError

        with pytest.raises(ConfigError) as exc:
            ws.eval_retrieval(("q.yaml", "- {question: 招了多少人, note: same.md}\n"))
        assert "同时对应 knowledge/a/same.md、knowledge/b/same.md" in exc.value.message
        ok = ws.eval_retrieval(("q.yaml", "- {question: a 复盘招了多少人, note: knowledge/a/same.md}\n"))
        assert ok.results[0].note == "knowledge/a/same.md"


@pytest.mark.model
def test_the_first_benchmarks_questions_with_the_real_model(tmp_path):
    """The real e5 + BM25 on the demo notes alone: the first benchmark's 44 questions
    (``benchmarks/questions.yaml`` names its note as ``source``) as a creator's self-test."""
    root = demo_copy(tmp_path / "ws")
    with open_workspace(root, real_embeddings=True) as ws:
        ws.ingest()
        report = ws.eval_retrieval(REPO / "benchmarks" / "questions.yaml")
    assert report.questions == 44
    assert report.recall_at_k >= 0.95 and report.hit_at_1 >= 0.8, report.model_dump_json(indent=1)
    for r in report.results:
        assert (r.rank == 1) == (r.why == "")


def test_the_right_note_with_the_wrong_passage_first_names_the_passage_that_holds_the_answer(ingested, tmp_path):
    qfile = tmp_path / "q.yaml"
    qfile.write_text(f"- question: 小红书账号从0做到2.3万粉用了几个月？\n  note: {XHS}\n"
                     "  answer: 收藏数低于点赞数的选题\n", encoding="utf-8")
    r = json.loads(run(ingested, str(qfile), "--json").stdout)["results"][0]
    assert r["rank"] != 1 and r["first"]["source"] == XHS
    assert r["why"].startswith("排第 1 的是同一篇笔记里没有「收藏数低于点赞数的选题」的另一段")
    assert r["expected"] is not None and r["expected"]["source"] == XHS
    assert (r["expected"]["heading"], r["expected"]["rank"]) != (r["first"]["heading"], 1)


def test_k_out_of_range_is_a_json_error(ingested, tmp_path):
    qfile = tmp_path / "q.yaml"
    qfile.write_text(QUESTIONS, encoding="utf-8")
    for k in ("0", "21"):
        result = run(ingested, str(qfile), "-k", k, "--json")
        assert result.exit_code == 2
        assert "-k 应在 1 到 20 之间" in json.loads(result.stdout)["error"]["message"]


def test_a_note_that_failed_to_ingest_is_named_as_failed_and_missing_vectors_are_warned(tmp_path):
    root = demo_copy(tmp_path / "ws")
    (root / "knowledge" / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    with open_workspace(root) as ws:
        ws.ingest()
        from ipwriter.errors import ConfigError

        with pytest.raises(ConfigError) as exc:
            ws.eval_retrieval(("q.yaml", "- {question: 随便问问, note: broken.pdf}\n"))
        assert "第 1 项的笔记 knowledge/broken.pdf 导入失败" in exc.value.message
        store = ws.kb.store
        store.collection.delete(ids=[row[0] for row in store.chunk_rows()])
        report = ws.eval_retrieval(("q.yaml", f"- {{question: 小红书涨粉用了多久, note: {XHS}}}\n"))
        assert report.warnings and "向量库" in report.warnings[0]
        assert report.results[0].first.dense is None  # keywords only, and the report says so


def test_the_self_test_names_the_search_s_own_candidate_count():
    from ipwriter.knowledge import evaluate, lexical

    assert evaluate.CANDIDATES == lexical.CANDIDATES  # "not among the first 50" says what search did
