"""The Report page through AppTest: four download buttons, the example by default, the session's workload else."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from advisor.workload import load_workload

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "report.py")
TIMEOUT = 60


def _buttons(at: AppTest) -> dict[str, object]:
    return {button.key: button for button in at.get("download_button")}


def test_standalone_page_offers_every_format_for_the_example() -> None:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    assert set(_buttons(at)) == {f"report.download.{fmt}" for fmt in ("md", "html", "pdf", "json")}
    assert "API response cache" in at.subheader[0].value
    assert at.info  # says it is showing an example


def test_uses_the_workload_on_screen_and_escapes_its_name() -> None:
    workload = load_workload(ROOT / "examples" / "session_store.yaml").with_changes(name="<b>$x$</b> sessions")
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["workload"] = workload
    at.run()
    assert not at.exception and not at.error
    assert not at.info
    assert "\\<b\\>\\$x\\$\\</b\\> sessions" in at.subheader[0].value
    preview = at.code[0].value
    assert preview.startswith("# ElastiCache recommendation")
    assert "cache.m6g.large" in preview
