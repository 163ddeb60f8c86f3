"""Live clusters' "Compare with recommended": a discovered cluster becomes the given design, end to end.

The Live clusters page is pointed at the example account over HTTP (its endpoint field), with credentials from
the environment; it discovers the fleet, fetches one cluster's metrics and hands that cluster over as the given
design. Expected pins are the example's own definition of the cluster (advisor/fleet/example.py: catalog-api is
one shard of cache.r7g.2xlarge with 2 replicas), not anything the page computed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from advisor.design_picture import design_pictures
from advisor.fleet.account import ExampleAccount
from advisor.pricing import PriceBook
from advisor.recommend import recommend

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "live.py")


def test_compare_with_recommended_pins_the_discovered_cluster(example_account: ExampleAccount, book: PriceBook,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "example-access-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example-secret-key")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    at = AppTest.from_file(PAGE, default_timeout=300)
    at.run()
    assert example_account.endpoint is not None
    at.text_input(key="aws_endpoint").set_value(example_account.endpoint)
    at.button(key="aws_discover").click().run()
    assert not at.exception and not at.error, (at.exception, at.error)
    at.selectbox(key="aws_cluster").set_value("catalog-api").run()
    at.button(key="aws_metrics").click().run()
    assert not at.exception and not at.error, (at.exception, at.error)
    at.button(key="aws_compare").click().run()
    assert not at.exception and not at.error, (at.exception, at.error)

    workload = at.session_state["workload"]  # the key the Workload page adopts a handed-over workload from
    pins = workload.constraints
    assert (pins.node_type, pins.shards, pins.replicas_per_shard) == ("cache.r7g.2xlarge", 1, 2)
    assert pins.engine == "valkey"
    # The Recommendation page then shows it as the given design beside the advisor's own.
    given = recommend(workload, book).given
    assert given is not None and given.topology.node_type == "cache.r7g.2xlarge"
    assert given.topology.replicas_per_shard == 2 and given.recommended_headline
    # ... and draws it: 1 shard x (1 primary + 2 replicas) = 3 nodes over 3 AZs, labelled as the given design.
    drawn, ours = design_pictures(recommend(workload, book))
    assert drawn is not None and drawn.label == "Given design" and ours is not None
    assert (drawn.counts.nodes, drawn.counts.replicas, drawn.counts.azs_per_region) == (3, 2, 3)
