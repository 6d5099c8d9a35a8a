"""Kubernetes scheme defaults, kept by hand (spec/diff.md section 6.2).

After the three-way patch Argo CD decodes predicted and live into their Go types, runs the
scheme defaulters and merges what they added back (gitops-engine diff.go ``applyPatch``,
``generateSchemeDefaultPatch``). The defaulters live in k8s.io/kubernetes
``pkg/apis/<group>/<version>/defaults.go`` (called through the generated
``zz_generated.defaults.go``, which visits every nested type); each entry below names its
function. Only what a defaulter adds is added: existing values are never changed, with the two
exceptions Kubernetes has (the ``kubernetes.io/metadata.name`` Namespace label is overwritten,
a Service's ``sessionAffinityConfig`` is removed when the affinity is ``None``).

Defaulters are keyed by the schema type they run on; a walk guided by the generated schema
visits nested types and copies only the dicts on the path to an addition. Old API versions
that borrow a successor's schema (``extensions/v1beta1``, ``apps/v1beta1``,
``admissionregistration.k8s.io/v1beta1``, ...) have their own overrides where their defaults
differ.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gitops_core.diff import _schema
from gitops_core.diff._quantity import round_up_quantity
from gitops_core.diff._remarshal import decodes

__all__ = ["apply_defaults"]

Obj = dict[str, Any]
Defaulter = Callable[[Obj], Obj]

_CORE = "io.k8s.api.core.v1."
_APPS = "io.k8s.api.apps.v1."
_BATCH = "io.k8s.api.batch.v1."
_ADM = "io.k8s.api.admissionregistration.v1."
_RBAC_GROUP = "rbac.authorization.k8s.io"
_MAX_INT32 = 2**31 - 1


def _unset(obj: Obj, field: str) -> bool:
    """Go's "not set": absent, null, or the empty string of a non-pointer string."""
    value = obj.get(field)
    return value is None or value == ""


def _with(obj: Obj, **fields: Any) -> Obj:
    """``obj`` plus the fields that are unset in it (a copy only when something is added)."""
    additions = {key: value for key, value in fields.items() if _unset(obj, key)}
    return {**obj, **additions} if additions else obj


def _child(obj: Obj, field: str) -> Obj | None:
    value = obj.get(field)
    return value if isinstance(value, dict) else None


# ------------------------------------------------------------------------------------------
# core/v1 — k8s.io/kubernetes pkg/apis/core/v1/defaults.go
# ------------------------------------------------------------------------------------------


def _image_tag(image: object) -> str:
    """The tag parsers.ParseImageName reports: "latest" when there is neither tag nor digest."""
    if not isinstance(image, str) or not image or image != image.strip():
        return ""  # ParseImageName fails; the defaulter then sees no tag
    name, _, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    repository, tag = (name[:colon], name[colon + 1 :]) if colon > slash else (name, "")
    last_component = repository[slash + 1 :]
    if not last_component or last_component != last_component.lower():
        return ""  # not a valid reference (repository names are lower case)
    if not tag and not digest:
        return "latest"
    return tag


def _container(obj: Obj) -> Obj:
    # SetDefaults_Container / SetDefaults_EphemeralContainer
    if _unset(obj, "imagePullPolicy"):
        policy = "Always" if _image_tag(obj.get("image")) == "latest" else "IfNotPresent"
        obj = {**obj, "imagePullPolicy": policy}
    return _with(
        obj, terminationMessagePath="/dev/termination-log", terminationMessagePolicy="File"
    )


def _image_volume(obj: Obj) -> Obj:
    # SetDefaults_ImageVolumeSource
    if _unset(obj, "pullPolicy"):
        policy = "Always" if _image_tag(obj.get("reference")) == "latest" else "IfNotPresent"
        return {**obj, "pullPolicy": policy}
    return obj


def _probe(obj: Obj) -> Obj:
    # SetDefaults_Probe: zero (non-pointer int32) counts as unset
    additions = {}
    for field, default in (
        ("timeoutSeconds", 1),
        ("periodSeconds", 10),
        ("successThreshold", 1),
        ("failureThreshold", 3),
    ):
        if obj.get(field) in (None, 0) or obj.get(field) is False:
            additions[field] = default
    return {**obj, **additions} if additions else obj


