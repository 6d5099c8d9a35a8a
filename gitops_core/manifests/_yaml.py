"""YAML reading the way Kubernetes reads it (sigs.k8s.io/yaml: go-yaml v2, then JSON).

- The C loader of PyYAML when it is present, the pure-Python one otherwise; same results
  (only the parser differs; resolvers and constructors are shared Python code).
- Scalars resolve like go-yaml v2, not like PyYAML: timestamps stay strings; no base-60
  numbers (``12:30`` is a string); ``08`` is the number 8, ``1e3`` is a number; ``y``/``n``
  are booleans. ``.inf`` and ``.nan`` cannot become JSON and are refused.
- Mapping keys become strings, as in JSON (``1: a`` has the key ``"1"``).
- Duplicate keys are an error (Kubernetes rejects them; PyYAML keeps the last silently).
- Documents whose aliases expand past a limit ("billion laughs") fail before they are built;
  documents larger than a limit fail before they are built.
"""

from __future__ import annotations

import bisect
import itertools
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from gitops_core.errors import (
    AliasBombError,
    DocumentTooLargeError,
    DuplicateKeyError,
    InvalidDocumentError,
    ManifestError,
    YamlSyntaxError,
)

__all__ = [
    "DEFAULT_STREAM_THRESHOLD",
    "HAVE_C_LOADER",
    "NUMBER_TAG",
    "RawDocument",
    "check_document_sizes",
    "is_number_candidate",
    "iter_yaml_documents",
    "plain_number",
    "text_size",
]

HAVE_C_LOADER: bool = bool(getattr(yaml, "__with_libyaml__", False)) and hasattr(
    yaml, "CSafeLoader"
)
"""True when PyYAML was built with libyaml; the C loader is then used."""

# Mapping keys repeat in every object: one shared string each (as json.loads shares them).
_intern = sys.intern

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
NUMBER_TAG = "tag:gitops-core,2024:number"
"""Internal tag of a plain scalar that go-yaml v2 may read as a number (the constructor decides)."""

# Plain scalars that go-yaml v2 might read as a number; the constructor decides.
_NUMBER_CANDIDATE = re.compile(r"^[-+]?(?:[0-9][0-9a-zA-Z_.+-]*|\.[0-9a-zA-Z_.+-]+)$")
_GO_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_GO_INT = re.compile(r"^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$")
_SPECIAL_FLOATS = frozenset(
    {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"}
    | {".nan", ".NaN", ".NAN"}
)
_GO_BOOLS = {"y": True, "Y": True, "n": False, "N": False}
_INT64_MIN, _UINT64_MAX = -(2**63), 2**64 - 1


class _NotJson(Exception):
    """A scalar that has no JSON value (``.inf``, ``.nan``)."""

    def __init__(self, node: Node) -> None:
        super().__init__("not representable in JSON")
        self.node = node


def _go_int(plain: str) -> int | None:
    """``strconv.ParseInt(plain, 0, 64)`` (then ParseUint), as go-yaml v2 tries it."""
    if not _GO_INT.match(plain):
        return None
    sign = -1 if plain.startswith("-") else 1
    digits = plain.lstrip("+-")
    prefix = digits[:2].lower()
    if prefix == "0x":
        value = int(digits[2:], 16)
    elif prefix == "0o":
        value = int(digits[2:], 8)
    elif prefix == "0b":
        value = int(digits[2:], 2)
    elif len(digits) > 1 and digits[0] == "0":
        value = int(digits[1:], 8)
    else:
        value = int(digits)
    value *= sign
    if _INT64_MIN <= value <= _UINT64_MAX:
        return value
    return None


def plain_number(text: str) -> int | float | str | None:
    """What go-yaml v2 reads from the plain scalar ``text``: int, else float, else the string.

    ``None`` when the value has no JSON form (``.inf``, ``.nan``, a float out of range).
    """
    if text in _SPECIAL_FLOATS:
        return None
    plain = text.replace("_", "")
    if plain:
        number = _go_int(plain)
        if number is not None:
            return number
        if _GO_FLOAT.match(plain):
            result = float(plain)
            if result in (float("inf"), float("-inf")):
                return None
            return result
    return text


def is_number_candidate(text: str) -> bool:
    """True when the loader hands the plain scalar ``text`` to :func:`plain_number`."""
    return _NUMBER_CANDIDATE.match(text) is not None


def _construct_number(loader: Any, node: Node) -> int | float | str:
    """A plain scalar resolved the go-yaml v2 way: int, else float, else the string itself."""
    value = plain_number(str(node.value))
    if value is None:
        raise _NotJson(node)
    return value


def _construct_go_bool(loader: Any, node: Node) -> bool:
    return _GO_BOOLS[str(node.value)]


def _construct_str(loader: Any, node: Node) -> str:
    return str(loader.construct_scalar(node))


def _construct_binary(loader: Any, node: Node) -> str:
    # go-yaml v2 decodes !!binary into a Go string; JSON then carries it as text.
    raw = loader.construct_yaml_binary(node)
    return bytes(raw).decode("utf-8", errors="replace")


def _construct_pairs(loader: Any, node: Node) -> Iterator[list[Any]]:
    # !!omap / !!pairs: a list of single-pair mappings, the JSON shape of the YAML text.
    result: list[Any] = []
    yield result
    if not isinstance(node, SequenceNode):
        raise yaml.constructor.ConstructorError(
            None, None, "expected a sequence of mappings", node.start_mark
        )
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))


