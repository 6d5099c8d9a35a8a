"""Manifest loading, driven by the cases in ``tests/fixtures/manifests/<case>/``.

Each case directory holds input files and an ``expected.yaml``:

- ``description``: what the case shows.
- ``paths``: what to load, relative to the case directory (default: every entry but
  ``expected.yaml``, sorted); ``shared``: paths under ``../shared`` instead; ``stdin``: a file
  fed as ``-``; ``text``: parse this file with ``parse_manifests`` (``source`` names it).
- ``namespace``, ``strict``, ``max_document_bytes``: the loader's arguments.
- ``keys``: the keys loaded, in order; ``count``; ``count_by_kind``.
- ``sources``: ``{key: {line, document, template, item, path}}`` to check.
- ``values``: ``[{key, path: [field, ...], equals}]``: loaded values, compared as JSON values
  (types must match: ``"1"``, ``1`` and ``true`` differ; ``1`` and ``1.0`` do not).
- ``error``: ``{class, path, document, line, message}`` raised by a strict load; ``errors``:
  the list collected by a non-strict load; ``warnings``: substrings of the warnings.

Every case runs with the C loader (when PyYAML has it) and with the pure-Python one, unless
``loaders`` names only some of them (``[c]`` for large inputs, to keep the suite fast). Each
loader runs twice: as users get it, and with the streaming threshold at 0 (``-stream`` ids), so
every ``*List`` document is read item by item; the expectations are the same. ``stream``:
``{streamed: N, restarted: N}`` counts, in the ``-stream`` runs, the documents read item by
item and those handed back to the whole-document reader.
"""

from __future__ import annotations

import io
import pickle
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

import gitops_core.errors as errors_module
from gitops_core import ManifestSet, load_manifests, parse_manifests
from gitops_core.errors import GitopsCoreError, ManifestError
from gitops_core.manifests import _yaml

FIXTURES = Path(__file__).parent / "fixtures" / "manifests"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.yaml").is_file())
LOADERS = ["c", "pure"] if _yaml.CKubeLoader is not None else ["pure"]
MODES = [f"{loader}{suffix}" for loader in LOADERS for suffix in ("", "-stream")]


def shared_dir() -> Path:
    """``../shared`` beside the repository (CI), or the nearest ``shared`` above it."""
    here = Path(__file__).resolve().parents[1]
    for parent in (here, *here.parents):
        candidate = parent.parent / "shared"
        if (candidate / "examples").is_dir():
            return candidate
    return here.parent / "shared"


