"""The course model: course.yml validated with pydantic, so a typo fails early and readably."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from autograder.errors import KitError

#: The eight modules of the course contract, in teaching order.
CONTRACT_MODULES = (
    "tokenizer",
    "positional_encoding",
    "attention",
    "mask",
    "multi_head_attention",
    "feed_forward",
    "lm_head",
    "decoding",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Component(_Strict):
    module: str
    title: str
    points: float = Field(gt=0)

    @field_validator("module")
    @classmethod
    def _known_module(cls, v: str) -> str:
        if v not in CONTRACT_MODULES:
            raise ValueError(f"unknown module {v!r}; expected one of {', '.join(CONTRACT_MODULES)}")
        return v


class Limits(_Strict):
    call_seconds: float = Field(10.0, gt=0, le=600)
    submission_seconds: float = Field(240.0, gt=0, le=7200)
    memory_mb: int = Field(1024, ge=64, le=65536)
    file_kb: int = Field(256, ge=1, le=10240)
    output_kb: int = Field(64, ge=1, le=10240)


class Tolerances(_Strict):
    rtol: float = Field(1e-4, ge=0, lt=1)
    atol: float = Field(1e-5, ge=0, lt=1)


class Visibility(_Strict):
    public: Literal["name", "message", "full"] = "full"
    hidden: Literal["name", "message", "full"] = "message"


class SandboxPolicy(_Strict):
    min_level: int = Field(3, ge=0, le=3)


class Release(_Strict):
    targets: list[Literal["student", "nbgrader", "gradescope"]] = ["student", "nbgrader", "gradescope"]


class Course(_Strict):
    title: str
    language: Literal["en", "es"] = "en"
    assignment: str = "transformer"
    components: list[Component]
    limits: Limits = Limits()
    tolerances: Tolerances = Tolerances()
    visibility: Visibility = Visibility()
    sandbox: SandboxPolicy = SandboxPolicy()
    release: Release = Release()

    @model_validator(mode="after")
    def _unique_components(self) -> "Course":
        seen = [c.module for c in self.components]
        dupes = sorted({m for m in seen if seen.count(m) > 1})
        if dupes:
            raise ValueError(f"components: module listed twice: {', '.join(dupes)}")
        if not self.components:
            raise ValueError("components: at least one component is needed")
        return self

    @property
    def modules(self) -> list[str]:
        return [c.module for c in self.components]

    def component(self, module: str) -> Component:
        for c in self.components:
            if c.module == module:
                return c
        raise KeyError(module)

    @property
    def total_points(self) -> float:
        return sum(c.points for c in self.components)


def _describe(err: ValidationError, source: str) -> str:
    lines = [f"{source} is not a valid course file:"]
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"]) or "(top level)"
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown key (check its spelling)"
        elif e["type"] == "missing":
            msg = "required key is missing"
        got = e.get("input")
        shown = "" if e["type"] in ("missing",) or isinstance(got, (dict, list)) else f" (got {got!r})"
        lines.append(f"  - {where}: {msg}{shown}")
    return "\n".join(lines)


def parse_course(text: str, source: str = "course.yml") -> Course:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise KitError(f"{source} is not valid YAML{where}: {getattr(e, 'problem', e)}") from None
    if not isinstance(data, dict):
        raise KitError(f"{source} must be a mapping of keys (title, components, limits, ...), got {type(data).__name__}")
    try:
        return Course.model_validate(data)
    except ValidationError as e:
        raise KitError(_describe(e, source)) from None


def load_course(path: str | Path) -> Course:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KitError(f"course file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise KitError(f"cannot read course file {path}: {e}") from None
    return parse_course(text, str(path))
