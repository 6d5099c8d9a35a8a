"""Masking of Secret data and sensitive annotations for display (spec/diff.md section 10).

Byte-compatible with Argo CD's ``HideSecretData``: for core ``Secret`` objects, desired (target),
live and the last-applied objects of both are Secret-normalised (``stringData`` folded into
``data``); then, key by key, the values are replaced in the order target → live →
target-last-applied → live-last-applied: the first distinct value becomes ``++++++++`` (8 plus
signs) and each further distinct value 4 more (12, 16, ...). Equal values share a placeholder;
the numbering restarts for every key. Objects whose ``data`` is null are skipped.

Annotations named in ``sensitive_annotations`` (argocd-cm ``resource.sensitive.mask.annotations``)
are masked the same way on all four objects, for every kind (Argo CD masks them wherever it masks;
we do it for every kind so no sensitive annotation is ever shown).

The last-applied annotation is re-serialised from its masked object. Fail closed: if it does not
parse, or its key is itself listed as sensitive, its whole value becomes ``++++++++``; a
``data`` or ``annotations`` value that is not a mapping is replaced whole.

Masking is for display only: the sync verdict always comes from the unmasked diff.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Collection, Mapping
from typing import Any

__all__ = [
    "LAST_APPLIED_ANNOTATION",
    "PLACEHOLDER",
    "is_secret",
    "mask_secret_for_display",
    "mask_secrets",
    "parse_sensitive_annotations",
]

LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
PLACEHOLDER = "++++++++"
"""The first placeholder; each further distinct value of the same key gets four more ``+``."""


def parse_sensitive_annotations(value: str | Collection[str] | None) -> frozenset[str]:
    """argocd-cm ``resource.sensitive.mask.annotations``: comma-separated, spaces removed."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        items: Collection[str] = value.replace(" ", "").split(",")
    else:
        items = value
    return frozenset(item.replace(" ", "") for item in items if item and item.strip())


def is_secret(obj: Mapping[str, Any] | None) -> bool:
    """True for a core-group ``Secret`` (``apiVersion: v1``)."""
    if not isinstance(obj, Mapping) or obj.get("kind") != "Secret":
        return False
    api_version = obj.get("apiVersion")
    return isinstance(api_version, str) and "/" not in api_version


def _fold_secret(obj: dict[str, Any]) -> dict[str, Any]:
    """``NormalizeSecret`` on a copy: stringData into data, then canonical typed data."""
    out = dict(obj)
    data_value = out.get("data")
    string_data = out.pop("stringData", None)
    if isinstance(string_data, Mapping):
        data = dict(data_value) if isinstance(data_value, Mapping) else {}
        for key, value in string_data.items():
            if isinstance(value, str):
                data[key] = base64.b64encode(value.encode()).decode()
            else:
                data[key] = value
        out["data"] = data
    data_value = out.get("data")
    if isinstance(data_value, Mapping):
        typed: dict[str, Any] = {}
        for key, value in data_value.items():
            if value is None or value == "":
                typed[key] = ""
                continue
            if not isinstance(value, str):
                return out  # the typed decode fails: only the stringData move happens
            try:
                raw = base64.b64decode(value.replace("\r", "").replace("\n", ""), validate=True)
            except (binascii.Error, ValueError):
                return out
            typed[key] = base64.b64encode(raw).decode()
        out["data"] = typed if typed else None
    return out


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return "\x00" + json.dumps(value, sort_keys=True)


def _nested(obj: dict[str, Any] | None, fields: tuple[str, ...]) -> tuple[bool, Any]:
    current: Any = obj
    for field in fields:
        if not isinstance(current, Mapping) or field not in current:
            return False, None
        current = current[field]
    return True, current


def _set_nested(obj: dict[str, Any], fields: tuple[str, ...], value: Any) -> None:
    current = obj
    for field in fields[:-1]:
        child = current.get(field)
        child = dict(child) if isinstance(child, Mapping) else {}
        current[field] = child
        current = child
    current[fields[-1]] = value


def _hide(
    objects: list[dict[str, Any] | None], keys: Collection[str], fields: tuple[str, ...]
) -> None:
    """Argo CD's ``hide``: per key, placeholders by distinct value across the objects in order."""
    for obj in objects:
        if obj is None:
            continue
        found, value = _nested(obj, fields)
        if found and value is not None and not isinstance(value, Mapping):
            # not a mapping: Argo CD would fail; we fail closed and mask the value whole
            _set_nested(obj, fields, PLACEHOLDER)
    for key in sorted(keys):
        next_placeholder = PLACEHOLDER
        placeholders: dict[str, str] = {}
        for obj in objects:
            if obj is None:
                continue
            found, data = _nested(obj, fields)
            if not found or not isinstance(data, Mapping) or key not in data:
                continue
            text = _value_text(data[key])
            placeholder = placeholders.get(text)
            if placeholder is None:
                placeholder = next_placeholder
                next_placeholder += "++++"
                placeholders[text] = placeholder
            masked = dict(data)
            masked[key] = placeholder
            _set_nested(obj, fields, masked)


