"""Properties of manifest loading: round trips, loader parity, typed errors on any input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitops_core import ManifestSet, parse_manifests
from gitops_core.errors import GitopsCoreError
from gitops_core.manifests import _yaml, dump_manifests

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Strings that YAML 1.1 / go-yaml v2 would read as something else when written bare.
TRICKY = st.sampled_from(
    [
        "y",
        "n",
        "Y",
        "N",
        "yes",
        "No",
        "on",
        "OFF",
        "true",
        "False",
        "null",
        "~",
        "",
        "08",
        "0755",
        "0o17",
        "0x1F",
        "1e3",
        "1_000",
        ".5",
        "1.",
        "12:30",
        "2024-01-01",
        "2024-01-01T00:00:00Z",
        ".inf",
        "-.inf",
        ".nan",
        "1.2.3",
        "+1",
        "-0",
        "<<",
        "=",
        "- x",
        "a: b",
        "#c",
        "'q'",
        '"',
        "&a",
        "*a",
        "!tag",
        "@",
        "%",
        "`",
        "? x",
        "|",
        ">",
        "multi\nline\n",
        "trailing \n",
        "\ttab",
        " lead",
        "trail ",
        "\u2028",
        "\x85",
        "é",
        "\U0001f600",
        "---",
        "...",
        "{}",
        "[]",
    ]
)
TEXT = st.one_of(TRICKY, st.text(max_size=12))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=4)
    ),
    max_leaves=16,
)
NAMES = st.from_regex(r"[a-z0-9]([-a-z0-9.]{0,14}[a-z0-9])?", fullmatch=True)
KINDS = st.sampled_from(
    [
        ("v1", "ConfigMap"),
        ("v1", "Secret"),
        ("v1", "Namespace"),
        ("apps/v1", "Deployment"),
        ("rbac.authorization.k8s.io/v1", "ClusterRole"),
        ("example.com/v1", "Widget"),
    ]
)


@st.composite
def k8s_objects(draw: st.DrawFn) -> dict[str, Any]:
    api_version, kind = draw(KINDS)
    metadata: dict[str, Any] = {"name": draw(NAMES)}
    if draw(st.booleans()):
        metadata["namespace"] = draw(NAMES)
    if draw(st.booleans()):
        metadata["labels"] = draw(st.dictionaries(TEXT, TEXT, max_size=3))
    if draw(st.booleans()):
        metadata["annotations"] = draw(st.dictionaries(TEXT, TEXT, max_size=3))
    obj: dict[str, Any] = {"apiVersion": api_version, "kind": kind, "metadata": metadata}
    obj["spec" if draw(st.booleans()) else "data"] = draw(JSON_VALUES)
    return obj


def _unique_key(obj: dict[str, Any]) -> tuple[str, str, str]:
    cluster_scoped = obj["kind"] in ("Namespace", "ClusterRole")
    namespace = "" if cluster_scoped else obj["metadata"].get("namespace", "")
    return obj["kind"], namespace, obj["metadata"]["name"]


OBJECT_LISTS = st.lists(k8s_objects(), min_size=1, max_size=5, unique_by=_unique_key)


def _same(left: Any, right: Any) -> bool:
    """Exact equality of JSON-like values, types included (True is not 1, 1 is not 1.0)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(
            _same(a, b) for a, b in zip(left, right, strict=True)
        )
    return bool(left == right)


def _same_set(left: ManifestSet, right: ManifestSet) -> bool:
    return left.keys() == right.keys() and all(
        _same(a.object, b.object) for a, b in zip(left, right, strict=True)
    )


@SETTINGS
@given(OBJECT_LISTS)
def test_load_dump_load_gives_the_same_set(objects: list[dict[str, Any]]) -> None:
    loaded = ManifestSet.from_objects(objects)
    for fmt, source in (("yaml", "set.yaml"), ("json", "set.json")):
        text = dump_manifests(loaded, format=fmt)  # type: ignore[arg-type]
        again = parse_manifests(text, source)
        assert _same_set(loaded, again), text
        # and once more: dumping is stable
        assert dump_manifests(again, format=fmt) == text  # type: ignore[arg-type]


@SETTINGS
@given(OBJECT_LISTS)
def test_c_and_pure_loader_agree(objects: list[dict[str, Any]]) -> None:
    if _yaml.CKubeLoader is None:
        pytest.skip("PyYAML without libyaml")
    text = dump_manifests(objects)
    with_c = parse_manifests(text)
    saved = _yaml.CKubeLoader
    _yaml.CKubeLoader = None
    try:
        pure = parse_manifests(text)
    finally:
        _yaml.CKubeLoader = saved
    assert _same_set(with_c, pure)


YAML_NOISE = st.text(alphabet=":-[]{}&*!|>'\"%@`#,?\n\t .0123456789aknmy~<=\\", max_size=6)


@st.composite
def mutated_manifests(draw: st.DrawFn) -> str:
    text = dump_manifests(draw(OBJECT_LISTS))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        start = draw(st.integers(min_value=0, max_value=len(text)))
        end = draw(st.integers(min_value=start, max_value=min(len(text), start + 8)))
        text = text[:start] + draw(YAML_NOISE) + text[end:]
    return text


@st.composite
def anchored_yaml(draw: st.DrawFn) -> str:
    """Flow-style YAML full of anchors and aliases: repeats, forward and recursive references."""

    def node(depth: int) -> str:
        kinds = ["scalar", "alias", "seq", "map"] if depth < 3 else ["scalar", "alias"]
        kind = draw(st.sampled_from(kinds))
        if kind == "alias":
            return f"*a{draw(st.integers(0, 2))}"
        anchor = f"&a{draw(st.integers(0, 2))} " if draw(st.booleans()) else ""
        if kind == "scalar":
            return anchor + "x"
        count = draw(st.integers(0, 3))
        if kind == "seq":
            return anchor + "[" + ", ".join(node(depth + 1) for _ in range(count)) + "]"
        return anchor + "{" + ", ".join(f"k{i}: {node(depth + 1)}" for i in range(count)) + "}"

    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: " + node(0) + "\n"


