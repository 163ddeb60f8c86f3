"""Hand a page over to the router when Streamlit ran it without app.py.

Streamlit keeps a legacy mode for apps with a `pages/` folder: until some script has called st.navigation,
a fresh server's first request for a deep link (say /costs) runs pages/costs.py alone, with an
auto-generated sidebar and none of app.py's set-up. Once st.navigation has run anywhere in the process, the
mode is off for good. Each page calls `hand_over_to_router` first: in that legacy run it remembers where the
visitor wanted to go (and the link's query parameters), switches to app.py, and app.py reopens the page.
"""

from __future__ import annotations

import streamlit as st

PENDING_PAGE = "router.pending_page"
PENDING_QUERY = "router.pending_query"


def _legacy_pages_mode() -> bool:
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode
        return False
    return bool(PagesManager.uses_pages_directory)


def hand_over_to_router(page_path: str) -> None:
    """Call at the top of a page with its path relative to app.py, e.g. "pages/costs.py"."""
    if not _legacy_pages_mode():
        return
    st.session_state[PENDING_PAGE] = page_path
    st.session_state[PENDING_QUERY] = st.query_params.to_dict()
    st.switch_page("app.py")


def restore_query_params() -> None:
    """In app.py before anything reads st.query_params: put back the deep link's parameters."""
    query = st.session_state.pop(PENDING_QUERY, None)
    if query:
        st.query_params.from_dict(query)


def reopen_pending_page() -> None:
    """In app.py right after st.navigation(...): go to the page the visitor asked for, if any."""
    page = st.session_state.pop(PENDING_PAGE, None)
    if page:
        st.switch_page(page)
