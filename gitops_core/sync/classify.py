"""Classify an object from its annotations alone: hook or not, Skip, ignored, phases, wave.

>>> c = classify({"kind": "Job", "metadata": {"annotations": {"helm.sh/hook": "pre-install"}}})
>>> c.is_hook, c.phases, c.delete_policies
(True, ('PreSync',), ('BeforeHookCreation',))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

import gitops_core.manifests.annotations as ann

__all__ = ["Classification", "classify", "classify_annotations"]


@attrs.frozen
class Classification:
    """What the engine reads from an object's annotations (spec §3, §6, §7.1).

    Attributes:
        is_hook: the engine treats the object as a hook (Skip objects are not hooks).
        skip: ``argocd.argoproj.io/hook: Skip``: a managed target that never gets a task and is
            never pruned.
        ignored: a hook with no usable type (garbage value): dropped from sync and pruning.
        phases: the sync phases the object gets (``()`` for Skip and ignored objects).
        wave: the object's own wave (before prune mirroring, PruneLast and pull-ups).
        delete_policies: hook delete policies (Argo CD then Helm; default BeforeHookCreation).
            Parsed for every object; they only act on hooks.
        sync_options / compare_options: the parsed option lists.
        hook_types: the valid hook types the phases came from (may include ``Skip``).
        hook_source: ``"argocd"``, ``"helm"`` or ``None``: which annotation made it a hook.
        wave_source: ``"sync-wave"``, ``"hook-weight"`` or ``"default"``.
        invalid_wave: ``(annotation, raw text)`` of wave annotations that are not int64 (for lint).
        delete_hook_types: ``PreDelete``/``PostDelete`` types (spec §9.5).
        delete_hook_only: a PreDelete/PostDelete object without a sync-phase hook type: Argo CD
            removes it from the sync (it only runs when the app is deleted).
        why: one sentence saying why the object is classified as it is.
    """

    is_hook: bool
    skip: bool
    ignored: bool
    phases: tuple[str, ...]
    wave: int
    delete_policies: tuple[str, ...]
    sync_options: tuple[str, ...]
    compare_options: tuple[str, ...]
    hook_types: tuple[str, ...] = ()
    hook_source: str | None = None
    wave_source: str = "default"
    invalid_wave: tuple[tuple[str, str], ...] = ()
    delete_hook_types: tuple[str, ...] = ()
    delete_hook_only: bool = False
    why: str = "plain resource: Sync phase"

    def has_sync_option(self, option: str) -> bool:
        """Whether ``option`` is among the sync options (whole item, case-sensitive)."""
        return option in self.sync_options


PLAIN = Classification(
    is_hook=False,
    skip=False,
    ignored=False,
    phases=("Sync",),
    wave=0,
    delete_policies=ann.DEFAULT_DELETE_POLICIES,
    sync_options=(),
    compare_options=(),
)

_KEYS = (
    ann.ANNOTATION_SYNC_WAVE,
    ann.HELM_ANNOTATION_HOOK_WEIGHT,
    ann.ANNOTATION_HOOK,
    ann.HELM_ANNOTATION_HOOK,
    ann.ANNOTATION_HOOK_DELETE_POLICY,
    ann.HELM_ANNOTATION_HOOK_DELETE_POLICY,
    ann.ANNOTATION_SYNC_OPTIONS,
    ann.ANNOTATION_COMPARE_OPTIONS,
)
_KEY_SET = frozenset(_KEYS)
# Classifications by the tuple of the annotations they read; real manifests repeat a handful.
_CACHE: dict[tuple[object, ...], Classification] = {}
_CACHE_LIMIT = 65536


def classify(obj: Mapping[str, Any] | None) -> Classification:
    """Classify a plain object dict (``None`` gives the plain classification).

    Never raises: invalid annotation values are handled as Argo CD handles them.

    >>> classify({"metadata": {"annotations": {"argocd.argoproj.io/hook": "Skip"}}}).skip
    True
    >>> classify({"metadata": {"annotations": {"argocd.argoproj.io/hook": "Garbage"}}}).ignored
    True
    """
    return classify_annotations(ann.annotations_of(obj))


def classify_annotations(annotations: Mapping[str, Any]) -> Classification:
    """Like :func:`classify`, from the ``metadata.annotations`` mapping."""
    if not annotations:
        return PLAIN
    try:
        # the relevant (key, value) pairs; unrelated annotations never reach the cache key
        key = tuple([item for item in annotations.items() if item[0] in _KEY_SET])
        found = _CACHE.get(key)
    except TypeError:
        # an unhashable (non-string) annotation value: Kubernetes forbids these; do not cache
        return _classify({k: annotations[k] for k in _KEYS if k in annotations})
    if found is not None:
        return found
    result = _classify(dict(key)) if key else PLAIN
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = result
    return result


def _classify(annotations: Mapping[str, Any]) -> Classification:
    wave = ann.wave_info(annotations)
    types = ann.hook_types(annotations)
    argocd_types = ann.argocd_hook_types(annotations)
    skip = len(types) == 1 and types[0] == "Skip"
    if ann.ANNOTATION_HOOK in annotations:
        is_hook = not skip
    else:
        is_hook = ann.is_helm_hook(annotations)
    ignored = is_hook and not types
    if skip:
        phases: tuple[str, ...] = ()
    elif is_hook:
        phases = tuple(t for t in types if t != "Skip")
    else:
        phases = ("Sync",)
    hook_source: str | None = None
    if types:
        hook_source = "argocd" if argocd_types else "helm"
    elif is_hook:
        hook_source = "argocd" if ann.ANNOTATION_HOOK in annotations else "helm"
    delete_hooks = ann.delete_hook_types(annotations)
    if skip:
        why = "hook: Skip: managed but never applied or pruned"
    elif ignored:
        raw_key = ann.ANNOTATION_HOOK if hook_source == "argocd" else ann.HELM_ANNOTATION_HOOK
        why = f"hook with no usable type ({raw_key}: {annotations.get(raw_key)!r}): ignored"
    elif is_hook:
        via = ann.ANNOTATION_HOOK if hook_source == "argocd" else ann.HELM_ANNOTATION_HOOK
        why = f"{'/'.join(phases)} hook ({via})"
    else:
        why = "plain resource: Sync phase"
    return Classification(
        is_hook=is_hook,
        skip=skip,
        ignored=ignored,
        phases=phases,
        wave=wave.wave,
        delete_policies=ann.delete_policies(annotations),
        sync_options=ann.sync_options(annotations),
        compare_options=ann.compare_options(annotations),
        hook_types=types,
        hook_source=hook_source,
        wave_source=wave.source,
        invalid_wave=wave.invalid,
        delete_hook_types=delete_hooks,
        delete_hook_only=bool(delete_hooks) and not (is_hook and phases),
        why=why,
    )
