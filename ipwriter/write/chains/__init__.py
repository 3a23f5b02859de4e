"""The chain registry: one table of every writing chain.

The CLI's subcommands, the app's 写作 options, ``regenerate`` and
``edit_draft`` all come from :data:`CHAINS`. Adding a chain is one module
(its inputs, its schema, its ``run`` and a :class:`Chain` entry) and one line
here; nothing else changes.
"""

from __future__ import annotations

from ipwriter.errors import ConfigError
from ipwriter.write.chains import pack, post, rewrite, script
from ipwriter.write.chains.base import Chain

CHAINS: dict[str, Chain] = {c.name: c for c in (post.CHAIN, rewrite.CHAIN, script.CHAIN, pack.CHAIN)}


def get_chain(name: str) -> Chain:
    """The registered chain called ``name``; a ConfigError listing the choices otherwise."""
    try:
        return CHAINS[name]
    except KeyError:
        known = "、".join(f"{c.name}（{c.label}）" for c in CHAINS.values())
        raise ConfigError(f"没有叫「{name}」的写作类型，可选：{known}",
                          f"no chain named {name!r}; valid: {', '.join(CHAINS)}") from None


def chain_label(name: str) -> str:
    """What the creator reads for a chain (its name, if it is no longer registered)."""
    return CHAINS[name].label if name in CHAINS else name


__all__ = ["CHAINS", "Chain", "chain_label", "get_chain"]
