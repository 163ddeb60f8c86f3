"""A given design (pinned, or a live cluster's) is drawn beside the recommended one in every report format."""

from __future__ import annotations

import json

import jsonschema

from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.report.html import render_html
from advisor.report.json_export import render_json
from advisor.report.markdown import render_markdown
from advisor.report.model import build_report
from advisor.report.pdf import render_pdf
from advisor.workload import load_workload
from tests.report.conftest import ROOT, TODAY
from tests.report.test_formats import SCHEMA, pdf_text


def test_every_format_draws_the_given_design_beside_the_recommended_one(book: PriceBook) -> None:
    # examples/given_designs/three_shards_r7g_xlarge.yaml: given 3 shards x (1 primary + 2 replicas) of
    # cache.r7g.xlarge = 9 nodes; the advisor's own: 1 shard x (1 primary + 1 replica) of cache.r8g.2xlarge = 2.
    rec = recommend(load_workload(ROOT / "examples" / "given_designs" / "three_shards_r7g_xlarge.yaml"), book)
    report = build_report(rec, book, today=TODAY, include_charts=False, include_depth=False)
    given_title = "Given design: Valkey, 3 shards x (1 primary + 2 replicas) of cache.r7g.xlarge, 9 nodes"
    ours_title = "Recommended design: Valkey, 1 shard x (1 primary + 1 replica) of cache.r8g.2xlarge, 2 nodes"
    assert [d.label for d in report.designs] == ["Given design", "Recommended design"]
    markdown = render_markdown(report)
    design_section = markdown.split("### Design", 1)[1].split("\n## ", 1)[0]
    assert given_title in design_section and ours_title in design_section
    assert design_section.index(given_title) < design_section.index(ours_title)
    assert design_section.count("shard 1 primary") == 1  # only the given design has numbered shards
    html = render_html(report, interactive_charts=False)
    assert html.count("class='design-picture'") == 2
    assert 'data-design="Given design"' in html and "data-nodes='9'" in html
    assert 'data-design="Recommended design"' in html and "data-nodes='2'" in html
    data = json.loads(render_json(report))
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert data["given_design"]["label"] == "Given design" and data["design"]["label"] == "Recommended design"
    assert data["given_design"]["counts"] == {"regions": 1, "azs_per_region": 3, "shards": 3, "primaries": 3,
                                              "replicas": 6, "nodes": 9}
    assert data["design"]["counts"] == {"regions": 1, "azs_per_region": 2, "shards": 1, "primaries": 1,
                                        "replicas": 1, "nodes": 2}
    text = " ".join(pdf_text(render_pdf(report)).split())
    assert "Given design: Valkey" in text and "Recommended design: Valkey" in text
    assert text.index("Given design: Valkey") < text.index("Recommended design: Valkey")
    assert "cache.r8g.2xlarge" in text and "shard 3 primary" in text
