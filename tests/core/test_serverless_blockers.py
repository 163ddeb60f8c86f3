"""One statement of what Serverless lacks (issue 13): the advisor's Serverless fit (advisor/choices.py) and the
forced-Serverless conflict (advisor/conflicts.py) give the same reasons in the same words, and the outcomes stay
what they were (the same conflict id and ways out)."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.choices import assess_serverless
from advisor.conflicts import serverless_limits
from advisor.pricing import PriceBook
from advisor.workload import parse_workload

BASE = {"dataset_gb": 8, "avg_reads_per_sec": 3000, "avg_writes_per_sec": 300, "traffic_shape": "spiky"}

# Each wish Serverless cannot grant, and its words, written out by hand.
CASES: list[tuple[dict[str, Any], str]] = [
    ({"client_cluster_aware": False}, "Serverless is cluster-mode only and the client is not cluster-aware"),
    ({"features": ["hashes", "keyspace_notifications", "select_multiple_dbs"]},
     "Serverless does not support keyspace notifications, multiple databases (SELECT)"),
    ({"availability": "multi_region", "secondary_regions": ["eu-west-1"]},
     "Serverless caches cannot join a Global Datastore (multi-Region)"),
    ({"auth": "auth_token", "encryption_in_transit": True}, "Serverless has no AUTH token (use RBAC or IAM)"),
]


@pytest.mark.parametrize(("spec", "words"), CASES, ids=[words.split(" ", 3)[-1][:30] for _, words in CASES])
def test_the_fit_and_the_conflict_say_the_same(book: PriceBook, spec: dict[str, Any], words: str) -> None:
    free = parse_workload({**BASE, **spec})
    assert assess_serverless(free, book, "valkey").blockers == (words,)
    forced = parse_workload({**BASE, **spec, "constraints": {"deployment": "serverless"}})
    conflict = serverless_limits(forced)
    assert conflict is not None and conflict.finding.id == "conflict.serverless_unsupported"
    assert conflict.finding.evidence["why not Serverless"] == words
    assert f"For this workload: {words}." in conflict.finding.rationale
    assert conflict.fixes[0].id == "provisioned"


def test_every_reason_at_once_in_one_order(book: PriceBook) -> None:
    spec = {"client_cluster_aware": False, "features": ["keyspace_notifications"], "auth": "auth_token",
            "encryption_in_transit": True, "availability": "multi_region", "secondary_regions": ["eu-west-1"]}
    expected = ("Serverless is cluster-mode only and the client is not cluster-aware; "
                "Serverless does not support keyspace notifications; "
                "Serverless caches cannot join a Global Datastore (multi-Region); "
                "Serverless has no AUTH token (use RBAC or IAM)")
    assert "; ".join(assess_serverless(parse_workload({**BASE, **spec}), book, "valkey").blockers) == expected
    conflict = serverless_limits(parse_workload({**BASE, **spec, "constraints": {"deployment": "serverless"}}))
    assert conflict is not None and conflict.finding.evidence["why not Serverless"] == expected
    assert [fix.id for fix in conflict.fixes] == ["provisioned"]  # more than one reason: no "drop the features"


def test_pinned_node_settings_are_the_conflicts_own_reason() -> None:
    forced = parse_workload({**BASE, "constraints": {"deployment": "serverless", "shards": 2, "data_tiering": True}})
    conflict = serverless_limits(forced)
    assert conflict is not None
    assert conflict.finding.evidence["why not Serverless"] == "Serverless has no node settings (shards, data_tiering)"


def test_one_unsupported_feature_keeps_its_way_out_of_dropping_it() -> None:
    forced = parse_workload({**BASE, "features": ["simple_get_set", "hashes", "keyspace_notifications"],
                             "constraints": {"deployment": "serverless"}})
    conflict = serverless_limits(forced)
    assert conflict is not None
    assert [(fix.id, fix.changes) for fix in conflict.fixes] == [
        ("provisioned", {"constraints": {"deployment": "provisioned"}}),
        ("drop_serverless_blockers", {"features": ["hashes", "simple_get_set"]}),
    ]


def test_every_feature_serverless_lacks_has_words_and_no_raw_id_reaches_a_sentence(book: PriceBook) -> None:
    from advisor.choices import SERVERLESS_FEATURE_WORDS
    from advisor.workload import SERVERLESS_BLOCKERS, load_workload
    from tests.report.conftest import ROOT

    assert set(SERVERLESS_FEATURE_WORDS) == {f.value for f in SERVERLESS_BLOCKERS}
    # The semantic-search example needs vector search; its page said "Serverless does not support vector_search".
    workload = load_workload(ROOT / "examples" / "semantic_search_lambda.yaml")
    assert assess_serverless(workload, book, "valkey").blockers == ("Serverless does not support vector search",)
