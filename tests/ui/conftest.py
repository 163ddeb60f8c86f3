"""AppTest helpers for the router app.

Streamlit's AppTest builds a fresh PagesManager for every run and resets its class-level
`uses_pages_directory` flag first; because this project has a `pages/` folder the flag comes back True, and
from the second run on AppTest executes the page file alone, skipping app.py (the router). A real server
sets the flag to False for good the first time st.navigation runs. `router_app` restores that behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module


def shown(markdown: str) -> str:
    """What a reader sees of escaped Markdown: backslash escapes read and invisible word joiners dropped."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60


class _NavigationPages(PagesManager):
    """A PagesManager that behaves as after st.navigation's first call: never the legacy pages/ mode."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def router_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], AppTest]]:
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPages)

    def make() -> AppTest:
        return AppTest.from_file(APP, default_timeout=TIMEOUT)

    yield make
    PagesManager.uses_pages_directory = None


def page_text(at: AppTest) -> str:
    """Every piece of text a reader sees on the page, for substring checks."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success", "code"):
        parts += [str(element.value) for element in getattr(at, kind)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    parts += [str(e.label) for e in at.expander]
    return "\n".join(parts)


def open_page(make: Callable[[], AppTest], page: str | None = None) -> AppTest:
    """The router app after its first run, switched to `page` (e.g. "costs") when given."""
    at = make().run()
    if page is not None:
        at.switch_page(f"pages/{page}.py").run()
    return at


def show_fields(at: AppTest, field: str) -> AppTest:
    """Show the Workload form's group holding `field` (the form draws one group at a time), as a user would."""
    from ui import state
    from ui.forms import group_of

    picker = at.radio(key=state.GROUP_WIDGET)
    group = group_of(field)
    assert group is not None, f"{field} is in no group of the form"
    if picker.value != group:
        picker.set_value(group).run()
    return at


def open_import(at: AppTest) -> AppTest:
    """Open the Workload page's "Import YAML" popover, whose uploader is drawn only while it is open."""
    from ui import state

    at.session_state[state.IMPORT_POPOVER] = True
    return at.run()


def choose_preset(at: AppTest, name: str) -> AppTest:
    at.switch_page("pages/workload.py").run()
    at.selectbox(key="workload.preset").set_value(name).run()
    return at
