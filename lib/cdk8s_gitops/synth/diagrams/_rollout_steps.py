"""How workloads roll out: the strategy name, canary steps as a table, and the blue-green flow."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ._common import Manifest, _cell, _code, _kind, _name, _spec, _table


def _strategy_name(w: Manifest) -> str:
    strategy = _spec(w).get("strategy") or {}
    if _kind(w) == "Rollout":
        if "canary" in strategy:
            return "canary"
        if "blueGreen" in strategy:
            return "blue-green"
        return ""
    if _kind(w) in ("Deployment", "DaemonSet"):
        return str(strategy.get("type") or "RollingUpdate")
    if _kind(w) == "StatefulSet":
        return str((_spec(w).get("updateStrategy") or {}).get("type") or "RollingUpdate")
    return ""


def _step_rows(canary: Mapping[str, Any], name: str) -> list[list[str]]:
    weight = 0
    rows: list[list[str]] = []
    for i, step in enumerate(canary.get("steps") or [], 1):
        if not isinstance(step, Mapping):
            continue
        for action, body in step.items():
            body = body if body is not None else {}
            if action == "setWeight":
                weight = int(body) if isinstance(body, int) else weight
                detail = f"send {body}% of traffic to the new version"
            elif action == "pause":
                duration = body.get("duration") if isinstance(body, Mapping) else None
                detail = (f"wait {duration}" if duration not in (None, "") else
                          f"wait until promoted (`kubectl argo rollouts promote {_cell(name)}`)")
            elif action == "analysis" and isinstance(body, Mapping):
                detail = "run analysis " + ", ".join(_code(t) for t in _template_names(body)) + "; roll back if it fails"
            elif action == "experiment" and isinstance(body, Mapping):
                templates = [str(t.get("name", "")) for t in body.get("templates") or [] if isinstance(t, Mapping)]
                detail = "run experiment " + ", ".join(_code(t) for t in templates) + (
                    f" for {body['duration']}" if body.get("duration") else "")
            elif action == "setCanaryScale" and isinstance(body, Mapping):
                if body.get("matchTrafficWeight"):
                    detail = "scale the new version to match its traffic weight"
                elif "replicas" in body:
                    detail = f"scale the new version to {body['replicas']} pod(s)"
                else:
                    detail = f"scale the new version to {body.get('weight')}% of replicas"
            elif action == "setHeaderRoute" and isinstance(body, Mapping):
                detail = f"route requests matching header rule {_code(body.get('name', ''))} to the new version"
            elif action == "setMirrorRoute" and isinstance(body, Mapping):
                detail = f"mirror {body.get('percentage', 100)}% of matching requests ({_code(body.get('name', ''))}) to the new version"
            elif action == "plugin" and isinstance(body, Mapping):
                detail = f"run step plugin {_code(body.get('name', ''))}"
            else:
                detail = _code(action)
            rows.append([str(i), _code(action), f"{weight}%", detail])
    rows.append(["done", "promote", "100%", "the new version becomes stable"])
    return rows


def _template_names(analysis: Mapping[str, Any]) -> list[str]:
    return [str(t.get("templateName") or t.get("clusterTemplateName") or "")
            for t in analysis.get("templates") or [] if isinstance(t, Mapping)]


def _canary_lines(rollouts: Sequence[Manifest]) -> list[str]:
    """Canary steps, one table per distinct list of steps, naming the Rollouts that use it."""
    groups: dict[str, list[Manifest]] = {}
    for ro in rollouts:
        canary = (_spec(ro).get("strategy") or {}).get("canary") or {}
        # Grouped by the steps' canonical JSON text (equal steps, equal text).
        groups.setdefault(json.dumps(canary.get("steps") or [], sort_keys=True, default=repr), []).append(ro)
    lines: list[str] = []
    for members in sorted(groups.values(), key=lambda ms: [_name(m) for m in ms]):
        names = [_name(m) for m in members]
        title = ("Rollout " if len(names) == 1 else "Rollouts ") + ", ".join(_code(n) for n in names)
        lines += [f"### Canary steps: {title}", ""]
        for ro in members:
            canary = (_spec(ro).get("strategy") or {}).get("canary") or {}
            routing = canary.get("trafficRouting") or {}
            how = sorted([*(str(k) for k in routing if k != "plugins"), *(str(k) for k in (routing.get("plugins") or {}))])
            lines.append(f"- {_code(_name(ro))}: stable Service {_code(canary.get('stableService', '')) or '(none)'}, "
                         f"canary Service {_code(canary.get('canaryService', '')) or '(none)'}; "
                         + (f"traffic split by {', '.join(_code(h) for h in how)}" if how else "traffic split by the ratio of pods"))
        canary = (_spec(members[0]).get("strategy") or {}).get("canary") or {}
        lines += [""] + _table(["step", "action", "traffic to new version", "what happens"],
                               _step_rows(canary, names[0] if len(names) == 1 else "<rollout>")) + [""]
    return lines


def _blue_green_lines(rollouts: Sequence[Manifest]) -> list[str]:
    """The blue-green flow as a table: one row per Rollout, its steps in order from left to right."""
    rows = []
    for ro in rollouts:
        bg = (_spec(ro).get("strategy") or {}).get("blueGreen") or {}
        count = bg.get("previewReplicaCount")
        start = (_code(bg.get("previewService")) or "(no preview Service)") + (
            f", {count} pod(s)" if count is not None else ", full size")
        pre = ", ".join(_code(t) for t in _template_names(bg.get("prePromotionAnalysis") or {})) or "—"
        post = ", ".join(_code(t) for t in _template_names(bg.get("postPromotionAnalysis") or {})) or "—"
        if bg.get("autoPromotionEnabled") is False:
            promote = f"manual: `kubectl argo rollouts promote {_cell(_name(ro))}`"
        elif bg.get("autoPromotionSeconds"):
            promote = f"automatic after {bg['autoPromotionSeconds']} s"
        else:
            promote = "automatic when ready"
        rows.append([_code(_name(ro)), start, pre, promote, _code(bg.get("activeService", "")), post,
                     f"after {bg.get('scaleDownDelaySeconds', 30)} s"])
    return ["### Blue-green flow", "",
            "The new version starts beside the old one behind the preview Service; after the pre-promotion analysis "
            "and the promotion, the active Service switches to it, the post-promotion analysis runs, and the old "
            "version is scaled down. Each row reads left to right in that order.", ""] + _table(
        ["Rollout", "1. new version behind", "2. analysis before", "3. promotion", "4. active Service switches",
         "5. analysis after", "6. old version scaled down"], rows) + [""]
