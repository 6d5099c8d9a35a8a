"""The annotations gitops_core reads, parsed exactly like Argo CD's engine does.

Every function takes the ``metadata.annotations`` mapping of an object (use
:func:`annotations_of` to get it from a plain object dict) and never raises: an invalid value is
treated the way Argo CD treats it (dropped, or the default), which is what the spec sheet
``sync.md`` §3, §6 and §7.1 pins.

List-valued annotations are split on ``,``, each item trimmed (Go's ``strings.TrimSpace``
white space), empty items dropped and duplicates removed keeping the first. Matching is exact and
case-sensitive.

>>> parse_csv(" PreSync , ,Sync,PreSync")
('PreSync', 'Sync')
>>> sync_wave({"argocd.argoproj.io/sync-wave": " 5", "helm.sh/hook-weight": "-2"})
-2
>>> hook_types({"argocd.argoproj.io/hook": "Garbage", "helm.sh/hook": "pre-install,pre-upgrade"})
('PreSync',)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = [
    "ANNOTATION_COMPARE_OPTIONS",
    "ANNOTATION_HOOK",
    "ANNOTATION_HOOK_DELETE_POLICY",
    "ANNOTATION_SYNC_OPTIONS",
    "ANNOTATION_SYNC_WAVE",
    "DEFAULT_DELETE_POLICIES",
    "DELETE_HOOK_TYPES",
    "DELETE_POLICIES",
    "HELM_ANNOTATION_HOOK",
    "HELM_ANNOTATION_HOOK_DELETE_POLICY",
    "HELM_ANNOTATION_HOOK_WEIGHT",
    "HELM_ANNOTATION_RESOURCE_POLICY",
    "HELM_DELETE_POLICY_MAP",
    "HELM_HOOK_MAP",
    "HOOK_TYPES",
    "SYNC_PHASES",
    "WaveInfo",
    "annotations_of",
    "argocd_hook_types",
    "compare_options",
    "delete_hook_types",
    "delete_policies",
    "has_option",
    "helm_hook_types",
    "hook_phases",
    "hook_types",
    "is_helm_hook",
    "is_hook",
    "is_ignored",
    "is_skip",
    "option_value",
    "parse_csv",
    "parse_int64",
    "sync_options",
    "sync_wave",
    "wave_info",
]

ANNOTATION_SYNC_WAVE = "argocd.argoproj.io/sync-wave"
ANNOTATION_HOOK = "argocd.argoproj.io/hook"
ANNOTATION_HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy"
ANNOTATION_SYNC_OPTIONS = "argocd.argoproj.io/sync-options"
ANNOTATION_COMPARE_OPTIONS = "argocd.argoproj.io/compare-options"
HELM_ANNOTATION_HOOK = "helm.sh/hook"
HELM_ANNOTATION_HOOK_WEIGHT = "helm.sh/hook-weight"
HELM_ANNOTATION_HOOK_DELETE_POLICY = "helm.sh/hook-delete-policy"
HELM_ANNOTATION_RESOURCE_POLICY = "helm.sh/resource-policy"

SYNC_PHASES: tuple[str, ...] = ("PreSync", "Sync", "PostSync", "SyncFail")
"""The sync phases, in execution order."""

HOOK_TYPES: frozenset[str] = frozenset({"PreSync", "Sync", "PostSync", "SyncFail", "Skip"})
"""Values of ``argocd.argoproj.io/hook`` the engine accepts (PreDelete/PostDelete are not)."""

DELETE_HOOK_TYPES: frozenset[str] = frozenset({"PreDelete", "PostDelete"})
"""Argo CD's app-deletion hook types, handled outside the sync (spec §9.5)."""

HELM_HOOK_MAP: Mapping[str, str] = {
    "pre-install": "PreSync",
    "pre-upgrade": "PreSync",
    "post-install": "PostSync",
    "post-upgrade": "PostSync",
}
"""Helm hook values the engine understands and the Argo CD type each maps to (spec §3.3)."""

_HELM_DELETE_HOOK_MAP: Mapping[str, str] = {"pre-delete": "PreDelete", "post-delete": "PostDelete"}