def _pod_spec(obj: Obj) -> Obj:
    # SetDefaults_PodSpec
    obj = _with(
        obj,
        dnsPolicy="ClusterFirst",
        restartPolicy="Always",
        terminationGracePeriodSeconds=30,
        schedulerName="default-scheduler",
    )
    if obj.get("securityContext") is None:
        obj = {**obj, "securityContext": {}}
    return obj


def _host_network_ports(containers: object) -> object:
    # defaultHostNetworkPorts: hostPort = containerPort
    if not isinstance(containers, list):
        return containers
    result = []
    for container in containers:
        if isinstance(container, dict) and isinstance(container.get("ports"), list):
            ports = [
                {**port, "hostPort": port.get("containerPort")}
                if isinstance(port, dict) and port.get("hostPort") in (None, 0)
                else port
                for port in container["ports"]
            ]
            container = {**container, "ports": ports}
        result.append(container)
    return result


def _requests_from_limits(containers: object) -> object:
    if not isinstance(containers, list):
        return containers
    result = []
    changed = False
    for container in containers:
        resources = container.get("resources") if isinstance(container, dict) else None
        limits = resources.get("limits") if isinstance(resources, dict) else None
        if isinstance(limits, dict):
            assert isinstance(container, dict) and isinstance(resources, dict)
            requests = resources.get("requests")
            requests = dict(requests) if isinstance(requests, dict) else {}
            missing = {k: v for k, v in limits.items() if k not in requests}
            if missing:
                requests.update(missing)
                container = {**container, "resources": {**resources, "requests": requests}}
                changed = True
        result.append(container)
    return result if changed else containers


def _pod(obj: Obj) -> Obj:
    # SetDefaults_Pod: requests default to limits, enableServiceLinks, host-network ports
    spec = _child(obj, "spec")
    if spec is None:
        return obj
    new_spec = dict(spec)
    for field in ("containers", "initContainers"):
        if field in spec:
            new_spec[field] = _requests_from_limits(spec[field])
    if spec.get("enableServiceLinks") is None:
        new_spec["enableServiceLinks"] = True
    if spec.get("hostNetwork") is True:
        for field in ("containers", "initContainers"):
            if field in new_spec:
                new_spec[field] = _host_network_ports(new_spec[field])
    if all(new_spec[key] is spec.get(key) for key in new_spec) and len(new_spec) == len(spec):
        return obj
    return {**obj, "spec": new_spec}


def _volume(obj: Obj) -> Obj:
    # SetDefaults_Volume: a volume with no source is an emptyDir
    if all(value is None for key, value in obj.items() if key != "name"):
        return {**obj, "emptyDir": {}}
    return obj


def _mode_420(obj: Obj) -> Obj:
    # SetDefaults_SecretVolumeSource / ConfigMapVolumeSource / DownwardAPIVolumeSource /
    # ProjectedVolumeSource: defaultMode 0644
    return _with(obj, defaultMode=420)


def _service(obj: Obj) -> Obj:
    # SetDefaults_Service
    spec = _child(obj, "spec")
    if spec is None:
        return obj
    spec = _with(spec, sessionAffinity="None", type="ClusterIP")
    if spec.get("sessionAffinity") == "None" and "sessionAffinityConfig" in spec:
        # the one removal: the generated default patch deletes the config
        spec = {k: v for k, v in spec.items() if k != "sessionAffinityConfig"}
    if spec.get("sessionAffinity") == "ClientIP":
        config = _child(spec, "sessionAffinityConfig") or {}
        client_ip = _child(config, "clientIP") or {}
        if client_ip.get("timeoutSeconds") is None:
            spec = {
                **spec,
                "sessionAffinityConfig": {
                    **config,
                    "clientIP": {**client_ip, "timeoutSeconds": 10800},
                },
            }
    ports = spec.get("ports")
    if isinstance(ports, list):
        new_ports = []
        for port in ports:
            if isinstance(port, dict):
                port = _with(port, protocol="TCP")
                if port.get("targetPort") in (None, 0, "") and port.get("targetPort") is not False:
                    port = {**port, "targetPort": port.get("port")}
            new_ports.append(port)
        spec = {**spec, "ports": new_ports}
    service_type = spec.get("type")
    metadata = _child(obj, "metadata") or {}
    annotations = _child(metadata, "annotations") or {}
    if "service.beta.kubernetes.io/external-traffic" not in annotations:
        if service_type in ("NodePort", "LoadBalancer"):
            spec = _with(spec, externalTrafficPolicy="Cluster")
        if spec.get("internalTrafficPolicy") is None and service_type in (
            "NodePort",
            "LoadBalancer",
            "ClusterIP",
        ):
            spec = {**spec, "internalTrafficPolicy": "Cluster"}
        if service_type == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
            spec = {**spec, "allocateLoadBalancerNodePorts": True}
    return {**obj, "spec": spec}


