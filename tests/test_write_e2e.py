"""End to end with real models on the demo workspace: every chain produces a
schema-valid saved draft with a check report — with the bundled model run
in-process, and through the ``openai-compatible`` provider against a real
``llama_cpp.server`` (where the test also asserts what the server received).

The 270M model writes nonsense; these tests assert the pipeline, not prose:
structure, that every number is grounded or visibly marked, and that what is
saved is what was returned."""

from __future__ import annotations

import json

import pytest

from ipwriter.text.numbers import find_numbers
from ipwriter.write.chains.toolkit import RESULTS_VARY_SAID, tells_third_party_result

from .support.workspaces import demo_copy, open_workspace

pytestmark = pytest.mark.model
CASE = "knowledge/05-live-stream-cohort-3-enrollment.md"
VAGUE = "我们的学员很多，大家反馈效果显著，复购的人超级多。"


@pytest.fixture(scope="module", params=["local", pytest.param("server", marks=pytest.mark.server)])
def ws(request, tmp_path_factory):
    root = demo_copy(tmp_path_factory.mktemp(f"e2e-{request.param}") / "ws")
    extra = {}
    record = None
    if request.param == "server":
        base, record = request.getfixturevalue("llama_server")
        # a tiny model behind a server: the compact prompts and replies, as for the local one
        extra = {"provider": "openai-compatible", "base_url": base + "/v1",
                 "model": "gemma-3-270m", "api_key": "sk-e2e-key-123456", "compact": True,
                 "timeout": 300}
    w = open_workspace(root, real_embeddings=True, **extra)  # every part real
    w.ingest()
    w.record = record
    yield w
    w.close()


def unverified_numbers_are_marked(draft) -> None:
    """The promise: every number in a saved draft is grounded or visibly marked."""
    for n in draft.report.numbers:
        if n.verdict in ("ungrounded", "context_mismatch"):
            before = draft.text[:n.start]
            assert before.rfind("【待核实：") > before.rfind("】") or \
                before.rfind("【待补充：") > before.rfind("】"), (n.text, draft.text)


def proof_is_owned(ws, draft) -> None:
    """The proof ledger's promise on a real model's output: a 他证 slot holds only
    consented students' results (its lines say no other number), a 自证 slot only
    the creator's, and a draft that tells a student's result says results vary."""
    ledger = {(f.source, f.quote, f.text): f for f in ws.facts()}
    allowed = {(n.value, n.unit) for f in ledger.values() if f.usable_as_third_party_proof
               for n in find_numbers(f.quote)}
    for seg in getattr(draft, "segments", None) or []:
        if seg.key == "third_party":
            assert all(ledger[(r.source, r.quote, r.text)].usable_as_third_party_proof for r in seg.facts)
            for line in seg.lines:
                assert all((n.value, n.unit) in allowed for n in find_numbers(line)), line
        if seg.key == "self_proof":
            assert all(ledger[(r.source, r.quote, r.text)].owner == "creator" for r in seg.facts)
    if tells_third_party_result(draft.report, list(ledger.values())):
        assert RESULTS_VARY_SAID.search(draft.text), draft.text


def saved_as_returned(ws, draft) -> None:
    saved = ws.draft(draft.draft_id)
    assert saved.text == draft.text and saved.report == draft.report and saved.version == 1
    assert set(draft.report.summary.model_dump()) == {"ok", "ungrounded", "ban", "caution", "vague",
                                                      "blocking", "advisory", "info"}


def server_requests(ws) -> list[dict]:
    if ws.record is None:
        return []
    rows = [json.loads(x) for x in ws.record.read_text().splitlines() if x.strip()]
    return [r for r in rows if r["path"] == "/v1/chat/completions"]


def test_post(ws):
    if ws.record is not None:
        ws.record.write_text("")
    draft = ws.write("post", topic="粉丝不多，也能靠私信卖出第一单", platform="xiaohongshu")
    assert draft.chain == "post" and draft.title and len(draft.title) <= 20
    assert draft.text.startswith(draft.title)
    saved_as_returned(ws, draft)
    unverified_numbers_are_marked(draft)
    proof_is_owned(ws, draft)
    assert draft.model in ("local/gemma-3-270m-q4_k_m.gguf", "openai-compatible/gemma-3-270m")
    reqs = server_requests(ws)
    if ws.record is not None:
        first = reqs[0]
        assert first["authorization"] == "Bearer sk-e2e-key-123456"
        body = first["body"]
        assert body["response_format"]["type"] == "json_object"
        assert set(body["response_format"]["schema"]["properties"]) == {"title", "body", "tags"}
        system = body["messages"][0]["content"]
        assert body["messages"][0]["role"] == "system" and "阿岚聊私域" in system
        assert "标题不超过20个字" in system
        assert "<<<资料[1] 来源：knowledge/" in body["messages"][-1]["content"]
        assert body["max_tokens"] == 1024
        assert draft.usage.get("total_tokens", 0) > 0
        assert len(reqs) >= draft.run.attempts


def test_rewrite(ws):
    draft = ws.write("rewrite", text=VAGUE)
    assert draft.chain == "rewrite" and draft.before == VAGUE
    assert draft.replacements
    facts = {(f.source, f.quote) for f in ws.checker().facts}
    for r in draft.replacements:
        assert VAGUE[r.start:r.end] == r.from_
        if r.source is None:
            assert r.to.startswith("【待补充：")
        else:
            assert (r.source, r.quote) in facts
    saved_as_returned(ws, draft)
    unverified_numbers_are_marked(draft)


def test_script(ws):
    draft = ws.write("script", product="私域变现实战营", minutes=60)
    assert [s.key for s in draft.segments][:5] == ["opening", "pain", "promise", "self_proof",
                                                   "third_party"]
    assert sum(s.minutes for s in draft.segments) == 60
    assert all(s.lines for s in draft.segments)
    by_key = {s.key: s for s in draft.segments}
    assert all(f.kind == "自证" for f in by_key["self_proof"].facts)
    assert all(f.kind == "他证" for f in by_key["third_party"].facts)
    assert by_key["self_proof"].facts and by_key["third_party"].facts
    saved_as_returned(ws, draft)
    unverified_numbers_are_marked(draft)
    proof_is_owned(ws, draft)


def test_pack(ws):
    draft = ws.write("pack", case=CASE)
    assert [i.platform for i in draft.items] == ["douyin", "xiaohongshu", "wechat", "moments", "live"]
    assert all(i.text.strip() for i in draft.items)
    saved_as_returned(ws, draft)
    unverified_numbers_are_marked(draft)
    proof_is_owned(ws, draft)