DELETE_POLICIES: frozenset[str] = frozenset({"HookSucceeded", "HookFailed", "BeforeHookCreation"})
"""Valid values of ``argocd.argoproj.io/hook-delete-policy``."""

HELM_DELETE_POLICY_MAP: Mapping[str, str] = {
    "hook-succeeded": "HookSucceeded",
    "hook-failed": "HookFailed",
    "before-hook-creation": "BeforeHookCreation",
}
"""Helm delete policies and the Argo CD policy each maps to."""

DEFAULT_DELETE_POLICIES: tuple[str, ...] = ("BeforeHookCreation",)
"""The policy list when no valid policy is annotated."""

# Go's strings.TrimSpace trims unicode.IsSpace characters. Python's str.strip() would also trim
# U+001C..U+001F, which Go keeps, so the set is spelled out.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

# strconv.Atoi in base 10: optional sign, ASCII digits only (no spaces, underscores, 0x, ...).
_INT = re.compile(r"[+-]?[0-9]+")
_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1

_EMPTY: Mapping[str, str] = {}


def annotations_of(obj: Mapping[str, Any] | None) -> Mapping[str, str]:
    """The ``metadata.annotations`` of a plain object dict; empty when absent or malformed.

    >>> annotations_of({"metadata": {"annotations": {"a": "1"}}})
    {'a': '1'}
    >>> annotations_of({"kind": "Pod"})
    {}
    """
    if obj is None:
        return _EMPTY
    meta = obj.get("metadata")
    if not isinstance(meta, Mapping):
        return _EMPTY
    value = meta.get("annotations")
    return value if isinstance(value, Mapping) else _EMPTY


def _text(annotations: Mapping[str, Any], key: str) -> str | None:
    value = annotations.get(key)
    return value if isinstance(value, str) else None


def parse_csv(value: str | None) -> tuple[str, ...]:
    """Split a list annotation: on ``,``, trimmed, empties dropped, first occurrence kept.

    >>> parse_csv("a, b,,a ,B")
    ('a', 'b', 'B')
    >>> parse_csv(None)
    ()
    """
    if not value:
        return ()
    items: list[str] = []
    for raw in value.split(","):
        item = raw.strip(_GO_SPACE)
        if item and item not in items:
            items.append(item)
    return tuple(items)


def parse_int64(text: str | None) -> int | None:
    """Parse like Go's ``strconv.Atoi`` on 64 bits: ``None`` when ``text`` is not a valid int64.

    >>> parse_int64("007"), parse_int64("+3"), parse_int64("-0")
    (7, 3, 0)
    >>> parse_int64(" 5"), parse_int64("1_000"), parse_int64("1e3"), parse_int64(""), parse_int64("0x10")
    (None, None, None, None, None)
    >>> parse_int64("9223372036854775807"), parse_int64("9223372036854775808")
    (9223372036854775807, None)
    """
    if not isinstance(text, str) or _INT.fullmatch(text) is None:
        return None
    value = int(text)
    if value < _INT64_MIN or value > _INT64_MAX:
        return None
    return value


@attrs.frozen
class WaveInfo:
    """An object's sync wave and where it came from.

    ``source`` is ``"sync-wave"``, ``"hook-weight"`` or ``"default"``. ``invalid`` lists the
    ``(annotation, raw text)`` pairs that were present but not valid integers (for lint).
    """

    wave: int
    source: str
    invalid: tuple[tuple[str, str], ...] = ()


_DEFAULT_WAVE = WaveInfo(0, "default")


def wave_info(annotations: Mapping[str, Any]) -> WaveInfo:
    """The wave (§6): ``sync-wave``, else ``helm.sh/hook-weight``, else 0, with its source.

    >>> wave_info({"argocd.argoproj.io/sync-wave": "1.5", "helm.sh/hook-weight": "2"})
    WaveInfo(wave=2, source='hook-weight', invalid=(('argocd.argoproj.io/sync-wave', '1.5'),))
    """
    if not annotations:
        return _DEFAULT_WAVE
    invalid: list[tuple[str, str]] = []
    for key, source in (
        (ANNOTATION_SYNC_WAVE, "sync-wave"),
        (HELM_ANNOTATION_HOOK_WEIGHT, "hook-weight"),
    ):
        if key in annotations:
            raw = annotations[key]
            value = parse_int64(raw) if isinstance(raw, str) else None
            if value is not None:
                return WaveInfo(value, source, tuple(invalid))
            invalid.append((key, raw if isinstance(raw, str) else repr(raw)))
    return WaveInfo(0, "default", tuple(invalid))


