"""Normalisation of Kubernetes objects before a diff, in Argo CD's order.

* :func:`remarshal` — the typed round trip of registered kinds (spec/diff.md section 4);
* :func:`normalize_object` — the built-in normalisations of every side (section 5);
* :func:`apply_scheme_defaults` — the API-server defaults applied after the patch (section 6.2).

None of them mutates its argument: each returns a new object, or the argument itself when
nothing changes.
"""

from __future__ import annotations

from typing import Any

__all__ = ["apply_scheme_defaults", "normalize_object", "remarshal"]


def remarshal(obj: dict[str, Any]) -> dict[str, Any]:
    """The object as Argo CD's remarshal leaves it (numbers, quantities, omitempty, ...).

    Registered kinds go through a schema-guided typed round trip; a value the Go type would
    reject leaves the whole object raw. Returns ``obj`` itself when nothing changes.
    """
    return obj


def normalize_object(
    obj: dict[str, Any], *, ignore_aggregated_roles: bool = False
) -> dict[str, Any]:
    """Argo CD's built-in normalisation of one side (creationTimestamp, Secret, roles, Endpoints).

    Does not remarshal (call :func:`remarshal` first where Argo CD does). Never raises on odd
    input. Returns ``obj`` itself when nothing changes.
    """
    return obj


def apply_scheme_defaults(obj: dict[str, Any]) -> dict[str, Any]:
    """The object with the Kubernetes scheme defaults of its kind filled in (on a copy).

    Only fields the defaulters would add are added; existing values are never changed.
    Unregistered kinds and objects that would not decode are returned unchanged.
    """
    return obj
