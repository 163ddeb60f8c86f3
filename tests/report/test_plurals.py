"""Written for people: no "(s)" plurals anywhere a user reads the output (issue 13). Every example's report in
Markdown and HTML, the CLI's text answer, and the CLI's error for a workload with several bad fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from advisor.__main__ import main
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.render.text import render_text
from advisor.report.html import render_html
from advisor.report.markdown import render_markdown
from advisor.report.model import build_report
from advisor.workload import load_workload
from tests.report.conftest import ROOT, TODAY

EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))
# "word(s)" / "word(es)": a count whose noun does not agree with it. ("Time (s)" is a unit, not a plural.)
HEDGED_PLURAL = re.compile(r"[A-Za-z]\((s|es)\)")


def hedged(text: str) -> list[str]:
    return [text[max(0, m.start() - 60):m.end() + 20] for m in HEDGED_PLURAL.finditer(text)]


def test_the_pattern_finds_what_it_should() -> None:
    assert hedged("kept 7 day(s) and 2 Region(s)") and hedged("1 match(es)")
    assert not hedged("kept 7 days") and not hedged("Simulated time (s)")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT / "examples")))
def test_every_example_reads_without_hedged_plurals(book: PriceBook, path: Path) -> None:
    rec = recommend(load_workload(path), book)
    report = build_report(rec, book, today=TODAY, include_charts=False)
    for name, text in (("markdown", render_markdown(report)),
                       ("html", render_html(report, interactive_charts=False)),
                       ("cli", render_text(rec, str(path)))):
        assert hedged(text) == [], name


def test_the_cli_error_counts_invalid_fields_in_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = tmp_path / "one.yaml"
    one.write_text("dataset_gb: -1\n")
    several = tmp_path / "several.yaml"
    several.write_text("dataset_gb: -1\navg_reads_per_sec: -5\nregion: nowhere-1\n")
    assert main(["recommend", str(one)]) == 2
    err = capsys.readouterr().err
    assert "1 invalid field:" in err and hedged(err) == []
    assert main(["recommend", str(several)]) == 2
    err = capsys.readouterr().err
    assert "3 invalid fields:" in err and hedged(err) == []