def sync_wave(annotations: Mapping[str, Any]) -> int:
    """The effective wave of an object from its annotations (§6); invalid values give 0.

    >>> sync_wave({}), sync_wave({"helm.sh/hook-weight": "1"}), sync_wave({"argocd.argoproj.io/sync-wave": "x"})
    (0, 1, 0)
    """
    return wave_info(annotations).wave


def argocd_hook_types(annotations: Mapping[str, Any]) -> tuple[str, ...]:
    """The valid values of ``argocd.argoproj.io/hook`` (PreSync, Sync, PostSync, SyncFail, Skip).

    >>> argocd_hook_types({"argocd.argoproj.io/hook": "Skip, presync,PostSync,PreDelete"})
    ('Skip', 'PostSync')
    """
    return tuple(t for t in parse_csv(_text(annotations, ANNOTATION_HOOK)) if t in HOOK_TYPES)


def helm_hook_types(annotations: Mapping[str, Any]) -> tuple[str, ...]:
    """``helm.sh/hook`` values mapped to Argo CD types (§3.3), de-duplicated; others dropped.

    >>> helm_hook_types({"helm.sh/hook": "pre-install,pre-upgrade,post-upgrade,test"})
    ('PreSync', 'PostSync')
    """
    types: list[str] = []
    for value in parse_csv(_text(annotations, HELM_ANNOTATION_HOOK)):
        mapped = HELM_HOOK_MAP.get(value)
        if mapped is not None and mapped not in types:
            types.append(mapped)
    return tuple(types)


def hook_types(annotations: Mapping[str, Any]) -> tuple[str, ...]:
    """The object's hook types: the valid Argo CD ones, else the Helm mapping (§3.2).

    A single valid Argo CD value makes ``helm.sh/hook`` ignored completely.

    >>> hook_types({"argocd.argoproj.io/hook": "PostSync", "helm.sh/hook": "pre-install"})
    ('PostSync',)
    """
    types = argocd_hook_types(annotations)
    if types:
        return types
    return helm_hook_types(annotations)


def is_helm_hook(annotations: Mapping[str, Any]) -> bool:
    """True when ``helm.sh/hook`` is present and its whole raw value is not ``crd-install``.

    >>> is_helm_hook({"helm.sh/hook": "crd-install"}), is_helm_hook({"helm.sh/hook": "pre-install,crd-install"})
    (False, True)
    """
    value = annotations.get(HELM_ANNOTATION_HOOK)
    return value is not None and value != "crd-install"


def is_skip(annotations: Mapping[str, Any]) -> bool:
    """True when the valid hook types are exactly ``[Skip]`` (§3.4).

    >>> is_skip({"argocd.argoproj.io/hook": "Skip,Garbage"}), is_skip({"argocd.argoproj.io/hook": "Skip,PreSync"})
    (True, False)
    """
    types = hook_types(annotations)
    return len(types) == 1 and types[0] == "Skip"


def is_hook(annotations: Mapping[str, Any]) -> bool:
    """Whether the engine treats the object as a hook (§3.4); Skip objects are *not* hooks.

    >>> is_hook({"argocd.argoproj.io/hook": ""}), is_hook({"argocd.argoproj.io/hook": "Skip"})
    (True, False)
    """
    if ANNOTATION_HOOK in annotations:
        return not is_skip(annotations)
    return is_helm_hook(annotations)


def is_ignored(annotations: Mapping[str, Any]) -> bool:
    """A hook with zero valid types ("garbage"): dropped from sync and never pruned.

    >>> is_ignored({"argocd.argoproj.io/hook": "presync"}), is_ignored({"helm.sh/hook": "test"})
    (True, True)
    """
    return is_hook(annotations) and not hook_types(annotations)


