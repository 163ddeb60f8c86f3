"""Keeps mutation testing honest: a result cached before a mutant was switched on must not answer for it."""

from __future__ import annotations

import os
import sys


def under_mutation_testing() -> bool:
    """mutmut names the active mutant (or its own phase: stats, fail, ...) in MUTANT_UNDER_TEST."""
    return bool(os.environ.get("MUTANT_UNDER_TEST"))


def clear_advisor_caches() -> int:
    """Empty every functools cache (lru_cache / cache) held at module level in `advisor`; how many were cleared.

    mutmut forks each mutant's test run from a process that already ran the clean tests, so a cache filled there
    would answer with the unmutated result; during its coverage pass a cache hit would also hide which tests
    reach the cached function.
    """
    cleared = 0
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "advisor" or name.startswith("advisor.")):
            continue
        for value in list(vars(module).values()):
            cache_clear = getattr(value, "cache_clear", None)
            if callable(cache_clear) and hasattr(value, "cache_info"):
                cache_clear()
                cleared += 1
    return cleared
