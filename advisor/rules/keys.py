"""How keys map to hash slots in cluster mode: multi-key commands, transactions and Lua need hash tags."""

from __future__ import annotations

from advisor import docs
from advisor.findings import Finding, Severity
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.wording import choice_label
from advisor.workload import MULTI_KEY_FEATURES

HASH_SLOTS = 16_384


def _sharded(rec: Recommendation) -> bool:
    """Keys spread over hash slots: cluster mode enabled, or Serverless Valkey/Redis OSS (always cluster mode)."""
    if rec.engine == "memcached":
        return False
    if rec.deployment == "serverless":
        return True
    return rec.topology is not None and rec.topology.cluster_mode_enabled


def crossslot(rec: Recommendation, book: PriceBook) -> Finding | None:
    w = rec.workload
    multi_key = sorted(choice_label(f) for f in w.feature_set & MULTI_KEY_FEATURES)
    if w.items_per_read > 1:
        multi_key.append(f"multi-key reads ({w.items_per_read} keys each)")
    if not multi_key or not _sharded(rec):
        return None
    where = "Serverless (always cluster mode)" if rec.deployment == "serverless" else (
        f"cluster mode with {rec.topology.shards} shards" if rec.topology else "cluster mode")
    return Finding(
        id="topology.crossslot", severity=Severity.WARNING,
        title="Multi-key commands need hash tags in cluster mode",
        decision="Put keys used together in one hash slot with a hash tag, e.g. {user:42}:cart and "
                 "{user:42}:profile; only the text inside the first {...} is hashed.",
        rationale=f"In {where} keys map to {HASH_SLOTS:,} hash slots spread over shards. MULTI/EXEC "
                  "transactions, Lua scripts and multi-key commands (MGET, MSET, SUNION, RENAME...) whose keys "
                  "fall in different slots fail with a CROSSSLOT error. Hash tags co-locate them, but a tag used by "
                  "too many keys makes one slot, and one shard, hot.",
        evidence={"uses": ", ".join(multi_key), "deployment": where},
        docs=[docs.CROSSSLOT, docs.SHARDS],
    )


rule("topology.crossslot")(crossslot)
