"""Argo CD's comparison of an application: pair desired and live, diff, sync status.

:func:`compare` does what Argo CD's controller does in ``CompareAppState`` (spec/diff.md
sections 2 and 12), offline:

1. desired objects: hooks (``argocd.argoproj.io/hook`` other than ``Skip`` alone, or a Helm
   hook other than ``crd-install``) are split off and never diffed; hooks with no valid type are
   dropped; namespaced kinds without a namespace get the destination namespace
   (``CompareOptions.namespace``), cluster-scoped kinds lose theirs; a key seen twice keeps the
   last object (warning);
2. live objects that belong to the application: with ``app_name``, those whose tracking
   (annotation or label, per ``tracking_method``) names the app and that have no
   ``ownerReferences``; without ``app_name``, every live object without ``ownerReferences``;
   plus, always, any live object whose key matches a desired object. Live objects with the same
   ``metadata.uid`` (one object seen through two API groups) are collapsed, keeping the one
   desired names;
3. each pair is diffed with :func:`gitops_core.diff.diff` and the same options;
4. status per resource: none for hooks, ignored hooks, desired ``Skip`` objects and live objects
   whose tracking annotation names another object; else OutOfSync when modified, missing from
   live or extraneous; else Synced. The application is OutOfSync when any resource is, except
   extraneous resources annotated ``argocd.argoproj.io/compare-options: IgnoreExtraneous``.
   If any pair cannot be diffed (Argo CD's ComparisonError), every resource and the
   application are Unknown.

Every path that differs is explained: the engine's changes (real drift, with the engine's
reason), and the paths ignore rules removed where desired and live differ (``"ignored by
<rule>"``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

import attrs

import gitops_core.manifests.annotations as ann
from gitops_core._gc import pauses_gc
from gitops_core.diff._comparison import collect_notes
from gitops_core.diff._engine import diff
from gitops_core.diff._json import json_equal
from gitops_core.diff._jsonutil import escape_pointer_token
from gitops_core.diff._options import DiffOptions, _compare_settings
from gitops_core.diff._result import Change, DiffResult
from gitops_core.diff.argocd_config import CompareSettings
from gitops_core.diff.ignore import IgnoredField
from gitops_core.diff.masking import mask_secrets
from gitops_core.diff.tracking import app_name_of, is_self_referenced
from gitops_core.errors import DiffError, UsageError
from gitops_core.manifests import ManifestSet
from gitops_core.resource import Resource, ResourceKey, ScopeTable

__all__ = [
    "OUT_OF_SYNC",
    "SYNCED",
    "UNKNOWN",
    "CompareOptions",
    "Comparison",
    "ResourceComparison",
    "compare",
    "compare_one",
]

SYNCED = "Synced"
OUT_OF_SYNC = "OutOfSync"
UNKNOWN = "Unknown"
SyncStatus = Literal["Synced", "OutOfSync", "Unknown"]


@attrs.frozen(kw_only=True)
class CompareOptions(DiffOptions):
    """:class:`~gitops_core.diff.DiffOptions` plus the application-level settings of a comparison.

    Attributes:
        namespace: the destination namespace; namespaced desired objects without one get it.
        compare_options: as in ``DiffOptions``, but the default is Argo CD's
            (``ignoreResourceStatusField: all``: ``/status`` is ignored on every kind). Pass
            ``None`` for the engine's behaviour (status compared).
    """

    namespace: str = ""
    compare_options: CompareSettings | None = attrs.field(
        factory=CompareSettings, converter=_compare_settings
    )


def _options_of(options: DiffOptions | None) -> DiffOptions:
    if options is None:
        return CompareOptions()
    if not isinstance(options, DiffOptions):
        raise UsageError("compare(): options must be CompareOptions or DiffOptions")
    return options


@attrs.frozen
class ResourceComparison:
    """One resource of a comparison.

    Attributes:
        key: group/kind/namespace/name (desired's key after the namespace fill, else live's).
        status: ``"Synced"``, ``"OutOfSync"``, ``"Unknown"`` or ``None`` (not judged: hooks,
            Skip objects, objects tracked by copy).
        desired, live: the paired resources (either may be ``None``).
        diff: the engine's result (``None`` for desired hooks and failed diffs).
        hook: whether the object (live if present, else desired) is a hook.
        requires_pruning: live only and self-referenced (a prune candidate).
        requires_deletion_confirmation: desired or live carries the sync option
            ``Delete=confirm`` or ``Prune=confirm`` (exact, trimmed tokens).
        sync_wave: the wave of desired (``sync-wave``, else ``helm.sh/hook-weight``, else 0);
            0 without desired.
        ignored: paths ignore rules removed where desired and live differ, with the rule.
        excluded: why ``status`` is ``None`` (``"hook"``, ``"ignored hook"``, ``"Skip"``,
            ``"tracked by copy"``), else ``None``.
        error: the comparison error for this pair, if any.
        warnings: what Argo CD only logs (paths not found, jq failures, ...).
    """

    key: ResourceKey
    status: str | None
    desired: Resource | None = attrs.field(default=None, repr=False)
    live: Resource | None = attrs.field(default=None, repr=False)
    diff: DiffResult | None = None
    hook: bool = False
    requires_pruning: bool = False
    ignored: tuple[Change, ...] = ()
    requires_deletion_confirmation: bool = False
    sync_wave: int = 0
    excluded: str | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def modified(self) -> bool:
        """The engine's verdict (``False`` when there is no diff)."""
        return self.diff is not None and self.diff.modified

    @property
    def changes(self) -> tuple[Change, ...]:
        """Every explained path: the engine's changes, then the ignored ones."""
        return (self.diff.changes if self.diff is not None else ()) + self.ignored

    def server_defaults(self) -> tuple[Change, ...]:
        """Paths live has and desired leaves out, whose live value is the Kubernetes default.

        These never make a resource OutOfSync; they explain why live differs from the manifest
        (reason ``"server default"``). Computed on demand (not part of :attr:`changes`).
        """
        if self.desired is None or self.live is None:
            return ()
        from gitops_core.diff.normalize import apply_scheme_defaults

        desired = self.desired.object
        defaulted = apply_scheme_defaults(desired)
        if defaulted is desired:
            return ()
        found: list[Change] = []
        _defaults_walk(desired, defaulted, self.live.object, "", found)
        return tuple(found)

    def to_json(self, *, sensitive_annotations: Any = ()) -> dict[str, Any]:
        """The JSON record of the CLI: key, status, modified, requires_pruning, changes.

        Values are masked as for display (Secret data and sensitive annotations).
        """
        desired_obj = self.desired.object if self.desired is not None else None
        live_obj = self.live.object if self.live is not None else None
        masked_desired, masked_live = mask_secrets(
            desired_obj, live_obj, sensitive_annotations=sensitive_annotations
        )
        masked_predicted, masked_normalized = (None, None)
        if self.diff is not None:
            masked_predicted, masked_normalized = mask_secrets(
                self.diff.predicted_live,
                self.diff.normalized_live,
                sensitive_annotations=sensitive_annotations,
            )
        needs_mask = _needs_mask(desired_obj, live_obj, sensitive_annotations)
        changes = []
        for change in self.diff.changes if self.diff is not None else ():
            changes.append(_change_json(change, masked_normalized, masked_predicted, needs_mask))
        for change in self.ignored:
            changes.append(_change_json(change, masked_live, masked_desired, needs_mask))
        for change in self.server_defaults():
            changes.append(_change_json(change, masked_live, masked_live, needs_mask))
        if self.desired is None and self.live is not None:
            reason = "extraneous: only in live" + (
                " (requires pruning)" if self.requires_pruning else ""
            )
            changes.append({"path": "", "reason": reason})
        record: dict[str, Any] = {
            "key": str(self.key),
            "status": self.status,
            "modified": self.modified,
            "requires_pruning": self.requires_pruning,
            "requires_deletion_confirmation": self.requires_deletion_confirmation,
            "sync_wave": self.sync_wave,
            "hook": self.hook,
            "changes": changes,
        }
        if self.excluded:
            record["excluded"] = self.excluded
        if self.error:
            record["error"] = self.error
        if self.warnings:
            record["warnings"] = list(self.warnings)
        return record


