"""Calling a chat model: structured output, streamed or not.

- Structured replies are validated into a pydantic model; a reply that fails
  validation is re-asked with the error (at most ``retries`` times), then the
  call fails with the last completion attached (``InvalidModelOutput``).
- A reply without a finish reason (a stream cut off) or stopped by the length
  limit is reported, never accepted as complete.
- Provider errors become ipwriter errors with a Chinese-first message; keys
  never appear in them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from ipwriter.errors import (
    IncompleteResponseError,
    InvalidModelOutput,
    ModelAuthError,
    ModelConnectionError,
    ModelError,
    ModelNotFoundError,
    ModelRateLimitError,
    ModelRequestError,
    ModelTimeoutError,
)
from ipwriter.llm.factory import ChatHandle
from ipwriter.redact import redact

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
COMPLETE = {"stop", "tool_calls", "function_call", "eos"}
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.IGNORECASE)


@dataclass
class StructuredResult(Generic[T]):
    value: T
    raw: AIMessage
    attempts: int
    usage: dict[str, int] = field(default_factory=dict)


def _where(handle: ChatHandle) -> str:
    return f"{handle.provider}/{handle.model_name}"


@contextmanager
def model_errors(handle: ChatHandle) -> Iterator[None]:
    """Translate provider and transport errors into ipwriter errors."""
    import openai

    try:
        yield
    except ModelError:
        raise
    except openai.LengthFinishReasonError as exc:
        raise _length_error(_choice_text(exc.completion)) from exc
    except openai.ContentFilterFinishReasonError as exc:
        raise ModelRequestError("回复被模型服务的内容审核拦截，请调整主题或措辞后重试",
                                "the reply was blocked by the provider's content filter") from exc
    except openai.APITimeoutError as exc:
        raise ModelTimeoutError(
            f"模型 {_where(handle)} 在 {handle.timeout:g} 秒内没有回应，可调大 IPWRITER_TIMEOUT 或稍后重试",
            f"model {_where(handle)} timed out after {handle.timeout:g}s",
        ) from exc
    except openai.RateLimitError as exc:
        raise ModelRateLimitError(
            f"模型服务限流或额度用尽（HTTP 429），重试后仍失败：{_detail(exc)}",
            "rate limited (HTTP 429) after retries",
        ) from exc
    except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
        var = handle.key_env or "IPWRITER_API_KEY"
        raise ModelAuthError(
            f"API Key 无效或没有权限（HTTP {exc.status_code}），请检查 {var}",
            f"authentication failed (HTTP {exc.status_code}); check {var}",
        ) from exc
    except openai.NotFoundError as exc:
        raise ModelNotFoundError(
            f"找不到模型 {handle.model_name} 或接口地址不对（{handle.base_url}）：{_detail(exc)}",
            f"model or endpoint not found (HTTP 404): {handle.model_name} at {handle.base_url}",
        ) from exc
    except openai.APIStatusError as exc:
        if exc.status_code == 402:
            raise ModelRequestError("账户余额不足（HTTP 402），请充值后重试",
                                    "insufficient balance (HTTP 402)") from exc
        raise ModelRequestError(
            f"模型服务拒绝了请求（HTTP {exc.status_code}）：{_detail(exc)}",
            f"the endpoint rejected the request (HTTP {exc.status_code})",
        ) from exc
    except openai.APIConnectionError as exc:
        raise ModelConnectionError(
            f"连接不上模型服务 {handle.base_url}，请检查网络和 IPWRITER_BASE_URL",
            f"cannot connect to {handle.base_url}",
        ) from exc
    except Exception as exc:
        if type(exc).__module__.split(".")[0] in {"httpx", "httpx2", "httpcore", "httpcore2"}:
            raise IncompleteResponseError(
                f"与模型服务的连接中断，回复不完整：{type(exc).__name__}",
                f"connection broke mid-reply: {type(exc).__name__}",
            ) from exc
        raise


def _choice_text(completion: Any) -> str:
    try:
        return completion.choices[0].message.content or ""
    except (AttributeError, IndexError):
        return ""


def _length_error(partial: str) -> IncompleteResponseError:
    return IncompleteResponseError(
        "模型输出达到长度上限被截断（可调大 IPWRITER_MAX_TOKENS）",
        "the reply hit the length limit and was cut off",
        partial=partial, reason="length",
    )


def _detail(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        msg = body.get("message") or (body.get("error") or {}).get("message") if isinstance(
            body.get("error"), dict) else body.get("message")
        if msg:
            return redact(str(msg))[:300]
    return redact(str(exc))[:300]


def _check_finished(message: AIMessage, handle: ChatHandle) -> None:
    reason = (message.response_metadata or {}).get("finish_reason")
    if reason in COMPLETE:
        return
    text = message.text if isinstance(message.content, (str, list)) else ""
    if reason == "length":
        raise _length_error(text)
    raise IncompleteResponseError(
        f"模型 {_where(handle)} 的回复不完整（没有结束标记 finish_reason={reason!r}），已丢弃",
        f"incomplete reply from {_where(handle)} (finish_reason={reason!r}); not accepted",
        partial=text,
    )


def format_instructions(schema: type[BaseModel], method: str) -> str:
    """What the prompt must say so the reply is JSON of this shape.

    json_mode endpoints need the word JSON and the schema in the prompt; the
    grammar-backed methods only need a reminder (the grammar enforces it).
    """
    if method == "json_mode":
        spec = json.dumps(schema.model_json_schema(), ensure_ascii=False)
        return f"只输出一个 JSON 对象（JSON only），必须符合这个 JSON Schema：{spec}"
    fields = "、".join(schema.model_fields)
    return f"只输出一个 JSON 对象（JSON only），字段：{fields}。"


GRAMMAR_MAX_LENGTH = 240


def grammar_schema(node: Any) -> Any:
    """Rewrite a JSON schema for llama.cpp's grammar converter:

    - it ignores integer bounds, so a small bounded integer range becomes an
      enum and the sampler cannot step outside it;
    - it spells a string's maxLength out as nested optional rules, and
      llama.cpp refuses a grammar past ~2,000 repetitions ("exceeds sane
      defaults"), so a long string's maxLength is left to validation (and
      max_tokens) instead of the grammar.
    """
    if isinstance(node, list):
        return [grammar_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: grammar_schema(v) for k, v in node.items()}
    if isinstance(out.get("maxLength"), int) and out["maxLength"] > GRAMMAR_MAX_LENGTH:
        del out["maxLength"]
    lo, hi = out.get("minimum"), out.get("maximum")
    if out.get("type") == "integer" and isinstance(lo, int) and isinstance(hi, int) \
            and 0 <= hi - lo <= 200 and "enum" not in out:
        out["enum"] = list(range(lo, hi + 1))
    return out


def _bind_kwargs(schema: type[BaseModel], method: str) -> dict[str, Any]:
    js = schema.model_json_schema()
    if method == "json_schema":
        return {"response_format": {"type": "json_schema", "json_schema": {
            "name": schema.__name__, "schema": js, "strict": False}}}
    if method == "json_object_schema":
        return {"response_format": {"type": "json_object", "schema": grammar_schema(js)}}
    if method == "json_mode":
        return {"response_format": {"type": "json_object"}}
    return {}


def _payload(message: AIMessage, method: str) -> str:
    if method == "function_calling":
        if message.tool_calls:
            return json.dumps(message.tool_calls[0]["args"], ensure_ascii=False)
        return message.text
    return _FENCE.sub("", message.text)


def _usage(message: AIMessage) -> dict[str, int]:
    u = message.usage_metadata or {}
    return {k: int(u.get(k, 0)) for k in ("input_tokens", "output_tokens", "total_tokens")}


def invoke_structured(
    handle: ChatHandle,
    schema: type[T],
    messages: Sequence[BaseMessage],
    *,
    retries: int = 2,
    on_token: Callable[[str], None] | None = None,
    **call_kwargs: Any,
) -> StructuredResult[T]:
    """Ask for ``schema``; re-ask with the validation error; fail with the last completion.

    ``on_token``: stream the reply and hand each piece of text to it as it arrives
    (a preview for the app; the result is validated only when the reply ends).
    """
    fmt = format_instructions(schema, handle.method)
    messages = list(messages)
    if messages and isinstance(messages[0], SystemMessage):
        # one system message: some endpoints reject or ignore a second one
        convo: list[BaseMessage] = [SystemMessage(f"{messages[0].text}\n\n{fmt}"), *messages[1:]]
    else:
        convo = [SystemMessage(fmt), *messages]
    chat = handle.chat
    if handle.method == "function_calling":
        chat = chat.bind_tools([schema], tool_choice=schema.__name__)  # type: ignore[assignment]
    kwargs = {**_bind_kwargs(schema, handle.method), **call_kwargs}
    usage = {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0}
    last = ""
    base_temperature = float(getattr(handle.chat, "temperature", None) or 0.3)
    for attempt in range(1, retries + 2):
        if attempt > 1 and "temperature" not in call_kwargs:
            # Same prompt + same sampling tends to repeat the same mistake.
            kwargs["temperature"] = min(1.0, base_temperature + 0.3 * (attempt - 1))
            kwargs["seed"] = attempt
        try:
            with model_errors(handle):
                raw = _stream_into(chat, convo, kwargs, on_token) if on_token else \
                    chat.invoke(convo, **kwargs)
        except IncompleteResponseError as exc:
            if exc.reason != "length":
                raise
            raw = AIMessage(exc.partial, response_metadata={"finish_reason": "length"})
        assert isinstance(raw, AIMessage)
        for k, v in _usage(raw).items():
            usage[k] += v
        last = _payload(raw, handle.method)
        truncated = (raw.response_metadata or {}).get("finish_reason") == "length"
        try:
            if not truncated:
                _check_finished(raw, handle)
            # strict=False: a raw newline inside a string is fine here (llama.cpp's
            # grammar lets the model write one; JSON proper would reject it)
            value = schema.model_validate(json.loads(last, strict=False))
            return StructuredResult(value, raw, attempt, usage)
        except (ValidationError, ValueError) as exc:
            error = _short_error(exc, truncated)
            log.info("structured reply rejected (attempt %d): %s", attempt, error)
            convo = [*convo, AIMessage(last),
                     HumanMessage(f"上面的输出不合格：{error}。请修正后重新只输出完整的 JSON。")]
    raise InvalidModelOutput(
        f"模型 {_where(handle)} 连续 {retries + 1} 次没有给出符合格式的结果（最后一次输出已保留）",
        f"no valid {schema.__name__} after {retries + 1} attempts; last completion kept",
        last_completion=last,
    )


def _stream_into(chat: Any, convo: list[BaseMessage], kwargs: dict[str, Any],
                 on_token: Callable[[str], None]) -> AIMessage:
    """Stream a reply, passing text on as it comes; the chunks merged into one message."""
    merged = None
    for chunk in chat.stream(convo, **kwargs):
        merged = chunk if merged is None else merged + chunk
        if chunk.text:
            on_token(chunk.text)
    if merged is None:
        return AIMessage("", response_metadata={})
    return AIMessage(content=merged.content, response_metadata=merged.response_metadata,
                     usage_metadata=merged.usage_metadata, tool_calls=merged.tool_calls)


def _short_error(exc: Exception, truncated: bool) -> str:
    if truncated:
        return "输出被长度上限截断，请写得更短"
    if isinstance(exc, ValidationError):
        parts = []
        for e in exc.errors()[:5]:
            loc = ".".join(str(p) for p in e["loc"]) or "(整体)"
            parts.append(f"{loc}: {e['msg']}")
        return "；".join(parts)
    return str(exc)[:200]
