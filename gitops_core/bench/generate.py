"""Deterministic, realistic manifest sets with live snapshots as an API server returns them.

``generate(size, seed=...)`` builds applications of about twenty resources each — Deployments and
StatefulSets with several containers, env, probes, resources and volumes; Services, ConfigMaps,
Secrets, Ingresses, HPAs, ServiceAccounts and RBAC, a CRD with its custom resources, PreSync and
PostSync hooks with delete policies, sync waves — and the live objects a cluster would hold for
them: ``metadata.managedFields``, the last-applied annotation, server defaults, ``status`` and
generated fields (uid, resourceVersion, clusterIP). A chosen share of resources drifts (image tag,
replicas, a config value), is missing from the cluster, or exists only in the cluster; a share of
workloads is unhealthy.

The same ``seed`` and arguments give byte-identical output.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import attrs

__all__ = ["GeneratedSet", "app_of", "generate", "iter_app_objects", "to_live"]

_TIMESTAMP = "2026-01-15T10:00:00Z"
_IMAGES = ("nginx", "redis", "postgres", "envoyproxy/envoy", "busybox", "grafana/grafana")


@attrs.frozen
class GeneratedSet:
    """Desired objects, live objects and the facts the generator chose (for assertions)."""

    desired: list[dict[str, Any]]
    live: list[dict[str, Any]]
    apps: list[str]
    drifted: frozenset[str]
    missing: frozenset[str]
    extraneous: frozenset[str]
    unhealthy: frozenset[str]

    def desired_yaml(self) -> str:
        """The desired objects as one multi-document YAML text (C dumper when present)."""
        return _dump_yaml(self.desired)

    def live_yaml(self) -> str:
        """The live objects as a ``kind: List`` document, like ``kubectl get -o yaml``."""
        return _dump_yaml([{"apiVersion": "v1", "kind": "List", "items": self.live}])

    def desired_json(self) -> str:
        """The desired objects as a JSON array (one document per element)."""
        return json.dumps(self.desired)

    def per_app(self) -> list[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]:
        """``(app, desired, live)`` per application, in ``apps`` order (for batch runs).

        An object belongs to the application named by its namespace; a Namespace to the app of
        its name; a CRD to the app its group starts with.
        """
        desired: dict[str, list[dict[str, Any]]] = {app: [] for app in self.apps}
        live: dict[str, list[dict[str, Any]]] = {app: [] for app in self.apps}
        for objects, table in ((self.desired, desired), (self.live, live)):
            for obj in objects:
                table[app_of(obj)].append(obj)
        return [(app, desired[app], live[app]) for app in self.apps]


def app_of(obj: dict[str, Any]) -> str:
    """The generated application an object belongs to."""
    meta = obj["metadata"]
    if obj["kind"] == "Namespace":
        return str(meta["name"])
    if obj["kind"] == "CustomResourceDefinition":
        return str(obj["spec"]["group"]).split(".", 1)[0]
    return str(meta["namespace"])


def _dump_yaml(objects: list[dict[str, Any]]) -> str:
    import yaml

    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump_all(objects, Dumper=dumper, sort_keys=False, default_flow_style=False)


def _key(obj: dict[str, Any]) -> str:
    group = obj["apiVersion"].rpartition("/")[0]
    meta = obj["metadata"]
    return f"{group}/{obj['kind']}/{meta.get('namespace', '')}/{meta.get('name', '')}"


def _labels(app: str, component: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": component,
        "app.kubernetes.io/instance": app,
        "app.kubernetes.io/part-of": app,
        "app.kubernetes.io/managed-by": "gitops-core-bench",
    }


def _container(rng: random.Random, name: str, port: int) -> dict[str, Any]:
    image = f"{rng.choice(_IMAGES)}:1.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
    return {
        "name": name,
        "image": image,
        "args": ["--port", str(port), "--log-level", "info"],
        "ports": [{"name": "http", "containerPort": port}],
        "env": [
            {"name": "APP_MODE", "value": "production"},
            {"name": "WORKERS", "value": str(rng.randint(1, 8))},
            {
                "name": "DB_PASSWORD",
                "valueFrom": {"secretKeyRef": {"name": "db-credentials", "key": "password"}},
            },
        ],
        "resources": {
            "requests": {"cpu": f"{rng.choice((50, 100, 250))}m", "memory": "128Mi"},
            "limits": {"cpu": rng.choice(("500m", "1")), "memory": "256Mi"},
        },
        "readinessProbe": {"httpGet": {"path": "/ready", "port": port}, "periodSeconds": 5},
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": port}},
        "volumeMounts": [{"name": "config", "mountPath": "/etc/app"}],
    }


def _workload(
    rng: random.Random, app: str, ns: str, kind: str, name: str, wave: int
) -> dict[str, Any]:
    labels = _labels(app, name)
    selector = {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": app}
    containers = [_container(rng, "main", 8080)]
    if rng.random() < 0.6:
        containers.append(_container(rng, "sidecar", 9090))
    pod_spec: dict[str, Any] = {
        "serviceAccountName": app,
        "containers": containers,
        "volumes": [{"name": "config", "configMap": {"name": f"{name}-config"}}],
    }
    spec: dict[str, Any] = {
        "replicas": rng.randint(1, 5),
        "selector": {"matchLabels": selector},
        "template": {"metadata": {"labels": dict(selector)}, "spec": pod_spec},
    }
    if kind == "StatefulSet":
        spec["serviceName"] = name
        spec["volumeClaimTemplates"] = [
            {
                "metadata": {"name": "data"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "10Gi"}},
                },
            }
        ]
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {
            "name": name,
            "namespace": ns,
            "labels": labels,
            "annotations": {"argocd.argoproj.io/sync-wave": str(wave)},
        },
        "spec": spec,
    }


def iter_app_objects(rng: random.Random, app: str, with_crd: bool) -> Iterator[dict[str, Any]]:
    """The desired objects of one application (about twenty), in a realistic file order."""
    ns = app
    yield {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}
    if with_crd:
        plural = f"widgets{app.replace('-', '')}"
        group = f"{app}.example.com"
        yield {
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{plural}.{group}"},
            "spec": {
                "group": group,
                "scope": "Namespaced",
                "names": {"kind": "Widget", "plural": plural, "singular": "widget"},
                "versions": [
                    {
                        "name": "v1",
                        "served": True,
                        "storage": True,
                        "schema": {
                            "openAPIV3Schema": {
                                "type": "object",
                                "x-kubernetes-preserve-unknown-fields": True,
                            }
                        },
                    }
                ],
            },
        }
        for index in range(2):
            yield {
                "apiVersion": f"{group}/v1",
                "kind": "Widget",
                "metadata": {"name": f"widget-{index}", "namespace": ns},
                "spec": {"size": rng.randint(1, 10), "color": rng.choice(("red", "blue"))},
            }
    yield {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": app, "namespace": ns, "labels": _labels(app, app)},
    }
    yield {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": app, "namespace": ns},
        "rules": [
            {"apiGroups": [""], "resources": ["configmaps", "secrets"], "verbs": ["get", "list"]}
        ],
    }
    yield {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": app, "namespace": ns},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": app},
        "subjects": [{"kind": "ServiceAccount", "name": app, "namespace": ns}],
    }
    yield {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "db-credentials", "namespace": ns},
        "type": "Opaque",
        "data": {"username": "YXBw", "password": "c2VjcmV0LXZhbHVl"},
    }
    components = [("api", "Deployment", 1), ("web", "Deployment", 2), ("worker", "Deployment", 2)]
    if rng.random() < 0.5:
        components.append(("db", "StatefulSet", 0))
    for name, kind, wave in components:
        yield {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": f"{name}-config", "namespace": ns, "labels": _labels(app, name)},
            "data": {"app.yaml": f"name: {name}\nreplicas: {rng.randint(1, 9)}\n", "LOG": "info"},
        }
        yield _workload(rng, app, ns, kind, name, wave)
        yield {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name, "namespace": ns, "labels": _labels(app, name)},
            "spec": {
                "selector": {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": app},
                "ports": [{"name": "http", "port": 80, "targetPort": 8080}],
            },
        }
    yield {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "web", "namespace": ns},
        "spec": {
            "ingressClassName": "nginx",
            "rules": [
                {
                    "host": f"{app}.example.com",
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": "web", "port": {"number": 80}}},
                            }
                        ]
                    },
                }
            ],
        },
    }
    yield {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": ns},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "minReplicas": 2,
            "maxReplicas": 10,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 70},
                    },
                }
            ],
        },
    }
    yield {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "generateName": "db-migrate-",
            "namespace": ns,
            "annotations": {
                "argocd.argoproj.io/hook": "PreSync",
                "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation,HookSucceeded",
            },
        },
        "spec": {
            "backoffLimit": 1,
            "template": {
                "spec": {
                    "restartPolicy": "Never",
                    "containers": [{"name": "migrate", "image": "migrate/migrate:v4.17.0"}],
                }
            },
        },
    }
    yield {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": "smoke-test",
            "namespace": ns,
            "annotations": {
                "argocd.argoproj.io/hook": "PostSync",
                "argocd.argoproj.io/hook-delete-policy": "HookSucceeded",
            },
        },
        "spec": {
            "template": {
                "spec": {
                    "restartPolicy": "Never",
                    "containers": [{"name": "smoke", "image": "curlimages/curl:8.5.0"}],
                }
            }
        },
    }


def _is_hook(obj: dict[str, Any]) -> bool:
    return "argocd.argoproj.io/hook" in obj["metadata"].get("annotations", {})


def _container_defaults(container: dict[str, Any]) -> None:
    container.setdefault("imagePullPolicy", "IfNotPresent")
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    for port in container.get("ports", []):
        port.setdefault("protocol", "TCP")
    for probe_name in ("readinessProbe", "livenessProbe"):
        probe = container.get(probe_name)
        if probe is not None:
            probe.setdefault("timeoutSeconds", 1)
            probe.setdefault("periodSeconds", 10)
            probe.setdefault("successThreshold", 1)
            probe.setdefault("failureThreshold", 3)
            probe.get("httpGet", {}).setdefault("scheme", "HTTP")


def _pod_spec_defaults(spec: dict[str, Any]) -> None:
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("securityContext", {})
    spec.setdefault("terminationGracePeriodSeconds", 30)
    if "serviceAccountName" in spec:
        spec.setdefault("serviceAccount", spec["serviceAccountName"])
    for volume in spec.get("volumes", []):
        for source in ("configMap", "secret"):
            if source in volume:
                volume[source].setdefault("defaultMode", 420)
    for container in spec.get("containers", []):
        _container_defaults(container)


def _managed_fields(obj: dict[str, Any]) -> list[dict[str, Any]]:
    fields: dict[str, Any] = {}
    for top in obj:
        if top not in ("apiVersion", "kind", "status"):
            fields[f"f:{top}"] = {}
    return [
        {
            "apiVersion": obj["apiVersion"],
            "fieldsType": "FieldsV1",
            "fieldsV1": fields,
            "manager": "argocd-controller",
            "operation": "Apply",
            "time": _TIMESTAMP,
        }
    ]


def to_live(
    desired: dict[str, Any], rng: random.Random, *, drift: bool, unhealthy: bool
) -> dict[str, Any]:
    """The object as an API server would return it after ``kubectl apply`` of ``desired``.

    With ``drift``, one field differs from desired (someone edited the cluster); with
    ``unhealthy``, a workload's status reports unavailable replicas.
    """
    live: dict[str, Any] = json.loads(json.dumps(desired))
    meta = live["metadata"]
    annotations = meta.setdefault("annotations", {})
    annotations["kubectl.kubernetes.io/last-applied-configuration"] = json.dumps(
        desired, separators=(",", ":"), sort_keys=True
    )
    meta["uid"] = f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}"
    meta["resourceVersion"] = str(rng.randint(1000, 9_999_999))
    meta["creationTimestamp"] = _TIMESTAMP
    meta["managedFields"] = _managed_fields(desired)
    kind = live["kind"]
    spec = live.get("spec")
    if kind in ("Deployment", "StatefulSet"):
        meta["generation"] = rng.randint(1, 20)
        assert isinstance(spec, dict)
        spec.setdefault("revisionHistoryLimit", 10)
        if kind == "Deployment":
            spec.setdefault("progressDeadlineSeconds", 600)
            spec.setdefault(
                "strategy",
                {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                },
            )
        else:
            spec.setdefault("podManagementPolicy", "OrderedReady")
            spec.setdefault(
                "updateStrategy", {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
            )
            spec.setdefault(
                "persistentVolumeClaimRetentionPolicy",
                {"whenDeleted": "Retain", "whenScaled": "Retain"},
            )
        template = spec["template"]
        template["metadata"].setdefault("creationTimestamp", None)
        _pod_spec_defaults(template["spec"])
        if drift:
            container = template["spec"]["containers"][0]
            if rng.random() < 0.5:
                container["image"] = container["image"].rsplit(":", 1)[0] + ":drifted"
            else:
                spec["replicas"] = spec["replicas"] + 1
        replicas = spec["replicas"]
        ready = max(0, replicas - 1) if unhealthy else replicas
        status: dict[str, Any] = {
            "observedGeneration": meta["generation"],
            "replicas": replicas,
            "readyReplicas": ready,
            "updatedReplicas": replicas,
            "availableReplicas": ready,
        }
        if kind == "Deployment":
            status["conditions"] = [
                {
                    "type": "Available",
                    "status": "False" if unhealthy else "True",
                    "reason": "MinimumReplicasUnavailable"
                    if unhealthy
                    else "MinimumReplicasAvailable",
                    "message": "Deployment does not have minimum availability."
                    if unhealthy
                    else "Deployment has minimum availability.",
                    "lastTransitionTime": _TIMESTAMP,
                    "lastUpdateTime": _TIMESTAMP,
                },
                {
                    "type": "Progressing",
                    "status": "True",
                    "reason": "NewReplicaSetAvailable",
                    "message": f'ReplicaSet "{meta["name"]}-5d8f7c9b4" has successfully progressed.',
                    "lastTransitionTime": _TIMESTAMP,
                    "lastUpdateTime": _TIMESTAMP,
                },
            ]
            if unhealthy:
                del status["availableReplicas"]
                status["unavailableReplicas"] = 1
        else:
            status["currentReplicas"] = replicas
            status["currentRevision"] = f"{meta['name']}-7b9c8d6f5"
            status["updateRevision"] = f"{meta['name']}-7b9c8d6f5"
            status["collisionCount"] = 0
        live["status"] = status
    elif kind == "Service":
        assert isinstance(spec, dict)
        ip = f"10.96.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        spec["clusterIP"] = ip
        spec["clusterIPs"] = [ip]
        spec.setdefault("type", "ClusterIP")
        spec.setdefault("sessionAffinity", "None")
        spec["ipFamilies"] = ["IPv4"]
        spec["ipFamilyPolicy"] = "SingleStack"
        spec["internalTrafficPolicy"] = "Cluster"
        for port in spec["ports"]:
            port.setdefault("protocol", "TCP")
        live["status"] = {"loadBalancer": {}}
    elif kind == "ConfigMap" and drift:
        live["data"]["LOG"] = "debug"
    elif kind == "Ingress":
        live["status"] = {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}
    elif kind == "HorizontalPodAutoscaler":
        live["status"] = {"currentReplicas": 2, "desiredReplicas": 2}
    elif kind == "Namespace":
        meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = meta["name"]
        live["spec"] = {"finalizers": ["kubernetes"]}
        live["status"] = {"phase": "Active"}
    elif kind == "CustomResourceDefinition":
        live["status"] = {
            "acceptedNames": live["spec"]["names"],
            "conditions": [
                {"type": "Established", "status": "True", "reason": "InitialNamesAccepted"}
            ],
            "storedVersions": ["v1"],
        }
    return live


def generate(
    size: int,
    *,
    seed: int = 0,
    drift: float = 0.05,
    missing: float = 0.02,
    extraneous: float = 0.02,
    unhealthy: float = 0.05,
    crd_share: float = 0.2,
) -> GeneratedSet:
    """About ``size`` desired resources in applications of ~20, and their live snapshot.

    ``drift``, ``missing`` and ``extraneous`` are shares of resources; ``unhealthy`` is the share
    of workloads reporting unavailable replicas; ``crd_share`` the share of applications that
    bring a CRD and custom resources. Hooks are never in the live snapshot.
    """
    rng = random.Random(seed)
    desired: list[dict[str, Any]] = []
    live: list[dict[str, Any]] = []
    apps: list[str] = []
    drifted: set[str] = set()
    missing_keys: set[str] = set()
    extra_keys: set[str] = set()
    unhealthy_keys: set[str] = set()
    index = 0
    while len(desired) < size:
        app = f"app-{index:05d}"
        index += 1
        apps.append(app)
        for obj in iter_app_objects(rng, app, rng.random() < crd_share):
            if len(desired) >= size:
                break
            desired.append(obj)
            if _is_hook(obj):
                continue
            key = _key(obj)
            if rng.random() < missing and obj["kind"] not in (
                "Namespace",
                "CustomResourceDefinition",
            ):
                missing_keys.add(key)
                continue
            is_drift = rng.random() < drift and obj["kind"] in (
                "Deployment",
                "StatefulSet",
                "ConfigMap",
            )
            is_unhealthy = obj["kind"] in ("Deployment", "StatefulSet") and rng.random() < unhealthy
            if is_drift:
                drifted.add(key)
            if is_unhealthy:
                unhealthy_keys.add(key)
            live.append(to_live(obj, rng, drift=is_drift, unhealthy=is_unhealthy))
            if rng.random() < extraneous:
                orphan = {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {"name": f"orphan-{len(live)}", "namespace": app},
                    "data": {"left": "behind"},
                }
                extra_keys.add(_key(orphan))
                live.append(to_live(orphan, rng, drift=False, unhealthy=False))
    return GeneratedSet(
        desired,
        live,
        apps,
        frozenset(drifted),
        frozenset(missing_keys),
        frozenset(extra_keys),
        frozenset(unhealthy_keys),
    )
