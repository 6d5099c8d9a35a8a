"""Property tests of the sync plan: permutation, input-order independence, pull-up guarantees."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from gitops_core.manifests import ManifestSet
from gitops_core.sync import SyncOptions, SyncPlan, classify, plan_sync
from gitops_core.sync import plan as plan_module
from gitops_core.sync.plan import _crd_group_kind

KINDS = (
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("example.com/v1", "Widget"),
    ("v1", "Namespace"),
    ("v1", "ConfigMap"),
    ("apps/v1", "Deployment"),
    ("batch/v1", "Job"),
    ("v1", "Namespace"),
    ("example.com/v1", "Widget"),
    ("example.com/v1", "Gadget"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
)
CRD_SPECS = {
    "widgets.example.com": ("example.com", "Widget"),
    "gadgets.example.com": ("example.com", "Gadget"),
}
NAMES = ("a", "app", "ns-1", "widgets.example.com", "gadgets.example.com")
HOOKS = (
    None,
    None,
    None,
    "PreSync",
    "PostSync",
    "Sync",
    "PreSync,PostSync",
    "Skip",
    "Garbage",
    "SyncFail",
)

object_spec = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(NAMES),
    st.sampled_from((None, "app", "ns-1", "other")),
    st.one_of(st.none(), st.integers(-3, 3)),
    st.sampled_from(HOOKS),
)


def build(spec: tuple[Any, ...], live: bool) -> dict[str, Any]:
    (api_version, kind), name, namespace, wave, hook = spec
    meta: dict[str, Any] = {"name": name}
    if kind in ("Namespace", "CustomResourceDefinition", "ClusterRole"):
        namespace = None
    if namespace is not None or (live and kind not in ("Namespace", "ClusterRole")):
        meta["namespace"] = namespace or "app"
    if kind == "CustomResourceDefinition" and live:
        meta.pop("namespace", None)
    annotations = {}
    if wave is not None:
        annotations["argocd.argoproj.io/sync-wave"] = str(wave)
    if hook is not None:
        annotations["argocd.argoproj.io/hook"] = hook
    if annotations:
        meta["annotations"] = annotations
    obj: dict[str, Any] = {"apiVersion": api_version, "kind": kind, "metadata": meta}
    if kind == "CustomResourceDefinition":
        group, crd_kind = CRD_SPECS.get(name, ("example.com", "Other"))
        obj["spec"] = {"group": group, "names": {"kind": crd_kind}, "scope": "Namespaced"}
    return obj


def unique(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    for obj in objects:
        key = (obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"])
        seen.setdefault(key, obj)
    return list(seen.values())


plan_inputs = st.tuples(
    st.lists(object_spec, max_size=14),
    st.lists(object_spec, max_size=10),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)


def make(desired_specs: Any, live_specs: Any, create_namespace: bool) -> tuple[Any, Any, Any]:
    desired = unique([build(spec, live=False) for spec in desired_specs])
    live = unique([build(spec, live=True) for spec in live_specs])
    options = SyncOptions(
        namespace="app",
        prune=True,
        create_namespace=create_namespace,
        skip_dry_run_on_missing_resource=True,
        revision="abcdef0123",
        started_at=1,
    )
    return desired, live, options


def run(
    desired: list[dict[str, Any]], live: list[dict[str, Any]], options: SyncOptions
) -> SyncPlan:
    return plan_sync(ManifestSet.from_objects(desired), ManifestSet.from_objects(live), options)


@settings(max_examples=150, deadline=None)
@given(plan_inputs)
def test_plan_is_a_permutation_of_the_generated_tasks(inputs: Any) -> None:
    desired, live, options = make(*inputs[:3])
    plan = run(desired, live, options)
    assert sorted(task.order for task in plan) == list(range(len(plan)))
    hook_tasks = sum(
        len(classify(obj).phases)
        for obj in desired
        if classify(obj).is_hook and not classify(obj).ignored
    )
    assert sum(1 for task in plan if task.hook) == hook_tasks
    plain = [obj for obj in desired if not classify(obj).is_hook and not classify(obj).skip]
    assert sum(
        1 for t in plan if t.target is not None and not t.hook and not t.auto_namespace
    ) == len(plain)
    for task in plan:
        if task.target is None:
            assert not classify(task.live).is_hook and not classify(task.live).skip


@settings(max_examples=150, deadline=None)
@given(plan_inputs)
def test_order_does_not_depend_on_input_order(inputs: Any) -> None:
    desired, live, options = make(*inputs[:3])
    rng = random.Random(inputs[3])
    first = run(desired, live, options)
    rng.shuffle(desired)
    rng.shuffle(live)
    second = run(desired, live, options)
    describe = [(t.phase, t.wave, t.action, str(t.key)) for t in first]
    assert describe == [(t.phase, t.wave, t.action, str(t.key)) for t in second]


@settings(max_examples=200, deadline=None)
@given(plan_inputs)
def test_namespace_precedes_every_task_in_it(inputs: Any) -> None:
    desired, live, options = make(*inputs[:3])
    plan = run(desired, live, options)
    first_namespace: dict[str, int] = {}
    for index, task in enumerate(plan):
        if task.target is not None and task.kind == "Namespace" and task.group == "":
            first_namespace.setdefault(task.name, index)
    for index, task in enumerate(plan):
        if task.target is None or task.kind == "Namespace":
            continue
        position = first_namespace.get(task.key.namespace)
        if position is not None:
            assert position < index, (task, plan.tasks[position])


CRD_AFTER_CR = (
    [
        (
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
            "widgets.example.com",
            None,
            3,
            None,
        ),
        (("example.com/v1", "Widget"), "a", None, 0, "PreSync"),
    ],
    [],
    False,
    0,
)


@settings(max_examples=200, deadline=None)
@given(plan_inputs)
@example(CRD_AFTER_CR)
def test_crd_precedes_its_custom_resources(inputs: Any) -> None:
    desired, live, options = make(*inputs[:3])
    plan = run(desired, live, options)
    first_crd: dict[tuple[str, str], int] = {}
    for index, task in enumerate(plan):
        if task.target is not None and task.kind == "CustomResourceDefinition":
            group_kind = _crd_group_kind(task.target)
            if group_kind is not None:
                first_crd.setdefault(group_kind, index)
    for index, task in enumerate(plan):
        if task.target is None:
            continue
        position = first_crd.get((task.group, task.kind))
        if position is not None:
            assert position < index, (task, plan.tasks[position])


def _sequential_moves(
    ordered: list[Any], is_dependency: Any, dependency_key: Any, ref_key: Any
) -> None:
    """Argo CD's adjustDeps shape: move one task at a time, shifting remembered positions."""
    first_index: dict[str, int] = {}
    for i in range(len(ordered)):
        task = ordered[i]
        if task.target is None:
            continue
        if is_dependency(task):
            index = first_index.get(dependency_key(task))
            if index is not None:
                moved = plan_module._pulled_up(task, ordered[index])
                del ordered[i]
                ordered.insert(index, moved)
                for other, position in first_index.items():
                    if position >= index:
                        first_index[other] = position + 1
        else:
            key = ref_key(task)
            if key and key not in first_index:
                first_index[key] = i


