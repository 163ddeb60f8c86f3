"""The caching-patterns page, driven through Streamlit's AppTest: renders, reacts to inputs, shows tested code."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from advisor.patterns.catalog import pattern_by_id
from advisor.workload import parse_workload

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "patterns.py")
TIMEOUT = 60


def _page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=TIMEOUT)


def _table(at: AppTest) -> list[dict[str, str]]:
    return at.dataframe[0].value.to_dict("records")


def _input(at: AppTest, key: str):  # type: ignore[no-untyped-def]
    return next(widget for widget in at.number_input if widget.key == key)


def test_renders_without_exception_and_compares_every_mitigation() -> None:
    at = _page().run()
    assert not at.exception
    assert not at.error
    assert len(_table(at)) == 6
    assert len(at.get("plotly_chart")) == 4


def test_shows_the_tested_single_flight_code() -> None:
    at = _page().run()
    shown = [block.value.strip() for block in at.code]
    assert pattern_by_id("single_flight").code.strip() in shown
    assert any("nx=True" in c and "RELEASE_LOCK" in c for c in shown)


def test_changing_a_number_input_changes_the_results() -> None:
    at = _page().run()
    before = _table(at)
    _input(at, "patterns_request_rate").set_value(50_000).run()
    assert not at.exception
    after = _table(at)
    assert before != after
    assert before[0]["Peak DB reads/s"] != after[0]["Peak DB reads/s"]


def test_prefills_from_the_workload_in_session_state() -> None:
    at = _page()
    at.session_state["workload"] = parse_workload(
        {"name": "shop", "item_count": 40_000, "hot_set_percent": 50, "avg_reads_per_sec": 2_000,
         "peak_to_average": 3}
    )
    at.run()
    assert not at.exception
    assert _input(at, "patterns_request_rate").value == pytest.approx(6_000)
    assert _input(at, "patterns_key_count").value == 20_000
    assert any("shop" in caption.value for caption in at.caption)


def test_bad_input_names_the_field_instead_of_a_traceback() -> None:
    at = _page().run()
    # Each value is in range on its own, but 86,400 s of 0.1 s TTLs is beyond the simulator's bound.
    _input(at, "patterns_ttl_seconds").set_value(0.1)
    _input(at, "patterns_duration_seconds").set_value(86_400.0).run()
    assert not at.exception
    assert at.error and "simulated time / TTL" in at.error[0].value and "1,000" in at.error[0].value


def test_keys_beyond_the_bound_are_refused_beside_the_field_not_clamped() -> None:
    at = _page().run()
    _input(at, "patterns_key_count").set_value(5_000_000_000).run()
    assert not at.exception
    assert _input(at, "patterns_key_count").value == 5_000_000_000  # kept as typed
    assert "must be at most 1,000,000,000" in at.error[0].value
    assert not at.dataframe  # nothing simulated from a value the user did not type


def test_five_million_keys_are_simulated_on_a_sample_and_say_so() -> None:
    at = _page().run()
    _input(at, "patterns_key_count").set_value(5_000_000)
    _input(at, "patterns_ttl_seconds").set_value(1.0).run()
    assert not at.exception and not at.error
    assert any("of the 5,000,000 keys" in caption.value for caption in at.caption)
    assert len(_table(at)) == 6


def test_counts_are_integer_boxes_and_times_show_no_trailing_zeros() -> None:
    """Issue 13 §1: 120,000 reads/s and 1,000,000 keys read "120000" and "1000000" in their boxes, not
    "120000.00"; a TTL of 300 s reads "300" ("%g" is the shortest form). Peak reads: 60,000 x 2 = 120,000; keys:
    1,000,000 items x 100% hot = 1,000,000."""
    at = _page()
    at.session_state["workload"] = parse_workload(
        {"name": "shop", "item_count": 1_000_000, "hot_set_percent": 100, "avg_reads_per_sec": 60_000,
         "peak_to_average": 2})
    at.run()
    assert not at.exception
    for key, value in (("patterns_request_rate", 120_000), ("patterns_key_count", 1_000_000),
                       ("patterns_refresh_keys", 100), ("patterns_seed", 0)):
        box = _input(at, key)
        assert (box.value, type(box.value), box.proto.format) == (value, int, "%d"), key
    for key in ("patterns_ttl_seconds", "patterns_refill_latency_ms", "patterns_duration_seconds", "patterns_beta"):
        assert _input(at, key).proto.format == "%g", key