_CONFIRM_OPTIONS = ("Delete=confirm", "Prune=confirm")
_NO_ANNOTATIONS: Mapping[str, Any] = {}


def _requires_confirmation(*annotation_maps: Mapping[str, Any]) -> bool:
    """Whether any of the annotation maps asks for deletion confirmation (spec 12, other fields).

    Takes the annotations of desired and live (empty for a missing side), computed once per pair.
    """
    for found in annotation_maps:
        if ann.ANNOTATION_SYNC_OPTIONS not in found:
            continue  # no sync options: nothing to parse
        options = ann.sync_options(found)
        if any(ann.has_option(options, option) for option in _CONFIRM_OPTIONS):
            return True
    return False


def _is_skip(annotations: Mapping[str, Any]) -> bool:
    """:func:`ann.is_skip`, answered without parsing when no hook annotation is present."""
    if ann.ANNOTATION_HOOK not in annotations and ann.HELM_ANNOTATION_HOOK not in annotations:
        return False
    return ann.is_skip(annotations)


def _defaults_walk(
    desired: Any, defaulted: Any, live: Any, pointer: str, found: list[Change]
) -> None:
    """Paths the defaulters added to desired where live holds the same value."""
    if isinstance(defaulted, dict) and isinstance(desired, dict):
        for key, value in defaulted.items():
            sub = f"{pointer}/{escape_pointer_token(key)}"
            live_value = live.get(key, _ABSENT) if isinstance(live, dict) else _ABSENT
            if key not in desired:
                if live_value is not _ABSENT and json_equal(live_value, value):
                    found.append(Change(sub, live_value, value, "server default"))
            elif value is not desired[key]:
                _defaults_walk(desired[key], value, live_value, sub, found)
    elif isinstance(defaulted, list) and isinstance(desired, list):
        for index, (value, original) in enumerate(zip(defaulted, desired, strict=False)):
            live_value = live[index] if isinstance(live, list) and index < len(live) else _ABSENT
            if value is not original:
                _defaults_walk(original, value, live_value, f"{pointer}/{index}", found)


