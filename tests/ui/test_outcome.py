"""The Recommendation page shows a conflict's ways out and adopts one with a single click; a given design is
shown beside the recommended one with the monthly and yearly difference."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from streamlit.testing.v1 import AppTest

from advisor.workload_link import encode_workload_link
from tests.ui.conftest import page_text, show_fields
from ui import state

MakeApp = Callable[[], AppTest]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def open_with(router_app: MakeApp, path: Path) -> AppTest:
    at = router_app()
    at.query_params[state.LINK_PARAM] = encode_workload_link(yaml.safe_load(path.read_text()))
    at.run()
    at.switch_page("pages/recommendation.py").run()
    assert not at.exception
    return at


def test_a_way_out_is_adopted_with_one_click(router_app: MakeApp) -> None:
    at = open_with(router_app, EXAMPLES / "conflicts" / "memcached_client_failover_backups.yaml")
    assert at.subheader[0].value.startswith("Conflict")
    text = page_text(at)
    assert "Ways out" in text and "Serverless Memcached" in text
    at.button(key="adopt.serverless_memcached").click().run()
    assert not at.exception
    assert at.subheader[0].value.startswith("Memcached Serverless")
    assert not any("Conflict" in str(e.value) for e in at.error)
    at.switch_page("pages/workload.py").run()
    show_fields(at, "constraints.deployment")  # the client protocol is in the same group
    assert at.selectbox(key="wl.constraints.deployment").value == "serverless"
    assert at.selectbox(key="wl.constraints.client_protocol").value == "memcached"  # the client is kept


def test_a_given_design_is_shown_beside_the_recommended_one(router_app: MakeApp) -> None:
    at = open_with(router_app, EXAMPLES / "given_designs" / "one_shard_m7g_large.yaml")
    text = page_text(at)
    assert "Given design" in text
    # (0.1264 - 0.1192) $/h x 730 h x 2 nodes = $10.51 a month, $126.14 a year (pricing_data/on_demand.csv)
    assert "Difference per month: $10.51" in text
    assert "$126.14" in text
