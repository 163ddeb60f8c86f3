"""Provisioned nodes or Serverless, with both monthly costs and the traffic level where they cross."""

from __future__ import annotations

from advisor import docs
from advisor.findings import Finding, Severity
from advisor.money import fmt_usd
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.wording import choice_label
from advisor.workload import SERVERLESS_BLOCKERS, TrafficShape


def deployment_choice(rec: Recommendation, book: PriceBook) -> Finding | None:
    if rec.deployment is None:
        return None
    fit = rec.serverless_fit
    best = rec.search.best
    evidence: dict[str, str] = {
        "traffic shape": choice_label(rec.workload.traffic_shape),
        "average requests/s": f"{rec.workload.avg_reads_per_sec + rec.workload.avg_writes_per_sec:,.0f}",
        "peak requests/s": f"{rec.workload.peak_reads + rec.workload.peak_writes:,.0f}",
    }
    if best is not None:
        evidence["provisioned on-demand"] = f"{fmt_usd(best.on_demand_monthly)}/month ({best.node_count} x " \
                                            f"{best.node_type}, sized for peak)"
    if fit.estimate is not None:
        evidence["Serverless"] = (f"{fmt_usd(fit.estimate.monthly)}/month ({fit.stored_gb:,.2f} GB stored, "
                                  f"{fit.ecpu.average_per_second:,.0f} ECPU/s average, "
                                  f"{fit.ecpu.per_read:g} ECPU per read, {fit.ecpu.per_write:g} per write)")
    if fit.blockers:
        evidence["Serverless ruled out"] = "; ".join(fit.blockers)
    if rec.crossover is not None and rec.crossover.requests_per_sec is not None:
        evidence["crossover"] = f"{rec.crossover.requests_per_sec:,.0f} average requests/s"
    label = "Serverless" if rec.deployment == "serverless" else "Provisioned (node-based) cluster"
    rationale = rec.deployment_reason
    if rec.crossover is not None:
        rationale += ". " + rec.crossover.explanation
    return Finding(
        id="deployment.choice", severity=Severity.DECISION, title=f"Deployment: {label}",
        decision="Deploy as Serverless." if rec.deployment == "serverless" else
        "Deploy a provisioned (node-based) cluster.", rationale=rationale, evidence=evidence,
        docs=[docs.DEPLOYMENT_OPTIONS, docs.PRICING],
    )


rule("deployment.choice")(deployment_choice)


def infeasible(rec: Recommendation, book: PriceBook) -> Finding | None:
    if rec.deployment is not None:
        return None
    from advisor.rules.alternatives import closest_feasible

    reasons = [e.reason for e in rec.search.exclusions if e.node_type == "*"]
    reasons += list(rec.serverless_fit.blockers) + list(rec.serverless_fit.notes)
    reasons = [r for r in reasons if r not in rec.deployment_reason]  # said once, not twice
    alternative = closest_feasible(rec.workload, book)
    return Finding(
        id="deployment.infeasible", severity=Severity.CONFLICT, title="No configuration meets every requirement",
        decision=alternative,
        rationale=rec.deployment_reason + (": " + "; ".join(dict.fromkeys(reasons)) if reasons else "") + ".",
        evidence={
            "dataset at horizon": f"{rec.workload.dataset_gb_at_horizon:,.1f} GB",
            "peak requests/s": f"{rec.workload.peak_reads + rec.workload.peak_writes:,.0f}",
            "client cluster-aware": choice_label(rec.workload.client_cluster_aware),
        },
        docs=[docs.SHARDS, docs.QUOTAS, docs.DEPLOYMENT_OPTIONS],
    )


rule("deployment.infeasible")(infeasible)


# Serverless is chosen for spiky or dev/test traffic even when dearer; past this multiple, say what it costs.
SERVERLESS_PREMIUM_WORTH_NOTING = 1.5


def serverless_premium(rec: Recommendation, book: PriceBook) -> Finding | None:
    fit, best = rec.serverless_fit, rec.search.best
    if rec.deployment != "serverless" or fit.estimate is None or best is None or best.on_demand_monthly <= 0:
        return None
    ratio = fit.estimate.monthly / best.on_demand_monthly
    if ratio < SERVERLESS_PREMIUM_WORTH_NOTING:
        return None
    return Finding(
        id="deployment.serverless_premium", severity=Severity.ADVICE,
        title=f"Serverless costs {ratio:.1f}x the provisioned alternative",
        decision=f"Keep Serverless while the load is unpredictable; once the peaks are known, compare it with "
                 f"{best.node_count} x {best.node_type} ({fmt_usd(best.on_demand_monthly)}/month on-demand, less "
                 "reserved).",
        rationale="Serverless removes capacity planning and scales within minutes, but pays per GB-hour and per "
                  "ECPU; a cluster sized for the known peak is cheaper when traffic is predictable.",
        evidence={"Serverless": f"{fmt_usd(fit.estimate.monthly)}/month",
                  "provisioned on-demand": f"{fmt_usd(best.on_demand_monthly)}/month",
                  "provisioned best reserved": f"{fmt_usd(best.best_reserved_monthly)}/month "
                                               f"({best.best_reserved_label})"},
        docs=[docs.DEPLOYMENT_OPTIONS, docs.PRICING],
    )


rule("deployment.serverless_premium")(serverless_premium)


def serverless_ruled_out_by_feature(rec: Recommendation, book: PriceBook) -> Finding | None:
    """A feature Serverless lacks decides the deployment: say so on its own, with what Serverless would cost."""
    w = rec.workload
    blocked = sorted(f.value for f in w.feature_set & SERVERLESS_BLOCKERS)
    if not blocked or rec.deployment == "serverless":
        return None
    labels = [SERVERLESS_FEATURE_REASONS.get(f, choice_label(f)) for f in blocked]
    evidence = {"features Serverless lacks": ", ".join(choice_label(f) for f in blocked)}
    fit = rec.serverless_fit
    if fit.estimate is not None:
        evidence["Serverless would have cost"] = f"{fmt_usd(fit.estimate.monthly)}/month (estimate, if it could run)"
    if rec.search.best is not None:
        evidence["node-based instead"] = f"{fmt_usd(rec.search.best.on_demand_monthly)}/month on-demand"
    would_pick = w.traffic_shape in (TrafficShape.SPIKY, TrafficShape.DEV_TEST)
    preferred = w.preferences.deployment == "serverless"
    if preferred:
        evidence["preference"] = "serverless (overridden: it cannot run this workload at any price)"
    return Finding(
        id="deployment.serverless_ruled_out_by_feature",
        severity=Severity.WARNING if would_pick or preferred else Severity.ADVICE,
        title=("Serverless preference overridden: a needed feature is not on Serverless" if preferred
               else "Serverless is ruled out by a feature the workload needs"),
        decision="Run a node-based cluster" + (
            " although Serverless was preferred" if preferred else
            " even though this traffic shape would otherwise favour Serverless" if would_pick else "") + ".",
        rationale="ElastiCache Serverless does not support " + "; ".join(labels) + ".",
        evidence=evidence, docs=[docs.SERVERLESS_CONFIG, docs.DEPLOYMENT_OPTIONS],
    )


rule("deployment.serverless_ruled_out_by_feature")(serverless_ruled_out_by_feature)


SERVERLESS_FEATURE_REASONS = {
    "keyspace_notifications": "keyspace notifications (notify-keyspace-events is not configurable)",
    "select_multiple_dbs": "multiple databases (SELECT): every key lives in database 0",
    "vector_search": "vector search (Valkey 8.2+ on node-based clusters only)",
}
