"""Failure injection on the OpenAI-compatible path, at the HTTP level
(httpx2.MockTransport, which the openai 3.x client sends through), through the
one call every chain makes: ``invoke_structured``, streamed or not."""

import json

import httpx2
import pytest

from ipwriter.config import load_settings
from ipwriter.errors import (
    IncompleteResponseError,
    InvalidModelOutput,
    ModelAuthError,
    ModelNotFoundError,
    ModelRequestError,
    ModelTimeoutError,
)
from ipwriter.llm import invoke_structured, make_chat_model
from ipwriter.write.selftest import SelfTestReply

GOOD = json.dumps({"tagline": "实操派私域教练", "keywords": ["私域", "实操"]}, ensure_ascii=False)
KEY = "sk-injected-key-123456"


def completion(content=GOOD, finish="stop"):
    return {"id": "c1", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{"index": 0, "finish_reason": finish,
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8}}


@pytest.fixture
def handle_with(monkeypatch):
    def build(handler, retries=2, timeout=5.0):
        monkeypatch.setenv("IPWRITER_PROVIDER", "openai-compatible")
        monkeypatch.setenv("IPWRITER_BASE_URL", "http://127.0.0.1:9/v1")
        monkeypatch.setenv("IPWRITER_MODEL", "test-model")
        monkeypatch.setenv("IPWRITER_API_KEY", KEY)
        monkeypatch.setenv("IPWRITER_MAX_RETRIES", str(retries))
        monkeypatch.setenv("IPWRITER_TIMEOUT", str(timeout))
        client = httpx2.Client(transport=httpx2.MockTransport(handler))
        return make_chat_model(load_settings(), http_client=client)

    return build


def ask(handle, **kwargs):
    return invoke_structured(handle, SelfTestReply, [("human", "hi")], **kwargs)


def counting(responses):
    calls = []

    def handler(request):
        calls.append(json.loads(request.content))
        item = responses[min(len(calls), len(responses)) - 1]
        if isinstance(item, Exception):
            raise item
        return item

    return handler, calls


def test_429_then_200_succeeds(handle_with):
    handler, calls = counting([
        httpx2.Response(429, headers={"retry-after": "0"},
                        json={"error": {"message": "slow down", "type": "rate_limit"}}),
        httpx2.Response(200, json=completion()),
    ])
    result = invoke_structured(handle_with(handler), SelfTestReply, [("human", "hi")])
    assert len(calls) == 2
    assert result.value.tagline == "实操派私域教练"


def test_400_is_not_retried(handle_with):
    handler, calls = counting([
        httpx2.Response(400, json={"error": {"message": "response_format json_schema unsupported"}}),
        httpx2.Response(200, json=completion()),
    ])
    with pytest.raises(ModelRequestError) as info:
        invoke_structured(handle_with(handler), SelfTestReply, [("human", "hi")])
    assert len(calls) == 1
    assert "HTTP 400" in info.value.message
    assert "json_schema unsupported" in info.value.message


def test_timeout_ends_in_a_clear_chinese_first_error(handle_with):
    handler, calls = counting([httpx2.ReadTimeout("slow")])
    with pytest.raises(ModelTimeoutError) as info:
        ask(handle_with(handler, retries=1, timeout=3))
    assert len(calls) == 2  # one retry, then give up
    msg = info.value.message
    assert msg.startswith("模型 openai-compatible/test-model 在 3 秒内没有回应")
    assert "IPWRITER_TIMEOUT" in msg and "timed out" in msg


def test_401_names_the_key_variable_and_hides_the_key(handle_with):
    handler, _ = counting([httpx2.Response(
        401, json={"error": {"message": f"Incorrect API key provided: {KEY}"}})])
    with pytest.raises(ModelAuthError) as info:
        ask(handle_with(handler))
    assert "IPWRITER_API_KEY" in info.value.message
    assert KEY not in info.value.message


def test_404_model_not_found(handle_with):
    handler, _ = counting([httpx2.Response(404, json={"error": {"message": "model not found"}})])
    with pytest.raises(ModelNotFoundError, match="test-model"):
        ask(handle_with(handler))


def test_402_no_balance(handle_with):
    handler, _ = counting([httpx2.Response(402, json={"error": {"message": "Insufficient Balance"}})])
    with pytest.raises(ModelRequestError, match="余额不足"):
        ask(handle_with(handler))


def sse(*events, done=True):
    lines = [f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events]
    if done:
        lines.append("data: [DONE]\n\n")
    return "".join(lines).encode()


def chunk(text, finish=None, first=False):
    """One streamed piece; like real servers, the first carries the role."""
    delta = {"role": "assistant", "content": text} if first else {"content": text}
    return {"id": "s1", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def test_complete_stream_is_accepted(handle_with):
    body = sse(chunk(GOOD[:12], first=True), chunk(GOOD[12:]), chunk("", finish="stop"))
    handler, calls = counting([httpx2.Response(200, content=body,
                                               headers={"content-type": "text/event-stream"})])
    got: list[str] = []
    result = ask(handle_with(handler), on_token=got.append)
    assert "".join(got) == GOOD and got[0] == GOOD[:12]  # shown as it arrived
    assert result.value.tagline == "实操派私域教练" and len(calls) == 1 and calls[0]["stream"]


def test_stream_cut_off_without_finish_reason_is_reported(handle_with):
    body = sse(chunk('{"tagline": ', first=True), chunk('"实操'), done=False)  # cut off mid-answer
    handler, _ = counting([httpx2.Response(200, content=body,
                                           headers={"content-type": "text/event-stream"})])
    got: list[str] = []
    with pytest.raises(IncompleteResponseError) as info:
        ask(handle_with(handler), on_token=got.append)
    assert "".join(got) == '{"tagline": "实操'
    assert info.value.partial == '{"tagline": "实操'
    assert "不完整" in info.value.message


def test_reply_without_finish_reason_is_not_accepted(handle_with):
    handler, _ = counting([httpx2.Response(200, json=completion(finish=None))])
    with pytest.raises(IncompleteResponseError):
        ask(handle_with(handler))


def test_structured_failure_keeps_the_last_completion(handle_with):
    handler, calls = counting([httpx2.Response(200, json=completion("我不会输出 JSON"))])
    with pytest.raises(InvalidModelOutput) as info:
        invoke_structured(handle_with(handler), SelfTestReply, [("human", "hi")], retries=2)
    assert len(calls) == 3
    assert info.value.last_completion == "我不会输出 JSON"
    assert "3 次" in info.value.message


def test_truncated_structured_reply_is_reasked(handle_with):
    handler, calls = counting([httpx2.Response(200, json=completion('{"tagline": "实操', "length")),
                               httpx2.Response(200, json=completion())])
    result = invoke_structured(handle_with(handler), SelfTestReply, [("human", "hi")])
    assert result.attempts == 2
    assert "截断" in calls[1]["messages"][-1]["content"]


def test_429_every_time_ends_in_rate_limit_error(handle_with):
    from ipwriter.errors import ModelRateLimitError

    handler, calls = counting([httpx2.Response(429, headers={"retry-after": "0"},
                                               json={"error": {"message": "quota"}})])
    with pytest.raises(ModelRateLimitError, match="429"):
        ask(handle_with(handler, retries=2))
    assert len(calls) == 3
