"""Loading manifests from files, directories, stdin and strings."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from gitops_core._gc import pauses_gc
from gitops_core.errors import (
    DocumentTooLargeError,
    DuplicateKeyError,
    InvalidDocumentError,
    ManifestError,
    UsageError,
    YamlSyntaxError,
)
from gitops_core.manifests._set import ManifestSet, duplicate_error
from gitops_core.manifests._yaml import RawDocument, iter_yaml_documents, text_size
from gitops_core.resource import Resource, ResourceKey, ScopeTable, SourceLocation

__all__ = [
    "DEFAULT_MAX_DOCUMENT_BYTES",
    "MANIFEST_SUFFIXES",
    "build_set",
    "load_manifests",
    "parse_manifests",
]

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
"""File suffixes read when a directory is searched."""

DEFAULT_MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
"""A single document (or List item) above this size is refused. Kubernetes' own request limit
is 3 MiB; the Argo CD install manifest's largest document, a CRD, is about 1 MB."""

_HELM_SOURCE = re.compile(r"^# Source: (.+?)[ \t\r]*$", re.MULTILINE)
_JSON_WHITESPACE = re.compile(r"[ \t\n\r]*")
_PLAIN_JSON = json.JSONDecoder()


class _Doc:
    """A document (or List item) that passed validation, before it gets its key."""

    __slots__ = ("index", "item", "line", "obj", "path", "template")

    def __init__(
        self,
        obj: dict[str, Any],
        path: str,
        index: int,
        line: int,
        template: str | None,
        item: int | None,
    ) -> None:
        self.obj = obj
        self.path = path
        self.index = index
        self.line = line
        self.template = template
        self.item = item


class _Collector:
    """Validated documents and, for a non-strict load, the errors of the skipped ones."""

    def __init__(self, strict: bool, errors: list[ManifestError]) -> None:
        self.strict = strict
        self.errors = errors
        self.docs: list[_Doc] = []

    def error(self, err: ManifestError) -> None:
        if self.strict:
            raise err
        self.errors.append(err)

    def add(
        self,
        value: Any,
        path: str,
        index: int,
        line: int,
        template: str | None = None,
        raw: RawDocument | None = None,
        item: int | None = None,
    ) -> None:
        problem = check_object(value)
        if problem is None:
            self.docs.append(_Doc(value, path, index, line, template, item))
            return
        detail, field_path = problem
        if item is not None:
            detail = f"items[{item}]: {detail}"
        if raw is not None and field_path:
            field_line = raw.field_line(field_path, item)
            if field_line is not None:
                line = field_line
        self.error(InvalidDocumentError(detail, path=path, document=index, line=line))

    def add_document(
        self,
        value: Any,
        path: str,
        index: int,
        line: int,
        template: str | None,
        raw: RawDocument | None,
    ) -> None:
        if value is None:
            return  # empty and null documents are skipped
        if is_list_object(value):
            item_lines = raw.item_lines() if raw is not None else []
            for item, obj in enumerate(list_items(value)):
                item_line = item_lines[item] if item < len(item_lines) else line
                self.add(obj, path, index, item_line, template, raw, item)
        else:
            self.add(value, path, index, line, template, raw, None)


