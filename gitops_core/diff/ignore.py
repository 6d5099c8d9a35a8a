"""ignoreDifferences exactly as Argo CD applies them (spec/diff.md section 9.1 and 9.3).

A rule (:class:`IgnoreDifference`) selects objects by ``group`` and ``kind`` (glob patterns; an
empty group matches only the core group) and by exact ``name``/``namespace`` (empty: any), and
says what to ignore:

- ``json_pointers``: RFC 6901 pointers, each applied as a JSON-patch ``remove``. A pointer that
  does not resolve is skipped silently, as Argo CD does; it is recorded as a warning.
- ``jq_path_expressions``: each expression ``E`` runs as ``del(E)`` (needs the ``jq`` extra). A
  syntax error is raised when the rules are compiled; a run-time error, no result, several
  results or a timeout (``jq_timeout_seconds``, default 1 s) skips that expression (warning).
- ``managed_fields_managers``: fields owned by these managers in live's ``managedFields`` that
  differ between desired and live are removed from both (see :func:`normalize_managed_fields`).

Rules are compiled once (:func:`compile_ignore_rules`) and applied to desired, live and the
last-applied object alike. Matching results are cached per group/kind, so objects of kinds no
rule names cost one dictionary look-up.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from gitops_core.diff._glob import glob_match
from gitops_core.diff._jq import (
    JqPlan,
    check_jq_expression,
    deletion_paths,
    plan_expression,
    run_jq_deletions,
)
from gitops_core.diff._jsonutil import escape_pointer_token, json_equal
from gitops_core.diff._kinds import group_of
from gitops_core.diff._managed_fields import normalize_managed_fields
from gitops_core.errors import IgnoreRuleError

__all__ = [
    "DEFAULT_JQ_TIMEOUT_SECONDS",
    "IgnoreDifference",
    "IgnoreOutcome",
    "IgnoreRules",
    "IgnoredField",
    "compile_ignore_rules",
    "normalize_managed_fields",
    "remove_json_pointer",
]

DEFAULT_JQ_TIMEOUT_SECONDS = 1.0
"""Argo CD's default deadline of one jq execution (``controller.ignore.normalizer.jq.timeout``)."""

_ENTRY_FIELDS = {
    "group": "group",
    "kind": "kind",
    "name": "name",
    "namespace": "namespace",
    "jsonPointers": "json_pointers",
    "jqPathExpressions": "jq_path_expressions",
    "managedFieldsManagers": "managed_fields_managers",
}


