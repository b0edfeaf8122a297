"""ReferenceGrant (gateway.networking.k8s.io ``v1``; ``v1beta1`` and ``v1alpha2`` are still served).

:class:`ReferenceGrant` is the generated ``v1`` class; :class:`ReferenceGrantV1Beta1` and
:class:`ReferenceGrantV1Alpha2` the older versions (``from_manifest`` picks the class by
``apiVersion``). The schema states every rule of this kind; nothing is added here.
"""

from __future__ import annotations

from ..models import gateway_networking_k8s_io_v1 as v1
from ..models import gateway_networking_k8s_io_v1alpha2 as v1alpha2
from ..models import gateway_networking_k8s_io_v1beta1 as v1beta1

__all__ = ["ReferenceGrant", "ReferenceGrantV1Alpha2", "ReferenceGrantV1Beta1"]

ReferenceGrant = v1.ReferenceGrant
ReferenceGrantV1Beta1 = v1beta1.ReferenceGrant
ReferenceGrantV1Alpha2 = v1alpha2.ReferenceGrant