def _namespace(obj: Obj) -> Obj:
    # SetDefaults_Namespace (sets the label even over another value) and
    # SetDefaults_NamespaceStatus (phase Active)
    metadata = _child(obj, "metadata")
    name = metadata.get("name") if metadata is not None else None
    if metadata is not None and isinstance(name, str) and name:
        labels = _child(metadata, "labels") or {}
        if labels.get("kubernetes.io/metadata.name") != name:
            labels = {**labels, "kubernetes.io/metadata.name": name}
            obj = {**obj, "metadata": {**metadata, "labels": labels}}
    status = obj.get("status")
    if status is None:
        return {**obj, "status": {"phase": "Active"}}
    if isinstance(status, dict):
        return {**obj, "status": _with(status, phase="Active")}
    return obj


def _status_phase(phase: str) -> Defaulter:
    def default(obj: Obj) -> Obj:
        status = obj.get("status")
        if status is None:
            return {**obj, "status": {"phase": phase}}
        if isinstance(status, dict):
            return {**obj, "status": _with(status, phase=phase)}
        return obj

    return default


def _replication_controller(obj: Obj) -> Obj:
    # SetDefaults_ReplicationController: selector and labels from the template, replicas 1
    obj = _labels_and_selector_from_template(obj, selector_is_map=True)
    spec = _child(obj, "spec")
    return obj if spec is None else {**obj, "spec": _with(spec, replicas=1)}


def _template_labels(obj: Obj) -> dict[str, Any] | None:
    spec = _child(obj, "spec")
    template = _child(spec, "template") if spec is not None else None
    metadata = _child(template, "metadata") if template is not None else None
    labels = metadata.get("labels") if metadata is not None else None
    return labels if isinstance(labels, dict) else None


def _labels_and_selector_from_template(obj: Obj, *, selector_is_map: bool) -> Obj:
    labels = _template_labels(obj)
    if labels is None:
        return obj
    spec = _child(obj, "spec")
    assert spec is not None
    if spec.get("selector") is None or (selector_is_map and spec.get("selector") == {}):
        selector = dict(labels) if selector_is_map else {"matchLabels": dict(labels)}
        obj = {**obj, "spec": {**spec, "selector": selector}}
    metadata = _child(obj, "metadata")
    if metadata is not None and not metadata.get("labels"):
        obj = {**obj, "metadata": {**metadata, "labels": dict(labels)}}
    return obj


def _resource_list(value: object) -> object:
    # SetDefaults_ResourceList: every value rounded up to milli precision
    if not isinstance(value, dict):
        return value
    result = None
    for key, quantity in value.items():
        if isinstance(quantity, (str, int, float)) and not isinstance(quantity, bool):
            try:
                rounded = round_up_quantity(quantity, -3)
            except ValueError:
                continue
            if rounded != quantity:
                if result is None:
                    result = dict(value)
                result[key] = rounded
    return value if result is None else result


def _resource_lists(*fields: str) -> Defaulter:
    def default(obj: Obj) -> Obj:
        changes = {}
        for field in fields:
            if field in obj:
                new = _resource_list(obj[field])
                if new is not obj[field]:
                    changes[field] = new
        return {**obj, **changes} if changes else obj

    return default


# ------------------------------------------------------------------------------------------
# apps/v1 — k8s.io/kubernetes pkg/apis/apps/v1/defaults.go
# ------------------------------------------------------------------------------------------


