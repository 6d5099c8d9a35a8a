"""Loading Kubernetes manifests: YAML/JSON files, directories, stdin, strings and Lists."""

# No ``from __future__ import annotations`` here: it would bind the name ``annotations`` to the
# __future__ feature and hide the ``annotations`` submodule from
# ``from gitops_core.manifests import annotations``.
from gitops_core.manifests import annotations
from gitops_core.manifests._dump import dump_manifests
from gitops_core.manifests._load import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    MANIFEST_SUFFIXES,
    load_manifests,
    parse_manifests,
)
from gitops_core.manifests._set import ManifestSet
from gitops_core.manifests._yaml import HAVE_C_LOADER

__all__ = [
    "DEFAULT_MAX_DOCUMENT_BYTES",
    "HAVE_C_LOADER",
    "MANIFEST_SUFFIXES",
    "ManifestSet",
    "annotations",
    "dump_manifests",
    "load_manifests",
    "parse_manifests",
]
