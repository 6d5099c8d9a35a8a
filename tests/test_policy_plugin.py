"""The pytest plugin (fixtures and assertions), run in a sandbox with ``pytester``.

Also runs ``examples/policies/test_shop_policies.py``, the example policy test, so the suite
keeps it working.
"""

from __future__ import annotations

import shutil
from importlib.metadata import entry_points
from pathlib import Path

import pytest

# imported before pytester snapshots sys.modules: the YAML C loader cannot be imported twice
import gitops_core.policy.pytest_plugin  # noqa: F401

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]
MANIFESTS = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {mode: production}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations: {argocd.argoproj.io/sync-wave: "1"}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:1.0"}]
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: migrate-
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: "web:1.0"}]
"""
LIVE = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {mode: debug}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, generation: 1}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:1.0"}]
status:
  observedGeneration: 1
  replicas: 1
  updatedReplicas: 1
  readyReplicas: 1
  availableReplicas: 1
  conditions: [{type: Progressing, status: "False", reason: ProgressDeadlineExceeded}]
"""


def _plugin_args() -> list[str]:
    """``-p`` the plugin unless it is installed (then its entry point already loads it)."""
    installed = any(ep.name == "gitops_core" for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", "gitops_core.policy.pytest_plugin"]


@pytest.fixture
def sandbox(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".yaml", app=MANIFESTS, live=LIVE)
    return pytester


def test_three_line_policy_test_passes(sandbox: pytest.Pytester) -> None:
    sandbox.makepyfile(
        """
        from gitops_core.policy.pytest_plugin import assert_applied_before, assert_no_findings

        def test_shop(gitops_app):
            app = gitops_app("app.yaml", live="live.yaml", namespace="shop")
            assert_no_findings(app)
            assert_applied_before(app, "Job/migrate-*", "Deployment/web")
            assert_applied_before(app, "Namespace/shop", "ConfigMap/web-config")
        """
    )
    result = sandbox.runpytest(*_plugin_args())
    result.assert_outcomes(passed=1)


def test_failures_are_readable(sandbox: pytest.Pytester) -> None:
    sandbox.makepyfile(
        """
        from gitops_core.policy.pytest_plugin import (
            assert_applied_before, assert_healthy, assert_in_sync, assert_no_findings,
        )

        def test_in_sync(gitops_app):
            assert_in_sync(gitops_app("app.yaml", live="live.yaml", namespace="shop"))

        def test_healthy(gitops_app):
            assert_healthy(gitops_app("app.yaml", live="live.yaml", namespace="shop"), "Deployment/web")

        def test_order(gitops_app):
            assert_applied_before(gitops_app("app.yaml"), "Deployment/web", "ConfigMap/web-config")

        def test_findings(gitops_app):
            assert_no_findings(gitops_app("app.yaml"), select=["GC008"])

        def test_findings_bad(gitops_lint):
            report = gitops_lint("app.yaml")
            assert_no_findings(report)

        def test_fixtures(gitops_manifests, gitops_live):
            assert len(gitops_manifests("app.yaml")) == 4
            assert len(gitops_live("live.yaml")) == 2
            assert gitops_manifests("app.yaml", namespace="x")[0].key.name == "shop"
        """
    )
    (Path(str(sandbox.path)) / "app.yaml").write_text(
        MANIFESTS.replace(
            "metadata: {name: web-config, namespace: shop}",
            "metadata:\n  name: web-config\n  namespace: shop\n"
            "  annotations: {argocd.argoproj.io/sync-options: PruneLast=True}",
        ),
        encoding="utf-8",
    )
    result = sandbox.runpytest(*_plugin_args())
    result.assert_outcomes(passed=2, failed=4)
    result.stdout.fnmatch_lines(
        [
            "*resource(s) not in sync:*",
            "*/Namespace//shop: OutOfSync (missing from live)*",
            "*/ConfigMap/shop/web-config: OutOfSync*",
            "*/data/mode: drift*",
            "*application health is Degraded*",
            "*apps/Deployment/shop/web: Degraded*",
            "*expected Deployment/web to be applied before ConfigMap/web-config, but"
            " ConfigMap/web-config comes first*",
            "*#2 Sync wave 0 create /ConfigMap/shop/web-config*",
            "*1 policy finding(s):*",
            "*app.yaml:5: error GC003 /ConfigMap/shop/web-config: unknown sync option"
            " 'PruneLast=True'*",
        ]
    )


def test_missing_path_is_a_typed_error(sandbox: pytest.Pytester) -> None:
    sandbox.makepyfile(
        """
        import pytest
        from gitops_core.errors import UsageError

        def test_missing(gitops_app):
            with pytest.raises(UsageError):
                gitops_app("nope.yaml")
        """
    )
    result = sandbox.runpytest(*_plugin_args())
    result.assert_outcomes(passed=1)


def test_example_policy_tests_pass(pytester: pytest.Pytester) -> None:
    examples = REPO / "examples"
    shutil.copytree(examples / "shop", Path(str(pytester.path)) / "shop")
    shutil.copytree(examples / "policies", Path(str(pytester.path)) / "policies")
    result = pytester.runpytest(*_plugin_args(), "policies")
    result.assert_outcomes(passed=3)
