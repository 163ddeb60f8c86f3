"""AWS through moto in server mode: real HTTP on loopback, boto3 clients pointed at it with endpoint_url."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from moto.server import ThreadedMotoServer

from advisor.live.aws_session import AwsSettings, make_client


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, moto_endpoint: str) -> str:
    """Fake credentials only moto accepts, and a clean moto state for each test."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST"), timeout=10)
    return moto_endpoint


def moto_client(endpoint: str, service: str, region: str = "us-east-1") -> Any:
    # One attempt: moto answers unimplemented operations with HTTP 500, which would otherwise be retried.
    return make_client(AwsSettings(region=region, endpoint_url=endpoint, max_attempts=1), service)  # type: ignore[arg-type]
