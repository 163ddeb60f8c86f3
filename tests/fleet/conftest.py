"""The example fleet reviewed once per test session: its server process, and the review of a 14-day window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from advisor.fleet.account import ExampleAccount
from advisor.fleet.review import FleetReview, review_fleet
from advisor.pricing import PriceBook


@pytest.fixture(scope="session")
def example_account() -> Iterator[ExampleAccount]:
    with ExampleAccount() as account:
        yield account


@pytest.fixture(scope="session")
def example_review(example_account: ExampleAccount, book: PriceBook) -> FleetReview:
    return review_fleet(example_account.clients(), book, days=14)
