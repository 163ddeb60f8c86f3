"""Sentences outside the findings start with a capital letter too (issue 13 §1): the deployment reason, the
crossover explanation, each way out's headline and the ceiling, for every example workload. (The findings
themselves are read by tests/core/test_rule_wording.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.rules.engine import engine_choice
from advisor.workload import load_workload, parse_workload

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
AWS_IDENTIFIER = re.compile(r"^(cache\.|--)")  # node types and flags keep AWS's lower case


def lower_case_sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip())
            if s and s[0].islower() and not AWS_IDENTIFIER.match(s)]


def sentences_of(rec: Recommendation) -> Iterator[tuple[str, str]]:
    yield "deployment reason", rec.deployment_reason
    if rec.crossover is not None:
        yield "crossover", rec.crossover.explanation
    for way_out in rec.ways_out:
        yield f"way out {way_out.id}", way_out.headline
    if rec.ceiling is not None:
        yield "ceiling", rec.ceiling.nearest


def test_the_scan_finds_what_it_should() -> None:
    assert lower_case_sentences("Use Valkey. only plain GET/SET fits.") == ["only plain GET/SET fits."]
    assert lower_case_sentences("only plain GET/SET") == ["only plain GET/SET"]
    assert lower_case_sentences("Fine. cache.r7g.large is the node. Also fine!") == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT / "examples")))
def test_every_sentence_of_every_example_starts_with_a_capital(book: PriceBook, path: Path) -> None:
    rec = recommend(load_workload(path), book)
    offending = [(where, s) for where, text in sentences_of(rec) for s in lower_case_sentences(text)]
    assert offending == []


def test_the_memcached_reason_reads_as_a_sentence(book: PriceBook) -> None:
    rec = recommend(load_workload(ROOT / "examples" / "memcached_page_cache.yaml"), book)
    assert engine_choice(rec, book).rationale == (
        "Only plain GET/SET on opaque values, multithreaded, with no persistence, replication or auth: "
        "Memcached's multithreaded engine fits.")


def test_a_pinned_engine_is_named_in_its_own_words(book: PriceBook) -> None:
    workload = parse_workload({"dataset_gb": 10, "avg_reads_per_sec": 1000, "avg_writes_per_sec": 100,
                               "constraints": {"engine": "redis"}})
    rec = recommend(workload, book)
    assert engine_choice(rec, book).rationale == "Forced to Redis OSS by the workload."
