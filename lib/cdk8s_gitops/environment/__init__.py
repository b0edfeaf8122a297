"""Environments as data: the spec model, the loader, and comment-preserving edits."""

from .loader import discover_environments, load_environment, load_environments
from .spec import (
    AppSettings,
    AutoscalingSpec,
    BlueGreenSpec,
    CanarySpec,
    CanaryStepSpec,
    ClusterSpec,
    EnvironmentSpec,
    GatewaySpec,
    GitSpec,
    ImagePolicy,
    ResolvedAppSettings,
    RolloutSpec,
    SecretStoreSpec,
    SyncPolicySpec,
    check_image_tag,
)

__all__ = [
    "AppSettings",
    "AutoscalingSpec",
    "BlueGreenSpec",
    "CanarySpec",
    "CanaryStepSpec",
    "ClusterSpec",
    "EnvironmentSpec",
    "GatewaySpec",
    "GitSpec",
    "ImagePolicy",
    "ResolvedAppSettings",
    "RolloutSpec",
    "SecretStoreSpec",
    "SyncPolicySpec",
    "check_image_tag",
    "discover_environments",
    "load_environment",
    "load_environments",
]
