"""Encryption in transit and at rest, key ownership, and authentication."""

from __future__ import annotations

from advisor import docs
from advisor.findings import Finding, Severity
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.wording import choice_label
from advisor.workload import AuthMode, TrafficShape


def encryption(rec: Recommendation, book: PriceBook) -> list[Finding]:
    w = rec.workload
    findings = []
    if rec.deployment == "serverless":
        findings.append(Finding(
            id="security.serverless_encryption", severity=Severity.DECISION, title="Serverless is always encrypted",
            decision="Nothing to switch on: Serverless always uses TLS and encrypts data at rest"
                     + (" (pass your KMS key with --kms-key-id)." if w.customer_managed_kms_key else "."),
            rationale="ElastiCache Serverless has no encryption toggles; only TLS-capable clients can connect.",
            evidence={}, docs=[docs.IN_TRANSIT_ENCRYPTION, docs.AT_REST_ENCRYPTION],
        ))
        return findings
    node_memcached = rec.engine == "memcached"
    if w.encryption_in_transit:
        findings.append(Finding(
            id="security.in_transit", severity=Severity.DECISION, title="Encryption in transit (TLS)",
            decision="Enable in-transit encryption" + (" at creation (Memcached 1.6.12 or later)." if node_memcached
                                                       else " (mode 'required')."),
            rationale="TLS protects data between clients and nodes" + (
                "; clients must connect with TLS." if node_memcached
                else " and is required for AUTH tokens, RBAC and IAM."),
            evidence={}, docs=[docs.IN_TRANSIT_ENCRYPTION],
        ))
    elif w.traffic_shape != TrafficShape.DEV_TEST:
        findings.append(Finding(
            id="security.no_in_transit", severity=Severity.WARNING, title="No encryption in transit",
            decision="Enable TLS unless every client is inside a trusted network and compliance allows it.",
            rationale="Without TLS, credentials and data cross the network in clear text; compliance programmes "
                      "(HIPAA, PCI DSS) need it.",
            evidence={}, docs=[docs.IN_TRANSIT_ENCRYPTION],
        ))
    if node_memcached:
        if w.encryption_at_rest:
            # Node-based Memcached keeps items only in memory and has no snapshots or at-rest setting.
            findings.append(Finding(
                id="security.memcached_no_at_rest", severity=Severity.ADVICE,
                title="Node-based Memcached has no at-rest encryption setting",
                decision="Nothing to enable: node-based Memcached keeps items only in memory and never writes "
                         "snapshots. If encrypted storage is a requirement, Serverless Memcached is always "
                         "encrypted at rest.",
                rationale="At-rest encryption covers data ElastiCache writes to disk (snapshots, swap); node-based "
                          "Memcached has no backups, so create-cache-cluster has no at-rest flag for it.",
                evidence={"engine": "Memcached (node-based)"}, docs=[docs.AT_REST_ENCRYPTION],
            ))
        return findings
    if w.encryption_at_rest:
        findings.append(Finding(
            id="security.at_rest", severity=Severity.DECISION, title="Encryption at rest",
            decision="Enable at-rest encryption at creation"
                     + (" with your customer managed KMS key." if w.customer_managed_kms_key else "."),
            rationale="At-rest encryption cannot be changed after the cluster is created; it is on by default for "
                      "Valkey and off for Redis OSS.",
            evidence={"customer managed key": choice_label(w.customer_managed_kms_key)}, docs=[docs.AT_REST_ENCRYPTION],
        ))
    return findings


rule("security.encryption")(encryption)


def auth(rec: Recommendation, book: PriceBook) -> Finding | None:
    w = rec.workload
    if rec.engine == "memcached":
        return None
    if w.auth == AuthMode.NONE:
        if w.traffic_shape == TrafficShape.DEV_TEST:
            return None
        return Finding(
            id="security.no_auth", severity=Severity.WARNING, title="No authentication",
            decision="Use RBAC users (or IAM) so every client identifies itself.",
            rationale="Without auth, anything that reaches the port can read and write every key.",
            evidence={}, docs=[docs.RBAC, docs.IAM_AUTH],
        )
    if w.auth == AuthMode.AUTH_TOKEN:
        return Finding(
            id="security.auth_token", severity=Severity.ADVICE, title="AUTH token is the legacy option",
            decision="Prefer RBAC users with ACL access strings; keep the token out of code (environment or a "
                     "secrets manager).",
            rationale="One shared password cannot give least privilege or per-client rotation; RBAC and IAM can. "
                      "AUTH tokens work only on node-based clusters, with TLS.",
            evidence={}, docs=[docs.AUTH_TOKEN, docs.RBAC],
        )
    label = "RBAC user group" if w.auth == AuthMode.RBAC else "IAM authentication"
    return Finding(
        id="security.auth", severity=Severity.DECISION, title=f"Authentication: {label}",
        decision=f"Use {label}" + (" (users with ACL access strings, attached through a user group)."
                                   if w.auth == AuthMode.RBAC else " (IAM users whose UserId equals UserName)."),
        rationale="Per-client identities allow least privilege and rotation without downtime"
                  + ("; IAM tokens last 15 minutes and connections re-authenticate every 12 hours."
                     if w.auth == AuthMode.IAM else "."),
        evidence={}, docs=[docs.RBAC if w.auth == AuthMode.RBAC else docs.IAM_AUTH],
    )


rule("security.auth")(auth)
