"""AppTest: the Workload form's finer Serverless inputs and the new workload traits reach the advisor."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import open_page, page_text, show_fields

DRAFT = "workload.draft"


def test_command_mix_typed_in_the_form_is_parsed_and_priced(router_app: Callable[[], AppTest]) -> None:
    at = open_page(router_app)
    show_fields(at, "command_mix").text_input(key="wl.command_mix").set_value("GET 50% 1x, SORT 50% 3x").run()
    show_fields(at, "items_per_read").number_input(key="wl.items_per_read").set_value(4).run()
    assert at.session_state[DRAFT]["command_mix"] == "GET 50% 1x, SORT 50% 3x"
    assert at.session_state[DRAFT]["items_per_read"] == 4
    assert not at.exception
    assert "command_mix" not in page_text(at)  # valid: no problem shown against the field
    rec = at.session_state["workload.view"].recommendation
    w = rec.workload
    assert [k.name for k in w.command_mix] == ["GET", "SORT"] and w.items_per_read == 4
    # ECPUs per read = 0.5 x max(1, KB) + 0.5 x max(KB, 3), KB = bytes per read / 1,024; with no bytes per
    # read given, a read returns 4 values.
    kb = (w.avg_read_bytes if w.avg_read_bytes is not None else 4 * w.avg_value_bytes) / 1024
    assert rec.serverless_fit.ecpu.per_read == 0.5 * max(1, kb) + 0.5 * max(kb, 3)


def test_bad_command_mix_is_named_in_plain_words(router_app: Callable[[], AppTest]) -> None:
    at = open_page(router_app)
    show_fields(at, "command_mix").text_input(key="wl.command_mix").set_value("GET 60% 1x, SORT 30% 3x").run()
    text = page_text(at)
    assert "command_mix" in text and "add up to 90%" in text
    assert not at.exception


def test_new_traits_reach_the_recommendation(router_app: Callable[[], AppTest]) -> None:
    at = open_page(router_app)
    show_fields(at, "short_lived_clients").checkbox(key="wl.short_lived_clients").check().run()
    show_fields(at, "hot_key_count").number_input(key="wl.hot_key_count").set_value(3).run()
    show_fields(at, "hot_key_read_percent").number_input(key="wl.hot_key_read_percent").set_value(60.0).run()
    show_fields(at, "commitment_years").selectbox(key="wl.commitment_years").set_value(3).run()
    assert not at.exception
    rec = at.session_state["workload.view"].recommendation
    w = rec.workload
    assert (w.short_lived_clients, w.hot_key_count, w.hot_key_read_percent, w.commitment_years) == (True, 3, 60, 3)
    ids = {f.id for f in rec.findings}
    assert {"clients.short_lived", "clients.hot_keys"} <= ids
    assert ("pricing.commitment" if rec.deployment == "provisioned" else "pricing.commitment_serverless") in ids


def test_half_given_hot_keys_are_named(router_app: Callable[[], AppTest]) -> None:
    at = open_page(router_app)
    show_fields(at, "hot_key_count").number_input(key="wl.hot_key_count").set_value(3).run()
    text = page_text(at)
    assert "hot_key_read_percent" in text and "share of reads" in text
    assert not at.exception


def test_vector_search_feature_is_offered_and_rules_out_serverless(router_app: Callable[[], AppTest]) -> None:
    at = open_page(router_app)
    features = show_fields(at, "features").multiselect(key="wl.features")
    assert "vector_search" in features.options or "vector search" in features.options
    features.select("vector_search").run()
    assert not at.exception
    rec = at.session_state["workload.view"].recommendation
    assert rec.deployment == "provisioned"
    assert next(f for f in rec.findings if f.id == "engine.version").title == "Engine version: Valkey 9.0"
