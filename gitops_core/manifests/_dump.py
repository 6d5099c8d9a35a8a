"""Writing manifests back as YAML or JSON that the loader reads to the same values."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import yaml

from gitops_core.errors import UsageError
from gitops_core.manifests._yaml import (
    NUMBER_TAG,
    PureKubeLoader,
    is_number_candidate,
    plain_number,
)
from gitops_core.resource import Resource

__all__ = ["dump_manifests"]


class _KubeDumper(yaml.SafeDumper):
    """A safe dumper whose quoting follows the loader's resolvers (go-yaml v2 rules).

    PyYAML's own dumper would write the string ``"y"`` or ``"08"`` bare, and the loader (like
    Kubernetes) would read them back as a boolean and a number; this one quotes them.
    """

    def ignore_aliases(self, data: Any) -> bool:
        # JSON has no references: a shared object is written out at every place
        return True


_KubeDumper.yaml_implicit_resolvers = PureKubeLoader.yaml_implicit_resolvers


def _represent_number(dumper: yaml.SafeDumper, value: int | float) -> yaml.ScalarNode:
    text = repr(value) if isinstance(value, float) else str(value)
    return dumper.represent_scalar(NUMBER_TAG, text)


_STR_TAG = "tag:yaml.org,2002:str"
_YAML11: Any = yaml.resolver.Resolver()  # PyYAML's own YAML 1.1 resolution, for quoting decisions


def _yaml11_tag(value: str) -> str:
    return str(_YAML11.resolve(yaml.ScalarNode, value, (True, False)))


_SPECIAL_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if any(ch in value for ch in _SPECIAL_BREAKS):
        # PyYAML would write these raw inside single quotes, where they fold into a space
        style = '"'
    elif "\n" in value:
        # multi-line text as a literal block where YAML allows it (the emitter falls back)
        style = "|"
    elif _yaml11_tag(value) != _STR_TAG:
        # other YAML 1.1 readers would take it for a timestamp, a base-60 number, ...: quote it
        return dumper.represent_scalar(_STR_TAG, value, style="'")
    elif is_number_candidate(value) and plain_number(value) == value:
        # looks numeric but reads back as this very string (a uid, "1.2.3"): no quotes needed
        return dumper.represent_scalar(NUMBER_TAG, value)
    return dumper.represent_scalar(_STR_TAG, value, style=style)


_KubeDumper.add_representer(int, _represent_number)
_KubeDumper.add_representer(float, _represent_number)
_KubeDumper.add_representer(str, _represent_str)


def _objects(items: Iterable[Resource | Mapping[str, Any]]) -> list[Any]:
    return [item.object if isinstance(item, Resource) else item for item in items]


def dump_manifests(
    items: Iterable[Resource | Mapping[str, Any]],
    *,
    format: Literal["yaml", "json"] = "yaml",
) -> str:
    """Write objects (or resources, e.g. a ``ManifestSet``) as multi-document YAML or as JSON.

    YAML documents are separated by ``---``; JSON is one object per line (a JSON stream), which
    the loader reads back. Keys keep their order. Loading the text gives equal objects.

    >>> print(dump_manifests([{"apiVersion": "v1", "kind": "ConfigMap",
    ...                        "metadata": {"name": "a"}, "data": {"x": "08", "y": "y"}}]))
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: a
    data:
      x: '08'
      'y': 'y'
    <BLANKLINE>

    Raises :class:`~gitops_core.errors.UsageError` for an unknown ``format`` or a value that
    has no JSON form (``nan``, ``inf``, bytes, ...).
    """
    objects = _objects(items)
    if format == "json":
        try:
            return "".join(
                json.dumps(obj, ensure_ascii=False, allow_nan=False) + "\n" for obj in objects
            )
        except (TypeError, ValueError, RecursionError) as exc:
            raise UsageError(f"cannot write the objects as JSON ({type(exc).__name__})") from None
    if format != "yaml":
        raise UsageError(f"unknown format {format!r} (expected 'yaml' or 'json')")
    for obj in objects:
        _check_json_like(obj)
    try:
        return yaml.dump_all(
            objects,
            Dumper=_KubeDumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=1 << 16,
            explicit_start=False,
        )
    except RecursionError:
        raise UsageError("cannot write the objects as YAML: nested too deeply") from None


def _check_json_like(value: Any) -> None:
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, child in current.items():
                if not isinstance(key, str):
                    raise UsageError("cannot write a mapping with a non-string key")
                stack.append(child)
        elif isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, float):
            if current != current or current in (float("inf"), float("-inf")):
                raise UsageError("cannot write nan or inf: JSON has no such number")
        elif current is not None and not isinstance(current, (str, int, bool)):
            raise UsageError(f"cannot write a {type(current).__name__} value")
