"""Durability advice: RPO 0 gets sync durability, priced only from the bundled rate, with a dry-run-clean flag."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from advisor.depth.durability import durability_advice
from advisor.pricing.book import PriceBook
from advisor.recommend import Topology, recommend
from advisor.workload import load_workload
from tests.support.aws_cli_dry_run import dry_run


def _session(book: PriceBook, **changes):  # type: ignore[no-untyped-def]
    return recommend(load_workload("examples/session_store.yaml").with_changes(**changes), book)


def test_rpo_zero_on_r7g_in_eu_west_1_is_priced_from_the_bundled_rate(book: PriceBook) -> None:
    rec = dataclasses.replace(_session(book, rpo_seconds=0, region="eu-west-1"),
                              topology=Topology("valkey", "cache.r7g.large", 1, 1, False, False, True, True))
    advice = durability_advice(rec, book)
    assert advice.needed
    sync = advice.modes[0]
    # other_rates.csv: valkey_sync_durability cache.r7g.large eu-west-1 = $0.035/node-hour; 2 nodes x 730 h.
    assert sync.monthly_surcharge == Decimal("0.035") * 730 * 2
    assert "$51.10/month more" in advice.recommendation
    assert sync.meets_rpo is True and advice.modes[1].meets_rpo is False and advice.modes[2].meets_rpo is False


def test_unpriced_region_says_not_priced_and_never_borrows(book: PriceBook) -> None:
    advice = durability_advice(_session(book, rpo_seconds=0), book)
    sync = advice.modes[0]
    assert sync.monthly_surcharge is None
    assert sync.surcharge_note.startswith("not priced") and "us-east-1" in sync.surcharge_note
    assert "surcharge not in the bundled data" in advice.recommendation


def test_durability_commands_pass_the_aws_cli(book: PriceBook) -> None:
    advice = durability_advice(_session(book, rpo_seconds=0), book)
    assert any("--durability" in c.argv for c in advice.commands)
    for command in advice.commands:
        result = dry_run(list(command.argv))  # type: ignore[arg-type]
        assert result.exit_code == 0, f"{command.render()}\n{result.stderr}"
    sync = dry_run(list(advice.commands[1].argv))  # type: ignore[arg-type]
    assert sync.params["Durability"] == "sync"


def test_no_rpo_keeps_async_replication_and_serverless_does_not_apply(book: PriceBook) -> None:
    advice = durability_advice(_session(book, rpo_seconds=None), book)
    assert not advice.needed and not advice.commands
    serverless = durability_advice(recommend(load_workload("examples/dev_test.yaml"), book), book)
    assert not serverless.applies
