"""The real packaged GGUF, run in-process by llama-cpp-python."""

import json
from typing import Annotated

import pytest
from pydantic import BaseModel, Field

from ipwriter.config import load_settings
from ipwriter.errors import InvalidModelOutput
from ipwriter.llm import invoke_structured, make_chat_model
from ipwriter.llm.local import format_gemma3, load_llama


class Answer(BaseModel):
    answer: str = Field(max_length=20)


class Essay(BaseModel):
    text: str = Field(min_length=2000)


class Outline(BaseModel):
    title: str = Field(max_length=20)
    points: list[Annotated[str, Field(max_length=30)]] = Field(min_length=2, max_length=3)
    minutes: int = Field(ge=1, le=10)


def test_gemma_format_keeps_the_system_text():
    prompt = format_gemma3([{"role": "system", "content": "只输出 JSON"},
                            {"role": "user", "content": "你好"}]).prompt
    assert prompt == ("<start_of_turn>user\n只输出 JSON\n\n你好<end_of_turn>\n"
                      "<start_of_turn>model\n")


@pytest.mark.model
def test_packaged_model_returns_a_schema_valid_object(gguf_path):
    settings = load_settings(temperature=0.2, max_tokens=200)
    handle = make_chat_model(settings)
    assert handle.provider == "local" and handle.method == "json_object_schema"
    assert handle.model_name == gguf_path.name
    result = invoke_structured(handle, Outline, [("human", "为一场私域直播写标题、两三个要点和时长（分钟）")])
    assert isinstance(result.value, Outline)
    assert 1 <= result.value.minutes <= 10
    assert 2 <= len(result.value.points) <= 3
    assert result.usage["output_tokens"] > 0
    assert result.raw.response_metadata["finish_reason"] == "stop"


@pytest.mark.model
def test_model_is_loaded_once_per_process(gguf_path):
    settings = load_settings()
    a = make_chat_model(settings).chat
    b = make_chat_model(settings).chat
    assert a.llama is b.llama
    assert load_llama.cache_info().currsize >= 1


@pytest.mark.model
def test_local_stream_ends_with_a_finish_reason():
    handle = make_chat_model(load_settings(max_tokens=200))
    pieces: list[str] = []
    result = invoke_structured(handle, Answer, [("human", "用一句话介绍私域，输出 JSON。")],
                               retries=0, on_token=pieces.append)
    assert len(pieces) > 3  # it really streamed
    assert json.loads("".join(pieces))["answer"] == result.value.answer
    assert result.raw.response_metadata["finish_reason"] == "stop"


@pytest.mark.model
def test_local_length_limit_is_reported_not_accepted():
    handle = make_chat_model(load_settings(max_tokens=16))
    pieces: list[str] = []
    with pytest.raises(InvalidModelOutput) as info:
        invoke_structured(handle, Essay, [("human", "写一篇三千字的私域运营长文。")], retries=0,
                          on_token=pieces.append)
    # cut off by the length limit: kept for the creator to see, never taken as the answer
    assert info.value.last_completion and "".join(pieces) == info.value.last_completion
