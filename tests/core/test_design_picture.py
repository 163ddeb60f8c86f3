"""The design picture's layout: counts, placement across AZs, the Global Datastore direction, Serverless and
Memcached in their own terms. Expectations are worked out by hand from the design's numbers."""

from __future__ import annotations

from collections import Counter

from advisor.design_picture import DesignSpec, layout_design, outline
from advisor.render.design_svg import design_svg


def _spec(**changes: object) -> DesignSpec:
    base = {"label": "Recommended design", "engine": "valkey", "deployment": "provisioned", "region": "us-east-1",
            "node_type": "cache.r7g.large", "shards": 3, "replicas_per_shard": 2, "multi_az": True}
    return DesignSpec(**{**base, **changes})  # type: ignore[arg-type]


def _nodes(picture, region: str | None = None):  # type: ignore[no-untyped-def]
    return [b for b in picture.boxes if b.kind == "node" and (region is None or b.region == region)]


def _az_of(picture, node):  # type: ignore[no-untyped-def]
    return next(b.label for b in picture.boxes if b.kind == "az" and b.region == node.region
                and b.x <= node.x < b.x + b.width)


def test_three_shards_with_two_replicas_spread_each_shard_over_three_azs() -> None:
    picture = layout_design(_spec())
    # 3 shards x (1 primary + 2 replicas) = 9 nodes, each shard's three nodes in three different AZs.
    assert picture.counts.nodes == 9 and picture.counts.primaries == 3 and picture.counts.replicas == 6
    assert picture.counts.azs_per_region == 3
    nodes = _nodes(picture)
    assert Counter(n.role for n in nodes) == {"primary": 3, "replica": 6}
    for shard in (1, 2, 3):
        azs = [_az_of(picture, n) for n in nodes if n.label.startswith(f"shard {shard} ")]
        assert len(azs) == 3 and len(set(azs)) == 3
    # The primaries are rotated: one per AZ, so one AZ outage never takes every primary.
    assert len({_az_of(picture, n) for n in nodes if n.role == "primary"}) == 3
    assert "3 shards x (1 primary + 2 replicas) of cache.r7g.large, 9 nodes in us-east-1" in picture.title


def test_one_shard_one_replica_reads_in_the_singular() -> None:
    picture = layout_design(_spec(shards=1, replicas_per_shard=1))
    assert "1 shard x (1 primary + 1 replica)" in picture.title and "2 nodes" in picture.title
    assert picture.counts.azs_per_region == 2
    assert [n.label for n in _nodes(picture)] == ["primary", "replica"]
    assert picture.caption.startswith("The primary and its replica are spread over 2 AZs")  # no "primaries"


def test_many_shards_are_drawn_as_the_first_ones_an_ellipsis_and_the_last() -> None:
    picture = layout_design(_spec(shards=25, replicas_per_shard=1))
    assert picture.counts.nodes == 50  # counts are the whole design, not what fits on the page
    drawn_shards = {n.label.split(" ")[1] for n in _nodes(picture)}
    assert drawn_shards == {"1", "2", "3", "25"}
    more = [b for b in picture.boxes if b.kind == "more"]
    assert len(more) == 1 and more[0].label.startswith("... 21 more shards")


def test_global_datastore_points_from_the_primary_region_to_each_secondary() -> None:
    picture = layout_design(_spec(secondary_regions=("eu-west-1", "ap-southeast-2"), shards=2,
                                  replicas_per_shard=1))
    assert picture.counts.regions == 3 and picture.counts.nodes == 3 * 2 * 2
    regions = [b for b in picture.boxes if b.kind == "region"]
    assert [r.region for r in regions] == ["us-east-1", "eu-west-1", "ap-southeast-2"]
    assert "primary Region" in regions[0].label and "secondary Region" in regions[1].label
    assert [a.target for a in picture.arrows] == ["eu-west-1", "ap-southeast-2"]
    primary = regions[0]
    for arrow, target in zip(picture.arrows, regions[1:], strict=True):
        (x0, _), (x1, _) = arrow.points[0], arrow.points[-1]
        assert primary.x <= x0 <= primary.x + primary.width  # starts at the primary Region
        assert target.x <= x1 <= target.x + target.width  # its head is in the secondary
    # A secondary's shard primaries are read-only replicas of the primary Region's.
    assert Counter(n.role for n in _nodes(picture, "eu-west-1")) == {"secondary": 2, "replica": 2}
    assert "Global Datastore: async replication, from us-east-1 to ap-southeast-2" in outline(picture)[-1]


