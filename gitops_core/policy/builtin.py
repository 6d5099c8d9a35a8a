"""The built-in lint checks: Argo CD's silent traps, each under a stable code (GC001...).

Every check reads the desired manifests (and, where it helps, the live snapshot and argocd-cm)
and never prints a Secret value. ``docs/policies.md`` has one paragraph per code.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import gitops_core.manifests.annotations as ann
from gitops_core.diff.normalize import remarshal
from gitops_core.errors import DuplicateResourceError, HealthConfigError
from gitops_core.policy._api import Finding, PolicyContext, Severity, check
from gitops_core.policy._server import ServerView, is_quantity_rewrite, rewrites, server_view
from gitops_core.resource import Resource, ResourceKey, SourceLocation, crd_group_kind_scope
from gitops_core.sync.kinds import BUILTIN_API_RESOURCES

__all__ = [
    "APP_SYNC_OPTIONS",
    "COMPARE_OPTIONS",
    "RESOURCE_SYNC_OPTIONS",
    "argocd_cm_lua_without_open_libs",
    "compare_option_invalid",
    "cr_before_crd",
    "crd_missing",
    "duplicate_resource",
    "helm_hook_ignored",
    "hook_value_invalid",
    "lua_library_uses",
    "named_hook_default_delete_policy",
    "namespace_created_later",
    "quantity_never_equal",
    "secret_plain_values",
    "server_rewritten_field",
    "sync_option_invalid",
    "sync_wave_invalid",
]

_PHASE_ORDER = {phase: index for index, phase in enumerate(ann.SYNC_PHASES)}

RESOURCE_SYNC_OPTIONS: frozenset[str] = frozenset(
    {
        "Prune=false",
        "Prune=true",
        "Prune=confirm",
        "Delete=false",
        "Delete=true",
        "Delete=confirm",
        "PruneLast=true",
        "Replace=true",
        "Replace=false",
        "Force=true",
        "ServerSideApply=true",
        "ServerSideApply=false",
        "SkipDryRunOnMissingResource=true",
        "Validate=false",
        "Validate=true",
    }
)
"""Items of ``argocd.argoproj.io/sync-options`` Argo CD acts on (exact, case-sensitive)."""

APP_SYNC_OPTIONS: frozenset[str] = RESOURCE_SYNC_OPTIONS | frozenset(
    {
        "ClientSideApplyMigration=false",
        "ClientSideApplyMigration=true",
        "ApplyOutOfSyncOnly=true",
        "CreateNamespace=true",
        "RespectIgnoreDifferences=true",
        "FailOnSharedResource=true",
        "PrunePropagationPolicy=foreground",
        "PrunePropagationPolicy=background",
        "PrunePropagationPolicy=orphan",
    }
)
"""Strings of an Application's ``spec.syncPolicy.syncOptions`` Argo CD acts on."""

COMPARE_OPTIONS: frozenset[str] = frozenset(
    {
        "IgnoreExtraneous",
        "ServerSideDiff=true",
        "ServerSideDiff=false",
        "IncludeMutationWebhook=true",
    }
)
"""Items of ``argocd.argoproj.io/compare-options`` Argo CD acts on."""

_APP_ONLY_SYNC_OPTIONS = APP_SYNC_OPTIONS - RESOURCE_SYNC_OPTIONS