def _load_case(
    case: Path, expected: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> ManifestSet:
    kwargs: dict[str, Any] = {"strict": expected.get("strict", True)}
    if "namespace" in expected:
        kwargs["default_namespace"] = expected["namespace"]
    if "max_document_bytes" in expected:
        kwargs["max_document_bytes"] = expected["max_document_bytes"]
    if "text" in expected:
        text = (case / expected["text"]).read_text(encoding="utf-8")
        return parse_manifests(text, expected.get("source", expected["text"]), **kwargs)
    if "stdin" in expected:
        data = (case / expected["stdin"]).read_text(encoding="utf-8")
        monkeypatch.setattr("sys.stdin", io.StringIO(data))
        return load_manifests(["-"], **kwargs)
    if "shared" in expected:
        paths = [str(shared_dir() / p) for p in expected["shared"]]
    elif "paths" in expected:
        paths = list(expected["paths"])
    else:
        paths = sorted(p.name for p in case.iterdir() if p.name != "expected.yaml")
    return load_manifests(paths, **kwargs)


def _json_equal(actual: Any, expected: Any) -> bool:
    """Equality of JSON values: 1 == 1.0, but true != 1 and "1" != 1."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, (int, float)):
        return isinstance(actual, (int, float)) and actual == expected
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(_json_equal(actual[k], expected[k]) for k in expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_json_equal(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return type(actual) is type(expected) and actual == expected


def _check_error(error: ManifestError, want: dict[str, Any]) -> None:
    assert type(error).__name__ == want["class"], str(error)
    assert isinstance(error, getattr(errors_module, want["class"]))
    for field in ("path", "document", "line"):
        if field in want:
            assert getattr(error, field) == want[field], f"{field} of {error}"
    if "message" in want:
        assert want["message"] in str(error)
    if "first" in want:
        assert want["first"] in getattr(error, "first", "")
    # picklable (process pools) with every field
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error)
    assert (copy.path, copy.document, copy.line) == (error.path, error.document, error.line)
    # one line a user can act on, naming where
    text = str(error)
    assert "\n" not in text
    if error.path:
        assert text.startswith(error.path)


def _count_streaming(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Force the item-by-item reader and count how each document it was offered ended."""
    counts: Counter[str] = Counter()
    read = _yaml._stream_document

    def counting(*args: Any) -> Any:
        try:
            result = read(*args)
        except Exception:
            counts["restarted"] += 1
            raise
        counts["streamed" if isinstance(result, _yaml._Streamed) else "whole"] += 1
        return result

    monkeypatch.setattr(_yaml, "DEFAULT_STREAM_THRESHOLD", 0)
    monkeypatch.setattr(_yaml, "_stream_document", counting)
    return counts


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case_name", CASES)
def test_manifest_case(case_name: str, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    case = FIXTURES / case_name
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    loader, _, streaming = mode.partition("-")
    if loader not in expected.get("loaders", LOADERS):
        pytest.skip(f"case runs with the {' and '.join(expected['loaders'])} loader only")
    if loader == "pure":
        monkeypatch.setattr(_yaml, "CKubeLoader", None)
    counts = _count_streaming(monkeypatch) if streaming else None
    monkeypatch.chdir(case)
    if "error" in expected:
        with pytest.raises(ManifestError) as caught:
            _load_case(case, expected, monkeypatch)
        _check_error(caught.value, expected["error"])
        _check_streaming(counts, expected)
        return
    loaded = _load_case(case, expected, monkeypatch)
    _check_streaming(counts, expected)
    if "keys" in expected:
        assert [str(k) for k in loaded.keys()] == expected["keys"]
    if "count" in expected:
        assert len(loaded) == expected["count"]
    if "count_by_kind" in expected:
        assert dict(Counter(r.kind for r in loaded)) == expected["count_by_kind"]
    for key, want in (expected.get("sources") or {}).items():
        resource = loaded[key] if not key.startswith("#") else loaded[int(key[1:])]
        source = resource.source
        assert source is not None
        for field, value in want.items():
            attr = {"document": "document_index"}.get(field, field)
            assert getattr(source, attr) == value, f"{field} of {key}"
    for check in expected.get("values") or []:
        value: Any = loaded[check["key"]].object
        for part in check["path"]:
            value = value[part]
        assert _json_equal(value, check["equals"]), (check, value)
    want_errors = expected.get("errors") or []
    assert len(loaded.errors) == len(want_errors), [str(e) for e in loaded.errors]
    for error, want in zip(loaded.errors, want_errors, strict=True):
        _check_error(error, want)
    for substring in expected.get("warnings") or []:
        assert any(substring in w for w in loaded.warnings), loaded.warnings


def _check_streaming(counts: Counter[str] | None, expected: dict[str, Any]) -> None:
    if counts is None or "stream" not in expected:
        return
    for outcome, number in expected["stream"].items():
        assert counts[outcome] == number, f"{outcome}: {dict(counts)}"


def test_every_case_checks_something() -> None:
    checks = {"keys", "count", "count_by_kind", "error", "errors", "values", "sources"}
    for case_name in CASES:
        expected = yaml.safe_load((FIXTURES / case_name / "expected.yaml").read_text())
        assert checks & set(expected), case_name


def test_there_are_thirty_malformed_cases() -> None:
    malformed = [
        c
        for c in CASES
        if {"error", "errors"} & set(yaml.safe_load((FIXTURES / c / "expected.yaml").read_text()))
    ]
    assert len(malformed) >= 30


def test_errors_are_typed() -> None:
    with pytest.raises(GitopsCoreError):
        parse_manifests("a: [")


def test_docstring_examples() -> None:
    import doctest

    from gitops_core import resource
    from gitops_core.manifests import _dump, _load

    for module in (resource, _load, _dump):
        failures, tried = doctest.testmod(module)
        assert failures == 0, module.__name__
        assert tried > 0, module.__name__
