"""GatewayClass (gateway.networking.k8s.io ``v1``, also served as ``v1beta1``): a kind of Gateway.

Cluster-scoped. It names the controller that implements Gateways of this class
(``controllerName``, a domain-prefixed path such as ``konghq.com/kic-gateway-controller``)
and optionally points at an implementation-specific parameters object.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator

from ..core.model import K8sModel, Resource
from ._common import GROUP, Group, Kind, Namespace, ObjectName

__all__ = ["GatewayClass", "GatewayClassSpec", "ParametersReference"]

_CONTROLLER = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$")


def _controller_name(value: str) -> str:
    if not 1 <= len(value) <= 253 or not _CONTROLLER.match(value):
        raise ValueError(f"controllerName {value!r} is not a domain-prefixed path; use the name your controller "
                         f"documents, such as 'konghq.com/kic-gateway-controller'")
    return value


def _description(value: str) -> str:
    if len(value) > 64:
        raise ValueError(f"description has {len(value)} characters, more than 64; shorten it")
    return value


class ParametersReference(K8sModel):
    """``parametersRef``: an implementation-specific configuration object for the class.

    Attributes:
        group: ``group``. Required.
        kind: ``kind``. Required.
        name: ``name``. Required.
        namespace: ``namespace``: for namespaced parameter kinds. Default: none (cluster-scoped).
    """

    group: Group
    kind: Kind
    name: ObjectName
    namespace: Namespace | None = None


class GatewayClassSpec(K8sModel):
    """``spec`` of a GatewayClass.

    Attributes:
        controller_name: ``controllerName``: the controller that manages this class (immutable). Required.
        parameters_ref: ``parametersRef``: see :class:`ParametersReference`. Default: none.
        description: ``description``: at most 64 characters. Default: none.
    """

    controller_name: Annotated[str, AfterValidator(_controller_name)]
    parameters_ref: ParametersReference | None = None
    description: Annotated[str, AfterValidator(_description)] | None = None


class GatewayClass(Resource):
    """A GatewayClass (``gateway.networking.k8s.io/v1``; ``v1beta1`` has the same schema). Cluster-scoped.

    Attributes:
        spec: ``spec``: see :class:`GatewayClassSpec`. Required.
        status: ``status``: written by the controller, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "GatewayClass"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1", f"{GROUP}/v1beta1")
    NAMESPACED: ClassVar[bool] = False

    spec: GatewayClassSpec
    status: dict[str, Any] | None = None
