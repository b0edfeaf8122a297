"""Platform (L3) constructs: compositions of the typed resources for whole services and apps.

Importing this package registers its cross-object checks (:mod:`.checks`).
"""

from . import checks
from .microservice import Microservice, MicroserviceProps
from .props import MetricsSettings, Resources, RouteSettings, SecretEnv

__all__ = ["MetricsSettings", "Microservice", "MicroserviceProps", "Resources", "RouteSettings", "SecretEnv", "checks"]
