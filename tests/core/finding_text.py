"""What every finding's words must look like to a reader: the checks behind tests/core/test_rule_wording.py.

Garbled text is a bug users see: a stray "XX", a sentence starting in lower case, "valkey" or "aws" in prose,
a word shouted in capitals. Each check returns the problems it finds, in plain words, so a failure names them.
"""

from __future__ import annotations

import re

from advisor.findings import Finding
from advisor.workload import AuthMode, Availability, Feature, TrafficShape

# Acronyms and command names the findings may print in capitals.
ALLOWED_CAPITALS = frozenset({
    "ACL", "AOF", "AUTH", "AWS", "AZ", "AZS", "BGSAVE", "CLI", "CPU", "CROSSSLOT", "DNS", "DRAM", "DSS", "ECPU",
    "EXEC", "GB", "GET", "GIB", "HA", "HIPAA", "IAM", "JSON", "KMS", "LRU", "MB", "MGET", "MSET", "MULTI", "NX",
    "OSS", "PCI", "PX", "RBAC", "RDB", "RENAME", "RESP", "RPO", "RTO", "SELECT", "SET", "SLA", "SSD", "SUNION",
    "TLS", "TTL", "VPC",
})
# The two deliberate labels in capitals, allowed only in these phrases (a planning assumption and a
# secondary-source discount are flagged so): " (ESTIMATE)" elsewhere would be shouting.
LABELS = ("planning ASSUMPTION (AWS publishes none)", "is an ESTIMATE from secondary sources")
# Written in capitals (or as a product name) wherever they appear in prose; in lower case they are a bug.
PROPER_WORDS = {
    "aws": "AWS", "az": "AZ", "azs": "AZs", "tls": "TLS", "rbac": "RBAC", "iam": "IAM", "gb": "GB", "gib": "GiB",
    "ttl": "TTL", "ecpu": "ECPU", "oss": "OSS", "kms": "KMS", "sla": "SLA", "dns": "DNS", "ssd": "SSD",
    "dram": "DRAM", "rpo": "RPO", "rto": "RTO", "acl": "ACL", "hipaa": "HIPAA", "crossslot": "CROSSSLOT",
    "mget": "MGET", "bgsave": "BGSAVE", "lua": "Lua", "valkey": "Valkey", "redis": "Redis",
    "memcached": "Memcached", "elasticache": "ElastiCache", "multi-az": "Multi-AZ", "xfetch": "XFetch",
    "well-architected": "Well-Architected", "gbps": "Gbps",
    "serverless": "Serverless", "nx": "NX", "px": "PX", "cpucreditbalance": "CPUCreditBalance",
    "newconnections": "NewConnections",
}
# Product names spelled wrong in any case mix the mutants make (a whole word upper-cased is caught above).
MISSPELT = re.compile(r"\b(?:Elasticache|elastiCache|ELASTICACHE|VALKEY|MEMCACHED|REDIS|Multi-az|multi-AZ|"
                      r"[Gg]lobal datastore|global Datastore|Redis oss)\b")
# A word: letters, digits and inner hyphens, dots, underscores or slashes (identifiers stay one word).
WORD = re.compile(r"[A-Za-z0-9µ][A-Za-z0-9µ_./'-]*[A-Za-z0-9µ]|[A-Za-z0-9µ]")
IDENTIFIER = re.compile(r"[._/]|^-|\d")  # node types, flags, file names, CLI values, numbers with units
SENTENCE_END = (".", "?", "!")
# The user's own input values, quoted ('rbac') or listed in evidence (features: hashes, lua): shown as typed.
QUOTED = re.compile(r"(?<![A-Za-z])'[^']+'(?![A-Za-z])")
INPUT_VALUES = frozenset(v.value for enum in (Feature, Availability, AuthMode, TrafficShape) for v in enum) | {
    "serverless", "provisioned"}


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def prose_problems(where: str, text: str, values: bool = False) -> list[str]:
    """Problems of any text a finding shows (title, decision, rationale, evidence keys and values); in an
    evidence value (`values`) the workload's own input values may appear as typed."""
    problems = []
    if "XX" in text:
        problems.append(f"{where}: stray 'XX' in {text!r}")
    if not text.strip():
        problems.append(f"{where}: empty text")
    if text != text.strip():
        problems.append(f"{where}: leading or trailing spaces in {text!r}")
    shown = QUOTED.sub("", text)
    for label in LABELS:
        shown = shown.replace(label, "")
    for word in _words(shown):
        bare = word.replace("'", "")
        if values and bare in INPUT_VALUES:
            continue
        if IDENTIFIER.search(bare) and bare.lower() not in PROPER_WORDS:
            continue
        letters = re.sub(r"[^A-Za-z]", "", bare)
        if len(letters) >= 2 and letters.isupper() and letters.upper() not in ALLOWED_CAPITALS \
                and bare.rstrip("s").upper() not in ALLOWED_CAPITALS:
            problems.append(f"{where}: {word!r} in capitals in {text!r}")
        if bare.lower() in PROPER_WORDS and bare == bare.lower():
            problems.append(f"{where}: {word!r} should read {PROPER_WORDS[bare.lower()]!r} in {text!r}")
    for match in MISSPELT.finditer(text):
        problems.append(f"{where}: {match.group()!r} misspelt in {text!r}")
    return problems


def sentence_problems(where: str, text: str) -> list[str]:
    """A decision or rationale is one or more sentences: a capital (or a figure) first, punctuation last."""
    problems = []
    first = text[:1]
    if not (first.isupper() or first.isdigit() or first in "$"):
        problems.append(f"{where}: does not start with a capital letter: {text!r}")
    if not text.endswith(SENTENCE_END):
        problems.append(f"{where}: does not end a sentence: {text!r}")
    for part in re.split(r"(?<=[.!?]) +", text)[1:]:
        if part[:1].islower():
            problems.append(f"{where}: a sentence starts in lower case: {part!r}")
    return problems


def finding_problems(finding: Finding) -> list[str]:
    at = finding.id
    problems = prose_problems(f"{at} title", finding.title)
    first = finding.title[:1]
    if not (first.isupper() or first.isdigit()):
        problems.append(f"{at} title: does not start with a capital letter: {finding.title!r}")
    if finding.title.endswith("."):
        problems.append(f"{at} title: ends with a full stop: {finding.title!r}")
    for field in ("decision", "rationale"):
        text = getattr(finding, field)
        problems += prose_problems(f"{at} {field}", text) + sentence_problems(f"{at} {field}", text)
    for key, value in finding.evidence.items():
        problems += prose_problems(f"{at} evidence key", key)
        problems += prose_problems(f"{at} evidence {key!r}", value, values=True)
    if not finding.docs:
        problems.append(f"{at}: no documentation link")
    for link in finding.docs:
        if not re.fullmatch(r"https://(docs\.)?aws\.amazon\.com/[\w./#-]+", link):
            problems.append(f"{at}: not an AWS documentation link: {link}")
    return problems
