"""The recommended design as a picture: a pure layout from the design's facts to boxes and arrows.

Architects draw the topology first: Regions side by side (the primary on the left), Availability Zones inside
each Region, one row per shard with its primary and replicas placed across the AZs, the Global Datastore link
from the primary Region to each secondary (asynchronous, one direction), and Serverless as one managed endpoint.
The layout is data (coordinates in abstract units, origin top left); renderers (SVG for the app and HTML,
reportlab for the PDF, a text outline for Markdown, plain data for JSON) only draw it, so every format shows
the same picture.

Placement follows what ElastiCache does with Multi-AZ: nodes of a shard are spread over the Region's AZs, the
primaries rotated so no single AZ holds them all. Which AZ letter AWS picks is the subnet group's business, so
the AZs are drawn as "AZ 1", "AZ 2", ...: the count and the spread are the facts, not the letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from advisor.pricing.schema import Engine
from advisor.recommendation import Recommendation, Topology
from advisor.wording import ENGINE_LABELS, count_noun

MAX_AZS = 3  # ElastiCache spreads a shard's nodes over up to this many AZs in the drawings (most Regions have 3+)
MAX_DRAWN_SHARDS = 4  # more shards are drawn as the first ones, an ellipsis row, and the last one
MAX_DRAWN_MEMCACHED_NODES = 9

NODE_W, NODE_H = 160.0, 30.0
GAP = 10.0
AZ_PAD = 10.0
REGION_PAD = 14.0
HEADER = 26.0  # room for a Region's or an AZ's label
REGION_GAP = 90.0  # room for the Global Datastore arrow and its label

RECOMMENDED = "Recommended design"
GIVEN = "Given design"

Role = Literal["primary", "replica", "node", "serverless", "secondary"]


@dataclass(frozen=True)
class DesignSpec:
    """What the picture needs to know about a design, whoever decided it (the advisor, or a pinned design)."""

    label: str  # "Recommended design", "Given design"
    engine: Engine
    deployment: Literal["provisioned", "serverless"]
    region: str
    secondary_regions: tuple[str, ...] = ()
    node_type: str = ""
    shards: int = 0
    replicas_per_shard: int = 0
    multi_az: bool = False


@dataclass(frozen=True)
class Box:
    kind: Literal["region", "az", "node", "endpoint", "more"]
    x: float
    y: float
    width: float
    height: float
    label: str
    role: Role | None = None
    region: str = ""


@dataclass(frozen=True)
class Arrow:
    """A directed link along a polyline, from its first point to its last (the head); `label_at` is where its
    label goes and `target` the Region it points to."""

    points: tuple[tuple[float, float], ...]
    label: str
    label_at: tuple[float, float]
    target: str


@dataclass(frozen=True)
class DesignCounts:
    """The numbers the picture stands for (drawn shards may be fewer: see `DesignPicture.more`)."""

    regions: int
    azs_per_region: int
    shards: int
    primaries: int
    replicas: int
    nodes: int


@dataclass(frozen=True)
class DesignPicture:
    title: str
    caption: str
    width: float
    height: float
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    counts: DesignCounts
    label: str = RECOMMENDED  # whose design: "Recommended design" or "Given design"


def _spec(label: str, rec: Recommendation, engine: Engine, deployment: str | None,
          topo: Topology | None) -> DesignSpec | None:
    w = rec.workload
    if deployment == "serverless":
        return DesignSpec(label, engine, "serverless", w.region, tuple(w.secondary_regions))
    if deployment is None or topo is None:
        return None
    return DesignSpec(label, engine, "provisioned", w.region, tuple(w.secondary_regions), topo.node_type,
                      topo.shards, topo.replicas_per_shard, topo.multi_az)


def spec_of(rec: Recommendation, label: str = RECOMMENDED) -> DesignSpec | None:
    """The design `rec` holds, or None when nothing is feasible (there is nothing to draw)."""
    return _spec(label, rec, rec.engine, rec.deployment, rec.topology)


def design_specs(rec: Recommendation) -> tuple[DesignSpec | None, DesignSpec | None]:
    """(given, recommended): what to draw. With a given design (pinned, or a live cluster's), `rec` holds that
    design and the advisor's own is the one it recommends instead; either may be None (nothing to draw)."""
    given = rec.given
    if given is None:
        return None, spec_of(rec)
    topo = given.topology
    # Drawn in the Regions it is priced in: the workload's primary and its Global Datastore secondaries.
    drawn = _spec(GIVEN, rec, topo.engine, "provisioned", topo)
    ours = (_spec(RECOMMENDED, rec, given.recommended_engine, given.recommended_deployment,
                  given.recommended_topology) if given.recommended_engine is not None else None)
    return drawn, ours


def design_pictures(rec: Recommendation) -> tuple[DesignPicture | None, DesignPicture | None]:
    """(given, recommended) pictures, as `design_specs` decides."""
    given, recommended = design_specs(rec)
    return (layout_design(given) if given else None, layout_design(recommended) if recommended else None)


def azs_used(spec: DesignSpec) -> int:
    """AZs a Region's nodes are spread over: one per node of a shard (Memcached: per node), at most MAX_AZS."""
    if spec.deployment == "serverless":
        return MAX_AZS  # Serverless replicates across multiple AZs on its own
    per_group = spec.shards if spec.engine == "memcached" else 1 + spec.replicas_per_shard
    return max(1, min(MAX_AZS, per_group))


def _drawn_rows(shards: int) -> list[int | None]:
    """Shard indexes to draw (0-based); None is the ellipsis row standing for the ones in between."""
    if shards <= MAX_DRAWN_SHARDS:
        return list(range(shards))
    return [*range(MAX_DRAWN_SHARDS - 1), None, shards - 1]


def _shard_cells(shard: int, replicas: int, azs: int) -> list[list[Role]]:
    """Roles per AZ for one shard: the primary in AZ (shard mod azs), each replica in the next AZ round."""
    cells: list[list[Role]] = [[] for _ in range(azs)]
    cells[shard % azs].append("primary")
    for r in range(replicas):
        cells[(shard + 1 + r) % azs].append("replica")
    return cells


def _region_nodes(spec: DesignSpec, secondary: bool) -> tuple[list[tuple[int | None, list[list[Role]]]], int]:
    """(rows of (shard index, roles per AZ), AZs): one row per drawn shard, or rows of Memcached nodes."""
    azs = azs_used(spec)
    if spec.engine == "memcached":
        drawn = min(spec.shards, MAX_DRAWN_MEMCACHED_NODES)
        cells: list[list[Role]] = [[] for _ in range(azs)]
        for n in range(drawn):
            cells[n % azs].append("node")
        rows: list[tuple[int | None, list[list[Role]]]] = [(0, cells)]
        if spec.shards > drawn:
            rows.append((None, [[] for _ in range(azs)]))
        return rows, azs
    rows = []
    for shard in _drawn_rows(spec.shards):
        if shard is None:
            rows.append((None, [[] for _ in range(azs)]))
            continue
        roles = _shard_cells(shard, spec.replicas_per_shard, azs)
        if secondary:  # a secondary cluster is read-only: its shard "primaries" replicate from the primary Region
            roles = [["secondary" if r == "primary" else r for r in cell] for cell in roles]
        rows.append((shard, roles))
    return rows, azs


def _node_label(role: Role, shard: int | None, spec: DesignSpec) -> str:
    if role == "node":
        return "node"
    name = {"primary": "primary", "replica": "replica", "secondary": "read-only primary"}[role]
    return f"shard {shard + 1} {name}" if shard is not None and spec.shards > 1 else name


def _provisioned_region(spec: DesignSpec, region: str, x0: float, secondary: bool) -> tuple[list[Box], float,
                                                                                                float]:
    rows, azs = _region_nodes(spec, secondary)
    # Column width of an AZ: as many nodes side by side as its fullest cell holds.
    per_cell = max((len(cell) for _, cells in rows for cell in cells), default=1) or 1
    if spec.engine == "memcached":
        per_row_cell = 1
        stacked = per_cell  # Memcached nodes stack down an AZ column
    else:
        per_row_cell, stacked = per_cell, 1
    az_w = per_row_cell * NODE_W + (per_row_cell - 1) * GAP + 2 * AZ_PAD
    row_h = stacked * NODE_H + (stacked - 1) * GAP
    body_h = len(rows) * row_h + (len(rows) - 1) * GAP
    az_h = HEADER + body_h + AZ_PAD
    region_w = azs * az_w + (azs - 1) * GAP + 2 * REGION_PAD
    region_h = HEADER + az_h + REGION_PAD
    role_name = "secondary Region" if secondary else "primary Region" if spec.secondary_regions else "Region"
    boxes = [Box("region", x0, 0.0, region_w, region_h, f"{region} ({role_name}), {spec.node_type}",
                 region=region)]
    for a in range(azs):
        ax = x0 + REGION_PAD + a * (az_w + GAP)
        boxes.append(Box("az", ax, HEADER, az_w, az_h, f"AZ {a + 1}", region=region))
        y = 2 * HEADER
        for shard, cells in rows:
            if shard is None:
                if a == 0:
                    hidden = spec.shards - MAX_DRAWN_SHARDS if spec.engine != "memcached" else (
                        spec.shards - MAX_DRAWN_MEMCACHED_NODES)
                    noun = "shard" if spec.engine != "memcached" else "node"
                    boxes.append(Box("more", x0 + REGION_PAD, y, region_w - 2 * REGION_PAD, row_h,
                                     f"... {hidden:,} more {noun}{'' if hidden == 1 else 's'}, laid out the "
                                     "same way", region=region))
                y += row_h + GAP
                continue
            for i, role in enumerate(cells[a]):
                nx = ax + AZ_PAD + (0 if spec.engine == "memcached" else i * (NODE_W + GAP))
                ny = y + (i * (NODE_H + GAP) if spec.engine == "memcached" else 0)
                boxes.append(Box("node", nx, ny, NODE_W, NODE_H, _node_label(role, shard, spec), role, region))
            y += row_h + GAP
    return boxes, region_w, region_h


def _serverless_region(spec: DesignSpec, region: str, x0: float) -> tuple[list[Box], float, float]:
    width, height = 3 * NODE_W + 2 * REGION_PAD, HEADER + 2 * NODE_H + 2 * REGION_PAD
    return [
        Box("region", x0, 0.0, width, height, f"{region} (Region)", region=region),
        Box("endpoint", x0 + REGION_PAD, HEADER + REGION_PAD, width - 2 * REGION_PAD, 2 * NODE_H,
            f"{ENGINE_LABELS[spec.engine]} Serverless: one endpoint, capacity and AZs managed by AWS",
            "serverless", region),
    ], width, height


def layout_design(spec: DesignSpec) -> DesignPicture:
    """Boxes and arrows for one design; coordinates in abstract units, origin at the top left."""
    engine = ENGINE_LABELS[spec.engine]
    if spec.deployment == "serverless":
        boxes, width, height = _serverless_region(spec, spec.region, 0.0)
        counts = DesignCounts(1, azs_used(spec), 0, 0, 0, 0)
        return DesignPicture(f"{spec.label}: {engine} Serverless in {spec.region}",
                             "Serverless has no nodes to place: AWS spreads it across AZs and scales it.",
                             width, height, tuple(boxes), (), counts, spec.label)
    regions = (spec.region, *spec.secondary_regions)
    boxes: list[Box] = []
    lefts: list[tuple[float, float]] = []  # (x, width) of each Region
    x, height = 0.0, 0.0
    for index, region in enumerate(regions):
        region_boxes, w, h = _provisioned_region(spec, region, x, secondary=index > 0)
        boxes += region_boxes
        lefts.append((x, w))
        height = max(height, h)
        x += w + REGION_GAP
    width = x - REGION_GAP
    arrows = []
    label = "Global Datastore: async replication"
    for index, region in enumerate(regions[1:], start=1):
        (px, pw), (tx, tw) = lefts[0], lefts[index]
        if index == 1:  # next door: straight across the gap, near the top
            y = HEADER + 30
            arrows.append(Arrow(((px + pw, y), (tx, y)), label, ((px + pw + tx) / 2, y), region))
        else:  # further on: below the Regions, so the line never crosses the one in between
            low = height + 24 * index
            arrows.append(Arrow(((px + pw / 2, height), (px + pw / 2, low), (tx + tw / 2, low), (tx + tw / 2, height)),
                                label, ((px + pw / 2 + tx + tw / 2) / 2, low), region))
    if len(regions) > 2:
        height += 24 * len(regions)
    boxes.sort(key=lambda b: b.kind == "more")  # the ellipsis text is drawn over the AZ frames
    azs = azs_used(spec)
    memcached = spec.engine == "memcached"
    per_region_nodes = spec.shards if memcached else spec.shards * (1 + spec.replicas_per_shard)
    counts = DesignCounts(
        regions=len(regions), azs_per_region=azs, shards=0 if memcached else spec.shards,
        primaries=0 if memcached else spec.shards, replicas=0 if memcached else spec.shards * spec.replicas_per_shard,
        nodes=per_region_nodes * len(regions),
    )
    where = spec.region if len(regions) == 1 else f"{len(regions)} Regions ({', '.join(regions)})"
    if memcached:
        title = f"{spec.label}: {engine}, {count_noun(spec.shards, 'node')} of {spec.node_type} in {where}"
    else:
        title = (f"{spec.label}: {engine}, {count_noun(spec.shards, 'shard')} x (1 primary + "
                 f"{count_noun(spec.replicas_per_shard, 'replica')}) of {spec.node_type}, "
                 f"{count_noun(counts.nodes, 'node')} in {where}")
    caption = _caption(spec, azs, memcached, len(regions))
    return DesignPicture(title, caption, width, height, tuple(boxes), tuple(arrows), counts, spec.label)


def _caption(spec: DesignSpec, azs: int, memcached: bool, regions: int) -> str:
    parts = []
    if memcached:
        parts.append(f"Memcached nodes are independent; the client spreads keys over them, across {azs} AZ"
                     f"{'s' if azs > 1 else ''}.")
    elif azs > 1 and spec.shards == 1:
        replicas = "its replica" if spec.replicas_per_shard == 1 else f"its {spec.replicas_per_shard} replicas"
        parts.append(f"The primary and {replicas} are spread over {azs} AZs, so an AZ outage fails over to a "
                     "replica in another.")
    elif azs > 1:
        parts.append(f"Each shard's primary and replicas sit in different AZs ({azs} in all), the primaries "
                     "rotated so one AZ outage takes at most some of them.")
    else:
        parts.append("One AZ: no replica, so no automatic failover to another AZ.")
    if regions > 1:
        parts.append("Global Datastore replicates asynchronously from the primary Region to each secondary, "
                     "which serves reads and is promoted by hand in a Regional outage.")
    return " ".join(parts)


def outline(picture: DesignPicture) -> list[str]:
    """The picture as indented text lines (for Markdown and plain text): Region > AZ > nodes."""
    lines = [picture.title]
    regions = [b for b in picture.boxes if b.kind == "region"]
    for region in regions:
        lines.append(f"- {region.label}")
        inside = [b for b in picture.boxes if b.region == region.region and b.kind != "region"]
        for az in (b for b in inside if b.kind == "az"):
            nodes = [b.label for b in inside if b.kind == "node" and az.x <= b.x < az.x + az.width]
            lines.append(f"  - {az.label}: {', '.join(nodes) if nodes else 'no nodes'}")
        for box in inside:
            if box.kind in ("endpoint", "more"):
                lines.append(f"  - {box.label}")
    for arrow in picture.arrows:
        lines.append(f"- {arrow.label}, from {regions[0].region} to {arrow.target}")
    return lines
