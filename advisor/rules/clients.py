"""How clients use the cache: short-lived functions, a few very hot keys, and a Memcached client already in use."""

from __future__ import annotations

from advisor import docs
from advisor.capacity import (
    MAX_CONNECTIONS_PER_NODE,
    TARGET_NETWORK_UTILISATION,
    node_capacity,
)
from advisor.choices import SERVERLESS_MAX_CONNECTIONS, assess_serverless
from advisor.costs.serverless import ecpu_profile
from advisor.findings import Finding, Severity
from advisor.money import fmt_usd
from advisor.optimizer import search
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.wording import count_noun
from advisor.workload import AuthMode, Availability, ClientProtocol, Workload

# IAM authentication (facts 9.4): tokens are valid 15 minutes; connections are dropped after 12 hours unless
# they re-authenticate.
IAM_TOKEN_MINUTES = 15
IAM_CONNECTION_HOURS = 12
# Serverless: one hash slot serves roughly 30,000-90,000 ECPU/s (facts 5, agent toolkit, secondary source); a
# single key lives in one slot, so the lower figure is what one key can count on.
SERVERLESS_SLOT_ECPU_PER_SECOND = 30_000
HERD_PATTERNS = ["single_flight", "xfetch", "background_refresh", "ttl_jitter"]


def short_lived(rec: Recommendation, book: PriceBook) -> Finding | None:
    w = rec.workload
    if not w.short_lived_clients:
        return None
    cap = SERVERLESS_MAX_CONNECTIONS if rec.deployment == "serverless" else MAX_CONNECTIONS_PER_NODE
    where = "per Serverless cache (maxclients)" if rec.deployment == "serverless" else "per node"
    evidence = {"peak connections": f"{w.max_connections:,}", "connection cap": f"{cap:,} {where}",
                "share of the cap": f"{w.max_connections / cap:.0%}"}
    rationale = ("Each function execution environment opens its own connections. Created inside the handler, "
                 "they are opened and torn down on every invocation (TLS handshakes, connection storms, "
                 f"NewConnections spikes); every concurrent environment holds its own, and ElastiCache accepts at "
                 f"most {cap:,} {where}.")
    if w.auth == AuthMode.IAM:
        rationale += (f" With IAM authentication a token is valid {IAM_TOKEN_MINUTES} minutes and a connection "
                      f"is closed after {IAM_CONNECTION_HOURS} hours unless it re-authenticates: a reused "
                      "connection must reconnect with a fresh token when that happens.")
        evidence["IAM limits"] = f"token {IAM_TOKEN_MINUTES} min; connection {IAM_CONNECTION_HOURS} h"
    return Finding(
        id="clients.short_lived", severity=Severity.WARNING if w.max_connections > cap // 2 else Severity.ADVICE,
        title="Short-lived clients: reuse connections across invocations",
        decision="Create the client outside the handler (module scope) so each execution environment reuses one "
                 "connection; cap the function's concurrency so concurrency x connections per environment stays "
                 f"under {cap:,}; alarm on NewConnections.",
        rationale=rationale, evidence=evidence,
        docs=[docs.LAMBDA_BEST_PRACTICES, docs.MONITORING] + ([docs.IAM_AUTH] if w.auth == AuthMode.IAM else []),
    )


rule("clients.short_lived")(short_lived)


def _readers(rec: Recommendation) -> int:
    topo = rec.topology
    if topo is None:
        return 1
    return 1 + topo.replicas_per_shard if rec.workload.read_from_replicas else 1


