"""Assemble a recommendation: engine, deployment, topology, costs, then every rule's findings; and when the
answer is a conflict or infeasible, the priced ways out."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from decimal import Decimal
from typing import Any

from advisor import docs
from advisor.ceilings import ceiling_finding, ceiling_of, split_count
from advisor.choices import EngineChoice, ServerlessFit, assess_serverless, choose_engine
from advisor.conflicts import Fix, pin_conflicts
from advisor.costs.extended_support import ExtendedSupportCharge, extended_support_cost
from advisor.costs.extras import backup_line, global_transfer_line
from advisor.costs.lines import CostEstimate, CostLine
from advisor.costs.provisioned import (
    ClusterNodes,
    ReservedComparison,
    design_on_demand,
    design_reservations,
    on_demand_cost,
)
from advisor.errors import InvalidWorkload
from advisor.findings import Finding, Severity
from advisor.given_design import design_checks
from advisor.money import fmt_usd
from advisor.optimizer import Candidate, SearchResult, search
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import Engine
from advisor.recommendation import (
    CostSummary,
    Crossover,
    Deployment,
    GivenDesign,
    Recommendation,
    SecondaryRegionCost,
    Topology,
    WayOut,
)
from advisor.rules import run_rules
from advisor.wording import ENGINE_LABELS, sentence
from advisor.workload import Availability, ClientProtocol, TrafficShape, Workload

# Kept so callers that import the model from here keep working; new code imports advisor.recommendation.
__all__ = ["CostSummary", "Crossover", "Deployment", "Recommendation", "SecondaryRegionCost", "Topology",
           "choose_deployment", "crossover", "recommend"]

def _topology(candidate: Candidate, engine: Engine, workload: Workload) -> Topology:
    ha = workload.availability in (Availability.MULTI_AZ, Availability.MULTI_REGION)
    replicated = candidate.replicas_per_shard >= 1
    return Topology(
        engine=engine, node_type=candidate.node_type, shards=candidate.shards,
        replicas_per_shard=candidate.replicas_per_shard, cluster_mode_enabled=candidate.cluster_mode_enabled,
        data_tiering=candidate.data_tiering,
        multi_az=ha and replicated and engine != "memcached",
        # Cluster mode enabled requires the flag; otherwise failover needs a replica to promote.
        automatic_failover=engine != "memcached" and (candidate.cluster_mode_enabled or (ha and replicated)),
    )


NODE_PINS = ("node_type", "node_family", "shards", "replicas_per_shard", "cluster_mode", "data_tiering")


def pins_nodes(workload: Workload) -> bool:
    """True when a constraint only a node-based cluster can honour is set."""
    return any(getattr(workload.constraints, name) is not None for name in NODE_PINS)


def choose_deployment(
    workload: Workload, fit: ServerlessFit, best: Candidate | None
) -> tuple[Deployment | None, str]:
    serverless_ok = fit.feasible and fit.estimate is not None
    if workload.forced_deployment is None and pins_nodes(workload):
        if best is not None:
            return "provisioned", "the constraints pin node-based settings (node type, family, shards, replicas, " \
                                  "cluster mode or data tiering), so the design is provisioned"
        return None, "no node-based configuration meets the pinned node settings"
    if workload.forced_deployment == "serverless":
        if serverless_ok:
            return "serverless", "forced to Serverless by the workload"
        return None, "Serverless was forced but cannot serve this workload: " + "; ".join(
            fit.blockers + fit.notes)
    if workload.forced_deployment == "provisioned":
        if best is not None:
            return "provisioned", "forced to provisioned nodes by the workload"
        return None, "provisioned nodes were forced but no node-based configuration fits"
    preferred = workload.preferences.deployment
    if preferred == "serverless" and serverless_ok:
        return "serverless", "Serverless, as the workload prefers"
    if preferred == "provisioned" and best is not None:
        return "provisioned", "a node-based cluster, as the workload prefers"
    if best is None and not serverless_ok:
        return None, "neither a node-based cluster nor Serverless can serve this workload"
    if best is None:
        return "serverless", "no node-based configuration fits; Serverless does"
    if not serverless_ok:
        why = "; ".join(fit.blockers + fit.notes) or "Serverless is not priced here"
        return "provisioned", f"Serverless is ruled out: {why}"
    assert fit.estimate is not None
    serverless_monthly, provisioned_monthly = fit.estimate.monthly, best.on_demand_monthly
    if workload.traffic_shape in (TrafficShape.SPIKY, TrafficShape.DEV_TEST):
        return "serverless", (
            f"{workload.traffic_shape.value.replace('_', '/')} traffic: Serverless scales with demand and bills "
            f"for use (${serverless_monthly:,.2f}/month vs ${provisioned_monthly:,.2f} provisioned on-demand "
            "sized for peak)"
        )
    if serverless_monthly < provisioned_monthly:
        return "serverless", (f"Serverless is cheaper at this load: ${serverless_monthly:,.2f} vs "
                              f"${provisioned_monthly:,.2f} per month on-demand")
    return "provisioned", (f"{workload.traffic_shape.value.replace('_', ' ')} traffic: provisioned nodes cost "
                           f"${provisioned_monthly:,.2f} vs ${serverless_monthly:,.2f} per month on Serverless")


def crossover(workload: Workload, fit: ServerlessFit, best: Candidate | None) -> Crossover | None:
    """Serverless cost is storage + a term linear in traffic; solve for the traffic that matches provisioned."""
    if best is None or fit.estimate is None:
        return None
    storage = sum((line.total for line in fit.estimate.lines if line.unit == "GB-hours"), Decimal(0))
    ecpu_now = sum((line.total for line in fit.estimate.lines if line.unit == "million ECPUs"), Decimal(0))
    current = workload.avg_reads_per_sec + workload.avg_writes_per_sec
    provisioned = best.on_demand_monthly
    # Every sentence says which question it answers: this cluster kept as sized, not the traffic sweep that
    # re-sizes the cluster at every level (the Costs chart and the report's sweep can cross where this cannot).
    held = (f"Holding the provisioned cluster fixed ({best.node_count} x {best.node_type}, "
            f"${provisioned:,.2f}/month, not re-sized with traffic)")
    if storage >= provisioned:
        return Crossover(None, current, provisioned, fit.estimate.monthly,
                         f"{held}, Serverless data storage alone costs more than it at any traffic.")
    if ecpu_now == 0 or current == 0:
        return Crossover(None, current, provisioned, fit.estimate.monthly,
                         f"{held}: with no traffic Serverless costs only its data storage, below the cluster.")
    scale = float((provisioned - storage) / ecpu_now)
    at = current * scale
    # The cluster is sized for today's peak; past its capacity it would have to grow, so a crossover beyond
    # that point is not a statement about this cluster (the traffic sweep re-sizes it at every level).
    busiest = max(best.throughput_utilisation, best.network_utilisation)
    capacity = current / busiest if busiest > 0 else float("inf")
    if at > capacity:
        return Crossover(None, current, provisioned, fit.estimate.monthly,
                         f"{held}, Serverless stays cheaper at every load that cluster can carry (about "
                         f"{capacity:,.0f} average requests/s); beyond that the cluster has to grow.")
    side = "cheaper" if scale > 1 else "dearer"
    return Crossover(at, current, provisioned, fit.estimate.monthly,
                     f"{held}, Serverless costs the same at about {at:,.0f} average requests/s (today "
                     f"{current:,.0f}); below that Serverless is cheaper, above it the cluster is. Today Serverless "
                     f"is {side}.")


def _extras(book: PriceBook, workload: Workload, engine: Engine, topology: Topology | None) -> tuple[
        list[CostLine], list[str]]:
    # Each extra is either a priced line or, when no price is bundled, a caveat saying what is not costed.
    extras: list[CostLine | str] = []
    if engine != "memcached":
        extras.append(backup_line(book, workload.region, engine, workload.dataset_gb_at_horizon,
                                  workload.snapshot_retention_days))
    if workload.secondary_regions and topology is not None:
        extras.append(global_transfer_line(book, workload.region, engine,
                                           workload.avg_writes_per_sec * workload.write_bytes,
                                           len(workload.secondary_regions)))
    lines = [extra for extra in extras if isinstance(extra, CostLine)]
    caveats = [extra for extra in extras if isinstance(extra, str)]
    return lines, caveats


def _extended_support(book: PriceBook, workload: Workload, region: str, topology: Topology,
                      today: dt.date) -> ExtendedSupportCharge | None:
    """The surcharge for a pinned Redis OSS version past standard support (None when no version is pinned)."""
    version = workload.constraints.engine_version
    if topology.engine != "redis" or version is None:
        return None
    return extended_support_cost(book, engine="redis", engine_version=version, region=region,
                                 node_type=topology.node_type, node_count=topology.node_count, on=today)


def _with_surcharge(lines: tuple[CostLine, ...], charge: ExtendedSupportCharge | None) -> tuple[CostLine, ...]:
    line = charge.line() if charge is not None else None
    return lines + ((line,) if line is not None else ())


def _secondary_costs(
    book: PriceBook, workload: Workload, topology: Topology, today: dt.date
) -> tuple[list[SecondaryRegionCost], list[ClusterNodes], list[ExtendedSupportCharge]]:
    costs, clusters, charges = [], [], []
    for region in workload.secondary_regions:
        price = book.node_price(region, topology.engine, topology.node_type)
        if price is None:
            costs.append(SecondaryRegionCost(region, None, (
                f"not priced: no bundled {ENGINE_LABELS[topology.engine]} {topology.node_type} price for {region} "
                "(refresh the price tables for it); the total excludes it")))
            continue
        clusters.append(ClusterNodes(region, price, topology.node_count))
        charge = _extended_support(book, workload, region, topology, today)
        if charge is not None:
            charges.append(charge)
        lines = _with_surcharge(on_demand_cost(price, topology.node_count).lines, charge)
        costs.append(SecondaryRegionCost(region, CostEstimate(f"Secondary cluster in {region}", lines),
                                         f"same node type and shard count as the primary ({topology.node_count} "
                                         f"nodes); {region} prices as of {book.region_as_of(region).isoformat()}"))
    return costs, clusters, charges


def _cost_summary(
    book: PriceBook, workload: Workload, engine: Engine, deployment: Deployment, topology: Topology | None,
    fit: ServerlessFit, today: dt.date,
) -> CostSummary:
    extras, caveats = _extras(book, workload, engine, topology)
    on_demand = primary = None
    reserved_list: list[ReservedComparison] = []
    secondaries: list[SecondaryRegionCost] = []
    charges: list[ExtendedSupportCharge] = []
    surcharge: tuple[CostLine, ...] = ()
    if topology is not None:
        price = book.node_price(workload.region, engine, topology.node_type)
        assert price is not None
        clusters = [ClusterNodes(workload.region, price, topology.node_count)]
        primary = on_demand_cost(price, topology.node_count)
        if deployment == "provisioned":
            charge = _extended_support(book, workload, workload.region, topology, today)
            charges = [charge] if charge is not None else []
            surcharge = _with_surcharge((), charge)
            if workload.secondary_regions:
                secondaries, more, secondary_charges = _secondary_costs(book, workload, topology, today)
                clusters += more
                charges += secondary_charges
        # On-demand and every reservation cover the nodes of each priced cluster, at its own Region's price.
        on_demand = design_on_demand(clusters)
        reserved_list = design_reservations(book, clusters)
    base = primary if deployment == "provisioned" else fit.estimate
    assert base is not None
    chosen = CostEstimate(base.label, base.lines + surcharge + tuple(extras), tuple(caveats))
    return CostSummary(chosen, on_demand, reserved_list, fit.estimate, secondaries, tuple(caveats), tuple(charges))


# Design pins: cleared to find the advisor's own design beside a given one.
DESIGN_PINS = ("engine", "engine_version", "deployment", "node_type", "node_family", "cluster_mode", "shards",
               "replicas_per_shard", "data_tiering")
MAX_WAYS_OUT = 3


def _engine_choice(workload: Workload) -> tuple[EngineChoice, Finding | None]:
    """The engine, following an engine preference unless Memcached cannot serve the workload."""
    choice = choose_engine(workload)
    preferred = workload.preferences.engine
    if preferred is None or choice.forced or preferred == choice.engine:
        return choice, None
    if preferred == "memcached" and choice.memcached_blockers:
        return choice, _preference_finding(
            "engine", f"Memcached preferred, {choice.engine} chosen",
            f"The Memcached preference cannot be followed: {'; '.join(choice.memcached_blockers)}.",
            {"preferred": "memcached", "chosen": choice.engine}, overridden=True)
    followed = EngineChoice(preferred, False, (f"{preferred}, as the workload prefers",), choice.memcached_blockers)
    return followed, None


def _preference_finding(name: str, title: str, rationale: str, evidence: dict[str, str], *,
                        overridden: bool) -> Finding:
    return Finding(
        id=f"preference.{name}", severity=Severity.WARNING if overridden else Severity.ADVICE, title=title,
        decision=("The preference was overridden." if overridden else "The preference is followed."),
        rationale=rationale, evidence=evidence, docs=[docs.DEPLOYMENT_OPTIONS, docs.PRICING])


def _preference_findings(rec: Recommendation, unpreferred_best: Candidate | None) -> list[Finding]:
    """Say, for each preference, whether it was followed, why not, or what following it costs."""
    w, findings = rec.workload, []
    fit, best = rec.serverless_fit, rec.search.best
    if w.preferences.deployment == "serverless" and rec.deployment != "serverless":
        why = "; ".join(fit.blockers + fit.notes) or "no Serverless design"
        findings.append(_preference_finding(
            "deployment", "Serverless preferred, a node-based cluster chosen",
            f"Serverless cannot serve this workload: {why}.",
            {"preferred": "serverless", "chosen": str(rec.deployment)}, overridden=True))
    elif w.preferences.deployment == "serverless" and fit.estimate is not None and best is not None:
        extra = fit.estimate.monthly - best.on_demand_monthly
        if extra > 0:
            findings.append(_preference_finding(
                "deployment", "Serverless, as preferred: it costs more here",
                f"Following the preference costs {fmt_usd(extra)} more per month than {best.node_count} x "
                f"{best.node_type} on-demand ({fmt_usd(extra * 12)} a year).",
                {"Serverless": f"{fmt_usd(fit.estimate.monthly)}/month",
                 "node-based": f"{fmt_usd(best.on_demand_monthly)}/month"}, overridden=False))
    elif w.preferences.deployment == "provisioned" and rec.deployment == "serverless":
        findings.append(_preference_finding(
            "deployment", "Node-based preferred, Serverless chosen", "No node-based cluster fits this workload.",
            {"preferred": "provisioned", "chosen": "serverless"}, overridden=True))
    elif (w.preferences.deployment == "provisioned" and best is not None and fit.estimate is not None
          and fit.feasible and best.on_demand_monthly > fit.estimate.monthly):
        extra = best.on_demand_monthly - fit.estimate.monthly
        findings.append(_preference_finding(
            "deployment", "Node-based, as preferred: it costs more here",
            f"Following the preference costs {fmt_usd(extra)} more per month on-demand than Serverless "
            f"({fmt_usd(extra * 12)} a year).",
            {"node-based": f"{fmt_usd(best.on_demand_monthly)}/month",
             "Serverless": f"{fmt_usd(fit.estimate.monthly)}/month"}, overridden=False))
    family = w.preferences.node_family
    if family and w.constraints.node_type is None and w.constraints.node_family is None:
        if best is None or best.family != family:
            findings.append(_preference_finding(
                "node_family", f"{family} preferred, not used",
                f"No {family} design meets the workload (or {family} is not priced here), so the cheapest "
                "fitting family is used.", {"preferred": family, "chosen": best.family if best else "none"},
                overridden=True))
        elif unpreferred_best is not None and best.on_demand_monthly > unpreferred_best.on_demand_monthly:
            extra = best.on_demand_monthly - unpreferred_best.on_demand_monthly
            findings.append(_preference_finding(
                "node_family", f"{family}, as preferred: it costs more here",
                f"Following the preference costs {fmt_usd(extra)} more per month on-demand than "
                f"{unpreferred_best.node_count} x {unpreferred_best.node_type} ({fmt_usd(extra * 12)} a year).",
                {"preferred": f"{fmt_usd(best.on_demand_monthly)}/month",
                 "cheapest": f"{fmt_usd(unpreferred_best.on_demand_monthly)}/month"}, overridden=False))
    return findings


def _search(workload: Workload, book: PriceBook, engine: Engine) -> tuple[SearchResult, Candidate | None]:
    """The search, narrowed to a preferred node family when one fits; also the unnarrowed best."""
    result = search(workload, book, engine)
    family = workload.preferences.node_family
    if not family or workload.constraints.node_type or workload.constraints.node_family:
        return result, result.best
    preferred = search(workload.with_changes(constraints={"node_family": family}), book, engine)
    return (preferred if preferred.best is not None else result), result.best


# Conflicts that say why no design fits and name the change that makes one fit: with one of them, the generic
# "no configuration meets every requirement" would only repeat it.
EXPLAINS_NO_DESIGN = ("topology.not_cluster_aware",)


def _design(workload: Workload, book: PriceBook, today: dt.date) -> Recommendation:
    """Engine, deployment, topology, costs and every rule's findings (no ways out)."""
    engine_choice, engine_note = _engine_choice(workload)
    engine = engine_choice.engine
    result, unpreferred_best = _search(workload, book, engine)
    fit = assess_serverless(workload, book, engine)
    deployment, reason = choose_deployment(workload, fit, result.best)
    topology = _topology(result.best, engine, workload) if result.best is not None else None
    costs = _cost_summary(book, workload, engine, deployment, topology, fit, today) if deployment else None
    draft = Recommendation(
        workload=workload, pricing_as_of=book.region_as_of(workload.region).isoformat(), engine_choice=engine_choice,
        deployment=deployment, deployment_reason=sentence(reason),
        topology=topology if deployment == "provisioned" else None, serverless_fit=fit, search=result,
        costs=costs, crossover=crossover(workload, fit, result.best),
    )
    findings = run_rules(draft, book) + ([engine_note] if engine_note else [])
    if any(f.id in EXPLAINS_NO_DESIGN for f in findings):
        findings = [f for f in findings if f.id != "deployment.infeasible"]
    findings += _preference_findings(draft, unpreferred_best)
    return replace(draft, findings=findings)


