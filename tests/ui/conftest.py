"""AppTest helpers for the router app.

Streamlit's AppTest builds a fresh PagesManager for every run and resets its class-level
`uses_pages_directory` flag first; because this project has a `pages/` folder the flag comes back True, and
from the second run on AppTest executes the page file alone, skipping app.py (the router). A real server
sets the flag to False for good the first time st.navigation runs. `router_app` restores that behaviour.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

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