def _rolling_deployment(max_unavailable: object, max_surge: object) -> Callable[[Obj], Obj]:
    def default(strategy: Obj) -> Obj:
        strategy = _with(strategy, type="RollingUpdate")
        if strategy.get("type") == "RollingUpdate":
            rolling = _child(strategy, "rollingUpdate") or {}
            new_rolling = rolling
            if rolling.get("maxUnavailable") is None:
                new_rolling = {**new_rolling, "maxUnavailable": max_unavailable}
            if rolling.get("maxSurge") is None:
                new_rolling = {**new_rolling, "maxSurge": max_surge}
            if new_rolling is not rolling or "rollingUpdate" not in strategy:
                strategy = {**strategy, "rollingUpdate": new_rolling}
        return strategy

    return default


def _deployment_spec(
    revision_history_limit: int,
    progress_deadline: int,
    max_unavailable: object,
    max_surge: object,
) -> Defaulter:
    # SetDefaults_Deployment (apps/v1, apps/v1beta2; apps/v1beta1 and extensions/v1beta1
    # differ in the numbers)
    rolling = _rolling_deployment(max_unavailable, max_surge)

    def default(spec: Obj) -> Obj:
        spec = _with(
            spec,
            replicas=1,
            revisionHistoryLimit=revision_history_limit,
            progressDeadlineSeconds=progress_deadline,
        )
        strategy = spec.get("strategy")
        if strategy is None:
            strategy = {}
        if isinstance(strategy, dict):
            new = rolling(strategy)
            if new is not strategy or "strategy" not in spec or spec["strategy"] is None:
                spec = {**spec, "strategy": new}
        return spec

    return default


def _statefulset_spec(spec: Obj) -> Obj:
    # SetDefaults_StatefulSet (StatefulSetAutoDeletePVC on by default since 1.27)
    spec = _with(spec, podManagementPolicy="OrderedReady", replicas=1, revisionHistoryLimit=10)
    strategy = spec.get("updateStrategy")
    strategy = dict(strategy) if isinstance(strategy, dict) else {}
    if _unset(strategy, "type"):
        strategy["type"] = "RollingUpdate"
        if strategy.get("rollingUpdate") is None:
            strategy["rollingUpdate"] = {}
    rolling = strategy.get("rollingUpdate")
    if strategy.get("type") == "RollingUpdate" and isinstance(rolling, dict):
        if rolling.get("partition") is None:
            strategy["rollingUpdate"] = {**rolling, "partition": 0}
    if strategy != spec.get("updateStrategy"):
        spec = {**spec, "updateStrategy": strategy}
    policy = spec.get("persistentVolumeClaimRetentionPolicy")
    if policy is None:
        policy = {}
    if isinstance(policy, dict):
        new_policy = _with(policy, whenDeleted="Retain", whenScaled="Retain")
        if new_policy is not policy or spec.get("persistentVolumeClaimRetentionPolicy") is None:
            spec = {**spec, "persistentVolumeClaimRetentionPolicy": new_policy}
    return spec


