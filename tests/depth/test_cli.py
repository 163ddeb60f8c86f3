"""The plan sub-command and the decision_depth block of `recommend --format json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.__main__ import main


def test_plan_json_has_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "examples/leaderboard.yaml", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    flips = data["what_changes_the_answer"]
    assert {d["decision"] for d in flips["decisions"]} == {
        "engine", "deployment", "node type", "shard count", "replicas", "data tiering"}
    assert any(f["input"] == "avg_reads_per_sec" and f["direction"] == "up" for f in flips["flips"])
    timeline = data["when_it_stops_fitting"]
    assert len(timeline["months_detail"]) == 37
    assert timeline["first_crossing_month"]["memory"] is not None
    assert {c["id"] for c in data["headroom"]["checks"]} >= {"headroom.node_lost", "headroom.fork"}


def test_recommend_json_carries_decision_depth(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "examples/session_store.yaml", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["decision_depth"]["headroom"]["applies"] is True


def test_bad_traffic_growth_names_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "examples/leaderboard.yaml", "--traffic-growth", "-3"]) == 2
    assert "--traffic-growth" in capsys.readouterr().err


def test_plan_text_for_serverless_says_there_are_no_steps(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "examples/dev_test.yaml"]) == 0
    out = capsys.readouterr().out
    assert "no steps to plan" in out and "no node to lose" in out


def test_report_formats_carry_the_decision_depth_section(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    from advisor.pricing import load_price_book
    from advisor.recommend import recommend
    from advisor.report.cli import render
    from advisor.report.model import build_report
    from advisor.workload import load_workload

    book = load_price_book()
    report = build_report(recommend(load_workload("examples/multi_region_catalog.yaml"), book), book,
                          include_charts=False)
    data = json.loads(render(report, "json"))
    schema = json.loads(Path("schemas/report.schema.json").read_text())
    jsonschema.validate(data, schema)
    regions = [r["region"] for r in data["decision_depth"]["commitments"]["regions"]]
    assert regions == ["us-east-1", "eu-west-1"]
    markdown = render(report, "md").decode()
    assert "## Decision depth" in markdown and "purchase\\-reserved\\-cache\\-nodes\\-offering" not in markdown
    assert "purchase-reserved-cache-nodes-offering" in markdown  # commands sit in code fences, unescaped
    html = render(report, "html").decode()
    assert 'id="decision-depth"' in html and "What to commit to" in html
    assert render(report, "pdf").startswith(b"%PDF")


def test_plan_prices_stay_or_upgrade_with_a_migration_cost(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    workload = tmp_path / "redis5.yaml"
    workload.write_text("name: Legacy\ndataset_gb: 3\nfeatures: [hashes]\nauth: none\nconstraints: {engine: redis, "
                        "engine_version: '5.0.6', node_type: cache.m5.large, shards: 1, replicas_per_shard: 1}\n")
    assert main(["plan", str(workload), "--format", "json", "--migration-cost", "2000"]) == 0
    upgrade = json.loads(capsys.readouterr().out)["stay_or_upgrade"]
    assert upgrade["engine_version"] == "5.0.6" and upgrade["migration_cost_usd"] == "2000.00"
    assert upgrade["payback_month"] is not None and upgrade["dearer_on"] is not None
    assert main(["plan", str(workload), "--migration-cost", "-1"]) == 2
    assert "--migration-cost" in capsys.readouterr().err
