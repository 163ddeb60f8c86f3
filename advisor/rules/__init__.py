"""Decision rules, one module per concern. Importing this package registers every rule."""

from __future__ import annotations

from advisor.findings import Finding, Severity
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.rules import (  # noqa: F401
    backup,
    clients,
    commitment,
    deployment,
    engine,
    keys,
    patterns,
    pricing,
    resilience,
    security,
    topology,
    versions,
)
from advisor.rules.registry import registered_rules

SEVERITY_ORDER = {Severity.CONFLICT: 0, Severity.WARNING: 1, Severity.DECISION: 2, Severity.ADVICE: 3}
# Decisions read in the order an architect makes them.
CONCERN_ORDER = ["engine", "deployment", "topology", "clients", "resilience", "security", "backup", "pricing",
                 "pattern"]


def run_rules(recommendation: Recommendation, book: PriceBook) -> list[Finding]:
    """Every registered rule's findings, conflicts and warnings first, in registration order otherwise."""
    findings: list[Finding] = []
    for registered in registered_rules():
        result = registered.function(recommendation, book)
        if result is None:
            continue
        findings.extend(result if isinstance(result, list) else [result])
    def order(finding: Finding) -> tuple[int, int]:
        concern = finding.id.split(".")[0]
        rank = CONCERN_ORDER.index(concern) if concern in CONCERN_ORDER else len(CONCERN_ORDER)
        return SEVERITY_ORDER[finding.severity], rank

    return sorted(findings, key=order)