def _json_key(key: Any, node: Node) -> str:
    """Mapping keys become strings, as sigs.k8s.io/yaml does when it converts to JSON."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        text = repr(key)
        return text[:-2] if text.endswith(".0") else text
    if key is None:
        return "null"
    raise yaml.constructor.ConstructorError(
        None, None, "a mapping or list cannot be a mapping key", node.start_mark
    )


class _DuplicateKey(Exception):
    def __init__(self, key: str, node: Node) -> None:
        super().__init__(key)
        self.key = key
        self.node = node


def _construct_map(loader: Any, node: Node) -> Iterator[dict[str, Any]]:
    data: dict[str, Any] = {}
    yield data
    if not isinstance(node, MappingNode):
        raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
    merge_keys = len([pair for pair in node.value if pair[0].tag == _MERGE_TAG])
    own = len(node.value) - merge_keys
    if merge_keys:
        loader.flatten_mapping(node)
    # "<<" pairs come first and may be overridden; only the node's own keys must be unique.
    first_own = len(node.value) - own
    seen_own: set[str] = set()
    for index, (key_node, value_node) in enumerate(node.value):
        key = _intern(_json_key(loader.construct_object(key_node), key_node))
        if index >= first_own:
            if key in seen_own:
                raise _DuplicateKey(key, key_node)
            seen_own.add(key)
        data[key] = loader.construct_object(value_node)


def _make_loader(base: type[Any]) -> type[Any]:
    class KubeLoader(base):  # type: ignore[misc]
        """Safe loader resolving scalars like go-yaml v2, refusing duplicate keys."""

    resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}
    for first, entries in base.yaml_implicit_resolvers.items():
        resolvers[first] = [
            (tag, regexp)
            for tag, regexp in entries
            if tag not in (_INT_TAG, _FLOAT_TAG, _TIMESTAMP_TAG)
        ]
    for first in "-+.0123456789":
        resolvers.setdefault(first, []).append((NUMBER_TAG, _NUMBER_CANDIDATE))
    for first in "yYnN":
        resolvers.setdefault(first, []).insert(0, (_BOOL_TAG, re.compile(r"^(?:y|Y|n|N)$")))
    KubeLoader.yaml_implicit_resolvers = resolvers
    KubeLoader.yaml_constructors = dict(base.yaml_constructors)
    KubeLoader.add_constructor(NUMBER_TAG, _construct_number)
    KubeLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    KubeLoader.add_constructor(_TIMESTAMP_TAG, _construct_str)
    KubeLoader.add_constructor("tag:yaml.org,2002:binary", _construct_binary)
    KubeLoader.add_constructor("tag:yaml.org,2002:omap", _construct_pairs)
    KubeLoader.add_constructor("tag:yaml.org,2002:pairs", _construct_pairs)
    bool_constructor = base.yaml_constructors[_BOOL_TAG]

    def construct_bool(loader: Any, node: Node) -> bool:
        if node.value in _GO_BOOLS:
            return _construct_go_bool(loader, node)
        return bool(bool_constructor(loader, node))

    KubeLoader.add_constructor(_BOOL_TAG, construct_bool)
    return KubeLoader


PureKubeLoader: type[Any] = _make_loader(yaml.SafeLoader)
"""The pure-Python loader (always available)."""
CKubeLoader: type[Any] | None = _make_loader(yaml.CSafeLoader) if HAVE_C_LOADER else None
"""The libyaml loader, when PyYAML has it."""


class RawDocument:
    """One parsed document: its value (any JSON-like value), index and lines.

    Its YAML node (for the line of a field) is kept, except for a large ``*List`` document that
    was read item by item: that one is composed again, only when a line is asked for.
    """

    __slots__ = (
        "_item_lines",
        "_node",
        "_recompose",
        "end_line",
        "index",
        "line",
        "line_offset",
        "value",
    )

    def __init__(
        self,
        value: Any,
        index: int,
        line: int,
        end_line: int,
        node: Node | None,
        *,
        line_offset: int = 0,
        item_lines: list[int] | None = None,
        recompose: Callable[[], Node] | None = None,
    ) -> None:
        self.value = value
        self.index = index
        self.line = line
        self.end_line = end_line
        self.line_offset = line_offset
        self._node = node
        self._item_lines = item_lines
        self._recompose = recompose

    @property
    def node(self) -> Node:
        """The document's YAML node (composed again for a document read item by item)."""
        if self._node is None:
            if self._recompose is None:
                raise ValueError("this document has no node")
            self._node = self._recompose()
        return self._node

    def item_lines(self) -> list[int]:
        """The 1-based line of every item of the document's ``items`` sequence (else empty)."""
        if self._item_lines is None:
            self._item_lines = [
                item.start_mark.line + 1 + self.line_offset for item in _items_of(self.node)
            ]
        return self._item_lines

    def field_line(self, field_path: tuple[str, ...], item: int | None = None) -> int | None:
        """The 1-based line of the value at ``field_path`` (in ``items[item]`` when given).

        Best effort: the line of the deepest key of the path found, ``None`` when none is.
        """
        node: Node | None = self.node
        if item is not None:
            items = _items_of(self.node)
            node = items[item] if item < len(items) else None
        if node is None:
            return None
        line = _field_line(node, field_path)
        return None if line is None else line + self.line_offset


