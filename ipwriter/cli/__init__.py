"""The ``ipwriter`` command: thin, every action goes through the Workspace.

Contract (``shared/design.md``): ``--json`` prints exactly one JSON document
on stdout; exit 0 on success, 2 on bad input or configuration (one-line
Chinese + English reason on stderr), 1 on an unexpected failure.

The command is built by :func:`make_app` from the chain registry: every
registered chain is a subcommand (``post``, ``rewrite``, ``script``, ``pack``
…) whose options come from its inputs model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import typer

from ipwriter import __version__
from ipwriter.cli.chains import add_chain_commands
from ipwriter.cli.commands import add_commands
from ipwriter.cli.common import out
from ipwriter.cli.drafts import drafts_app
from ipwriter.cli.evaluate import eval_app
from ipwriter.cli.sources import sources_app
from ipwriter.write.chains import CHAINS
from ipwriter.write.chains.base import Chain


def _open_workspace():
    from ipwriter.workspace import Workspace

    return Workspace()


def make_app(chains: Mapping[str, Chain] | None = None,
             workspace: Callable[[], Any] = _open_workspace) -> typer.Typer:
    """The CLI for these chains (default: the registry), opening workspaces with
    ``workspace`` (default: the current directory's)."""
    chains = CHAINS if chains is None else chains
    app = typer.Typer(
        help="ipwriter：把你的实操复盘变成有依据的文案 / grounded copy from your own cases.",
        no_args_is_help=True, add_completion=False)

    @app.callback(invoke_without_command=True)
    def main(version: bool = typer.Option(False, "--version", help="版本 / version")) -> None:
        if version:
            out.print(f"ipwriter {__version__}")
            raise typer.Exit(0)

    add_commands(app, workspace)
    add_chain_commands(app, chains, workspace)
    app.add_typer(drafts_app(chains, workspace), name="drafts")
    app.add_typer(sources_app(workspace), name="sources")
    app.add_typer(eval_app(workspace), name="eval")
    return app


app = make_app()
