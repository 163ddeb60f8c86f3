"""Show advisor and user text as plain text inside Streamlit's Markdown (which also renders $...$ as LaTeX
and links bare URLs): every page goes through advisor.untrusted_text, the one escaping helper."""

from __future__ import annotations

import re

from advisor.untrusted_text import inline_markdown, visible_text

plain = inline_markdown
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,60}(?:\[\d{1,4}\]|\.[A-Za-z_][A-Za-z0-9_]{0,60}){0,4}")


def field_label(field: str) -> str:
    """A field name as inline code when it is a plain identifier such as `secondary_regions[0]`; anything else
    (an unknown key from a file or a link) as escaped text, since a code span cannot escape a backtick."""
    return f"`{field}`" if _IDENTIFIER.fullmatch(field) else plain(field)


__all__ = ["field_label", "plain", "visible_text"]
