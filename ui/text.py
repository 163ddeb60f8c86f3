"""Show advisor and user text as plain text inside Streamlit's Markdown (which also renders $...$ as LaTeX)."""

from __future__ import annotations

MARKDOWN_CONTROL = "\\`*_{}[]()#+-.!|$<>~"


def plain(text: object) -> str:
    """Backslash-escape every Markdown/LaTeX control character so the text renders exactly as written."""
    return "".join("\\" + char if char in MARKDOWN_CONTROL else char for char in str(text))