def _blocked(workload: Workload, book: PriceBook, findings: list[Finding]) -> Recommendation:
    """A recommendation with no design: the pins break an AWS rule before any search."""
    engine_choice = choose_engine(workload)
    return Recommendation(
        workload=workload, pricing_as_of=book.region_as_of(workload.region).isoformat(),
        engine_choice=engine_choice, deployment=None,
        deployment_reason="The constraints ask for something AWS does not allow",
        topology=None, serverless_fit=assess_serverless(workload, book, engine_choice.engine),
        search=SearchResult([], 0, 0), costs=None, crossover=None, findings=findings,
    )


def _relaxations(rec: Recommendation) -> list[Fix]:
    """Candidate ways out of a conflict found by the search or the rules (not by a pin check)."""
    w, pins, fixes = rec.workload, rec.workload.constraints, []
    over_budget = any(f.id == "pricing.budget" for f in rec.conflicts)
    if w.preferences.monthly_budget_usd is not None and over_budget and rec.costs is not None:
        raised = math.ceil(rec.costs.monthly)
        fixes.append(Fix("raise_budget", f"Raise the budget to ${raised:,}/month for this design",
                         {"preferences": {"monthly_budget_usd": raised}}))
    if any(getattr(pins, name) is not None for name in ("node_type", "node_family", "shards", "replicas_per_shard",
                                                         "cluster_mode", "data_tiering")):
        if pins.node_type is not None and (pins.shards is not None or pins.replicas_per_shard is not None):
            fixes.append(Fix("same_node_type_more_shards", f"{pins.node_type}, with the shard and replica counts "
                             "the workload needs", {"constraints": {"shards": None, "replicas_per_shard": None}}))
        fixes.append(Fix("advisor_picks_design", "Let the advisor pick node type, shards and replicas",
                         {"constraints": {name: None for name in ("node_type", "node_family", "shards",
                                                                  "replicas_per_shard", "cluster_mode",
                                                                  "data_tiering")}}))
    if not w.client_cluster_aware:
        change: dict[str, Any] = {"client_cluster_aware": True, "constraints": {"cluster_mode": None}}
        if pins.client_protocol == ClientProtocol.RESP:
            change["constraints"]["client_protocol"] = "resp_cluster_aware"
        fixes.append(Fix("cluster_aware_client", "Adopt a cluster-aware client so the data can be sharded", change))
    if pins.engine_version is not None:
        fixes.append(Fix("advisor_picks_version", "Let the advisor pick the engine version",
                         {"constraints": {"engine_version": None}}))
    if pins.deployment == "serverless":
        fixes.append(Fix("provisioned", "A node-based cluster instead of Serverless",
                         {"constraints": {"deployment": "provisioned"}}))
    if pins.deployment == "provisioned":
        fixes.append(Fix("serverless", "Serverless instead of a node-based cluster",
                         {"constraints": {"deployment": "serverless"}}))
    if pins.engine not in (None, "valkey") and pins.client_protocol != ClientProtocol.MEMCACHED:
        fixes.append(Fix("valkey", "Valkey instead", {"constraints": {"engine": "valkey", "engine_version": None}}))
    if not w.read_from_replicas:
        fixes.append(Fix("read_from_replicas", "Let clients read from replicas", {"read_from_replicas": True}))
    if w.availability == Availability.MULTI_REGION:
        fixes.append(Fix("multi_az_only", "Multi-AZ in one Region instead of Global Datastore",
                         {"availability": "multi_az", "secondary_regions": []}))
    if w.availability != Availability.NONE:
        fixes.append(Fix("no_failover", "No replicas or automatic failover (a cache that can be rebuilt)",
                         {"availability": "none", "secondary_regions": []}))
    return fixes


