"""A design picture as standalone SVG text: the app shows it, the HTML report embeds it.

Every label is XML-escaped (Region and node-type names come from fixed lists, but escaping costs nothing and
keeps the door shut). Each drawn element carries data-kind / data-role attributes so tests and tools can
count what is drawn without reading pixels.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from advisor.design_picture import Box, DesignPicture

FILL = {"primary": "#1f77b4", "replica": "#aec7e8", "secondary": "#9467bd", "node": "#2ca02c",
        "serverless": "#ff9900"}
TEXT_ON = {"primary": "#ffffff", "replica": "#0b2740", "secondary": "#ffffff", "node": "#ffffff",
           "serverless": "#1a1a1a"}
ARROW_COLOUR = "#d62728"
MARGIN = 12.0
FONT = "font-family='Helvetica, Arial, sans-serif'"


def _text(x: float, y: float, label: str, size: float = 11, colour: str = "#1a1a1a", anchor: str = "start",
          weight: str = "normal") -> str:
    return (f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' fill='{colour}' text-anchor='{anchor}' "
            f"font-weight='{weight}' {FONT}>{escape(label)}</text>")


def _box(box: Box) -> str:
    attrs = f"data-kind='{box.kind}'" + (f" data-role='{box.role}'" if box.role else "")
    if box.region:
        attrs += f" data-region={quoteattr(box.region)}"
    rect = f"x='{box.x:.1f}' y='{box.y:.1f}' width='{box.width:.1f}' height='{box.height:.1f}'"
    if box.kind == "region":
        return (f"<g {attrs}><rect {rect} rx='8' fill='#f4f6f8' stroke='#5f6b7a' stroke-width='1.5'/>"
                + _text(box.x + 10, box.y + 18, box.label, 13, weight="bold") + "</g>")
    if box.kind == "az":
        return (f"<g {attrs}><rect {rect} rx='6' fill='#ffffff' stroke='#9aa5b1' stroke-dasharray='5 3'/>"
                + _text(box.x + 8, box.y + 17, box.label, 11, "#5f6b7a") + "</g>")
    if box.kind == "more":
        # The line spans the AZ columns: a halo in the Region's fill keeps the dashed AZ frames from crossing it.
        text = _text(box.x + box.width / 2, box.y + box.height / 2 + 4, box.label, 11, "#5f6b7a", "middle")
        halo = "<text stroke='#f4f6f8' stroke-width='5' stroke-linejoin='round' paint-order='stroke' "
        return f"<g {attrs}>" + text.replace("<text ", halo, 1) + "</g>"
    role = box.role or "node"
    return (f"<g {attrs}><rect {rect} rx='5' fill='{FILL[role]}' stroke='#0b2740' stroke-width='0.8'/>"
            + _text(box.x + box.width / 2, box.y + box.height / 2 + 4, box.label, 11, TEXT_ON[role], "middle")
            + "</g>")


# Shown at its drawn size its labels read at 10-13 px; up to half as large again where the screen has room.
MIN_DISPLAY_SCALE = 1.0
MAX_DISPLAY_SCALE = 1.5


def display_widths(picture: DesignPicture) -> tuple[float, float]:
    """The narrowest and widest the whole picture (margins included) should be shown, in CSS pixels: narrower and
    its labels shrink below reading size; wider and a small design turns into a poster."""
    width = picture.width + 2 * MARGIN
    return width * MIN_DISPLAY_SCALE, width * MAX_DISPLAY_SCALE


def design_svg(picture: DesignPicture) -> str:
    width, height = picture.width + 2 * MARGIN, picture.height + 2 * MARGIN
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width:.0f} {height:.0f}' "
        f"width='100%' style='max-width:{width:.0f}px' role='img' class='design-picture' "
        f"data-design={quoteattr(picture.label)} "
        f"data-regions='{picture.counts.regions}' data-nodes='{picture.counts.nodes}' "
        f"data-shards='{picture.counts.shards}' data-replicas='{picture.counts.replicas}'>",
        f"<title>{escape(picture.title)}</title>",
        "<defs><marker id='arrowhead' markerWidth='8' markerHeight='6' refX='8' refY='3' orient='auto' "
        "markerUnits='strokeWidth'>"
        f"<path d='M0,0 L8,3 L0,6 z' fill='{ARROW_COLOUR}'/></marker></defs>",
        f"<g transform='translate({MARGIN},{MARGIN})'>",
    ]
    parts += [_box(box) for box in picture.boxes]
    for arrow in picture.arrows:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in arrow.points)
        lx, ly = arrow.label_at
        parts.append(
            f"<g data-kind='link' data-target={quoteattr(arrow.target)}><polyline points='{points}' fill='none' "
            f"stroke='{ARROW_COLOUR}' stroke-width='2' marker-end='url(#arrowhead)'/>"
            + _text(lx, ly - 6, "Global Datastore", 10, ARROW_COLOUR, "middle", "bold")
            + _text(lx, ly + 16, "async", 10, ARROW_COLOUR, "middle")
            + "</g>")
    parts.append("</g></svg>")
    return "".join(parts)
