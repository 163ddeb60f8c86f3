"""ElastiCache advisor — router: page config, session seeded once, inputs validated, pricing in the sidebar,
then the page the user chose. Run with `streamlit run app.py`.

Pages are listed explicitly (st.navigation does not discover pages/). Adding a page is one line in PAGES; a
page whose file is not there yet is left out, so the navigation never shows an empty placeholder.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from ui import cached, router, state
from ui.layout import pricing_sidebar

ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    section: str
    path: str
    title: str
    icon: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("Design", "pages/workload.py", "Workload", ":material/tune:", default=True),
    PageSpec("Design", "pages/recommendation.py", "Recommendation", ":material/recommend:"),
    PageSpec("Design", "pages/costs.py", "Costs", ":material/payments:"),
    PageSpec("Design", "pages/compare.py", "Compare", ":material/compare_arrows:"),
    PageSpec("Design", "pages/commands.py", "Commands", ":material/terminal:"),
    PageSpec("Design", "pages/decisions.py", "Decisions & plan", ":material/timeline:"),
    PageSpec("Build & run", "pages/patterns.py", "Caching patterns", ":material/cached:"),
    PageSpec("Build & run", "pages/live.py", "Live clusters", ":material/monitor_heart:"),
    PageSpec("Build & run", "pages/fleet.py", "Fleet review", ":material/query_stats:"),
    PageSpec("Build & run", "pages/report.py", "Report", ":material/description:"),
)


def navigation() -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        if (ROOT / spec.path).is_file():
            sections.setdefault(spec.section, []).append(
                st.Page(spec.path, title=spec.title, icon=spec.icon, default=spec.default))
    return sections


# The script thread and the server's event loop share the GIL, and every element drawn wakes the loop: with
# Python's default 5 ms switch interval the script waited up to 5 ms per element to get the GIL back (a
# profile of a form rerun under load: 5.8 ms per element in the event loop's wake-up call, 166 ms per rerun;
# 29 ms with 0.5 ms). Latency matters more here than the throughput of CPU-bound threads.
sys.setswitchinterval(0.0005)
# An emoji icon becomes an inline data: URL; a ":material/..." one is fetched from fonts.gstatic.com on every visit.
st.set_page_config(page_title="ElastiCache advisor", page_icon="🗄️", layout="wide")
router.restore_query_params()
book = cached.price_book()
state.init_once(st.query_params.get(state.LINK_PARAM))
view = state.evaluate()
state.keep_link_in_url()  # the Workload form's fragment keeps it too, on its own reruns
pricing_sidebar(book, view)
page = st.navigation(navigation())
router.reopen_pending_page()
page.run()