def _daemonset_spec(spec: Obj) -> Obj:
    # SetDefaults_DaemonSet
    spec = _with(spec, revisionHistoryLimit=10)
    strategy = spec.get("updateStrategy")
    strategy = dict(strategy) if isinstance(strategy, dict) else {}
    if _unset(strategy, "type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        rolling = dict(rolling) if isinstance(rolling, dict) else {}
        if rolling.get("maxUnavailable") is None:
            rolling["maxUnavailable"] = 1
        if rolling.get("maxSurge") is None:
            rolling["maxSurge"] = 0
        strategy["rollingUpdate"] = rolling
    if strategy != spec.get("updateStrategy"):
        spec = {**spec, "updateStrategy": strategy}
    return spec


def _replicas_1(spec: Obj) -> Obj:
    # SetDefaults_ReplicaSet
    return _with(spec, replicas=1)


def _legacy_deployment(obj: Obj) -> Obj:
    # apps/v1beta1 and extensions/v1beta1 SetDefaults_Deployment: selector and labels are
    # defaulted from the pod template
    return _labels_and_selector_from_template(obj, selector_is_map=False)


# ------------------------------------------------------------------------------------------
# batch/v1 — k8s.io/kubernetes pkg/apis/batch/v1/defaults.go
# ------------------------------------------------------------------------------------------


def _job(obj: Obj) -> Obj:
    # SetDefaults_Job
    spec = _child(obj, "spec")
    if spec is None:
        return obj
    new = dict(spec)
    if spec.get("completions") is None and spec.get("parallelism") is None:
        new["completions"] = 1
        new["parallelism"] = 1
    if new.get("parallelism") is None:
        new["parallelism"] = 1
    if spec.get("backoffLimit") is None:
        new["backoffLimit"] = _MAX_INT32 if spec.get("backoffLimitPerIndex") is not None else 6
    if _unset(spec, "completionMode"):
        new["completionMode"] = "NonIndexed"
    if spec.get("suspend") is None:
        new["suspend"] = False
    if spec.get("podReplacementPolicy") is None:
        failed = spec.get("podFailurePolicy") is not None
        new["podReplacementPolicy"] = "Failed" if failed else "TerminatingOrFailed"
    if new != spec:
        obj = {**obj, "spec": new}
    labels = _template_labels(obj)
    metadata = _child(obj, "metadata")
    if labels is not None and metadata is not None and not metadata.get("labels"):
        obj = {**obj, "metadata": {**metadata, "labels": dict(labels)}}
    return obj


def _cronjob_spec(spec: Obj) -> Obj:
    # SetDefaults_CronJob (batch/v1 and batch/v1beta1 alike)
    spec = _with(
        spec,
        concurrencyPolicy="Allow",
        successfulJobsHistoryLimit=3,
        failedJobsHistoryLimit=1,
    )
    if spec.get("suspend") is None:
        spec = {**spec, "suspend": False}
    return spec


# ------------------------------------------------------------------------------------------
# autoscaling — k8s.io/kubernetes pkg/apis/autoscaling/v1, v2 defaults.go
# ------------------------------------------------------------------------------------------


def _hpa_v1_spec(spec: Obj) -> Obj:
    return _with(spec, minReplicas=1)


def _scaling_rules(rules: object, *, up: bool) -> object:
    # GenerateHPAScaleUpRules / GenerateHPAScaleDownRules
    if not isinstance(rules, dict):
        rules = {}
    if up:
        defaults_policies = [
            {"type": "Pods", "value": 4, "periodSeconds": 15},
            {"type": "Percent", "value": 100, "periodSeconds": 15},
        ]
        window = 0
    else:
        defaults_policies = [{"type": "Percent", "value": 100, "periodSeconds": 15}]
        window = 300
    result = dict(rules)
    if result.get("stabilizationWindowSeconds") is None:
        result["stabilizationWindowSeconds"] = window
    if _unset(result, "selectPolicy"):
        result["selectPolicy"] = "Max"
    if result.get("policies") is None:
        result["policies"] = defaults_policies
    return result


def _hpa_v2_spec(spec: Obj) -> Obj:
    # SetDefaults_HorizontalPodAutoscaler (autoscaling/v2)
    spec = _with(spec, minReplicas=1)
    if not spec.get("metrics"):
        spec = {
            **spec,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 80},
                    },
                }
            ],
        }
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        spec = {
            **spec,
            "behavior": {
                **behavior,
                "scaleUp": _scaling_rules(behavior.get("scaleUp"), up=True),
                "scaleDown": _scaling_rules(behavior.get("scaleDown"), up=False),
            },
        }
    return spec


# ------------------------------------------------------------------------------------------
# admissionregistration — k8s.io/kubernetes pkg/apis/admissionregistration/v1, v1beta1
# ------------------------------------------------------------------------------------------


def _webhook(
    failure: str,
    match: str,
    timeout: int,
    *,
    mutating: bool,
    side_effects: str | None = None,
    review_versions: list[str] | None = None,
) -> Defaulter:
    def default(obj: Obj) -> Obj:
        obj = _with(obj, failurePolicy=failure, matchPolicy=match, timeoutSeconds=timeout)
        for selector in ("namespaceSelector", "objectSelector"):
            if obj.get(selector) is None:
                obj = {**obj, selector: {}}
        if side_effects is not None:
            obj = _with(obj, sideEffects=side_effects)
        if review_versions is not None and not obj.get("admissionReviewVersions"):
            obj = {**obj, "admissionReviewVersions": list(review_versions)}
        if mutating:
            obj = _with(obj, reinvocationPolicy="Never")
        return obj

    return default


