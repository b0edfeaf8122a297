"""Python source for typed model instances: ``Deployment(metadata=ObjectMeta(name="web"), spec=...)``.

Used by ``cdk8s-gitops convert``. Output is what ``ruff format`` would write for short calls (one line
up to the line length) and long ones (one argument per line, trailing commas), so generated app
modules read like hand-written ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

__all__ = ["Expr", "SourceWriter"]

LINE = 120
#: Classes users import from the package root rather than from where they are defined.
PUBLIC = {"ObjectMeta": "cdk8s_gitops"}


@dataclass(frozen=True)
class Expr:
    """A Python expression placed as it is (``env.image_tag("web")``, ``store.name``)."""

    code: str


@dataclass
class SourceWriter:
    """Renders values; collects the imports they need (module -> names)."""

    imports: dict[str, set[str]] = field(default_factory=dict)
    #: Replaces a value at a manifest path (``spec.replicas``) by an expression; returns None to keep it.
    substitute: Callable[[str, Any], Expr | None] = lambda path, value: None

    def need(self, module: str, name: str) -> str:
        self.imports.setdefault(module, set()).add(name)
        return name

    def render(self, value: Any, indent: int = 0, path: str = "") -> str:
        sub = self.substitute(path, value)
        if sub is not None:
            return sub.code
        if isinstance(value, BaseModel):
            return self._model(value, indent, path)
        if isinstance(value, dict):
            items = [(repr(k), self.render(v, indent + 4, f"{path}.{k}" if path else str(k))) for k, v in value.items()]
            return _wrap("{", "}", [f"{k}: {v}" for k, v in items], indent)
        if isinstance(value, (list, tuple)):
            parts = [self.render(v, indent + 4, f"{path}[{i}]") for i, v in enumerate(value)]
            return _wrap("[", "]", parts, indent)
        if isinstance(value, str):
            return _string(value)
        return repr(value)

    def _model(self, model: BaseModel, indent: int, path: str) -> str:
        cls = type(model)
        name = self.need(PUBLIC.get(cls.__name__, _public_module(cls.__module__)), cls.__name__)
        fields = cls.model_fields
        parts = []
        for key, info in fields.items():
            if key not in model.model_fields_set or (not path and key in ("api_version", "kind")):
                continue
            value = getattr(model, key)
            wire = info.alias or key
            parts.append(f"{key}={self.render(value, indent + 4, f'{path}.{wire}' if path else wire)}")
        if model.model_extra:  # fields upstream keeps free-form: passed through model_validate
            data = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
            return f"{name}.model_validate({self.render(data, indent, path)})"
        return _wrap(f"{name}(", ")", parts, indent)


def _public_module(module: str) -> str:
    """``cdk8s_gitops.models.argoproj_io_v1alpha1.rollout`` -> the group package users import from."""
    parts = module.split(".")
    if len(parts) == 4 and parts[:2] == ["cdk8s_gitops", "models"]:
        return ".".join(parts[:3])
    return module


def _string(value: str) -> str:
    return repr(value)


def _wrap(open_: str, close: str, parts: list[str], indent: int) -> str:
    one = open_ + ", ".join(parts) + close
    if not parts:
        return one
    if len(one) + indent <= LINE and "\n" not in one:
        return one
    pad = " " * (indent + 4)
    body = "".join(f"{pad}{part},\n" for part in parts)
    return f"{open_}\n{body}{' ' * indent}{close}"