def test_serverless_is_one_managed_endpoint_without_nodes() -> None:
    picture = layout_design(DesignSpec("Recommended design", "valkey", "serverless", "us-east-1"))
    assert picture.counts.nodes == 0
    assert [b.kind for b in picture.boxes] == ["region", "endpoint"]
    assert "Serverless" in picture.boxes[1].label and picture.arrows == ()


def test_memcached_is_drawn_as_nodes_in_memcached_words() -> None:
    picture = layout_design(_spec(engine="memcached", shards=4, replicas_per_shard=0))
    assert picture.counts.nodes == 4 and picture.counts.shards == 0 and picture.counts.replicas == 0
    text = " ".join(outline(picture)) + picture.title + picture.caption
    for word in ("shard", "replica", "primary", "cluster mode"):
        assert word not in text.lower()
    assert "4 nodes of cache.r7g.large" in picture.title
    assert Counter(n.role for n in _nodes(picture)) == {"node": 4}


def test_svg_carries_the_counts_and_one_element_per_drawn_node() -> None:
    picture = layout_design(_spec(secondary_regions=("eu-west-1",)))
    svg = design_svg(picture)
    assert "data-nodes='18'" in svg and "data-regions='2'" in svg
    assert svg.count("data-kind='node'") == 18 and svg.count("data-kind='link'") == 1
    assert svg.count("data-role='primary'") == 3 and svg.count("data-role='secondary'") == 3


def _given_and_recommended(path: str):  # type: ignore[no-untyped-def]
    from advisor.design_picture import design_pictures
    from advisor.pricing import load_price_book
    from advisor.recommend import recommend
    from advisor.workload import load_workload

    return design_pictures(recommend(load_workload(path), load_price_book()))


def test_a_given_design_is_drawn_beside_the_recommended_one() -> None:
    # examples/given_designs/three_shards_r7g_xlarge.yaml pins 3 shards x (1 primary + 2 replicas) of
    # cache.r7g.xlarge: 3 x 3 = 9 nodes, each shard over 3 AZs. The advisor's own design for the same 45 GB is
    # 1 shard x (1 primary + 1 replica) of cache.r8g.2xlarge (tests/core/test_conflicts.py): 2 nodes in 2 AZs.
    given, recommended = _given_and_recommended("examples/given_designs/three_shards_r7g_xlarge.yaml")
    assert given is not None and recommended is not None
    assert given.label == "Given design" and given.title.startswith("Given design: Valkey, 3 shards")
    assert (given.counts.shards, given.counts.primaries, given.counts.replicas, given.counts.nodes) == (3, 3, 6, 9)
    assert given.counts.azs_per_region == 3 and "cache.r7g.xlarge" in given.title
    assert Counter(n.role for n in _nodes(given)) == {"primary": 3, "replica": 6}
    assert recommended.label == "Recommended design" and recommended.title.startswith("Recommended design:")
    assert (recommended.counts.shards, recommended.counts.replicas, recommended.counts.nodes) == (1, 1, 2)
    assert recommended.counts.azs_per_region == 2 and "cache.r8g.2xlarge" in recommended.title
    svg = design_svg(given)
    assert 'data-design="Given design"' in svg and "data-nodes='9'" in svg


def test_the_m7g_given_design_and_its_cheaper_twin() -> None:
    # one_shard_m7g_large.yaml: 1 shard x (1 primary + 1 replica) of cache.m7g.large = 2 nodes over 2 AZs; the
    # advisor recommends the same shape on cache.m6g.large (cheaper per hour, $0.1192 against $0.1264).
    given, recommended = _given_and_recommended("examples/given_designs/one_shard_m7g_large.yaml")
    assert given is not None and recommended is not None
    assert (given.counts.nodes, given.counts.azs_per_region) == (2, 2) and "cache.m7g.large" in given.title
    assert (recommended.counts.nodes, recommended.counts.azs_per_region) == (2, 2)
    assert "cache.m6g.large" in recommended.title


def test_without_a_given_design_only_the_recommended_one_is_drawn() -> None:
    given, recommended = _given_and_recommended("examples/leaderboard.yaml")
    assert given is None and recommended is not None and recommended.label == "Recommended design"


def test_the_ellipsis_line_is_not_crossed_by_the_az_frames() -> None:
    """It spans both AZ columns; a halo in the Region's fill (#f4f6f8) is painted under its letters."""
    import re

    svg = design_svg(layout_design(_spec(shards=25, replicas_per_shard=1)))
    more = re.search(r"<g data-kind='more'[^>]*>(<text [^>]*>)\.\.\. 21 more shards", svg)
    assert more is not None
    assert "stroke='#f4f6f8'" in more.group(1) and "paint-order='stroke'" in more.group(1)
    # drawn after the AZ frames, so the halo covers their dashed lines
    assert svg.index("data-kind='more'") > svg.rindex("data-kind='az'")