def _items_of(node: Node) -> list[Node]:
    """The nodes of the ``items`` sequence of a mapping node, else an empty list."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == "items" and isinstance(value_node, SequenceNode):
                return list(value_node.value)
    return []


def _field_line(node: Node, field_path: tuple[str, ...]) -> int | None:
    """The 1-based line (relative to the parsed text) of the value at ``field_path`` in ``node``."""
    current = node
    line: int | None = None
    for name in field_path:
        if not isinstance(current, MappingNode):
            return line
        for key_node, value_node in current.value:
            if isinstance(key_node, ScalarNode) and key_node.value == name:
                line = key_node.start_mark.line + 1
                current = value_node
                break
        else:
            return line
    return line


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _expanded_size(node: Node, limit: int) -> int | None:
    """Nodes the document would have with every alias expanded; stops counting past ``limit``.

    ``None`` when an alias refers to a node that contains it: the expansion would be infinite.
    """
    memo: dict[int, int] = {}
    on_path: set[int] = set()  # nodes whose subtree is being walked: reaching one is a cycle
    # iterative post-order walk: deep documents must not hit the recursion limit
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        ident = id(current)
        if children_done:
            on_path.discard(ident)
            total = 1
            for child in _children(current):
                total += memo[id(child)]
                if total > limit:
                    return total
            memo[ident] = total
            continue
        if ident in memo:
            continue
        if ident in on_path:
            return None
        if isinstance(current, ScalarNode):
            memo[ident] = 1
            continue
        on_path.add(ident)
        stack.append((current, True))
        for child in _children(current):
            if id(child) in on_path:
                return None
            if id(child) not in memo:
                stack.append((child, False))
    return memo[id(node)]


# Where an alias (``*name``) or an anchor (``&name``) may start. Deliberately loose (``**bold**``
# in a description or ``&&`` in a shell line match too): they only decide which documents get
# the expansion count, and a document needs both to be a bomb.
_HINT_DELIMITERS = frozenset(" \t\r\n[{,:-")


def _hint_positions(text: str, sigil: str) -> list[int]:
    """Positions of ``sigil`` followed by a non-space, at the start of a line or after a
    delimiter (a literal search: far faster than a regex with a class at every position)."""
    positions = []
    find = text.find
    index = find(sigil)
    while index >= 0:
        after = text[index + 1 : index + 2]
        if after and not after.isspace() and (index == 0 or text[index - 1] in _HINT_DELIMITERS):
            positions.append(index)
        index = find(sigil, index + 1)
    return positions


class _Hints:
    """Positions of possible anchors and aliases in a text, to test a document's span."""

    __slots__ = ("aliases", "anchors")

    def __init__(self, text: str) -> None:
        self.aliases = _hint_positions(text, "*")
        self.anchors = _hint_positions(text, "&") if self.aliases else []

    def both_within(self, start: int, end: int) -> bool:
        return _any_within(self.anchors, start, end) and _any_within(self.aliases, start, end)


