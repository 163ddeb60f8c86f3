from __future__ import annotations

import pytest

from advisor.pricing import load_price_book
from advisor.pricing.book import PriceBook


@pytest.fixture(scope="session")
def book() -> PriceBook:
    return load_price_book()
