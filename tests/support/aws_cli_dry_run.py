"""Run an `aws ...` argv through the real AWS CLI with the request answered before it is sent.

The CLI's own argument and shorthand parsers and botocore's parameter validator judge the command; a
`before-call` handler then returns a canned success instead of sending anything over the network.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
from dataclasses import dataclass, field
from typing import Any

from awscli.clidriver import create_clidriver

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
}


@dataclass
class DryRunResult:
    exit_code: int
    operation: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    stderr: str = ""


_answering: list[DryRunResult] = []  # the result the running dry run fills in (the CLI is not re-entrant)


def _answer_in_aws_place(model: Any, params: Any, **_: Any) -> tuple[Any, dict[str, Any]]:
    result = _answering[-1]
    result.operation = model.name
    result.params = params.get("body", {}) if isinstance(params, dict) else {}
    # (http response, parsed body): botocore uses this instead of sending the request.
    return _FakeHttpResponse(), {"ResponseMetadata": {"HTTPStatusCode": 200, "RequestId": "dry-run"}}


@functools.cache
def _driver() -> Any:
    """One AWS CLI driver per test process: building one loads the CLI's command table and botocore's models
    (about a second, most of a dry run); each `main` call still parses and validates its argv from scratch."""
    driver = create_clidriver()
    driver.session.register("before-call", _answer_in_aws_place)
    return driver


def dry_run(argv: list[str]) -> DryRunResult:
    """argv starts with 'aws'. Returns the exit code and the validated API parameters."""
    assert argv[0] == "aws", argv
    result = DryRunResult(exit_code=-1)
    saved = {k: os.environ.get(k) for k in FAKE_CREDENTIALS}
    os.environ.update(FAKE_CREDENTIALS)
    stderr = io.StringIO()
    _answering.append(result)
    try:
        driver = _driver()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
            try:
                result.exit_code = driver.main(argv[1:])
            except SystemExit as exc:  # argparse refuses unknown or malformed flags this way
                result.exit_code = exc.code if isinstance(exc.code, int) else 2
    finally:
        _answering.pop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    result.stderr = stderr.getvalue()
    return result


class _FakeHttpResponse:
    status_code = 200
    headers: dict[str, str] = {}  # noqa: RUF012
    content = b""
    text = ""
