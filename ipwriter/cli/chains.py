"""One subcommand per registered chain, generated from its inputs model.

Each field of the chain's :class:`~ipwriter.write.inputs.ChainInputs` becomes
an option (its :class:`~ipwriter.write.inputs.Param` flags, or ``--name``)
or a positional argument; a ``from_file`` field takes FILE or ``-`` and is
read with :func:`read_input`. The command validates through the chain, runs
it with a spinner on a terminal and prints the saved draft (or its JSON).

``ipwriter brief <chain>`` is generated the same way for every chain that
makes a brief: the same options (but ``--plan``), no model.
"""

from __future__ import annotations

import inspect
import sys
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Optional

import typer

from ipwriter.cli.common import JsonOpt, emit_draft, emit_json, err, generating, read_input, run
from ipwriter.cli.render import safe_text
from ipwriter.errors import ConfigError
from ipwriter.write.brief import to_markdown
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


def _values(fields: Mapping[str, Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs given on the command line: a FILE read (or standard input for a
    required one); anything not given is left to the chain's own default."""
    values: dict[str, Any] = {}
    for name, field in fields.items():
        value = kwargs.get(name)
        if param_of(field).from_file and (value is not None or field.is_required()):
            value = read_input(value)
        if value is None or (value == [] and not field.is_required()):
            continue
        values[name] = value
    return values


def _signed(command: Callable[..., None], fields: Mapping[str, Any], name: str, doc: str,
            *extra: inspect.Parameter) -> Callable[..., None]:
    """``command`` with one typer parameter per field, then ``extra``, then ``--json``."""
    params = [_parameter(n, f) for n, f in fields.items()] + list(extra)
    params.append(inspect.Parameter("as_json", inspect.Parameter.KEYWORD_ONLY, default=JsonOpt,
                                    annotation=bool))
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__name__ = name
    command.__doc__ = doc
    return command


def chain_command(chain: Chain, open_ws: Callable[[], Any]) -> Callable[..., None]:
    fields = chain.inputs.model_fields

    def command(**kwargs: Any) -> None:
        as_json = kwargs.pop("as_json")
        draft = run(as_json, lambda: generating(
            as_json, chain.progress,
            lambda on_token: open_ws().write(chain.name, _values(fields, kwargs), on_token=on_token)))
        emit_draft(as_json, draft)

    return _signed(command, fields, chain.name, chain.help)


def _save(target: Path, text: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"无法写入 {target}：{exc.strerror or exc}",
                          f"cannot write {target}: {exc}") from None


def brief_command(chain: Chain, open_ws: Callable[[], Any]) -> Callable[..., None]:
    """``ipwriter brief <chain>``: the chain's inputs (but its plan), printed as
    Markdown, written to ``--out``, or as JSON (``docs/brief.schema.json``)."""
    fields = {n: f for n, f in chain.inputs.model_fields.items() if param_of(f).ui != "plan"}

    def command(**kwargs: Any) -> None:
        as_json, target = kwargs.pop("as_json"), kwargs.pop("out_file")
        brief = run(as_json, lambda: open_ws().brief(chain.name, _values(fields, kwargs)))
        if as_json:
            emit_json(brief.model_dump(mode="json"))
            return
        text = to_markdown(brief)
        if target is not None:
            run(False, lambda: _save(target, text))
            err.print(safe_text(f"素材提纲已保存：{target}"))
        else:  # as text: a note's [x](url) or [/bold] is never markup
            sys.stdout.write(text)

    out_file = inspect.Parameter("out_file", inspect.Parameter.KEYWORD_ONLY,
                                 annotation=Optional[Path],  # noqa: UP045 - typer reads the typing form
                                 default=typer.Option(None, "--out", "-o", help="保存为 Markdown 文件"))
    return _signed(command, fields, f"brief_{chain.name}",
                   f"「{chain.label}」的素材提纲（不调用模型）/ the {chain.name} brief, no model.",
                   out_file)


def add_chain_commands(app: typer.Typer, chains: Mapping[str, Chain],
                       open_ws: Callable[[], Any]) -> None:
    briefs = typer.Typer(help="先看素材：案例、数字、立场、提纲、标题（不调用模型）/ "
                              "a model-free brief for any chain.", no_args_is_help=True)
    for chain in chains.values():
        app.command(chain.name, help=chain.help)(chain_command(chain, open_ws))
        if chain.brief is not None:
            briefs.command(chain.name, help=f"「{chain.label}」的素材提纲 / the {chain.name} brief.")(
                brief_command(chain, open_ws))
    app.add_typer(briefs, name="brief")
