"""AWS failures become ConnectionProblem with a sentence a person can act on."""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.stub import Stubber

from advisor.errors import ConnectionProblem
from advisor.live.aws_session import AwsSettings, make_client
from advisor.live.discovery import discover
from tests.live.conftest import moto_client
from tests.support.redis_servers import free_port


def test_unknown_region_is_refused() -> None:
    with pytest.raises(ConnectionProblem, match="not an ElastiCache Region"):
        make_client(AwsSettings(region="us-middle-9"), "elasticache")


def test_missing_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    with pytest.raises(ConnectionProblem, match="profile 'nobody'"):
        make_client(AwsSettings(region="us-east-1", profile="nobody"), "elasticache")


def test_no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, moto_endpoint: str) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                 "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    client = make_client(AwsSettings(region="us-east-1", endpoint_url=moto_endpoint, max_attempts=1), "elasticache")
    with pytest.raises(ConnectionProblem, match="no AWS credentials were found"):
        discover(client)


def test_unreachable_endpoint(aws_env: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    client = make_client(AwsSettings(region="eu-west-1", endpoint_url=dead, max_attempts=1,
                                     connect_timeout_s=1), "elasticache")
    with pytest.raises(ConnectionProblem, match="unreachable"):
        discover(client)


@pytest.mark.parametrize(("code", "status", "expected"), [
    ("AccessDenied", 403, "denied DescribeReplicationGroups"),
    ("Throttling", 400, "throttled DescribeReplicationGroups"),
    ("InvalidClientTokenId", 403, "invalid or expired"),
])
def test_client_errors_are_translated(aws_env: str, code: str, status: int, expected: str) -> None:
    client = moto_client(aws_env, "elasticache")
    with Stubber(client) as stub:
        stub.add_client_error("describe_replication_groups", service_error_code=code, http_status_code=status)
        with pytest.raises(ConnectionProblem, match=expected) as caught:
            discover(client)
    assert "testing" not in str(caught.value)  # no key material in the message


@pytest.mark.parametrize("mode", ["standard", "adaptive"])
def test_throttling_hint_fits_the_retry_mode(aws_env: str, mode: str) -> None:
    client = make_client(AwsSettings(region="us-east-1", endpoint_url=aws_env, retry_mode=mode,  # type: ignore[arg-type]
                                     max_attempts=1), "elasticache")
    with Stubber(client) as stub:
        stub.add_client_error("describe_replication_groups", service_error_code="Throttling", http_status_code=400)
        with pytest.raises(ConnectionProblem) as caught:
            discover(client)
    # Suggest adaptive retries only to someone not already using them.
    assert ("retry mode 'adaptive'" in str(caught.value)) == (mode == "standard")


def test_retry_mode_and_attempts_reach_botocore(aws_env: str) -> None:
    client = make_client(AwsSettings(region="us-east-1", endpoint_url=aws_env, retry_mode="adaptive",
                                     max_attempts=7), "cloudwatch")
    assert client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 7}
    assert client.meta.service_model.service_name == "cloudwatch" and client.meta.region_name == "us-east-1"


def test_default_waits_are_bounded_well_under_30_seconds() -> None:
    # 2 attempts x (3 s connect + 6 s read) + under 1 s of backoff between them = 19 s at the very worst.
    assert AwsSettings(region="us-east-1").worst_case_wait_s == 2 * (3 + 6) + 1 < 30


def test_endpoint_that_accepts_tcp_and_never_answers(aws_env: str) -> None:
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept_and_stay_silent() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept_and_stay_silent, daemon=True)
    thread.start()
    try:
        port = listener.getsockname()[1]
        settings = AwsSettings(region="eu-west-1", endpoint_url=f"http://127.0.0.1:{port}", read_timeout_s=0.5,
                               connect_timeout_s=0.5)
        client = make_client(settings, "elasticache")
        with pytest.raises(ConnectionProblem) as caught:
            discover(client)
        message = str(caught.value)
        assert "DescribeReplicationGroups" in message and "did not answer" in message
        assert "window" not in message and "adaptive" not in message  # hints that fit the failure only
        assert len(accepted) == settings.max_attempts == 2  # bounded attempts, each one a fresh connection
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()
