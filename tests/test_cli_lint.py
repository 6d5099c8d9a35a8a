"""``gitops-core lint``: exit codes, output formats (text, JSON, SARIF) and policy modules."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from gitops_core.cli.main import main
from gitops_core.policy import default_registry

FIXTURES = Path(__file__).parent / "fixtures" / "policy_cli"
APP = str(FIXTURES / "app.yaml")
CLEAN = str(FIXTURES / "clean.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lint", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "exit_code"),
    [
        pytest.param([CLEAN], 0, id="clean"),
        pytest.param([APP], 1, id="errors-fail"),
        pytest.param([APP, "--disable", "GC003", "--disable", "GC014"], 0, id="only-warnings"),
        pytest.param(
            [APP, "--disable", "GC003", "--disable", "GC014", "--fail-on", "warning"],
            1,
            id="fail-on-warning",
        ),
        pytest.param([APP, "--select", "GC00*", "--disable", "GC003"], 0, id="prefix-select"),
        pytest.param([APP, "--disable", "GC999"], 2, id="unknown-code"),
        pytest.param([str(FIXTURES / "missing.yaml")], 2, id="missing-file"),
        pytest.param([APP, "--policy", "no_such_policy_module"], 2, id="bad-policy-module"),
    ],
)
def test_exit_codes(capsys: pytest.CaptureFixture[str], argv: list[str], exit_code: int) -> None:
    code, _, err = run(capsys, *argv, "--no-entry-points")
    assert code == exit_code, err
    if exit_code == 2:
        assert err.startswith("gitops-core: error:")


def test_text_output_names_file_line_and_never_the_secret(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, APP)
    assert code == 1
    assert f"{APP}:1: error GC003 /ConfigMap/shop/cfg: unknown sync option 'PruneLast=True'" in out
    assert f"{APP}:9: warning GC008 batch/Job/shop/migrate" in out
    assert "hunter2" not in out
    assert out.rstrip().endswith("2 error(s), 1 warning(s), 0 info (14 checks)")


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, APP, "-o", "json")
    document = json.loads(out)
    assert code == 1
    assert [f["code"] for f in document["findings"]] == ["GC003", "GC008", "GC014"]
    assert document["counts"] == {"error": 2, "warning": 1, "info": 0}
    assert "hunter2" not in out


def test_sarif_output_places_results_on_relative_files(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, APP, "-o", "sarif", "--base", str(FIXTURES.parent))
    log = json.loads(out)
    assert code == 1
    assert log["version"] == "2.1.0"
    sarif_run = log["runs"][0]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][:3] == ["GC001", "GC002", "GC003"]
    results = sarif_run["results"]
    assert [r["ruleId"] for r in results] == ["GC003", "GC008", "GC014"]
    location = results[1]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "policy_cli/app.yaml", "uriBaseId": "SRCROOT"}
    assert location["region"] == {"startLine": 9}
    assert results[0]["level"] == "error" and results[1]["level"] == "warning"
    assert rules[results[2]["ruleIndex"]]["id"] == "GC014"
    assert sarif_run["originalUriBaseIds"]["SRCROOT"]["uri"].endswith("/fixtures/")
    assert "hunter2" not in out


def test_policy_module_from_file(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code, out, _ = run(
            capsys, CLEAN, "--policy", str(FIXTURES / "acme_policy.py"), "--select", "ACME001"
        )
    finally:
        default_registry().unregister("ACME001")
        for name in [n for n in sys.modules if n.startswith("gitops_core_policy_")]:
            del sys.modules[name]
    assert code == 1
    assert "error ACME001 /ConfigMap/shop/cfg: ConfigMap has no owner label" in out


def test_list_checks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list-checks", "-o", "json")
    codes = [c["code"] for c in json.loads(out)]
    assert code == 0
    assert codes[:3] == ["GC001", "GC002", "GC003"]


def test_each_path_is_an_application(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, APP, CLEAN, "--each", "-o", "json", "--select", "GC003")
    apps = [f["app"] for f in json.loads(out)["findings"]]
    assert code == 1
    assert apps == [APP]


def test_cluster_facts_and_argocd_cm(capsys: pytest.CaptureFixture[str]) -> None:
    widget = str(FIXTURES / "widget.yaml")
    code, out, _ = run(capsys, widget, "--fail-on", "warning")
    assert code == 1 and "GC005" in out
    code, out, _ = run(capsys, widget, "--fail-on", "warning", "--known-kind", "example.com/Widget")
    assert code == 0, out
    code, out, _ = run(capsys, CLEAN, "--argocd-cm", str(FIXTURES / "argocd-cm.yaml"))
    assert code == 1
    assert "GC013 [" not in out and "health override 'example.com/Widget' uses string" in out
    code, _, err = run(capsys, CLEAN, "--known-kind", "Widget")
    assert code == 2 and "GROUP/KIND" in err


def test_sarif_from_standard_input_has_no_file_uri(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(Path(APP).read_text(encoding="utf-8")))
    code, out, _ = run(capsys, "-", "-o", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert code == 1 and len(results) == 3
    assert all("physicalLocation" not in r["locations"][0] for r in results)
    assert results[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == (
        "/ConfigMap/shop/cfg"
    )