def _way_out(fix: Fix, workload: Workload, book: PriceBook, today: dt.date, copies: int = 1,
             changes: dict[str, Any] | None = None) -> WayOut | None:
    """The fix priced as a full design, or None when it does not come out as a valid design."""
    changes = fix.changes if changes is None else changes
    try:
        changed = workload.with_changes(**changes)
    except InvalidWorkload:
        return None
    rec = _answer(changed, book, today)
    if rec.status != "design" or rec.costs is None:
        return None
    if any(secondary.estimate is None for secondary in rec.costs.secondaries):
        return None  # part of it has no bundled price: not a priced way out
    return WayOut(fix.id, fix.title, changes, changed, rec.headline, rec.costs.monthly, rec.costs.is_estimate,
                  copies)


def _ways_out(fixes: list[Fix], workload: Workload, book: PriceBook, today: dt.date) -> tuple[WayOut, ...]:
    found: list[WayOut] = []
    for fix in fixes:
        way = _way_out(fix, workload, book, today)
        if way is not None and all(way.headline != other.headline for other in found):
            found.append(way)
        if len(found) >= MAX_WAYS_OUT:
            break
    return tuple(found)


def _share(workload: Workload, copies: int) -> dict[str, Any]:
    """The changes that leave one of `copies` equal parts of the data and its traffic."""
    share: dict[str, Any] = {
        "name": f"{workload.name[:100]} (1 of {copies})",
        "avg_reads_per_sec": workload.avg_reads_per_sec / copies,
        "avg_writes_per_sec": workload.avg_writes_per_sec / copies,
        "max_connections": math.ceil(workload.max_connections / copies),
    }
    if workload.dataset_gb is not None:
        share["dataset_gb"] = workload.dataset_gb / copies
    if workload.item_count is not None:
        share["item_count"] = math.ceil(workload.item_count / copies)
    for peak in ("peak_reads_per_sec", "peak_writes_per_sec"):
        if getattr(workload, peak) is not None:
            share[peak] = getattr(workload, peak) / copies
    return share