@pauses_gc
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

    ``source`` names the text in errors and source locations (a ``.json`` suffix forces JSON).
    See :func:`load_manifests` for the other arguments.

    >>> parse_manifests("apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: a}\\n").keys()
    [ResourceKey(group='', kind='ConfigMap', namespace='', name='a')]

    Raises :class:`~gitops_core.errors.ManifestError` subclasses when ``strict``.
    """
    if not isinstance(text, str):
        raise UsageError(f"parse_manifests() needs a str, not {type(text).__name__}")
    _check_limit(max_document_bytes)
    errors: list[ManifestError] = []
    collector = _Collector(strict, errors)
    _parse_text(text, source, max_document_bytes, collector)
    return build_set(
        collector.docs,
        default_namespace=default_namespace,
        scopes=scopes,
        strict=strict,
        errors=errors,
    )


@pauses_gc
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
    files in sorted order; hidden entries are skipped) or ``"-"`` for standard input.
    ``default_namespace`` fills the namespace of namespaced resources that have none.
    ``scopes`` tells the scope of custom kinds the set has no CRD for (unknown kinds are
    namespaced). ``max_document_bytes`` caps the size of one document (of one item of a
    ``kind: List``). With ``strict=False`` bad documents are skipped and their errors collected on
    ``ManifestSet.errors`` instead of raised.

    Raises :class:`~gitops_core.errors.ManifestError` (and subclasses) naming file, document and
    line; :class:`~gitops_core.errors.UsageError` for a path that does not exist or cannot be
    read.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    _check_limit(max_document_bytes)
    errors: list[ManifestError] = []
    warnings: list[str] = []
    collector = _Collector(strict, errors)
    for file_path in expand_paths(paths, warnings):
        if file_path == "-":
            name = "<stdin>"
            try:
                text = sys.stdin.read()
            except UnicodeDecodeError as exc:
                collector.error(
                    YamlSyntaxError(f"standard input is not UTF-8 text ({exc.reason})", path=name)
                )
                continue
        else:
            name = file_path
            try:
                with open(file_path, encoding="utf-8") as handle:
                    text = handle.read()
            except UnicodeDecodeError as exc:
                collector.error(
                    YamlSyntaxError(f"file is not UTF-8 text ({exc.reason})", path=name)
                )
                continue
            except OSError as exc:
                raise UsageError(f"cannot read {file_path}: {exc.strerror}") from None
        _parse_text(text, name, max_document_bytes, collector)
    return build_set(
        collector.docs,
        default_namespace=default_namespace,
        scopes=scopes,
        strict=strict,
        errors=errors,
        warnings=warnings,
    )


def _check_limit(max_document_bytes: int) -> None:
    if isinstance(max_document_bytes, bool) or not isinstance(max_document_bytes, int):
        raise UsageError("max_document_bytes must be an int")
    if max_document_bytes <= 0:
        raise UsageError(f"max_document_bytes must be positive, not {max_document_bytes}")


def expand_paths(paths: Iterable[str | os.PathLike[str]], warnings: list[str]) -> list[str]:
    """Files to read for ``paths``: directories searched recursively, sorted, hidden skipped."""
    files: list[str] = []
    for raw in paths:
        path = os.fspath(raw)
        if path == "-":
            files.append(path)
            continue
        if os.path.isdir(path):
            found: list[tuple[tuple[str, ...], str]] = []
            for root, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for filename in filenames:
                    if filename.startswith("."):
                        continue
                    full = os.path.join(root, filename)
                    if filename.endswith(MANIFEST_SUFFIXES):
                        rel = os.path.relpath(full, path)
                        found.append((tuple(rel.split(os.sep)), full))
                    else:
                        warnings.append(f"{full}: skipped, not a .yaml, .yml or .json file")
            files.extend(full for _, full in sorted(found))
        elif os.path.exists(path):
            files.append(path)
        else:
            raise UsageError(f"no such file or directory: {path}")
    return files


def _parse_text(text: str, path: str, max_document_bytes: int, collector: _Collector) -> None:
    if text.startswith("\ufeff"):
        text = text[1:]
    if path.endswith(".json"):
        _parse_json(text, path, max_document_bytes, collector)
        return
    start = _JSON_WHITESPACE.match(text).end()  # type: ignore[union-attr]
    if text[start : start + 1] in ("{", "[") and not path.endswith((".yaml", ".yml")):
        # Looks like JSON: take it as JSON if it is; YAML flow style falls through to YAML.
        attempt = _Collector(False, [])
        _parse_json(text, path, max_document_bytes, attempt)
        if not any(isinstance(err, YamlSyntaxError) for err in attempt.errors):
            collector.docs.extend(attempt.docs)
            for err in attempt.errors:
                collector.error(err)
            return
    _parse_yaml(text, path, max_document_bytes, collector)


def _parse_yaml(text: str, path: str, max_document_bytes: int, collector: _Collector) -> None:
    templates = _helm_sources(text)
    next_template = 0
    previous_end = 0
    line_offset = 0
    index_offset = 0
    remaining = text
    while True:
        try:
            for raw in iter_yaml_documents(
                remaining,
                path=path,
                max_document_bytes=max_document_bytes,
                line_offset=line_offset,
                index_offset=index_offset,
                on_error=None if collector.strict else collector.error,
            ):
                template = None
                while next_template < len(templates) and templates[next_template][0] <= raw.line:
                    if templates[next_template][0] >= previous_end:
                        template = templates[next_template][1]
                    next_template += 1
                previous_end = raw.end_line
                collector.add_document(raw.value, path, raw.index, raw.line, template, raw)
            return
        except YamlSyntaxError as exc:
            collector.error(exc)  # raises when strict
            # The YAML stream cannot go on past a syntax error: resume at the next document
            # marker after the error, so only the bad document is lost.
            resume = _next_marker(text, exc.line, line_offset)
            if resume is None:
                return
            start, resume_line = resume
            remaining = text[start:]
            line_offset = resume_line - 1
            index_offset = (exc.document if exc.document is not None else index_offset) + 1


_MARKER = re.compile(r"^---(?=[ \t\r\n]|$)", re.MULTILINE)


def _next_marker(text: str, error_line: int | None, line_offset: int) -> tuple[int, int] | None:
    """Offset and line of the first ``---`` at or after ``error_line`` but past ``line_offset``."""
    after_line = max(error_line or 0, line_offset + 2)
    position = 0
    line = 1
    for match in _MARKER.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        if line >= after_line:
            return match.start(), line
    return None


def _parse_json(text: str, path: str, max_document_bytes: int, collector: _Collector) -> None:
    """A stream of JSON values (one object, a List, an array of objects, or several objects)."""
    if text_size(text) > max_document_bytes and '"items"' not in text:
        collector.error(_too_large(text_size(text), max_document_bytes, path, 0, 1))
        return
    decoder = json.JSONDecoder(object_pairs_hook=_json_object, parse_constant=_json_constant)
    position = _JSON_WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    line = 1 + text.count("\n", 0, position)
    index = 0
    while position < len(text):
        problem: ManifestError | None = None
        try:
            value, end = decoder.raw_decode(text, position)
        except _JsonDuplicate as dup:
            problem = DuplicateKeyError(
                f"duplicate key {dup.key!r} in a JSON object", path=path, document=index, line=line
            )
        except _JsonConstant as bad:
            problem = InvalidDocumentError(
                f"{bad.name} cannot be represented in JSON", path=path, document=index, line=line
            )
        except json.JSONDecodeError as exc:
            collector.error(
                YamlSyntaxError(
                    f"JSON syntax error: {exc.msg}", path=path, document=index, line=exc.lineno
                )
            )
            return
        except RecursionError:
            collector.error(
                YamlSyntaxError("JSON nesting is too deep", path=path, document=index, line=line)
            )
            return
        if problem is not None:
            collector.error(problem)  # raises when strict
            # well-formed JSON: skip just this value (read again without the checks)
            _, end = _PLAIN_JSON.raw_decode(text, position)
            value = None
        size = text_size(text[position:end]) if end - position > max_document_bytes // 4 else 0
        if problem is not None:
            pass
        elif size > max_document_bytes and not (isinstance(value, list) or is_list_object(value)):
            collector.error(_too_large(size, max_document_bytes, path, index, line))
        elif isinstance(value, list):
            # A bare JSON array of objects: every element is a document.
            for item_index, item in enumerate(value):
                if item is not None:
                    collector.add(item, path, index + item_index, line)
            index += len(value) - 1
        else:
            collector.add_document(value, path, index, line, None, None)
        index += 1
        next_position = _JSON_WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
        line += text.count("\n", position, next_position)
        position = next_position


def _too_large(size: int, limit: int, path: str, index: int, line: int) -> DocumentTooLargeError:
    return DocumentTooLargeError(
        f"document is {size} bytes, more than the limit of {limit}"
        " (raise max_document_bytes if this input is trusted)",
        path=path,
        document=index,
        line=line,
    )


class _JsonDuplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _JsonConstant(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _json_constant(name: str) -> Any:
    raise _JsonConstant(name)


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
    """``(line, template)`` of every ``# Source:`` comment, in order (linear in the text)."""
    if "# Source: " not in text:
        return []
    found = []
    position = 0
    line = 1
    for match in _HELM_SOURCE.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        found.append((line, match.group(1)))
    return found