@settings(max_examples=100, deadline=None)
@given(anchored_yaml())
def test_anchors_and_aliases_never_hang(text: str) -> None:
    _only_typed_errors(text, "aliases.yaml")


def _only_typed_errors(text: str, source: str) -> None:
    for strict in (True, False):
        try:
            result = parse_manifests(text, source, strict=strict, max_document_bytes=4096)
        except GitopsCoreError as exc:
            assert strict, "a non-strict load collects errors instead of raising"
            assert "\n" not in str(exc)
        else:
            for error in result.errors:
                assert isinstance(error, GitopsCoreError)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=200), mutated_manifests()))
def test_any_text_gives_a_result_or_a_typed_error(text: str) -> None:
    _only_typed_errors(text, "fuzz.yaml")


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(st.text(max_size=100), OBJECT_LISTS.map(lambda o: dump_manifests(o, format="json")))
)
def test_any_json_text_gives_a_result_or_a_typed_error(text: str) -> None:
    cut = text[: len(text) // 2] if len(text) % 3 == 0 else text
    _only_typed_errors(cut, "fuzz.json")


# Plain scalars as a user writes them (go-yaml rules decide what they become).
PLAIN = st.sampled_from(["x", "y", "08", "0755", "1e3", "12:30", "2024-01-01", "null", "~", "1"])


@st.composite
def list_item_text(draw: st.DrawFn, number: int) -> str:
    """One ``- ...`` item of a block sequence, sometimes invalid, sometimes with anchors."""
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return "- " + draw(st.sampled_from(["", "just a string", "[a, b]", "{}"])) + "\n"
    lines = []
    if choice != 1:
        lines.append("apiVersion: " + draw(st.sampled_from(["v1", "apps/v1", "3"])))
    if choice != 2:
        lines.append("kind: " + draw(st.sampled_from(["ConfigMap", "Deployment", "Widget"])))
    name = draw(st.sampled_from(["a", "b", "c", f"n{number}"]))
    lines.append(f"metadata:\n  name: {name}")
    if draw(st.booleans()):
        anchor = draw(st.sampled_from(["", f"&l{number} ", "*l0 ", "*l1 "]))
        if anchor.startswith("*"):
            lines.append(f"  labels: {anchor.strip()}")
        else:
            lines.append(f"  labels: {anchor}{{app: {draw(PLAIN)}}}")
    if draw(st.booleans()):
        data = ", ".join(f"k{i}: {draw(PLAIN)}" for i in range(draw(st.integers(0, 3))))
        lines.append(f"data: {{{data}}}" if draw(st.booleans()) else f"data:\n  v: {draw(PLAIN)}")
    if draw(st.integers(0, 15)) == 0:
        lines.append("kind: Again")  # a duplicate key
    body = "\n".join(lines)
    return "- " + body.replace("\n", "\n  ") + "\n"


@st.composite
def list_documents(draw: st.DrawFn) -> str:
    """Lists with random items, extra keys and key order, among other documents."""
    items = "".join(draw(list_item_text(i)) for i in range(draw(st.integers(0, 5))))
    top = [
        "apiVersion: v1\n",
        "kind: "
        + draw(st.sampled_from(["List", "ConfigMapList", "DeploymentList", "Thing"]))
        + "\n",
        "items:\n" + items if items else "items: []\n",
    ]
    if draw(st.booleans()):
        top.append("metadata: {resourceVersion: '1'}\n")
    if draw(st.integers(0, 5)) == 0:
        top.append("spec: {}\n")
    order = draw(st.permutations(range(len(top))))
    document = "".join(top[i] for i in order)
    before = draw(
        st.sampled_from(["", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: z}\n---\n"])
    )
    after = draw(st.sampled_from(["", "---\n", "---\nkind: List\nitems: [\n", "---\nkind: List\n"]))
    return before + document + after


def _outcome(text: str, strict: bool) -> Any:
    try:
        loaded = parse_manifests(text, "list.yaml", strict=strict)
    except GitopsCoreError as exc:
        return ("raised", type(exc).__name__, str(exc))
    return (
        [str(key) for key in loaded.keys()],
        [json.dumps(resource.object) for resource in loaded],  # types too: true is not 1
        [resource.source for resource in loaded],
        [(type(error).__name__, str(error)) for error in loaded.errors],
    )


@st.composite
def mutated_lists(draw: st.DrawFn) -> str:
    text = draw(list_documents())
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        start = draw(st.integers(min_value=0, max_value=len(text)))
        end = draw(st.integers(min_value=start, max_value=min(len(text), start + 8)))
        text = text[:start] + draw(YAML_NOISE) + text[end:]
    return text


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_lists(), st.booleans())
def test_streaming_lists_gives_what_the_whole_document_reader_gives(text: str, pure: bool) -> None:
    saved = (_yaml.CKubeLoader, _yaml.DEFAULT_STREAM_THRESHOLD)
    if pure:
        _yaml.CKubeLoader = None
    try:
        for strict in (True, False):
            _yaml.DEFAULT_STREAM_THRESHOLD = 1 << 62
            whole = _outcome(text, strict)
            _yaml.DEFAULT_STREAM_THRESHOLD = 0
            streamed = _outcome(text, strict)
            assert streamed == whole, text
    finally:
        _yaml.CKubeLoader, _yaml.DEFAULT_STREAM_THRESHOLD = saved
