"""Fakes that plug in exactly where the real parts do, and can still fail a test.

- :class:`ScriptedChat`: a LangChain chat model (``GenericFakeChatModel``)
  that answers from a queue and records every call's messages and options.
  langchain_core's fakes raise NotImplementedError from
  ``with_structured_output`` / ``bind_tools``; this one binds tools to itself,
  so the function-calling path works too. Running out of answers fails the
  test (StopIteration surfaces as an error), so a chain that calls the model
  more often than expected cannot pass quietly.
- :func:`handle`: a ChatHandle around it, with the structured-output method
  under test.
- :class:`HashEmbeddings`: a deterministic embedder for tests that need *some*
  embedder but not e5: character uni- and bigrams hashed into 256 signed
  dimensions, L2-normalised. Different texts get different vectors and texts
  that share words are close, so ranking is still testable; no model loads.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import Field

from ipwriter.llm import ChatHandle


def reply(obj: Any, finish_reason: str = "stop") -> AIMessage:
    """A model reply: a JSON document (or raw text) with a finish reason."""
    content = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    return AIMessage(content, response_metadata={"finish_reason": finish_reason},
                     usage_metadata={"input_tokens": 100, "output_tokens": 50, "total_tokens": 150})


class ScriptedChat(GenericFakeChatModel):
    calls: list[dict[str, Any]] = Field(default_factory=list)
    temperature: float = 0.3

    def bind_tools(self, tools: Any, **kwargs: Any) -> "ScriptedChat":
        return self

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.calls.append({"messages": list(messages), "kwargs": dict(kwargs)})
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: Any = None, **kwargs: Any):
        """Stream the next answer in 8-character pieces; like real providers, the
        finish reason and token usage come with the last piece only."""
        message = self._generate(messages, stop=stop, **kwargs).generations[0].message
        text = message.text
        pieces = [text[i:i + 8] for i in range(0, len(text), 8)] or [""]
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            chunk = AIMessageChunk(content=piece,
                                   response_metadata=message.response_metadata if last else {},
                                   usage_metadata=message.usage_metadata if last else None)
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=ChatGenerationChunk(message=chunk))
            yield ChatGenerationChunk(message=chunk)

    def system(self, call: int = -1) -> str:
        return self.calls[call]["messages"][0].text

    def user(self, call: int = -1) -> str:
        return "\n".join(m.text for m in self.calls[call]["messages"][1:])


def handle(replies: list[AIMessage], method: str = "json_mode") -> ChatHandle:
    chat = ScriptedChat(messages=iter(replies))
    return ChatHandle(chat=chat, provider="fake", model_name="scripted", method=method,  # type: ignore[arg-type]
                      base_url=None, key_env=None, timeout=5.0)


class HashEmbeddings(Embeddings):
    """Deterministic bag-of-character-n-grams vectors; counts its calls."""

    dim = 256

    def __init__(self) -> None:
        self.calls: list[int] = []  # texts per embed_documents call

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        grams = list(text) + [text[i:i + 2] for i in range(len(text) - 1)]
        for g in grams:
            if not g.strip():
                continue
            h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
            vec[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(len(texts))
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def fake_embeddings() -> tuple[HashEmbeddings, str]:
    """For ``Workspace(..., embeddings=fake_embeddings())``."""
    return HashEmbeddings(), "hash256"


def script_reply(self_ids: list[int], third_ids: list[int]) -> dict:
    """A well-formed reply of the script chain: one line per segment; the proof
    segments cite these fact numbers."""
    lines = {"opening": "大家好，今晚聊私域成交，十点前结束。",
             "pain": "你是不是发了内容没人问？",
             "promise": "八周带你搭好自己的成交链路。",
             "product": "课程包含直播课、作业批改和小组复盘。",
             "offer": "今晚24点前报名，额外送一次小组答疑。",
             "interaction": "在评论区说说你卡在哪一步。",
             "closing": "最后再说一遍适合谁、不适合谁。",
             "after_sale": "开营7天内觉得不合适，全额退款。"}
    out: dict = {k: {"lines": [v], "facts": []} for k, v in lines.items()}
    out["self_proof"] = {"lines": ["我自己的小红书5个月做到2.3万粉。"], "facts": self_ids}
    out["third_party"] = {"lines": ["学员小周第一个月收入两千元。"], "facts": third_ids}
    return out
