"""Automatic snapshots: how long to keep them and what they cost."""

from __future__ import annotations

from advisor import docs
from advisor.findings import Finding, Severity
from advisor.money import fmt_usd
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.wording import count_noun
from advisor.workload import Feature


def snapshots(rec: Recommendation, book: PriceBook) -> Finding | None:
    w = rec.workload
    if rec.engine == "memcached" and rec.deployment != "serverless":
        return None
    days = w.snapshot_retention_days
    if days == 0:
        if Feature.PERSISTENCE in w.feature_set:
            return Finding(
                id="backup.persistence_without_snapshots", severity=Severity.WARNING,
                title="Persistence needed but snapshots are off",
                decision="Set a snapshot retention of at least 1 day.",
                rationale="ElastiCache persists Valkey/Redis OSS data only through snapshots (AOF is not supported); "
                          "with retention 0 no automatic snapshot is taken.",
                evidence={"snapshot retention": "0 days"}, docs=[docs.BACKUPS],
            )
        return None
    evidence = {"retention": count_noun(days, "day"), "snapshot size (approx.)": f"{w.dataset_gb_at_horizon:,.2f} GB"}
    if rec.costs is not None:
        for line in rec.costs.chosen.lines:
            if line.name == "Snapshot storage":
                evidence["backup storage"] = f"{fmt_usd(line.total)}/month ({line.quantity:,.1f} GB-months)"
        for caveat in rec.costs.caveats:
            if caveat.startswith("Backup"):
                evidence["backup storage"] = caveat
    return Finding(
        id="backup.snapshots", severity=Severity.DECISION, title=f"Daily snapshots kept {count_noun(days, 'day')}",
        decision=f"Enable automatic snapshots with a retention of {count_noun(days, 'day')} in a low-traffic window.",
        rationale="Snapshots are the only backup; on node-based clusters a BGSAVE forks, so schedule it off-peak "
                  "(reserved memory covers the copy-on-write). Each retained snapshot is billed as backup storage.",
        evidence=evidence, docs=[docs.BACKUPS],
    )


rule("backup.snapshots")(snapshots)
