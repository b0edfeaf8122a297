"""Pod rules on the generated core models: containers, volumes, the pod spec and pod templates.

Besides the semantic checks of :class:`Container`, :class:`Volume` and :class:`PodSpec`,
this module holds the functions every workload kind shares (Deployment, StatefulSet,
DaemonSet, Job here; Argo Rollouts elsewhere): :func:`selector_template_issues`,
:func:`pod_template_issues` and :func:`volume_mount_issues`. They take any object shaped
like the generated classes (a pod template with ``metadata.labels`` and ``spec``), so that
custom resources embedding a pod template get the same checks.
"""

from __future__ import annotations

from typing import Any

from ..core.fields import Issues, check_labels, wire_name
from ..core.schema import semantic_check
from ..models.core_v1 import Container, ContainerPort, PodSpec, PodTemplateSpec, Volume
from ..models.meta_v1 import LabelSelector, LabelSelectorRequirement
from ._checks import (
    DNS_LABEL,
    NON_NEGATIVE,
    PORT,
    PORT_NAME,
    POSITIVE,
    RESOURCE_QUANTITY,
    value_rules,
)

__all__ = [
    "pod_template_issues",
    "selector_is_empty",
    "selector_matches",
    "selector_template_issues",
    "volume_mount_issues",
]


# -- selectors -------------------------------------------------------------------------------
def selector_is_empty(selector: LabelSelector) -> bool:
    """True when ``selector`` has neither labels nor expressions (it selects everything)."""
    return not selector.match_labels and not selector.match_expressions


def _requirement_matches(expr: LabelSelectorRequirement, labels: dict[str, str]) -> bool:
    if expr.operator == "Exists":
        return expr.key in labels
    if expr.operator == "DoesNotExist":
        return expr.key not in labels
    if expr.operator == "In":
        return labels.get(expr.key) in (expr.values or [])
    return labels.get(expr.key) not in (expr.values or [])


def selector_matches(selector: LabelSelector, labels: dict[str, str] | None) -> bool:
    """Whether an object with ``labels`` is selected by ``selector`` (an empty selector selects everything)."""
    labels = labels or {}
    if any(labels.get(k) != v for k, v in (selector.match_labels or {}).items()):
        return False
    return all(_requirement_matches(expr, labels) for expr in selector.match_expressions or [])


def selector_template_issues(selector: LabelSelector, template: PodTemplateSpec | Any, kind: str) -> Issues:
    """Check that a workload's ``selector`` selects its own pod ``template``.

    Locations are relative to the workload spec (``selector.matchLabels``).
    """
    issues = Issues()
    if selector_is_empty(selector):
        issues.add(("selector",), f"the selector of a {kind} is empty and would select every pod in the namespace; "
                                  "set selector.matchLabels to the pod template's identifying labels", selector.dump())
        return issues
    labels = (template.metadata.labels if template.metadata else None) or {}
    missing = {k: v for k, v in (selector.match_labels or {}).items() if labels.get(k) != v}
    if missing:
        differences = ", ".join(f"{k}={v!r}" for k, v in missing.items())
        issues.add(
            ("selector", "matchLabels"),
            f"selector.matchLabels {selector.match_labels!r} is not a subset of template.metadata.labels {labels!r} "
            f"({differences} missing or different in the template); make template.metadata.labels include every selector label",
            selector.match_labels,
        )
    for i, expr in enumerate(selector.match_expressions or []):
        if not _requirement_matches(expr, labels):
            issues.add(
                ("selector", "matchExpressions", i),
                f"selector.matchExpressions[{i}] ({expr.key} {expr.operator} {expr.values or []}) does not match "
                f"template.metadata.labels {labels!r}; change the expression or the template labels so that the selector selects the template",
                expr.dump(),
            )
    return issues


# -- containers ------------------------------------------------------------------------------
value_rules(ContainerPort, container_port=PORT, host_port=PORT, name=PORT_NAME)
value_rules(Container, name=DNS_LABEL)


@semantic_check(Container)
def _container(container: Container) -> None:
    issues = Issues()
    for field, probe in (("livenessProbe", container.liveness_probe), ("startupProbe", container.startup_probe)):
        if probe is not None and probe.success_threshold not in (None, 1):
            issues.add((field, "successThreshold"),
                       f"{field}.successThreshold is {probe.success_threshold} in container {container.name!r}; "
                       f"use 1 (upstream requires 1 for {field}s)", probe.success_threshold)
    seen: dict[str, int] = {}
    for i, port in enumerate(container.ports or []):
        if port.name is None:
            continue
        if port.name in seen:
            issues.add(("ports", i, "name"), f"port name {port.name!r} is already used by ports[{seen[port.name]}] of container "
                                             f"{container.name!r}; give each port a distinct name", port.name)
        seen.setdefault(port.name, i)
    mounts: dict[str, int] = {}
    for i, mount in enumerate(container.volume_mounts or []):
        if mount.mount_path in mounts:
            issues.add(("volumeMounts", i, "mountPath"), f"mountPath {mount.mount_path!r} is already used by "
                                                         f"volumeMounts[{mounts[mount.mount_path]}]; mount each path once", mount.mount_path)
        mounts.setdefault(mount.mount_path, i)
    issues.raise_any("Container")


