"""`import` and `convert` read YAML within the same budgets as environment files: alias bombs are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cdk8s_gitops.codegen.sources import crds_from_paths
from cdk8s_gitops.core.errors import ConfigError
from cdk8s_gitops.synth.convert import read_manifests

BOMB = """apiVersion: v1
kind: ConfigMap
metadata: {name: x}
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""


class TestBoundedSources:
    def test_convert_refuses_an_alias_bomb(self, tmp_path: Path) -> None:
        """convert names the file and line of the alias that exceeds the budget."""
        (tmp_path / "bomb.yaml").write_text(BOMB)
        with pytest.raises(ConfigError, match=r"bomb.yaml: line \d+: YAML alias \*\w expands"):
            read_manifests([str(tmp_path / "bomb.yaml")])

    def test_import_refuses_an_alias_bomb_and_a_fifo(self, tmp_path: Path) -> None:
        """import reads CRD files as regular files within limits."""
        (tmp_path / "crd.yaml").write_text(BOMB.replace("kind: ConfigMap", "kind: CustomResourceDefinition"))
        with pytest.raises(ConfigError, match="alias"):
            crds_from_paths([tmp_path / "crd.yaml"])
        os.mkfifo(tmp_path / "pipe.yaml")
        with pytest.raises(ConfigError, match="FIFO"):
            crds_from_paths([tmp_path / "pipe.yaml"])
