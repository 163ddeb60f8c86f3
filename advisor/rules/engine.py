"""Which engine: Valkey for almost everything, Memcached only for trivial multithreaded GET/SET caches."""

from __future__ import annotations

from advisor import docs
from advisor.findings import Finding, Severity
from advisor.money import HOURS_PER_MONTH, fmt_usd
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.wording import ENGINE_LABELS, choice_label, sentence


def _valkey_vs_redis(rec: Recommendation, book: PriceBook) -> dict[str, str]:
    best = rec.search.best
    if best is None:
        return {}
    valkey = book.node_price(rec.workload.region, "valkey", best.node_type)
    redis = book.node_price(rec.workload.region, "redis", best.node_type)
    if valkey is None or redis is None:
        return {"Valkey vs Redis OSS": f"no price pair bundled for {best.node_type} in {rec.workload.region}"}
    count = best.node_count
    valkey_month = valkey.usd_per_hour * HOURS_PER_MONTH * count
    redis_month = redis.usd_per_hour * HOURS_PER_MONTH * count
    return {
        f"{count} x {best.node_type} Valkey": f"{fmt_usd(valkey_month)}/month (${valkey.usd_per_hour}/h)",
        f"{count} x {best.node_type} Redis OSS": f"{fmt_usd(redis_month)}/month (${redis.usd_per_hour}/h)",
        "Valkey saves": f"{fmt_usd(redis_month - valkey_month)}/month",
    }


def engine_choice(rec: Recommendation, book: PriceBook) -> Finding:
    choice = rec.engine_choice
    label = ENGINE_LABELS[choice.engine]
    evidence = {"features": ", ".join(choice_label(f) for f in rec.workload.features)}
    if choice.engine != "memcached":
        evidence.update(_valkey_vs_redis(rec, book))
    if choice.memcached_blockers:
        evidence["why not Memcached"] = "; ".join(choice.memcached_blockers)
    return Finding(
        id="engine.choice", severity=Severity.DECISION, title=f"Engine: {label}",
        decision=f"Use {label}.",
        rationale=sentence("; ".join(choice.reasons) + "."),
        evidence=evidence, docs=[docs.SELECT_ENGINE, docs.ENGINE_VERSIONS, docs.PRICING],
    )


rule("engine.choice")(engine_choice)


def redis_costs_more(rec: Recommendation, book: PriceBook) -> Finding | None:
    if rec.engine != "redis":
        return None
    evidence = _valkey_vs_redis(rec, book)
    return Finding(
        id="engine.redis_costs_more", severity=Severity.ADVICE, title="Valkey would cost less than Redis OSS",
        decision="Unless a Redis OSS-only need rules it out, run Valkey: same commands, lower price.",
        rationale="Valkey 7.2 contains every Redis OSS 7.2 feature and AWS prices Valkey nodes about 20% and "
                  "Serverless about 33% below Redis OSS. Redis OSS 7.1 is the newest Redis OSS on ElastiCache.",
        evidence=evidence, docs=[docs.ENGINE_VERSIONS, docs.PRICING],
    )


rule("engine.redis_costs_more")(redis_costs_more)
