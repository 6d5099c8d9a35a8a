"""Rendering of diff results: a unified YAML diff like ``argocd app diff``, and a JSON form.

Secret values never reach the output: both objects go through :func:`mask_secret_for_display`
first (Secret ``data``/``stringData`` values become ``+`` placeholders, the same placeholder for
equal values of one key, a longer one for each further distinct value, as Argo CD does; the
last-applied annotation of a Secret is replaced whole).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from typing import Any

import yaml

from gitops_core.diff._result import DiffResult
from gitops_core.diff.masking import mask_secrets

__all__ = ["mask_secret_for_display", "render_json", "render_unified", "to_yaml"]


try:
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - pure-Python PyYAML
    _Dumper = yaml.SafeDumper


def mask_secret_for_display(
    desired: dict[str, Any] | None,
    live: dict[str, Any] | None,
    sensitive_annotations: Collection[str] = (),
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Copies of a (desired, live) pair with Secret data and sensitive annotations masked.

    Argo CD's ``HideSecretData`` (see :func:`gitops_core.diff.masking.mask_secrets`): per key,
    the first distinct value (desired first, then live, then their last-applied objects)
    becomes ``++++++++``, each further distinct value gets four more ``+``; the last-applied
    annotation is re-serialised masked, or replaced whole when it cannot be parsed.
    """
    return mask_secrets(desired, live, sensitive_annotations=sensitive_annotations)


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


def render_unified(
    result: DiffResult,
    *,
    context: int = 3,
    title: str | None = None,
    sensitive_annotations: Collection[str] = (),
) -> str:
    """A unified diff of normalized live (``---``) against predicted live (``+++``) as YAML.

    Like ``argocd app diff``: a ``===== group/Kind namespace/name ======`` header, then the diff
    with ``context`` lines. A missing side renders as empty, so a resource to create shows as
    all added and a prune candidate as all removed (as ``argocd app diff`` lists them). Empty
    for an in-sync pair.
    """
    both = result.predicted_live is not None and result.normalized_live is not None
    if not result.modified and both:
        return ""
    predicted, live = mask_secret_for_display(
        result.predicted_live, result.normalized_live, sensitive_annotations
    )
    before = to_yaml(live).splitlines(keepends=True)
    after = to_yaml(predicted).splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, "live", "predicted", n=context)
    body = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    return f"===== {title or _title(result)} ======\n{body}"


def render_json(
    result: DiffResult, *, sensitive_annotations: Collection[str] = ()
) -> dict[str, Any]:
    """The result as a JSON-ready dict (``modified``, ``strategy``, ``changes``, objects, warnings).

    Objects and change values are masked like :func:`render_unified`.
    """
    predicted, live = mask_secret_for_display(
        result.predicted_live, result.normalized_live, sensitive_annotations
    )
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
