"""Rules register themselves with `rule(id)(function)` right after the function; adding one means adding one
function, no central list to edit. A call rather than an `@rule` decorator because mutmut skips decorated
functions: registered this way, every rule body is mutation-tested (scripts/mutation.sh)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from advisor.findings import Finding
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation

RuleResult = Finding | list[Finding] | None
RuleFunction = Callable[[Recommendation, PriceBook], RuleResult]


@dataclass(frozen=True)
class Rule:
    id: str
    concern: str
    function: RuleFunction


_REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str) -> Callable[[RuleFunction], RuleFunction]:
    def register(function: RuleFunction) -> RuleFunction:
        if rule_id in _REGISTRY:
            raise ValueError(f"duplicate rule id {rule_id}")
        _REGISTRY[rule_id] = Rule(rule_id, rule_id.split(".")[0], function)
        return function

    return register


def registered_rules() -> list[Rule]:
    return list(_REGISTRY.values())