_ABSENT: Any = object()


def _needs_mask(desired: Any, live: Any, sensitive: Any) -> bool:
    from gitops_core.diff.masking import is_secret

    return bool(sensitive) or is_secret(desired) or is_secret(live)


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


def _change_json(change: Change, before_obj: Any, after_obj: Any, masked: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": change.path, "reason": change.reason}
    if change.before_present:
        entry["before"] = _at(before_obj, change.path) if masked else change.before
    if change.after_present:
        entry["after"] = _at(after_obj, change.path) if masked else change.after
    return entry


@attrs.frozen
class Comparison:
    """The comparison of an application: one record per resource and the app's sync status."""

    resources: tuple[ResourceComparison, ...]
    status: str
    warnings: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[ResourceComparison]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)

    def get(self, key: ResourceKey | str) -> ResourceComparison | None:
        """The record of one key, or ``None``."""
        if isinstance(key, str):
            key = ResourceKey.parse(key)
        for resource in self.resources:
            if resource.key == key:
                return resource
        return None

    @property
    def out_of_sync(self) -> tuple[ResourceComparison, ...]:
        """Resources whose status is OutOfSync."""
        return tuple(r for r in self.resources if r.status == OUT_OF_SYNC)

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for resource in self.resources:
            label = resource.status or "excluded"
            counts[label] = counts.get(label, 0) + 1
        return f"Comparison(status={self.status!r}, resources={counts!r})"


