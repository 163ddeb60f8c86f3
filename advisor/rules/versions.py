"""Which engine version: the newest in standard support that has every feature the workload needs."""

from __future__ import annotations

from datetime import date

from advisor import docs
from advisor.findings import Finding, Severity
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import ENGINE_LABELS
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.versions import Capability, VersionChoice, planned_version, version_text


def _needs(choice: VersionChoice) -> dict[str, str]:
    evidence = {}
    for capability in choice.needed:
        minimum = capability.minimum.get(choice.engine)
        evidence[capability.label] = (f"{ENGINE_LABELS[choice.engine]} {version_text(minimum)}+" if minimum
                                      else f"not on {ENGINE_LABELS[choice.engine]}")
    return evidence


def _labels(capabilities: tuple[Capability, ...]) -> str:
    return ", ".join(c.label for c in capabilities)


def version_choice(rec: Recommendation, today: date | None = None) -> VersionChoice:
    topo = rec.topology
    return planned_version(rec.engine, rec.workload,
                           cluster_mode_enabled=bool(topo and topo.cluster_mode_enabled),
                           data_tiering=bool(topo and topo.data_tiering), today=today)


@rule("engine.version")
def engine_version(rec: Recommendation, book: PriceBook) -> Finding | None:
    if rec.deployment != "provisioned":
        return None  # Serverless takes a major version; AWS applies minor versions itself
    choice = version_choice(rec)
    label = ENGINE_LABELS[rec.engine]
    if choice.version is None:
        missing = choice.missing_on_engine or choice.gating
        return Finding(
            id="engine.version_lacks_feature", severity=Severity.CONFLICT,
            title=f"No {label} version has {_labels(missing)}",
            decision="Run Valkey, which has every feature this workload needs, or drop the feature.",
            rationale=f"{label} on ElastiCache never offers {_labels(missing)}; a cluster built on it would "
                      "refuse the commands the application needs.",
            evidence=_needs(choice), docs=[docs.ENGINE_VERSIONS],
        )
    release = choice.release
    assert release is not None
    gating = (f" It needs {_labels(choice.gating)}, which {label} has from {choice.minimum_version}."
              if choice.gating else "")
    evidence = _needs(choice)
    evidence["minimum version for these needs"] = choice.minimum_version or "any"
    evidence["standard support"] = ("no end announced" if release.standard_support_ends is None
                                    else f"until {release.standard_support_ends.isoformat()}")
    return Finding(
        id="engine.version", severity=Severity.DECISION, title=f"Engine version: {label} {choice.version}",
        decision=f"Create the cluster on {label} {choice.version}.",
        rationale=f"{label} {choice.version} is the newest version in standard support on ElastiCache with every "
                  f"feature this workload needs.{gating} Upgrades are one-way (no downgrade), so starting on the "
                  "newest version saves a later in-place upgrade.",
        evidence=evidence, docs=[docs.ENGINE_VERSIONS],
    )
