"""Run ``health_test.yaml`` files the way Argo CD's harness does (``util/lua/health_test.go``).

For every ``health_test.yaml`` under the given directories, each entry of its ``tests`` list
names an input object (``inputPath``, relative to the file) and the expected ``healthStatus``
(``status`` and ``message``; keys match case-insensitively, as sigs.k8s.io/yaml decodes them).
The object is the **first** YAML document of the input, timestamps kept as strings. The script
is chosen from the object's own ``apiVersion``/``kind`` through the registry lookup over the
given directories (not from the folder the test lives in), run with libraries on, and the
status and message must be exactly equal. A script error fails the case.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from gitops_core.errors import GitopsCoreError, LuaTestError
from gitops_core.health.lua import DEFAULT_LIMITS, LuaLimits
from gitops_core.health.registry import HealthRegistry

__all__ = ["LuaTestCase", "LuaTestReport", "find_test_files", "run_lua_tests"]

TEST_FILE = "health_test.yaml"


@attrs.frozen
class LuaTestCase:
    """One case of a ``health_test.yaml`` and its outcome.

    ``dir`` is the folder of the test file, ``input`` the ``inputPath`` as written, ``script``
    the ``health.lua`` that ran (``None`` when no script matched), ``error`` why the case could
    not produce a health (no script, script error), else ``None``.
    """

    dir: str
    input: str
    expected_status: str
    expected_message: str
    actual_status: str | None
    actual_message: str | None
    script: str | None = None
    error: str | None = None

    @property
    def passed(self) -> bool:
        """Exact equality of status and message, and no error."""
        return (
            self.error is None
            and self.actual_status == self.expected_status
            and self.actual_message == self.expected_message
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON record: ``dir``, ``input``, ``expected``, ``actual``, ``passed``."""
        actual: dict[str, Any] | None = None
        if self.actual_status is not None or self.error is not None:
            actual = {"status": self.actual_status or "", "message": self.actual_message or ""}
            if self.error is not None:
                actual["error"] = self.error
        return {
            "dir": self.dir,
            "input": self.input,
            "expected": {"status": self.expected_status, "message": self.expected_message},
            "actual": actual,
            "passed": self.passed,
        }


@attrs.frozen
class LuaTestReport:
    """Every case run, in file order; ``files`` is the number of test files read."""

    cases: tuple[LuaTestCase, ...]
    files: int

    @property
    def failures(self) -> tuple[LuaTestCase, ...]:
        """The cases that did not pass."""
        return tuple(case for case in self.cases if not case.passed)

    @property
    def ok(self) -> bool:
        """True when every case passed."""
        return not self.failures


