"""Durability for workloads that cannot lose acknowledged writes: Valkey 9.0 Multi-AZ durability
(`--durability sync` or `async`, facts file 1.2 and 9.1) against plain asynchronous replication.

Sync durability writes each acknowledged write to a Multi-AZ transaction log before replying: zero data
loss on a primary failure, at single-digit-millisecond writes. Async keeps microsecond writes with up to
about 10 seconds at risk. Plain replication (no durability setting) can lose the writes a replica had not
received when the primary failed. The surcharge comes only from the bundled price data; where it has no rate
for the node type and Region the option is shown as not priced, never with a borrowed number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from advisor.commands.aws_cli import Command, cluster_id_from_name
from advisor.money import HOURS_PER_MONTH
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation

DURABILITY_DOC = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/durability.html"
SURCHARGE_ITEM = "valkey_sync_durability"
MINIMUM_VERSION = "9.0"
ASYNC_LOSS_WINDOW_S = 10  # facts file 1.2: "up to ~10 s at risk"


@dataclass(frozen=True)
class DurabilityMode:
    setting: str  # sync | async | replication only
    protects: str
    write_latency: str
    monthly_surcharge: Decimal | None
    surcharge_note: str
    meets_rpo: bool | None  # None: no RPO given


@dataclass(frozen=True)
class DurabilityAdvice:
    applies: bool
    needed: bool  # the workload asked for RPO 0 (or tighter than async's window)
    recommendation: str
    modes: tuple[DurabilityMode, ...]
    commands: tuple[Command, ...]
    docs: tuple[str, ...] = (DURABILITY_DOC,)


def _surcharge(rec: Recommendation, book: PriceBook) -> tuple[Decimal | None, str]:
    assert rec.topology is not None
    region, node_type = rec.workload.region, rec.topology.node_type
    rate = book.other_rate(SURCHARGE_ITEM, region, "valkey", node_type)
    if rate is None or rate.node_type != node_type:
        priced = sorted({f"{r.node_type} in {r.region}" for r in book.other if r.item == SURCHARGE_ITEM})
        return None, (f"not priced: the bundled data has no sync-durability rate for {node_type} in {region} "
                      f"(it has one only for {', '.join(priced) or 'no node type'}); check the AWS pricing page")
    nodes = rec.topology.node_count
    monthly = rate.usd * HOURS_PER_MONTH * nodes
    basis = " (estimate)" if rate.basis == "estimate" else ""
    return monthly, (f"${rate.usd}/node-hour x {HOURS_PER_MONTH} h x {nodes} nodes{basis}; source dated "
                     f"{rate.source_date}; assumes every node of the group is billed the surcharge")


def _commands(rec: Recommendation) -> tuple[Command, ...]:
    group = cluster_id_from_name(rec.workload.name)
    region = rec.workload.region
    return (
        Command(f"Upgrade the replication group to Valkey {MINIMUM_VERSION} (durability needs it)",
                ("aws", "elasticache", "modify-replication-group", "--replication-group-id", group,
                 "--engine", "valkey", "--engine-version", MINIMUM_VERSION, "--apply-immediately",
                 "--region", region)),
        Command("Turn on synchronous Multi-AZ durability (zero loss of acknowledged writes)",
                ("aws", "elasticache", "modify-replication-group", "--replication-group-id", group,
                 "--durability", "sync", "--apply-immediately", "--region", region)),
    )


def durability_advice(rec: Recommendation, book: PriceBook) -> DurabilityAdvice:
    rpo = rec.workload.rpo_seconds
    needed = rpo is not None and rpo == 0
    if rec.topology is None or rec.engine == "memcached":
        reason = ("Serverless has no durability setting: it replicates across three AZs" if rec.topology is None
                  else "Memcached keeps no copies: nothing survives a node loss")
        return DurabilityAdvice(False, needed, reason + "; Valkey 9.0 durability is for node-based Valkey.", (), ())
    surcharge, note = _surcharge(rec, book)
    modes = (
        DurabilityMode("sync", "every acknowledged write survives a primary failure (zero data loss)",
                       "single-digit milliseconds per write", surcharge, note,
                       None if rpo is None else True),
        DurabilityMode("async", f"writes reach the transaction log shortly after; up to about "
                                f"{ASYNC_LOSS_WINDOW_S} s of writes at risk", "microseconds", None,
                       "not priced: the bundled data has no async-durability rate",
                       None if rpo is None else rpo >= ASYNC_LOSS_WINDOW_S),
        DurabilityMode("replication only", "writes a replica had not received when the primary failed are lost",
                       "microseconds", Decimal(0), "no surcharge",
                       # Replication lag is usually sub-second but nothing bounds it: only RPO 0 is a clear no.
                       None if rpo is None or rpo > 0 else False),
    )
    if rec.engine != "valkey":
        advice = ("This workload needs RPO 0: move to Valkey 9.0 with sync durability." if needed
                  else "Valkey 9.0 would add it.")
        text = f"Redis OSS has no durability setting: acknowledged writes can be lost on failover. {advice}"
        return DurabilityAdvice(True, needed, text, modes, _commands(rec) if needed else ())
    if needed:
        cost = f"${surcharge:,.2f}/month more" if surcharge is not None else "a surcharge not in the bundled data"
        text = (f"RPO {rpo:g} s: asynchronous replication cannot meet it. Use Valkey {MINIMUM_VERSION} sync "
                f"durability ({cost}; writes take milliseconds instead of microseconds).")
        return DurabilityAdvice(True, True, text, modes, _commands(rec))
    if rpo is not None and rpo < ASYNC_LOSS_WINDOW_S:
        text = (f"RPO {rpo:g} s: replication usually lags well under a second, but nothing bounds it; async "
                f"durability may lose up to {ASYNC_LOSS_WINDOW_S} s. Sync durability is the guarantee if a lost "
                "write costs money.")
        return DurabilityAdvice(True, False, text, modes, _commands(rec))
    text = ("No RPO under 10 s was asked for: asynchronous replication is enough; sync durability is there if a "
            "lost write would cost money (sessions, billing counters).")
    return DurabilityAdvice(True, False, text, modes, ())
