"""The Compare page: named scenarios kept in the session and shown side by side."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.ui.by_hand import leaderboard_monthly, usd
from tests.ui.conftest import choose_preset, open_page, show_fields
from ui import state

MakeApp = Callable[[], AppTest]


def save(at: AppTest, name: str) -> AppTest:
    at.switch_page("pages/compare.py").run()
    at.text_input(key="compare.name").set_value(name)
    at.button[0].click().run()  # the form's submit button
    return at


def test_two_scenarios_side_by_side(router_app: MakeApp) -> None:
    at = save(open_page(router_app), "today")
    at.switch_page("pages/workload.py").run()
    show_fields(at, "dataset_gb").number_input(key="wl.dataset_gb").set_value(250.0).run()
    at = save(at, "ten times the data")
    assert not at.exception
    assert list(at.session_state[state.SCENARIOS]) == ["today", "ten times the data"]
    table = at.table[0].value
    assert list(table.columns) == ["today", "ten times the data"]
    assert table.loc["Monthly (chosen)", "today"] == usd(leaderboard_monthly())
    assert table.loc["Monthly (chosen)", "today"] != table.loc["Monthly (chosen)", "ten times the data"]
    differences = at.table[1].value
    assert list(differences.index) == ["Dataset size (GB)"]  # the form's label, not the field name
    assert len(at.get("plotly_chart")) == 1


def test_scenarios_survive_page_changes_and_load_back_into_the_form(router_app: MakeApp) -> None:
    at = save(choose_preset(open_page(router_app), "Session store"), "sessions")
    at = choose_preset(at, "Dev test cache")
    at.switch_page("pages/compare.py").run()
    at.button(key="compare.load.sessions").click().run()
    at.switch_page("pages/workload.py").run()
    assert not at.exception
    assert at.text_input(key="wl.name").value == "Session store"


def test_invalid_inputs_cannot_be_saved(router_app: MakeApp) -> None:
    at = open_page(router_app)
    show_fields(at, "dataset_gb").number_input(key="wl.dataset_gb").set_value(-1.0).run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert at.button[0].disabled
    assert any("`dataset_gb`" in e.value for e in at.error)


def test_inputs_that_differ_use_the_forms_labels_and_words() -> None:
    """Issue 13: no raw field names or mappings ({'engine': None, ...}); constraints compare one by one."""
    from advisor.workload import parse_workload
    from ui.tables import input_differences_frame

    base = parse_workload({"dataset_gb": 5, "name": "team_cache"})
    pinned = parse_workload({"dataset_gb": 5000, "name": "team_cache", "encryption_at_rest": False,
                             "features": ["hashes", "sorted_sets"], "constraints": {"engine": "redis", "shards": 2},
                             "command_mix": "GET 70% 1x, SORT 30% 3x"})
    frame = input_differences_frame({"today": base, "pinned": pinned})
    assert frame.to_dict(orient="index") == {
        "Dataset size (GB)": {"today": "5", "pinned": "5,000"},
        "Command mix": {"today": "—", "pinned": "GET 70% 1x, SORT 30% 3x"},
        "Features needed": {"today": "simple GET/SET", "pinned": "hashes, sorted sets"},
        "Encryption at rest": {"today": "yes", "pinned": "no"},
        "Engine (must)": {"today": "advisor decides", "pinned": "Redis OSS"},
        "Shards (must)": {"today": "advisor decides", "pinned": "2"},
    }


def test_choices_that_differ_read_as_the_form_shows_them() -> None:
    """Deployment, availability, auth and traffic shape in people's words, not their ids ('serverless', 'multi_az')."""
    from advisor.workload import parse_workload
    from ui.tables import input_differences_frame

    base = parse_workload({"dataset_gb": 5, "name": "team_cache", "availability": "none", "auth": "auth_token"})
    other = parse_workload({"dataset_gb": 5, "name": "team_cache", "availability": "multi_az", "auth": "rbac",
                            "traffic_shape": "dev_test", "constraints": {"deployment": "serverless"}})
    rows = input_differences_frame({"today": base, "other": other}).to_dict(orient="index")
    shown = {row["other"] for row in rows.values()}
    assert {"Multi-AZ", "RBAC (users and a user group)", "dev/test", "Serverless"} <= shown, rows
    assert {row["today"] for row in rows.values()} >= {"none", "AUTH token", "steady", "advisor decides"}, rows
