"""Errors a creator can act on.

Every user-facing error carries a Chinese-first message with a short English
gloss, on one line, so the CLI can print it as is and the app can show it.
`exit_code` follows the CLI contract: 2 for bad input or configuration,
1 for failures at run time (a model that timed out, a broken reply).
"""

from __future__ import annotations


class IpwriterError(Exception):
    """Base class: a failure with a message meant for the creator."""

    exit_code = 1

    def __init__(self, zh: str, en: str = "") -> None:
        self.zh = zh
        self.en = en
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}" if self.en else self.zh


class ConfigError(IpwriterError):
    """A setting, an environment variable or a file the user controls is wrong."""

    exit_code = 2


class MissingKeyError(ConfigError):
    """A provider needs an API key that is not set; names the variable."""

    def __init__(self, provider: str, variable: str) -> None:
        self.provider = provider
        self.variable = variable
        super().__init__(
            f"缺少 {provider} 的 API Key：请设置环境变量 {variable}（或 IPWRITER_API_KEY）",
            f"missing API key for provider {provider!r}: set the {variable} environment variable "
            "(or IPWRITER_API_KEY)",
        )


class ProfileError(ConfigError):
    """profile.yaml is missing, unreadable or invalid; names the field and line."""


class ModelError(IpwriterError):
    """The chat model could not give a usable answer."""


class ModelTimeoutError(ModelError):
    pass


class ModelRateLimitError(ModelError):
    pass


class ModelAuthError(ModelError):
    exit_code = 2


class ModelNotFoundError(ModelError):
    exit_code = 2


class ModelRequestError(ModelError):
    """The endpoint rejected the request (HTTP 4xx other than auth/limits)."""


class ModelConnectionError(ModelError):
    pass


class IncompleteResponseError(ModelError):
    """The reply ended early: cut off, or stopped by the length limit."""

    def __init__(self, zh: str, en: str = "", partial: str = "", reason: str | None = None) -> None:
        self.partial = partial
        self.reason = reason
        super().__init__(zh, en)


class InvalidModelOutput(ModelError):
    """The reply never matched the required structure; keeps the last completion."""

    def __init__(self, zh: str, en: str = "", last_completion: str = "") -> None:
        self.last_completion = last_completion
        super().__init__(zh, en)
