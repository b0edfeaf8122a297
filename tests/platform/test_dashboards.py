"""GrafanaDashboard: a dashboard ConfigMap for Grafana's sidecar, deterministic JSON, clear refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cdk8s_gitops import ManifestError
from cdk8s_gitops.platform.dashboards import (
    DASHBOARD_LABEL,
    FOLDER_ANNOTATION,
    MAX_DASHBOARD_BYTES,
    GrafanaDashboard,
    GrafanaDashboardProps,
)
from cdk8s_gitops.testing import synth_chart

BOARD = {"uid": "shop-overview", "title": "Shop overview", "panels": [{"type": "stat", "title": "Up"}]}


def build(props: GrafanaDashboardProps) -> dict[str, Any]:
    (manifest,) = synth_chart(lambda scope, env: GrafanaDashboard(scope, "board", props), app="shop")
    return manifest


class TestGrafanaDashboard:
    def test_config_map(self) -> None:
        """A ConfigMap with the sidecar label, the folder annotation and the dashboard under <name>.json."""
        cm = build(GrafanaDashboardProps(name="shop-overview", dashboard=BOARD, folder="Shop", namespace="monitoring"))
        assert cm["kind"] == "ConfigMap"
        assert cm["metadata"]["namespace"] == "monitoring"
        assert cm["metadata"]["labels"][DASHBOARD_LABEL] == "1"
        assert cm["metadata"]["annotations"] == {FOLDER_ANNOTATION: "Shop"}
        assert json.loads(cm["data"]["shop-overview.json"]) == BOARD

    def test_deterministic_json(self) -> None:
        """The JSON has sorted keys and a final newline whatever the dict order, so dist/ is byte-stable."""
        shuffled = {"panels": BOARD["panels"], "title": BOARD["title"], "uid": BOARD["uid"]}
        text = GrafanaDashboardProps(name="a", dashboard=shuffled).json_text()
        assert text == GrafanaDashboardProps(name="a", dashboard=BOARD).json_text()
        assert text.endswith("}\n") and text.index('"panels"') < text.index('"title"') < text.index('"uid"')

    def test_chart_namespace_and_custom_label(self) -> None:
        """Without a namespace the chart's applies; label and value can follow another sidecar setup."""
        cm = build(GrafanaDashboardProps(name="a", dashboard=BOARD, label="dashboards", label_value="shop"))
        assert cm["metadata"]["namespace"] == "shop-test"
        assert cm["metadata"]["labels"]["dashboards"] == "shop"
        assert "annotations" not in cm["metadata"]

    def test_missing_title_refused(self) -> None:
        """A dashboard without a title is refused."""
        with pytest.raises(ManifestError, match="title: is missing"):
            GrafanaDashboardProps(name="a", dashboard={"uid": "x"})

    @pytest.mark.parametrize("uid", [None, "", "has space", "x" * 41])
    def test_bad_uid_refused(self, uid: Any) -> None:
        """The uid must be 1-40 letters, digits, '-' or '_'; the message shows the bad value."""
        with pytest.raises(ManifestError, match="uid: "):
            GrafanaDashboardProps(name="a", dashboard={"title": "t", "uid": uid})

    def test_id_refused(self) -> None:
        """A set id is refused: Grafana assigns ids to provisioned dashboards."""
        with pytest.raises(ManifestError, match="id: 7 is set"):
            GrafanaDashboardProps(name="a", dashboard={"title": "t", "uid": "u", "id": 7})

    def test_non_json_refused(self) -> None:
        """Objects that are not JSON data (an SDK builder left unconverted) are refused with the fix."""
        with pytest.raises(ManifestError, match=r"json\.loads"):
            GrafanaDashboardProps(name="a", dashboard={"title": "t", "uid": "u", "panels": [object()]})

    def test_too_large_refused(self) -> None:
        """A dashboard larger than the annotation limit of client-side apply is refused."""
        big = {"title": "t", "uid": "u", "description": "x" * MAX_DASHBOARD_BYTES}
        with pytest.raises(ManifestError, match="split it"):
            GrafanaDashboardProps(name="a", dashboard=big)
