"""The Live cluster page with AppTest: renders, reads a real redis-server, and reports a wrong password clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REDIS_PASSWORD
from tests.support.redis_servers import RedisServer

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "live.py")


def _page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def _connect(at: AppTest, port: int, password: str) -> AppTest:
    at.text_input(key="redis_host").set_value("127.0.0.1")
    at.number_input(key="redis_port").set_value(port)
    at.text_input(key="redis_password").set_value(password)
    at.number_input(key="redis_sample").set_value(500)
    at.button(key="redis_connect").click().run()
    return at


def test_page_renders() -> None:
    at = _page()
    assert at.title[0].value == "Live cluster"
    assert len(at.tabs) == 2
    assert at.text_input(key="redis_password").proto.type == at.text_input(key="redis_password").proto.PASSWORD


@pytest.mark.redis
def test_connect_shows_key_count_and_applies_workload(redis_server_with_password: RedisServer) -> None:
    client = redis_server_with_password.client()
    client.flushall()
    client.mset({f"page:{i}": "x" * 64 for i in range(1234)})
    try:
        at = _connect(_page(), redis_server_with_password.port, REDIS_PASSWORD)
        assert not at.exception and not at.error
        keys = next(m for m in at.metric if m.label == "Keys")
        assert keys.value == "1,234"
        rendered = " ".join(str(e.value) for e in (*at.markdown, *at.caption, *at.subheader, *at.metric))
        assert REDIS_PASSWORD not in rendered
        # Memory by type and by key pattern, key sizes and TTLs as charts; tables with people's headers.
        assert len(at.get("plotly_chart")) == 4
        by_type = at.dataframe[0].value
        assert list(by_type.columns)[:3] == ["Type", "Keys (estimate)", "Memory (estimate)"]
        assert by_type.iloc[0]["Share of memory"] == "100.0%"  # one type only: every byte is a string's
        at.button(key="redis_apply").click().run()
        workload = at.session_state["workload"]
        assert workload.item_count == 1234
    finally:
        client.flushall()


@pytest.mark.redis
def test_wrong_password_is_a_message_not_an_exception(redis_server_with_password: RedisServer) -> None:
    at = _connect(_page(), redis_server_with_password.port, "wrong-password-xyz")
    assert not at.exception
    assert len(at.error) == 1 and "Authentication failed" in at.error[0].value
    assert "wrong-password-xyz" not in at.error[0].value


def _everything_shown(at: AppTest) -> str:
    parts = [str(e.value) for e in (*at.markdown, *at.caption, *at.subheader, *at.metric, *at.error, *at.warning,
                                     *at.info, *at.success)]
    return " ".join(parts)


@pytest.mark.redis
def test_apply_keeps_the_region_chosen_on_the_workload_page(redis_server_with_password: RedisServer) -> None:
    client = redis_server_with_password.client()
    client.flushall()
    client.mset({f"region:{i}": "x" * 64 for i in range(300)})
    try:
        at = _page()
        at.session_state["workload.draft"] = {"region": "eu-central-1"}
        at = _connect(at, redis_server_with_password.port, REDIS_PASSWORD)
        at.button(key="redis_apply").click().run()
        assert not at.exception
        assert at.session_state["workload"].region == "eu-central-1"
    finally:
        client.flushall()


@pytest.mark.redis
def test_url_with_a_password_in_the_host_field_never_shows_it(redis_server_with_password: RedisServer) -> None:
    at = _page()
    secret = "typed-in-the-url-9876"
    at.text_input(key="redis_host").set_value(f"redis://default:{secret}@127.0.0.1:{redis_server_with_password.port}")
    at.button(key="redis_connect").click().run()
    assert not at.exception
    assert "Authentication failed" in at.error[0].value  # the URL was read: its (wrong) password was tried
    assert secret not in _everything_shown(at)
    assert secret not in repr(at.session_state["live.redis"])


@pytest.mark.redis
def test_refused_probes_are_shown_and_never_applied(redis_server_with_password: RedisServer) -> None:
    client = redis_server_with_password.client()
    client.flushall()
    client.mset({f"acl:{i}": "x" * 64 for i in range(400)})
    client.execute_command("ACL", "SETUSER", "pagenomem", "on", f">{REDIS_PASSWORD}", "~*", "+@all", "-memory")
    try:
        at = _page()
        at.text_input(key="redis_username").set_value("pagenomem")
        at = _connect(at, redis_server_with_password.port, REDIS_PASSWORD)
        assert not at.exception
        assert any("refused" in w.value and "MEMORY USAGE" in w.value for w in at.warning)
        at.button(key="redis_apply").click().run()
        workload = at.session_state["workload"]
        # Not the estimate built from nothing (0 GB): INFO used_memory, with a warning that says so.
        assert workload.current_dataset_gb > 0
        assert any("not applied" in w.value for w in at.warning)
    finally:
        client.execute_command("ACL", "DELUSER", "pagenomem")
        client.flushall()


def test_a_url_in_the_host_field_fills_the_other_fields_and_leaves_the_plain_box() -> None:
    """The README's promise: a redis:// URL typed into Host fills the other fields; the password must not stay in
    the plain-text Host box (or its session key) where anyone looking at the screen reads it."""
    at = _page()
    at.text_input(key="redis_host").set_value("rediss://app%40team:p%3Ass-w0rd@cache.example.internal:6390/3").run()
    assert not at.exception
    assert at.text_input(key="redis_host").value == "cache.example.internal"
    assert at.number_input(key="redis_port").value == 6390
    assert at.number_input(key="redis_db").value == 3
    assert at.checkbox(key="redis_tls").value is True
    assert at.text_input(key="redis_username").value == "app@team"  # %40 decoded
    assert at.text_input(key="redis_password").value == "p:ss-w0rd"  # %3A decoded
    assert "p:ss-w0rd" not in str(at.session_state["redis_host"])


def test_a_url_that_cannot_be_read_keeps_no_password_in_the_host_box() -> None:
    at = _page()
    at.text_input(key="redis_host").set_value("redis://app:pa55-w0rd@cache.internal:99999").run()  # port too big
    assert not at.exception
    assert at.text_input(key="redis_host").value == "redis://app@cache.internal:99999"
    at.button(key="redis_connect").click().run()
    assert "could not be read" in at.error[0].value and "pa55-w0rd" not in _everything_shown(at)