def _string_tuple(value: Any, field: str, rule: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise IgnoreRuleError(f"{field} must be a list of strings", rule=rule)
    for item in value:
        if not isinstance(item, str):
            raise IgnoreRuleError(f"{field} must be a list of strings", rule=rule)
    return tuple(value)


def _text(value: Any, field: str, rule: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise IgnoreRuleError(f"{field} must be a string", rule=rule)
    return value


@attrs.frozen
class IgnoreDifference:
    """One ignoreDifferences entry, with Argo CD's fields in snake case.

    ``source`` says where the rule came from (for explanations); it is not part of matching.

    >>> rule = IgnoreDifference.from_dict({"group": "apps", "kind": "Deployment",
    ...                                    "jsonPointers": ["/spec/replicas"]})
    >>> rule.matches("apps", "Deployment", "web", "shop")
    True
    """

    group: str = ""
    kind: str = ""
    name: str = ""
    namespace: str = ""
    json_pointers: tuple[str, ...] = ()
    jq_path_expressions: tuple[str, ...] = ()
    managed_fields_managers: tuple[str, ...] = ()
    source: str = attrs.field(default="", eq=False)

    @classmethod
    def from_dict(cls, entry: Mapping[str, Any], *, source: str = "") -> IgnoreDifference:
        """Read an Argo CD-shaped entry (``jsonPointers``, ``jqPathExpressions``, ...).

        Raises :class:`IgnoreRuleError` for a field of the wrong type or an unknown field.
        """
        label = source or "entry"
        if isinstance(entry, IgnoreDifference):
            return entry
        if not isinstance(entry, Mapping):
            raise IgnoreRuleError("an ignoreDifferences entry must be a mapping", rule=label)
        unknown = sorted(str(key) for key in entry if key not in _ENTRY_FIELDS)
        if unknown:
            raise IgnoreRuleError(
                f"unknown field(s) {', '.join(unknown)}; expected {', '.join(_ENTRY_FIELDS)}",
                rule=label,
            )
        return cls(
            group=_text(entry.get("group"), "group", label),
            kind=_text(entry.get("kind"), "kind", label),
            name=_text(entry.get("name"), "name", label),
            namespace=_text(entry.get("namespace"), "namespace", label),
            json_pointers=_string_tuple(entry.get("jsonPointers"), "jsonPointers", label),
            jq_path_expressions=_string_tuple(
                entry.get("jqPathExpressions"), "jqPathExpressions", label
            ),
            managed_fields_managers=_string_tuple(
                entry.get("managedFieldsManagers"), "managedFieldsManagers", label
            ),
            source=source,
        )

    def to_dict(self) -> dict[str, Any]:
        """The Argo CD-shaped dict (empty fields left out)."""
        out: dict[str, Any] = {}
        for argo_name, attr in _ENTRY_FIELDS.items():
            value = getattr(self, attr)
            if value:
                out[argo_name] = list(value) if isinstance(value, tuple) else value
        return out

    def matches(self, group: str, kind: str, name: str, namespace: str) -> bool:
        """Argo CD's match: group/kind globs, name/namespace exact or empty."""
        return (
            glob_match(self.group, group)
            and glob_match(self.kind, kind)
            and (not self.name or self.name == name)
            and (not self.namespace or self.namespace == namespace)
        )

    def describe(self) -> str:
        """A short label: where the rule came from and what it selects."""
        target = f"{self.group}/{self.kind}" if self.group else self.kind or "(no kind)"
        if self.namespace:
            target += f" namespace={self.namespace}"
        if self.name:
            target += f" name={self.name}"
        return f"{self.source} ({target})" if self.source else target


@attrs.frozen
class IgnoredField:
    """A part of an object an ignore rule removed: its JSON pointer and the rule.

    ``value`` (the removed content) is kept for explanations and never shown in ``repr``.
    """

    pointer: str
    rule: str
    value: Any = attrs.field(default=None, repr=False, eq=False)


@attrs.frozen
class IgnoreOutcome:
    """An object after the ignore rules: the new object, what was removed, what was skipped."""

    object: dict[str, Any] = attrs.field(repr=False)
    ignored: tuple[IgnoredField, ...] = ()
    failures: tuple[str, ...] = ()
    """Warnings other than pointers that did not resolve (jq failures, ...)."""
    not_found: tuple[str, ...] = ()
    """Labels of the pointer rules that did not resolve."""
    where: str = ""
    """The object the warnings name."""

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every warning: the failures, then one per pointer that did not resolve."""
        return self.failures + tuple(
            f"{self.where}: {label}{_NOT_FOUND}" for label in self.not_found
        )


_INDEX = re.compile(r"[+-]?[0-9]+")
_MISSING: Any = object()
_NOT_FOUND = ": path not found, skipped"


def _go_atoi(token: str) -> int | None:
    # evanphx/json-patch parses indexes with strconv.Atoi (sign allowed, ASCII digits only)
    return int(token) if _INDEX.fullmatch(token) else None


def _decode(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def remove_json_pointer(document: Any, pointer: str) -> tuple[Any, Any] | None:
    """Apply one RFC 6902 ``remove`` the way evanphx/json-patch does (Argo CD's library).

    Returns ``(new document, removed value)`` or ``None`` when the pointer does not resolve.
    Only the containers on the path are copied; ``document`` itself is never modified. List
    indexes may be negative (counted from the end), as that library allows.

    >>> remove_json_pointer({"a": {"b": 1, "c": 2}}, "/a/b")
    ({'a': {'c': 2}}, 1)
    >>> remove_json_pointer({"a": [1, 2, 3]}, "/a/-1")
    ({'a': [1, 2]}, 3)
    >>> remove_json_pointer({"a": 1}, "/b") is None
    True
    """
    tokens = _pointer_tokens(pointer)
    if tokens is None:
        return None
    return _remove_tokens(document, tokens)


def _pointer_tokens(pointer: str) -> tuple[str, ...] | None:
    """The decoded reference tokens of a pointer (``None`` when it has none: never resolves)."""
    parts = pointer.split("/")
    if len(parts) < 2:
        return None
    return tuple(_decode(raw) for raw in parts[1:])


def _remove_tokens(document: Any, tokens: tuple[str, ...]) -> tuple[Any, Any] | None:
    """:func:`remove_json_pointer` with the pointer already split and decoded (non-empty)."""
    chain: list[tuple[Any, Any]] = []  # (container, key) from the root down
    current = document
    for token in tokens[:-1]:
        if isinstance(current, dict):
            if token not in current:
                return None
            nxt = current[token]
            key: Any = token
        elif isinstance(current, list):
            index = _go_atoi(token)
            if index is None or index >= len(current) or index < -len(current):
                return None
            key = index % len(current)
            nxt = current[key]
        else:
            return None
        if not isinstance(nxt, (dict, list)):
            return None
        chain.append((current, key))
        current = nxt
    last = tokens[-1]
    if isinstance(current, dict):
        if last not in current:
            return None
        replacement: Any = dict(current)
        removed = replacement.pop(last)
    elif isinstance(current, list):
        index = _go_atoi(last)
        if index is None or index >= len(current) or index < -len(current):
            return None
        replacement = list(current)
        removed = replacement.pop(index)
    else:
        return None
    for container, key in reversed(chain):
        copy: Any = dict(container) if isinstance(container, dict) else list(container)
        copy[key] = replacement
        replacement = copy
    return replacement, removed


@attrs.frozen
class _Patch:
    """One compiled patch: a JSON pointer or a jq expression of one rule."""

    rule: IgnoreDifference
    pointer: str | None
    jq: str | None
    label: str
    plan: JqPlan | None = None
    tokens: tuple[str, ...] | None = attrs.field(init=False, default=None)
    """The decoded tokens of ``pointer`` (``None`` for jq patches and token-less pointers)."""
    selects_object: bool = attrs.field(init=False, default=False)
    """The rule names a namespace or a name (the patch applies to some objects of a kind)."""

    def __attrs_post_init__(self) -> None:
        if self.pointer is not None:
            object.__setattr__(self, "tokens", _pointer_tokens(self.pointer))
        object.__setattr__(self, "selects_object", bool(self.rule.name or self.rule.namespace))


def _removed_paths(before: Any, after: Any, pointer: str, out: list[tuple[str, Any]]) -> None:
    """Paths present in ``before`` and gone or changed in ``after`` (what a jq deletion took)."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            sub = f"{pointer}/{escape_pointer_token(key)}"
            if key not in after:
                out.append((sub, value))
            else:
                _removed_paths(value, after[key], sub, out)
    elif isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            out.append((pointer, before))
        else:
            for index, (value, other) in enumerate(zip(before, after, strict=True)):
                _removed_paths(value, other, f"{pointer}/{index}", out)


def _delete_paths(
    value: Any, paths: list[Any], pointer: str, removed: list[tuple[str, Any]]
) -> Any:
    """jq's ``delpaths``: the value without ``paths`` (copies on the way); ``_MISSING`` for slices.

    Paths are deleted last first (jq sorts them), so list indexes stay valid; a path whose
    parent is missing or null deletes nothing.
    """
    unique: dict[str, list[Any]] = {}
    for path in paths:
        if not isinstance(path, list) or any(
            not isinstance(step, (str, int)) or isinstance(step, bool) for step in path
        ):
            return _MISSING
        unique[json.dumps(path)] = path
    if not unique:
        return value
    ordered = sorted(unique.values(), key=_jq_path_order, reverse=True)
    result = value
    for path in ordered:
        if not path:
            return _MISSING  # deleting the value itself: leave it to jq
        outcome = _delete_one(result, path)
        if outcome is None:
            continue
        result, removed_value = outcome
        removed.append(
            (pointer + "".join("/" + escape_pointer_token(step) for step in path), removed_value)
        )
    removed.reverse()
    return result


def _jq_path_order(path: list[Any]) -> list[tuple[int, Any]]:
    # jq orders numbers before strings; lists element by element
    return [(0, step) if isinstance(step, int) else (1, step) for step in path]


def _delete_one(value: Any, path: list[Any]) -> tuple[Any, Any] | None:
    step, rest = path[0], path[1:]
    if isinstance(value, dict) and isinstance(step, str):
        if step not in value:
            return None
        if rest:
            inner = _delete_one(value[step], rest)
            if inner is None:
                return None
            copy = dict(value)
            copy[step] = inner[0]
            return copy, inner[1]
        copy = dict(value)
        return copy, copy.pop(step)
    if isinstance(value, list) and isinstance(step, int):
        index = step + len(value) if step < 0 else step
        if not 0 <= index < len(value):
            return None
        if rest:
            inner = _delete_one(value[index], rest)
            if inner is None:
                return None
            items = list(value)
            items[index] = inner[0]
            return items, inner[1]
        items = list(value)
        return items, items.pop(index)
    return None


def _select_delete(
    value: Any, select: tuple[str, Any], pointer: str, removed: list[tuple[str, Any]]
) -> Any:
    """jq's ``del(.[] | select(.FIELD == LITERAL))`` on ``value``; ``_MISSING`` when jq errors.

    jq iterates list items or map values; ``.FIELD`` of an object (missing: null) or of null is
    compared with ``==`` (JSON equality); any other item makes jq fail.
    """
    field, literal = select
    if isinstance(value, list):
        entries: Any = enumerate(value)
    elif isinstance(value, dict):
        entries = value.items()
    else:
        return _MISSING  # "Cannot iterate over ..."
    drop: list[Any] = []
    for key, item in entries:
        if isinstance(item, dict):
            found = item.get(field)
        elif item is None:
            found = None
        else:
            return _MISSING  # "Cannot index <type> with ..."
        if json_equal(found, literal):
            drop.append(key)
    if not drop:
        return value
    for key in drop:
        removed.append((f"{pointer}/{escape_pointer_token(key)}", value[key]))
    dropped = set(drop)
    if isinstance(value, list):
        return [item for index, item in enumerate(value) if index not in dropped]
    return {key: item for key, item in value.items() if key not in dropped}


_SELECTION_CACHE_SIZE = 4096
# the patches of a group/kind, whether all are JSON pointers, whether some select by name
_Selection = tuple[tuple[_Patch, ...], bool, bool]


class IgnoreRules:
    """Compiled ignoreDifferences rules; build with :func:`compile_ignore_rules`.

    Thread-safe; the per-group/kind match cache grows with the number of distinct kinds seen.
    """

    def __init__(
        self,
        entries: Sequence[IgnoreDifference],
        overrides: Mapping[str, IgnoreDifference],
        jq_timeout_seconds: float | None,
    ) -> None:
        self.entries = tuple(entries)
        self.overrides = dict(overrides)
        self.jq_timeout_seconds = jq_timeout_seconds
        patches: list[_Patch] = []
        for rule in (*self.entries, *(self.overrides[key] for key in sorted(self.overrides))):
            label = rule.describe()
            for pointer in rule.json_pointers:
                patches.append(_Patch(rule, pointer, None, f"{label} jsonPointers {pointer}"))
            for expression in rule.jq_path_expressions:
                check_jq_expression(expression, rule=label)
                plan = plan_expression(expression)
                if plan.rest is not None:
                    try:
                        check_jq_expression(plan.rest, rule=label)
                    except IgnoreRuleError:
                        plan = JqPlan(None, bounded=plan.bounded)
                patches.append(
                    _Patch(rule, None, expression, f"{label} jqPathExpressions {expression}", plan)
                )
        self._patches = tuple(patches)
        self._any_managers = any(
            rule.managed_fields_managers for rule in (*self.entries, *self.overrides.values())
        )
        self._by_group_kind: dict[tuple[str, str], _Selection] = {}
        self._by_version_kind: dict[tuple[str, str], _Selection] = {}
        self._lock = threading.Lock()
        self.warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"IgnoreRules({len(self.entries)} entries, {len(self.overrides)} overrides)"

    def __getstate__(self) -> dict[str, Any]:
        # picklable for process pools: the lock and the match cache are rebuilt
        state = dict(self.__dict__)
        del state["_lock"]
        state["_by_group_kind"] = {}
        state["_by_version_kind"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self._patches) or any(
            rule.managed_fields_managers for rule in (*self.entries, *self.overrides.values())
        )

    def _patches_for(self, group: str, kind: str) -> _Selection:
        """The patches of a group/kind, whether they are all JSON pointers, and whether some
        apply to certain names or namespaces only."""
        found = self._by_group_kind.get((group, kind))
        if found is None:
            patches = tuple(
                patch
                for patch in self._patches
                if glob_match(patch.rule.group, group) and glob_match(patch.rule.kind, kind)
            )
            pointers_only = all(patch.pointer is not None for patch in patches)
            selective = any(patch.selects_object for patch in patches)
            found = (patches, pointers_only, selective)
            with self._lock:
                self._by_group_kind[(group, kind)] = found
        return found

    @staticmethod
    def _matching(patches: tuple[_Patch, ...], name: str, namespace: str) -> tuple[_Patch, ...]:
        """The patches whose rule names no name or namespace, or this object's."""
        return tuple(
            patch
            for patch in patches
            if (not patch.rule.name or patch.rule.name == name)
            and (not patch.rule.namespace or patch.rule.namespace == namespace)
        )

    def apply_pointers(
        self, obj: dict[str, Any]
    ) -> tuple[dict[str, Any], tuple[IgnoredField, ...], tuple[str, ...]] | None:
        """:meth:`apply` for the usual case, without building an outcome record.

        When every rule of the object's group/kind is a JSON pointer for all objects of the
        kind (Argo CD's default ``/status`` rule, for one), returns ``(object, ignored,
        labels of the pointers not found)``, what :meth:`apply` would put in its outcome (no
        warnings are possible). Returns ``None`` when :meth:`apply` must run (jq rules, rules
        for some names or namespaces).
        """
        api_version = obj.get("apiVersion")
        kind = obj.get("kind")
        if type(api_version) is str and type(kind) is str:
            # memoised by the exact texts: no group split, no glob matching per object
            selection = self._by_version_kind.get((api_version, kind))
            if selection is None:
                selection = self._patches_for(group_of(api_version), kind)
                with self._lock:
                    if len(self._by_version_kind) >= _SELECTION_CACHE_SIZE:
                        self._by_version_kind.clear()
                    self._by_version_kind[(api_version, kind)] = selection
        else:
            selection = self._patches_for(
                group_of(api_version), kind if isinstance(kind, str) else ""
            )
        candidates, pointers_only, selective = selection
        if not candidates:
            return obj, (), ()
        if not pointers_only:
            return None
        if selective:
            metadata = obj.get("metadata")
            metadata = metadata if isinstance(metadata, dict) else {}
            candidates = self._matching(
                candidates, metadata.get("name") or "", metadata.get("namespace") or ""
            )
            if not candidates:
                return obj, (), ()
        return self._remove_pointers(obj, candidates)

    def _remove_pointers(
        self, obj: Mapping[str, Any], patches: tuple[_Patch, ...]
    ) -> tuple[dict[str, Any], tuple[IgnoredField, ...], tuple[str, ...]] | None:
        """Apply JSON-pointer patches in order; ``None`` when the result is not a plain dict."""
        document: Any = obj
        ignored: list[IgnoredField] = []
        not_found: list[str] = []
        for patch in patches:
            tokens = patch.tokens
            if tokens is not None and len(tokens) == 1 and type(document) is dict:
                # a top-level field (``/status``): :func:`_remove_tokens` without the walk
                if tokens[0] in document:
                    document = dict(document)
                    removed = document.pop(tokens[0])
                    ignored.append(IgnoredField(patch.pointer, patch.label, removed))  # type: ignore[arg-type]
                else:
                    not_found.append(patch.label)
                continue
            result = _remove_tokens(document, tokens) if tokens else None
            if result is None:
                # Argo CD skips a pointer that does not resolve without even logging it.
                not_found.append(patch.label)
            else:
                document, removed = result
                ignored.append(IgnoredField(patch.pointer, patch.label, removed))  # type: ignore[arg-type]
        if not isinstance(document, dict):
            return None  # the general path of :meth:`apply` reports it
        return document, tuple(ignored), tuple(not_found)

    def apply(self, obj: Mapping[str, Any] | None, *, key: str = "") -> IgnoreOutcome | None:
        """Apply every matching pointer and jq rule to ``obj`` (never modified; ``obj`` itself
        comes back when no rule removed anything).

        ``key`` names the object in warnings. ``None`` in, ``None`` out.
        """
        if obj is None:
            return None
        document: Any = obj
        api_version = obj.get("apiVersion")
        kind = obj.get("kind")
        group = group_of(api_version)
        candidates, pointers_only, _ = self._patches_for(
            group, kind if isinstance(kind, str) else ""
        )
        if not candidates:
            return IgnoreOutcome(obj)  # type: ignore[arg-type]
        metadata = obj.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        name = metadata.get("name") or ""
        namespace = metadata.get("namespace") or ""
        where = key or f"{group}/{kind}/{namespace}/{name}"
        matched = self._matching(candidates, name, namespace)
        if not matched:
            return IgnoreOutcome(obj)  # type: ignore[arg-type]
        if pointers_only:
            removed = self._remove_pointers(obj, matched)
            if removed is not None:
                return IgnoreOutcome(removed[0], removed[1], (), removed[2], where)
        ignored: list[IgnoredField] = []
        not_found: list[str] = []
        warnings: list[str] = []
        position = 0
        while position < len(matched):
            patch = matched[position]
            if patch.pointer is not None:
                result = _remove_tokens(document, patch.tokens) if patch.tokens else None
                if result is None:
                    # Argo CD skips a pointer that does not resolve without even logging it.
                    not_found.append(patch.label)
                else:
                    document, removed = result
                    ignored.append(IgnoredField(patch.pointer, patch.label, removed))
                position += 1
                continue
            position += 1
            if patch.plan is not None and patch.plan.prefix is not None:
                document = self._apply_planned(
                    patch, patch.plan, document, where, ignored, warnings
                )
                continue
            run = [patch]
            while (
                position < len(matched)
                and matched[position].jq
                and (matched[position].plan is None or matched[position].plan.prefix is None)  # type: ignore[union-attr]
            ):
                run.append(matched[position])
                position += 1
            before = document
            bounded = all(p.plan is not None and p.plan.bounded for p in run)
            document, failures = run_jq_deletions(
                [p.jq or "" for p in run], document, None if bounded else self.jq_timeout_seconds
            )
            failed = {index for index, _ in failures}
            for index, reason in failures:
                # Argo CD skips a jq patch that fails at run time and goes on with the others.
                warnings.append(f"{where}: {run[index].label}: {reason}, skipped")
            applied = [p.label for i, p in enumerate(run) if i not in failed]
            if applied and document is not before:
                removed_paths: list[tuple[str, Any]] = []
                _removed_paths(before, document, "", removed_paths)
                label = "; ".join(applied)
                ignored.extend(IgnoredField(ptr, label, value) for ptr, value in removed_paths)
        if not isinstance(document, dict):
            # a jq program may turn the object into something else; Argo CD would fail to
            # unmarshal it back and keep the object as it was
            warnings.append(f"{where}: jq rules produced a non-object, rules not applied")
            return IgnoreOutcome(dict(obj), (), tuple(warnings), tuple(not_found), where)
        return IgnoreOutcome(document, tuple(ignored), tuple(warnings), tuple(not_found), where)

    def _apply_planned(
        self,
        patch: _Patch,
        plan: JqPlan,
        document: Any,
        where: str,
        ignored: list[IgnoredField],
        warnings: list[str],
    ) -> Any:
        """``del(E)`` for an expression that starts with a key path (see :class:`JqPlan`)."""
        assert plan.prefix is not None
        chain: list[tuple[dict[str, Any], str]] = []
        current: Any = document
        for segment in plan.prefix:
            if current is None:
                return document  # jq: a path through null deletes nothing
            if not isinstance(current, dict):
                # jq: "Cannot index <type> with ..."; Argo CD skips the patch
                warnings.append(f"{where}: {patch.label}: failed at run time, skipped")
                return document
            chain.append((current, segment))
            current = current.get(segment)
        parent, last = chain[-1]
        pointer = "".join("/" + escape_pointer_token(segment) for segment in plan.prefix)
        if plan.rest is None:
            if last not in parent:
                return document
            replacement: Any = _MISSING
            ignored.append(IgnoredField(pointer, patch.label, parent[last]))
        else:
            if current is None:
                return document  # nothing to delete under a missing or null value
            removed_paths: list[tuple[str, Any]] = []
            if plan.select is not None:
                new_value = _select_delete(current, plan.select, pointer, removed_paths)
                if new_value is _MISSING:
                    warnings.append(f"{where}: {patch.label}: failed at run time, skipped")
                    return document
                if new_value is current:
                    return document
            else:
                new_value = _MISSING
                reason: str | None = "unsupported"
                if plan.bounded:
                    text = None
                    if plan.screen:
                        text = json.dumps(current, separators=(",", ":"), ensure_ascii=False)
                        if not all(literal in text for literal in plan.screen):
                            return document  # the condition cannot hold: nothing to delete
                    paths, reason = deletion_paths(plan.rest, current, text)
                    if paths is not None:
                        new_value = _delete_paths(current, paths, pointer, removed_paths)
                        if new_value is _MISSING:
                            reason = "unsupported"  # slices: let jq delete
                        elif new_value is current:
                            return document
                if reason == "unsupported":
                    timeout = None if plan.bounded else self.jq_timeout_seconds
                    new_value, failures = run_jq_deletions([plan.rest], current, timeout)
                    reason = failures[0][1] if failures else None
                    if reason is None:
                        _removed_paths(current, new_value, pointer, removed_paths)
                if reason is not None:
                    # Argo CD skips a jq patch that fails at run time and goes on with the others.
                    warnings.append(f"{where}: {patch.label}: {reason}, skipped")
                    return document
            ignored.extend(IgnoredField(ptr, patch.label, value) for ptr, value in removed_paths)
            replacement = new_value
        for container, key in reversed(chain):
            copy = dict(container)
            if replacement is _MISSING:
                del copy[key]
            else:
                copy[key] = replacement
            replacement = copy
        return replacement

    def managers_for(self, group: str, kind: str, name: str, namespace: str) -> tuple[str, ...]:
        """Trusted managers for one object (spec 9.1, last paragraph), de-duplicated in order.

        App entries match as in :meth:`IgnoreDifference.matches`; overrides are looked up by the
        exact key ``group/kind`` and ``*/*`` only. Deliberate difference: for core kinds the
        override key ``Kind`` is found too (Argo CD looks up ``/Kind`` and never finds it).
        """
        managers: list[str] = []
        for rule in self.entries:
            if rule.managed_fields_managers and rule.matches(group, kind, name, namespace):
                managers.extend(rule.managed_fields_managers)
        keys = [f"{group}/{kind}", "*/*"] if group else [f"/{kind}", kind, "*/*"]
        for override_key in keys:
            override = self.overrides.get(override_key)
            if override is not None:
                managers.extend(override.managed_fields_managers)
        return tuple(dict.fromkeys(managers))

    def normalize_managed_fields(
        self, desired: dict[str, Any] | None, live: dict[str, Any] | None
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None, tuple[IgnoredField, ...]]:
        """Apply managedFieldsManagers to a pair (only when both objects exist).

        The ``value`` of each returned :class:`IgnoredField` is ``(desired value, live value)``.
        """
        if desired is None or live is None:
            return desired, live, ()
        if not self._any_managers:
            return desired, live, ()  # no rule names a manager: nothing to look up
        api_version = live.get("apiVersion")
        group = group_of(api_version)
        kind = live.get("kind") if isinstance(live.get("kind"), str) else ""
        raw_metadata = live.get("metadata")
        metadata: dict[str, Any] = raw_metadata if isinstance(raw_metadata, dict) else {}
        managers = self.managers_for(
            group, str(kind), str(metadata.get("name") or ""), str(metadata.get("namespace") or "")
        )
        if not managers:
            return desired, live, ()
        new_desired, new_live, removed = normalize_managed_fields(desired, live, managers)
        label = f"managedFieldsManagers {', '.join(managers)}"
        return (
            new_desired,
            new_live,
            tuple(IgnoredField(ptr, label, (d, lv)) for ptr, d, lv in removed),
        )


def _override_rule(key: str, value: Any, source: str) -> IgnoreDifference:
    if isinstance(value, IgnoreDifference):
        rule = value
    else:
        if not isinstance(value, Mapping):
            raise IgnoreRuleError("an override's ignoreDifferences must be a mapping", rule=key)
        rule = IgnoreDifference.from_dict(value, source=source or f"override {key}")
    group, sep, kind = key.rpartition("/")
    if not sep:
        group, kind = "", key
    elif "/" in group:
        raise IgnoreRuleError("an override key is group/kind or kind", rule=key)
    return attrs.evolve(
        rule, group=group, kind=kind, name="", namespace="", source=rule.source or f"override {key}"
    )


def compile_ignore_rules(
    ignore_differences: Iterable[IgnoreDifference | Mapping[str, Any]] = (),
    overrides: Mapping[str, IgnoreDifference | Mapping[str, Any]] | None = None,
    *,
    jq_timeout_seconds: float | None = DEFAULT_JQ_TIMEOUT_SECONDS,
) -> IgnoreRules:
    """Compile app-level entries and ``group/kind``-keyed override entries once.

    ``ignore_differences`` are Application ``spec.ignoreDifferences`` entries (records or
    Argo CD-shaped dicts). ``overrides`` maps ``group/kind`` (or ``Kind`` for the core group;
    globs allowed, ``*/*`` for all) to an override's ``ignoreDifferences`` (``jsonPointers``,
    ``jqPathExpressions``, ``managedFieldsManagers``). ``jq_timeout_seconds=None`` runs jq in
    this process without a deadline (faster; only for trusted expressions).

    Raises :class:`IgnoreRuleError` for a malformed entry or a jq expression that does not
    compile, and :class:`~gitops_core.errors.JqUnavailableError` when jq rules exist but the
    ``jq`` extra is not installed.
    """
    if jq_timeout_seconds is not None and (
        isinstance(jq_timeout_seconds, bool)
        or not isinstance(jq_timeout_seconds, (int, float))
        or jq_timeout_seconds <= 0
    ):
        raise IgnoreRuleError("jq_timeout_seconds must be a positive number or None")
    entries = [
        IgnoreDifference.from_dict(entry, source=f"ignoreDifferences[{index}]")
        if not isinstance(entry, IgnoreDifference)
        else entry
        for index, entry in enumerate(ignore_differences)
    ]
    compiled_overrides: dict[str, IgnoreDifference] = {}
    warnings: list[str] = []
    for key, value in (overrides or {}).items():
        if not isinstance(key, str) or key.count("/") > 1:
            # Argo CD only logs a malformed override key and goes on without it
            warnings.append(f"override key {key!r} is not group/kind or kind: ignored")
            continue
        compiled_overrides[key] = _override_rule(key, value, "")
    rules = IgnoreRules(entries, compiled_overrides, jq_timeout_seconds)
    rules.warnings = tuple(warnings)
    return rules
