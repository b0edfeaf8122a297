"""The restricted Pod Security Standard as typed security contexts, shared by every platform construct."""

from __future__ import annotations

from typing import Literal

from ..kube import Capabilities, PodSecurityContext, SeccompProfile, SecurityContext

__all__ = ["restricted_container_security", "restricted_pod_security"]


def restricted_container_security(uid: int) -> SecurityContext:
    """A container ``securityContext`` meeting the restricted standard: non-root ``uid``, no privilege
    escalation, all capabilities dropped, seccomp ``RuntimeDefault``, read-only root filesystem."""
    return SecurityContext(allow_privilege_escalation=False, privileged=False, read_only_root_filesystem=True,
                           run_as_non_root=True, run_as_user=uid, run_as_group=uid,
                           capabilities=Capabilities(drop=["ALL"]), seccomp_profile=SeccompProfile(type="RuntimeDefault"))


def restricted_pod_security(uid: int, *,
                            fs_group_change_policy: Literal["Always", "OnRootMismatch"] | None = None) -> PodSecurityContext:
    """A pod ``securityContext``: non-root ``uid`` and group, ``fsGroup`` ``uid``, seccomp ``RuntimeDefault``,
    and ``fsGroupChangePolicy`` when given (``"OnRootMismatch"`` for large volumes)."""
    return PodSecurityContext(run_as_non_root=True, run_as_user=uid, run_as_group=uid, fs_group=uid,
                              seccomp_profile=SeccompProfile(type="RuntimeDefault"),
                              fs_group_change_policy=fs_group_change_policy)
