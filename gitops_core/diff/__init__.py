"""Argo CD's diff, offline: normalisation, three-way strategic merge, JSON merge, rendering."""

from __future__ import annotations

__all__: list[str] = []
