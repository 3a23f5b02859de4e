"""Provider factory: presets, keys, structured-output methods, and what is sent."""

import json
import logging

import httpx2
import pytest

from ipwriter.config import load_settings
from ipwriter.errors import ConfigError, MissingKeyError
from ipwriter.llm import PRESETS, invoke_structured, make_chat_model, preset_for
from ipwriter.write.selftest import SelfTestReply

KEYED = {
    "openai": "OPENAI_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "qwen": "DASHSCOPE_API_KEY",
    "moonshot": "MOONSHOT_API_KEY",
    "zhipu": "ZHIPUAI_API_KEY",
}


def test_unknown_provider_lists_valid_ones():
    with pytest.raises(ConfigError) as info:
        preset_for("wenxin")
    for name in PRESETS:
        assert name in info.value.message


@pytest.mark.parametrize(("provider", "var"), KEYED.items())
def test_missing_key_names_the_variable(monkeypatch, provider, var):
    monkeypatch.setenv("IPWRITER_PROVIDER", provider)
    with pytest.raises(MissingKeyError) as info:
        make_chat_model(load_settings())
    assert var in info.value.message
    assert info.value.variable == var
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("provider", "method"),
    [("openai", "json_schema"), ("deepseek", "json_mode"), ("qwen", "json_mode"),
     ("moonshot", "json_mode"), ("zhipu", "json_mode"), ("ollama", "json_schema"),
     ("openai-compatible", "json_object_schema"), ("local", "json_object_schema")],
)
def test_structured_method_per_preset(provider, method):
    assert PRESETS[provider].structured_method == method


def test_preset_endpoints():
    assert PRESETS["deepseek"].base_url == "https://api.deepseek.com"
    assert PRESETS["qwen"].base_url == "https://dashscope.aliyuncs.com/compatible-mode/v1"
    assert PRESETS["ollama"].base_url == "http://127.0.0.1:11434/v1"


def test_provider_key_variable_is_used(monkeypatch):
    monkeypatch.setenv("IPWRITER_PROVIDER", "deepseek")
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-deepseek-abcdefgh")
    handle = make_chat_model(load_settings())
    assert handle.chat.openai_api_key.get_secret_value() == "sk-deepseek-abcdefgh"
    assert handle.model_name == "deepseek-chat"
    assert handle.method == "json_mode"


def test_ipwriter_api_key_overrides(monkeypatch):
    monkeypatch.setenv("IPWRITER_PROVIDER", "qwen")
    monkeypatch.setenv("DASHSCOPE_API_KEY", "sk-from-dashscope-var")
    monkeypatch.setenv("IPWRITER_API_KEY", "sk-from-ipwriter-var")
    handle = make_chat_model(load_settings())
    assert handle.chat.openai_api_key.get_secret_value() == "sk-from-ipwriter-var"


