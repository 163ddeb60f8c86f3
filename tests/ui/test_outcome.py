"""The Recommendation page shows a conflict's ways out and adopts one with a single click; a given design is
shown beside the recommended one with the monthly and yearly difference."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from streamlit.testing.v1 import AppTest

from advisor.workload_link import encode_workload_link
from tests.ui.conftest import page_text, show_fields, shown
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


def _pictures(at: AppTest) -> list[str]:
    """The SVG of every design picture on the page (st.image keeps it as a base64 data URL)."""
    import base64

    urls = [image.proto.imgs[0].url for image in at.get("image")]
    return [base64.b64decode(url.split(",", 1)[1]).decode() for url in urls if url.startswith("data:image/svg")]


def test_the_given_design_is_drawn_beside_the_recommended_one(router_app: MakeApp) -> None:
    at = open_with(router_app, EXAMPLES / "given_designs" / "three_shards_r7g_xlarge.yaml")
    given, recommended = _pictures(at)
    # Given: 3 shards x (1 primary + 2 replicas) of cache.r7g.xlarge = 9 nodes, each shard over 3 AZs.
    assert 'data-design="Given design"' in given and "data-nodes='9'" in given and "data-shards='3'" in given
    assert given.count("data-role='primary'") == 3 and given.count("data-role='replica'") == 6
    assert given.count("data-kind='az'") == 3 and "cache.r7g.xlarge" in given
    # Recommended for the same 45 GB: 1 shard x (1 primary + 1 replica) of cache.r8g.2xlarge = 2 nodes in 2 AZs.
    assert 'data-design="Recommended design"' in recommended and "data-nodes='2'" in recommended
    assert recommended.count("data-kind='az'") == 2 and "cache.r8g.2xlarge" in recommended
    text = shown(page_text(at))
    assert "Given design: Valkey, 3 shards x (1 primary + 2 replicas) of cache.r7g.xlarge, 9 nodes" in text
    assert "Recommended design: Valkey, 1 shard x (1 primary + 1 replica) of cache.r8g.2xlarge, 2 nodes" in text


def test_without_a_given_design_one_picture_is_drawn(router_app: MakeApp) -> None:
    at = open_with(router_app, EXAMPLES / "leaderboard.yaml")
    pictures = _pictures(at)
    assert len(pictures) == 1 and 'data-design="Recommended design"' in pictures[0]