def is_list_object(value: Any) -> bool:
    """True for ``kind: List`` and every ``*List`` kind with an ``items`` list.

    This is the shape of ``kubectl get -o yaml`` output. A custom kind whose name ends in
    ``List`` but has a ``spec`` (and no ``items`` list) is an ordinary object.
    """
    if not isinstance(value, dict):
        return False
    kind = value.get("kind")
    if not isinstance(kind, str) or not kind.endswith("List"):
        return False
    items = value.get("items")
    if kind == "List":
        return isinstance(items, list) or (items is None and "spec" not in value)
    return isinstance(items, list) and "spec" not in value


def list_items(value: dict[str, Any]) -> list[Any]:
    """Items of a List; a typed list (``DeploymentList``) lends its kind and apiVersion.

    Items are returned as they are, or as new dicts when kind/apiVersion are filled in.
    """
    items = value.get("items") or []
    kind = value["kind"]
    item_kind = kind[: -len("List")] if kind != "List" else None
    api_version = value.get("apiVersion")
    result = []
    for item in items:
        if (
            isinstance(item, dict)
            and item_kind
            and ("kind" not in item or "apiVersion" not in item)
        ):
            filled = {"apiVersion": api_version, "kind": item_kind}
            filled.update(item)
            item = filled
        result.append(item)
    return result


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


