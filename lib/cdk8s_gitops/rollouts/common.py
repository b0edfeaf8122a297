"""Structures shared by Rollouts and analysis templates: analysis references, arguments, metadata."""

from __future__ import annotations

import re
from typing import Literal, Self

from pydantic import model_validator

from ..core.fields import Issues, NonNegativeInt, check_labels
from ..core.model import K8sModel

__all__ = [
    "AnalysisRunArgument",
    "AnalysisRunArgumentValueFrom",
    "AnalysisTemplateRef",
    "Argument",
    "ArgumentValueFrom",
    "BackgroundAnalysis",
    "DryRun",
    "FieldRef",
    "MeasurementRetention",
    "PodMetadata",
    "RolloutAnalysis",
    "SecretKeyRef",
    "StringMatch",
]


class PodMetadata(K8sModel):
    """Labels and annotations added to pods, ReplicaSets or analysis runs.

    Used for ``canaryMetadata``, ``stableMetadata``, ``activeMetadata``, ``previewMetadata``,
    ``analysisRunMetadata`` and experiment template metadata.

    Attributes:
        labels: ``labels``. Default: none.
        annotations: ``annotations``. Default: none.
    """

    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        why = check_labels(self.labels, "label")
        if why:
            problems = Issues()
            problems.add(("labels",), why, self.labels)
            problems.raise_any("PodMetadata")
        return self


class FieldRef(K8sModel):
    """A field of the Rollout passed to an analysis argument (downward-API style).

    Attributes:
        field_path: ``fieldPath``, such as ``metadata.name`` or ``metadata.labels['app']``. Required.
    """

    field_path: str


_METADATA_PATH = re.compile(r"^metadata\.(name|namespace|uid|(labels|annotations)(\['[^']+'\])?)$")


class SecretKeyRef(K8sModel):
    """One key of a Secret in the template's namespace.

    Attributes:
        name: ``name`` of the Secret. Required.
        key: ``key`` inside the Secret. Required.
    """

    name: str
    key: str


class ArgumentValueFrom(K8sModel):
    """Where an analysis template argument takes its value from.

    Attributes:
        secret_key_ref: ``secretKeyRef``: a key of a Secret. Default: none.
        field_ref: ``fieldRef``: a field of the Rollout. Default: none.
    """

    secret_key_ref: SecretKeyRef | None = None
    field_ref: FieldRef | None = None


class Argument(K8sModel):
    """An argument declared by an analysis template (``spec.args[]``), used as ``{{args.<name>}}``.

    Attributes:
        name: ``name``. Required.
        value: ``value``: a default value (a string). Default: none (the caller must supply it).
        value_from: ``valueFrom``: take the value from a Secret or a Rollout field. Default: none.
    """

    name: str
    value: str | None = None
    value_from: ArgumentValueFrom | None = None


class AnalysisRunArgumentValueFrom(K8sModel):
    """Where an argument passed by a Rollout takes its value from.

    Attributes:
        pod_template_hash_value: ``podTemplateHashValue``: the pod-template hash of the
            ``Stable`` or ``Latest`` ReplicaSet. Default: none.
        field_ref: ``fieldRef``: a field of the Rollout (``metadata.name``, ``metadata.labels['x']``). Default: none.
    """

    pod_template_hash_value: Literal["Stable", "Latest"] | None = None
    field_ref: FieldRef | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        path = self.field_ref.field_path if self.field_ref else None
        if path is not None and path.startswith("metadata") and not _METADATA_PATH.match(path):
            problems = Issues()
            problems.add(("fieldRef", "fieldPath"),
                         f"fieldPath {path!r} is not a Rollout metadata field analysis arguments can read; use metadata.name, "
                         f"metadata.namespace, metadata.uid, metadata.labels['<key>'] or metadata.annotations['<key>']", path)
            problems.raise_any("AnalysisRunArgumentValueFrom")
        return self


class AnalysisRunArgument(K8sModel):
    """An argument a Rollout passes to its analysis templates.

    Attributes:
        name: ``name`` of the template argument. Required.
        value: ``value`` (a string). Default: none.
        value_from: ``valueFrom``. Default: none.
    """

    name: str
    value: str | None = None
    value_from: AnalysisRunArgumentValueFrom | None = None


class AnalysisTemplateRef(K8sModel):
    """A reference to an AnalysisTemplate, or a ClusterAnalysisTemplate with ``cluster_scope``.

    Attributes:
        template_name: ``templateName``. Required.
        cluster_scope: ``clusterScope``: the name is a ClusterAnalysisTemplate. Default: none (upstream: false).
    """

    template_name: str
    cluster_scope: bool | None = None


class DryRun(K8sModel):
    """Metrics whose results are recorded but never fail the analysis.

    Attributes:
        metric_name: ``metricName``: a metric name or a regular expression over names. Required.
    """

    metric_name: str


class MeasurementRetention(K8sModel):
    """How many measurements of a metric to keep.

    Attributes:
        metric_name: ``metricName``: a metric name or a regular expression over names. Required.
        limit: ``limit``: measurements kept. Required.
    """

    metric_name: str
    limit: NonNegativeInt


class RolloutAnalysis(K8sModel):
    """Analysis run by a Rollout: a canary ``analysis`` step, or blue-green pre/post-promotion analysis.

    Attributes:
        templates: ``templates``: the analysis templates to run together. Default: none.
        args: ``args`` passed to the templates. Default: none.
        dry_run: ``dryRun`` metrics. Default: none.
        measurement_retention: ``measurementRetention``. Default: none.
        analysis_run_metadata: ``analysisRunMetadata``: labels and annotations of the AnalysisRun. Default: none.
    """

    templates: list[AnalysisTemplateRef] | None = None
    args: list[AnalysisRunArgument] | None = None
    dry_run: list[DryRun] | None = None
    measurement_retention: list[MeasurementRetention] | None = None
    analysis_run_metadata: PodMetadata | None = None


class BackgroundAnalysis(RolloutAnalysis):
    """Canary background analysis (``spec.strategy.canary.analysis``), running while the update progresses.

    Attributes:
        starting_step: ``startingStep``: the step index at which the analysis starts. Default: none (upstream: 0, from the start).
    """

    starting_step: NonNegativeInt | None = None


class StringMatch(K8sModel):
    """A string match with exactly one of ``exact``, ``prefix`` or ``regex``.

    Attributes:
        exact: ``exact``. Default: none.
        prefix: ``prefix``. Default: none.
        regex: ``regex``. Default: none.
    """

    exact: str | None = None
    prefix: str | None = None
    regex: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        given = [k for k in ("exact", "prefix", "regex") if getattr(self, k)]
        if len(given) != 1:
            shown = self.dump()
            what = "sets none of exact, prefix or regex" if not given else f"sets {' and '.join(given)}"
            raise ValueError(f"the match {shown!r} {what}; set exactly one of exact, prefix or regex")
        return self
