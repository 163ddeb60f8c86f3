"""Spot secrets typed into free text (a workload name, a file's keys): the advisor refuses them, so they never
reach an export, the sidebar, a share link or a generated command.

The shapes are the common ones secret scanners look for; a match is reported by kind, never echoed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)"
                                        r"[A-Z0-9]{16}(?![A-Z0-9])")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("a password or token assignment", re.compile(
        r"(?i)(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|auth[_-]?token|credentials?)"
        r"\s*[:=]\s*\S")),
    ("credentials in a URL", re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.")),
    ("a bearer token", re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/-]{16,}")),
)
# An AWS secret access key: 40 characters of base64 with upper case, lower case and digits mixed.
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")


def _looks_like_aws_secret(text: str) -> bool:
    for match in _AWS_SECRET.finditer(text):
        token = match.group()
        if any(c.isupper() for c in token) and any(c.islower() for c in token) and any(c.isdigit() for c in token):
            return True
    return False


def secret_kind(text: str) -> str | None:
    """What kind of secret `text` appears to hold, or None."""
    for kind, pattern in _SHAPES:
        if pattern.search(text):
            return kind
    if _looks_like_aws_secret(text):
        return "an AWS secret access key"
    return None


def refusal(kind: str) -> str:
    return (f"looks like it holds a secret ({kind}); remove it: this text is shown on screen and written into "
            "reports, share links and commands")


def find_secrets(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, kind) for every string (key or value) in nested data that looks like a secret."""
    if isinstance(data, str):
        kind = secret_kind(data)
        if kind:
            yield path or "value", kind
    elif isinstance(data, dict):
        for key, value in data.items():
            child = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and secret_kind(key):
                yield path or "workload", f"{secret_kind(key)} as a field name"
                continue
            yield from find_secrets(value, child)
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from find_secrets(value, f"{path}[{index}]")


def without_secrets(data: dict[str, Any]) -> dict[str, Any]:
    """`data` minus every top-level entry holding a secret (for share links and exports of unvalidated input)."""
    return {key: value for key, value in data.items()
            if not (isinstance(key, str) and secret_kind(key)) and not any(find_secrets(value))}