# -- volumes ---------------------------------------------------------------------------------
value_rules(Volume, name=DNS_LABEL)


@semantic_check(Volume)
def _one_volume_source(volume: Volume) -> None:
    given = sorted(wire_name(Volume, f) for f in volume.model_fields_set if f != "name" and getattr(volume, f) is not None)
    if len(given) > 1:
        raise ValueError(f"volume {volume.name!r} has several sources ({', '.join(given)}); give each volume exactly one source")


# -- pod spec --------------------------------------------------------------------------------
value_rules(PodSpec, active_deadline_seconds=POSITIVE, overhead=RESOURCE_QUANTITY, termination_grace_period_seconds=NON_NEGATIVE)


@semantic_check(PodSpec)
def _pod_spec(spec: PodSpec) -> None:
    issues = Issues()
    if not spec.containers:
        issues.add(("containers",), "the pod has no containers; add at least one container", [])
    names: dict[str, str] = {}
    for field, containers in (("initContainers", spec.init_containers), ("containers", spec.containers)):
        for i, container in enumerate(containers or []):
            if container.name in names:
                issues.add((field, i, "name"), f"container name {container.name!r} is already used by {names[container.name]}; "
                                               f"give every container and init container a distinct name", container.name)
            names.setdefault(container.name, f"{field}[{i}]")
    volumes: dict[str, int] = {}
    for i, volume in enumerate(spec.volumes or []):
        if volume.name in volumes:
            issues.add(("volumes", i, "name"), f"volume name {volume.name!r} is already used by volumes[{volumes[volume.name]}]; "
                                               f"give every volume a distinct name", volume.name)
        volumes.setdefault(volume.name, i)
    why = check_labels(spec.node_selector, "nodeSelector")
    if why:
        issues.add(("nodeSelector",), why, spec.node_selector)
    issues.raise_any("PodSpec")


def volume_mount_issues(spec: PodSpec | Any, extra_volumes: set[str] | frozenset[str] = frozenset()) -> Issues:
    """Mounts of ``spec``'s containers that name no pod volume (``extra_volumes``: StatefulSet claim template names).

    Not a check of PodSpec itself (a StatefulSet template may mount its claim templates);
    workload kinds call it with what they add. Locations are relative to the pod spec.
    """
    issues = Issues()
    known = {v.name for v in spec.volumes or []} | set(extra_volumes)
    for field, containers in (("initContainers", spec.init_containers), ("containers", spec.containers)):
        for i, container in enumerate(containers or []):
            for j, mount in enumerate(container.volume_mounts or []):
                if mount.name not in known:
                    listed = ", ".join(sorted(known)) or "none"
                    issues.add((field, i, "volumeMounts", j, "name"),
                               f"container {container.name!r} mounts volume {mount.name!r}, which the pod does not define "
                               f"(volumes: {listed}); add a volume named {mount.name!r} or fix the mount's name", mount.name)
    return issues


def pod_template_issues(
    template: PodTemplateSpec | Any,
    *,
    allowed_restart: tuple[str, ...] | None,
    kind: str,
    extra_volumes: set[str] | frozenset[str] = frozenset(),
) -> Issues:
    """Checks of a workload's pod template that depend on the workload kind.

    ``allowed_restart``: the pod restartPolicy values the kind accepts; for a kind that
    needs one set explicitly (Jobs), the tuple excludes ``Always``. Locations are relative
    to the template (``spec.restartPolicy``).
    """
    issues = Issues()
    spec = template.spec
    if spec is None:
        issues.add((), f"the pod template of a {kind} has no spec; add template.spec with at least one container", None)
        return issues
    if allowed_restart is not None:
        policy = spec.restart_policy or "Always"
        if policy not in allowed_restart:
            shown = repr(spec.restart_policy) if spec.restart_policy else "unset (Always)"
            issues.add(("spec", "restartPolicy"), f"restartPolicy is {shown}, which a {kind} does not accept; "
                                                  f"use {' or '.join(repr(p) for p in allowed_restart)}", spec.restart_policy)
    issues.extend(("spec",), volume_mount_issues(spec, extra_volumes))
    return issues