MAX_SPLIT = 4096


def _split_fits(workload: Workload, book: PriceBook, copies: int) -> bool:
    try:
        part = workload.with_changes(**_share(workload, copies))
    except InvalidWorkload:
        return False
    engine = choose_engine(part).engine
    return search(part, book, engine, top=1).best is not None or assess_serverless(part, book, engine).feasible


def _split_way_out(workload: Workload, book: PriceBook, today: dt.date) -> tuple[WayOut, ...]:
    """Infeasible: the nearest thing that fits is the data and its traffic split across the fewest clusters
    that each fit with every requirement kept (found by doubling, then bisection)."""
    low, high = 1, max(2, split_count(workload, book))
    while not _split_fits(workload, book, high):
        low, high = high, high * 2
        if high > MAX_SPLIT:
            return ()
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if _split_fits(workload, book, middle) else (middle, high)
    fix = Fix("split_clusters", f"Split the data and its traffic across {high} clusters", _share(workload, high))
    way = _way_out(fix, workload, book, today, high)
    return (way,) if way is not None else ()


def _given_design(rec: Recommendation, book: PriceBook, today: dt.date) -> GivenDesign | None:
    """When the constraints pin a whole design, judge it and price it beside the advisor's own design."""
    w = rec.workload
    pins = w.constraints
    if not pins.pins_design or pins.node_type is None or pins.shards is None or pins.replicas_per_shard is None:
        return None
    node = book.nodes.get(pins.node_type)
    engine = pins.engine or (rec.engine if rec.engine else "valkey")
    if node is None:
        return None
    ha = w.availability != Availability.NONE
    cluster_mode = engine != "memcached" and (pins.cluster_mode if pins.cluster_mode is not None else pins.shards > 1)
    topology = Topology(
        engine=engine, node_type=pins.node_type, shards=pins.shards, replicas_per_shard=pins.replicas_per_shard,
        cluster_mode_enabled=cluster_mode, data_tiering=node.has_data_tiering,
        multi_az=ha and pins.replicas_per_shard >= 1 and engine != "memcached",
        automatic_failover=engine != "memcached" and (cluster_mode or (ha and pins.replicas_per_shard >= 1)))
    price = book.node_price(w.region, engine, pins.node_type)
    # Priced exactly as a recommended design is: nodes in every Region, backups, transfer, Extended Support.
    monthly = _cost_summary(book, w, engine, "provisioned", topology, rec.serverless_fit, today).monthly \
        if price is not None else None
    free = w.with_changes(constraints={name: None for name in DESIGN_PINS})
    recommended = _answer(free, book, today)
    ours = recommended.status == "design"
    return GivenDesign(
        topology=topology, priced=price is not None, monthly=monthly, checks=design_checks(w, node, topology),
        recommended_headline=recommended.headline if ours else None,
        recommended_monthly=recommended.costs.monthly if ours and recommended.costs else None,
        recommended_deployment=recommended.deployment if ours else None,
        recommended_engine=recommended.engine if ours else None,
        recommended_topology=recommended.topology if ours else None)


