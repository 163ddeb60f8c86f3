"""Tags and descriptions derived from user text (the workload name, a typed description) that every consumer
accepts: the ElastiCache API, the AWS CLI, CloudFormation (and cfn-lint) and Terraform.

- Tag values keep only the characters every ElastiCache resource's tag schema allows: CloudFormation's
  AWS::ElastiCache::ServerlessCache is the strictest, `^[a-zA-Z0-9 _.\\/=+:\\-@]*$` (the general AWS tag rule
  also allows other Unicode letters, which this one does not), at most 256 characters. Accented letters keep
  their base letter (é -> e); anything else becomes '-'.
- Descriptions (at most 255 characters, CreateServerlessCache's limit) lose control, format and bidi
  characters (NUL, U+202E), fold whitespace, and never hold '${' or '%{' (CloudFormation's Fn::Sub and
  Terraform's interpolation syntax), nor start with 'scheme://' (the AWS CLI would read file:// or fetch a
  URL into the parameter instead of the text).
"""

from __future__ import annotations

import re
import unicodedata

MAX_TAG_VALUE = 256
MAX_DESCRIPTION = 255
_TAG_DISALLOWED = re.compile(r"[^a-zA-Z0-9 _./=+:\-@]+")
_SCHEME_START = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _printable(text: str) -> str:
    folded = " ".join(text.split())  # line breaks and tabs become spaces before control characters go
    kept = (ch for ch in folded if unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs", "Cn"))
    return " ".join("".join(kept).split())


def tag_value(text: str, fallback: str) -> str:
    """`text` as a tag value every ElastiCache resource accepts; `fallback` (already valid) if nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", _printable(text)).encode("ascii", "ignore").decode("ascii")
    value = " ".join(_TAG_DISALLOWED.sub("-", ascii_text).split()).strip(" -")[:MAX_TAG_VALUE].strip()
    return value if any(ch.isalnum() for ch in value) else fallback


def resource_description(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """`text` as a resource description that is plain text in every consumer, cut to `limit` characters."""
    value = _printable(text).replace("${", "$ {").replace("%{", "% {")
    if _SCHEME_START.match(value):
        value = "workload " + value
    return value[:limit].rstrip()
