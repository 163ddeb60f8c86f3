"""User text (workload and scenario names) renders as typed inside Streamlit Markdown."""

from __future__ import annotations

from markdown_it import MarkdownIt

from ui.text import plain


def test_markdown_and_latex_controls_are_escaped() -> None:
    name = "<script>alert(1)</script> *bold* _it_ $x^2$ [link](https://example.com) # h"
    html = MarkdownIt("commonmark").render(plain(name))
    assert "<script>" not in html and "<em>" not in html and "<strong>" not in html and "<a " not in html
    assert "<h1>" not in html
    # Every character is still there once the backslashes are read.
    assert plain(name).replace("\\", "").replace("\u2060", "") == name.replace("\\", "")


def test_plain_text_is_unchanged() -> None:
    assert plain("Session store 2") == "Session store 2"