def _any_within(positions: list[int], start: int, end: int) -> bool:
    # a hint may start one character before the node (the delimiter before "*" or "&")
    index = bisect.bisect_left(positions, start - 1)
    return index < len(positions) and positions[index] < end


# A document may expand to at most this many nodes per character of its text, plus a floor;
# real manifests use aliases sparingly, a billion-laughs document exceeds this by orders.
_ALIAS_EXPANSION_PER_CHAR = 10
_ALIAS_EXPANSION_FLOOR = 100_000


def text_size(text: str) -> int:
    """Size of ``text`` in UTF-8 bytes (cheap for ASCII)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", errors="surrogatepass"))


# What PyYAML's reader (and libyaml) refuse anywhere in the text.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_DOC_MARKER = re.compile(r"^(?:---|\.\.\.)(?=[ \t\r\n]|$)", re.MULTILINE)
_LIST_KIND_LINE = re.compile(
    r"^kind:[ \t]*[\"']?[A-Za-z0-9]*List[\"']?[ \t]*(?:#.*)?$", re.MULTILINE
)


def check_document_sizes(
    text: str, *, path: str, max_document_bytes: int, line_offset: int
) -> None:
    """Refuse a document over the limit before any parsing (a ``*List`` is checked per item later).

    Splits at document markers the way the YAML parser will; a block scalar cannot hide a
    marker at column 0, so the split is exact for well-formed text.
    """
    if text_size(text) <= max_document_bytes:
        return
    starts = [0] + [match.start() for match in _DOC_MARKER.finditer(text)]
    starts.append(len(text))
    index = 0
    for begin, end in itertools.pairwise(starts):
        segment = text[begin:end]
        content = _strip_yaml_comments(segment)
        if not content:
            continue
        size = text_size(segment)
        if size > max_document_bytes and not _LIST_KIND_LINE.search(segment):
            raise DocumentTooLargeError(
                f"document is {size} bytes, more than the limit of {max_document_bytes}"
                " (raise max_document_bytes if this input is trusted)",
                path=path,
                document=index,
                line=text.count("\n", 0, begin) + 1 + line_offset,
            )
        index += 1


def _strip_yaml_comments(segment: str) -> bool:
    """True when the segment has something besides markers, comments and blank lines."""
    for line in segment.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped in ("---", "...") or stripped.startswith(("--- ", "---\t")):
            rest = stripped[3:].strip()
            if not rest or rest.startswith("#"):
                continue
        return True
    return False


def _node_size(node: Node) -> int:
    return int(node.end_mark.index - node.start_mark.index)


def _list_item_nodes(node: Node) -> list[Node] | None:
    """The item nodes of a ``kind: *List`` mapping node with an ``items`` sequence, else None."""
    if not isinstance(node, MappingNode):
        return None
    is_list = False
    items: list[Node] | None = None
    for key_node, value_node in node.value:
        key = getattr(key_node, "value", None)
        if key == "kind" and isinstance(value_node, ScalarNode):
            is_list = str(value_node.value).endswith("List")
        elif key == "items" and isinstance(value_node, SequenceNode):
            items = list(value_node.value)
    return items if is_list else None


def _loader_class(pure: bool) -> type[Any]:
    if pure or CKubeLoader is None:
        return PureKubeLoader
    return CKubeLoader


DEFAULT_STREAM_THRESHOLD = 256 * 1024
"""A ``*List`` document spanning at least this many characters is read one item at a time.

