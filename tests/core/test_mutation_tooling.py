"""The mutation-testing driver's arithmetic and its guard against cached results (scripts/mutation.py)."""

from __future__ import annotations

import pytest

from advisor.capacity import node_capacity
from advisor.pricing import PriceBook
from scripts.mutation import Score, draw, matching, module_of
from tests.support.mutation import clear_advisor_caches, under_mutation_testing


def test_wilson_interval_matches_the_textbook_figures() -> None:
    # 9 of 10, z = 1.96: centre (0.9 + 1.96^2/20) / (1 + 1.96^2/10) = 1.09208 / 1.38416 = 0.78898;
    # half-width 1.96 x sqrt(0.9 x 0.1 / 10 + 1.96^2 / 400) / 1.38416 = 1.96 x 0.136397 / 1.38416 = 0.19314.
    low, high = Score(killed=9, judged=10).wilson_95()
    assert (low, high) == (pytest.approx(59.58, abs=0.01), pytest.approx(98.21, abs=0.01))
    # All killed: the upper end is 100% and the lower 10 / (10 + 1.96^2) = 72.25%, not 100%.
    low, high = Score(killed=10, judged=10).wilson_95()
    assert (low, high) == (pytest.approx(72.25, abs=0.01), pytest.approx(100.0))
    assert Score(killed=0, judged=0).wilson_95() == (0.0, 100.0)
    assert Score(killed=3, judged=4).percent == 75.0


def test_a_sample_is_seeded_and_drawn_without_replacement() -> None:
    names = [f"advisor.costs.lines.x_backup_line__mutmut_{i}" for i in range(1, 51)]
    first = draw(names, 10, seed=7)
    assert first == draw(list(reversed(names)), 10, seed=7)  # the order the names come in does not matter
    assert len(set(first)) == 10 and set(first) <= set(names)
    assert draw(names, 10, seed=8) != first
    assert draw(names, None, seed=7) == names and draw(names, 99, seed=7) == names


def test_module_globs_and_module_names() -> None:
    names = ["advisor.capacity.x_ops_per_second__mutmut_1", "advisor.costs.lines.x_backup_line__mutmut_2",
             "advisor.optimizer.xǁCandidateǁmonthly__mutmut_3"]
    assert matching(names, ["advisor.costs.*"]) == ["advisor.costs.lines.x_backup_line__mutmut_2"]
    assert matching(names, []) == sorted(names)
    assert [module_of(n) for n in names] == ["advisor.capacity", "advisor.costs.lines", "advisor.optimizer"]


def test_caches_are_emptied_only_for_mutation_testing(book: PriceBook, monkeypatch: pytest.MonkeyPatch) -> None:
    node_capacity(book.nodes["cache.r7g.large"], "valkey")
    assert node_capacity.cache_info().currsize >= 1
    monkeypatch.delenv("MUTANT_UNDER_TEST", raising=False)
    assert not under_mutation_testing()
    monkeypatch.setenv("MUTANT_UNDER_TEST", "advisor.capacity.x_ops_per_second__mutmut_1")
    assert under_mutation_testing()
    assert clear_advisor_caches() >= 1
    assert node_capacity.cache_info().currsize == 0
