"""Fixtures for price-refresh tests: a throwaway copy of pricing_data and a stubbed pricing client."""

from __future__ import annotations

import argparse
import copy
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from advisor.pricing.cli import add_pricing_parser
from advisor.pricing.loader import DEFAULT_PRICING_DIR

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pricing"
Cassette = list[dict[str, Any]]


def load_cassette(name: str) -> Cassette:
    """Recorded get_products calls: [{expected_params, response}], in the order the refresh makes them."""
    return copy.deepcopy(json.loads((FIXTURES / name).read_text()))


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def parse_cli(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="advisor")
    add_pricing_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


@pytest.fixture
def pricing_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled tables; tests never touch the repository's pricing_data."""
    target = tmp_path / "pricing_data"
    shutil.copytree(DEFAULT_PRICING_DIR, target)
    return target


@pytest.fixture
def pricing_client() -> Any:
    # Dummy keys: the Stubber answers before any request is signed or sent.
    return boto3.client(
        "pricing", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing",
    )


@pytest.fixture
def stub(pricing_client: Any) -> Iterator[Callable[[Cassette], Stubber]]:
    """Queue a cassette on the client; a call whose params differ from the recording fails the test."""
    stubbers: list[Stubber] = []

    def _queue(cassette: Cassette) -> Stubber:
        stubber = Stubber(pricing_client)
        for call in cassette:
            if "error" in call:
                stubber.add_client_error(
                    "get_products", service_error_code=call["error"], service_message=call.get("message", ""),
                    http_status_code=call.get("status", 400), expected_params=call["expected_params"],
                )
            else:
                stubber.add_response("get_products", call["response"], call["expected_params"])
        stubber.activate()
        stubbers.append(stubber)
        return stubber

    yield _queue
    for stubber in stubbers:
        stubber.deactivate()
