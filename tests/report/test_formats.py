"""Each format carries the headline, hand-computed costs, findings, charts, commands and patterns."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader

from advisor.patterns.catalog import pattern_by_id
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.report.html import render_html
from advisor.report.json_export import render_json
from advisor.report.markdown import render_markdown
from advisor.report.model import build_report
from advisor.report.pdf import render_pdf
from advisor.workload import load_workload
from tests.report.conftest import ROOT, TODAY, usd

SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text())


class _Html(HTMLParser):
    """Collects visible text, table cells, scripts and any external reference."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.cells: list[str] = []
        self.scripts: list[str] = []
        self.external: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and tag != "a":
                self.external.append(value)
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if "script" in self._stack[-1:]:
            self.scripts[-1] += data
        elif "style" not in self._stack[-1:]:
            self.text.append(data)
            if self._stack and self._stack[-1] == "td":
                self.cells.append(data)


def parse_html(text: str) -> _Html:
    parser = _Html()
    parser.feed(text)
    return parser


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _figures(expected_monthly: Decimal) -> list[str]:
    return [usd(expected_monthly), usd(expected_monthly * 12), usd(expected_monthly * 36)]


def test_pdf_shows_headline_and_hand_computed_costs(large_report, large_rec, expected_monthly) -> None:
    text = pdf_text(render_pdf(large_report))
    flat = " ".join(text.split())
    assert " ".join(large_rec.headline.split()) in flat
    for figure in _figures(expected_monthly):
        assert figure in text
    assert "pricing as of 2026-10-02" in flat and "region us-east-1" in flat
    assert "1-year All Upfront (derived)" in flat
    for title in ("Monthly cost vs traffic", "Cumulative cost: on-demand vs reserved", "Monthly cost as the dataset"):
        assert title in flat  # the three charts are drawn into the PDF with their titles
    for finding in large_rec.findings:
        assert finding.id in flat
    assert "aws elasticache create-replication-group" in flat
    assert 'resource "aws_elasticache_replication_group"' in flat
    assert "AWS::ElastiCache::ReplicationGroup" in flat


def test_html_shows_the_same_figures_in_tables(large_report, large_rec, expected_monthly) -> None:
    page = parse_html(render_html(large_report))
    for figure in _figures(expected_monthly):
        assert figure in page.cells
    text = " ".join(" ".join(page.text).split())
    assert large_rec.headline in text
    assert "1-year All Upfront (derived)" in page.cells


def test_html_is_self_contained_with_interactive_charts(large_report) -> None:
    html = render_html(large_report)
    page = parse_html(html)
    assert page.external == []  # no script src, stylesheet or image fetched from anywhere
    assert sum("Plotly.newPlot" in s for s in page.scripts) == 3
    assert max(len(s) for s in page.scripts) > 1_000_000  # plotly.js itself is inlined
    assert html.count("plotly.js v") >= 1


def test_json_validates_and_carries_exact_figures(large_report, expected_monthly, book: PriceBook) -> None:
    data = json.loads(render_json(large_report))
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert data["schema_version"] == SCHEMA["properties"]["schema_version"]["pattern"][1] + ".0.0"
    costs = data["costs"]
    assert costs["monthly_usd"] == str(expected_monthly.quantize(Decimal("0.01")))
    assert costs["three_year_usd"] == str((expected_monthly * 36).quantize(Decimal("0.01")))
    assert data["generated_on"] == TODAY.isoformat() and data["pricing_as_of"] == "2026-10-02"
    assert {o["kind"] for o in costs["options"]} == {"on_demand", "reserved", "serverless"}
    assert all(o["label"].endswith("(estimate)") for o in costs["options"] if o["is_estimate"])


@pytest.mark.parametrize("example", sorted(p.name for p in (ROOT / "examples").glob("*.yaml")))
def test_every_example_exports_valid_json(book: PriceBook, example: str) -> None:
    rec = recommend(load_workload(ROOT / "examples" / example), book)
    data = json.loads(render_json(build_report(rec, book, today=TODAY)))
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())


