"""The Workload page through AppTest: presets, every field, inline problems, import/export and shared links."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from streamlit.testing.v1 import AppTest

from advisor.pricing import load_price_book
from advisor.workload import Constraints, Preferences, Workload, load_workload, loads_workload
from advisor.workload_link import encode_workload_link
from tests.ui.by_hand import leaderboard_monthly, usd
from tests.ui.conftest import choose_preset, open_import, open_page, page_text, show_fields, shown
from ui import state
from ui.forms import ALL_FIELDS, SPECS

MakeApp = Callable[[], AppTest]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def headline(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "ecommendation:**" in m.value)


def test_opens_on_the_default_preset_with_a_hand_checked_monthly_cost(router_app: MakeApp) -> None:
    at = open_page(router_app)
    assert not at.exception
    # Leaderboard: 1 shard x (primary + replica) of cache.r8g.2xlarge Valkey in us-east-1:
    # 2 nodes x $/h from on_demand.csv x 730 h.
    expected = usd(leaderboard_monthly())  # nodes + snapshot storage
    assert "cache.r8g.2xlarge" in headline(at) and "2 nodes" in headline(at)
    assert expected in headline(at)
    assert f"Monthly {expected}" in page_text(at)


def test_every_model_field_has_a_widget_with_the_models_help(router_app: MakeApp) -> None:
    at = open_page(router_app)
    at.radio(key=state.GROUP_WIDGET).set_value(ALL_FIELDS).run()
    widgets = {w.key: w for kind in ("number_input", "selectbox", "multiselect", "checkbox", "text_input")
               for w in getattr(at, kind) if w.key and w.key.startswith("wl.")}
    sections = {"constraints": Constraints, "preferences": Preferences}
    assert set(widgets) == ({f"wl.{name}" for name in Workload.model_fields if name not in sections}
                            | {f"wl.{s}.{name}" for s, model in sections.items() for name in model.model_fields})
    for spec in SPECS:
        section, _, inner = spec.name.rpartition(".")
        description = (sections[section].model_fields[inner] if section else Workload.model_fields[inner]).description
        assert description and description.rstrip(".") in widgets[spec.widget_key].help
        assert "Default:" in widgets[spec.widget_key].help


def test_region_choices_are_the_priced_regions(router_app: MakeApp) -> None:
    at = open_page(router_app)
    assert at.selectbox(key="wl.region").options == load_price_book().regions


def test_choosing_a_preset_changes_the_recommendation(router_app: MakeApp) -> None:
    at = choose_preset(open_page(router_app), "Dev test cache")
    assert not at.exception
    assert "Serverless" in headline(at)
    assert show_fields(at, "dataset_gb").number_input(key="wl.dataset_gb").value == 0.5


def test_changing_a_value_updates_the_recommendation(router_app: MakeApp) -> None:
    at = open_page(router_app)
    before = headline(at)
    show_fields(at, "avg_reads_per_sec").number_input(key="wl.avg_reads_per_sec").set_value(600_000.0).run()
    assert not at.exception
    assert headline(at) != before
    # The draft, not only the widget, holds the value, so it survives page changes.
    assert at.session_state[state.DRAFT]["avg_reads_per_sec"] == 600_000.0


def test_invalid_value_names_the_field_keeps_the_input_and_the_last_recommendation(router_app: MakeApp) -> None:
    at = open_page(router_app)
    before = headline(at)
    show_fields(at, "dataset_gb").number_input(key="wl.dataset_gb").set_value(-5.0).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("`dataset_gb`" in e and "must be 0 or more GB; got -5 GB" in shown(e) for e in errors)  # the notice
    assert "Must be 0 or more GB; got -5 GB" in [shown(e) for e in errors]  # under the field: the reason alone
    assert "Last valid recommendation" in headline(at)
    assert before.split("**", 2)[2] in headline(at)  # same recommendation text as before the bad value
    # The bad input survives a visit to another page.
    at.switch_page("pages/costs.py").run()
    assert not at.exception
    assert any("invalid input" in e.value for e in at.error)
    at.switch_page("pages/workload.py").run()
    assert show_fields(at, "dataset_gb").number_input(key="wl.dataset_gb").value == -5.0


def test_cross_field_problem_names_its_field(router_app: MakeApp) -> None:
    at = open_page(router_app)
    show_fields(at, "availability").selectbox(key="wl.availability").set_value("multi_region").run()
    assert not at.exception
    assert any("`secondary_regions`" in e.value and "at least one secondary Region" in e.value for e in at.error)
    show_fields(at, "peak_reads_per_sec").number_input(key="wl.peak_reads_per_sec").set_value(10.0).run()
    assert any("`peak_reads_per_sec`" in e.value and "below the average" in e.value for e in at.error)


def test_clearing_a_required_number_is_a_named_problem_not_a_crash(router_app: MakeApp) -> None:
    at = open_page(router_app)
    show_fields(at, "avg_reads_per_sec").number_input(key="wl.avg_reads_per_sec").set_value(None).run()
    assert not at.exception
    assert any("`avg_reads_per_sec`" in e.value for e in at.error)


def test_the_url_carries_the_inputs_and_a_shared_link_reopens_them(router_app: MakeApp) -> None:
    at = choose_preset(open_page(router_app), "Product catalog")
    token = at.query_params[state.LINK_PARAM]
    token = token[0] if isinstance(token, list) else token

    fresh = router_app()
    fresh.query_params[state.LINK_PARAM] = token
    fresh.run()
    assert not fresh.exception
    assert fresh.text_input(key="wl.name").value == "Product catalog"
    assert show_fields(fresh, "secondary_regions").multiselect(key="wl.secondary_regions").value == ["eu-west-1"]
    assert headline(fresh) == headline(at)


def test_a_link_for_a_custom_workload_restores_every_field(router_app: MakeApp) -> None:
    workload = load_workload(EXAMPLES / "session_store.yaml").with_changes(avg_reads_per_sec=12_345, auth="iam")
    at = router_app()
    at.query_params[state.LINK_PARAM] = encode_workload_link(workload.model_dump(mode="json"))
    at.run()
    assert show_fields(at, "avg_reads_per_sec").number_input(key="wl.avg_reads_per_sec").value == 12_345
    assert show_fields(at, "auth").selectbox(key="wl.auth").value == "iam"
    assert show_fields(at, "item_count").number_input(key="wl.item_count").value == 2_000_000


def test_a_damaged_link_is_reported_and_the_default_preset_loads(router_app: MakeApp) -> None:
    at = router_app()
    at.query_params[state.LINK_PARAM] = "not-a-real-link"
    at.run()
    assert not at.exception
    assert any("`link`" in w.value and "damaged" in w.value for w in at.warning)
    assert "Recommendation:**" in headline(at)


def test_importing_yaml_fills_the_form(router_app: MakeApp) -> None:
    at = open_page(router_app)
    text = (EXAMPLES / "pubsub_chat.yaml").read_bytes()
    open_import(at).file_uploader(key=state.UPLOAD_WIDGET).upload("chat.yaml", text, "application/x-yaml").run()
    assert not at.exception
    assert at.text_input(key="wl.name").value == "Pub/sub chat"
    assert show_fields(at, "features").multiselect(key="wl.features").value == ["pubsub", "lists", "hashes"]


def test_importing_a_file_with_a_bad_value_keeps_the_rest_and_names_the_field(router_app: MakeApp) -> None:
    at = open_page(router_app)
    bad = b"name: Broken\ndataset_gb: 10\nsnapshot_retention_days: 99\nnot_a_field: 1\n"
    open_import(at).file_uploader(key=state.UPLOAD_WIDGET).upload("bad.yaml", bad, "application/x-yaml").run()
    assert not at.exception
    assert at.text_input(key="wl.name").value == "Broken"
    assert any("`snapshot_retention_days`" in e.value for e in at.error)
    assert any("`not_a_field`" in w.value and "unknown field" in w.value for w in at.warning)


def test_importing_something_that_is_not_yaml_leaves_the_inputs_alone(router_app: MakeApp) -> None:
    at = open_page(router_app)
    uploader = open_import(at).file_uploader(key=state.UPLOAD_WIDGET)
    uploader.upload("bad.yaml", b"name: [unclosed", "application/x-yaml").run()
    assert not at.exception
    assert at.text_input(key="wl.name").value == "Game leaderboard"
    assert any("`file`" in w.value and "not valid YAML" in w.value for w in at.warning)


def test_export_is_the_validated_workload_and_reimports_identically(router_app: MakeApp) -> None:
    at = choose_preset(open_page(router_app), "Session store")
    text, what = state.export_yaml(at.session_state[state.VIEW], at.session_state[state.DRAFT])
    assert what == "The validated workload"
    assert loads_workload(text) == load_workload(EXAMPLES / "session_store.yaml")


def test_export_of_invalid_inputs_keeps_them_as_typed(router_app: MakeApp) -> None:
    at = open_page(router_app)
    show_fields(at, "dataset_gb").number_input(key="wl.dataset_gb").set_value(-5.0).run()
    text, what = state.export_yaml(at.session_state[state.VIEW], at.session_state[state.DRAFT])
    assert what.startswith("The inputs as typed")
    assert yaml.safe_load(text)["dataset_gb"] == -5.0


def test_a_workload_applied_by_another_page_becomes_the_inputs(router_app: MakeApp) -> None:
    at = open_page(router_app)
    observed = load_workload(EXAMPLES / "api_response_cache.yaml").with_changes(name="observed prod cache")
    at.session_state[state.SHARED_WORKLOAD] = observed  # what Live clusters' "apply" does
    at.switch_page("pages/workload.py").run()
    assert not at.exception
    assert at.text_input(key="wl.name").value == "observed prod cache"
    assert at.session_state[state.VIEW].workload == observed


def test_a_region_without_bundled_prices_is_named_not_borrowed(router_app: MakeApp) -> None:
    at = router_app()
    at.query_params[state.LINK_PARAM] = encode_workload_link({"dataset_gb": 5, "region": "ap-southeast-6"})
    at.run()
    assert not at.exception
    assert at.selectbox(key="wl.region").value == "ap-southeast-6"  # kept visible, not silently replaced
    assert any("`region`" in e.value and "No bundled ElastiCache prices for ap-southeast-6" in shown(e.value)
               for e in at.error)


def test_the_secondary_region_selector_stops_at_two(router_app: MakeApp) -> None:
    at = open_page(router_app)
    show_fields(at, "availability").selectbox(key="wl.availability").set_value("multi_region").run()
    at.multiselect(key="wl.secondary_regions").set_value(["eu-west-1", "ap-southeast-2"]).run()  # same group
    assert not at.exception
    assert at.multiselect(key="wl.secondary_regions").proto.max_selections == 2  # Global Datastore's limit


def _form_keys(at: AppTest) -> set[str]:
    return {str(w.key) for kind in ("number_input", "selectbox", "multiselect", "checkbox", "text_input")
            for w in getattr(at, kind) if w.key and str(w.key).startswith("wl.")}


def test_the_form_draws_one_group_and_keeps_the_values_of_the_others(router_app: MakeApp) -> None:
    at = open_page(router_app)
    assert _form_keys(at) == {"wl.name", "wl.region"}  # the first group: Name & Region
    show_fields(at, "avg_reads_per_sec")
    assert _form_keys(at) == {"wl.traffic_shape", "wl.avg_reads_per_sec", "wl.avg_writes_per_sec",
                              "wl.peak_to_average", "wl.peak_reads_per_sec", "wl.peak_writes_per_sec"}
    at.number_input(key="wl.avg_reads_per_sec").set_value(123_456.0).run()
    at.radio(key=state.GROUP_WIDGET).set_value("Security").run()
    assert "wl.avg_reads_per_sec" not in _form_keys(at)
    assert at.session_state[state.DRAFT]["avg_reads_per_sec"] == 123_456.0  # kept while not drawn
    assert show_fields(at, "avg_reads_per_sec").number_input(key="wl.avg_reads_per_sec").value == 123_456.0
    # The shared link carries it too.
    token = at.query_params[state.LINK_PARAM]
    token = token[0] if isinstance(token, list) else token
    fresh = router_app()
    fresh.query_params[state.LINK_PARAM] = token
    fresh.run()
    assert show_fields(fresh, "avg_reads_per_sec").number_input(key="wl.avg_reads_per_sec").value == 123_456.0


def test_a_problem_in_a_group_not_shown_is_counted_on_its_name_and_named_in_the_notice(router_app: MakeApp) -> None:
    at = open_page(router_app)
    show_fields(at, "dataset_gb").number_input(key="wl.dataset_gb").set_value(-5.0).run()
    at.radio(key=state.GROUP_WIDGET).set_value("Traffic").run()
    assert not at.exception
    picker = at.radio(key=state.GROUP_WIDGET)
    assert "Dataset & growth — 1 problem" in picker.options
    assert "Traffic" in picker.options  # no count where there is no problem
    assert any("Dataset size (GB) (Dataset & growth)" in e.value and "`dataset_gb`" in e.value for e in at.error)
