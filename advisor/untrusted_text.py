"""The one escaping helper for text a user or a server supplied (names, keys, values, file names, server
replies), shown inside Markdown: the app's own boxes (Streamlit renders GitHub-flavoured Markdown with LaTeX)
and the Markdown report.

Such text must never create a link, an image, HTML, a heading, emphasis or math, and must read as typed:
- every character that can start markup is backslash-escaped (CommonMark allows it for all ASCII punctuation);
- line breaks and other whitespace runs fold to one space, so the text cannot start a new block;
- bare autolinks ("https://...", "www....", "a@b.c") are broken with an invisible WORD JOINER (U+2060):
  GitHub-flavoured Markdown (remark-gfm, used by Streamlit) links them even when '.' and ':' are escaped;
- control characters and bidirectional overrides (NUL, U+202E, ...) are shown as their code point, so they
  can neither hide nor reorder the text around them.
"""

from __future__ import annotations

import re
import unicodedata

WORD_JOINER = "\u2060"
# CommonMark lets any ASCII punctuation be backslash-escaped; these can start markup (emphasis, code, links,
# images, HTML, headings, lists, tables, strikethrough, entities, Streamlit's :color[...] directives) or math.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$&=:])")
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|xmpp|www)(?=[:.])")
# Characters that change how the text around them is drawn: bidi embeddings, overrides, isolates and marks.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _visible(char: str) -> str:
    if char in _BIDI or (unicodedata.category(char) in ("Cc", "Cf") and char != WORD_JOINER):
        return f"U+{ord(char):04X}"
    return char


def visible_text(text: object) -> str:
    """`text` on one line, with control and bidi characters spelled out as U+XXXX (no Markdown escaping):
    for plain-text places such as table cells and captions rendered without Markdown."""
    folded = " ".join(str(text).split())
    return "".join(_visible(char) for char in folded)


def chart_text(text: object) -> str:
    """`text` for a Plotly label, legend or hover box: Plotly reads a subset of HTML in every text it draws
    (`<a href>` makes a link, `<b>`, `<br>`, `<span style>`) and decodes entities, so `&`, `<` and `>` go in as
    entities and come out as typed."""
    return visible_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline_markdown(text: object) -> str:
    """`text` as literal inline Markdown: no markup, no link, no image, no HTML, no math, one line."""
    shown = visible_text(text)
    shown = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, shown).replace("@", "@" + WORD_JOINER)
    return _SPECIAL.sub(r"\\\1", shown)


# For a Markdown document (the exported report), escape only what can start markup, so "us-east-1" and
# "$1,203.04" read as written where backslashes would show in a plain-text viewer. Anywhere in inline text:
# backslash, code, emphasis (`*` always, `_` unless inside a word, where GFM ignores it), links and images
# (brackets), HTML (`<`), table cells (`|`), strikethrough (`~`), entities (`&name;`), Streamlit-style
# `:colour[...]` needs `[` (escaped), and a `$` not followed by a digit: pandoc/GitHub math needs a closing
# `$` that is not followed by a digit, so with those escaped no span of math can form while "$5 and $10"
# (and a negative "-$5") stay untouched. At the start of the text: headings, quotes, list bullets, numbered
# lists, setext rules and thematic breaks, each only in the form that starts a block (a bullet or a number's
# "." needs a space or the end after it), so "-12.1%", "+5.9%" and "9.55 GB" read as written.
_DOCUMENT_SPECIAL = re.compile(r"[\\`*\[\]<|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|&(?=#?[A-Za-z0-9]+;)|\$(?!-?\d)")
_BLOCK_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+=](?=\s|$)|[-=](?=[-=\s]*$)|\d{1,9}(?=[.)](?:\s|$)))")


def document_markdown(text: object, line_start: bool = True) -> str:
    """`text` as literal inline Markdown with the fewest escapes: the Markdown report, read as a file too.
    `line_start=False` for a table cell, where nothing can start a block (a lone "-" reads as "-")."""
    shown = visible_text(text)
    shown = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, shown).replace("@", "@" + WORD_JOINER)
    shown = _DOCUMENT_SPECIAL.sub(lambda m: "\\" + m.group(0), shown)
    if not line_start:
        return shown
    return _BLOCK_START.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit() else
                                                    "\\" + m.group(2)), shown, count=1)
