"""The rule registry and the order findings are shown in (advisor/rules/registry.py, advisor/rules/__init__.py):
a registered function runs with every recommendation, its concern is its id's first part, and findings read
conflicts first, then warnings, decisions and advice, each in the order an architect decides."""

from __future__ import annotations

import pytest

from advisor.findings import Finding, Severity
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.rules import registry, run_rules
from advisor.workload import load_workload


def _finding(finding_id: str, severity: Severity) -> Finding:
    return Finding(id=finding_id, severity=severity, title="A test finding", decision="Do it.",
                   rationale="Because.", docs=["https://docs.aws.amazon.com/"])


@pytest.fixture
def empty_registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, registry.Rule]:
    rules: dict[str, registry.Rule] = {}
    monkeypatch.setattr(registry, "_REGISTRY", rules)
    return rules


def test_a_registered_function_is_listed_with_its_concern(empty_registry: dict[str, registry.Rule]) -> None:
    def check(rec: Recommendation, book: PriceBook) -> None:
        return None

    assert registry.rule("security.test_only")(check) is check
    assert registry.registered_rules() == [registry.Rule("security.test_only", "security", check)]
    with pytest.raises(ValueError, match=r"^duplicate rule id security\.test_only$"):
        registry.rule("security.test_only")(check)


def test_findings_read_by_severity_then_by_concern(empty_registry: dict[str, registry.Rule],
                                                   book: PriceBook) -> None:
    rec = recommend(load_workload("examples/api_response_cache.yaml"), book)
    registry.rule("pattern.one")(lambda r, b: _finding("pattern.one", Severity.ADVICE))
    registry.rule("security.two")(lambda r, b: [_finding("security.two", Severity.DECISION),
                                                _finding("security.three", Severity.WARNING)])
    registry.rule("engine.four")(lambda r, b: None)
    registry.rule("engine.five")(lambda r, b: _finding("engine.five", Severity.DECISION))
    registry.rule("zzz.six")(lambda r, b: _finding("zzz.six", Severity.DECISION))  # an unknown concern: last
    registry.rule("topology.seven")(lambda r, b: _finding("topology.seven", Severity.CONFLICT))
    registry.rule("deployment.eight")(lambda r, b: _finding("deployment.eight", Severity.DECISION))
    assert [f.id for f in run_rules(rec, book)] == [
        "topology.seven",                                         # conflict
        "security.three",                                         # warning
        "engine.five", "deployment.eight", "security.two", "zzz.six",  # decisions: engine ... security, unknown
        "pattern.one",                                            # advice
    ]
