"""The Decisions & plan page renders every section for the default preset and for a Serverless one."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import choose_preset, open_page, page_text, router_app  # noqa: F401

MakeApp = Callable[[], AppTest]


def _cpu_month(text: str) -> float:
    found = re.search(r"Engine CPU over 70%: (month (\d+)|never)", text)
    assert found is not None
    return float(found.group(2)) if found.group(2) else math.inf


def test_every_section_renders(router_app: MakeApp) -> None:  # noqa: F811
    at = open_page(router_app, "decisions")
    assert not at.exception
    assert [h.value for h in at.header] == ["What would change the answer", "When the design stops fitting",
                                            "Headroom for failure and maintenance", "What to commit to",
                                            "Durability"]
    assert len(at.get("plotly_chart")) == 2
    text = page_text(at)
    assert "**Shard count**" in text and "**Engine**" in text
    assert "Memory over 75%" in text
    assert "One node lost" in text
    assert any("purchase-reserved-cache-nodes-offering" in c.value for c in at.code)


def test_traffic_growth_can_be_set_apart_from_the_data(router_app: MakeApp) -> None:  # noqa: F811
    at = open_page(router_app, "decisions")
    before = _cpu_month(page_text(at))
    at.toggle(key="decisions.follow_data").set_value(False).run()
    assert not at.exception
    at.number_input(key="decisions.traffic_growth").set_value(20.0).run()
    assert not at.exception
    text = page_text(at)
    assert "traffic 20%/month" in text and "as given" in text
    assert _cpu_month(text) < before  # traffic growing 20%/month, not 5%, passes 70% CPU sooner


def test_serverless_design_says_there_is_nothing_to_step(router_app: MakeApp) -> None:  # noqa: F811
    at = choose_preset(open_page(router_app), "Dev test cache")
    at.switch_page("pages/decisions.py").run()
    assert not at.exception
    assert "no steps to plan" in page_text(at)


def test_redis_oss_design_gets_stay_or_upgrade(router_app: MakeApp) -> None:  # noqa: F811
    from advisor.workload import parse_workload

    at = open_page(router_app)
    at.session_state["workload"] = parse_workload({
        "name": "Legacy sessions", "dataset_gb": 3, "features": ["hashes"], "auth": "none",
        "constraints": {"engine": "redis", "engine_version": "5.0.6", "node_type": "cache.m5.large",
                        "shards": 1, "replicas_per_shard": 1}})
    at.switch_page("pages/decisions.py").run()
    assert not at.exception
    assert "Stay on Redis OSS or upgrade to Valkey" in [h.value for h in at.header]
    assert any("--engine valkey" in c.value for c in at.code)


def test_a_headroom_remedy_is_its_own_sentence(router_app: MakeApp) -> None:  # noqa: F811
    """Issue 13 §1: the Memcached preset's node-loss check read "...onto the 2 other nodes.Would fit: 4 nodes"."""
    at = choose_preset(open_page(router_app), "Page fragment cache")
    at.switch_page("pages/decisions.py").run()
    assert not at.exception
    boxes = [w.value.replace("\\", "") for w in at.warning if "Would fit" in w.value]  # escapes aside
    assert boxes, "the 3-node Memcached design does not survive losing a node: a remedy is offered"
    for box in boxes:
        assert re.search(r"[.)] Would fit: ", box), box
