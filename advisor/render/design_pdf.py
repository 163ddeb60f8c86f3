"""A design picture as a reportlab vector drawing for the PDF report (the same boxes and links as the SVG)."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Group, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from advisor.design_picture import Box, DesignPicture
from advisor.render.design_svg import ARROW_COLOUR, FILL, TEXT_ON


def _fits(label: str, width: float, size: float) -> float:
    """A font size at which the label fits the box (Helvetica averages about 0.55 em per character)."""
    return min(size, width / max(1, len(label)) / 0.55)


def _box(box: Box, flip: float) -> Group:
    y = flip - box.y - box.height  # reportlab's origin is the bottom left
    g = Group()
    if box.kind == "region":
        g.add(Rect(box.x, y, box.width, box.height, rx=6, ry=6, fillColor=colors.HexColor("#f4f6f8"),
                   strokeColor=colors.HexColor("#5f6b7a"), strokeWidth=1.2))
        g.add(String(box.x + 8, y + box.height - 16, box.label, fontName="Helvetica-Bold",
                     fontSize=_fits(box.label, box.width - 16, 11)))
    elif box.kind == "az":
        g.add(Rect(box.x, y, box.width, box.height, rx=4, ry=4, fillColor=colors.white,
                   strokeColor=colors.HexColor("#9aa5b1"), strokeDashArray=[4, 3]))
        g.add(String(box.x + 6, y + box.height - 15, box.label, fontSize=9,
                     fillColor=colors.HexColor("#5f6b7a")))
    elif box.kind == "more":
        g.add(String(box.x + box.width / 2, y + box.height / 2 - 3, box.label, fontSize=9, textAnchor="middle",
                     fillColor=colors.HexColor("#5f6b7a")))
    else:
        role = box.role or "node"
        g.add(Rect(box.x, y, box.width, box.height, rx=4, ry=4, fillColor=colors.HexColor(FILL[role]),
                   strokeColor=colors.HexColor("#0b2740"), strokeWidth=0.6))
        g.add(String(box.x + box.width / 2, y + box.height / 2 - 3, box.label, textAnchor="middle",
                     fontSize=_fits(box.label, box.width - 8, 9), fillColor=colors.HexColor(TEXT_ON[role])))
    return g


def design_drawing(picture: DesignPicture, width: float) -> Drawing:
    """The picture scaled to `width` points (never enlarged), boxes, labels and Global Datastore arrows."""
    scale = min(1.0, width / picture.width)
    drawing = Drawing(picture.width * scale, picture.height * scale)
    content = Group()
    for box in picture.boxes:
        content.add(_box(box, picture.height))
    red = colors.HexColor(ARROW_COLOUR)
    for arrow in picture.arrows:
        points = [(x, picture.height - y) for x, y in arrow.points]
        content.add(PolyLine([c for pt in points for c in pt], strokeColor=red, strokeWidth=1.6))
        (x1, y1), (x2, y2) = points[-2], points[-1]
        dx, dy = x2 - x1, y2 - y1
        length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        ux, uy = dx / length, dy / length
        content.add(Polygon([x2, y2, x2 - 8 * ux - 4 * uy, y2 - 8 * uy + 4 * ux, x2 - 8 * ux + 4 * uy,
                             y2 - 8 * uy - 4 * ux], fillColor=red, strokeColor=red))
        lx, ly = arrow.label_at
        content.add(String(lx, picture.height - ly + 6, "Global Datastore", fontName="Helvetica-Bold", fontSize=8,
                           textAnchor="middle", fillColor=red))
        content.add(String(lx, picture.height - ly - 14, "async", fontSize=8, textAnchor="middle", fillColor=red))
    content.scale(scale, scale)
    drawing.add(content)
    return drawing
