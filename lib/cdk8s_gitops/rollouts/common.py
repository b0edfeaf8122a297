"""Structures Rollouts and analysis templates share: analysis references, arguments, metadata.

The classes are the generated ones (:mod:`cdk8s_gitops.models.argoproj_io_v1alpha1`); this
module adds what Argo Rollouts checks beyond the CRD schema, as semantic checks that run
wherever the structure appears (a Rollout, an AnalysisTemplate, an AnalysisRun):

- labels of ``canaryMetadata``, ``analysisRunMetadata`` and the like are valid label maps;
- a Rollout argument's ``valueFrom.fieldRef`` names a metadata field analysis can read, and
  ``podTemplateHashValue`` is ``Stable`` or ``Latest``;
- a template reference names its template; ``limit`` and ``startingStep`` are not negative;
- a header or mirror match sets exactly one of ``exact``, ``prefix`` or ``regex``.

Old names kept for code written against the hand-written classes: ``RolloutAnalysis``
(the analysis of a step or of blue-green promotion) and ``BackgroundAnalysis``
(``spec.strategy.canary.analysis``).
"""

from __future__ import annotations

import re
from typing import Literal

from ..core.fields import Issues, NonNegativeInt, check_labels
from ..core.schema import semantic_check
from ..models.argoproj_io_v1alpha1 import (
    AnalysesArgs,
    AnalysisTemplateSpecArgsValueFrom,
    AnalysisTemplateSpecArgsValueFromSecretKeyRef,
    DryRun,
    FieldRef,
    MeasurementRetention,
    Metadata,
    RolloutSpecStrategyBlueGreenPostPromotionAnalysis,
    RolloutSpecStrategyBlueGreenPostPromotionAnalysisArgs,
    RolloutSpecStrategyBlueGreenPostPromotionAnalysisArgsValueFrom,
    RolloutSpecStrategyCanaryAnalysis,
    RolloutSpecStrategyCanaryStepsSetHeaderRouteMatchHeaderValue,
    Templates,
)
from ._types import field_issues

__all__ = [
    "AnalysesArgs",
    "AnalysisTemplateSpecArgsValueFrom",
    "AnalysisTemplateSpecArgsValueFromSecretKeyRef",
    "BackgroundAnalysis",
    "DryRun",
    "FieldRef",
    "MeasurementRetention",
    "Metadata",
    "RolloutAnalysis",
    "RolloutSpecStrategyBlueGreenPostPromotionAnalysis",
    "RolloutSpecStrategyBlueGreenPostPromotionAnalysisArgs",
    "RolloutSpecStrategyBlueGreenPostPromotionAnalysisArgsValueFrom",
    "RolloutSpecStrategyCanaryAnalysis",
    "RolloutSpecStrategyCanaryStepsSetHeaderRouteMatchHeaderValue",
    "Templates",
]

#: A canary ``analysis`` step, or blue-green ``prePromotionAnalysis`` / ``postPromotionAnalysis``.
RolloutAnalysis = RolloutSpecStrategyBlueGreenPostPromotionAnalysis
#: Canary background analysis (``spec.strategy.canary.analysis``).
BackgroundAnalysis = RolloutSpecStrategyCanaryAnalysis


@semantic_check(Metadata)
def _check_metadata_labels(metadata: Metadata) -> None:
    why = check_labels(metadata.labels, "label")
    if why:
        problems = Issues()
        problems.add(("labels",), why, metadata.labels)
        problems.raise_any("Metadata")


_METADATA_PATH = re.compile(r"^metadata\.(name|namespace|uid|(labels|annotations)(\['[^']+'\])?)$")


@semantic_check(RolloutSpecStrategyBlueGreenPostPromotionAnalysisArgsValueFrom)
def _check_rollout_argument_source(value_from: RolloutSpecStrategyBlueGreenPostPromotionAnalysisArgsValueFrom) -> None:
    problems = field_issues(value_from, {"pod_template_hash_value": Literal["Stable", "Latest"]})
    path = value_from.field_ref.field_path if value_from.field_ref else None
    if path is not None and path.startswith("metadata") and not _METADATA_PATH.match(path):
        problems.add(("fieldRef", "fieldPath"),
                     f"fieldPath {path!r} is not a Rollout metadata field analysis arguments can read; use metadata.name, "
                     f"metadata.namespace, metadata.uid, metadata.labels['<key>'] or metadata.annotations['<key>']", path)
    problems.raise_any("AnalysisRunArgumentValueFrom")


@semantic_check(Templates)
def _check_template_ref(ref: Templates) -> None:
    if not ref.template_name:
        problems = Issues()
        problems.add(("templateName",), f"templateName is not set ({ref.template_name!r}); name the AnalysisTemplate "
                                        "(or, with clusterScope: true, the ClusterAnalysisTemplate) to run", ref.template_name)
        problems.raise_any("Templates")


@semantic_check(MeasurementRetention)
def _check_measurement_retention(retention: MeasurementRetention) -> None:
    field_issues(retention, {"limit": NonNegativeInt}).raise_any("MeasurementRetention")


@semantic_check(RolloutSpecStrategyCanaryAnalysis)
def _check_background_analysis(analysis: RolloutSpecStrategyCanaryAnalysis) -> None:
    field_issues(analysis, {"starting_step": NonNegativeInt}).raise_any("BackgroundAnalysis")


@semantic_check(RolloutSpecStrategyCanaryStepsSetHeaderRouteMatchHeaderValue)
def _check_string_match(match: RolloutSpecStrategyCanaryStepsSetHeaderRouteMatchHeaderValue) -> None:
    given = [k for k in ("exact", "prefix", "regex") if getattr(match, k)]
    if len(given) != 1:
        shown = match.dump()
        what = "sets none of exact, prefix or regex" if not given else f"sets {' and '.join(given)}"
        raise ValueError(f"the match {shown!r} {what}; set exactly one of exact, prefix or regex")
