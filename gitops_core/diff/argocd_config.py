"""Comparison settings read from Argo CD's own configuration (spec sections 9 and 13).

- :func:`parse_application` / :func:`load_application`: an Argo CD ``Application`` manifest:
  ``spec.ignoreDifferences``, the destination namespace, the app name and its
  ``argocd.argoproj.io/compare-options`` annotation.
- :func:`parse_argocd_cm` / :func:`load_argocd_cm`: the ``argocd-cm`` ConfigMap: the legacy
  ``resource.customizations`` blob, the split keys
  ``resource.customizations.ignoreDifferences.<group>_<kind>`` and
  ``resource.customizations.knownTypeFields.<group>_<kind>`` (``<Kind>`` for the core group,
  ``all`` for every kind; applied over the blob), ``resource.compareoptions``
  (``ignoreAggregatedRoles``, ``ignoreResourceStatusField``), ``resource.sensitive.mask.annotations``,
  ``application.instanceLabelKey`` and ``application.resourceTrackingMethod``.

Only the comparison part of ``argocd-cm`` is read here; health checks and actions in the same
overrides are read by :mod:`gitops_core.health.registry`. As in Argo CD (which decodes these
values with sigs.k8s.io/yaml into Go structs), field names inside the values match
case-insensitively and unknown fields are ignored (with a warning).

The status rule: ``ignoreResourceStatusField`` ``all`` (default, also any unrecognised value)
adds the JSON pointer ``/status`` to the ``*/*`` override, ``crd`` to the
``apiextensions.k8s.io/CustomResourceDefinition`` override only, ``none``/``off``/``false`` adds
nothing (:func:`effective_overrides`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import attrs
import yaml

from gitops_core.diff.ignore import IgnoreDifference
from gitops_core.diff.known_types import KnownTypeField
from gitops_core.errors import ArgoConfigError, GitopsCoreError, IgnoreRuleError
from gitops_core.manifests import load_manifests
from gitops_core.manifests.annotations import compare_options as parse_compare_options

__all__ = [
    "ApplicationSettings",
    "ArgoCDSettings",
    "CompareSettings",
    "ResourceOverride",
    "effective_overrides",
    "load_application",
    "load_argocd_cm",
    "parse_application",
    "parse_argocd_cm",
]

_CUSTOMIZATIONS = "resource.customizations"
_OVERRIDE_FIELDS = {"ignoredifferences": "ignoreDifferences", "knowntypefields": "knownTypeFields"}
_IGNORE_FIELDS = {
    "jsonpointers": "jsonPointers",
    "jqpathexpressions": "jqPathExpressions",
    "managedfieldsmanagers": "managedFieldsManagers",
}
_STATUS_OFF = ("none", "off", "false")
_CRD_KEY = "apiextensions.k8s.io/CustomResourceDefinition"


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _yaml_value(text: Any, source: str) -> Any:
    if not isinstance(text, str):
        return text
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ArgoConfigError(f"not valid YAML{where}", source=source) from None


def _fold_keys(
    value: Mapping[str, Any], known: Mapping[str, str], source: str, warnings: list[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = known.get(str(key).lower())
        if name is None:
            warnings.append(f"{source}: unknown field {key!r} ignored")
            continue
        out[name] = item
    return out


def _ignore_from_value(value: Any, source: str, warnings: list[str]) -> IgnoreDifference | None:
    value = _yaml_value(value, source)
    if value is None:
        return None
    if isinstance(value, IgnoreDifference):
        return value
    if not isinstance(value, Mapping):
        raise ArgoConfigError("ignoreDifferences must be a mapping", source=source)
    fields = _fold_keys(value, _IGNORE_FIELDS, source, warnings)
    try:
        return IgnoreDifference.from_dict(fields, source=source)
    except IgnoreRuleError as exc:
        raise ArgoConfigError(exc.detail, source=source) from None


def _known_from_value(value: Any, source: str) -> tuple[KnownTypeField, ...]:
    value = _yaml_value(value, source)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ArgoConfigError("knownTypeFields must be a list", source=source)
    out = []
    for entry in value:
        if isinstance(entry, Mapping):
            entry = {str(k).lower(): v for k, v in entry.items()}
        out.append(KnownTypeField.from_dict(entry, source=source))
    return tuple(out)


@attrs.frozen
class ResourceOverride:
    """The comparison part of one Argo CD resource override (``ignoreDifferences``, ``knownTypeFields``)."""

    ignore_differences: IgnoreDifference | None = None
    known_type_fields: tuple[KnownTypeField, ...] = ()

    @classmethod
    def from_dict(
        cls, value: Mapping[str, Any], *, source: str = "", warnings: list[str] | None = None
    ) -> ResourceOverride:
        """Read an override dict; ``ignoreDifferences`` may be a mapping or YAML text (blob style).

        Other override fields (``health.lua``, ``actions``, ...) are not read here.
        """
        if isinstance(value, ResourceOverride):
            return value
        if not isinstance(value, Mapping):
            raise ArgoConfigError("a resource override must be a mapping", source=source)
        sink: list[str] = [] if warnings is None else warnings
        folded = {_OVERRIDE_FIELDS.get(str(k).lower(), str(k)): v for k, v in value.items()}
        return cls(
            _ignore_from_value(folded.get("ignoreDifferences"), source, sink),
            _known_from_value(folded.get("knownTypeFields"), source),
        )

    def to_dict(self) -> dict[str, Any]:
        """The Argo CD-shaped override dict."""
        out: dict[str, Any] = {}
        if self.ignore_differences is not None:
            out["ignoreDifferences"] = self.ignore_differences.to_dict()
        if self.known_type_fields:
            out["knownTypeFields"] = [field.to_dict() for field in self.known_type_fields]
        return out


@attrs.frozen
class CompareSettings:
    """``resource.compareoptions`` of argocd-cm."""

    ignore_aggregated_roles: bool = False
    ignore_resource_status_field: str = "all"

    @classmethod
    def from_value(cls, value: Any, *, source: str = "resource.compareoptions") -> CompareSettings:
        """Read the YAML text or mapping (``None``: Argo CD's defaults)."""
        if isinstance(value, CompareSettings):
            return value
        value = _yaml_value(value, source)
        if value is None:
            return cls()
        if not isinstance(value, Mapping):
            raise ArgoConfigError("must be a mapping", source=source)
        folded = {str(k).lower(): v for k, v in value.items()}
        roles = folded.get("ignoreaggregatedroles", False)
        if isinstance(roles, str) and roles.lower() in ("true", "false"):
            roles = roles.lower() == "true"
        if not isinstance(roles, bool):
            raise ArgoConfigError("ignoreAggregatedRoles must be true or false", source=source)
        status = folded.get("ignoreresourcestatusfield", "all")
        if status is None:
            status = "all"
        if isinstance(status, bool):
            status = "true" if status else "false"
        if not isinstance(status, str):
            raise ArgoConfigError("ignoreResourceStatusField must be a string", source=source)
        return cls(roles, status)

    def to_dict(self) -> dict[str, Any]:
        """The Argo CD-shaped dict."""
        return {
            "ignoreAggregatedRoles": self.ignore_aggregated_roles,
            "ignoreResourceStatusField": self.ignore_resource_status_field,
        }


def effective_overrides(
    overrides: Mapping[str, ResourceOverride | Mapping[str, Any]] | None,
    compare: CompareSettings | Mapping[str, Any] | str | None,
) -> dict[str, ResourceOverride]:
    """Overrides as Argo CD uses them: ``overrides`` plus the ``/status`` rule of ``compare``.

    ``compare=None`` adds no status rule (engine behaviour); pass ``{}`` for Argo CD's default
    (``ignoreResourceStatusField: all``).
    """
    result: dict[str, ResourceOverride] = {}
    for key, value in (overrides or {}).items():
        result[key] = (
            value
            if isinstance(value, ResourceOverride)
            else ResourceOverride.from_dict(value, source=f"resource override {key}")
        )
    if compare is None:
        return result
    settings = CompareSettings.from_value(compare)
    mode = settings.ignore_resource_status_field
    if mode in _STATUS_OFF:
        return result
    key = _CRD_KEY if mode == "crd" else "*/*"
    existing = result.get(key, ResourceOverride())
    rule = existing.ignore_differences or IgnoreDifference(
        source=f"resource.compareoptions ignoreResourceStatusField={mode}"
    )
    rule = attrs.evolve(rule, json_pointers=(*rule.json_pointers, "/status"))
    result[key] = attrs.evolve(existing, ignore_differences=rule)
    return result


@attrs.frozen
class ArgoCDSettings:
    """What the comparison reads from ``argocd-cm``; see :func:`parse_argocd_cm`."""

    resource_overrides: Mapping[str, ResourceOverride] = attrs.field(factory=dict)
    compare_options: CompareSettings = attrs.field(factory=CompareSettings)
    tracking_method: str = "annotation"
    app_label_key: str = "app.kubernetes.io/instance"
    sensitive_annotations: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def option_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``DiffOptions``/``CompareOptions``."""
        return {
            "resource_overrides": dict(self.resource_overrides),
            "compare_options": self.compare_options.to_dict(),
            "tracking_method": self.tracking_method,
            "app_label_key": self.app_label_key,
            "hide_annotations": self.sensitive_annotations,
        }


def _override_key(group_kind: str, source: str) -> str:
    if group_kind == "all":
        return "*/*"
    if "_" not in group_kind:
        return group_kind
    parts = group_kind.split("_")
    if len(parts) != 2:
        raise ArgoConfigError(
            "the key must be resource.customizations.<type>.<group_kind> or "
            f"resource.customizations.<type>.<kind>, got group kind {group_kind!r}",
            source=source,
        )
    return f"{parts[0]}/{parts[1]}"


def parse_argocd_cm(configmap: Mapping[str, Any], *, source: str = "argocd-cm") -> ArgoCDSettings:
    """Read the comparison settings of an ``argocd-cm`` ConfigMap object (or its ``data`` map).

    Raises :class:`ArgoConfigError` for values that cannot be read.
    """
    if not isinstance(configmap, Mapping):
        raise ArgoConfigError("argocd-cm must be a mapping", source=source)
    data = (
        configmap.get("data", {})
        if any(key in configmap for key in ("kind", "apiVersion", "metadata", "data"))
        else configmap
    )
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ArgoConfigError("data must be a mapping", source=source)
    warnings: list[str] = []
    raw: dict[str, dict[str, Any]] = {}
    blob = _yaml_value(data.get(_CUSTOMIZATIONS), f"{source} {_CUSTOMIZATIONS}")
    if blob is not None:
        if not isinstance(blob, Mapping):
            raise ArgoConfigError(
                "must be a mapping of group/kind to overrides", source=f"{source} {_CUSTOMIZATIONS}"
            )
        for key, value in blob.items():
            if not isinstance(value, Mapping):
                raise ArgoConfigError(
                    f"override {key!r} must be a mapping", source=f"{source} {_CUSTOMIZATIONS}"
                )
            folded = {_OVERRIDE_FIELDS.get(str(k).lower(), str(k)): v for k, v in value.items()}
            raw[str(key)] = {k: v for k, v in folded.items() if k in _OVERRIDE_FIELDS.values()}
            raw[str(key)]["_source"] = f"{source} {_CUSTOMIZATIONS} {key}"
    for key in sorted(data):
        if not isinstance(key, str) or not key.startswith(_CUSTOMIZATIONS + "."):
            continue
        rest = key[len(_CUSTOMIZATIONS) + 1 :]
        kind_of_setting, sep, group_kind = rest.partition(".")
        if not sep or kind_of_setting not in _OVERRIDE_FIELDS.values():
            continue  # health, actions, ...: read by the health registry
        override_key = _override_key(group_kind, f"{source} {key}")
        entry = raw.setdefault(override_key, {"_source": f"{source} {key}"})
        entry[kind_of_setting] = data[key]
        entry["_source"] = f"{source} {key}"
    overrides: dict[str, ResourceOverride] = {}
    for key, fields in raw.items():
        origin = fields.pop("_source")
        overrides[key] = ResourceOverride.from_dict(fields, source=origin, warnings=warnings)
    compare = CompareSettings.from_value(
        data.get("resource.compareoptions"), source=f"{source} resource.compareoptions"
    )
    method = data.get("application.resourceTrackingMethod") or "annotation"
    if method not in ("annotation", "label", "annotation+label"):
        raise ArgoConfigError(
            f"unknown resource tracking method {method!r}",
            source=f"{source} application.resourceTrackingMethod",
        )
    label_key = data.get("application.instanceLabelKey") or "app.kubernetes.io/instance"
    sensitive = data.get("resource.sensitive.mask.annotations") or ""
    if not isinstance(sensitive, str) or not isinstance(label_key, str):
        raise ArgoConfigError("settings values must be strings", source=source)
    names = tuple(dict.fromkeys(n for n in sensitive.replace(" ", "").split(",") if n))
    return ArgoCDSettings(overrides, compare, str(method), label_key, names, tuple(warnings))


@attrs.frozen
class ApplicationSettings:
    """What the comparison reads from an Argo CD ``Application``; see :func:`parse_application`."""

    name: str
    namespace: str = ""
    destination_namespace: str = ""
    ignore_differences: tuple[IgnoreDifference, ...] = ()
    compare_options: tuple[str, ...] = ()
    sync_options: tuple[str, ...] = ()

    def option_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``CompareOptions`` (``namespace`` is not a ``DiffOptions`` one).

        App-level ``ServerSideApply=true`` turns on the structured-merge diff and the compare
        option ``IncludeMutationWebhook=true`` keeps webhook changes in a server-side diff.
        """
        kwargs: dict[str, Any] = {
            "ignore_differences": self.ignore_differences,
            "app_name": self.name,
            "namespace": self.destination_namespace,
        }
        if "ServerSideApply=true" in self.sync_options:
            kwargs["structured_merge"] = True  # Argo CD diffs with SMD under app-level SSA
        if "IncludeMutationWebhook=true" in self.compare_options:
            kwargs["ignore_mutation_webhook"] = False
        return kwargs


def parse_application(
    app: Mapping[str, Any], *, source: str = "Application"
) -> ApplicationSettings:
    """Read the comparison settings of an Argo CD ``Application`` object.

    Raises :class:`ArgoConfigError` when it is not an Application or a field is malformed.
    """
    if not isinstance(app, Mapping) or app.get("kind") != "Application":
        raise ArgoConfigError("not an Argo CD Application (kind: Application)", source=source)
    metadata = _mapping(app.get("metadata"))
    spec = _mapping(app.get("spec"))
    name = metadata.get("name")
    if not isinstance(name, str) or not name:
        raise ArgoConfigError("the Application has no metadata.name", source=source)
    destination = _mapping(spec.get("destination"))
    entries = spec.get("ignoreDifferences") or []
    if not isinstance(entries, list):
        raise ArgoConfigError("spec.ignoreDifferences must be a list", source=source)
    rules = []
    for index, entry in enumerate(entries):
        label = f"{source} spec.ignoreDifferences[{index}]"
        try:
            rules.append(IgnoreDifference.from_dict(entry, source=label))
        except IgnoreRuleError as exc:
            raise ArgoConfigError(exc.detail, source=label) from None
    annotations = _mapping(metadata.get("annotations"))
    policy = _mapping(spec.get("syncPolicy"))
    sync = policy.get("syncOptions") or []
    namespace = destination.get("namespace") or ""
    return ApplicationSettings(
        name=name,
        namespace=str(metadata.get("namespace") or ""),
        destination_namespace=namespace if isinstance(namespace, str) else "",
        ignore_differences=tuple(rules),
        compare_options=parse_compare_options(annotations),
        sync_options=tuple(str(item) for item in sync) if isinstance(sync, list) else (),
    )


def _single(path: str | os.PathLike[str], kind: str, name: str | None) -> dict[str, Any]:
    try:
        found = load_manifests([path])
    except GitopsCoreError:
        raise
    matches = [r for r in found if r.kind == kind and (name is None or r.name == name)]
    if not matches:
        raise ArgoConfigError(
            f"no {kind}{' ' + name if name else ''} in the file", source=str(path)
        )
    if len(matches) > 1:
        raise ArgoConfigError(f"more than one {kind} in the file", source=str(path))
    return matches[0].object


def load_application(path: str | os.PathLike[str]) -> ApplicationSettings:
    """Load the one ``Application`` of a YAML/JSON file and read it (:func:`parse_application`)."""
    return parse_application(_single(path, "Application", None), source=str(path))


def load_argocd_cm(path: str | os.PathLike[str]) -> ArgoCDSettings:
    """Load the ``argocd-cm`` ConfigMap of a file and read it (:func:`parse_argocd_cm`).

    A file with one ConfigMap is used whatever its name; with several, the one named argocd-cm.
    """
    try:
        obj = _single(path, "ConfigMap", None)
    except ArgoConfigError:
        obj = _single(path, "ConfigMap", "argocd-cm")
    return parse_argocd_cm(obj, source=str(path))