def test_key_from_dotenv_file(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("IPWRITER_PROVIDER=moonshot\nMOONSHOT_API_KEY=sk-moon-12345678\n")
    handle = make_chat_model(load_settings(), env_file=tmp_path / ".env")
    assert handle.chat.openai_api_key.get_secret_value() == "sk-moon-12345678"


def test_method_override(monkeypatch):
    monkeypatch.setenv("IPWRITER_PROVIDER", "ollama")
    monkeypatch.setenv("IPWRITER_STRUCTURED_METHOD", "function_calling")
    assert make_chat_model(load_settings()).method == "function_calling"


def _completion(content: str, finish="stop") -> dict:
    return {"id": "c1", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{"index": 0, "finish_reason": finish,
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8}}


def _recording_client(replies):
    seen: list[dict] = []
    replies = iter(replies)

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append({"url": str(request.url), "auth": request.headers.get("authorization"),
                     "body": json.loads(request.content)})
        return next(replies)

    return httpx2.Client(transport=httpx2.MockTransport(handler)), seen


GOOD = json.dumps({"tagline": "实操派私域教练", "keywords": ["私域", "实操"]}, ensure_ascii=False)


@pytest.mark.parametrize(
    ("provider", "expected_format"),
    [("deepseek", {"type": "json_object"}), ("openai", "json_schema"),
     ("ollama", "json_schema")],
)
def test_request_body_per_method(monkeypatch, provider, expected_format):
    monkeypatch.setenv("IPWRITER_PROVIDER", provider)
    monkeypatch.setenv("IPWRITER_API_KEY", "sk-test-key-000000")
    client, seen = _recording_client([httpx2.Response(200, json=_completion(GOOD))])
    handle = make_chat_model(load_settings(), http_client=client)
    result = invoke_structured(handle, SelfTestReply, [("human", "介绍一下自己")])
    assert result.value.keywords == ["私域", "实操"]
    body = seen[0]["body"]
    prompt = json.dumps(body["messages"], ensure_ascii=False)
    assert "JSON" in prompt  # json_object endpoints reject prompts without the word
    if expected_format == "json_schema":
        assert body["response_format"]["type"] == "json_schema"
        assert "keywords" in json.dumps(body["response_format"]["json_schema"]["schema"])
    else:
        assert body["response_format"] == expected_format
        assert "keywords" in prompt  # schema travels in the prompt instead
    assert seen[0]["auth"] == "Bearer sk-test-key-000000"
    if provider == "deepseek":
        assert seen[0]["url"].startswith("https://api.deepseek.com/")


def test_invalid_json_is_reasked_with_the_error(monkeypatch):
    monkeypatch.setenv("IPWRITER_PROVIDER", "deepseek")
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-test-key-000000")
    bad = json.dumps({"tagline": "x", "keywords": ["only-one"]})
    client, seen = _recording_client([httpx2.Response(200, json=_completion("not json {")),
                                      httpx2.Response(200, json=_completion(bad)),
                                      httpx2.Response(200, json=_completion(GOOD))])
    handle = make_chat_model(load_settings(), http_client=client)
    result = invoke_structured(handle, SelfTestReply, [("human", "hi")])
    assert result.attempts == 3
    assert result.usage["total_tokens"] == 24
    last_prompt = seen[2]["body"]["messages"]
    assert last_prompt[-2]["content"] == bad  # the rejected completion is shown back
    assert "keywords" in last_prompt[-1]["content"]  # with the validation error


def test_key_never_lands_in_the_log(demo_ws, monkeypatch):
    from ipwriter.workspace import Workspace

    from .support.fakes import fake_embeddings

    secret = "sk-very-secret-key-987654321"
    monkeypatch.setenv("IPWRITER_PROVIDER", "deepseek")
    monkeypatch.setenv("DEEPSEEK_API_KEY", secret)
    monkeypatch.setenv("IPWRITER_BASE_URL", "http://127.0.0.1:9/v1")  # closed port, no network
    ws = Workspace(demo_ws, embeddings=fake_embeddings())  # doctor embeds one query: no e5 load
    logging.getLogger("ipwriter.test").warning("calling with key %s", secret)
    _ = ws.llm
    report = ws.doctor(model_timeout=0.5)  # no network: the chat check fails, and says so
    chat = next(c for c in report.checks if c.name == "chat_model")
    assert not chat.ok
    text = ws.log_path.read_text(encoding="utf-8") + report.model_dump_json()
    assert secret not in text
    assert "***" in ws.log_path.read_text(encoding="utf-8")


def test_no_tiktoken_on_the_call_path(monkeypatch):
    """tiktoken downloads its encodings at first use, which fails offline."""
    import tiktoken

    def refuse(*_a, **_k):
        raise AssertionError("tiktoken must not be used (it downloads encodings)")

    monkeypatch.setattr(tiktoken, "get_encoding", refuse)
    monkeypatch.setattr(tiktoken, "encoding_for_model", refuse)
    monkeypatch.setenv("IPWRITER_PROVIDER", "deepseek")
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-test-key-000000")
    client, _ = _recording_client([httpx2.Response(200, json=_completion(GOOD))])
    handle = make_chat_model(load_settings(), http_client=client)
    assert invoke_structured(handle, SelfTestReply, [("human", "hi")]).value.tagline
