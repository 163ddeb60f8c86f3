"""Bundled price tables: schema, validated loading and lookups."""

from advisor.pricing.book import PriceBook, ReservedOption
from advisor.pricing.loader import DEFAULT_PRICING_DIR, load_price_book

__all__ = ["DEFAULT_PRICING_DIR", "PriceBook", "ReservedOption", "load_price_book"]
