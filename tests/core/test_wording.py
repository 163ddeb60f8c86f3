"""Sentences start with a capital letter; identifiers at the start are left as they are."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from advisor.wording import sentence

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("text", "shown"), [
    ("dev/test traffic: Serverless scales", "Dev/test traffic: Serverless scales"),
    ("steady traffic: provisioned", "Steady traffic: provisioned"),
    ("cache.r7g.large is cheapest", "cache.r7g.large is cheapest"),
    ("us-east-1 prices", "us-east-1 prices"),
    ("dataset_gb is large", "dataset_gb is large"),
    ("/tmp/x is a file", "/tmp/x is a file"),
])
def test_sentence_capitalises_words_not_identifiers(text: str, shown: str) -> None:
    assert sentence(text) == shown


def test_the_dev_test_reason_starts_with_a_capital_in_the_cli() -> None:
    out = subprocess.run([sys.executable, "-m", "advisor", "recommend", "examples/dev_test.yaml"], cwd=ROOT,
                         capture_output=True, text=True, check=False).stdout
    assert "Why: Dev/test traffic: Serverless scales with demand" in out and "Why: dev/test" not in out
