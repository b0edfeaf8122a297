"""Traffic: Gateways and listeners, routes and Ingresses, the Services behind them and the workloads behind those."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ._common import WORKLOAD_KINDS, Flowchart, Manifest, _cell, _code, _key, _kind, _name, _ns, _of, _pod_template, _selects, _spec, _table
from ._rollout_steps import _blue_green_lines, _canary_lines, _strategy_name


def _workloads_behind(svc: Manifest, workloads: Sequence[Manifest]) -> list[Manifest]:
    selector = _spec(svc).get("selector")
    if not isinstance(selector, Mapping) or not selector:
        return []
    return [w for w in workloads if _ns(w) == _ns(svc) and _selects(selector, _pod_template(w)[0])]


def _rollout_role(rollout: Manifest, service: str) -> str:
    strategy = _spec(rollout).get("strategy") or {}
    canary, blue_green = strategy.get("canary") or {}, strategy.get("blueGreen") or {}
    roles = {canary.get("stableService"): "stable", canary.get("canaryService"): "canary",
             blue_green.get("activeService"): "active", blue_green.get("previewService"): "preview"}
    roles.pop(None, None)
    return roles.get(service, "")


def traffic_section(manifests: Sequence[Manifest], heading: str = "## Traffic") -> str:
    """Where requests go: Gateway (and listeners), routes, Services, and the workloads behind them.

    Routes attach to a Gateway by ``parentRefs``; a Gateway not among ``manifests`` is drawn
    as living outside the folder. A Service leads to every workload (Deployment, Rollout,
    StatefulSet, ...) whose pod template labels its selector matches; for a Rollout the edge
    says whether the Service is its stable, canary, active or preview Service. Rollouts get
    their canary steps, or their blue-green flow, as a table.

    Returns ``""`` when there is no Gateway, route, Ingress, Service or Rollout.
    """
    gateways = _of(manifests, "Gateway")
    routes = _of(manifests, "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")
    ingresses = _of(manifests, "Ingress")
    services = _of(manifests, "Service")
    workloads = _of(manifests, *WORKLOAD_KINDS)
    rollouts = _of(manifests, "Rollout")
    if not (gateways or routes or ingresses or services or rollouts):
        return ""
    chart = Flowchart("LR")
    gw_ids: dict[tuple[str, str], str] = {}
    listener_ids: dict[tuple[str, str, str], str] = {}
    listener_rows: list[list[str]] = []
    for gw in gateways:
        spec = _spec(gw)
        sg = chart.subgraph(("Gateway", _ns(gw), _name(gw)),
                            f"Gateway {_ns(gw) + '/' if _ns(gw) else ''}{_name(gw)} (class {spec.get('gatewayClassName', '?')})")
        gw_ids[(_ns(gw), _name(gw))] = sg
        for listener in sorted(spec.get("listeners") or [], key=lambda x: str(x.get("name", ""))):
            lname = str(listener.get("name", ""))
            host = listener.get("hostname") or "*"
            lid = chart.node(("listener", _ns(gw), _name(gw), lname),
                             [f"listener {lname}", f"{listener.get('protocol', '')} :{listener.get('port', '')}", host],
                             "stadium", sg)
            listener_ids[(_ns(gw), _name(gw), lname)] = lid
            tls = listener.get("tls") or {}
            certs = ", ".join(str(c.get("name", "")) for c in tls.get("certificateRefs") or [])
            allowed = ((listener.get("allowedRoutes") or {}).get("namespaces") or {}).get("from", "Same")
            listener_rows.append([_code(_name(gw)), _code(lname), _cell(listener.get("protocol", "")),
                                  _cell(listener.get("port", "")), _code(host),
                                  _cell(f"{tls.get('mode', 'Terminate')} ({certs})" if tls else ""), _cell(allowed)])

    svc_ids: dict[tuple[str, str], str] = {}
    for svc in services:
        ports = ", ".join(f":{p.get('port')}" for p in _spec(svc).get("ports") or [] if isinstance(p, Mapping))
        svc_type = _spec(svc).get("type", "ClusterIP")
        svc_ids[(_ns(svc), _name(svc))] = chart.node(("Service", _ns(svc), _name(svc)),
                                                      [f"Service {_name(svc)}", f"{svc_type} {ports}".strip()], "box")

    def service_id(ns: str, name: str) -> str:
        if (ns, name) not in svc_ids:
            svc_ids[(ns, name)] = chart.node(("Service", ns, name), [f"Service {name}", "(not in this folder)"], "box")
        return svc_ids[(ns, name)]

    route_rows: list[list[str]] = []
    for route in routes:
        spec, rns = _spec(route), _ns(route)
        hostnames = [str(h) for h in spec.get("hostnames") or []]
        rid = chart.node((_kind(route), rns, _name(route)), [f"{_kind(route)} {_name(route)}", *hostnames], "hexagon")
        parents_text = []
        for ref in spec.get("parentRefs") or []:
            if not isinstance(ref, Mapping):
                continue
            gns, gname = str(ref.get("namespace") or rns), str(ref.get("name", ""))
            section = str(ref.get("sectionName") or "")
            parents_text.append(f"{gns}/{gname}" + (f" ({section})" if section else ""))
            if ref.get("kind", "Gateway") != "Gateway":
                target = chart.node(("parent", ref.get("kind"), gns, gname), f"{ref.get('kind')} {gname}", "box")
                chart.edge(target, rid)
                continue
            if (gns, gname) not in gw_ids:
                gw_ids[(gns, gname)] = chart.node(("Gateway", gns, gname), [f"Gateway {gns}/{gname}", "(outside this folder)"],
                                                  "stadium")
            if section and (gns, gname, section) in listener_ids:
                chart.edge(listener_ids[(gns, gname, section)], rid)
            else:
                chart.edge(gw_ids[(gns, gname)], rid, f"listener {section}" if section else "")
        rules_text = []
        for rule in spec.get("rules") or []:
            if not isinstance(rule, Mapping):
                continue
            backends = [b for b in rule.get("backendRefs") or [] if isinstance(b, Mapping)]
            matches = []
            for match in rule.get("matches") or []:
                path = (match or {}).get("path") or {}
                if path:
                    matches.append(f"{path.get('type', 'PathPrefix')} {path.get('value', '/')}")
                method = (match or {}).get("method")
                if isinstance(method, Mapping):
                    matches.append(f"{method.get('service', '*')}/{method.get('method', '*')}")
                elif method:
                    matches.append(str(method))
                for header in (match or {}).get("headers") or []:
                    matches.append(f"header {header.get('name')}")
            targets = []
            for b in backends:
                if b.get("kind", "Service") != "Service":
                    continue
                bns, bname = str(b.get("namespace") or rns), str(b.get("name", ""))
                weight = b.get("weight")
                label = f"{weight}%" if weight is not None and len(backends) > 1 else (f"weight {weight}" if weight is not None else "")
                chart.edge(rid, service_id(bns, bname), label)
                targets.append(f"{bname}:{b.get('port', '')}" + (f" (weight {weight})" if weight is not None else ""))
            rules_text.append(f"{', '.join(matches) or 'all'} → {', '.join(targets) or 'no backend'}")
        route_rows.append([_code(_name(route)), _kind(route), _cell(", ".join(hostnames) or "*"),
                           _cell(", ".join(parents_text)), "<br>".join(_cell(t) for t in rules_text)])

    for ing in ingresses:
        spec, ins = _spec(ing), _ns(ing)
        hosts = sorted({str(r.get("host")) for r in spec.get("rules") or [] if isinstance(r, Mapping) and r.get("host")})
        iid = chart.node(("Ingress", ins, _name(ing)), [f"Ingress {_name(ing)}", *hosts], "hexagon")
        backends = []
        default = (spec.get("defaultBackend") or {}).get("service")
        if default:
            backends.append(default)
        for rule in spec.get("rules") or []:
            for path in ((rule or {}).get("http") or {}).get("paths") or []:
                backend = ((path or {}).get("backend") or {}).get("service")
                if backend:
                    backends.append(backend)
        for svc in backends:
            chart.edge(iid, service_id(ins, str(svc.get("name", ""))))
        route_rows.append([_code(_name(ing)), "Ingress", _cell(", ".join(hosts) or "*"),
                           _cell(spec.get("ingressClassName", "")),
                           _cell(", ".join(sorted({str(s.get("name")) for s in backends})))])

    wl_ids: dict[tuple[str, str, str], str] = {}
    for w in workloads:
        strategy = _strategy_name(w)
        wl_ids[_key(w)] = chart.node(_key(w), [f"{_kind(w)} {_name(w)}", strategy], "subroutine")
    for svc in services:
        for w in _workloads_behind(svc, workloads):
            role = _rollout_role(w, _name(svc)) if _kind(w) == "Rollout" else ""
            chart.edge(svc_ids[(_ns(svc), _name(svc))], wl_ids[_key(w)], role)
    lines = [heading, "", chart.markdown(), ""]
    if listener_rows:
        lines += ["### Listeners", ""]
        lines += _table(["gateway", "listener", "protocol", "port", "hostname", "TLS", "routes from"], listener_rows)
        lines += [""]
    if route_rows:
        lines += ["### Routes", ""]
        lines += _table(["route", "kind", "hostnames", "attached to", "rules"], route_rows)
        lines += [""]
    canaries = [ro for ro in rollouts if "canary" in (_spec(ro).get("strategy") or {})]
    blue_greens = [ro for ro in rollouts if "blueGreen" in (_spec(ro).get("strategy") or {})]
    if canaries:
        lines += _canary_lines(canaries)
    if blue_greens:
        lines += _blue_green_lines(blue_greens)
    return "\n".join(lines).rstrip("\n") + "\n"
