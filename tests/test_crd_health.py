"""The shipped Lua health checks against Argo CD's verdicts and our own edge cases.

Shared cases (``../shared/crd-health/<group>/<kind>/health_test.yaml``, Argo CD's expectations)
are read at test time: the status must agree; the message must agree too unless the case is in
``tests/fixtures/crd_health/message_differences.yaml`` with a reason. Our own cases
(``tests/fixtures/crd_health/<group>/<kind>/health_test.yaml``, same format) must agree exactly.
Every script runs with Lua libraries off, as an ``argocd-cm`` override would.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_core.health import HealthResult, default_registry, run_lua_health
from gitops_core.health._assess import group_version_kind
from gitops_core.manifests._yaml import iter_yaml_documents

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "crd-health"
FIXTURES = REPO / "tests" / "fixtures" / "crd_health"
SHIPPED = REPO / "gitops_core" / "health" / "customizations"
VALID_STATUSES = {"Healthy", "Suspended", "Progressing", "Missing", "Degraded", "Unknown"}


def _load_first_document(path: Path) -> dict[str, Any]:
    docs = iter_yaml_documents(path.read_text(), path=str(path), max_document_bytes=10_000_000)
    value = next(docs).value
    assert isinstance(value, dict), path
    return value


def _cases(root: Path) -> list[Any]:
    params = []
    if not root.is_dir():
        return params
    for test_file in sorted(root.glob("**/health_test.yaml")):
        folder = test_file.parent
        spec = yaml.safe_load(test_file.read_text())
        for raw in spec["tests"]:
            case = {
                key.lower(): value for key, value in raw.items()
            }  # keys match case-insensitively
            expected = {key.lower(): value for key, value in case["healthstatus"].items()}
            case_id = f"{folder.relative_to(root).as_posix()}/{case['inputpath']}"
            params.append(
                pytest.param(
                    folder / case["inputpath"],
                    expected.get("status") or None,  # "" is Argo CD's empty health
                    expected.get("message") or "",
                    id=case_id,
                )
            )
    return params


SHARED_CASES = _cases(SHARED)
OWN_CASES = _cases(FIXTURES)
MESSAGE_DIFFERENCES: dict[str, str] = (
    yaml.safe_load((FIXTURES / "message_differences.yaml").read_text()) or {}
)


def _pair(result: HealthResult | None) -> tuple[str | None, str]:
    assert result is not None
    return (result.status.value if result.status is not None else None), result.message


def _evaluate(obj: dict[str, Any]) -> tuple[str | None, str]:
    """The verdict through the default registry (the object's own group/kind picks the script).

    The shipped script found must come from the package, and running it with libraries off
    (an argocd-cm override's mode) must give the same verdict.
    """
    group, _, kind = group_version_kind(obj)
    override = default_registry().find_override(group, kind)
    assert override is not None, f"no shipped check for {group}/{kind}"
    assert Path(override.source).resolve().is_relative_to(SHIPPED.resolve()), override.source
    verdict = _pair(override.evaluate(obj))
    assert _pair(run_lua_health(override.script, obj, open_libs=False)) == verdict
    return verdict


@pytest.mark.parametrize(("input_path", "status", "message"), SHARED_CASES)
def test_shared_case(input_path: Path, status: str, message: str, request: Any) -> None:
    got_status, got_message = _evaluate(_load_first_document(input_path))
    assert got_status == status
    case_id = request.node.callspec.id
    if case_id in MESSAGE_DIFFERENCES:
        assert got_message != message, f"{case_id} agrees now: drop it from the allow-list"
    else:
        assert got_message == message


@pytest.mark.parametrize(("input_path", "status", "message"), OWN_CASES)
def test_own_case(input_path: Path, status: str, message: str) -> None:
    assert _evaluate(_load_first_document(input_path)) == (status, message)


def test_shared_agreement_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """Counts status and message agreement over every shared case and prints them."""
    total = status_ok = message_ok = 0
    for param in SHARED_CASES:
        input_path, status, message = param.values
        got_status, got_message = _evaluate(_load_first_document(input_path))
        total += 1
        status_ok += got_status == status
        message_ok += got_status == status and got_message == message
    with capsys.disabled():
        print(
            f"\ncrd-health shared cases: status {status_ok}/{total}, "
            f"status+message {message_ok}/{total}"
        )
    assert status_ok == total
    assert total - message_ok == len(MESSAGE_DIFFERENCES)


def test_allow_list_names_real_cases() -> None:
    ids = {param.id for param in SHARED_CASES}
    assert set(MESSAGE_DIFFERENCES) <= ids
    assert all(
        isinstance(reason, str) and reason.strip() for reason in MESSAGE_DIFFERENCES.values()
    )


SCRIPTS = sorted(SHIPPED.glob("*/*/health.lua"))
_LIBRARY_USE = re.compile(r"\b(string|math|io|debug|coroutine|os)\s*\.")
_METHOD_CALL = re.compile(r"[\w\])]:\w+\s*\(")


def test_every_shared_folder_has_a_shipped_check() -> None:
    shared = {p.parent.relative_to(SHARED).as_posix() for p in SHARED.glob("*/*/health_test.yaml")}
    shipped = {p.parent.relative_to(SHIPPED).as_posix() for p in SCRIPTS}
    assert shared - shipped == set()


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.parent.relative_to(SHIPPED).as_posix())
def test_script_is_pasteable(script: Path) -> None:
    """Starts with a comment; no library globals, string methods or goto (libraries-off mode)."""
    lines = [line for line in script.read_text().splitlines()]
    assert lines[0].startswith("-- ")
    code = "\n".join(line.split("--", 1)[0] for line in lines)
    code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', code)
    assert not _LIBRARY_USE.search(code.replace('local os = require("os")', ""))
    assert not _METHOD_CALL.search(code)
    assert "goto" not in code


_CONDITION = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            ["Ready", "Available", "Synced", "Healthy", "Progressing", "Accepted"]
        )
    },
    optional={
        "status": st.sampled_from(["True", "False", "Unknown"]),
        "reason": st.sampled_from(["", "Failed", "InsufficientPods", "UpToDate", "Creating"]),
        "message": st.text(max_size=5),
        "observedGeneration": st.integers(0, 3),
    },
)
_STATUS = st.fixed_dictionaries(
    {},
    optional={
        "conditions": st.lists(_CONDITION, max_size=3),
        "phase": st.sampled_from(["Running", "Failed", "Pending", "Bogus", ""]),
        "observedGeneration": st.integers(0, 3),
    },
)


@settings(max_examples=80, deadline=None)
@given(script=st.sampled_from(SCRIPTS), status=st.none() | _STATUS, generation=st.integers(0, 3))
def test_scripts_never_fail_on_odd_status(
    script: Path, status: dict[str, Any] | None, generation: int
) -> None:
    """Whatever the controller wrote, a shipped check gives a valid status, never a Lua error."""
    group, kind = script.parent.parent.name, script.parent.name
    obj: dict[str, Any] = {
        "apiVersion": f"{group.replace('_', 'x')}/v1",
        "kind": kind.replace("_", "Thing"),
        "metadata": {"name": "x", "generation": generation},
        "spec": {},
        "status": status,
    }
    result = run_lua_health(script.read_text(), obj, open_libs=False)
    # a Lua error would be Unknown "<string>:LINE: ..."; intended Unknowns never read like that
    assert not result.message.startswith("<string>"), result.message
    assert result.message != "Lua returned an invalid health status"
    assert result.status is None or result.status.value in VALID_STATUSES


def test_shipped_set_can_be_switched_off_or_overridden() -> None:
    """``include_shipped=False`` drops the shipped scripts; an override beats a shipped one."""
    from gitops_core.health import HealthRegistry, assess_health

    certificate = {
        "apiVersion": "cert-manager.io/v1",
        "kind": "Certificate",
        "metadata": {"name": "c", "namespace": "default"},
        "status": {"conditions": [{"type": "Ready", "status": "False", "message": "expired"}]},
    }
    assert _pair(assess_health(certificate, default_registry())) == ("Degraded", "expired")
    assert (
        HealthRegistry(include_shipped=False).find_override("cert-manager.io", "Certificate")
        is None
    )
    assert assess_health(certificate, HealthRegistry(include_shipped=False)) is None
    registry = HealthRegistry()
    registry.add_lua("cert-manager.io/Certificate", 'return {status = "Healthy", message = "ours"}')
    assert _pair(assess_health(certificate, registry)) == ("Healthy", "ours")
    wildcard = HealthRegistry()
    wildcard.add_lua("*.crossplane.io/*", 'return {status = "Suspended", message = "glob"}')
    provider = {"apiVersion": "pkg.crossplane.io/v1", "kind": "Provider", "metadata": {"name": "p"}}
    assert _pair(assess_health(provider, wildcard)) == ("Suspended", "glob")