def hot_keys(rec: Recommendation, book: PriceBook) -> Finding | None:
    w = rec.workload
    if w.hot_key_count == 0 or w.hot_key_read_percent == 0:
        return None
    per_key_reads = w.peak_reads * w.hot_key_read_percent / 100 / w.hot_key_count
    per_key_bytes = per_key_reads * (w.read_bytes + w.avg_key_bytes)
    evidence = {
        "reads per hot key at peak": f"{per_key_reads:,.0f}/s ({w.hot_key_read_percent:g}% of "
                                     f"{w.peak_reads:,.0f} reads/s over {count_noun(w.hot_key_count, 'key')})",
        "bandwidth one hot key needs": f"{per_key_bytes * 8 / 1e9:,.3f} Gbps",
    }
    overloaded = False
    topo = rec.topology
    if rec.deployment == "serverless":
        per_key_ecpu = per_key_reads * ecpu_profile(w).per_read
        evidence["ECPU/s on the hot key's slot"] = (f"{per_key_ecpu:,.0f} (a slot serves about "
                                                    f"{SERVERLESS_SLOT_ECPU_PER_SECOND:,}/s or more)")
        overloaded = per_key_ecpu > SERVERLESS_SLOT_ECPU_PER_SECOND
    elif topo is not None and rec.engine != "memcached":
        cap = node_capacity(book.nodes[topo.node_type], topo.engine)
        readers = _readers(rec)
        per_node_bytes = per_key_bytes / readers
        per_node_ops = per_key_reads / readers
        evidence["nodes serving one key"] = (f"{readers} (primary{' + replicas' if readers > 1 else ''} of one "
                                             "shard: cluster mode never spreads a single key)")
        evidence["per node for one hot key"] = (
            f"{per_node_bytes * 8 / 1e9:,.3f} Gbps of {topo.node_type}'s "
            f"{cap.network_bytes_per_second * 8 / 1e9 / TARGET_NETWORK_UTILISATION:,.3f} Gbps baseline; "
            f"{per_node_ops:,.0f} of about {cap.ops_per_second:,.0f} ops/s planned per node (assumption)")
        overloaded = per_node_bytes > cap.network_bytes_per_second or per_node_ops > cap.ops_per_second
    elif topo is not None:
        evidence["nodes serving one key"] = "1 (Memcached hashes each key to one node and has no replicas)"
    decision = ("Serve hot keys from replicas with read-from-replica (add replicas to the shard that holds "
                "them), cache them in the client (client-side caching with invalidation, or a few seconds of "
                "local TTL), and guard their expiry against herds (single-flight, early refresh, TTL jitter).")
    if overloaded:
        decision += " One key is more than one node can carry: also split it into N copies (key:1..key:N) read at "\
                    "random, or shrink its value."
    return Finding(
        id="clients.hot_keys", severity=Severity.WARNING if overloaded else Severity.ADVICE,
        title="A few hot keys carry most reads",
        decision=decision,
        rationale="A key lives in one hash slot on one shard, so adding shards does not spread its load; only "
                  "the nodes of that shard (or copies in the clients) can serve it. When a hot key expires, every "
                  "client misses at once and stampedes the database.",
        evidence=evidence, docs=[docs.REPLICATION, docs.CACHING_BEST_PRACTICES, docs.NODE_TYPES],
        patterns=HERD_PATTERNS,
    )


rule("clients.hot_keys")(hot_keys)


def _option(label: str, monthly: object, gives: str) -> str:
    return f"{label}: {fmt_usd(monthly) + '/month' if monthly is not None else 'not priced'} ({gives})"


def _memcached_options(w: Workload, book: PriceBook) -> dict[str, str]:
    """The three ways to serve a Memcached client, each priced for this workload."""
    options: dict[str, str] = {}
    nodes = search(w, book, "memcached", top=1).best
    options["keep the client: node-based Memcached"] = _option(
        f"{nodes.shards} x {nodes.node_type}" if nodes else "no node-based fit",
        nodes.on_demand_monthly if nodes else None,
        "no replicas, failover, snapshots or auth; a lost node loses its share")
    serverless = assess_serverless(w, book, "memcached")
    options["keep the client: Serverless Memcached"] = _option(
        "Serverless" if serverless.feasible else "Serverless (ruled out: " + "; ".join(serverless.blockers) + ")",
        serverless.estimate.monthly if serverless.estimate else None,
        "data in three AZs, snapshots, always encrypted; TLS-capable client needed")
    valkey = search(w, book, "valkey", top=1).best
    valkey_serverless = assess_serverless(w, book, "valkey")
    monthly = [m for m in (valkey.on_demand_monthly if valkey else None,
                           valkey_serverless.estimate.monthly if valkey_serverless.feasible and
                           valkey_serverless.estimate else None) if m is not None]
    options["change the client: Valkey"] = _option(
        "cheapest Valkey design", min(monthly) if monthly else None,
        "replicas, Multi-AZ failover, snapshots, RBAC/IAM, rich types; needs a Redis/Valkey client")
    return options


def memcached_client(rec: Recommendation, book: PriceBook) -> Finding | None:
    w = rec.workload
    if w.constraints.client_protocol != ClientProtocol.MEMCACHED:
        return None
    wants_ha = w.availability != Availability.NONE or w.snapshot_retention_days > 0
    evidence = _memcached_options(w, book)
    if wants_ha:
        decision = ("Keep the Memcached client on Serverless Memcached (three AZs, snapshots), or change the client "
                    "to a Valkey one for replicas, failover and backups; node-based Memcached has neither.")
    else:
        decision = ("Node-based Memcached keeps the client unchanged and fits a plain cache; Serverless Memcached "
                    "adds three-AZ storage; Valkey needs a client change but adds replication, backups and rich types.")
    return Finding(
        id="engine.memcached_client", severity=Severity.DECISION,
        title="A Memcached client is in use: three ways to serve it",
        decision=decision,
        rationale="Only a Memcached engine speaks the Memcached protocol. Node-based Memcached has no replicas, "
                  "failover, snapshots or auth; Serverless Memcached stores data across three AZs with snapshots; "
                  "Valkey speaks RESP, so the application changes its client library (and key commands).",
        evidence=evidence, docs=[docs.SELECT_ENGINE, docs.DEPLOYMENT_OPTIONS, docs.PRICING],
    )


rule("engine.memcached_client")(memcached_client)
