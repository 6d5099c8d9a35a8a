"""YAML reading the way Kubernetes reads it (sigs.k8s.io/yaml: YAML converted to JSON).

- The C loader of PyYAML when it is present, the pure-Python one otherwise; same results.
- Timestamps stay strings (no implicit ``datetime``), mapping keys become strings as in JSON.
- Duplicate keys are an error (Kubernetes rejects them; PyYAML keeps the last silently).
- Documents whose aliases expand past a limit ("billion laughs") fail before they are built.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gitops_core.errors import (
    AliasBombError,
    DocumentTooLargeError,
    DuplicateKeyError,
    YamlSyntaxError,
)

__all__ = ["HAVE_C_LOADER", "RawDocument", "iter_yaml_documents"]

try:
    _BaseLoader: type[Any] = yaml.CSafeLoader
    HAVE_C_LOADER = True
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader
    HAVE_C_LOADER = False


def _make_loader(base: type[Any]) -> type[Any]:
    class KubeLoader(base):  # type: ignore[misc]
        """Safe loader without the timestamp resolver, with duplicate-key detection."""

    # Copy the resolver table without timestamps: Kubernetes keeps them as strings.
    KubeLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    KubeLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    # An explicit !!timestamp tag is rare; keep it a string as well.
    KubeLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str)
    return KubeLoader


def _json_key(key: Any, node: Node, loader: Any) -> str:
    """Mapping keys become strings, as sigs.k8s.io/yaml does when it converts to JSON."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (int, float)):
        return str(key)
    if key is None:
        return "null"
    raise yaml.constructor.ConstructorError(
        None, None, f"mapping key of type {type(key).__name__} is not allowed", node.start_mark
    )


def _construct_str(loader: Any, node: Node) -> str:
    return str(loader.construct_scalar(node))


def _construct_map(loader: Any, node: Node) -> Iterator[dict[str, Any]]:
    data: dict[str, Any] = {}
    yield data
    if not isinstance(node, MappingNode):  # pragma: no cover - the resolver guarantees it
        raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
    own = len(node.value)
    loader.flatten_mapping(node)
    merged = len(node.value) - own  # pairs brought in by "<<" come first and may be overridden
    seen_own: set[str] = set()
    for index, (key_node, value_node) in enumerate(node.value):
        key = _json_key(loader.construct_object(key_node), key_node, loader)
        if index >= merged:
            if key in seen_own:
                raise _DuplicateKey(key, key_node)
            seen_own.add(key)
        data[key] = loader.construct_object(value_node)


class _DuplicateKey(Exception):
    def __init__(self, key: str, node: Node) -> None:
        super().__init__(key)
        self.key = key
        self.node = node


KubeLoader = _make_loader(_BaseLoader)
PureKubeLoader = _make_loader(yaml.SafeLoader)


class RawDocument:
    """One parsed document: its object (any JSON-like value), index, start line and node."""

    __slots__ = ("end_line", "index", "line", "node", "value")

    def __init__(self, value: Any, index: int, line: int, end_line: int, node: Node) -> None:
        self.value = value
        self.index = index
        self.line = line
        self.end_line = end_line
        self.node = node


def _expanded_size(node: Node, limit: int) -> int:
    """Nodes the document would have with every alias expanded; stops counting past ``limit``."""
    memo: dict[int, int] = {}

    def size(current: Node) -> int:
        cached = memo.get(id(current))
        if cached is not None:
            return cached
        total = 1
        if isinstance(current, SequenceNode):
            for child in current.value:
                total += size(child)
                if total > limit:
                    break
        elif isinstance(current, MappingNode):
            for key_node, value_node in current.value:
                total += size(key_node) + size(value_node)
                if total > limit:
                    break
        memo[id(current)] = total
        return total

    return size(node)


_ALIAS_HINT = re.compile(r"(^|[\s\[{,:-])\*[^\s]")

# A document may expand to at most this many nodes per character of its text, plus a floor;
# real manifests use aliases sparingly, a billion-laughs document exceeds this by orders.
_ALIAS_EXPANSION_PER_CHAR = 10
_ALIAS_EXPANSION_FLOOR = 100_000


def iter_yaml_documents(
    text: str, *, path: str, max_document_bytes: int, pure: bool = False
) -> Iterator[RawDocument]:
    """Yield each document of ``text`` (empty documents included, as ``None`` values).

    Raises :class:`YamlSyntaxError`, :class:`DuplicateKeyError`, :class:`AliasBombError` or
    :class:`DocumentTooLargeError`, each naming ``path``, document index and line.
    """
    loader = (PureKubeLoader if pure else KubeLoader)(text)
    may_alias = _ALIAS_HINT.search(text) is not None
    index = 0
    try:
        while True:
            try:
                if not loader.check_node():
                    break
                node = loader.get_node()
            except yaml.MarkedYAMLError as exc:
                raise _syntax_error(exc, path, index) from None
            line = node.start_mark.line + 1
            size = node.end_mark.index - node.start_mark.index
            if size > max_document_bytes:
                raise DocumentTooLargeError(
                    f"document is {size} characters, more than the limit of {max_document_bytes}"
                    " (raise max_document_bytes if this input is trusted)",
                    path=path,
                    document=index,
                    line=line,
                )
            if may_alias:
                limit = max(_ALIAS_EXPANSION_FLOOR, size * _ALIAS_EXPANSION_PER_CHAR)
                if _expanded_size(node, limit) > limit:
                    raise AliasBombError(
                        f"YAML aliases expand to more than {limit} nodes from {size} characters"
                        " (an alias bomb?)",
                        path=path,
                        document=index,
                        line=line,
                    )
            try:
                value = loader.construct_document(node)
            except _DuplicateKey as dup:
                raise DuplicateKeyError(
                    f"duplicate key {dup.key!r} in a mapping",
                    path=path,
                    document=index,
                    line=dup.node.start_mark.line + 1,
                ) from None
            except yaml.MarkedYAMLError as exc:
                raise _syntax_error(exc, path, index) from None
            except (ValueError, TypeError, RecursionError) as exc:
                raise YamlSyntaxError(
                    f"cannot construct the document: {exc}", path=path, document=index, line=line
                ) from None
            yield RawDocument(value, index, line, node.end_mark.line + 1, node)
            index += 1
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, index: int) -> YamlSyntaxError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        problem = f"{exc.context}: {exc.problem}"
    return YamlSyntaxError(f"YAML syntax error: {problem}", path=path, document=index, line=line)


def empty_document_node_is_null(node: Node) -> bool:
    """True for a document that is just ``null`` / ``~`` / empty."""
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"
