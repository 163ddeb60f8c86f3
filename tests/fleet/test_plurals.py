"""The fleet review's exports are written for people too: no "(s)" plurals (issue 13)."""

from __future__ import annotations

from advisor.fleet.export import render_html, render_text
from advisor.fleet.review import FleetReview
from tests.report.test_plurals import hedged


def test_the_fleet_exports_read_without_hedged_plurals(example_review: FleetReview) -> None:
    assert hedged(render_text(example_review)) == []
    assert hedged(render_html(example_review)) == []
