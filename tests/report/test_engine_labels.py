"""Cost lines name each engine in its own words ("Valkey", "Redis OSS", "Memcached"), never by its raw id
("valkey", "redis", "memcached"), in every report format, the CLI and the Costs page (issue 13 §1). The JSON keeps
its machine fields (`engine: "valkey"`) and changes only the human line names."""

from __future__ import annotations

import json
import re

import pytest

from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.report.html import render_html
from advisor.report.json_export import render_json
from advisor.report.markdown import render_markdown
from advisor.report.model import build_report
from advisor.report.pdf import render_pdf
from advisor.workload import Workload, load_workload
from tests.report.conftest import ROOT, TODAY
from tests.report.test_formats import pdf_text

RAW_ID_IN_A_LABEL = re.compile(r"\((valkey|redis|memcached)\)")


def _workload(example: str, engine: str | None = None) -> Workload:
    workload = load_workload(ROOT / "examples" / example)
    if engine is None:
        return workload
    return workload.model_copy(update={"constraints": workload.constraints.model_copy(update={"engine": engine})})


# (example, engine pinned or None, the line names written by hand for what the example is known to get)
CASES = [
    ("leaderboard.yaml", None, ["on-demand (Valkey)"]),
    ("leaderboard.yaml", "redis", ["on-demand (Redis OSS)"]),
    ("memcached_page_cache.yaml", None, ["on-demand (Memcached)"]),
    ("dev_test.yaml", None, ["Serverless data stored (Valkey)", "Serverless ECPUs (Valkey)"]),
]


@pytest.mark.parametrize(("example", "engine", "names"), CASES, ids=lambda c: str(c))
def test_every_format_names_the_engine_in_its_own_words(book: PriceBook, example: str, engine: str | None,
                                                        names: list[str]) -> None:
    rec = recommend(_workload(example, engine), book)
    report = build_report(rec, book, today=TODAY, include_charts=False)
    rendered = {
        "markdown": render_markdown(report),
        "html": render_html(report, interactive_charts=False),
        "pdf": " ".join(pdf_text(render_pdf(report)).split()),
    }
    for fmt, text in rendered.items():
        for name in names:
            assert name in text, (fmt, name)
        assert RAW_ID_IN_A_LABEL.findall(text) == [], fmt
    exported = json.loads(render_json(report))
    line_names = [line["name"] for line in exported["costs"]["lines"]]
    assert all(any(name in line for line in line_names) for name in names), line_names
    assert not any(RAW_ID_IN_A_LABEL.search(line) for line in line_names)


def test_a_multi_region_reservation_names_the_engine_and_each_region(book: PriceBook) -> None:
    rec = recommend(load_workload(ROOT / "examples" / "multi_region_catalog.yaml"), book)
    text = render_markdown(build_report(rec, book, today=TODAY, include_charts=False))
    assert RAW_ID_IN_A_LABEL.findall(text) == []
    assert "on-demand (Valkey)" in text