# ------------------------------------------------------------------------------------------
# networking, rbac, storage, scheduling
# ------------------------------------------------------------------------------------------


def _network_policy_spec(spec: Obj) -> Obj:
    # networking/v1 SetDefaults_NetworkPolicy
    if spec.get("policyTypes"):
        return spec
    types = ["Ingress"]
    if spec.get("egress"):
        types.append("Egress")
    return {**spec, "policyTypes": types}


def _subject(obj: Obj) -> Obj:
    # rbac/v1 SetDefaults_Subject
    if _unset(obj, "apiGroup") and obj.get("kind") in ("User", "Group"):
        return {**obj, "apiGroup": _RBAC_GROUP}
    return obj


def _csi_driver_spec(spec: Obj) -> Obj:
    # storage/v1 SetDefaults_CSIDriver
    spec = _with(spec, fsGroupPolicy="ReadWriteOnceWithFSType")
    for field, value in (
        ("attachRequired", True),
        ("podInfoOnMount", False),
        ("storageCapacity", False),
        ("requiresRepublish", False),
        ("seLinuxMount", False),
    ):
        if spec.get(field) is None:
            spec = {**spec, field: value}
    if not spec.get("volumeLifecycleModes"):
        spec = {**spec, "volumeLifecycleModes": ["Persistent"]}
    return spec


def _fields(**defaults: Any) -> Defaulter:
    def default(obj: Obj) -> Obj:
        return _with(obj, **defaults)

    return default


def _pointer_fields(**defaults: Any) -> Defaulter:
    def default(obj: Obj) -> Obj:
        additions = {k: v for k, v in defaults.items() if obj.get(k) is None}
        return {**obj, **additions} if additions else obj

    return default


