"""Assemble a recommendation: engine, deployment, topology, costs, then every rule's findings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from advisor.choices import ServerlessFit, assess_serverless, choose_engine
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
from advisor.optimizer import Candidate, search
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import Engine
from advisor.recommendation import (
    CostSummary,
    Crossover,
    Deployment,
    Recommendation,
    SecondaryRegionCost,
    Topology,
)
from advisor.rules import run_rules
from advisor.wording import sentence
from advisor.workload import Availability, TrafficShape, Workload

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
    if storage >= provisioned:
        return Crossover(None, current, provisioned, fit.estimate.monthly,
                         "Serverless data storage alone costs more than the provisioned cluster at any traffic.")
    if ecpu_now == 0 or current == 0:
        return Crossover(None, current, provisioned, fit.estimate.monthly,
                         "No traffic: Serverless costs only its data storage, below the provisioned cluster.")
    scale = float((provisioned - storage) / ecpu_now)
    at = current * scale
    # The cluster is sized for today's peak; past its capacity it would have to grow, so a crossover beyond
    # that point is not a statement about this cluster (the traffic sweep re-sizes it at every level).
    busiest = max(best.throughput_utilisation, best.network_utilisation)
    capacity = current / busiest if busiest > 0 else float("inf")
    if at > capacity:
        return Crossover(None, current, provisioned, fit.estimate.monthly,
                         f"Serverless stays cheaper than the recommended ${provisioned:,.2f}/month cluster at every "
                         f"load that cluster can carry (about {capacity:,.0f} average requests/s); beyond that the "
                         "cluster has to grow.")
    side = "cheaper" if scale > 1 else "dearer"
    return Crossover(at, current, provisioned, fit.estimate.monthly,
                     f"Holding the recommended cluster fixed (${provisioned:,.2f}/month), Serverless costs the same "
                     f"at about {at:,.0f} average requests/s (today {current:,.0f}); below that Serverless is "
                     f"cheaper, above it the cluster is. Today Serverless is {side}.")


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
                f"not priced: no bundled {topology.engine} {topology.node_type} price for {region} "
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


def recommend(workload: Workload, book: PriceBook, *, today: dt.date | None = None) -> Recommendation:
    """The full recommendation for a validated workload. Raises RegionNotPriced for an unpriced region.

    `today` dates the Extended Support step a pinned Redis OSS version is in (default: the real date)."""
    book.require_region(workload.region)
    engine_choice = choose_engine(workload)
    engine = engine_choice.engine
    result = search(workload, book, engine)
    fit = assess_serverless(workload, book, engine)
    deployment, reason = choose_deployment(workload, fit, result.best)
    topology = _topology(result.best, engine, workload) if result.best is not None else None
    costs = _cost_summary(book, workload, engine, deployment, topology, fit,
                          today or dt.date.today()) if deployment else None
    draft = Recommendation(
        workload=workload, pricing_as_of=book.region_as_of(workload.region).isoformat(), engine_choice=engine_choice,
        deployment=deployment, deployment_reason=sentence(reason),
        topology=topology if deployment == "provisioned" else None, serverless_fit=fit, search=result,
        costs=costs, crossover=crossover(workload, fit, result.best),
    )
    findings = run_rules(draft, book)
    return Recommendation(**{**draft.__dict__, "findings": findings})