def find_test_files(directories: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every ``health_test.yaml`` under the directories, sorted; raises on a missing directory."""
    found: list[Path] = []
    for directory in directories:
        root = Path(directory)
        if root.is_file() and root.name == TEST_FILE:
            found.append(root)
            continue
        if not root.is_dir():
            raise LuaTestError("no such directory", path=str(root))
        for folder, dirnames, filenames in os.walk(root):
            dirnames.sort()
            if TEST_FILE in filenames:
                found.append(Path(folder) / TEST_FILE)
    return found


def _tree_root(directory: Path) -> Path:
    """The ``resource_customizations`` root a user pointed into (a tree, a group, a kind)."""
    if (directory / "health.lua").is_file():
        return directory.parent.parent
    try:
        children = [child for child in directory.iterdir() if child.is_dir()]
    except OSError:
        return directory
    kind_level = any((child / "health.lua").is_file() for child in children)
    deeper = any(
        (grandchild / "health.lua").is_file()
        for child in children
        for grandchild in child.iterdir()
        if grandchild.is_dir()
    )
    if kind_level and not deeper:
        return directory.parent
    return directory


def _first_document(path: Path) -> Any:
    from gitops_core.manifests._yaml import iter_yaml_documents

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LuaTestError("input file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LuaTestError(f"cannot read: {exc}", path=str(path)) from None
    try:
        for document in iter_yaml_documents(text, path=str(path), max_document_bytes=64 << 20):
            return document.value
    except GitopsCoreError as exc:
        raise LuaTestError(str(exc), path=str(path)) from None
    return None


def _field(mapping: Mapping[str, Any], name: str) -> Any:
    """Case-insensitive field lookup (Go's encoding/json); the last matching key wins."""
    value = None
    for key in sorted(mapping, key=str):
        if isinstance(key, str) and key.lower() == name.lower():
            value = mapping[key]
    return value


def _text_field(mapping: Mapping[str, Any], name: str, path: Path, where: str) -> str:
    value = _field(mapping, name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise LuaTestError(f"{where}.{name} must be a string", path=str(path))
    return value


def _cases_of(test_file: Path) -> list[tuple[str, str, str]]:
    document = _first_document(test_file)
    if document is None:
        return []
    if not isinstance(document, dict):
        raise LuaTestError("expected a map with a 'tests' list", path=str(test_file))
    tests = _field(document, "tests")
    if tests is None:
        return []
    if not isinstance(tests, list):
        raise LuaTestError("'tests' must be a list", path=str(test_file))
    cases = []
    for index, entry in enumerate(tests):
        where = f"tests[{index}]"
        if not isinstance(entry, dict):
            raise LuaTestError(f"{where} must be a map", path=str(test_file))
        input_path = _text_field(entry, "inputPath", test_file, where)
        if not input_path:
            raise LuaTestError(f"{where} has no inputPath", path=str(test_file))
        status = _field(entry, "healthStatus") or {}
        if not isinstance(status, dict):
            raise LuaTestError(f"{where}.healthStatus must be a map", path=str(test_file))
        cases.append(
            (
                input_path,
                _text_field(status, "status", test_file, where + ".healthStatus"),
                _text_field(status, "message", test_file, where + ".healthStatus"),
            )
        )
    return cases


def run_lua_tests(
    directories: Sequence[str | os.PathLike[str]],
    *,
    include_shipped: bool = False,
    lua_limits: LuaLimits | None = None,
) -> LuaTestReport:
    """Run every ``health_test.yaml`` under ``directories`` (see the module docstring).

    Scripts are looked up in the trees the directories belong to (a directory may be a tree
    root, a group folder or a kind folder), then in the shipped scripts when
    ``include_shipped``. Raises :class:`~gitops_core.errors.LuaTestError` for unreadable test
    files or inputs and when there is no test file at all.
    """
    from gitops_core.health.lua._engine import engine

    test_files = find_test_files(directories)
    if not test_files:
        raise LuaTestError(f"no {TEST_FILE} under " + ", ".join(str(d) for d in directories))
    roots: list[Path] = []
    for directory in directories:
        path = Path(directory)
        root = _tree_root(path.parent if path.is_file() else path)
        if root not in roots:
            roots.append(root)
    registry = HealthRegistry(directories=roots, include_shipped=include_shipped)
    limits = lua_limits or DEFAULT_LIMITS
    runner = engine()
    cases: list[LuaTestCase] = []
    for test_file in test_files:
        folder = test_file.parent
        for input_path, expected_status, expected_message in _cases_of(test_file):
            obj = _first_document(folder / input_path)
            base = {
                "dir": str(folder),
                "input": input_path,
                "expected_status": expected_status,
                "expected_message": expected_message,
            }
            if not isinstance(obj, dict):
                raise LuaTestError(
                    "input is not a Kubernetes object", path=str(folder / input_path)
                )
            override = registry.override_for(obj)
            if override is None:
                api_version, kind = obj.get("apiVersion", ""), obj.get("kind", "")
                cases.append(
                    LuaTestCase(
                        **base,
                        actual_status=None,
                        actual_message=None,
                        error=f"no health.lua for apiVersion {api_version!r} kind {kind!r}",
                    )
                )
                continue
            result, failed = runner.run_health_detailed(
                override.script, obj, True, limits.instructions, limits.timeout, limits.memory
            )
            status = result.status.value if result.status is not None else ""
            cases.append(
                LuaTestCase(
                    **base,
                    actual_status=status,
                    actual_message=result.message,
                    script=override.source,
                    error=f"script error: {result.message}" if failed else None,
                )
            )
    return LuaTestReport(tuple(cases), len(test_files))
