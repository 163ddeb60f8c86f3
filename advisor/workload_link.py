"""A workload as a short, URL-safe token, so an architect can share a link that reopens the same inputs.

The token carries only fields that differ from the model's defaults (compact JSON, deflated, base64url without
padding). It encodes raw field data, not a validated Workload, so a link can carry inputs that are still being
fixed; `parse_workload` judges them after decoding, exactly as it judges a YAML file.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from enum import Enum
from typing import Any

from advisor.errors import FieldProblem, InvalidWorkload
from advisor.safe_input import decode_text, parse_document
from advisor.workload import SECTIONS, Workload, upgrade_legacy_keys

# A browser URL comfortably holds a few thousand characters; a full workload encodes to a few hundred.
MAX_TOKEN_CHARS = 4_000
# Bound decompression so a crafted link cannot inflate into a huge document (a zip bomb).
MAX_JSON_BYTES = 64 * 1024


def _plain(value: Any) -> Any:
    """JSON-mode form of a default: enums by value, lists element-wise."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def field_defaults() -> dict[str, Any]:
    """Every Workload field's default, in the JSON form `model_dump(mode="json")` produces; the fields of the
    constraints and preferences sections flat, as "constraints.engine" and so on (all default to unset)."""
    defaults = {}
    for name, info in Workload.model_fields.items():
        if name in SECTIONS:
            defaults.update({f"{name}.{inner}": _plain(sub.get_default(call_default_factory=True))
                             for inner, sub in SECTIONS[name].model_fields.items()})
        else:
            defaults[name] = _plain(info.get_default(call_default_factory=True))
    return defaults


def non_default_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The entries of `data` that differ from the model's defaults (unknown keys are kept: the parser judges them).
    Legacy keys are moved to their section first; a section with nothing set is left out."""
    defaults = field_defaults()
    kept: dict[str, Any] = {}
    for name, value in upgrade_legacy_keys(data).items():
        if name in SECTIONS and isinstance(value, dict):
            inner = {k: _plain(v) for k, v in value.items()
                     if not (f"{name}.{k}" in defaults and _plain(v) == defaults[f"{name}.{k}"])}
            if inner:
                kept[name] = inner
            continue
        plain = _plain(value)
        if name in defaults and plain == defaults[name]:
            continue
        kept[name] = plain
    return kept


def encode_workload_link(data: dict[str, Any]) -> str:
    """Non-default fields of `data` as compact JSON, deflated and base64url-encoded without padding."""
    text = json.dumps(non_default_fields(data), separators=(",", ":"), ensure_ascii=False)
    packed = zlib.compress(text.encode("utf-8"), level=9)
    return base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode_workload_link(token: str) -> dict[str, Any]:
    """The field data a token carries, or InvalidWorkload naming the link when it is damaged or too large."""

    def refuse(reason: str) -> InvalidWorkload:
        return InvalidWorkload([FieldProblem("link", reason)])

    if len(token) > MAX_TOKEN_CHARS:
        raise refuse(f"the shared link is longer than {MAX_TOKEN_CHARS:,} characters")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_JSON_BYTES)
        if inflater.unconsumed_tail:
            raise refuse(f"the shared link expands beyond {MAX_JSON_BYTES:,} bytes")
    except (binascii.Error, zlib.error, ValueError):
        raise refuse("the shared link is damaged (it may have been cut short when copied)") from None
    # The one safe parser judges the JSON: encoding, depth and duplicate keys, each named in the refusal.
    return parse_document(decode_text(raw, "link", "the shared link"), "json", "link", "the shared link")
