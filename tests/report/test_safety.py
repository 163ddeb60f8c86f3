"""User text renders as plain text in every format, and no secret from the environment or settings leaks."""

from __future__ import annotations

import json
from html import escape

import pytest
from markdown_it import MarkdownIt

from advisor.commands import CommandSettings
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.report.html import render_html
from advisor.report.json_export import render_json
from advisor.report.markdown import md, render_markdown, table
from advisor.report.model import Report, build_report
from advisor.report.pdf import render_pdf
from advisor.report.tables import Table
from advisor.workload import load_workload
from tests.commands.test_terraform import CANARIES
from tests.report.conftest import EVIL_NAME, ROOT, TODAY
from tests.report.test_formats import parse_html, pdf_text


@pytest.fixture(scope="module")
def evil_report(book: PriceBook) -> Report:
    workload = load_workload(ROOT / "examples" / "session_store.yaml").with_changes(name=EVIL_NAME)
    return build_report(recommend(workload, book), book, today=TODAY)


def test_html_has_no_script_or_markup_from_the_name(evil_report: Report) -> None:
    page = parse_html(render_html(evil_report))
    assert not any("alert(1)" in script for script in page.scripts)
    assert all("evil.example" not in ref for ref in page.external)
    text = "".join(page.text)
    assert f"ElastiCache recommendation: {EVIL_NAME}" in text  # shown literally, entities included


def test_markdown_renders_the_name_as_plain_text(evil_report: Report) -> None:
    source = render_markdown(evil_report)
    # Outside code blocks (where text is literal) the name is backslash-escaped.
    assert source.splitlines()[0].startswith("# ElastiCache recommendation: \\<script>alert")
    html = MarkdownIt("commonmark").enable("table").render(source)
    assert "<script" not in html and "<b>" not in html
    title = html.split("</h1>")[0]
    assert "<em>" not in title and "<a " not in title and "<code>" not in title
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *bold* _it_ $x^2$ \\textbf{y}" in title
    assert "\\$x^2\\$" in source  # the dollars are escaped so no LaTeX renderer sees math


def test_pdf_prints_the_name_literally(evil_report: Report) -> None:
    text = " ".join(pdf_text(render_pdf(evil_report)).split())
    assert EVIL_NAME in text


def test_json_keeps_the_name_as_data(evil_report: Report) -> None:
    data = json.loads(render_json(evil_report))
    assert data["workload"]["name"] == EVIL_NAME
    # < > & are \u-escaped, so the JSON can be embedded in an HTML <script> block without breaking out.
    assert "<script>" not in render_json(evil_report) and "\\u003cscript\\u003e" in render_json(evil_report)


def test_no_secret_in_any_export(book: PriceBook, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    workload = load_workload(ROOT / "examples" / "session_store.yaml").with_changes(auth="auth_token")
    rec = recommend(workload, book)
    settings = CommandSettings(subnet_group="prod-subnets", security_group_ids=("sg-0aaaabbbbccccdddd",),
                               user_group_id="prod-users")
    report = build_report(rec, book, settings=settings, today=TODAY)
    outputs = {
        "md": render_markdown(report), "html": render_html(report), "json": render_json(report),
        "pdf-text": pdf_text(render_pdf(report)), "terraform": report.terraform,
        "cloudformation": report.cloudformation,
    }
    pdf_bytes = render_pdf(report)
    for value in CANARIES.values():
        for fmt, text in outputs.items():
            assert value not in text, f"{fmt} leaks a secret"
        assert value.encode() not in pdf_bytes
    # The token is referenced, never inlined: the shell variable, the Terraform variable, the NoEcho parameter.
    assert '"${ELASTICACHE_AUTH_TOKEN}"' in outputs["md"]
    assert "var.auth_token" in outputs["terraform"] and "NoEcho: true" in outputs["cloudformation"]
    assert "prod-subnets" in outputs["md"]  # the ids the user supplied do show


@pytest.mark.parametrize(("text", "shown"), [
    ("us-east-1", "us-east-1"),  # no markup: nothing escaped
    ("$1,203.04/month vs $900", "$1,203.04/month vs $900"),  # dollars before digits cannot close math
    ("cache.r7g.large, 5 shards (10 nodes)", "cache.r7g.large, 5 shards (10 nodes)"),
    ("dataset_gb", "dataset_gb"),  # an underscore inside a word is not emphasis in GFM
    ("*a* _b_ `c` [d](e) <f> x|y ~g~ $h$", "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<f> x\\|y \\~g\\~ \\$h\\$"),
    ("1. first", "1\\. first"), ("- item", "\\- item"), ("# title", "\\# title"), ("> quote", "\\> quote"),
    ("&amp; & more", "\\&amp; & more"),
    # Figures in the decision-depth tables: a sign or a decimal point starts no list (issue 13).
    ("-12.1%", "-12.1%"), ("+5.9%", "+5.9%"), ("9.55 GB", "9.55 GB"), ("30.00", "30.00"), ("1.75x", "1.75x"),
    ("-$113.15", "-$113.15"), ("2026-12-01", "2026-12-01"),
    # ... while the forms that do start a block are still escaped.
    ("1) first", "1\\) first"), ("1.", "1\\."), ("+ item", "\\+ item"), ("-", "\\-"), ("---", "\\---"),
    ("## h", "\\## h"), ("#hashtag", "#hashtag"),
])
def test_markdown_escapes_only_what_markdown_reads(text: str, shown: str) -> None:
    assert md(text) == shown
    # Rendered, the escaped text is the original text again (no tag, link, emphasis or entity made of it).
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md(text))
    assert html == f"<p>{escape(text, quote=False)}</p>\n"


def test_markdown_breaks_bare_autolinks_with_an_invisible_joiner() -> None:
    shown = md("see www.x.example, https://y.example or a@b.example")
    assert shown == "see www\u2060.x.example, https\u2060://y.example or a@\u2060b.example"


@pytest.mark.parametrize("cell", ["-", "- item", "1. first", "# h", "> q", "+", "---"])
def test_a_table_cell_keeps_its_text_unescaped_where_no_block_can_start(cell: str) -> None:
    """Inside a GFM table row every cell is inline text: a dash for "no figure" needs no backslash."""
    lines = table(Table("T", ("A", "B"), ((cell, "x|y"),)))
    assert lines[4] == f"| {cell} | x\\|y |"
    html = MarkdownIt("commonmark").enable(["table"]).render("\n".join(lines))
    assert f"<td>{escape(cell, quote=False)}</td>" in html and "<td>x|y</td>" in html