_TYPE_DEFAULTERS: dict[str, Defaulter] = {
    # core/v1
    _CORE + "Pod": _pod,
    _CORE + "PodSpec": _pod_spec,
    _CORE + "Container": _container,
    _CORE + "EphemeralContainer": _container,
    _CORE + "ContainerPort": _fields(protocol="TCP"),  # SetDefaults_ContainerPort
    _CORE + "Probe": _probe,
    _CORE + "HTTPGetAction": _fields(path="/", scheme="HTTP"),  # SetDefaults_HTTPGetAction
    _CORE + "ObjectFieldSelector": _fields(apiVersion="v1"),  # SetDefaults_ObjectFieldSelector
    _CORE + "Volume": _volume,
    _CORE + "SecretVolumeSource": _mode_420,
    _CORE + "ConfigMapVolumeSource": _mode_420,
    _CORE + "DownwardAPIVolumeSource": _mode_420,
    _CORE + "ProjectedVolumeSource": _mode_420,
    _CORE + "ServiceAccountTokenProjection": _pointer_fields(expirationSeconds=3600),
    _CORE + "HostPathVolumeSource": _pointer_fields(type=""),  # SetDefaults_HostPathVolumeSource
    _CORE + "ImageVolumeSource": _image_volume,
    _CORE + "ISCSIVolumeSource": _fields(iscsiInterface="default"),
    _CORE + "ISCSIPersistentVolumeSource": _fields(iscsiInterface="default"),
    _CORE + "RBDVolumeSource": _fields(pool="rbd", user="admin", keyring="/etc/ceph/keyring"),
    _CORE + "RBDPersistentVolumeSource": _fields(
        pool="rbd", user="admin", keyring="/etc/ceph/keyring"
    ),
    _CORE + "ScaleIOVolumeSource": _fields(storageMode="ThinProvisioned", fsType="xfs"),
    _CORE + "ScaleIOPersistentVolumeSource": _fields(storageMode="ThinProvisioned", fsType="xfs"),
    _CORE + "AzureDiskVolumeSource": _pointer_fields(
        cachingMode="ReadWrite", fsType="ext4", readOnly=False, kind="Shared"
    ),
    _CORE + "ResourceRequirements": _resource_lists("limits", "requests"),
    _CORE + "VolumeResourceRequirements": _resource_lists("limits", "requests"),
    _CORE + "LimitRangeItem": _resource_lists(
        "max", "min", "default", "defaultRequest", "maxLimitRequestRatio"
    ),
    _CORE + "ResourceQuotaSpec": _resource_lists("hard"),
    _CORE + "Service": _service,
    _CORE + "EndpointPort": _fields(protocol="TCP"),  # SetDefaults_Endpoints
    _CORE + "Secret": _fields(type="Opaque"),  # SetDefaults_Secret
    _CORE + "Namespace": _namespace,
    # SetDefaults_PersistentVolumeClaim, SetDefaults_PersistentVolumeClaimSpec
    _CORE + "PersistentVolumeClaim": _status_phase("Pending"),
    _CORE + "PersistentVolumeClaimSpec": _pointer_fields(volumeMode="Filesystem"),
    _CORE + "PersistentVolume": _status_phase("Pending"),  # SetDefaults_PersistentVolume
    _CORE + "PersistentVolumeSpec": _fields(persistentVolumeReclaimPolicy="Retain"),
    _CORE + "ReplicationController": _replication_controller,
    # apps/v1
    _APPS + "DeploymentSpec": _deployment_spec(10, 600, "25%", "25%"),
    _APPS + "StatefulSetSpec": _statefulset_spec,
    _APPS + "DaemonSetSpec": _daemonset_spec,
    _APPS + "ReplicaSetSpec": _replicas_1,
    # batch/v1
    _BATCH + "Job": _job,
    _BATCH + "CronJobSpec": _cronjob_spec,
    # autoscaling
    "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec": _hpa_v1_spec,
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec": _hpa_v2_spec,
    "io.k8s.api.autoscaling.v2beta2.HorizontalPodAutoscalerSpec": _hpa_v2_spec,
    # discovery/v1 SetDefaults_EndpointPort
    "io.k8s.api.discovery.v1.EndpointPort": _pointer_fields(name="", protocol="TCP"),
    # admissionregistration/v1
    _ADM + "ValidatingWebhook": _webhook("Fail", "Equivalent", 10, mutating=False),
    _ADM + "MutatingWebhook": _webhook("Fail", "Equivalent", 10, mutating=True),
    _ADM + "RuleWithOperations": _fields(scope="*"),  # SetDefaults_Rule
    _ADM + "ServiceReference": _pointer_fields(port=443),  # SetDefaults_ServiceReference
    # networking/v1
    "io.k8s.api.networking.v1.NetworkPolicySpec": _network_policy_spec,
    "io.k8s.api.networking.v1.NetworkPolicyPort": _pointer_fields(protocol="TCP"),
    # rbac/v1
    "io.k8s.api.rbac.v1.RoleRef": _fields(apiGroup=_RBAC_GROUP),  # SetDefaults_*RoleBinding
    "io.k8s.api.rbac.v1.Subject": _subject,
    # storage/v1
    "io.k8s.api.storage.v1.StorageClass": _pointer_fields(
        reclaimPolicy="Delete", volumeBindingMode="Immediate"
    ),
    "io.k8s.api.storage.v1.CSIDriverSpec": _csi_driver_spec,
    # scheduling/v1
    "io.k8s.api.scheduling.v1.PriorityClass": _pointer_fields(
        preemptionPolicy="PreemptLowerPriority"
    ),
}

