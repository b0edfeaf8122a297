"""Core Kubernetes kinds as typed models (one module per upstream API group and version)."""

from .core_v1 import ConfigMap, Namespace

__all__ = ["ConfigMap", "Namespace"]
