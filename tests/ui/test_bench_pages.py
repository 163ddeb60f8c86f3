"""The reference pages bench_ui.py times the app against run and show what they claim to, so a bench figure
never compares the app with a page that fails or skips the advisor's work."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from advisor.pricing import load_price_book
from advisor.recommend import recommend
from advisor.workload import parse_workload
from ui.cached import EXAMPLES_DIR
from ui.forms import data_from_draft, draft_from_data
from ui.state import DEFAULT_PRESET

ROOT = Path(__file__).resolve().parents[2]


def headline_for(reads_per_sec: float) -> str:
    """The default preset with its average reads replaced, recommended by the advisor directly."""
    preset = next(data for path in sorted(EXAMPLES_DIR.glob("*.yaml"))
                  if (data := yaml.safe_load(path.read_text())).get("name") == DEFAULT_PRESET)
    draft = {**draft_from_data(preset)[0], "avg_reads_per_sec": reads_per_sec}
    return recommend(parse_workload(data_from_draft(draft)), load_price_book()).headline


def shown_headline(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Recommendation:**"))


@pytest.mark.parametrize("page", ["bench/advice_page.py", "bench/frame_page.py"])
def test_a_reference_page_recommends_for_the_typed_reads(page: str) -> None:
    at = AppTest.from_file(str(ROOT / page), default_timeout=60).run()
    assert not at.exception
    assert shown_headline(at) == f"**Recommendation:** {headline_for(60_000)}"
    at.number_input[0].set_value(2_000_000.0).run()
    assert not at.exception
    assert shown_headline(at) == f"**Recommendation:** {headline_for(2_000_000)}"
    assert headline_for(2_000_000) != headline_for(60_000)  # the change reaches the advice
    assert at.query_params["w"] == "2e+06"  # the URL carries the change, as bench_ui.py waits for


def test_the_frame_page_draws_the_apps_frame() -> None:
    at = AppTest.from_file(str(ROOT / "bench/frame_page.py"), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Workload"]
    assert [s.label for s in at.selectbox] == ["Start from a preset"]
    assert [e.label for e in at.expander] == ["Share these inputs"]
    assert any("Pricing as of" in c.value for c in at.sidebar.caption)
