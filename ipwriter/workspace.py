"""Workspace: the one API the CLI and the app call, and the composition root.

A workspace is a folder with ``profile.yaml`` and ``knowledge/``; its state lives under ``$IPWRITER_HOME``
(default ``./.ipwriter``). The workspace builds the services — the knowledge base, the draft checker, the
chat model, the prompt library, the draft store — hands each chain a WriteContext, and delegates. It holds
no business logic of its own: neither do the front ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from functools import cached_property
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ipwriter.checks.checker import DraftChecker, checker_for
from ipwriter.config import Settings, load_settings, save_env
from ipwriter.doctor import DoctorReport, diagnose, ping_chat, repair, run_check
from ipwriter.drafts import DraftStore
from ipwriter.knowledge.base import KnowledgeBase
from ipwriter.knowledge.evaluate import EvalReport
from ipwriter.knowledge.models import Evidence, Fact, IngestReport
from ipwriter.llm import ChatHandle, make_chat_model
from ipwriter.logs import setup_logging
from ipwriter.profile import CreatorProfile, load_profile, save_profile
from ipwriter.redact import register_secret
from ipwriter.write.brief import Brief
from ipwriter.write.chains import CHAINS, Chain, get_chain
from ipwriter.write.context import MaterialContext, TokenSink, WriteContext
from ipwriter.write.edits import edited
from ipwriter.write.export import check_format, export
from ipwriter.write.inputs import ChainInputs
from ipwriter.write.models import COMPACT, FULL, Draft
from ipwriter.write.prompts import PromptLibrary
from ipwriter.write.selftest import SelfTestReply, selftest


class Workspace(AbstractContextManager):
    def __init__(self, root: Path | None = None, settings: Settings | None = None, *,
                 embeddings: tuple[Embeddings, str] | None = None,
                 llm: ChatHandle | None = None) -> None:
        """``embeddings`` (an Embeddings, its ASCII id) and ``llm`` replace the configured ones (fakes)."""
        self.root = (root or Path.cwd()).resolve()
        self.settings = settings or load_settings(_env_file=self.env_path)
        if self.settings.api_key is not None:
            register_secret(self.settings.api_key.get_secret_value())
        home = self.settings.home
        self.home = home if home.is_absolute() else self.root / home
        self.home.mkdir(parents=True, exist_ok=True)
        self.log_path = setup_logging(self.home / "logs")
        self._embeddings_given = embeddings
        self._llm = llm
        self._checker: tuple[tuple[int, float], DraftChecker] | None = None

    # -- configuration ---------------------------------------------------------------------
    @property
    def profile_path(self) -> Path:
        return self.root / "profile.yaml"

    @property
    def env_path(self) -> Path:
        return self.root / ".env"

    def profile(self) -> CreatorProfile:
        return load_profile(self.profile_path)

    @property
    def llm(self) -> ChatHandle:
        if self._llm is None:
            self._llm = make_chat_model(self.settings, env_file=self.env_path)
        return self._llm

    def use_chat_model(self, handle: ChatHandle) -> None:
        """Use this chat model from now on (a fake in tests, one picked in the app)."""
        self._llm = handle

    def configure_model(self, provider: str, model: str | None = None,
                        base_url: str | None = None, api_key: str | None = None) -> dict:
        """Switch the chat model for this process (the key is kept in memory only)."""
        if api_key:
            register_secret(api_key)  # never into logs, whatever fails next
        settings = load_settings(_env_file=self.env_path, **{
            **self.settings.model_dump(exclude={"api_key"}), "provider": provider,
            "model": model or None, "base_url": base_url or None, "api_key": api_key or None})
        self._llm = make_chat_model(settings, env_file=self.env_path)
        self.settings = settings
        return self.public_settings()

    def public_settings(self) -> dict[str, Any]:
        return {**self.settings.public_dict(), "home": str(self.home)}

    def save_env(self, values: dict[str, str]) -> Path:
        """Write settings (and a key, if chosen) to ``.env``, the one settings file; other lines stay."""
        return save_env(self.env_path, values)

    def profile_text(self) -> str:
        return self.profile_path.read_text(encoding="utf-8") if self.profile_path.is_file() else ""

    def save_profile(self, text: str) -> CreatorProfile:
        """Validate, keep a backup of the old file, then write profile.yaml."""
        return save_profile(self.profile_path, text, self.home / "backups")

    # -- knowledge -------------------------------------------------------------------------
    @cached_property
    def kb(self) -> KnowledgeBase:
        return KnowledgeBase.configured(self.root, self.home, self.settings, self._embeddings_given)

    def ingest(self, paths: list[Path] | None = None, progress=None) -> IngestReport:
        return self.kb.ingest(paths, progress=progress)

    def search(self, query: str, k: int = 5, *, sources: list[str] | None = None,
               kinds: list[str] | None = None) -> list[Evidence]:
        return self.kb.search(query, k, sources=sources, kinds=kinds)

    def search_warnings(self) -> list[str]:
        return self.kb.search_warnings()

    def eval_retrieval(self, questions: Path | tuple[str, str | bytes], k: int = 5,
                       progress=None) -> EvalReport:
        """检索自测: a question file, or its (name, text) → recall@k, hit@1, each miss explained."""
        return self.kb.evaluate(questions, k, progress)

    def facts(self, source: str | None = None, kinds: list[str] | None = None) -> list[Fact]:
        return self.kb.facts(source, kinds)

    def correct_fact(self, **fields: Any) -> int:  # source, quote, text → kind, owner, consent
        return self.kb.correct_fact(**fields)

    def sources(self) -> list[dict]:
        return self.kb.sources()

    def save_uploads(self, files: list[tuple[str, bytes]]) -> list:
        return self.kb.save_uploads(files)

    def remove_source(self, source: str) -> Path | None:
        return self.kb.remove_source(source)

    def close(self) -> None:
        """Release the knowledge store's lock (it opens again on the next use)."""
        if "kb" in self.__dict__:
            self.kb.close()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- checks ----------------------------------------------------------------------------
    def checker(self) -> DraftChecker:
        """The checks with the records' and profile's facts, rebuilt when either changed (no store lock)."""
        has_profile = self.profile_path.is_file()
        key = (self.kb.generation(), self.profile_path.stat().st_mtime if has_profile else 0.0)
        if self._checker is None or self._checker[0] != key:
            facts = self.kb.catalog_facts()[1]
            self._checker = (key, checker_for(facts, self.profile() if has_profile else None))
        return self._checker[1]

    def check(self, text: str, *, platform: str | None = None, kind: str = "text"):
        """Check a draft against the knowledge base, 广告法/platform rules and structure."""
        return self.checker().check(text, platform=platform, kind=kind)  # type: ignore[arg-type]

    # -- writing ---------------------------------------------------------------------------
    @cached_property
    def prompts(self) -> PromptLibrary:
        """Packaged prompts; a file in the workspace's own prompts/ folder overrides one."""
        return PromptLibrary(self.root / "prompts")

    @cached_property
    def drafts(self) -> DraftStore:
        return DraftStore(self.home, lambda chain: CHAINS[chain].inputs if chain in CHAINS else None)

    def context(self) -> WriteContext:
        """What a chain gets: the model, prompts, profile, retriever, checker, limits."""
        return WriteContext(model=self.llm, prompts=self.prompts, profile=self.profile(),
                            retriever=self.kb, checker=self.checker(),
                            limits=COMPACT if self.settings.compact_mode else FULL,
                            evidence_chars=self.settings.evidence_budget)

    def write(self, chain: str, inputs: ChainInputs | Mapping[str, Any] | None = None, *,
              on_token: TokenSink = None, **fields: Any) -> Draft:
        """Run a registered chain (inputs: a model, a mapping or keywords); save it as a new draft's v1."""
        spec = get_chain(chain)
        return self.drafts.save_new(self._run(spec, inputs if inputs is not None else fields,
                                              on_token))

    def regenerate(self, draft_id: str, *, on_token: TokenSink = None) -> Draft:
        """Run a draft's chain again with its saved inputs: a new version of the same draft."""
        d = self.drafts.get(draft_id)
        return self.drafts.add_version(draft_id, self._run(get_chain(d.chain), d.inputs, on_token),
                                       "重新生成")

    def brief(self, chain: str, inputs: Any = None, **fields: Any) -> Brief:
        """A chain's 素材提纲 from the notes, profile and rules alone: no model loads."""
        ctx = MaterialContext(self.profile(), self.kb.model_free(), self.checker(), FULL)
        return get_chain(chain).make_brief(ctx, inputs if inputs is not None else fields)

    def _run(self, spec: Chain, inputs: Any, on_token: TokenSink) -> Draft:
        typed = spec.planned(spec.parse(inputs), lambda given: self.brief(spec.name, given))
        ctx = self.context()
        for name in spec.prompts:  # a broken prompt file fails here, before any model call
            ctx.prompts.get(name)
        return spec.run(ctx, typed, on_token)

    def edit_draft(self, draft_id: str, text: str, *, title: str | None = None,
                   note: str = "", base_version: int | None = None) -> Draft:
        """Save the creator's edit (of ``base_version``, default the latest) as a new, checked version."""
        current = self.drafts.get(draft_id, base_version)
        return self.drafts.add_version(draft_id, edited(current, text, self.checker(), title=title),
                                       note or "编辑")

    def draft(self, draft_id: str, version: int | None = None) -> Draft:
        return self.drafts.get(draft_id, version)

    def list_drafts(self, **filters) -> list:
        return self.drafts.list(**filters)

    def draft_versions(self, draft_id: str) -> list[dict]:
        return self.drafts.versions(draft_id)

    def draft_events(self, draft_id: str) -> list[dict]:
        return self.drafts.events(draft_id)

    def set_draft_status(self, draft_id: str, status: str, note: str = "", **override: Any) -> Draft:
        self.drafts.set_status(draft_id, status, note, **override)  # approve: force=, reason=
        return self.drafts.get(draft_id)

    def export_draft(self, draft_id: str, fmt: str = "md", out: Path | None = None,
                     version: int | None = None) -> Path:
        check_format(fmt)  # before the draft is looked up
        d = self.drafts.get(draft_id, version)
        path = out or self.home / "exports" / f"{d.draft_id}-v{d.version}.{fmt}"
        return export(d, fmt, path if path.is_absolute() else self.root / path, self.settings.ai_label)

    # -- health ----------------------------------------------------------------------------
    def doctor(self, *, model_timeout: float = 20.0) -> DoctorReport:
        return diagnose(self.settings, self.env_path, self.profile, self.kb, self.drafts,
                        self.public_settings(), model_timeout)

    def repair(self):  # doctor --repair → doctor.RepairReport
        return repair(self.kb, self.drafts)

    def test_connection(self, timeout: float = 20.0) -> tuple[bool, str]:
        """(ok, a Chinese verdict): answers, wrong key, wrong URL, no balance, no such model …"""
        check = run_check("chat_model", lambda: ping_chat(self.settings, self.env_path, timeout))
        return check.ok, check.detail

    def selftest(self) -> SelfTestReply:
        """A structured call on the configured model (prompt file → validated reply)."""
        return selftest(self.llm, self.prompts, self.profile())
