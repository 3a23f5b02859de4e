"""One subcommand per registered chain, generated from its inputs model.

Each field of the chain's :class:`~ipwriter.write.inputs.ChainInputs` becomes
an option (its :class:`~ipwriter.write.inputs.Param` flags, or ``--name``)
or a positional argument; a ``from_file`` field takes FILE or ``-`` and is
read with :func:`read_input`. The command validates through the chain, runs
it with a spinner on a terminal and prints the saved draft (or its JSON).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from typing import Any, Optional

import typer

from ipwriter.cli.common import JsonOpt, emit_draft, generating, read_input, run
from ipwriter.write.chains.base import Chain
from ipwriter.write.inputs import flags_of, param_of


def _parameter(name: str, field) -> inspect.Parameter:
    param = param_of(field)
    help_text = field.description or name
    is_list = typing.get_origin(field.annotation) is list
    required = field.is_required()
    if param.argument:
        annotation: Any = Optional[str]  # noqa: UP045 - typer reads the typing form
        info = typer.Argument(None, help=help_text, metavar="FILE" if param.from_file else name.upper(),
                              show_default=False)
    elif is_list:
        annotation = Optional[list[str]]  # noqa: UP045
        info = typer.Option(None, *flags_of(name, field), help=help_text)
    else:
        annotation = field.annotation if field.annotation in (int, float, str) else str
        info = typer.Option(... if required else field.default, *flags_of(name, field),
                            help=help_text)
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=info,
                             annotation=annotation)


def chain_command(chain: Chain, open_ws: Callable[[], Any]) -> Callable[..., None]:
    fields = chain.inputs.model_fields

    def command(**kwargs: Any) -> None:
        as_json = kwargs.pop("as_json")

        def write(on_token):
            values: dict[str, Any] = {}
            for name, field in fields.items():
                value = kwargs.get(name)
                if param_of(field).from_file:
                    value = read_input(value)
                if value is None or (value == [] and not field.is_required()):
                    continue  # the chain's own default
                values[name] = value
            return open_ws().write(chain.name, values, on_token=on_token)

        draft = run(as_json, lambda: generating(as_json, chain.progress, write))
        emit_draft(as_json, draft)

    params = [_parameter(name, field) for name, field in fields.items()]
    params.append(inspect.Parameter("as_json", inspect.Parameter.KEYWORD_ONLY, default=JsonOpt,
                                    annotation=bool))
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__name__ = chain.name
    command.__doc__ = chain.help
    return command


def add_chain_commands(app: typer.Typer, chains: Mapping[str, Chain],
                       open_ws: Callable[[], Any]) -> None:
    for chain in chains.values():
        app.command(chain.name, help=chain.help)(chain_command(chain, open_ws))
