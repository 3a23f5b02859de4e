"""One loader for every YAML file a person may edit: profile.yaml, prompt
files, the compliance and vague-word lexicons.

``parse_spec(text, Model, source=…, what=("合规词库", "compliance lexicon"))``
parses YAML, validates it with the pydantic model and returns the model, or
raises one :class:`ConfigError` (or the subclass given) whose message is
Chinese first with an English gloss, on one line, and names the file, the
line and the field::

    合规词库 compliance.yaml 有误：第 5 行：字段 entries.0.level (id='a') 取值无效：…
    / invalid compliance lexicon compliance.yaml: entries.0.level (id='a') (line 5): …

Lines come from the composed YAML node tree (the deepest key or list item on
the error's path); a list item that is a mapping with an ``id`` is named by it.
``labels`` gives Chinese names for field keys (profile.yaml's 差异化关键词).
``build`` turns the validated model into what the caller wants (a compiled
lexicon); a ValueError it raises is reported the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ipwriter.errors import ConfigError

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Error = type[ConfigError]


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> tuple[int | None, str]:
    """(line of the deepest key or list item along ``loc``, " (id='…')" for named items)."""
    line, named = None, ""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == part), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
            if isinstance(node, yaml.MappingNode):
                ident = next((v.value for k, v in node.value
                              if k.value == "id" and isinstance(v, yaml.ScalarNode)), None)
                if ident is not None:
                    named = f" (id={ident!r})"
        else:
            break
    return line, named


def _problems(exc: ValidationError, root: yaml.Node | None,
              labels: Mapping[str, str]) -> tuple[str, str]:
    zh_parts, en_parts = [], []
    for err in exc.errors():
        loc = tuple(err["loc"])
        line, named = _line_of(root, loc)
        field = (".".join(str(p) for p in loc) or "(root)") + named
        label = next((labels[p] for p in reversed(loc) if isinstance(p, str) and p in labels), "")
        shown = f"{field}（{label}）" if label else field
        msg = err["msg"].removeprefix("Value error, ")
        at = f"第 {line} 行：" if line and err["type"] != "missing" else ""
        if err["type"] == "missing":
            zh = f"缺少字段 {shown}"
        elif err["type"] == "extra_forbidden":
            zh = f"{at}不认识的字段 {field}（拼写错误？）"
        else:
            zh = f"{at}字段 {shown} 取值无效：{msg}"
        zh_parts.append(zh)
        en_parts.append(field + (f" (line {line})" if line and err["type"] != "missing" else "")
                        + f": {msg}")
    return "；".join(zh_parts), "; ".join(en_parts)


def parse_spec(text: str, model: type[M], *, source: str, what: tuple[str, str],
               error: Error = ConfigError, labels: Mapping[str, str] | None = None,
               build: Callable[[M], T] | None = None) -> Any:
    """Validate YAML ``text`` into ``model`` (then ``build`` it); ``error`` otherwise."""
    zh_what, en_what = what
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else "某处"
        en_where = f"line {mark.line + 1}" if mark else "somewhere"
        problem = getattr(exc, "problem", None) or str(exc).replace("\n", " ")
        raise error(f"{zh_what} {source} 不是合法的 YAML（{where}）：{problem}",
                    f"{en_what} {source} is not valid YAML at {en_where}: {problem}") from None
    if not isinstance(data, dict):
        raise error(f"{zh_what} {source} 应该是「字段: 值」的映射（mapping），现在是空的或不是映射",
                    f"{en_what} {source} must be a mapping of fields, got {type(data).__name__}")
    try:
        value = model.model_validate(data)
        return build(value) if build is not None else value
    except ValidationError as exc:
        zh, en = _problems(exc, root, labels or {})
    except ValueError as exc:
        zh = en = str(exc).replace("\n", " ")
    raise error(f"{zh_what} {source} 有误：{zh}", f"invalid {en_what} {source}: {en}") from None


def read_text(path: Path, *, what: tuple[str, str], error: Error = ConfigError) -> str:
    """A spec file's text: UTF-8 (with or without BOM), else GB18030; a clear error
    for a missing, unreadable or binary file."""
    zh_what, en_what = what
    try:
        data = path.read_bytes()
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise error(f"读不到{zh_what} {path}：找不到这个文件",
                        f"cannot read {en_what} {path}: no such file") from None
        raise error(f"读不到{zh_what} {path}：{exc.strerror or exc}",
                    f"cannot read {en_what} {path}: {exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise error(f"{path.name} 不是文本文件（无法按 UTF-8 或 GBK 解码）",
                f"{path.name} is not a UTF-8 or GBK text file")


def load_spec(path: Path, model: type[M], *, what: tuple[str, str], error: Error = ConfigError,
              source: str | None = None, labels: Mapping[str, str] | None = None,
              build: Callable[[M], T] | None = None) -> Any:
    """:func:`read_text` then :func:`parse_spec`; ``source`` defaults to the file name."""
    text = read_text(path, what=what, error=error)
    return parse_spec(text, model, source=source or path.name, what=what, error=error,
                      labels=labels, build=build)
