"""ReferenceGrant (gateway.networking.k8s.io ``v1``, also ``v1beta1`` and ``v1alpha2``).

Lives in the namespace of the *target*: it lets objects of the listed kinds in other
namespaces (``from``) refer to objects here (``to``): a route in ``shop`` sending traffic
to a Service in ``payments``, a Gateway using a certificate Secret from ``certs``, a
Service using a KongPlugin from another namespace.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from ..core.model import K8sModel, Resource
from ._common import GROUP, Group, Kind, Namespace, ObjectName, limit

__all__ = ["ReferenceGrant", "ReferenceGrantFrom", "ReferenceGrantSpec", "ReferenceGrantTo"]


class ReferenceGrantFrom(K8sModel):
    """Who may refer: objects of ``group``/``kind`` in ``namespace``.

    Attributes:
        group: ``group``: ``""`` for core, ``gateway.networking.k8s.io`` for routes and Gateways. Required.
        kind: ``kind``: ``HTTPRoute``, ``Gateway``, ``Service``... Required.
        namespace: ``namespace``: where the referring objects live. Required.
    """

    group: Group
    kind: Kind
    namespace: Namespace


class ReferenceGrantTo(K8sModel):
    """What may be referred to, in the grant's own namespace.

    Attributes:
        group: ``group``: ``""`` for core. Required.
        kind: ``kind``: ``Service``, ``Secret``, ``KongPlugin``... Required.
        name: ``name``: one object only. Default: every object of the kind.
    """

    group: Group
    kind: Kind
    name: ObjectName | None = None


class ReferenceGrantSpec(K8sModel):
    """``spec`` of a ReferenceGrant.

    Attributes:
        from_: ``from``: 1-16 entries; see :class:`ReferenceGrantFrom`. Required.
        to: ``to``: 1-16 entries; see :class:`ReferenceGrantTo`. Required.
    """

    from_: Annotated[list[ReferenceGrantFrom], limit("from entries", 16, minimum=1, fix="split them across several ReferenceGrants", optional=False)]
    to: Annotated[list[ReferenceGrantTo], limit("to entries", 16, minimum=1, fix="split them across several ReferenceGrants", optional=False)]


class ReferenceGrant(Resource):
    """A ReferenceGrant (``gateway.networking.k8s.io/v1``; ``v1beta1`` and ``v1alpha2`` have the same fields).

    Attributes:
        spec: ``spec``: see :class:`ReferenceGrantSpec`. Required.
    """

    KIND: ClassVar[str] = "ReferenceGrant"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1", f"{GROUP}/v1beta1", f"{GROUP}/v1alpha2")

    spec: ReferenceGrantSpec
