"""Every hostile file as an upload, and every link-sized one as a crafted `w` link, through AppTest: the page
keeps working, a message names the field, no exception reaches the screen, and no user text turns into a
link, an image or HTML in the app's own boxes."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from advisor.workload_link import decode_workload_link
from tests.hostile.corpus import CASES, EVIL, LINK_CASES, Case, link_token
from tests.ui.conftest import open_import, open_page, router_app, shown
from ui import state

MakeApp = Callable[[], AppTest]
__all__ = ["router_app"]  # the fixture, shared with tests/ui

warnings.filterwarnings("ignore", message=".*ScriptRunContext.*")


def messages(at: AppTest) -> list[str]:
    return [str(e.value) for e in [*at.error, *at.warning]]


def assert_inert(markdown: str) -> None:
    """The Markdown the app renders holds no link, image or HTML that user text could have created."""
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<a " not in html and "<img" not in html, markdown
    assert not re.search(r"(?i)\b(https?|www)(?=[:.])", markdown.replace("\\", "")), markdown  # no bare autolink


def assert_named(at: AppTest, case: Case, whole: str = "file") -> None:
    """A message names the case's field; refusals of the whole document name `whole` (file, or link)."""
    assert not at.exception, [e.value for e in at.exception]
    field = whole if case.field == "file" else case.field
    named = [m for m in messages(at) if field in shown(m)]
    assert named, (case.id, messages(at))
    for message in messages(at):
        assert_inert(message)
        assert "AKIAIOSFODNN7EXAMPLE" not in message and "hunter2" not in message


def test_every_hostile_upload_is_named_and_the_page_keeps_working(router_app: MakeApp) -> None:
    at = open_import(open_page(router_app))  # the uploader is in the "Import YAML" popover
    for case in CASES:
        at.file_uploader(key=state.UPLOAD_WIDGET).upload(case.filename, case.data, "application/octet-stream").run()
        assert_named(at, case)
        # The last valid recommendation stays on screen, and the share link never carries a secret.
        assert any("ecommendation:**" in m.value for m in at.markdown), case.id
        token = at.query_params.get(state.LINK_PARAM, "")
        carried = str(decode_workload_link(token[0] if isinstance(token, list) else token)) if token else ""
        assert "AKIAIOSFODNN7EXAMPLE" not in carried and "hunter2" not in carried, case.id
        at.selectbox(key=state.PRESET_WIDGET).set_value("Game leaderboard").run()  # back to a clean start


@pytest.mark.parametrize("case", LINK_CASES, ids=lambda c: c.id)
def test_every_crafted_link_falls_back_or_names_the_field(router_app: MakeApp, case: Case) -> None:
    at = router_app()
    at.query_params[state.LINK_PARAM] = link_token(case)
    at.run()
    assert_named(at, case, whole="link")
    assert at.text_input(key="wl.name").value  # the form is there, with a name
    assert "AKIAIOSFODNN7EXAMPLE" not in str(at.query_params.get(state.LINK_PARAM, ""))
    # Every page still opens after the crafted link.
    for page in ("recommendation", "costs", "commands", "report"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (case.id, page)


def test_markdown_in_keys_and_values_is_shown_as_text(router_app: MakeApp) -> None:
    case = next(c for c in LINK_CASES if c.id == "markdown-everywhere")
    at = router_app()
    at.query_params[state.LINK_PARAM] = link_token(case)
    at.run()
    text = "\n".join(shown(m) for m in messages(at))
    assert f"https://{EVIL}/key.png" in text.replace("\u2060", "")  # shown literally, as typed
    for element in [*at.markdown, *at.caption, *at.error, *at.warning, *at.info]:
        assert_inert(str(element.value))
