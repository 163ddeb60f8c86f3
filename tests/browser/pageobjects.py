"""How the tests and the benchmark read and drive the app in Chromium (one place for the selectors)."""

from __future__ import annotations

import re
from typing import Any

from ui.forms import first_field_label

WAIT_MS = 30_000  # every wait is bounded: a hung server fails the test instead of hanging it
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def wait_idle(page: Any, timeout: int = WAIT_MS) -> None:
    """Until Streamlit has finished the current script run."""
    page.wait_for_selector(IDLE, timeout=timeout)


def wait_rendered(page: Any, timeout: int = WAIT_MS) -> None:
    """Until the run is over and no lazily loaded element is still a grey placeholder (before a screenshot)."""
    wait_idle(page, timeout)
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stSkeleton'], [data-testid='stSkeletonElement']\")",
        timeout=timeout,
    )


def headline(page: Any, timeout: int = WAIT_MS) -> str:
    """The live recommendation line on the Workload page, once it is rendered."""
    locator = page.locator("[data-testid='stMarkdownContainer'] p", has_text="ecommendation:").first
    locator.wait_for(state="visible", timeout=timeout)
    return str(locator.inner_text())


def open_app(page: Any, url: str, timeout: int = WAIT_MS) -> str:
    page.goto(url, timeout=timeout)
    text = headline(page, timeout)
    wait_idle(page, timeout)
    return text


def choose_preset(page: Any, name: str, timeout: int = WAIT_MS) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text="Start from a preset").click(timeout=timeout)
    page.get_by_role("option", name=name, exact=True).click(timeout=timeout)


def set_number(page: Any, label: str, value: str, timeout: int = WAIT_MS) -> None:
    """Type into a number input and commit it with Enter, as a user would."""
    field = page.get_by_label(label, exact=True)
    field.fill(value, timeout=timeout)
    field.press("Enter", timeout=timeout)


def wait_for_rerun_after(page: Any, old_search: str, timeout: int = WAIT_MS) -> None:
    """Until the URL carries new inputs (the server has taken the change) and the run has finished."""
    page.wait_for_function(
        "([old, idle]) => window.location.search !== old && document.querySelector(idle) !== null",
        arg=[old_search, IDLE], timeout=timeout, polling="raf",
    )


def search(page: Any) -> str:
    return str(page.evaluate("window.location.search"))


def go_to(page: Any, nav_title: str, heading: str, timeout: int = WAIT_MS) -> None:
    """Click a page in the sidebar navigation and wait for its heading and the end of its run."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=nav_title).click(timeout=timeout)
    page.get_by_role("heading", level=1).filter(has_text=heading).first.wait_for(timeout=timeout)
    wait_rendered(page, timeout)


def show_group(page: Any, group: str, timeout: int = WAIT_MS) -> None:
    """Show one group of the Workload form (the form draws one group at a time; "All fields" draws them all)."""
    picker = page.get_by_test_id("stRadio").filter(has_text="Fields")
    picker.get_by_text(re.compile(rf"^{re.escape(group)}( — \d+ problems?)?$")).click(timeout=timeout)
    page.get_by_label(first_field_label(group), exact=True).first.wait_for(timeout=timeout)
    wait_idle(page, timeout)
