"""A reviewable difference between two loaded price books, so a refresh can be read before it is trusted."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from advisor.pricing.book import PriceBook
from advisor.wording import count_noun

# Rounding noise in published prices is well under 1%; anything larger is a real price move to review.
DEFAULT_CHANGE_THRESHOLD = Decimal("0.01")
MAX_LINES_PER_SECTION = 25


@dataclass(frozen=True)
class PriceChange:
    label: str
    old: Decimal
    new: Decimal

    @property
    def relative(self) -> Decimal:
        if self.old == 0:
            return Decimal(1) if self.new else Decimal(0)
        return (self.new - self.old) / self.old

    def __str__(self) -> str:
        return f"{self.label}: {self.old} -> {self.new} ({self.relative:+.1%})"


@dataclass(frozen=True)
class PriceBookDiff:
    added_node_types: list[str] = field(default_factory=list)
    removed_node_types: list[str] = field(default_factory=list)
    new_regions: list[str] = field(default_factory=list)
    removed_regions: list[str] = field(default_factory=list)
    price_changes: list[PriceChange] = field(default_factory=list)
    spec_changes: list[str] = field(default_factory=list)
    added_prices: list[str] = field(default_factory=list)
    removed_prices: list[str] = field(default_factory=list)
    resourced_unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (
            self.added_node_types or self.removed_node_types or self.new_regions or self.removed_regions
            or self.price_changes or self.spec_changes or self.added_prices or self.removed_prices
            or self.resourced_unchanged
        )

    def render(self) -> str:
        if self.is_empty:
            return "No differences: the refreshed tables equal the current ones."
        lines: list[str] = []
        # The marker says what happens to each line: + appears, - goes away, * changes.
        sections: list[tuple[str, str, list[str]]] = [
            ("New regions", "+", self.new_regions),
            ("Regions no longer priced", "-", self.removed_regions),
            ("Added node types", "+", self.added_node_types),
            ("Removed node types", "-", self.removed_node_types),
            ("Price changes over 1%", "*", [str(c) for c in self.price_changes]),
            ("Node specification changes", "*", self.spec_changes),
            ("New prices", "+", self.added_prices),
            ("Prices removed", "-", self.removed_prices),
        ]
        for title, marker, items in sections:
            if not items:
                continue
            lines.append(f"{title} ({len(items)}):")
            lines.extend(f"  {marker} {item}" for item in items[:MAX_LINES_PER_SECTION])
            if len(items) > MAX_LINES_PER_SECTION:
                lines.append(f"  ... and {len(items) - MAX_LINES_PER_SECTION} more")
        if self.resourced_unchanged:
            count = self.resourced_unchanged
            one = count == 1  # "1 price row keeps its figure", "3 price rows keep their figure"
            lines.append(
                f"{count_noun(count, 'price row')} {'keeps its' if one else 'keep their'} figure (or "
                f"{'moves' if one else 'move'} by at most 1%) and now {'cites' if one else 'cite'} the refresh as "
                f"{'its' if one else 'their'} source."
            )
        return "\n".join(lines)


def _price_maps(book: PriceBook) -> dict[str, tuple[Decimal, str]]:
    """Every comparable figure in a book, labelled for a person, with the row's source for re-sourcing counts."""
    figures: dict[str, tuple[Decimal, str]] = {}
    for (region, engine, node_type), p in book.on_demand.items():
        figures[f"on-demand {region} {engine} {node_type} USD/h"] = (p.usd_per_hour, p.source)
    for (region, engine, node_type, term, option), r in book.reserved.items():
        figures[f"reserved {region} {engine} {node_type} {term}y {option} effective USD/h"] = (
            r.effective_usd_per_hour, r.source)
    for (region, engine), s in book.serverless.items():
        figures[f"serverless {region} {engine} storage USD/GB-h"] = (s.storage_usd_per_gb_hour, s.source)
        figures[f"serverless {region} {engine} USD per million ECPU"] = (s.ecpu_usd_per_million, s.source)
    for o in book.other:
        node = f" {o.node_type}" if o.node_type else ""
        figures[f"{o.item} {o.region} {o.engine}{node} ({o.unit})"] = (o.usd, o.source)
    return figures


def diff_books(old: PriceBook, new: PriceBook, threshold: Decimal = DEFAULT_CHANGE_THRESHOLD) -> PriceBookDiff:
    old_figures, new_figures = _price_maps(old), _price_maps(new)
    changes: list[PriceChange] = []
    resourced = 0
    for label in sorted(old_figures.keys() & new_figures.keys()):
        (old_value, old_source), (new_value, new_source) = old_figures[label], new_figures[label]
        change = PriceChange(label, old_value, new_value)
        if abs(change.relative) > threshold:
            changes.append(change)
        elif old_source != new_source or old_value != new_value:
            resourced += 1
    spec_changes = []
    for node_type in sorted(old.nodes.keys() & new.nodes.keys()):
        before, after = old.nodes[node_type], new.nodes[node_type]
        for attr in ("vcpu", "memory_gib", "network_gbps_baseline", "network_gbps_burst"):
            if getattr(before, attr) != getattr(after, attr):
                spec_changes.append(f"{node_type} {attr}: {getattr(before, attr)} -> {getattr(after, attr)}")
    return PriceBookDiff(
        added_node_types=sorted(new.nodes.keys() - old.nodes.keys()),
        removed_node_types=sorted(old.nodes.keys() - new.nodes.keys()),
        new_regions=sorted(set(new.regions) - set(old.regions)),
        removed_regions=sorted(set(old.regions) - set(new.regions)),
        price_changes=changes,
        spec_changes=spec_changes,
        added_prices=sorted(new_figures.keys() - old_figures.keys()),
        removed_prices=sorted(old_figures.keys() - new_figures.keys()),
        resourced_unchanged=resourced,
    )