FAILOVER_CHECK = "failover headroom"


def _failover_warning(given: GivenDesign) -> Finding | None:
    check = next((c for c in given.checks if c.name == FAILOVER_CHECK and not c.ok), None)
    if check is None:
        return None
    return Finding(
        id="topology.given_failover_headroom", severity=Severity.WARNING,
        title="The given design has no headroom for a failover", decision="Add a replica per shard, or shards.",
        rationale=f"{given.topology.describe()}: {check.detail}.", evidence={check.name: check.detail},
        docs=[docs.AUTO_FAILOVER])


def _too_small(given: GivenDesign) -> Finding | None:
    failing = [check for check in given.checks if not check.ok and check.name != FAILOVER_CHECK]
    if not failing:
        return None
    return Finding(
        id="conflict.given_design_too_small", severity=Severity.CONFLICT,
        title=f"The given design does not meet the workload ({', '.join(c.name for c in failing)})",
        decision="Add shards or replicas, or use a larger node type (see the ways out).",
        rationale=f"{given.topology.describe()} fails: " + "; ".join(f"{c.name}: {c.detail}" for c in failing) + ".",
        evidence={c.name: c.detail for c in given.checks}, docs=[docs.SHARDS, docs.NODE_TYPES])


def _answer(workload: Workload, book: PriceBook, today: dt.date) -> Recommendation:
    """Design, conflict or infeasible, without ways out."""
    conflicts = pin_conflicts(workload)
    if conflicts:
        return _blocked(workload, book, [c.finding for c in conflicts])
    rec = _design(workload, book, today)
    if rec.deployment is None:
        ceiling = ceiling_of(workload, book)
        if ceiling is not None:
            return replace(rec, ceiling=ceiling, findings=[ceiling_finding(ceiling)])
    return rec


