"""Options of the diff engine (Argo CD's ``diff.Option`` values, as one frozen record)."""

from __future__ import annotations

import attrs

__all__ = ["DEFAULT_MANAGER", "DiffOptions"]

#: The field manager Argo CD's controller applies with (``argocd-controller``).
DEFAULT_MANAGER = "argocd-controller"


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
    # The comparison layer adds its keywords here (ignore_differences, resource_overrides,
    # compare_options, tracking_method, app_label_key, app_name, jq_timeout_seconds,
    # hide_annotations) and wires them in ``_engine._prepare`` and ``_engine._configured``.
