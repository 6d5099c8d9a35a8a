"""Argo CD's diff, offline: normalisation, three-way strategic merge, JSON merge, rendering.

>>> from gitops_core.diff import diff
>>> cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}}
>>> diff(cm, {**cm, "data": {"a": "2"}}).modified
True
"""

from __future__ import annotations

from gitops_core.diff._engine import LAST_APPLIED_ANNOTATION, diff
from gitops_core.diff._options import DEFAULT_MANAGER, DiffOptions
from gitops_core.diff._result import Change, DiffResult
from gitops_core.diff.argocd_config import (
    ApplicationSettings,
    ArgoCDSettings,
    CompareSettings,
    ResourceOverride,
    load_application,
    load_argocd_cm,
    parse_application,
    parse_argocd_cm,
)
from gitops_core.diff.compare import (
    CompareOptions,
    Comparison,
    ResourceComparison,
    compare,
    compare_one,
)
from gitops_core.diff.ignore import IgnoreDifference, IgnoreRules, compile_ignore_rules
from gitops_core.diff.known_types import KnownTypeField
from gitops_core.diff.masking import mask_secrets
from gitops_core.diff.normalize import apply_scheme_defaults, normalize_object, remarshal

__all__ = [
    "DEFAULT_MANAGER",
    "LAST_APPLIED_ANNOTATION",
    "ApplicationSettings",
    "ArgoCDSettings",
    "Change",
    "CompareOptions",
    "CompareSettings",
    "Comparison",
    "DiffOptions",
    "DiffResult",
    "IgnoreDifference",
    "IgnoreRules",
    "KnownTypeField",
    "ResourceComparison",
    "ResourceOverride",
    "apply_scheme_defaults",
    "compare",
    "compare_one",
    "compile_ignore_rules",
    "diff",
    "load_application",
    "load_argocd_cm",
    "mask_secrets",
    "normalize_object",
    "parse_application",
    "parse_argocd_cm",
    "remarshal",
]