def check_object(obj: Any) -> tuple[str, tuple[str, ...]] | None:
    """Why ``obj`` is not a usable Kubernetes object, and the field at fault; None when it is.

    Messages name fields and JSON types, never values (a value may be a Secret's).
    """
    if not isinstance(obj, dict):
        return f"document is a {_json_type(obj)}, not a mapping", ()
    api_version = obj.get("apiVersion")
    if api_version is None:
        return "missing apiVersion", ()
    if not isinstance(api_version, str):
        return f"apiVersion must be a string, not {_json_type(api_version)}", ("apiVersion",)
    if not api_version:
        return "apiVersion must not be empty", ("apiVersion",)
    if api_version not in _GOOD_API_VERSIONS and (
        api_version.count("/") > 1
        or api_version.startswith("/")
        or api_version.endswith("/")
        or any(c.isspace() for c in api_version)
    ):
        return f"apiVersion {api_version!r} is not group/version or version", ("apiVersion",)
    kind = obj.get("kind")
    if kind is None:
        return "missing kind", ()
    if not isinstance(kind, str):
        return f"kind must be a string, not {_json_type(kind)}", ("kind",)
    if not kind:
        return "kind must not be empty", ("kind",)
    if kind not in _GOOD_KINDS and ("/" in kind or any(c.isspace() for c in kind)):
        return f"kind {kind!r} is not a kind name", ("kind",)
    meta = obj.get("metadata")
    if meta is None:
        return "missing metadata", ()
    if not isinstance(meta, dict):
        return f"metadata must be a mapping, not {_json_type(meta)}", ("metadata",)
    name = meta.get("name")
    if name is not None and not isinstance(name, str):
        return f"metadata.name must be a string, not {_json_type(name)}", ("metadata", "name")
    if name and "/" in name:
        return "metadata.name must not contain '/'", ("metadata", "name")
    generate_name = meta.get("generateName")
    if generate_name is not None and not isinstance(generate_name, str):
        return (
            f"metadata.generateName must be a string, not {_json_type(generate_name)}",
            ("metadata", "generateName"),
        )
    if not name and not generate_name:
        return "missing metadata.name (and no metadata.generateName)", ("metadata",)
    namespace = meta.get("namespace")
    if namespace is not None:
        if not isinstance(namespace, str):
            return (
                f"metadata.namespace must be a string, not {_json_type(namespace)}",
                ("metadata", "namespace"),
            )
        if "/" in namespace:
            return "metadata.namespace must not contain '/'", ("metadata", "namespace")
    for field in ("labels", "annotations"):
        values = meta.get(field)
        if values is None:
            continue
        if not isinstance(values, dict):
            return (
                f"metadata.{field} must be a mapping, not {_json_type(values)}",
                ("metadata", field),
            )
        if not values or set(map(type, values.values())) == _ONLY_STR:
            continue  # the common case, checked in C
        for key, value in values.items():
            if not isinstance(value, str):
                return (
                    f"metadata.{field}[{key!r}] must be a string, not {_json_type(value)}"
                    " (quote it in YAML)",
                    ("metadata", field, key),
                )
    _remember(_GOOD_API_VERSIONS, api_version)
    _remember(_GOOD_KINDS, kind)
    return None


# apiVersion and kind strings already accepted: a set has few distinct ones, checked once each.
_GOOD_API_VERSIONS: set[str] = set()
_GOOD_KINDS: set[str] = set()
_GOOD_LIMIT = 4096
_ONLY_STR = {str}


def _remember(good: set[str], value: str) -> None:
    if value not in good:
        if len(good) >= _GOOD_LIMIT:
            good.clear()
        good.add(value)


def build_set(
    docs: Iterable[_Doc],
    *,
    default_namespace: str | None,
    scopes: ScopeTable | None,
    strict: bool,
    errors: list[ManifestError] | None = None,
    warnings: list[str] | None = None,
) -> ManifestSet:
    """Learn CRD scopes, key every validated document and reject duplicates."""
    errors = errors if errors is not None else []
    docs = list(docs)
    table = (scopes or ScopeTable()).with_crds(
        doc.obj for doc in docs if doc.obj.get("kind") == "CustomResourceDefinition"
    )
    resources: list[Resource] = []
    index_by_key: dict[ResourceKey, Resource] = {}
    for doc in docs:
        resource = Resource.from_object(
            doc.obj,
            scopes=table,
            default_namespace=default_namespace,
            source=SourceLocation(doc.path, doc.index, doc.line, doc.template, doc.item),
        )
        if resource.key.name:
            first = index_by_key.get(resource.key)
            if first is not None:
                duplicate = duplicate_error(resource, first)
                if strict:
                    raise duplicate
                errors.append(duplicate)
                continue
            index_by_key[resource.key] = resource
        resources.append(resource)
    return ManifestSet(
        tuple(resources), scopes=table, errors=tuple(errors), warnings=tuple(warnings or ())
    )


def objects_as_docs(objects: Iterable[Any], path: str) -> Iterator[_Doc]:
    """Validate plain objects (``ManifestSet.from_objects``); Lists are expanded; raises."""
    collector = _Collector(True, [])
    for index, obj in enumerate(objects):
        collector.add_document(obj, path, index, 1, None, None)
    return iter(collector.docs)
