"""boto3 clients from the standard credential chain, and AWS failures turned into `ConnectionProblem`.

Callers wrap each AWS call in `aws_errors("what we were doing")` so a person sees one clear sentence
(no credentials, access denied, throttled, unknown Region) instead of a botocore traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

from advisor.errors import ConnectionProblem
from advisor.regions import ELASTICACHE_REGIONS

RetryMode = Literal["standard", "adaptive"]

ACCESS_DENIED_CODES = frozenset({
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
    "UnauthorizedException",
})
THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException",
    "RequestThrottled", "RequestThrottledException", "SlowDown",
})
BAD_CREDENTIAL_CODES = frozenset({
    "InvalidClientTokenId", "UnrecognizedClientException", "ExpiredToken", "ExpiredTokenException",
    "SignatureDoesNotMatch", "InvalidSignatureException", "AuthFailure",
})
# The permissions the live pages need; named in the access-denied message so the fix is one policy edit.
REQUIRED_ACTIONS = (
    "elasticache:DescribeReplicationGroups, elasticache:DescribeCacheClusters, elasticache:DescribeServerlessCaches, "
    "elasticache:DescribeReservedCacheNodes, cloudwatch:GetMetricData"
)


@dataclass(frozen=True)
class AwsSettings:
    """Where and how to call AWS. `endpoint_url` exists for tests (moto server) and VPC endpoints."""

    region: str
    profile: str | None = None
    retry_mode: RetryMode = "standard"
    # Bounded waits: an endpoint that accepts TCP and never answers costs at most attempts x (connect + read)
    # plus botocore's sub-second backoff: 2 x (3 + 6) = 18 s, where 5 x 30 s kept the page waiting 151 s.
    # Throttling replies come back fast, so two attempts still absorb a throttle blip.
    max_attempts: int = 2  # total attempts, first try included
    endpoint_url: str | None = None
    connect_timeout_s: float = 3.0
    read_timeout_s: float = 6.0

    @property
    def worst_case_wait_s(self) -> float:
        return self.max_attempts * (self.connect_timeout_s + self.read_timeout_s) + self.max_attempts - 1


def validate_region(region: str) -> None:
    if region not in ELASTICACHE_REGIONS:
        raise ConnectionProblem(
            f"'{region}' is not an ElastiCache Region code (for example us-east-1 or eu-west-1)."
        )


def make_session(settings: AwsSettings) -> boto3.Session:
    validate_region(settings.region)
    try:
        return boto3.Session(profile_name=settings.profile or None, region_name=settings.region)
    except ProfileNotFound:
        raise _missing_profile(settings.profile or "") from None


def _missing_profile(profile: str) -> ConnectionProblem:
    return ConnectionProblem(
        f"AWS profile '{profile}' is not in your AWS config or credentials file. "
        "Pick an existing profile, or leave it empty to use the default credential chain."
    )


def make_client(settings: AwsSettings, service: Literal["elasticache", "cloudwatch", "sts"]) -> Any:
    """A boto3 client with botocore's standard/adaptive retries and bounded timeouts."""
    if settings.retry_mode not in ("standard", "adaptive"):
        raise ConnectionProblem(f"retry mode must be 'standard' or 'adaptive', not '{settings.retry_mode}'")
    config = Config(
        # total_max_attempts counts the first try; botocore's max_attempts would count only the retries.
        retries={"mode": settings.retry_mode, "total_max_attempts": settings.max_attempts},
        connect_timeout=settings.connect_timeout_s,
        read_timeout=settings.read_timeout_s,
    )
    session = make_session(settings)
    with aws_errors(f"create the {service} client"):
        return session.client(service, config=config, endpoint_url=settings.endpoint_url)


def translate(exc: Exception, action: str, retry_mode: str | None = None) -> ConnectionProblem:
    """One sentence a person can act on. botocore messages never carry secrets, but we still do not echo keys."""
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return ConnectionProblem(
            f"Could not {action}: no AWS credentials were found. Configure a profile (aws configure / aws sso login), "
            "set AWS_PROFILE, or run where an instance or task role is available."
        )
    if isinstance(exc, ProfileNotFound):
        # botocore may raise this when the session is made or only when a client is, depending on what it
        # has already cached: give the same sentence either way.
        return _missing_profile(str(exc.kwargs.get("profile", "")))
    if isinstance(exc, NoRegionError):
        return ConnectionProblem(f"Could not {action}: no AWS Region was chosen.")
    if isinstance(exc, EndpointConnectionError | ConnectTimeoutError):
        url = getattr(exc, "kwargs", {}).get("endpoint_url", "the AWS endpoint")
        return ConnectionProblem(
            f"Could not {action}: {url} is unreachable. Check the Region code, your network or proxy, "
            "and whether ElastiCache is offered in that Region."
        )
    if isinstance(exc, ReadTimeoutError):
        url = getattr(exc, "kwargs", {}).get("endpoint_url", "the AWS endpoint")
        hint = " or fetch a shorter window" if "metric" in action.lower() else ""
        return ConnectionProblem(
            f"Could not {action}: {url} accepted the connection but did not answer before the read timeout, on "
            f"every attempt. A proxy, firewall or endpoint that never answers looks like this: check the endpoint "
            f"URL and the network path{hint}."
        )
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        operation = exc.operation_name
        if code in ACCESS_DENIED_CODES:
            return ConnectionProblem(
                f"Could not {action}: AWS denied {operation} for these credentials. "
                f"The identity needs read-only access: {REQUIRED_ACTIONS}."
            )
        if code in THROTTLING_CODES:
            adaptive = "" if retry_mode == "adaptive" else ", use retry mode 'adaptive'"
            return ConnectionProblem(
                f"Could not {action}: AWS throttled {operation} and retries ran out. Wait a minute{adaptive}, "
                "or fetch fewer clusters or a shorter window."
            )
        if code in BAD_CREDENTIAL_CODES:
            return ConnectionProblem(
                f"Could not {action}: AWS rejected the credentials ({code}): they are invalid or expired. "
                "Refresh them (aws sso login, new session token) and retry."
            )
        if code in ("InvalidParameterValue", "InvalidParameterCombination", "ValidationError"):
            return ConnectionProblem(f"Could not {action}: AWS refused the request ({code}): {error.get('Message')}")
        return ConnectionProblem(f"Could not {action}: {operation} failed with {code or 'an unknown error'}.")
    if isinstance(exc, BotoCoreError):
        return ConnectionProblem(f"Could not {action}: {type(exc).__name__}: {exc}")
    return ConnectionProblem(f"Could not {action}: {type(exc).__name__}")


@contextmanager
def aws_errors(action: str, retry_mode: str | None = None) -> Iterator[None]:
    """Re-raise botocore failures as ConnectionProblem; let our own errors through untouched."""
    try:
        yield
    except ConnectionProblem:
        raise
    except (BotoCoreError, ClientError) as exc:
        raise translate(exc, action, retry_mode) from None
    except ResponseParserError:
        raise ConnectionProblem(f"Could not {action}: the endpoint answered with something that is not an AWS "
                                "response (a proxy page, or an emulator without this operation).") from None