def hook_phases(annotations: Mapping[str, Any]) -> tuple[str, ...]:
    """The sync phases an object gets (§3.5): none for Skip, the hook's phases, else ``Sync``.

    Phases are in first-annotated order (Argo CD's order is unspecified).

    >>> hook_phases({}), hook_phases({"argocd.argoproj.io/hook": "Skip"})
    (('Sync',), ())
    >>> hook_phases({"argocd.argoproj.io/hook": "PostSync,Skip,PreSync"})
    ('PostSync', 'PreSync')
    """
    if is_skip(annotations):
        return ()
    if is_hook(annotations):
        return tuple(t for t in hook_types(annotations) if t != "Skip")
    return ("Sync",)


def delete_hook_types(annotations: Mapping[str, Any]) -> tuple[str, ...]:
    """The app-deletion hook types (``PreDelete``/``PostDelete``) from Argo CD and Helm (§9.5).

    >>> delete_hook_types({"helm.sh/hook": "pre-delete", "argocd.argoproj.io/hook": "PostDelete"})
    ('PostDelete', 'PreDelete')
    """
    types = [t for t in parse_csv(_text(annotations, ANNOTATION_HOOK)) if t in DELETE_HOOK_TYPES]
    for value in parse_csv(_text(annotations, HELM_ANNOTATION_HOOK)):
        mapped = _HELM_DELETE_HOOK_MAP.get(value)
        if mapped is not None and mapped not in types:
            types.append(mapped)
    return tuple(types)


def delete_policies(annotations: Mapping[str, Any]) -> tuple[str, ...]:
    """Hook delete policies: Argo CD's then Helm's, combined; default ``(BeforeHookCreation,)``.

    Invalid entries are dropped. Like the engine, a policy named by both annotations appears
    twice. Policies only mean something on hooks; the caller decides that.

    >>> delete_policies({})
    ('BeforeHookCreation',)
    >>> delete_policies({"argocd.argoproj.io/hook-delete-policy": "HookFailed,bogus",
    ...                  "helm.sh/hook-delete-policy": "hook-succeeded"})
    ('HookFailed', 'HookSucceeded')
    """
    policies = [
        p
        for p in parse_csv(_text(annotations, ANNOTATION_HOOK_DELETE_POLICY))
        if p in DELETE_POLICIES
    ]
    for value in parse_csv(_text(annotations, HELM_ANNOTATION_HOOK_DELETE_POLICY)):
        mapped = HELM_DELETE_POLICY_MAP.get(value)
        if mapped is not None:
            policies.append(mapped)
    return tuple(policies) if policies else DEFAULT_DELETE_POLICIES


def sync_options(annotations: Mapping[str, Any]) -> tuple[str, ...]:
    """Items of ``argocd.argoproj.io/sync-options`` (§7.1).

    >>> sync_options({"argocd.argoproj.io/sync-options": "Prune=false, PruneLast=true"})
    ('Prune=false', 'PruneLast=true')
    """
    return parse_csv(_text(annotations, ANNOTATION_SYNC_OPTIONS))


def compare_options(annotations: Mapping[str, Any]) -> tuple[str, ...]:
    """Items of ``argocd.argoproj.io/compare-options`` (§7.3).

    >>> compare_options({"argocd.argoproj.io/compare-options": "IgnoreExtraneous"})
    ('IgnoreExtraneous',)
    """
    return parse_csv(_text(annotations, ANNOTATION_COMPARE_OPTIONS))


def has_option(options: tuple[str, ...] | list[str], option: str) -> bool:
    """Whether ``option`` is one of the items, matched whole and case-sensitively.

    >>> has_option(("PruneLast=True",), "PruneLast=true")
    False
    """
    return option in options


def option_value(options: tuple[str, ...] | list[str], key: str) -> str | None:
    """The value of the first ``key=value`` item, or ``None``; a bare ``key`` is not a value.

    >>> option_value(("Prune", "Prune=confirm", "Prune=false"), "Prune")
    'confirm'
    >>> option_value(("Prune",), "Prune") is None
    True
    """
    prefix = key + "="
    for item in options:
        if item.startswith(prefix):
            return item[len(prefix) :]
    return None
