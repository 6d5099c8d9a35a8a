"""Every error gitops_core raises on purpose derives from :class:`GitopsCoreError`.

Errors about user input carry where the input came from (file, document index, line) and a
``__str__`` that reads as one line a user can act on. Messages never include Secret values.

Each area of the library has its own section below; add new errors to the section of the area.
"""

from __future__ import annotations

__all__ = [
    "AliasBombError",
    "ArgoConfigError",
    "DiffError",
    "DocumentTooLargeError",
    "DuplicateKeyError",
    "DuplicateResourceError",
    "GitopsCoreError",
    "HealthCheckError",
    "HealthConfigError",
    "IgnoreRuleError",
    "InvalidDocumentError",
    "InvalidResourceKeyError",
    "JqUnavailableError",
    "LuaTestError",
    "ManifestError",
    "PolicyCheckError",
    "PolicyError",
    "UsageError",
    "YamlSyntaxError",
]


class GitopsCoreError(Exception):
    """Base class of every error raised by gitops_core."""


class UsageError(GitopsCoreError, ValueError):
    """A caller passed an argument the library cannot use (wrong type, unknown option value)."""


# --------------------------------------------------------------------------------------------
# Resource identity
# --------------------------------------------------------------------------------------------


class InvalidResourceKeyError(GitopsCoreError, ValueError):
    """A string could not be parsed as ``group/kind/namespace/name``."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(text, reason)

    def __str__(self) -> str:
        return f"invalid resource key {self.text!r}: {self.reason} (expected group/kind/namespace/name)"


# --------------------------------------------------------------------------------------------
# Manifest loading
# --------------------------------------------------------------------------------------------


class ManifestError(GitopsCoreError, ValueError):
    """An input document is not a usable Kubernetes manifest.

    Attributes:
        path: the file (``"<stdin>"`` or the ``source`` given to ``parse_manifests``).
        document: 0-based index of the YAML document in the file (``None`` when the whole file is bad).
        line: 1-based line in the file (``None`` when unknown).
        detail: what is wrong, without location.
    """

    def __init__(
        self,
        detail: str,
        *,
        path: str = "<string>",
        document: int | None = None,
        line: int | None = None,
    ) -> None:
        self.detail = detail
        self.path = path
        self.document = document
        self.line = line
        super().__init__(detail)

    @property
    def location(self) -> str:
        """``path:line (document N)`` as far as it is known."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.document is not None:
            where += f" (document {self.document})"
        return where

    def __str__(self) -> str:
        return f"{self.location}: {self.detail}"

    def __reduce__(self) -> tuple[object, ...]:
        # keyword-only constructor: keep errors picklable for process pools
        return (_rebuild_error, (type(self), self.__dict__.copy()))


def _rebuild_error(cls: type[ManifestError], state: dict[str, object]) -> ManifestError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(err, state.get("detail", ""))
    return err


class YamlSyntaxError(ManifestError):
    """The file is not well-formed YAML or JSON."""


class InvalidDocumentError(ManifestError):
    """A document is well-formed but not a valid Kubernetes object (not a mapping, no kind, ...)."""


class DuplicateKeyError(ManifestError):
    """A mapping repeats a key (Kubernetes rejects this; PyYAML would silently keep the last)."""


class DuplicateResourceError(ManifestError):
    """Two documents declare the same resource; names both places."""

    def __init__(
        self,
        detail: str,
        *,
        path: str = "<string>",
        document: int | None = None,
        line: int | None = None,
        first: str = "",
        key: str = "",
    ) -> None:
        super().__init__(detail, path=path, document=document, line=line)
        self.first = first
        self.key = key


class DocumentTooLargeError(ManifestError):
    """A single document exceeds ``max_document_bytes``; raise the limit if the input is trusted."""


class AliasBombError(ManifestError):
    """YAML aliases expand to far more nodes than the text holds ("billion laughs")."""


# --------------------------------------------------------------------------------------------
# Diff and comparison
# --------------------------------------------------------------------------------------------


