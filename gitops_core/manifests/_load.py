"""Loading manifests from files, directories, stdin and strings."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, SequenceNode

from gitops_core.errors import (
    DuplicateKeyError,
    InvalidDocumentError,
    ManifestError,
    UsageError,
    YamlSyntaxError,
)
from gitops_core.manifests._set import ManifestSet, _duplicate
from gitops_core.manifests._yaml import iter_yaml_documents
from gitops_core.resource import Resource, ScopeTable, SourceLocation, crd_group_kind_scope

__all__ = [
    "DEFAULT_MAX_DOCUMENT_BYTES",
    "MANIFEST_SUFFIXES",
    "load_manifests",
    "parse_manifests",
]

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
"""A single document above this size is refused (Kubernetes' own request limit is 3 MiB;
the Argo CD install manifest's largest document, a CRD, is about 1 MB)."""

_HELM_SOURCE = re.compile(r"^# Source: (.+?)\s*$", re.MULTILINE)

# (object, path, document index, line, helm template, item index) before validation
_Doc = tuple[Any, str, int, int, "str | None", "int | None"]


def parse_manifests(
    text: str,
    source: str = "<string>",
    *,
    default_namespace: str | None = None,
    strict: bool = True,
    scopes: ScopeTable | None = None,
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
) -> ManifestSet:
    """Parse YAML or JSON text into a :class:`ManifestSet`.

    ``source`` names the text in errors and source locations. See :func:`load_manifests` for the
    other arguments. Raises :class:`~gitops_core.errors.ManifestError` subclasses when ``strict``.
    """
    errors: list[ManifestError] = []
    docs = _parse_text(text, source, max_document_bytes, strict, errors)
    return build_set(
        docs, default_namespace=default_namespace, scopes=scopes, strict=strict, errors=errors
    )


def load_manifests(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    default_namespace: str | None = None,
    strict: bool = True,
    scopes: ScopeTable | None = None,
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
) -> ManifestSet:
    """Load every manifest under ``paths`` into one :class:`ManifestSet`.

    ``paths`` are files, directories (searched recursively for ``.yaml``, ``.yml`` and ``.json``
    files, in sorted order; hidden entries are skipped) or ``"-"`` for standard input.
    ``default_namespace`` fills the namespace of namespaced resources that have none.
    ``scopes`` tells the scope of custom kinds the set has no CRD for (unknown kinds are
    namespaced). With ``strict=False`` bad documents are skipped and their errors collected on
    ``ManifestSet.errors`` instead of raised.

    Raises :class:`~gitops_core.errors.ManifestError` (and subclasses) naming file, document and
    line; :class:`~gitops_core.errors.UsageError` for a path that does not exist.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    errors: list[ManifestError] = []
    warnings: list[str] = []
    docs: list[_Doc] = []
    for file_path in _expand_paths(paths, warnings):
        if file_path == "-":
            text = sys.stdin.read()
            name = "<stdin>"
        else:
            name = file_path
            try:
                with open(file_path, encoding="utf-8") as handle:
                    text = handle.read()
            except UnicodeDecodeError as exc:
                err = YamlSyntaxError(f"file is not UTF-8 text ({exc.reason})", path=name)
                if strict:
                    raise err from None
                errors.append(err)
                continue
            except OSError as exc:
                raise UsageError(f"cannot read {file_path}: {exc.strerror}") from None
        docs.extend(_parse_text(text, name, max_document_bytes, strict, errors))
    return build_set(
        docs,
        default_namespace=default_namespace,
        scopes=scopes,
        strict=strict,
        errors=errors,
        warnings=warnings,
    )


def _expand_paths(paths: Iterable[str | os.PathLike[str]], warnings: list[str]) -> list[str]:
    files: list[str] = []
    for raw in paths:
        path = os.fspath(raw)
        if path == "-":
            files.append(path)
            continue
        if os.path.isdir(path):
            found: list[str] = []
            for root, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for filename in sorted(filenames):
                    full = os.path.join(root, filename)
                    if filename.startswith("."):
                        continue
                    if filename.endswith(MANIFEST_SUFFIXES):
                        found.append(full)
                    else:
                        warnings.append(f"{full}: skipped, not a .yaml, .yml or .json file")
            files.extend(sorted(found, key=lambda p: Path(p).parts))
        elif os.path.exists(path):
            files.append(path)
        else:
            raise UsageError(f"no such file or directory: {path}")
    return files


def _parse_text(
    text: str, path: str, max_document_bytes: int, strict: bool, errors: list[ManifestError]
) -> list[_Doc]:
    stripped = text.lstrip()
    if path.endswith(".json") or (
        stripped[:1] in ("{", "[") and not path.endswith((".yaml", ".yml"))
    ):
        return _parse_json(text, path, max_document_bytes, strict, errors)
    templates = _helm_sources(text)
    docs: list[_Doc] = []
    previous_end = 0
    try:
        for raw in iter_yaml_documents(text, path=path, max_document_bytes=max_document_bytes):
            template = _template_for(templates, previous_end, raw.line)
            previous_end = raw.end_line
            if raw.value is None:
                continue
            if _is_list(raw.value):
                docs.extend(_list_items(raw.value, raw.node, path, raw.index, template))
            else:
                docs.append((raw.value, path, raw.index, raw.line, template, None))
    except ManifestError as exc:
        # A syntax error stops the YAML stream: later documents of this file cannot be read.
        if strict:
            raise
        errors.append(exc)
    return docs


def _parse_json(
    text: str, path: str, max_document_bytes: int, strict: bool, errors: list[ManifestError]
) -> list[_Doc]:
    if len(text) > max_document_bytes:
        from gitops_core.errors import DocumentTooLargeError

        err: ManifestError = DocumentTooLargeError(
            f"document is {len(text)} characters, more than the limit of {max_document_bytes}"
            " (raise max_document_bytes if this input is trusted)",
            path=path,
            document=0,
            line=1,
        )
    else:
        try:
            value = json.loads(text, object_pairs_hook=_json_object)
        except _JsonDuplicate as dup:
            err = DuplicateKeyError(
                f"duplicate key {dup.key!r} in a JSON object", path=path, document=0, line=None
            )
        except json.JSONDecodeError as exc:
            err = YamlSyntaxError(
                f"JSON syntax error: {exc.msg}", path=path, document=0, line=exc.lineno
            )
        except RecursionError:
            err = YamlSyntaxError("JSON nesting is too deep", path=path, document=0, line=1)
        else:
            if value is None:
                return []
            if isinstance(value, list):
                # A bare JSON array of objects: treat each element as a document.
                return [(item, path, index, 1, None, None) for index, item in enumerate(value)]
            if _is_list(value):
                return [
                    (item, path, 0, 1, None, index)
                    for index, item in enumerate(_list_item_objects(value))
                ]
            return [(value, path, 0, 1, None, None)]
    if strict:
        raise err
    errors.append(err)
    return []


class _JsonDuplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _JsonDuplicate(key)
            seen.add(key)
    return result


def _helm_sources(text: str) -> list[tuple[int, str]]:
    if "# Source: " not in text:
        return []
    found = []
    for match in _HELM_SOURCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        found.append((line, match.group(1)))
    return found


def _template_for(templates: list[tuple[int, str]], after: int, before: int) -> str | None:
    chosen = None
    for line, name in templates:
        if after <= line <= before:
            chosen = name
    return chosen


def _is_list(value: Any) -> bool:
    """``kind: List`` and every ``*List`` kind with an ``items`` list (``kubectl get -o yaml``)."""
    if not isinstance(value, dict):
        return False
    kind = value.get("kind")
    if not isinstance(kind, str) or not kind.endswith("List"):
        return False
    items = value.get("items")
    if kind == "List":
        return isinstance(items, list) or items is None
    return isinstance(items, list) and "spec" not in value


def _list_item_objects(value: dict[str, Any]) -> list[Any]:
    """Items of a List; typed lists (``DeploymentList``) lend their kind and apiVersion."""
    items = value.get("items") or []
    kind = value.get("kind", "")
    item_kind = kind[: -len("List")] if kind != "List" else None
    api_version = value.get("apiVersion")
    result = []
    for item in items:
        if isinstance(item, dict) and item_kind:
            if "kind" not in item or "apiVersion" not in item:
                filled = {"apiVersion": api_version, "kind": item_kind}
                filled.update(item)
                item = filled
        result.append(item)
    return result


def _list_items(
    value: dict[str, Any], node: Node, path: str, index: int, template: str | None
) -> list[_Doc]:
    lines: list[int] = []
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == "items" and isinstance(value_node, SequenceNode):
                lines = [child.start_mark.line + 1 for child in value_node.value]
    start = node.start_mark.line + 1
    return [
        (item, path, index, lines[i] if i < len(lines) else start, template, i)
        for i, item in enumerate(_list_item_objects(value))
    ]


def _check_document(doc: _Doc) -> str | None:
    """The reason ``doc`` is not a valid Kubernetes object, or None."""
    obj = doc[0]
    if not isinstance(obj, dict):
        return f"document is a {_json_type(obj)}, not a mapping"
    api_version = obj.get("apiVersion")
    if api_version is None:
        return "missing apiVersion"
    if not isinstance(api_version, str) or not api_version:
        return f"apiVersion must be a non-empty string, not {_json_type(api_version)}"
    if api_version.count("/") > 1 or api_version.startswith("/") or api_version.endswith("/"):
        return f"apiVersion {api_version!r} is not group/version or version"
    kind = obj.get("kind")
    if kind is None:
        return "missing kind"
    if not isinstance(kind, str) or not kind:
        return f"kind must be a non-empty string, not {_json_type(kind)}"
    meta = obj.get("metadata")
    if meta is None:
        return "missing metadata"
    if not isinstance(meta, dict):
        return f"metadata must be a mapping, not {_json_type(meta)}"
    name = meta.get("name")
    if name is None or name == "":
        generate_name = meta.get("generateName")
        if isinstance(generate_name, str) and generate_name:
            pass
        elif generate_name is not None:
            return (
                f"metadata.generateName must be a non-empty string, not {_json_type(generate_name)}"
            )
        else:
            return "missing metadata.name (and no metadata.generateName)"
    elif not isinstance(name, str):
        return f"metadata.name must be a string, not {_json_type(name)}"
    namespace = meta.get("namespace")
    if namespace is not None and not isinstance(namespace, str):
        return f"metadata.namespace must be a string, not {_json_type(namespace)}"
    for field in ("labels", "annotations"):
        values = meta.get(field)
        if values is None:
            continue
        if not isinstance(values, dict):
            return f"metadata.{field} must be a mapping, not {_json_type(values)}"
        for key, value in values.items():
            if not isinstance(value, str):
                return (
                    f"metadata.{field}[{key!r}] must be a string, not {_json_type(value)}"
                    " (quote it in YAML)"
                )
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def build_set(
    docs: Iterable[_Doc],
    *,
    default_namespace: str | None,
    scopes: ScopeTable | None,
    strict: bool,
    errors: list[ManifestError] | None = None,
    warnings: list[str] | None = None,
) -> ManifestSet:
    """Validate documents, learn CRD scopes, key every resource and reject duplicates."""
    errors = errors if errors is not None else []
    valid: list[_Doc] = []
    for doc in docs:
        problem = _check_document(doc)
        if problem is None:
            valid.append(doc)
            continue
        obj, path, index, line, _template, item = doc
        if item is not None:
            problem = f"items[{item}]: {problem}"
        err = InvalidDocumentError(problem, path=path, document=index, line=line)
        if strict:
            raise err
        errors.append(err)
    table = (scopes or ScopeTable()).with_crds(
        doc[0] for doc in valid if crd_group_kind_scope(doc[0]) is not None
    )
    resources: list[Resource] = []
    index_by_key: dict[Any, Resource] = {}
    for obj, path, index, line, template, item in valid:
        resource = Resource.from_object(
            obj,
            scopes=table,
            default_namespace=default_namespace,
            source=SourceLocation(path, index, line, template, item),
        )
        if resource.key.name:
            first = index_by_key.get(resource.key)
            if first is not None:
                duplicate = _duplicate(resource, first)
                if strict:
                    raise duplicate
                errors.append(duplicate)
                continue
            index_by_key[resource.key] = resource
        resources.append(resource)
    return ManifestSet(
        tuple(resources), scopes=table, errors=tuple(errors), warnings=tuple(warnings or ())
    )
