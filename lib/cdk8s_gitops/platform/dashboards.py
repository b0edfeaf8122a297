"""GrafanaDashboard: a Grafana dashboard delivered as a ConfigMap that Grafana's sidecar loads.

Grafana's dashboard sidecar (the ``kiwigrid/k8s-sidecar`` container of the Grafana and
kube-prometheus-stack Helm charts) watches ConfigMaps carrying a label (``grafana_dashboard``
by default) and writes each data key ending in ``.json`` into Grafana's provisioning folder;
an annotation (``grafana_folder`` by default) picks the folder. This construct emits that
ConfigMap from the dashboard's JSON model, serialized deterministically (sorted keys, fixed
indentation), so ``dist/`` stays byte-identical between runs.

The model may be written as data or built with the ``grafana-foundation-sdk`` builders and
turned into data (``json.loads(json.dumps(builder.build(), cls=JSONEncoder))``): the library
itself does not depend on the SDK.
"""

from __future__ import annotations

import json
import re
from typing import Any

import constructs
from pydantic import Field, field_validator, model_validator

from ..core.chart import chart_of
from ..core.lazy import LazyConstruct
from ..core.model import ObjectMeta
from ..core.resource import TypedResource
from ..kube import ConfigMap
from .props import PropsModel

__all__ = ["DASHBOARD_LABEL", "FOLDER_ANNOTATION", "MAX_DASHBOARD_BYTES", "GrafanaDashboard", "GrafanaDashboardProps"]

DASHBOARD_LABEL = "grafana_dashboard"
"""The label the Grafana sidecar looks for by default (``sidecar.dashboards.label``)."""

FOLDER_ANNOTATION = "grafana_folder"
"""The annotation naming the dashboard's folder (``sidecar.dashboards.folderAnnotation`` in the charts)."""

MAX_DASHBOARD_BYTES = 262_144
"""Largest serialized dashboard accepted: client-side apply keeps a copy of the object in the
``kubectl.kubernetes.io/last-applied-configuration`` annotation, and annotations are capped at 256 KiB."""

_UID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class GrafanaDashboardProps(PropsModel):
    """One dashboard.

    Attributes:
        name: the ConfigMap's name; the data key is ``<name>.json``. Required.
        dashboard: the dashboard's JSON model (``title``, ``uid``, ``panels``, ...). Required;
            ``title`` and ``uid`` must be set (a stable ``uid`` keeps links and bookmarks working),
            ``id`` must be absent or null (Grafana assigns it).
        namespace: the ConfigMap's namespace. Default: the chart's.
        folder: the Grafana folder (the ``grafana_folder`` annotation). Default: none (the sidecar's default folder).
        label: the label key the sidecar selects on. Default: ``grafana_dashboard``.
        label_value: its value. Default: ``"1"``.
        extra_labels: more labels of the ConfigMap. Default: none.
        sync_wave: Argo CD sync wave. Default: none.
    """

    name: str
    dashboard: dict[str, Any]
    namespace: str | None = None
    folder: str | None = None
    label: str = DASHBOARD_LABEL
    label_value: str = "1"
    sync_wave: int | None = None
    extra_labels: dict[str, str] = Field(default_factory=dict)

    @field_validator("dashboard")
    @classmethod
    def _model(cls, value: dict[str, Any]) -> dict[str, Any]:
        title, uid = value.get("title"), value.get("uid")
        if not isinstance(title, str) or not title.strip():
            raise ValueError("title: is missing or empty; give the dashboard a title")
        if not isinstance(uid, str) or not _UID.match(uid):
            raise ValueError(f"uid: {uid!r} is not a dashboard uid; use 1-40 letters, digits, '-' or '_' "
                             "(a stable uid keeps links to the dashboard working)")
        if value.get("id") is not None:
            raise ValueError(f"id: {value['id']!r} is set; remove it (Grafana assigns ids to provisioned dashboards)")
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"is not plain JSON data ({exc}); convert builder objects with json.loads(json.dumps(...))") from None
        return value

    @model_validator(mode="after")
    def _size(self) -> GrafanaDashboardProps:
        size = len(self.json_text().encode())
        if size > MAX_DASHBOARD_BYTES:
            raise ValueError(f"dashboard: {size} bytes serialized, above {MAX_DASHBOARD_BYTES}; split it into "
                             "several dashboards (client-side apply stores the whole object in a 256 KiB annotation)")
        return self

    def json_text(self) -> str:
        """The dashboard as the sidecar reads it: sorted keys, two-space indentation, final newline."""
        return json.dumps(self.dashboard, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class GrafanaDashboard(LazyConstruct):
    """A dashboard ConfigMap for Grafana's sidecar.

    Args:
        scope: a construct in a :class:`~cdk8s_gitops.core.chart.GitOpsChart`.
        id: construct id, unique in the scope.
        props: the dashboard.

    Attributes: ``config_map`` (the :class:`TypedResource`), ``uid`` and ``title`` of the dashboard.
    """

    def __init__(self, scope: constructs.Construct, id: str, props: GrafanaDashboardProps) -> None:
        super().__init__(scope, id)
        self._gitops_chart = chart_of(scope)
        self.props = props
        self.uid: str = props.dashboard["uid"]
        self.title: str = props.dashboard["title"]
        metadata = ObjectMeta(name=props.name, namespace=props.namespace,
                              labels={**props.extra_labels, props.label: props.label_value},
                              annotations={FOLDER_ANNOTATION: props.folder} if props.folder is not None else None)
        self.config_map = TypedResource(self, ConfigMap(
            metadata=metadata, data={f"{props.name}.json": props.json_text()},
        ), sync_wave=props.sync_wave)