def recommend(workload: Workload, book: PriceBook, *, today: dt.date | None = None) -> Recommendation:
    """Design, conflict (with priced ways out) or infeasible (with the ceiling and the nearest fit) for a
    validated workload. Raises RegionNotPriced for an unpriced Region.

    `today` dates the Extended Support step a pinned Redis OSS version is in (default: the real date)."""
    book.require_region(workload.region)
    today = today or dt.date.today()
    conflicts = pin_conflicts(workload)
    if conflicts:
        rec = _blocked(workload, book, [c.finding for c in conflicts])
        fixes = [fix for conflict in conflicts for fix in conflict.fixes]
        return replace(rec, ways_out=_ways_out(fixes, workload, book, today))
    rec = _answer(workload, book, today)
    given = _given_design(rec, book, today)
    if given is not None:
        too_small, failover = _too_small(given), _failover_warning(given)
        kept = [f for f in rec.findings if not (too_small and f.id == "deployment.infeasible")]
        rec = replace(rec, given=given, findings=[f for f in (too_small, failover) if f] + kept)
    if rec.status == "infeasible":
        return replace(rec, ways_out=_split_way_out(workload, book, today))
    if rec.status == "conflict":
        return replace(rec, ways_out=_ways_out(_relaxations(rec), workload, book, today))
    return rec
