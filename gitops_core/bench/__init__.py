"""Benchmarks as a feature: realistic generated manifest sets and a staged runner."""

from __future__ import annotations

from gitops_core.bench.generate import GeneratedSet, generate

__all__ = ["GeneratedSet", "generate"]