def _annotations(obj: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """:func:`ann.annotations_of`, with a fast path for plain dicts (the usual case)."""
    if type(obj) is dict:
        metadata = obj.get("metadata")
        if type(metadata) is dict:
            value = metadata.get("annotations")
            if type(value) is dict:
                return value
            if value is None:
                return _NO_ANNOTATIONS
    return ann.annotations_of(obj)


def _owned(obj: Mapping[str, Any]) -> bool:
    metadata = obj.get("metadata")
    return isinstance(metadata, Mapping) and bool(metadata.get("ownerReferences"))


def _uid(obj: Mapping[str, Any]) -> str:
    metadata = obj.get("metadata")
    uid = metadata.get("uid") if isinstance(metadata, Mapping) else None
    return uid if isinstance(uid, str) else ""


def _with_namespace(obj: dict[str, Any], namespace: str | None) -> dict[str, Any]:
    out = dict(obj)
    metadata = dict(out.get("metadata") or {})
    if namespace:
        metadata["namespace"] = namespace
    else:
        metadata.pop("namespace", None)
    out["metadata"] = metadata
    return out


def _fill_namespace(
    resource: Resource, namespace: str, scopes: ScopeTable
) -> tuple[Resource, list[ResourceKey]]:
    """Argo CD's ``NormalizeTargetObjects``: the resource after the fill and its candidate keys."""
    metadata = resource.metadata
    own = metadata.get("namespace") if isinstance(metadata.get("namespace"), str) else ""
    old_key = resource.key
    group, kind = old_key.group, old_key.kind
    known = scopes.is_known(group, kind)
    if known and not scopes.is_namespaced(group, kind):
        key = _with_key_namespace(old_key, "")
        obj = _with_namespace(resource.object, None) if own else resource.object
        return _resource_with(resource, obj, key), [key]
    effective = own or namespace or old_key.namespace
    key = _with_key_namespace(old_key, effective)
    obj = resource.object
    if not own and effective:
        obj = _with_namespace(obj, effective)
    filled = _resource_with(resource, obj, key)
    if known:
        return filled, [key]
    # unknown scope: try the namespaced key, then the cluster-scoped one
    return filled, [key, _with_key_namespace(key, "")]


def _with_key_namespace(key: ResourceKey, namespace: str) -> ResourceKey:
    """``attrs.evolve(key, namespace=namespace)``, reusing ``key`` when nothing changes."""
    if key.namespace == namespace:
        return key
    return ResourceKey(key.group, key.kind, namespace, key.name)


def _resource_with(resource: Resource, obj: dict[str, Any], key: ResourceKey) -> Resource:
    """``resource`` with another object and key (``resource`` itself when both are the same)."""
    if obj is resource.object and key is resource.key:
        return resource
    return Resource(obj, key, resource.api_version, resource.source)


def _ignored_changes(
    desired_fields: tuple[IgnoredField, ...],
    live_fields: tuple[IgnoredField, ...],
    managed: tuple[IgnoredField, ...],
) -> tuple[Change, ...]:
    if not desired_fields and not live_fields and not managed:
        return ()
    missing = object()
    by_pointer: dict[str, list[Any]] = {}
    for field in desired_fields:
        entry = by_pointer.setdefault(field.pointer, [missing, missing, field.rule])
        entry[0] = field.value
    for field in live_fields:
        entry = by_pointer.setdefault(field.pointer, [missing, missing, field.rule])
        entry[1] = field.value
    changes: list[Change] = []
    for pointer, (desired_value, live_value, rule) in by_pointer.items():
        if desired_value is missing and live_value is missing:
            continue
        if (
            desired_value is not missing
            and live_value is not missing
            and json_equal(desired_value, live_value)
        ):
            continue
        changes.append(
            Change(
                pointer,
                None if live_value is missing else live_value,
                None if desired_value is missing else desired_value,
                f"ignored by {rule}",
                before_present=live_value is not missing,
                after_present=desired_value is not missing,
            )
        )
    for field in managed:
        desired_value, live_value = field.value
        changes.append(Change(field.pointer, live_value, desired_value, f"ignored by {field.rule}"))
    return tuple(sorted(changes, key=lambda change: change.path))


def _diff_pair(
    desired: Resource | None, live: Resource | None, options: DiffOptions
) -> tuple[DiffResult | None, tuple[Change, ...], tuple[str, ...], str | None]:
    desired_obj = desired.object if desired is not None else None
    live_obj = live.object if live is not None else None
    with collect_notes() as notes:
        try:
            result = diff(desired_obj, live_obj, options)
        except DiffError as exc:
            return None, (), tuple(notes.warnings), str(exc)
    sides = notes.sides
    desired_fields: tuple[IgnoredField, ...] = ()
    live_fields: tuple[IgnoredField, ...] = ()
    if desired_obj is not None and live_obj is not None:
        desired_fields = sides[0] if len(sides) > 0 else ()
        live_fields = sides[1] if len(sides) > 1 else ()
    elif desired_obj is not None:
        desired_fields = sides[0] if sides else ()
    else:
        live_fields = sides[0] if sides else ()
    ignored = _ignored_changes(desired_fields, live_fields, notes.managed)
    warnings = list(notes.warnings)
    never = frozenset.intersection(*notes.not_found) if notes.not_found else frozenset()
    for label in sorted(never):
        if not label.startswith("resource.compareoptions"):
            warnings.append(
                f"{_key_text(desired or live)}: {label}: path not found on any side, skipped"
            )
    return result, ignored, tuple(warnings) + result.warnings, None


def _key_text(resource: Resource | None) -> str:
    return str(resource.key) if resource is not None else ""


def compare_one(
    desired: Mapping[str, Any] | None,
    live: Mapping[str, Any] | None,
    options: DiffOptions | None = None,
) -> ResourceComparison:
    """Compare one pair of plain objects with explanations and a sync status.

    Raises :class:`~gitops_core.errors.UsageError` when both are ``None``.
    """
    objects = [obj for obj in (desired, live) if obj is not None]
    if not objects:
        raise UsageError("compare_one() needs a desired or a live object")
    desired_set = ManifestSet.from_objects([dict(desired)]) if desired is not None else None
    live_set = ManifestSet.from_objects([dict(live)]) if live is not None else None
    comparison = compare(
        desired_set or ManifestSet(()), live_set or ManifestSet(()), _options_of(options)
    )
    return comparison.resources[0]


@pauses_gc
def compare(
    desired: ManifestSet,
    live: ManifestSet,
    options: DiffOptions | None = None,
) -> Comparison:
    """Compare an application's desired manifests with a live snapshot, as Argo CD does.

    ``options`` is a :class:`CompareOptions` (or a plain ``DiffOptions``: no destination
    namespace, status compared). Raises :class:`~gitops_core.errors.UsageError` for arguments
    of the wrong type; comparison errors of single pairs make the result Unknown instead.
    """
    if not isinstance(desired, ManifestSet) or not isinstance(live, ManifestSet):
        raise UsageError("compare() takes two ManifestSets (desired, live)")
    opts = _options_of(options)
    namespace = opts.namespace if isinstance(opts, CompareOptions) else ""
    scopes = desired.scopes.with_overrides(live.scopes.overrides).with_crds(
        r.object
        for r in (*desired.resources, *live.resources)
        if r.kind == "CustomResourceDefinition"
    )
    warnings: list[str] = list(opts.comparison.warnings)
    records: list[ResourceComparison] = []

    # 1. desired: split hooks off, fill namespaces, keep the last of repeated keys
    targets: dict[ResourceKey, tuple[Resource, list[ResourceKey]]] = {}
    generated = 0
    for resource in desired:
        annotations = _annotations(resource.object)
        if ann.is_hook(annotations):
            if not ann.is_ignored(annotations):
                records.append(
                    ResourceComparison(
                        resource.key,
                        None,
                        desired=resource,
                        hook=True,
                        excluded="hook",
                        sync_wave=ann.sync_wave(annotations),
                    )
                )
            continue
        filled, candidates = _fill_namespace(resource, namespace, scopes)
        if not filled.key.name:
            name = f"{filled.generate_name or ''}{generated}"
            generated += 1
            key = attrs.evolve(filled.key, name=name)
            filled = Resource(filled.object, key, filled.api_version, filled.source)
            candidates = [key]
        if filled.key in targets:
            warnings.append(
                f"RepeatedResourceWarning: resource {filled.key} appeared more than once"
            )
            del targets[filled.key]
        targets[filled.key] = (filled, candidates)

    # 2. live: which objects belong to the app, collapse duplicates by uid
    live_by_key: dict[ResourceKey, Resource] = {}
    for resource in live:
        if resource.key.name and resource.key not in live_by_key:
            live_by_key[resource.key] = resource
    matched: dict[ResourceKey, Resource] = {}
    for key, (pending, candidates) in list(targets.items()):
        for candidate in candidates:
            found = live_by_key.get(candidate)
            if found is not None:
                matched[key] = found
                if candidate != key:
                    # a kind of unknown scope turned out cluster-scoped: drop the filled namespace
                    own = pending.metadata.get("namespace")
                    obj = pending.object if own else _with_namespace(pending.object, None)
                    targets[key] = (
                        Resource(obj, candidate, pending.api_version, pending.source),
                        candidates,
                    )
                break
    matched_ids = {id(resource) for resource in matched.values()}
    app_name = opts.app_name
    extraneous: list[Resource] = []
    for resource in live_by_key.values():
        if id(resource) in matched_ids:
            continue
        if _owned(resource.object):
            continue  # children (ReplicaSets, Pods, ...) are never prune candidates
        if (
            app_name
            and app_name_of(
                resource.object, method=opts.tracking_method, label_key=opts.app_label_key
            )
            != app_name
        ):
            continue
        extraneous.append(resource)
    seen_uids = {_uid(r.object) for r in matched.values()} - {""}
    kept: list[Resource] = []
    for resource in extraneous:
        uid = _uid(resource.object)
        if uid and uid in seen_uids:
            continue  # the same object seen through another API group
        if uid:
            seen_uids.add(uid)
        kept.append(resource)

    # 3. and 4. diff every pair and judge it
    pairs: list[tuple[ResourceKey, Resource | None, Resource | None]] = [
        (target.key, target, matched.get(key)) for key, (target, _) in targets.items()
    ]
    pairs.extend((resource.key, None, resource) for resource in kept)
    failed = False
    app_out_of_sync = False
    judged: list[ResourceComparison] = []
    for key, target, live_resource in pairs:
        result, ignored, pair_warnings, error = _diff_pair(target, live_resource, opts)
        failed = failed or error is not None
        target_annotations = _annotations(target.object) if target is not None else _NO_ANNOTATIONS
        live_annotations = (
            _annotations(live_resource.object) if live_resource is not None else _NO_ANNOTATIONS
        )
        # the object judged as a hook: live if present, else desired
        annotations = live_annotations if live_resource is not None else target_annotations
        hook = ann.is_hook(annotations)
        self_ref = target is not None or is_self_referenced(
            live_resource.object if live_resource is not None else None,
            False,
            method=opts.tracking_method,
        )
        excluded: str | None = None
        if hook:
            excluded = "ignored hook" if ann.is_ignored(annotations) else "hook"
        elif target is not None and _is_skip(target_annotations):
            excluded = "Skip"
        elif not self_ref:
            excluded = "tracked by copy"
        status: str | None = None
        if excluded is None:
            if error is None and (
                (result is not None and result.modified) or target is None or live_resource is None
            ):
                status = OUT_OF_SYNC
                needs_pruning = target is None and live_resource is not None
                if not (
                    needs_pruning
                    and ann.has_option(ann.compare_options(annotations), "IgnoreExtraneous")
                ):
                    app_out_of_sync = True
            elif error is None:
                status = SYNCED
        judged.append(
            ResourceComparison(
                key,
                status,
                desired=target,
                live=live_resource,
                diff=result,
                hook=hook,
                requires_pruning=target is None and live_resource is not None and self_ref,
                ignored=ignored,
                excluded=excluded,
                error=error,
                warnings=pair_warnings,
                requires_deletion_confirmation=_requires_confirmation(
                    target_annotations, live_annotations
                ),
                sync_wave=ann.sync_wave(target_annotations) if target is not None else 0,
            )
        )
    records.extend(judged)
    if failed:
        # Argo CD: a comparison error makes every resource and the application Unknown
        records = [attrs.evolve(record, status=UNKNOWN) for record in records]
        app_status = UNKNOWN
    else:
        app_status = OUT_OF_SYNC if app_out_of_sync else SYNCED
    return Comparison(tuple(records), app_status, tuple(warnings))