def _sequential_namespaces(ordered: list[Any]) -> None:
    _sequential_moves(
        ordered,
        lambda t: t.key.kind == "Namespace" and t.key.group == "",
        lambda t: t.key.name,
        lambda t: t.namespace,
    )


def _sequential_crds(ordered: list[Any]) -> None:
    def crd(task: Any) -> Any:
        key = task.key
        if key.kind == "CustomResourceDefinition" and key.group == "apiextensions.k8s.io":
            return _crd_group_kind(task.target)
        return None

    _sequential_moves(
        ordered,
        lambda t: crd(t) is not None,
        lambda t: "/".join(crd(t)),
        lambda t: f"{t.key.group}/{t.key.kind}",
    )


@settings(max_examples=150, deadline=None)
@given(plan_inputs)
def test_one_pass_pull_ups_match_the_sequential_moves(inputs: Any) -> None:
    desired, live, options = make(*inputs[:3])
    fast = run(desired, live, options)
    original = (plan_module._pull_up_namespaces, plan_module._pull_up_crds)
    plan_module._pull_up_namespaces = _sequential_namespaces  # type: ignore[assignment]
    plan_module._pull_up_crds = _sequential_crds  # type: ignore[assignment]
    try:
        slow = run(desired, live, options)
    finally:
        plan_module._pull_up_namespaces, plan_module._pull_up_crds = original
    assert [(t.label, t.phase, t.wave, t.reason) for t in fast] == [
        (t.label, t.phase, t.wave, t.reason) for t in slow
    ]