class DiffError(GitopsCoreError, ValueError):
    """Argo CD would report a comparison error for this resource (the diff cannot be computed).

    Attributes:
        resource: ``Kind/name`` of the desired object.
        detail: what failed, without object contents (they may hold Secret values).
    """

    def __init__(self, resource: str, detail: str) -> None:
        self.resource = resource
        self.detail = detail
        super().__init__(resource, detail)

    def __str__(self) -> str:
        return f"cannot diff {self.resource}: {self.detail}"


class IgnoreRuleError(GitopsCoreError, ValueError):
    """An ignoreDifferences rule cannot be used (a jq expression that does not parse, a bad field).

    Attributes:
        rule: a short description of the rule (group/kind and name), never object content.
        detail: what is wrong.
    """

    def __init__(self, detail: str, *, rule: str = "") -> None:
        self.detail = detail
        self.rule = rule
        super().__init__(detail)

    def __str__(self) -> str:
        where = f"ignoreDifferences rule {self.rule}: " if self.rule else "ignoreDifferences: "
        return where + self.detail


class JqUnavailableError(IgnoreRuleError):
    """A rule uses ``jqPathExpressions`` but the ``jq`` package is missing.

    Install the extra: ``pip install 'gitops-core[jq]'``.
    """


class ArgoConfigError(GitopsCoreError, ValueError):
    """An Argo CD settings document (Application, argocd-cm, overrides) cannot be read.

    Attributes:
        source: the file or key the setting came from.
        detail: what is wrong.
    """

    def __init__(self, detail: str, *, source: str = "") -> None:
        self.detail = detail
        self.source = source
        super().__init__(detail)

    def __str__(self) -> str:
        return f"{self.source}: {self.detail}" if self.source else self.detail


# --------------------------------------------------------------------------------------------
# Sync planning and simulation
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Health and Lua
# --------------------------------------------------------------------------------------------


class HealthCheckError(GitopsCoreError, ValueError):
    """A built-in health check failed the way Argo CD's Go check does.

    ``str()`` is Argo CD's error text (``unsupported Deployment GVK: ...``, ``failed to convert
    unstructured Pod to typed: ...``). The health pipeline turns it into an ``Unknown`` result;
    it only escapes when a check function is called directly.
    """


class HealthConfigError(GitopsCoreError, ValueError):
    """Health customizations cannot be used: a bad argocd-cm key or value, a bad script folder.

    Attributes: ``key`` (the argocd-cm key or group/kind concerned, may be empty), ``source``
    (file or folder, may be empty), ``detail``.
    """

    def __init__(self, detail: str, *, key: str = "", source: str = "") -> None:
        self.detail = detail
        self.key = key
        self.source = source
        super().__init__(detail)

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        what = f"{self.key}: " if self.key else ""
        return f"{where}{what}{self.detail}"


class LuaTestError(GitopsCoreError, ValueError):
    """A ``health_test.yaml`` (or an input it names) cannot be read; names the file."""

    def __init__(self, detail: str, *, path: str = "") -> None:
        self.detail = detail
        self.path = path
        super().__init__(detail)

    def __str__(self) -> str:
        return f"{self.path}: {self.detail}" if self.path else self.detail


# --------------------------------------------------------------------------------------------
# Policy checks
# --------------------------------------------------------------------------------------------


class PolicyError(GitopsCoreError, ValueError):
    """Policy checks cannot be used: a bad registration, an unknown code, a module that fails.

    Attributes: ``code`` (the check code concerned, may be empty), ``detail``.
    """

    def __init__(self, detail: str, *, code: str = "") -> None:
        self.detail = detail
        self.code = code
        super().__init__(detail)

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.code else self.detail


class PolicyCheckError(PolicyError):
    """A policy check raised while running; names the check and the application.

    The original exception is chained (``__cause__``). Attributes: ``app`` (may be empty).
    """

    def __init__(self, detail: str, *, code: str = "", app: str = "") -> None:
        self.app = app
        super().__init__(detail, code=code)

    def __str__(self) -> str:
        where = f" (application {self.app})" if self.app else ""
        return f"check {self.code} failed{where}: {self.detail}"