def _suggest(value: str, choices: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the closest choice: same text ignoring case first."""
    options = sorted(choices)
    folded = [c for c in options if c.lower() == value.lower()]
    if not folded:
        folded = difflib.get_close_matches(value, options, n=1, cutoff=0.75)
    return f" (did you mean {folded[0]!r}?)" if folded else ""


def _is_application(resource: Resource) -> bool:
    return resource.key.group == "argoproj.io" and resource.key.kind == "Application"


# --- GC001 -----------------------------------------------------------------------------------


@check("GC001", severity=Severity.ERROR, name="invalid-sync-wave")
def sync_wave_invalid(ctx: PolicyContext) -> Iterator[Finding]:
    """A ``sync-wave`` (or ``helm.sh/hook-weight``) value that is not an integer.

    Argo CD parses the wave as a strict base-10 int64 (an optional sign and digits, nothing else:
    no spaces, decimals, ``1_000`` or ``1e3``). An invalid ``sync-wave`` falls back to
    ``helm.sh/hook-weight``, then silently to wave 0: the object is synced earlier or later than
    its author meant, without any error.
    """
    for resource in ctx.manifests:
        info = ann.wave_info(resource.annotations)
        for annotation, raw in info.invalid:
            yield Finding.at(
                resource,
                f"{annotation} {raw!r} is not an integer: Argo CD silently uses wave {info.wave}"
                f" ({_wave_source_text(info.source)})",
            )


def _wave_source_text(source: str) -> str:
    if source == "hook-weight":
        return "from helm.sh/hook-weight"
    return "the default"


# --- GC002 -----------------------------------------------------------------------------------

_KNOWN_HOOKS = ann.HOOK_TYPES | ann.DELETE_HOOK_TYPES


@check("GC002", severity=Severity.ERROR, name="invalid-hook")
def hook_value_invalid(ctx: PolicyContext) -> Iterator[Finding]:
    """A misspelled or wrong-case ``argocd.argoproj.io/hook`` value.

    Hook values match exactly and case-sensitively (``PreSync``, ``Sync``, ``PostSync``,
    ``SyncFail``, ``Skip``, and Argo CD's ``PreDelete``/``PostDelete``). Unknown items are
    dropped; when none is left the object is still a hook, but one without a phase: it is
    silently left out of the sync and never pruned.
    """
    for resource in ctx.manifests:
        annotations = resource.annotations
        raw = annotations.get(ann.ANNOTATION_HOOK)
        if raw is None:
            continue
        items = ann.parse_csv(raw) if isinstance(raw, str) else ()
        bad = [item for item in items if item not in _KNOWN_HOOKS]
        if not items:
            bad_text = f"empty {ann.ANNOTATION_HOOK}"
        elif bad:
            bad_text = ", ".join(f"{item!r}{_suggest(item, _KNOWN_HOOKS)}" for item in bad)
            bad_text = f"unknown {ann.ANNOTATION_HOOK} value {bad_text}"
        else:
            continue
        if ann.is_ignored(annotations) and not ann.delete_hook_types(annotations):
            consequence = (
                "the object is silently dropped from the sync (never applied, never pruned)"
            )
        else:
            consequence = "the value is ignored"
        yield Finding.at(resource, f"{bad_text}: {consequence}")


# --- GC003 -----------------------------------------------------------------------------------


@check("GC003", severity=Severity.ERROR, name="invalid-sync-option")
def sync_option_invalid(ctx: PolicyContext) -> Iterator[Finding]:
    """A misspelled or wrong-case sync option (``PruneLast=True``, ``prune=false``...).

    Options match whole items exactly and case-sensitively; anything else does nothing, so the
    behaviour the author asked for silently does not happen. Checked on the resource annotation
    ``argocd.argoproj.io/sync-options`` and on Applications' ``spec.syncPolicy.syncOptions``
    (options that only make sense for the whole application are reported on resources too).
    """
    for resource in ctx.manifests:
        for item in ann.sync_options(resource.annotations):
            if item in RESOURCE_SYNC_OPTIONS:
                continue
            if item in _APP_ONLY_SYNC_OPTIONS:
                yield Finding.at(
                    resource,
                    f"sync option {item!r} only works in an Application's syncOptions; "
                    "on a resource annotation it does nothing",
                )
                continue
            yield Finding.at(
                resource,
                f"unknown sync option {item!r}{_suggest(item, RESOURCE_SYNC_OPTIONS)}: "
                "Argo CD ignores it",
            )
        if _is_application(resource):
            for item in _app_sync_options(resource.object):
                if item not in APP_SYNC_OPTIONS:
                    yield Finding.at(
                        resource,
                        f"unknown syncOptions entry {item!r}{_suggest(item, APP_SYNC_OPTIONS)}: "
                        "Argo CD ignores it",
                    )


def _app_sync_options(obj: Mapping[str, Any]) -> list[str]:
    spec = obj.get("spec")
    policy = spec.get("syncPolicy") if isinstance(spec, Mapping) else None
    options = policy.get("syncOptions") if isinstance(policy, Mapping) else None
    if not isinstance(options, list):
        return []
    return [item for item in options if isinstance(item, str)]


# --- GC004 -----------------------------------------------------------------------------------


@check("GC004", severity=Severity.ERROR, name="invalid-compare-option")
def compare_option_invalid(ctx: PolicyContext) -> Iterator[Finding]:
    """A misspelled or wrong-case ``argocd.argoproj.io/compare-options`` item.

    Argo CD knows ``IgnoreExtraneous`` on resources and ``ServerSideDiff=true|false`` and
    ``IncludeMutationWebhook=true`` on Applications, matched exactly; anything else is ignored.
    """
    for resource in ctx.manifests:
        for item in ann.compare_options(resource.annotations):
            if item not in COMPARE_OPTIONS:
                yield Finding.at(
                    resource,
                    f"unknown compare option {item!r}{_suggest(item, COMPARE_OPTIONS)}: "
                    "Argo CD ignores it",
                )


# --- GC005 / GC006 ---------------------------------------------------------------------------


def _crds(resources: Iterable[Resource]) -> dict[tuple[str, str], Resource]:
    found: dict[tuple[str, str], Resource] = {}
    for resource in resources:
        if resource.key.kind != "CustomResourceDefinition":
            continue
        scope = crd_group_kind_scope(resource.object)
        if scope is not None:
            found.setdefault(scope[0], resource)
    return found


def _position(resource: Resource) -> tuple[int, int] | None:
    """``(phase index, wave)`` of the earliest task the object gets; ``None`` without a task."""
    phases = ann.hook_phases(resource.annotations)
    if not phases:
        return None
    return min(_PHASE_ORDER[p] for p in phases), ann.sync_wave(resource.annotations)


def _display_name(resource: Resource) -> str:
    if resource.key.name:
        return repr(resource.key.name)
    return repr((resource.generate_name or "") + "*")


def _pull_up_severity(position: tuple[int, int], own: tuple[int, int]) -> Severity:
    """A hook in an earlier phase is the usual pattern (info); an inverted wave is a warning."""
    return Severity.INFO if position[0] < own[0] and own[1] <= 0 else Severity.WARNING


def _position_text(position: tuple[int, int]) -> str:
    return f"{ann.SYNC_PHASES[position[0]]} wave {position[1]}"


@check("GC005", severity=Severity.WARNING, name="missing-crd")
def crd_missing(ctx: PolicyContext) -> Iterator[Finding]:
    """A custom resource whose CRD is neither in the manifests nor known to the cluster.

    The kind is not built in, no CustomResourceDefinition in the manifests defines it, and the
    cluster facts (the live snapshot's CRDs and kinds, ``cluster_kinds``) do not know it: the
    dry run fails with "the server could not find the requested resource" unless the CRD is
    installed by something else first. Pass the kinds other applications install as cluster
    facts (``--known-kind``) to silence it.
    """
    known: set[tuple[str, str]] = set(_crds(ctx.manifests))
    known |= ctx.cluster_kinds
    if ctx.live is not None:
        known |= set(_crds(ctx.live))
        known |= {(r.key.group, r.key.kind) for r in ctx.live}
    for resource in ctx.manifests:
        group_kind = (resource.key.group, resource.key.kind)
        if group_kind in BUILTIN_API_RESOURCES or group_kind in known:
            continue
        if ann.is_ignored(resource.annotations):
            continue
        known.add(group_kind)  # one finding per kind, on its first object
        yield Finding.at(
            resource,
            f"no CustomResourceDefinition for {resource.key.kind}.{resource.key.group or 'core'} "
            "in the manifests or the cluster facts: the sync fails unless it is installed first",
        )


@check("GC006", severity=Severity.WARNING, name="cr-before-crd")
def cr_before_crd(ctx: PolicyContext) -> Iterator[Finding]:
    """A custom resource that is synced in an earlier phase or wave than its CRD.

    Argo CD then moves the CRD in front of the first custom resource that needs it, overriding
    the CRD's own ``sync-wave``: the order in the manifests is not the order that runs. Give the
    CRD a wave at or before its first custom resource (or leave both unannotated).
    """
    crds = _crds(ctx.manifests)
    if not crds:
        return
    first_user: dict[tuple[str, str], tuple[tuple[int, int], Resource]] = {}
    for resource in ctx.manifests:
        group_kind = (resource.key.group, resource.key.kind)
        if group_kind not in crds:
            continue
        position = _position(resource)
        if position is None:
            continue
        best = first_user.get(group_kind)
        if best is None or position < best[0]:
            first_user[group_kind] = (position, resource)
    for group_kind, (position, user) in first_user.items():
        crd = crds[group_kind]
        own = _position(crd)
        if own is None or position >= own:
            continue
        yield Finding.at(
            crd,
            f"{user.key.kind} {_display_name(user)} is synced in {_position_text(position)}, "
            f"before its CRD ({_position_text(own)}): Argo CD pulls the CRD into "
            f"{_position_text(position)}, ignoring its own wave",
            severity=_pull_up_severity(position, own),
        )


# --- GC007 -----------------------------------------------------------------------------------


@check("GC007", severity=Severity.WARNING, name="namespace-created-later")
def namespace_created_later(ctx: PolicyContext) -> Iterator[Finding]:
    """A resource in a namespace that the manifests create in a later phase or wave.

    Argo CD moves the Namespace in front of the first resource that lives in it, overriding the
    Namespace's own ``sync-wave``; the order written in Git is not the order that runs. Put the
    Namespace in the earliest wave that uses it.
    """
    namespaces = {
        r.key.name: r for r in ctx.manifests if r.key.group == "" and r.key.kind == "Namespace"
    }
    if not namespaces:
        return
    first_user: dict[str, tuple[tuple[int, int], Resource]] = {}
    for resource in ctx.manifests:
        name = resource.key.namespace
        if not name or name not in namespaces:
            continue
        position = _position(resource)
        if position is None:
            continue
        best = first_user.get(name)
        if best is None or position < best[0]:
            first_user[name] = (position, resource)
    for name, (position, user) in first_user.items():
        namespace = namespaces[name]
        own = _position(namespace)
        if own is None:
            yield Finding.at(
                namespace,
                f"the Namespace gets no sync task ({'Skip' if ann.is_skip(namespace.annotations) else 'an ignored hook'}) "
                f"but {user.key.kind} {_display_name(user)} lives in it: the sync fails unless "
                "the namespace already exists",
            )
            continue
        if position >= own:
            continue
        yield Finding.at(
            namespace,
            f"{user.key.kind} {_display_name(user)} in namespace {name!r} is synced in "
            f"{_position_text(position)}, before the Namespace ({_position_text(own)}): Argo CD "
            f"pulls the Namespace into {_position_text(position)}, ignoring its own wave",
            severity=_pull_up_severity(position, own),
        )


# --- GC008 -----------------------------------------------------------------------------------


@check("GC008", severity=Severity.WARNING, name="named-hook-default-delete-policy")
def named_hook_default_delete_policy(ctx: PolicyContext) -> Iterator[Finding]:
    """A hook with a fixed ``metadata.name`` and no delete policy.

    The default policy is ``BeforeHookCreation``: the hook from the previous sync is deleted
    and created again on every sync (an extra step; a Job that is still running is killed).
    Say so explicitly with ``argocd.argoproj.io/hook-delete-policy`` (``HookSucceeded`` to
    clean up after success), or use ``generateName`` to keep every run.
    """
    for resource in ctx.manifests:
        annotations = resource.annotations
        if not resource.key.name or not ann.hook_phases(annotations):
            continue
        if not ann.is_hook(annotations):
            continue
        if (
            ann.ANNOTATION_HOOK_DELETE_POLICY in annotations
            or ann.HELM_ANNOTATION_HOOK_DELETE_POLICY in annotations
        ):
            continue
        yield Finding.at(
            resource,
            "named hook without hook-delete-policy: the default BeforeHookCreation deletes and "
            "recreates it on every sync; set the policy explicitly or use generateName",
        )


# --- GC009 -----------------------------------------------------------------------------------

_HELM_DELETE_HOOKS = {"pre-delete": "PreDelete", "post-delete": "PostDelete"}


@check("GC009", severity=Severity.WARNING, name="helm-hook-ignored")
def helm_hook_ignored(ctx: PolicyContext) -> Iterator[Finding]:
    """A ``helm.sh/hook`` value Argo CD does not run during a sync.

    Only ``pre-install``/``pre-upgrade`` (PreSync) and ``post-install``/``post-upgrade``
    (PostSync) are mapped. ``test``, ``test-success``, ``test-failure``, ``pre-rollback``,
    ``post-rollback`` and any other value are dropped; when nothing is left the object is
    silently left out of the sync. ``pre-delete``/``post-delete`` only run when the
    Application is deleted. The annotation is ignored completely when
    ``argocd.argoproj.io/hook`` has a valid value.
    """
    for resource in ctx.manifests:
        annotations = resource.annotations
        raw = annotations.get(ann.HELM_ANNOTATION_HOOK)
        if not isinstance(raw, str) or raw == "crd-install":
            continue
        if ann.argocd_hook_types(annotations):
            continue  # the Argo CD annotation wins; the Helm one is not read
        values = ann.parse_csv(raw)
        dropped = [v for v in values if v not in ann.HELM_HOOK_MAP and v != "crd-install"]
        if not dropped:
            continue
        delete = [v for v in dropped if v in _HELM_DELETE_HOOKS]
        others = [v for v in dropped if v not in _HELM_DELETE_HOOKS]
        parts: list[str] = []
        if others:
            parts.append(f"helm.sh/hook {', '.join(repr(v) for v in others)} is not run by Argo CD")
        if delete:
            parts.append(
                f"helm.sh/hook {', '.join(repr(v) for v in delete)} only runs when the "
                "Application is deleted"
            )
        if not ann.helm_hook_types(annotations):
            parts.append("the object is left out of the sync")
        yield Finding.at(resource, "; ".join(parts))


# --- GC010 -----------------------------------------------------------------------------------


@check("GC010", severity=Severity.ERROR, name="duplicate-resource")
def duplicate_resource(ctx: PolicyContext) -> Iterator[Finding]:
    """The same resource (group, kind, namespace, name) is declared twice.

    Argo CD keeps only one of them (which one depends on the generator) and reports a
    ``RepeatedResourceWarning``; the other silently loses. Load with ``strict=False`` (the
    CLI and :meth:`PolicyContext.from_paths` do) so the duplicates reach this check.
    """
    for error in ctx.manifests.errors:
        if not isinstance(error, DuplicateResourceError):
            continue
        key = ResourceKey.parse(error.key) if error.key else None
        source = SourceLocation(error.path, error.document or 0, error.line or 1)
        first = f" (first declared at {error.first})" if error.first else ""
        yield Finding(
            f"resource {error.key or '?'} is declared again{first}: only one copy is synced",
            key,
            source=source,
        )


# --- GC013 -----------------------------------------------------------------------------------

_LUA_LONG_BRACKET = re.compile(r"\[(=*)\[")
_LUA_LIBRARY = re.compile(r"(?<![\w.:])(string|math|io|debug|coroutine|os)\s*[.\[]")
_LUA_STRING_METHOD = re.compile(
    r":\s*(byte|char|find|format|gmatch|gsub|len|lower|match|rep|reverse|sub|upper)\s*[(\"'{\[]"
)
_LUA_REQUIRE_OS = re.compile(r"\brequire\s*\(?\s*[\"']os[\"']")


def _lua_code(script: str) -> str:
    """``script`` with comments and string literals blanked (so words inside them never match)."""
    out: list[str] = []
    i = 0
    n = len(script)
    while i < n:
        char = script[i]
        if script.startswith("--", i):
            bracket = _LUA_LONG_BRACKET.match(script, i + 2)
            if bracket:
                end = script.find("]" + bracket.group(1) + "]", bracket.end())
                i = n if end < 0 else end + len(bracket.group(1)) + 2
            else:
                end = script.find("\n", i)
                i = n if end < 0 else end
            out.append(" ")
            continue
        if char in "\"'":
            j = i + 1
            while j < n and script[j] != char and script[j] != "\n":
                j += 2 if script[j] == "\\" else 1
            i = j + 1
            out.append('""')
            continue
        bracket = _LUA_LONG_BRACKET.match(script, i) if char == "[" else None
        if bracket:
            end = script.find("]" + bracket.group(1) + "]", bracket.end())
            i = n if end < 0 else end + len(bracket.group(1)) + 2
            out.append('""')
            continue
        out.append(char)
        i += 1
    return "".join(out)


def lua_library_uses(script: str) -> list[str]:
    """What a script uses that needs ``useOpenLibs`` (libraries and string methods), sorted.

    ``os`` is fine when the script gets it with ``require("os")`` (the safe os).

    >>> lua_library_uses('local s = obj.status -- string.find here is a comment\\nreturn s:lower()')
    ['string methods (:lower)']
    >>> lua_library_uses('local os = require("os")\\nreturn {status = math.floor(os.time())}')
    ['math']
    """
    code = _lua_code(script)
    used: set[str] = set()
    for match in _LUA_LIBRARY.finditer(code):
        used.add(match.group(1))
    if "os" in used and _LUA_REQUIRE_OS.search(script):
        used.discard("os")
    methods = sorted({m.group(1) for m in _LUA_STRING_METHOD.finditer(code)})
    result = sorted(used)
    if methods:
        result.append(f"string methods ({', '.join(':' + m for m in methods)})")
    return result


def _argocd_cms(ctx: PolicyContext) -> Iterator[tuple[Resource | None, Mapping[str, Any]]]:
    if ctx.argocd_cm is not None:
        yield None, ctx.argocd_cm
    for resource in ctx.manifests.by_group_kind("", "ConfigMap"):
        if resource.key.name == "argocd-cm":
            data = resource.object.get("data")
            if isinstance(data, Mapping):
                yield resource, data


@check("GC013", severity=Severity.ERROR, name="lua-without-open-libs")
def argocd_cm_lua_without_open_libs(ctx: PolicyContext) -> Iterator[Finding]:
    """A Lua health override in argocd-cm that uses ``string``/``math``/... without ``useOpenLibs``.

    argocd-cm overrides run with libraries off unless ``useOpenLibs: true``: only base,
    ``table`` and ``package`` exist, so ``string.find``, ``math.floor`` or ``s:lower()`` fail
    at run time and the resource's health becomes Unknown. Set
    ``resource.customizations.useOpenLibs.<group_kind>: "true"`` (or ``health.lua.useOpenLibs``
    in the blob). A malformed health customization key is reported here too.
    """
    from gitops_core.health.registry import parse_argocd_cm

    for resource, data in _argocd_cms(ctx):
        try:
            overrides = parse_argocd_cm(data)
        except HealthConfigError as exc:
            message = f"argocd-cm health customization is invalid: {exc}"
            yield Finding.at(resource, message) if resource is not None else Finding(message)
            continue
        for key, override in sorted(overrides.items()):
            if override.open_libs or not override.script:
                continue
            uses = lua_library_uses(override.script)
            if not uses:
                continue
            message = (
                f"health override {key!r} uses {', '.join(uses)} without useOpenLibs: the script "
                "fails and the health is Unknown"
            )
            yield Finding.at(resource, message) if resource is not None else Finding(message)


# --- GC014 -----------------------------------------------------------------------------------


@check("GC014", severity=Severity.ERROR, name="secret-in-git")
def secret_plain_values(ctx: PolicyContext) -> Iterator[Finding]:
    """A Secret with values in Git (``data`` or ``stringData``).

    Base64 in ``data`` is an encoding, not encryption: anyone who can read the repository can
    read the value. Keep only encrypted or referenced secrets in Git (Sealed Secrets, SOPS,
    External Secrets, the Argo CD vault plugin). The finding names the keys, never the values.
    """
    for resource in ctx.manifests.by_group_kind("", "Secret"):
        fields: list[str] = []
        for field in ("stringData", "data"):
            values = resource.object.get(field)
            if not isinstance(values, Mapping):
                continue
            keys = sorted(str(k) for k, v in values.items() if v not in (None, ""))
            if keys:
                fields.append(f"{field} keys {', '.join(keys)}")
        if fields:
            yield Finding.at(resource, f"Secret holds plain values in Git ({'; '.join(fields)})")


# --- GC011 / GC012 ---------------------------------------------------------------------------

_MAX_LISTED = 5


def _server_views(ctx: PolicyContext) -> list[tuple[Resource, ServerView]]:
    def compute() -> list[tuple[Resource, ServerView]]:
        views: list[tuple[Resource, ServerView]] = []
        for resource in ctx.manifests:
            if resource.key.group == "" and resource.key.kind == "Secret":
                continue  # values of Secrets are never quoted; GC014 covers them
            view = server_view(resource.object)
            if view is not None:
                views.append((resource, view))
        return views

    result: list[tuple[Resource, ServerView]] = ctx.cached("policy.server_views", compute)
    return result


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:_MAX_LISTED])
    if len(items) > _MAX_LISTED:
        shown += f" and {len(items) - _MAX_LISTED} more"
    return shown


def _value_text(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 40 else text[:37] + "..."


@check("GC011", severity=Severity.WARNING, name="server-rewritten-field")
def server_rewritten_field(ctx: PolicyContext) -> Iterator[Finding]:
    """A field of a built-in kind that the API server drops or rewrites, so it never matches.

    Two cases. A field the kind's schema does not have (often a typo such as ``imagePullpolicy``):
    kubectl's strict validation rejects the apply, and with ``Validate=false`` the API server
    silently drops it, so the setting never takes effect. And an object Argo CD cannot decode
    into its Go type (a field of the wrong JSON type, an unknown field): Argo CD then compares
    it raw, so every field the API server writes back in another form (an empty or ``false``
    value it drops because it is the default, a number it prints differently) shows as a
    difference forever: the application never becomes Synced.
    """
    for resource, view in _server_views(ctx):
        if view.unknown_fields:
            yield Finding.at(
                resource,
                f"field(s) not in the schema of {resource.api_version} {resource.key.kind}: "
                f"{_listed(list(view.unknown_fields))}; strict validation rejects the apply, "
                "and with Validate=false the API server drops them silently",
            )
        if view.decodes or view.stored is None:
            continue
        unknown = {path.split(" (did you mean", 1)[0] for path in view.unknown_fields}
        changed = [
            r
            for r in rewrites(remarshal(resource.object), view.stored)
            if not is_quantity_rewrite(r) and r.path not in unknown
        ]
        if not changed:
            continue
        described = [
            f"{r.path} ({_value_text(r.before)} is dropped)"
            if not r.after_present
            else f"{r.path} ({_value_text(r.before)} is stored as {_value_text(r.after)})"
            for r in changed
        ]
        yield Finding.at(
            resource,
            f"Argo CD cannot decode this {resource.key.kind} and compares it as written, but the "
            f"API server rewrites {_listed(described)}: it stays OutOfSync after every sync",
        )


@check("GC012", severity=Severity.ERROR, name="quantity")
def quantity_never_equal(ctx: PolicyContext) -> Iterator[Finding]:
    """A resource quantity that is invalid, or written in a form that never compares equal.

    An invalid quantity (``"1.5 Gi"``, ``"500mb"``) makes the API server reject the object. In
    an object Argo CD compares raw (see GC011), a quantity written in a non-canonical form
    (``0.5``, ``1.5Gi``) never equals the canonical form the API server stores (``500m``,
    ``1536Mi``): reported as a warning with both forms.
    """
    for resource, view in _server_views(ctx):
        if view.invalid_quantities:
            described = [
                f"{path} = {_value_text(value)}" for path, value in view.invalid_quantities
            ]
            yield Finding.at(
                resource,
                f"not a valid quantity: {_listed(described)}; the API server rejects the object",
            )
        if view.decodes or view.stored is None:
            continue
        quantities = [
            r for r in rewrites(remarshal(resource.object), view.stored) if is_quantity_rewrite(r)
        ]
        if quantities:
            described = [
                f"{r.path} ({_value_text(r.before)}, stored as {_value_text(r.after)})"
                for r in quantities
            ]
            yield Finding.at(
                resource,
                f"Argo CD compares this {resource.key.kind} as written (it does not decode), so "
                f"quantities in a non-canonical form never compare equal: {_listed(described)}",
                severity=Severity.WARNING,
            )
