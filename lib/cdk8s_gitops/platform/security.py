"""The restricted Pod Security Standard as manifest fragments, shared by every platform construct."""

from __future__ import annotations

from typing import Any

__all__ = ["restricted_container_security", "restricted_pod_security"]


def restricted_container_security(uid: int) -> dict[str, Any]:
    """A container ``securityContext`` meeting the restricted standard: non-root ``uid``, no privilege
    escalation, all capabilities dropped, seccomp ``RuntimeDefault``, read-only root filesystem."""
    return {"allowPrivilegeEscalation": False, "privileged": False, "readOnlyRootFilesystem": True,
            "runAsNonRoot": True, "runAsUser": uid, "runAsGroup": uid,
            "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}


def restricted_pod_security(uid: int, **extra: Any) -> dict[str, Any]:
    """A pod ``securityContext``: non-root ``uid`` and group, ``fsGroup`` ``uid``, seccomp ``RuntimeDefault``;
    ``extra`` adds fields (``fsGroupChangePolicy="OnRootMismatch"``)."""
    return {"runAsNonRoot": True, "runAsUser": uid, "runAsGroup": uid, "fsGroup": uid,
            "seccompProfile": {"type": "RuntimeDefault"}, **extra}
