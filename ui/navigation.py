"""The app's pages, as listed in the sidebar navigation (st.navigation does not discover pages/).

Adding a page is one line in PAGES; a page whose file is not there yet is left out, so the navigation never
shows an empty placeholder. Kept apart from app.py so the benches can draw the same navigation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]


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
