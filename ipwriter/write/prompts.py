"""Prompts are files: ``ipwriter/prompts/*.yaml``, one per chain, platform and
shared block, each declaring its variables.

A file is either a *chain* prompt (``system`` + ``user`` templates, rendered
to chat messages) or a *block* (one ``template``, rendered to text and passed
into a chain prompt as a variable). Templates use ``{name}`` placeholders
(``{{`` / ``}}`` for literal braces). At load, the placeholders must be
exactly the declared ``variables``: an undeclared or unused variable fails
then, not when a creator is waiting for a draft. At render, a missing or
unknown variable fails too.

A workspace may override any prompt with a file of the same name in its own
``prompts/`` folder; it is validated the same way.
"""

from __future__ import annotations

from pathlib import Path

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.prompts import PromptTemplate
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ipwriter.errors import ConfigError
from ipwriter.spec import parse_spec, read_text

PACKAGED = Path(__file__).resolve().parent.parent / "prompts"
WHAT = ("提示词文件", "prompt file")


class PromptError(ConfigError):
    """A prompt file is malformed, or was rendered with the wrong variables."""


def placeholders(template: str) -> set[str]:
    return set(PromptTemplate.from_template(template).input_variables)


class PromptFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    description: str = Field(min_length=1)
    variables: list[str] = Field(default_factory=list)
    system: str | None = None
    user: str | None = None
    template: str | None = None

    @model_validator(mode="after")
    def _shape_and_variables(self) -> PromptFile:
        chain = self.system is not None or self.user is not None
        if chain and self.template is not None:
            raise ValueError("a prompt has either system + user (a chain) or template (a block)")
        if chain and (not self.system or not self.user):
            raise ValueError("a chain prompt needs both system and user")
        if not chain and not self.template:
            raise ValueError("a block prompt needs a template")
        if len(set(self.variables)) != len(self.variables):
            raise ValueError("variables are declared twice")
        used: set[str] = set()
        for part in (self.system, self.user, self.template):
            if part:
                try:
                    used |= placeholders(part)
                except (ValueError, KeyError) as exc:
                    raise ValueError(f"bad template: {exc}") from None
        declared = set(self.variables)
        if used - declared:
            raise ValueError(f"undeclared variable(s): {sorted(used - declared)}")
        if declared - used:
            raise ValueError(f"declared but never used: {sorted(declared - used)}")
        return self

    @property
    def is_chain(self) -> bool:
        return self.template is None

    def _check(self, values: dict[str, object]) -> None:
        missing = set(self.variables) - set(values)
        extra = set(values) - set(self.variables)
        if missing or extra:
            raise PromptError(
                f"提示词 {self.name} 的变量不对：缺少 {sorted(missing)}，多出 {sorted(extra)}",
                f"prompt {self.name}: missing {sorted(missing)}, unexpected {sorted(extra)}")

    def messages(self, **values: object) -> list[BaseMessage]:
        if not self.is_chain:
            raise PromptError(f"{self.name} 是片段，不是对话提示词", f"{self.name} is a block")
        self._check(values)
        fmt = {k: str(v) for k, v in values.items()}
        return [SystemMessage(PromptTemplate.from_template(self.system or "").format(**fmt)),
                HumanMessage(PromptTemplate.from_template(self.user or "").format(**fmt))]

    def text(self, **values: object) -> str:
        if self.is_chain:
            raise PromptError(f"{self.name} 是对话提示词，不是片段", f"{self.name} is a chain prompt")
        self._check(values)
        fmt = {k: str(v) for k, v in values.items()}
        return PromptTemplate.from_template(self.template or "").format(**fmt).strip()

    @property
    def instruction_lines(self) -> list[str]:
        """The fixed text of the prompt (for spotting instructions echoed in a draft)."""
        return [p for p in (self.system, self.user, self.template) if p]


def parse_prompt(text: str, source: str) -> PromptFile:
    prompt: PromptFile = parse_spec(text, PromptFile, source=source, what=WHAT, error=PromptError)
    if prompt.name != Path(source).stem:
        raise PromptError(f"提示词文件 {source} 里的 name 应该是 {Path(source).stem}",
                          f"prompt file {source}: name must be {Path(source).stem!r}")
    return prompt


class PromptLibrary:
    """Prompts by name: the workspace's ``prompts/`` folder first, then the packaged ones."""

    def __init__(self, override_dir: Path | None = None, packaged: Path = PACKAGED) -> None:
        self.override_dir = override_dir
        self.packaged = packaged
        self._cache: dict[str, PromptFile] = {}

    def path(self, name: str) -> Path:
        if self.override_dir is not None:
            own = self.override_dir / f"{name}.yaml"
            if own.is_file():
                return own
        return self.packaged / f"{name}.yaml"

    def get(self, name: str) -> PromptFile:
        if name not in self._cache:
            path = self.path(name)
            if not path.is_file():
                raise PromptError(f"找不到提示词 {name}（{path}）", f"no prompt named {name!r}")
            self._cache[name] = parse_prompt(read_text(path, what=WHAT, error=PromptError),
                                             path.name)
        return self._cache[name]
