"""What a creator asks a chain for: typed inputs, and how front ends show them.

Every chain declares its inputs as a subclass of :class:`ChainInputs` (a
frozen pydantic model). A field may carry a :class:`Param` in its
``Annotated`` metadata; the CLI builds its options from it and the app its
form widgets, so a new chain needs no front-end code::

    class Inputs(ChainInputs):
        topic: Annotated[str, Field(min_length=1, description="主题 / topic"),
                         Param(flags=("--topic", "-t"), label="主题")]

A field without a Param gets ``--field-name`` and a widget chosen by its type.
Invalid inputs raise one bilingual :class:`ConfigError` naming the field:
``「直播时长」要在 10 到 240 之间（现在是 5）``.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.fields import FieldInfo

from ipwriter.errors import ConfigError

#: Where an input's choices come from in the app: the profile's products, the
#: ingested case notes (one or several), the chain's platforms, a number, free
#: text, free lines (a list of strings, one per line), or the plan picked from a
#: brief (the app's 先看素材 step sets it; it is no form widget).
Choice = Literal["text", "long_text", "lines", "product", "case", "cases", "platform", "number",
                 "plan"]


@dataclass(frozen=True)
class Param:
    """How one input is asked for.

    ``flags``: CLI option names (first is the long one); ``argument``: a CLI
    positional instead; ``from_file``: the CLI value is a FILE (or ``-`` for
    standard input) whose text is the input; ``ui``: the app widget and where
    its choices come from; ``label``/``placeholder``: what the app shows;
    ``step``: the app's step for a number.
    """

    flags: tuple[str, ...] = ()
    argument: bool = False
    from_file: bool = False
    ui: Choice | None = None
    label: str = ""
    placeholder: str = ""
    step: int = 1


class InvalidInput(ValueError):
    """Raised by an inputs validator: a Chinese reason and its English gloss
    (a ValueError, so pydantic collects it with the field's other errors)."""

    def __init__(self, zh: str, en: str = "") -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en or zh


class ChainInputs(BaseModel):
    """Base of every chain's inputs: no unknown fields, whitespace trimmed, frozen."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class StoredInputs(ChainInputs):
    """Inputs of a draft whose chain is not registered (any fields, kept as saved)."""

    model_config = ConfigDict(extra="allow", frozen=True)


def param_of(field: FieldInfo) -> Param:
    """The field's :class:`Param` (a default one if it declares none)."""
    return next((m for m in field.metadata if isinstance(m, Param)), Param())


def ui_of(name: str, field: FieldInfo) -> Choice:
    """The app widget for a field: its Param's, else one chosen by its type."""
    param = param_of(field)
    if param.ui:
        return param.ui
    annotation = field.annotation
    if annotation in (int, float):
        return "number"
    if typing.get_origin(annotation) is list:
        return "lines"
    return "text"


def label_of(name: str, field: FieldInfo) -> str:
    param = param_of(field)
    if param.label:
        return param.label
    return (field.description or name).split(" / ")[0]


def flags_of(name: str, field: FieldInfo) -> tuple[str, ...]:
    return param_of(field).flags or ("--" + name.replace("_", "-"),)


def _cli_name(name: str, field: FieldInfo) -> str:
    """How the CLI names an input: its option, or FILE for a positional file."""
    param = param_of(field)
    if param.argument:
        return "FILE" if param.from_file else name.upper()
    return flags_of(name, field)[0]


def bounds_of(field: FieldInfo) -> tuple[Any, Any]:
    """(minimum, maximum) of a number field (None where unbounded)."""
    lo = hi = None
    for m in field.metadata:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else lo
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else hi
    return lo, hi


def parse_inputs(model: type[ChainInputs], data: Mapping[str, Any] | ChainInputs) -> ChainInputs:
    """Validate ``data`` into ``model``; a ConfigError in Chinese and English otherwise."""
    if isinstance(data, model):
        return data
    if isinstance(data, BaseModel):
        data = data.model_dump()
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        zh, en = [], []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            field = model.model_fields.get(name)
            label = label_of(name, field) if field else name
            flag = _cli_name(name, field) if field else name
            kind = err["type"]
            reason = (err.get("ctx") or {}).get("error")
            if isinstance(reason, InvalidInput):
                zh.append(reason.zh)
                en.append(f"{flag}: {reason.en}")
                continue
            if kind in ("missing", "string_too_short", "too_short"):
                zh.append(f"请给出「{label}」")
            elif kind in ("greater_than_equal", "less_than_equal") and field is not None:
                lo, hi = bounds_of(field)
                zh.append(f"「{label}」要在 {lo} 到 {hi} 之间（现在是 {err.get('input')}）")
            elif kind == "extra_forbidden" and len(err["loc"]) > 1:  # inside a field (a plan)
                zh.append(f"「{label}」里不认识的「{err['loc'][-1]}」")
            elif kind == "extra_forbidden":
                zh.append(f"不认识的输入「{name}」")
            else:
                zh.append(f"「{label}」取值无效：{err['msg']}")
            en.append(f"{flag}: {err['msg']}")
        raise ConfigError("；".join(zh), "; ".join(en)) from None
