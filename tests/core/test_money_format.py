"""Money reads the way people write it: the minus sign before the dollar sign ("-$5.00", never "$-5.00")."""

from __future__ import annotations

import re
from decimal import Decimal

from advisor.money import fmt_usd
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.render.text import given_lines
from advisor.workload import parse_workload


def test_negative_amounts_put_the_sign_before_the_dollar() -> None:
    assert fmt_usd(Decimal("-5")) == "-$5.00"
    assert fmt_usd(Decimal("-1234.565")) == "-$1,234.57"  # half up, away from zero, thousands separated
    assert fmt_usd(-0.5) == "-$0.50"
    assert fmt_usd(Decimal("1234.5")) == "$1,234.50"
    assert fmt_usd(0) == "$0.00"
    assert fmt_usd(None) == "n/a"


def test_a_tiny_negative_amount_is_zero_without_a_sign() -> None:
    assert fmt_usd(Decimal("-0.004")) == "$0.00"


def test_a_given_design_cheaper_than_the_recommended_one_reads_minus_dollars(book: PriceBook) -> None:
    # 200 GB on one shard of cache.r7g.large (13.07 GiB) is too small, so the advisor's own design costs more:
    # the difference (given - recommended) is negative and must read "-$", never "+$-" or "$-".
    rec = recommend(parse_workload({"dataset_gb": 200, "constraints": {
        "node_type": "cache.r7g.large", "shards": 1, "replicas_per_shard": 1}}), book)
    given = rec.given
    assert given is not None and given.difference_monthly is not None and given.difference_monthly < 0
    text = "\n".join(given_lines(given))
    assert text.startswith("Given design: 1 shard x (1 primary + 1 replica) of cache.r7g.large") and "(Valkey)" in text
    assert re.search(r"difference \(given - recommended\): -\$[\d,]+\.\d\d/month, -\$[\d,]+\.\d\d/year", text)
    assert "$-" not in text and "+-" not in text and "+$-" not in text