Read at call time: set ``gitops_core.manifests._yaml.DEFAULT_STREAM_THRESHOLD`` (tests set 0 to
force the streaming reader on small inputs)."""


class _Restart(Exception):
    """The item-by-item reader met something only the whole-document reader handles."""


class _Composer:
    """Composes nodes from a loader's events the way PyYAML's composer does.

    Also counts the nodes the document would have with every alias expanded (what the alias
    bomb check measures), without keeping the nodes. Anything whose error the whole-document
    reader must report (an unknown or repeated anchor, an alias inside its own anchor) raises
    :class:`_Restart`.
    """

    __slots__ = ("anchors", "expanded", "get", "open_anchors", "resolve", "sizes")

    def __init__(self, loader: Any) -> None:
        self.get: Callable[[], Any] = loader.get_event
        self.resolve: Callable[..., str] = loader.resolve
        self.anchors: dict[str, Node] = {}
        self.open_anchors: set[str] = set()
        self.sizes: dict[str, int] = {}  # expanded size of each anchored node, once asked
        self.expanded = 0  # nodes so far, aliases expanded

    def compose(self, event: Any) -> Node:
        """The node that starts with ``event`` (its last event is consumed too)."""
        kind = event.__class__
        if kind is ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = self.resolve(ScalarNode, event.value, event.implicit)
            self.expanded += 1
            scalar = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            if event.anchor is not None:
                self._anchor(event.anchor, scalar)
            return scalar
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            mapping = kind is MappingStartEvent
            node_class: type[CollectionNode] = MappingNode if mapping else SequenceNode
            end_event = MappingEndEvent if mapping else SequenceEndEvent
            children: list[Any] = []  # (key, value) pairs of a mapping, items of a sequence
            node = node_class(
                _collection_tag(event, node_class, self.resolve),
                children,
                event.start_mark,
                None,
                event.flow_style,
            )
            anchor = event.anchor
            if anchor is not None:
                self._anchor(anchor, node)
                self.open_anchors.add(anchor)
            get = self.get
            child = get()
            while child.__class__ is not end_event:
                first = self.compose(child)
                children.append((first, self.compose(get())) if mapping else first)
                child = get()
        else:  # an alias
            return self._alias(event.anchor)
        self.expanded += 1
        node.end_mark = child.end_mark
        if anchor is not None:
            self.open_anchors.discard(anchor)
        return node

    def _anchor(self, anchor: str, node: Node) -> None:
        if anchor in self.anchors:
            raise _Restart  # a repeated anchor: the ordinary reader reports it
        self.anchors[anchor] = node

    def _alias(self, anchor: str) -> Node:
        target = self.anchors.get(anchor)
        if target is None or anchor in self.open_anchors:
            raise _Restart  # an unknown alias, or one inside its own anchor (infinite)
        size = self.sizes.get(anchor)
        if size is None:
            counted = _expanded_size(target, _ALIAS_EXPANSION_CAP)
            if counted is None or counted > _ALIAS_EXPANSION_CAP:
                raise _Restart
            size = self.sizes[anchor] = counted
        self.expanded += size
        return target


# Past this many expanded nodes the item-by-item reader hands the document to the ordinary
# reader, which applies the alias bomb limit (it depends on the size of the whole document).
_ALIAS_EXPANSION_CAP = 1 << 26


def _collection_tag(event: Any, kind: type[Node], resolve: Callable[..., str]) -> str:
    """The tag of the node a mapping or sequence start event begins, resolved as PyYAML does."""
    tag = event.tag
    if tag is None or tag == "!":
        return resolve(kind, None, event.implicit)
    return str(tag)


def _over_limit(text: str, node: Node, max_document_bytes: int) -> bool:
    size = _node_size(node)
    if size * 4 > max_document_bytes:  # a character is at most 4 bytes: measure exactly
        size = text_size(text[node.start_mark.index : node.end_mark.index])
    return size > max_document_bytes


class _Streamed:
    """A document read item by item: its value and the line of every item."""

    __slots__ = ("end_index", "end_line", "item_lines", "line", "value")

    def __init__(
        self, value: Any, line: int, end_line: int, end_index: int, item_lines: list[int]
    ) -> None:
        self.value = value
        self.end_index = end_index
        self.line = line
        self.end_line = end_line
        self.item_lines = item_lines


def _stream_document(
    loader: Any, text: str, max_document_bytes: int, line_offset: int
) -> Node | _Streamed:
    """Read the next document, composing and constructing its ``items`` one at a time.

    Each item's nodes are dropped once the item is built, so a large ``kind: List`` never has
    the node graph of all its items in memory. A document with no ``items`` sequence at the top
    comes back as its whole node, for the ordinary checks. Anything this reader does not handle
    (anchors, aliases, merge keys, unusual tags, any error) raises :class:`_Restart`: the caller
    reads the document again with the whole-document reader, which gives today's answer.
    """
    composer = _Composer(loader)
    get = composer.get
    get()  # the DocumentStartEvent
    start: Any = get()
    if start.__class__ is not MappingStartEvent or start.anchor is not None:
        node = composer.compose(start)
        get()  # the DocumentEndEvent
        return node
    tag = _collection_tag(start, MappingNode, composer.resolve)
    pairs: list[tuple[Node, Node]] = []
    start_mark: Any = start.start_mark
    top = MappingNode(tag, pairs, start_mark, None, flow_style=start.flow_style)
    items: list[Any] | None = None
    item_lines: list[int] = []
    event: Any = get()
    while event.__class__ is not MappingEndEvent:
        key = composer.compose(event)
        event = get()
        if (
            items is None
            and tag == _MAP_TAG
            and event.__class__ is SequenceStartEvent
            and event.anchor is None
            and key.tag == _STR_TAG
            and key.value == "items"
            and isinstance(key, ScalarNode)
            and _collection_tag(event, SequenceNode, composer.resolve) == _SEQ_TAG
        ):
            items = []
            child: Any = get()
            while child.__class__ is not SequenceEndEvent:
                item = composer.compose(child)
                if _over_limit(text, item, max_document_bytes):
                    raise _Restart
                if composer.expanded > _ALIAS_EXPANSION_CAP:
                    raise _Restart
                items.append(loader.construct_document(item))
                item_lines.append(item.start_mark.line + 1 + line_offset)
                child = get()
            # an empty stand-in: the items are built already
            marks: tuple[Any, Any] = (event.start_mark, child.end_mark)
            stand_in = SequenceNode(_SEQ_TAG, [], *marks, flow_style=event.flow_style)
            pairs.append((key, stand_in))
        else:
            pairs.append((key, composer.compose(event)))
        event = get()
    end_mark: Any = event.end_mark
    top.end_mark = end_mark
    get()  # the DocumentEndEvent
    if items is None:
        return top
    if any(key.tag == _MERGE_TAG for key, _ in pairs):
        raise _Restart
    # the whole-document reader measures each item of a List, the whole node of anything else
    if _list_item_nodes(top) is None and _over_limit(text, top, max_document_bytes):
        raise _Restart
    # the alias bomb check of the whole-document reader, on the count made while composing
    # (the top mapping and the items sequence are two more nodes)
    if composer.sizes:
        size = _node_size(top)
        limit = max(_ALIAS_EXPANSION_FLOOR, size * _ALIAS_EXPANSION_PER_CHAR)
        if composer.expanded + 2 > limit:
            raise _Restart
    value = loader.construct_document(top)
    value["items"] = items
    return _Streamed(
        value,
        start_mark.line + 1 + line_offset,
        end_mark.line + 1 + line_offset,
        end_mark.index,
        item_lines,
    )


def _loader_at(loader_class: type[Any], text: str, ordinal: int) -> Any:
    """A new loader over ``text``, positioned before its document number ``ordinal``."""
    loader = loader_class(text)
    loader.get_event()  # the StreamStartEvent
    for _ in range(ordinal):
        while loader.get_event().__class__ is not DocumentEndEvent:
            pass
    return loader


def _recomposer(loader_class: type[Any], text: str, ordinal: int) -> Callable[[], Node]:
    def recompose() -> Node:
        loader = _loader_at(loader_class, text, ordinal)
        try:
            node: Node = loader.get_node()
            return node
        finally:
            loader.dispose()

    return recompose


# A line with something besides blanks and a comment (searched between markers, no copy).
_CONTENT_LINE = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)


class _StreamPlan:
    """Which documents of a text the item-by-item reader takes."""

    __slots__ = ("markers", "text", "threshold")

    def __init__(self, text: str, threshold: int) -> None:
        self.text = text
        self.threshold = threshold
        self.markers = [match.start() for match in _DOC_MARKER.finditer(text)]

    def takes(self, after: int) -> bool:
        """True when the next document (the one after offset ``after``) is to be streamed: it
        spans ``threshold`` characters and has a ``kind: *List`` line.

        Found from the text alone (the parser cannot be peeked at without losing the C
        loader's place); a wrong guess costs memory or time, never a different result.
        """
        markers = self.markers
        following = bisect.bisect_left(markers, after)
        first = markers[following] if following < len(markers) else len(self.text)
        start, end = after, first
        if _CONTENT_LINE.search(self.text, after, first) is None:
            # nothing before the marker: the next document starts at it
            start = first
            following += 1
            while following < len(markers) and markers[following] <= start:
                following += 1
            end = markers[following] if following < len(markers) else len(self.text)
        return (
            end - start >= self.threshold
            and _LIST_KIND_LINE.search(self.text, start, end) is not None
        )


def iter_yaml_documents(
    text: str,
    *,
    path: str,
    max_document_bytes: int,
    pure: bool = False,
    line_offset: int = 0,
    index_offset: int = 0,
    on_error: Callable[[ManifestError], None] | None = None,
    stream_threshold: int | None = None,
) -> Iterator[RawDocument]:
    """Yield each document of ``text`` (empty documents included, as ``None`` values).

    Lines are 1-based plus ``line_offset``; document indexes start at ``index_offset``.
    A syntax error ends the stream and raises :class:`YamlSyntaxError`. Errors of one document
    (:class:`DuplicateKeyError`, :class:`AliasBombError`, :class:`DocumentTooLargeError`,
    :class:`InvalidDocumentError` for values JSON cannot hold) are raised too, unless
    ``on_error`` is given: then they are passed to it and only that document is skipped.

    A ``*List`` document spanning ``stream_threshold`` characters or more (default
    :data:`DEFAULT_STREAM_THRESHOLD`) and free of anchors and aliases is read one item at a
    time, so its node graph is never whole in memory; the results are the same.
    """
    check_document_sizes(
        text, path=path, max_document_bytes=max_document_bytes, line_offset=line_offset
    )
    unreadable = _NON_PRINTABLE.search(text)
    bad_character: YamlSyntaxError | None = None
    if unreadable is not None:
        # Both loaders refuse the whole text up front; read the documents before the bad one,
        # then report it (the caller resumes after it).
        bad_line = text.count("\n", 0, unreadable.start()) + 1
        doc_start = 0
        for marker in _DOC_MARKER.finditer(text, 0, unreadable.start()):
            doc_start = marker.start()
        bad_character = YamlSyntaxError(
            f"YAML syntax error: unacceptable character #x{ord(unreadable.group()):04x}",
            path=path,
            document=index_offset,
            line=bad_line + line_offset,
        )
        text = text[:doc_start]
    loader_class = _loader_class(pure)
    try:
        loader = loader_class(text)
    except (yaml.YAMLError, UnicodeError) as exc:
        raise _syntax_error(exc, path, index_offset, line_offset) from None
    hints = _Hints(text)
    threshold = DEFAULT_STREAM_THRESHOLD if stream_threshold is None else stream_threshold
    plan: _StreamPlan | None = None
    if len(text) >= threshold and _LIST_KIND_LINE.search(text) is not None:
        plan = _StreamPlan(text, threshold)
    index = index_offset
    previous_end = 0  # where the last document ended, to find the next one in the text
    stream_started = plan is None  # check_node reads the StreamStartEvent itself
    try:
        while True:
            streamed: Node | _Streamed | None = None
            node: Node | None = None
            try:
                if not stream_started:
                    loader.get_event()  # the StreamStartEvent
                    stream_started = True
                # The C loader keeps one parsed event for check_node/get_node and another for
                # the event methods: a document is read with one or the other, never both.
                if plan is not None and plan.takes(previous_end):
                    if loader.check_event(StreamEndEvent):
                        break
                    try:
                        streamed = _stream_document(loader, text, max_document_bytes, line_offset)
                    except (
                        _Restart,
                        _DuplicateKey,
                        _NotJson,
                        yaml.YAMLError,
                        UnicodeError,
                        RecursionError,
                        ValueError,
                        TypeError,
                        OverflowError,
                    ):
                        # read this document again the ordinary way: same result, same errors
                        loader.dispose()
                        loader = _loader_at(loader_class, text, index - index_offset)
                        streamed = None
                    if isinstance(streamed, Node):
                        node, streamed = streamed, None
                    elif streamed is None:
                        node = loader.get_node()
                else:
                    if not loader.check_node():
                        break
                    node = loader.get_node()
            except (yaml.YAMLError, UnicodeError) as exc:
                raise _syntax_error(exc, path, index, line_offset) from None
            except RecursionError:
                raise YamlSyntaxError(
                    "YAML nesting is too deep", path=path, document=index, line=None
                ) from None
            if isinstance(streamed, _Streamed):
                previous_end = streamed.end_index
                yield RawDocument(
                    streamed.value,
                    index,
                    streamed.line,
                    streamed.end_line,
                    None,
                    line_offset=line_offset,
                    item_lines=streamed.item_lines,
                    recompose=_recomposer(loader_class, text, index - index_offset),
                )
                index += 1
                continue
            assert node is not None
            previous_end = node.end_mark.index
            line = node.start_mark.line + 1 + line_offset
            end_line = node.end_mark.line + 1 + line_offset
            try:
                _check_node(text, node, path, index, line, line_offset, max_document_bytes, hints)
                value = _construct(loader, node, path, index, line, line_offset)
            except ManifestError as exc:
                if on_error is None:
                    raise
                on_error(exc)
            else:
                yield RawDocument(value, index, line, end_line, node, line_offset=line_offset)
            index += 1
    finally:
        loader.dispose()
    if bad_character is not None:
        bad_character.document = index
        raise bad_character


def _check_node(
    text: str,
    node: Node,
    path: str,
    index: int,
    line: int,
    line_offset: int,
    max_document_bytes: int,
    hints: _Hints,
) -> None:
    items = _list_item_nodes(node)
    for part in items if items is not None else [node]:
        size = _node_size(part)
        if size * 4 > max_document_bytes:  # a character is at most 4 bytes: measure exactly
            size = text_size(text[part.start_mark.index : part.end_mark.index])
        if size > max_document_bytes:
            where = "a List item" if items is not None else "document"
            raise DocumentTooLargeError(
                f"{where} is {size} bytes, more than the limit of {max_document_bytes}"
                " (raise max_document_bytes if this input is trusted)",
                path=path,
                document=index,
                line=part.start_mark.line + 1 + line_offset,
            )
    if hints.both_within(node.start_mark.index, node.end_mark.index):
        size = _node_size(node)
        limit = max(_ALIAS_EXPANSION_FLOOR, size * _ALIAS_EXPANSION_PER_CHAR)
        expanded = _expanded_size(node, limit)
        if expanded is None:
            raise AliasBombError(
                "a YAML alias refers to a node that contains it (the document would be infinite)",
                path=path,
                document=index,
                line=line,
            )
        if expanded > limit:
            raise AliasBombError(
                f"YAML aliases expand to more than {limit} nodes from {size} characters"
                " (an alias bomb?)",
                path=path,
                document=index,
                line=line,
            )


def _construct(loader: Any, node: Node, path: str, index: int, line: int, line_offset: int) -> Any:
    try:
        return loader.construct_document(node)
    except _DuplicateKey as dup:
        raise DuplicateKeyError(
            f"duplicate key {dup.key!r} in a mapping",
            path=path,
            document=index,
            line=dup.node.start_mark.line + 1 + line_offset,
        ) from None
    except _NotJson as bad:
        raise InvalidDocumentError(
            "a value (.inf, .nan or a number out of range) cannot be represented in JSON",
            path=path,
            document=index,
            line=bad.node.start_mark.line + 1 + line_offset,
        ) from None
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, path, index, line_offset) from None
    except RecursionError:
        raise YamlSyntaxError(
            "YAML nesting is too deep", path=path, document=index, line=line
        ) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # never the message: it may quote a value (a Secret's)
        raise YamlSyntaxError(
            f"cannot construct the document ({type(exc).__name__})",
            path=path,
            document=index,
            line=line,
        ) from None
    finally:
        # the loader keeps constructed objects until the next document otherwise
        loader.constructed_objects = {}
        loader.recursive_objects = {}
        loader.state_generators = []
        loader.deep_construct = False


def _syntax_error(
    exc: yaml.YAMLError | UnicodeError, path: str, index: int, line_offset: int
) -> YamlSyntaxError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.context}: {exc.problem}"
    else:
        line = None
        problem = "the text cannot be read as YAML"
    problem = " ".join(str(problem).split())
    return YamlSyntaxError(f"YAML syntax error: {problem}", path=path, document=index, line=line)
