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

__all__ = [
    "DEFAULT_MANAGER",
    "LAST_APPLIED_ANNOTATION",
    "Change",
    "DiffOptions",
    "DiffResult",
    "diff",
]
