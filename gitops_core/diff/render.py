"""Rendering of diff results: a unified YAML diff like ``argocd app diff``, and a JSON form.

Secret values never reach the output: both objects go through :func:`mask_secret_for_display`
first (Secret ``data``/``stringData`` values become ``+`` placeholders, the same placeholder for
equal values of one key, a longer one for each further distinct value, as Argo CD does; the
last-applied annotation of a Secret is replaced whole).
"""

from __future__ import annotations

import difflib
from typing import Any

import yaml

from gitops_core.diff._json import json_equal
from gitops_core.diff._result import DiffResult

__all__ = ["mask_secret_for_display", "render_json", "render_unified", "to_yaml"]

_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_PLACEHOLDER = "++++++++"

try:
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - pure-Python PyYAML
    _Dumper = yaml.SafeDumper


def _is_secret(obj: Any) -> bool:
    return isinstance(obj, dict) and obj.get("kind") == "Secret" and obj.get("apiVersion") == "v1"


def mask_secret_for_display(
    desired: dict[str, Any] | None, live: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Copies of a (desired, live) pair of Secrets with every data value masked.

    Objects that are not core Secrets are returned unchanged. Per key, the first distinct
    value (desired first, then live) becomes ``++++++++``, each further distinct value gets four
    more ``+``, so a changed value still shows as a change. ``stringData`` values are masked the
    same way, and a last-applied annotation is replaced by ``++++++++`` as a whole.
    """
    if not _is_secret(desired) and not _is_secret(live):
        return desired, live
    objects = [desired, live]
    for field in ("data", "stringData"):
        keys: set[str] = set()
        for obj in objects:
            if _is_secret(obj) and isinstance(obj.get(field), dict):  # type: ignore[union-attr]
                keys.update(obj[field])  # type: ignore[index]
        tables: dict[str, list[Any]] = {key: [] for key in keys}
        for position, obj in enumerate(objects):
            if not (_is_secret(obj) and isinstance(obj.get(field), dict)):  # type: ignore[union-attr]
                continue
            assert obj is not None
            masked: dict[str, Any] = {}
            for key, value in obj[field].items():
                seen = tables[key]
                position_of = next(
                    (i for i, known in enumerate(seen) if json_equal(known, value)), None
                )
                if position_of is None:
                    seen.append(value)
                    position_of = len(seen) - 1
                masked[key] = "+" * (8 + 4 * position_of)
            objects[position] = {**obj, field: masked}
    for position, obj in enumerate(objects):
        if not _is_secret(obj):
            continue
        assert obj is not None
        metadata = obj.get("metadata")
        annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
        if isinstance(annotations, dict) and _LAST_APPLIED in annotations:
            assert isinstance(metadata, dict)
            objects[position] = {
                **obj,
                "metadata": {
                    **metadata,
                    "annotations": {**annotations, _LAST_APPLIED: _PLACEHOLDER},
                },
            }
    return objects[0], objects[1]


def to_yaml(obj: Any) -> str:
    """Block-style YAML with sorted keys (stable output for diffs); ``""`` for ``None``."""
    if obj is None:
        return ""
    text: str = yaml.dump(
        obj, Dumper=_Dumper, sort_keys=True, default_flow_style=False, width=1 << 30
    )
    return text


def _title(result: DiffResult) -> str:
    obj = result.predicted_live if result.predicted_live is not None else result.normalized_live
    if not isinstance(obj, dict):
        return "resource"
    api_version = obj.get("apiVersion")
    group = api_version.rpartition("/")[0] if isinstance(api_version, str) else ""
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    assert isinstance(metadata, dict)
    namespace = metadata.get("namespace") or ""
    return f"{group}/{obj.get('kind')} {namespace}/{metadata.get('name')}"


def render_unified(result: DiffResult, *, context: int = 3, title: str | None = None) -> str:
    """A unified diff of normalized live (``---``) against predicted live (``+++``) as YAML.

    Like ``argocd app diff``: a ``===== group/Kind namespace/name ======`` header, then the diff
    with ``context`` lines. Empty when the result is not modified.
    """
    if not result.modified:
        return ""
    predicted, live = mask_secret_for_display(result.predicted_live, result.normalized_live)
    before = to_yaml(live).splitlines(keepends=True)
    after = to_yaml(predicted).splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, "live", "predicted", n=context)
    body = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    return f"===== {title or _title(result)} ======\n{body}"


def render_json(result: DiffResult) -> dict[str, Any]:
    """The result as a JSON-ready dict (``modified``, ``strategy``, ``changes``, objects, warnings).

    Objects and change values are masked like :func:`render_unified`.
    """
    predicted, live = mask_secret_for_display(result.predicted_live, result.normalized_live)
    changes = []
    for change in result.changes:
        entry: dict[str, Any] = {"path": change.path, "reason": change.reason}
        if change.before_present:
            entry["before"] = (
                _at(live, change.path) if live is not result.normalized_live else change.before
            )
        if change.after_present:
            entry["after"] = (
                _at(predicted, change.path)
                if predicted is not result.predicted_live
                else change.after
            )
        changes.append(entry)
    return {
        "modified": result.modified,
        "strategy": result.strategy,
        "changes": changes,
        "predictedLive": predicted,
        "normalizedLive": live,
        "warnings": list(result.warnings),
    }


def _at(obj: Any, pointer: str) -> Any:
    if pointer == "":
        return obj
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(obj, dict):
            obj = obj.get(token)
        elif isinstance(obj, list) and token.isdigit() and int(token) < len(obj):
            obj = obj[int(token)]
        else:
            return None
    return obj
