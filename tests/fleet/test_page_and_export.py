"""The Fleet review page (AppTest) and the HTML / PDF / JSON export of the same review: the numbers agree,
every chart has a table twin, every figure names its metric, statistic and window, and uncollected data says so."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from advisor.fleet.export import fleet_table, render_html, render_json, render_pdf
from advisor.fleet.review import FleetReview
from advisor.money import fmt_usd

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "fleet.py")


def _page(review: FleetReview) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["fleet.review"] = review  # the example review, already computed by the session fixture
    at.session_state["fleet_days"] = 14
    at.run()
    assert not at.exception, at.exception
    return at


def test_page_numbers_match_the_export(example_review: FleetReview) -> None:
    at = _page(example_review)
    exported = json.loads(render_json(example_review))
    page_table = at.dataframe[0].value
    assert list(page_table["cluster"]) == [c["id"] for c in exported["clusters"]]
    for (_, shown), cluster in zip(page_table.iterrows(), exported["clusters"], strict=True):
        assert shown["class"] == cluster["class"]
        current = cluster["cost"]["current_monthly_usd"]
        assert shown["cost/month"] == (f"${float(current):,.2f}" if current is not None else "not priced")
        saving = cluster["cost"]["monthly_saving_usd"]
        amount = float(saving)  # a negative saving (the target costs more) reads "-$72.42", sign first
        assert shown["saving/month"].split(" ")[0] == (f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Cost now"] == f"{fmt_usd(example_review.monthly_total_usd)}/month"
    assert exported["totals"]["monthly_usd"] == f"{example_review.monthly_total_usd:.2f}"
    # The selected cluster's metric table equals the export's distributions, figure for figure.
    first = exported["clusters"][0]
    metric_rows = at.dataframe[1].value
    cpu = next(m for m in first["metrics"] if m["metric"] == "EngineCPUUtilization")
    row = metric_rows[metric_rows["metric"] == "EngineCPUUtilization"].iloc[0]
    assert row["p95"] == f"{cpu['p95']:,.2f}" and row["statistic"] == cpu["stat"] == "Maximum"


def test_sparse_cluster_shows_not_enough_data_not_zero(example_review: FleetReview) -> None:
    at = _page(example_review)
    at.selectbox(key="fleet_cluster").set_value("reports-new").run()
    rows = at.dataframe[1].value
    cpu = rows[rows["metric"] == "EngineCPUUtilization"].iloc[0]
    assert (cpu["p95"], cpu["max"]) == ("not enough data", "not enough data")
    exported = next(c for c in json.loads(render_json(example_review))["clusters"] if c["id"] == "reports-new")
    cpu_json = next(m for m in exported["metrics"] if m["metric"] == "EngineCPUUtilization")
    assert cpu_json["status"] == "not enough data" and cpu_json["p95"] is None


def test_json_names_metric_statistic_and_window(example_review: FleetReview) -> None:
    data = json.loads(render_json(example_review))
    assert data["window"]["label"].startswith("2026-11-17 00:00 to 2026-12-01 00:00 UTC (14 days, 5-minute")
    for cluster in data["clusters"]:
        for m in cluster["metrics"]:
            assert m["metric"] and m["stat"] and m["window"] == data["window"]["label"]
            if m["status"] != "ok":
                assert m["p50"] is None and m["max"] is None  # never a zero standing in for missing data
        for t in cluster["trends"]:
            assert t["statistic"] and len(t["days"]) == len(t["daily"])


def test_html_has_a_table_twin_for_every_chart(example_review: FleetReview) -> None:
    html = render_html(example_review)
    charts = html.count("<svg")
    assert charts >= len(example_review.clusters)
    assert html.count("<table>") >= charts + 1  # each chart's twin plus the fleet table
    assert "#0072B2" in html and "#E69F00" in html  # Okabe-Ito
    for row in fleet_table(example_review).rows:
        assert row[0] in html


def test_html_escapes_cluster_text(example_review: FleetReview) -> None:
    from dataclasses import replace

    hostile = replace(example_review, source="<script>alert(1)</script>")
    html = render_html(hostile)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_pdf_renders(example_review: FleetReview, tmp_path: Path) -> None:
    pdf = render_pdf(example_review)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "fleet.pdf"
    path.write_bytes(pdf)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "leaderboard-hot" in text and fmt_usd(example_review.monthly_total_usd) in text


def test_my_account_path_reviews_through_the_standard_credential_chain(example_account: object,
                                                                        monkeypatch: object) -> None:
    """The real-account form (profile, Region, endpoint) pointed at the example account over HTTP, with
    credentials from the environment like any boto3 user: the same review comes back, ending now."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "example-access-key")  # type: ignore[attr-defined]
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example-secret-key")  # type: ignore[attr-defined]
    monkeypatch.delenv("AWS_PROFILE", raising=False)  # type: ignore[attr-defined]
    at = AppTest.from_file(PAGE, default_timeout=300)
    at.session_state["fleet_source"] = "My AWS account"
    at.run()
    at.text_input(key="fleet_endpoint").set_value(example_account.endpoint)  # type: ignore[attr-defined]
    at.slider(key="fleet_days").set_value(7)  # the example's days end within a day of now: over 6 of 7 days, over 75%
    at.button(key="fleet_run").click().run()
    assert not at.exception and not at.error, (at.exception, at.error)
    review = at.session_state["fleet.review"]
    assert len(review.clusters) == 9 and review.source == "AWS account, us-east-1"
    assert review.cluster("feed-network").analysis.utilization.value == "network-bound"