_GO_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def _go_json(value: Any) -> str:
    """Go ``json.Marshal`` text: sorted keys, compact, HTML characters escaped."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.translate(_GO_ESCAPES)


def _last_applied(obj: Mapping[str, Any] | None) -> tuple[bool, dict[str, Any] | None]:
    """``(present, parsed)``; parsed is None when present but not a JSON object."""
    found, text = _nested(
        dict(obj) if obj is not None else None, ("metadata", "annotations", LAST_APPLIED_ANNOTATION)
    )
    if not found:
        return False, None
    if not isinstance(text, str):
        return True, None
    try:
        parsed = json.loads(text)
    except ValueError:
        return True, None
    return True, parsed if isinstance(parsed, dict) else None


def _copy_meta(obj: dict[str, Any]) -> dict[str, Any]:
    out = dict(obj)
    metadata = out.get("metadata")
    if isinstance(metadata, Mapping):
        out["metadata"] = dict(metadata)
        annotations = out["metadata"].get("annotations")
        if isinstance(annotations, Mapping):
            out["metadata"]["annotations"] = dict(annotations)
    return out


def mask_secrets(
    target: Mapping[str, Any] | None,
    live: Mapping[str, Any] | None,
    *,
    sensitive_annotations: Collection[str] = (),
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Masked copies of ``(target, live)`` for display; the inputs are not modified.

    Secret data is masked when either object is a core Secret; ``sensitive_annotations`` are
    masked on any kind. Objects that need no masking come back as shallow copies.

    >>> t = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
    ...      "data": {"a": "MQ==", "b": "Mg=="}}
    >>> l = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
    ...      "data": {"a": "MQ==", "b": "Mw=="}}
    >>> masked_target, masked_live = mask_secrets(t, l)
    >>> masked_target["data"], masked_live["data"]
    ({'a': '++++++++', 'b': '++++++++'}, {'a': '++++++++', 'b': '++++++++++++'})
    """
    secret = is_secret(target) or is_secret(live)
    hide_annotations = frozenset(sensitive_annotations)
    new_target = _copy_meta(dict(target)) if target is not None else None
    new_live = _copy_meta(dict(live)) if live is not None else None
    if not secret and not hide_annotations:
        return new_target, new_live
    target_present, target_applied = _last_applied(new_target)
    live_present, live_applied = _last_applied(new_live)
    if secret:
        new_target = _fold_secret(new_target) if new_target is not None else None
        new_live = _fold_secret(new_live) if new_live is not None else None
        target_applied = _fold_secret(target_applied) if target_applied is not None else None
        live_applied = _fold_secret(live_applied) if live_applied is not None else None
    objects = [new_target, new_live, target_applied, live_applied]
    if secret:
        keys: set[str] = set()
        for obj in objects:
            found, data = _nested(obj, ("data",))
            if found and isinstance(data, Mapping):
                keys.update(str(key) for key in data)
        _hide(objects, keys, ("data",))
    if hide_annotations:
        target_applied = _copy_meta(target_applied) if target_applied is not None else None
        live_applied = _copy_meta(live_applied) if live_applied is not None else None
        objects = [new_target, new_live, target_applied, live_applied]
        _hide(objects, hide_annotations, ("metadata", "annotations"))
    for obj, present, applied in (
        (new_target, target_present, target_applied),
        (new_live, live_present, live_applied),
    ):
        if obj is None or not present:
            continue
        if applied is None or LAST_APPLIED_ANNOTATION in hide_annotations:
            value = PLACEHOLDER  # fail closed: what cannot be parsed cannot be masked
        else:
            value = _go_json(applied)
        annotations = obj["metadata"]["annotations"]
        annotations[LAST_APPLIED_ANNOTATION] = value
    return new_target, new_live


def mask_secret_for_display(
    target: Mapping[str, Any] | None,
    live: Mapping[str, Any] | None,
    sensitive_annotations: Collection[str] = (),
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The display-masking hook used by rendering: :func:`mask_secrets` with positional options."""
    return mask_secrets(target, live, sensitive_annotations=sensitive_annotations)
