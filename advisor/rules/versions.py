"""Which engine version: the newest in standard support that has every feature the workload needs."""

from __future__ import annotations

from datetime import date

from advisor import docs
from advisor.costs.extended_support import DOC as EXTENDED_SUPPORT_DOC
from advisor.costs.extended_support import extended_support_cost
from advisor.findings import Finding, Severity
from advisor.money import fmt_usd
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.versions import (
    Capability,
    VersionChoice,
    check_pinned,
    needed_capabilities,
    planned_version,
    releases_of,
    version_text,
)
from advisor.wording import ENGINE_LABELS, count_noun


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


def engine_version(rec: Recommendation, book: PriceBook) -> Finding | None:
    if rec.deployment != "provisioned":
        return None  # Serverless takes a major version; AWS applies minor versions itself
    if rec.workload.constraints.engine_version:
        return pinned_version(rec, book)
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


rule("engine.version")(engine_version)


def _monthly(rec: Recommendation) -> str:
    if rec.costs is None:
        return "not priced"
    return f"${rec.costs.chosen.monthly:,.2f}/month"


def pinned_version(rec: Recommendation, book: PriceBook, today: date | None = None) -> list[Finding]:
    """A pinned version: offered by ElastiCache?, has every needed feature?, in standard support?"""
    today = today or date.today()
    w, topo = rec.workload, rec.topology
    assert topo is not None and w.constraints.engine_version is not None
    version, label = w.constraints.engine_version, ENGINE_LABELS[rec.engine]
    needed = needed_capabilities(w, cluster_mode_enabled=topo.cluster_mode_enabled, data_tiering=topo.data_tiering)
    check = check_pinned(rec.engine, version, needed, today)
    newest = planned_version(rec.engine, w, cluster_mode_enabled=topo.cluster_mode_enabled,
                             data_tiering=topo.data_tiering, today=today)
    way_out = (f"Pin {label} {newest.version} instead: same {topo.node_count} x {topo.node_type} at "
               f"{_monthly(rec)}." if newest.version else "Run Valkey, which has every feature this workload needs.")
    if check.release is None:
        offered = ", ".join(r.version for r in releases_of(rec.engine))
        return [Finding(
            id="engine.version_not_offered", severity=Severity.CONFLICT,
            title=f"{label} {version} is not offered by ElastiCache",
            decision=way_out, rationale=f"ElastiCache offers {label} {offered}; a cluster cannot be created on "
                                        f"{version}.",
            evidence={"pinned": version, "offered": offered}, docs=[docs.ENGINE_VERSIONS],
        )]
    findings = []
    if check.lacking:
        evidence = _needs(newest)
        evidence["pinned"] = version
        findings.append(Finding(
            id="engine.version_pin_lacks_feature", severity=Severity.CONFLICT,
            title=f"{label} {version} lacks {_labels(check.lacking)}",
            decision=way_out,
            rationale=f"The workload needs {_labels(check.lacking)}, which {label} {version} does not have; the "
                      "cluster would refuse those commands or settings.",
            evidence=evidence, docs=[docs.ENGINE_VERSIONS],
        ))
    else:
        findings.append(Finding(
            id="engine.version", severity=Severity.DECISION, title=f"Engine version: {label} {version} (pinned)",
            decision=f"Create the cluster on the pinned {label} {version}.",
            rationale=f"{label} {version} has every feature this workload needs."
                      + (f" The newest in standard support is {newest.version}." if newest.version != version
                         and newest.version else ""),
            evidence=_needs(newest), docs=[docs.ENGINE_VERSIONS],
        ))
    findings += _extended_support(rec, book, version, today)
    return findings


def _extended_support(rec: Recommendation, book: PriceBook, version: str, today: date) -> list[Finding]:
    topo = rec.topology
    assert topo is not None
    charge = extended_support_cost(book, engine=rec.engine, engine_version=version, region=rec.workload.region,
                                   node_type=topo.node_type, node_count=topo.node_count, on=today)
    if charge.status not in ("charged", "not_started") or not charge.steps:
        return []
    evidence = {"standard support ended" if charge.status == "charged" else "standard support ends":
                charge.standard_support_ends.isoformat() if charge.standard_support_ends else "unknown"}
    for step in charge.steps:
        rate = "not priced" if step.usd_per_node_hour is None else (
            f"${step.usd_per_node_hour}/node-hour" + (" (estimate)" if step.basis == "estimate" else ""))
        evidence[step.label] = f"{step.starts.isoformat()} to {step.ends.isoformat()}: {rate}"
    if charge.charged:
        evidence["surcharge now"] = f"${charge.monthly:,.2f}/month for {count_noun(topo.node_count, 'node')}" + (
            " (estimate)" if charge.is_estimate else "")
    if charge.valkey_saving_monthly is not None:
        evidence["moving to Valkey saves"] = f"{fmt_usd(charge.valkey_saving_monthly)}/month"
    return [Finding(
        id="engine.extended_support", severity=Severity.WARNING if charge.charged else Severity.ADVICE,
        title=f"Redis OSS {version} " + ("is in Extended Support" if charge.charged else
                                         "leaves standard support soon"),
        decision="Upgrade to Valkey (or Redis OSS 7.x) before the surcharge applies, or budget for it.",
        rationale=charge.note, evidence=evidence, docs=[EXTENDED_SUPPORT_DOC, docs.ENGINE_VERSIONS],
    )]
