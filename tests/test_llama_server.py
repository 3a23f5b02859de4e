"""The OpenAI-compatible path against a real llama.cpp server on 127.0.0.1:
``python -m llama_cpp.server``'s own entry point, with a recording tap so the
test can assert what the server received."""

import json
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from ipwriter.config import load_settings
from ipwriter.errors import ModelTimeoutError
from ipwriter.llm import invoke_structured, make_chat_model

pytestmark = [pytest.mark.server, pytest.mark.model]
KEY = "sk-local-server-key-4242"


class Answer(BaseModel):
    answer: str = Field(max_length=20)


class Promise(BaseModel):
    promise: str = Field(max_length=40)
    weeks: int = Field(ge=1, le=12)


def received(record: Path) -> list[dict]:
    return [json.loads(line) for line in record.read_text().splitlines() if line.strip()]


def use_server(monkeypatch, base, **extra):
    monkeypatch.setenv("IPWRITER_PROVIDER", "openai-compatible")
    monkeypatch.setenv("IPWRITER_BASE_URL", base + "/v1")
    monkeypatch.setenv("IPWRITER_MODEL", "gemma-3-270m")
    monkeypatch.setenv("IPWRITER_API_KEY", KEY)
    for k, v in extra.items():
        monkeypatch.setenv(k, v)
    return make_chat_model(load_settings())


def test_structured_reply_through_the_server(llama_server, monkeypatch):
    base, record = llama_server
    record.write_text("")
    handle = use_server(monkeypatch, base)
    assert handle.method == "json_object_schema"
    result = invoke_structured(handle, Promise, [("human", "私域变现实战营的承诺是什么？几周？")])
    assert isinstance(result.value, Promise) and 1 <= result.value.weeks <= 12

    reqs = [r for r in received(record) if r["path"] == "/v1/chat/completions"]
    assert len(reqs) == result.attempts
    body = reqs[0]["body"]
    assert reqs[0]["authorization"] == f"Bearer {KEY}"
    assert body["model"] == "gemma-3-270m"
    # llama.cpp's server reads max_tokens; langchain-openai would send max_completion_tokens
    assert body["max_tokens"] == 1024 and "max_completion_tokens" not in body
    assert body["response_format"]["type"] == "json_object"
    assert body["response_format"]["schema"]["required"] == ["promise", "weeks"]
    assert body["messages"][0]["role"] == "system" and "JSON" in body["messages"][0]["content"]
    assert body["messages"][-1] == {"role": "user", "content": "私域变现实战营的承诺是什么？几周？"}


def test_streaming_through_the_server(llama_server, monkeypatch):
    base, record = llama_server
    record.write_text("")
    handle = use_server(monkeypatch, base, IPWRITER_MAX_TOKENS="400")
    pieces: list[str] = []
    result = invoke_structured(handle, Answer, [("human", "用一句话说说什么是私域，输出 JSON。")],
                               retries=0, on_token=pieces.append)
    assert len(pieces) > 3
    assert json.loads("".join(pieces))["answer"] == result.value.answer
    body = received(record)[-1]["body"]
    assert body["stream"] is True
    assert body["response_format"]["schema"]["properties"]["answer"]["maxLength"] == 20


def test_server_timeout_is_a_clear_error(llama_server, monkeypatch):
    base, _ = llama_server
    handle = use_server(monkeypatch, base, IPWRITER_TIMEOUT="0.001", IPWRITER_MAX_RETRIES="0")
    with pytest.raises(ModelTimeoutError, match="没有回应"):
        invoke_structured(handle, Promise, [("human", "写一个承诺")], retries=0)
