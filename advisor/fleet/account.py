"""Open the example fleet as an AWS account: start its server process, hand out boto3 clients for it.

The review then runs exactly as it does against a real account (`discover`, GetMetricData), only the
endpoint and the (non-secret) credentials differ.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import boto3
from botocore.config import Config

from advisor.errors import ConnectionProblem
from advisor.fleet.collect import fast_cloudwatch_client
from advisor.fleet.example import EXAMPLE_REGION
from advisor.fleet.example_server import EXAMPLE_CREDENTIALS
from advisor.live.aws_session import AwsSettings, make_client

START_TIMEOUT_S = 120.0
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class AccountClients:
    """The two clients a review needs, and the moment the review window ends."""

    elasticache: Any
    cloudwatch: Any
    region: str
    window_end: dt.datetime | None = None  # None: now (a real account)
    label: str = ""


def account_clients(settings: AwsSettings) -> AccountClients:
    """Clients for a real account (standard credential chain)."""
    return AccountClients(make_client(settings, "elasticache"), fast_cloudwatch_client(settings), settings.region,
                          label=f"AWS account, {settings.region}")


class ExampleAccount:
    """The seeded fleet in its own process (so its moto state never mixes with another moto)."""

    def __init__(self, fleet: str = "example", seed: int = 42) -> None:
        self.fleet = fleet
        self.seed = seed
        self._process: subprocess.Popen[str] | None = None
        self.endpoint: str | None = None
        self.window_end: dt.datetime | None = None

    def start(self) -> ExampleAccount:
        # Run from the project root with it on the path, whatever directory the app or CLI was started from.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
        process = subprocess.Popen(
            [sys.executable, "-m", "advisor.fleet.example_server", "--fleet", self.fleet, "--seed", str(self.seed)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
        self._process = process
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(process.stdout.readline() if process.stdout else ""),
                                  daemon=True)
        reader.start()
        reader.join(START_TIMEOUT_S)
        if not line or not line[0].startswith("READY "):
            self.close()
            detail = (process.stderr.read()[-800:] if process.stderr and process.poll() is not None else "")
            raise ConnectionProblem(f"The example account did not start within {START_TIMEOUT_S:.0f} s. {detail}")
        _, self.endpoint, end = line[0].split()
        self.window_end = dt.datetime.fromisoformat(end)
        return self

    def clients(self) -> AccountClients:
        if self.endpoint is None:
            raise ConnectionProblem("The example account is not running.")
        key, secret = EXAMPLE_CREDENTIALS
        config = Config(retries={"mode": "standard", "total_max_attempts": 2}, connect_timeout=5, read_timeout=120)
        elasticache = boto3.client("elasticache", region_name=EXAMPLE_REGION, endpoint_url=self.endpoint,
                                   aws_access_key_id=key, aws_secret_access_key=secret, config=config)
        settings = AwsSettings(region=EXAMPLE_REGION, endpoint_url=self.endpoint, max_attempts=2,
                               read_timeout_s=120.0)
        cloudwatch = fast_cloudwatch_client(settings, credentials=(key, secret))
        return AccountClients(elasticache, cloudwatch, EXAMPLE_REGION, self.window_end,
                              label=f"example fleet ({self.fleet}, seed {self.seed}; no AWS account)")

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()

    def __enter__(self) -> ExampleAccount:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
