"""Policy tests of the shop example: what a team runs in CI before Argo CD syncs.

Run with the plugin installed (``pip install gitops-core``): ``pytest examples/policies``;
from a checkout: ``pytest -p gitops_core.policy.pytest_plugin examples/policies``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from gitops_core.policy import Finding, PolicyContext, check
from gitops_core.policy.pytest_plugin import (
    assert_applied_before,
    assert_healthy,
    assert_in_sync,
    assert_no_findings,
)

DESIRED = "../shop/desired"
LIVE = "../shop/live"


@check("SHOP001", severity="error")
def images_are_pinned(ctx: PolicyContext) -> Iterator[Finding]:
    """Every container image names a tag other than latest (a team rule)."""
    for resource in ctx.manifests:
        spec = resource.object.get("spec") or {}
        template = spec.get("template") or {}
        pod = template.get("spec") or spec
        for container in pod.get("containers") or []:
            image = str(container.get("image", ""))
            if ":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest"):
                yield Finding.at(resource, f"container {container.get('name')} uses {image!r}")


def test_no_argo_cd_traps(gitops_app: Callable[..., PolicyContext]) -> None:
    app = gitops_app(DESIRED, live=LIVE, namespace="shop")
    # the example's Secret holds demo values; a real repository would keep it sealed
    assert_no_findings(app, disable=["GC014"])


def test_migration_runs_before_the_new_web_version(
    gitops_app: Callable[..., PolicyContext],
) -> None:
    app = gitops_app(DESIRED, live=LIVE, namespace="shop")
    assert_applied_before(app, "Job/db-migrate-*", "Deployment/web")
    assert_applied_before(
        app, "CustomResourceDefinition/backups.shop.example.com", "Backup/nightly"
    )
    assert_applied_before(app, "Deployment/web", "Ingress/web")


def test_config_is_in_sync_and_healthy(gitops_app: Callable[..., PolicyContext]) -> None:
    app = gitops_app(DESIRED, live=LIVE, namespace="shop")
    assert_in_sync(app, "ConfigMap/web-config", "Service/web")
    assert_healthy(app, "Service/web")
