"""Multi-AZ with automatic failover in one Region, or Global Datastore across Regions."""

from __future__ import annotations

from advisor import docs
from advisor.findings import Finding, Severity
from advisor.money import fmt_usd
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.wording import choice_label
from advisor.workload import Availability, TrafficShape

# AWS DR workshop: Global Datastore replication lag generally under 1 s, promotion about 1 minute (manual).
GLOBAL_DATASTORE_TYPICAL_RPO_S = 1.0
GLOBAL_DATASTORE_TYPICAL_RTO_S = 60.0


def multi_az(rec: Recommendation, book: PriceBook) -> Finding | None:
    w = rec.workload
    if w.availability == Availability.NONE:
        if w.traffic_shape == TrafficShape.DEV_TEST:
            return None
        if rec.engine == "memcached" and rec.deployment == "provisioned":
            return _memcached_spread(rec)
        return Finding(
            id="resilience.no_failover", severity=Severity.WARNING, title="No failover for a non-dev workload",
            decision="Consider Multi-AZ with one replica per shard unless losing the cache is acceptable.",
            rationale="Without a replica, a node failure loses its data and the endpoint is down until replaced.",
            evidence={"availability": "none", "traffic shape": choice_label(w.traffic_shape)},
            docs=[docs.AUTO_FAILOVER],
        )
    if rec.deployment == "serverless":
        return Finding(
            id="resilience.serverless_multi_az", severity=Severity.DECISION, title="Serverless stores data in 3 AZs",
            decision="No replica settings needed: Serverless replicates across three Availability Zones.",
            rationale="ElastiCache Serverless keeps data in three AZs with a 99.99% availability SLA.",
            evidence={"availability": choice_label(w.availability)}, docs=[docs.DEPLOYMENT_OPTIONS],
        )
    topo = rec.topology
    if topo is None:
        return None
    evidence = {"replicas per shard": str(topo.replicas_per_shard), "Multi-AZ": choice_label(topo.multi_az),
                "automatic failover": choice_label(topo.automatic_failover)}
    rationale = ("Place each replica in a different AZ than its primary; on failure ElastiCache promotes the "
                 "replica with the least lag and updates the primary endpoint's DNS, typically in seconds. "
                 "Replication is asynchronous, so the last writes can be lost on failover.")
    if w.rpo_seconds is not None and w.rpo_seconds == 0:
        rationale += (" An RPO of zero is not met by asynchronous replication; Valkey 9.0 'sync' durability (a "
                      "priced add-on) is the only zero-loss option.")
    return Finding(
        id="resilience.multi_az", severity=Severity.DECISION, title="Multi-AZ with automatic failover",
        decision="Enable Multi-AZ and automatic failover.", rationale=rationale, evidence=evidence,
        docs=[docs.AUTO_FAILOVER],
    )


rule("resilience.multi_az")(multi_az)


def _memcached_spread(rec: Recommendation) -> Finding:
    """Node-based Memcached has no replicas and no failover: spread nodes over AZs instead."""
    nodes = rec.topology.shards if rec.topology else 1
    share = f"about 1/{nodes} of the cached items" if nodes > 1 else "every cached item"
    return Finding(
        id="resilience.memcached_node_loss", severity=Severity.ADVICE,
        title="A lost Memcached node loses its share of the cache",
        decision="Spread the nodes across Availability Zones (--az-mode cross-az) and size the database for the "
                 "misses while a replaced node refills. For copies of the data in three AZs, use Serverless "
                 "Memcached; for replication and failover, Valkey.",
        rationale=f"Node-based Memcached has no replicas, Multi-AZ or failover; a failed node loses {share} until "
                  "ElastiCache replaces it and the application refills it. More, smaller nodes shrink that share.",
        evidence={"nodes": str(nodes), "availability": choice_label(rec.workload.availability)},
        docs=[docs.MEMCACHED_FAULT_TOLERANCE],
    )


def global_datastore(rec: Recommendation, book: PriceBook) -> list[Finding] | None:
    w = rec.workload
    if w.availability != Availability.MULTI_REGION or rec.topology is None:
        return None
    findings = []
    evidence = {"primary": w.region, "secondaries": ", ".join(w.secondary_regions),
                "typical RPO": f"under {GLOBAL_DATASTORE_TYPICAL_RPO_S:g} s (asynchronous)",
                "typical RTO": f"about {GLOBAL_DATASTORE_TYPICAL_RTO_S:g} s after a manual promotion"}
    if rec.costs is not None:
        for secondary in rec.costs.secondaries:
            evidence[f"cluster in {secondary.region}"] = (
                f"{fmt_usd(secondary.estimate.monthly)}/month" if secondary.estimate else secondary.note)
    findings.append(Finding(
        id="resilience.global_datastore", severity=Severity.DECISION, title="Global Datastore across Regions",
        decision=f"Create a Global Datastore with the primary in {w.region} and secondaries in "
                 f"{', '.join(w.secondary_regions)}.",
        rationale="Cross-Region replication is asynchronous; secondaries serve local reads and a secondary must be "
                  "promoted manually (failover-global-replication-group): there is no automatic cross-Region "
                  "failover. Every member uses the same node type, engine version and shard count.",
        evidence=evidence, docs=[docs.GLOBAL_DATASTORE],
    ))
    if w.rto_seconds is not None and w.rto_seconds < GLOBAL_DATASTORE_TYPICAL_RTO_S:
        findings.append(Finding(
            id="resilience.global_rto", severity=Severity.WARNING, title="Regional RTO tighter than a manual promotion",
            decision="Automate the promotion runbook (health check -> failover-global-replication-group) and test it.",
            rationale="Promotion is manual and takes about a minute once started, so an RTO below that needs "
                      "automation and still may not be met.",
            evidence={"RTO asked": f"{w.rto_seconds:g} s"}, docs=[docs.GLOBAL_DATASTORE],
        ))
    if w.rpo_seconds is not None and w.rpo_seconds < GLOBAL_DATASTORE_TYPICAL_RPO_S:
        findings.append(Finding(
            id="resilience.global_rpo", severity=Severity.WARNING, title="Regional RPO tighter than async replication",
            decision="Accept up to about a second of loss in a Regional failover, or keep the source of truth in a "
                     "durable database.",
            rationale="Global Datastore replicates asynchronously; writes in flight are lost when a Region fails.",
            evidence={"RPO asked": f"{w.rpo_seconds:g} s"}, docs=[docs.GLOBAL_DATASTORE],
        ))
    return findings


rule("resilience.global_datastore")(global_datastore)
