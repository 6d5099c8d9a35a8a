"""Options of the diff engine (Argo CD's ``diff.Option`` values, as one frozen record)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from gitops_core.diff._comparison import CompiledComparison
from gitops_core.diff.argocd_config import CompareSettings, ResourceOverride
from gitops_core.diff.ignore import DEFAULT_JQ_TIMEOUT_SECONDS, IgnoreDifference
from gitops_core.diff.masking import parse_sensitive_annotations
from gitops_core.diff.tracking import (
    DEFAULT_APP_LABEL_KEY,
    DEFAULT_TRACKING_METHOD,
    check_tracking_method,
)
from gitops_core.errors import IgnoreRuleError, UsageError

__all__ = ["DEFAULT_MANAGER", "DiffOptions"]

#: The field manager Argo CD's controller applies with (``argocd-controller``).
DEFAULT_MANAGER = "argocd-controller"


def _ignore_entries(value: Any) -> tuple[IgnoreDifference, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise IgnoreRuleError("ignore_differences must be a list of entries")
    return tuple(
        entry
        if isinstance(entry, IgnoreDifference)
        else IgnoreDifference.from_dict(entry, source=f"ignoreDifferences[{index}]")
        for index, entry in enumerate(value)
    )


def _overrides(value: Any) -> dict[str, ResourceOverride]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise UsageError("resource_overrides must map group/kind to an override")
    return {
        str(key): item
        if isinstance(item, ResourceOverride)
        else ResourceOverride.from_dict(item, source=f"resource_overrides[{key!r}]")
        for key, item in value.items()
    }


def _compare_settings(value: Any) -> CompareSettings | None:
    if value is None or isinstance(value, CompareSettings):
        return value
    return CompareSettings.from_value(value, source="compare_options")


def _tracking(value: Any) -> str:
    return str(check_tracking_method(value))


@attrs.frozen(kw_only=True)
class DiffOptions:
    """How :func:`gitops_core.diff.diff` compares one desired object with its live object.

    Attributes:
        ignore_aggregated_roles: null the ``rules`` of Roles/ClusterRoles that carry an
            ``aggregationRule`` on every side (Argo CD ``resource.compareoptions``
            ``ignoreAggregatedRoles``; default off).
        manager: the field manager whose ``managedFields`` entries count as "ours" in a
            server-side diff (Argo CD: ``argocd-controller``).
        ignore_mutation_webhook: in a server-side diff, drop fields of the dry-run result that
            our manager does not own (webhook additions). Argo CD's default is on; the app
            compare option ``IncludeMutationWebhook=true`` turns it off.
        structured_merge: use the structured-merge diff (server-side-apply semantics computed
            locally from live's ``managedFields``) instead of the legacy three-way diff; Argo CD
            also turns it on per object with the sync option ``ServerSideApply=true``.
    """

    ignore_aggregated_roles: bool = False
    manager: str = DEFAULT_MANAGER
    ignore_mutation_webhook: bool = True
    structured_merge: bool = False
    # --- the comparison layer (docs/compare.md) ---
    ignore_differences: tuple[IgnoreDifference, ...] = attrs.field(
        default=(), converter=_ignore_entries
    )
    resource_overrides: Mapping[str, ResourceOverride] = attrs.field(
        factory=dict, converter=_overrides, hash=False
    )
    compare_options: CompareSettings | None = attrs.field(default=None, converter=_compare_settings)
    tracking_method: str = attrs.field(default=DEFAULT_TRACKING_METHOD, converter=_tracking)
    app_label_key: str = DEFAULT_APP_LABEL_KEY
    app_name: str | None = None
    jq_timeout_seconds: float | None = DEFAULT_JQ_TIMEOUT_SECONDS
    hide_annotations: frozenset[str] = attrs.field(
        factory=frozenset, converter=parse_sensitive_annotations
    )
    _compiled: CompiledComparison | None = attrs.field(
        init=False, default=None, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        if self.compare_options is not None and self.compare_options.ignore_aggregated_roles:
            object.__setattr__(self, "ignore_aggregated_roles", True)
        if not isinstance(self.app_label_key, str) or not self.app_label_key:
            raise UsageError("app_label_key must be a non-empty string")
        if self.app_name is not None and not isinstance(self.app_name, str):
            raise UsageError("app_name must be a string")
        compiled = CompiledComparison(
            ignore_differences=self.ignore_differences,
            resource_overrides=self.resource_overrides,
            compare_options=self.compare_options,
            tracking_method=self.tracking_method,
            app_label_key=self.app_label_key,
            app_name=self.app_name,
            jq_timeout_seconds=self.jq_timeout_seconds,
        )
        object.__setattr__(self, "_compiled", compiled)

    @property
    def comparison(self) -> CompiledComparison:
        """The compiled comparison settings (ignore rules, known types, tracking)."""
        assert self._compiled is not None
        return self._compiled