# Old versions whose defaulters differ from the successor whose schema they borrow.
_VERSION_OVERRIDES: dict[str, dict[str, Defaulter]] = {
    # pkg/apis/extensions/v1beta1/defaults.go SetDefaults_Deployment
    "extensions/v1beta1/Deployment": {
        _APPS + "Deployment": _legacy_deployment,
        _APPS + "DeploymentSpec": _deployment_spec(_MAX_INT32, _MAX_INT32, 1, 1),
    },
    # pkg/apis/apps/v1beta1/defaults.go SetDefaults_Deployment
    "apps/v1beta1/Deployment": {
        _APPS + "Deployment": _legacy_deployment,
        _APPS + "DeploymentSpec": _deployment_spec(2, 600, "25%", "25%"),
    },
    # pkg/apis/admissionregistration/v1beta1/defaults.go SetDefaults_*Webhook
    "admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration": {
        _ADM + "ValidatingWebhook": _webhook(
            "Ignore",
            "Exact",
            30,
            mutating=False,
            side_effects="Unknown",
            review_versions=["v1beta1"],
        ),
    },
    "admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration": {
        _ADM + "MutatingWebhook": _webhook(
            "Ignore",
            "Exact",
            30,
            mutating=True,
            side_effects="Unknown",
            review_versions=["v1beta1"],
        ),
    },
    # pkg/apis/networking/v1beta1 and extensions/v1beta1 SetDefaults_HTTPIngressPath
    "networking.k8s.io/v1beta1/Ingress": {
        "io.k8s.api.networking.v1.HTTPIngressPath": _fields(pathType="ImplementationSpecific"),
    },
    "extensions/v1beta1/Ingress": {
        "io.k8s.api.networking.v1.HTTPIngressPath": _fields(pathType="ImplementationSpecific"),
    },
}

_OBJECT, _LIST, _MAP = "object", "list", "map"
_walk_plans: dict[str, tuple[tuple[str, str, str], ...]] = {}
_has_defaults: dict[str, bool] = {}


def _subtree_has_defaults(type_name: str, visiting: set[str]) -> bool:
    known = _has_defaults.get(type_name)
    if known is not None:
        return known
    if type_name in visiting:
        return False
    visiting.add(type_name)
    result = type_name in _TYPE_DEFAULTERS or any(
        type_name in overrides for overrides in _VERSION_OVERRIDES.values()
    )
    for info in (_schema.type_fields(type_name) or {}).values():
        if info.type_name is not None and _subtree_has_defaults(info.type_name, visiting):
            result = True
    visiting.discard(type_name)
    _has_defaults[type_name] = result
    return result


def _walk_plan(type_name: str) -> tuple[tuple[str, str, str], ...]:
    plan = _walk_plans.get(type_name)
    if plan is None:
        entries = []
        for field, info in (_schema.type_fields(type_name) or {}).items():
            child = info.type_name
            if child is not None and _subtree_has_defaults(child, set()):
                entries.append((field, info.shape, child))
        plan = tuple(entries)
        _walk_plans[type_name] = plan
    return plan


def _walk(value: Obj, type_name: str, overrides: dict[str, Defaulter]) -> Obj:
    defaulter = overrides.get(type_name) or _TYPE_DEFAULTERS.get(type_name)
    result = defaulter(value) if defaulter is not None else value
    copied = result is not value
    for field, shape, child in _walk_plan(type_name):
        item = result.get(field)
        new: Any = item
        if shape == _OBJECT:
            if type(item) is dict:
                new = _walk(item, child, overrides)
        elif shape == _LIST:
            if type(item) is list:
                items = None
                for index, element in enumerate(item):
                    if type(element) is dict:
                        converted = _walk(element, child, overrides)
                        if converted is not element:
                            if items is None:
                                items = list(item)
                            items[index] = converted
                if items is not None:
                    new = items
        elif shape == _MAP and type(item) is dict:
            entries = None
            for key, element in item.items():
                if type(element) is dict:
                    converted = _walk(element, child, overrides)
                    if converted is not element:
                        if entries is None:
                            entries = dict(item)
                        entries[key] = converted
            if entries is not None:
                new = entries
        if new is not item:
            if not copied:
                result = dict(result)
                copied = True
            result[field] = new
    return result


def apply_defaults(obj: Obj, group: str, version: str, kind: str) -> Obj:
    """``obj`` with the scheme defaults of its registered kind added (``obj`` if none apply)."""
    root = _schema.root_type(group, version, kind)
    if root is None:
        return obj
    if not decodes(obj, root):
        return obj  # gitops-engine applyPatch: a side that does not decode is not defaulted
    overrides = _VERSION_OVERRIDES.get(f"{group}/{version}/{kind}", {})
    try:
        return _walk(obj, root, overrides)
    except RecursionError:
        return obj  # absurdly deep input would not decode either: no defaults
