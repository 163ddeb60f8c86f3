"""Stay on Redis OSS 5 or upgrade to Valkey: month-by-month costs and payback worked out by hand."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from advisor.depth.upgrade import for_recommendation, stay_or_upgrade
from advisor.pricing.book import PriceBook
from advisor.recommend import recommend
from advisor.workload import parse_workload
from tests.support.aws_cli_dry_run import dry_run
from tests.ui.by_hand import on_demand_hourly

TODAY = dt.date(2026, 12, 2)
H = Decimal(730)


def _redis5(book: PriceBook):  # type: ignore[no-untyped-def]
    workload = parse_workload({
        "name": "Legacy sessions", "dataset_gb": 3, "avg_reads_per_sec": 4000, "avg_writes_per_sec": 1000,
        "features": ["hashes"],
        "constraints": {"engine": "redis", "engine_version": "5.0.6", "node_type": "cache.m5.large", "shards": 1,
                        "replicas_per_shard": 1},
    })
    return recommend(workload, book)


def test_redis5_design_pays_back_a_migration_cost_in_month_9(book: PriceBook) -> None:
    rec = _redis5(book)
    assert rec.engine == "redis" and rec.topology is not None and rec.topology.node_count == 2
    upgrade = for_recommendation(rec, book, TODAY, Decimal(2000))
    assert upgrade is not None
    redis = on_demand_hourly("us-east-1", "redis", "cache.m5.large")  # 0.156
    valkey = on_demand_hourly("us-east-1", "valkey", "cache.m5.large")  # 0.1248
    # No Extended Support SKU is bundled for m5.large in us-east-1: AWS's documented 80% of the Redis OSS
    # node price (years 1-2, since 2026-02-01), labelled an estimate.
    surcharge = 2 * redis * Decimal("0.8") * H
    first = upgrade.months[0]
    assert first.starts == dt.date(2026, 12, 1)
    assert first.stay == 2 * redis * H + surcharge
    assert first.upgrade == 2 * valkey * H
    assert upgrade.is_estimate
    # Saving per month = 2 x 0.156 x 730 + surcharge - 2 x 0.1248 x 730 = 227.76 + 182.21 - 182.21 = 227.76;
    # $2,000 of migration effort is covered after ceil(2000 / 227.76) = 9 months.
    monthly_saving = first.stay - first.upgrade
    assert upgrade.payback_month == math.ceil(Decimal(2000) / monthly_saving) == 9
    # Year 3 (160%) starts two years after 2026-02-01: staying gets dearer on 2028-02-01.
    assert upgrade.dearer_on == dt.date(2028, 2, 1)
    year3 = next(m for m in upgrade.months if m.starts == dt.date(2028, 2, 1))
    assert year3.surcharge == 2 * redis * Decimal("1.6") * H
    # Extended Support ends 2029-01-31; from February 2029 AWS has upgraded the cache: it costs Valkey's price.
    after = next(m for m in upgrade.months if m.starts == dt.date(2029, 2, 1))
    assert after.stay == after.upgrade
    assert upgrade.in_place and "no downtime" in upgrade.path


def test_redis6_gets_dearer_when_its_extended_support_starts(book: PriceBook) -> None:
    upgrade = stay_or_upgrade(book, engine_version="6.2", region="us-east-1", node_type="cache.r6g.large",
                              node_count=3, today=TODAY)
    assert upgrade is not None
    assert upgrade.dearer_on == dt.date(2027, 2, 1)
    assert upgrade.months[0].surcharge == 0  # December 2026: still in standard support
    assert upgrade.payback_month == 1  # no migration cost: Valkey is cheaper from the first month


def test_old_versions_warn_of_a_short_failover_and_the_command_passes_the_aws_cli(book: PriceBook) -> None:
    upgrade = stay_or_upgrade(book, engine_version="4.0.10", region="us-east-1", node_type="cache.m5.large",
                              node_count=2, today=TODAY, name="old cache")
    assert upgrade is not None and "30-60 s" in upgrade.path
    for command in upgrade.commands:
        result = dry_run(list(command.argv))  # type: ignore[arg-type]
        assert result.exit_code == 0, result.stderr
        assert result.params["Engine"] == "valkey"


def test_valkey_designs_have_no_stay_or_upgrade(book: PriceBook) -> None:
    rec = recommend(parse_workload({"name": "v", "dataset_gb": 3, "features": ["hashes"]}), book)
    assert for_recommendation(rec, book, TODAY) is None