def test_schema_rejects_a_report_without_version(large_report) -> None:
    data = json.loads(render_json(large_report))
    del data["schema_version"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_markdown_has_every_section(large_report, large_rec, expected_monthly) -> None:
    text = render_markdown(large_report)
    for heading in ("## Recommendation", "## Costs", "## Charts", "## Findings", "## Alternatives",
                    "## Workload inputs", "## Commands", "### Terraform", "### CloudFormation", "## Caching patterns",
                    "## Assumptions and caveats"):
        assert heading in text
    # Money, node types and Regions read as written: only markup characters are escaped (issue 13).
    assert usd(expected_monthly) in text
    assert "us-east-1" in text and "us\\-east" not in text
    assert not re.search(r"\\\$-?\d", text)  # an amount is never escaped (a "$NAME" still is: it could open math)
    for candidate in large_rec.search.ranked:
        assert candidate.node_type in text


def test_patterns_are_quoted_from_the_catalog(large_report, large_rec) -> None:
    ids = {pid for f in large_rec.findings for pid in f.patterns}
    assert ids, "the example's findings recommend caching patterns"
    html = render_html(large_report)
    pdf = " ".join(pdf_text(render_pdf(large_report)).split())
    for pid in ids:
        pattern = pattern_by_id(pid)
        assert pattern.title in [p.title for p in large_report.patterns]
        assert pattern.when_to_use.replace("'", "&#x27;").replace('"', "&quot;") in html
        assert " ".join(pattern.summary.split()) in pdf


def test_documentation_links_are_in_every_format(large_report, large_rec) -> None:
    links = {link for f in large_rec.findings for link in f.docs}
    md = render_markdown(large_report)
    html = render_html(large_report)
    data = render_json(large_report)
    for link in links:
        assert f"<{link}>" in md and f'href="{link}"' in html and json.dumps(link) in data


def test_infeasible_workload_still_reports(book: PriceBook) -> None:
    workload = load_workload(ROOT / "examples" / "session_store.yaml").with_changes(
        dataset_gb=900_000, forced_deployment="provisioned")  # beyond any 500-node cluster with replicas
    rec: Recommendation = recommend(workload, book)
    assert not rec.feasible
    report = build_report(rec, book, today=TODAY)
    data = json.loads(render_json(report))
    jsonschema.validate(data, SCHEMA)
    assert data["costs"] is None and data["conflicts"]
    assert "no feasible configuration" in pdf_text(render_pdf(report)).lower()
    assert "No feasible configuration" in render_markdown(report)


def test_cli_writes_each_format(tmp_path: Path) -> None:
    from advisor.report.cli import FORMATS
    for fmt in FORMATS:
        out = tmp_path / f"r.{fmt}"
        assert _cli(["report", str(ROOT / "examples" / "session_store.yaml"), "--format", fmt, "-o", str(out)]) == 0
        assert out.stat().st_size > 1000
    assert PdfReader(tmp_path / "r.pdf").pages


def test_cli_rejects_bad_input_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(["report", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "x.md")]) == 2
    assert "does not exist" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nregion: mars-1\n")
    assert _cli(["report", str(bad), "-f", "json"]) == 2
    assert "region" in capsys.readouterr().err
    assert _cli(["report", str(ROOT / "examples" / "dev_test.yaml"), "-f", "pdf"]) == 2
    assert "-o" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _cli(["report", str(bad), "-f", "docx"])


def _cli(argv: list[str]) -> int:
    import argparse

    from advisor.report.cli import add_report_parser

    parser = argparse.ArgumentParser()
    add_report_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.run(args))


def test_every_format_draws_the_recommended_design(large_report, large_rec) -> None:
    topo = large_rec.topology
    nodes = topo.shards * (1 + topo.replicas_per_shard)
    design = large_report.design
    assert design is not None and design.counts.nodes == nodes and design.counts.shards == topo.shards
    title = design.title
    assert topo.node_type in title and f"{nodes} nodes" in title
    markdown = render_markdown(large_report)
    assert "### Design" in markdown and title in markdown and "- AZ 1:" in markdown
    html = render_html(large_report, interactive_charts=False)
    assert f"data-nodes='{nodes}'" in html and "<svg" in html
    data = json.loads(render_json(large_report))
    assert data["design"]["counts"]["nodes"] == nodes
    assert sum(b["kind"] == "region" for b in data["design"]["boxes"]) == 1
    text = " ".join(pdf_text(render_pdf(large_report)).split())
    assert "AZ 1" in text and "shard 1 primary" in text


def test_a_serverless_reports_crossover_sentences_do_not_contradict_each_other(book: PriceBook) -> None:
    """Issue 13: the chat preset's sweep (cluster re-sized at each traffic level) crosses, while the cluster held
    at its size never does (its storage alone costs more). Both may be said, but each must say which it is."""
    rec = recommend(load_workload(ROOT / "examples" / "pubsub_chat.yaml"), book)
    text = render_markdown(build_report(rec, book, today=TODAY))
    # The held cluster is the cheapest provisioned design: 2 x cache.r6g.xlarge, Valkey us-east-1 at
    # $0.3288/hour (pricing_data/on_demand.csv) x 730 h x 2 = $480.048 -> $480.05.
    assert rec.search.best is not None and (rec.search.best.node_count, rec.search.best.node_type) == \
        (2, "cache.r6g.xlarge")
    assert round(Decimal("0.3288") * 730 * 2, 2) == Decimal("480.05")
    assert "cost the same at about" in text and "re-sized at each traffic level" in text
    sentences = [s for s in re.split(r"(?<=\.) ", text.replace("\n", " ")) if "at any traffic" in s]
    assert sentences
    for sentence in sentences:
        assert "Holding the provisioned cluster fixed (2 x cache.r6g.xlarge, $480.05/month, not re-sized" in sentence


def test_a_memcached_report_speaks_of_nodes_not_shards_or_replicas(book: PriceBook) -> None:
    """Issue 13: each engine in its own words. Node-based Memcached has independent nodes: no shards, no replicas,
    no cluster mode. (The workload's own input `read_from_replicas` and sentences saying Memcached has no
    replicas are allowed.)"""
    rec = recommend(load_workload(ROOT / "examples" / "memcached_page_cache.yaml"), book)
    assert rec.engine == "memcached"
    text = render_markdown(build_report(rec, book, today=TODAY))
    offending = [line for line in text.splitlines()
                 if re.search(r"(?i)\bshards?\b|\breplicas?\b|cluster mode", line)
                 and not re.search(r"^\| (read_from_replicas|client_cluster_aware) |has no replica|no replicas", line)]
    assert offending == []
    assert "| Rank | Node type | Nodes | On-demand/month |" in text
