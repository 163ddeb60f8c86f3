"""A floor for bench_ui.py: the advice-only page (bench/advice_page.py) inside the app's frame, and nothing of the
Workload form. The same navigation (ui/navigation.py, the Workload entry drawn by this file), the same pricing
sidebar, the Workload page's heading, caption, preset picker, Import YAML popover and Share expander; then, in a
fragment as in the app, the bordered recommendation box and the one input, validated and recommended on each
change. What the app takes beyond this page is its form's cost; what this page takes beyond the advice-only
page is what any page in the app's frame pays for Streamlit's navigation and controls."""

from __future__ import annotations

import sys
from typing import Any

import streamlit as st

from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.workload import parse_workload
from ui import cached
from ui.forms import data_from_draft, draft_from_data
from ui.layout import pricing_sidebar
from ui.navigation import PAGES, ROOT
from ui.state import DEFAULT_PRESET, View


@st.fragment
def advice(book: PriceBook, draft: dict[str, Any]) -> None:
    value = st.number_input("Average reads/s", value=60_000.0, step=1_000.0)
    st.query_params["w"] = f"{value:g}"
    rec = recommend(parse_workload(data_from_draft({**draft, "avg_reads_per_sec": value})), book)
    with st.container(border=True):
        st.markdown(f"**Recommendation:** {rec.headline}")


def workload_page() -> None:
    st.title("Workload")
    st.caption("Describe what the cache must hold and serve; the advisor decides what to build. Inputs from the "
               "defaults. Each (?) gives a field's meaning and default.")
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox("Start from a preset", list(cached.presets()), index=None, placeholder="Choose a preset…")
        st.popover("Import YAML", icon=":material/upload:")
    st.expander("Share these inputs", icon=":material/link:")
    advice(cached.price_book(), draft)


sys.setswitchinterval(0.0005)  # as app.py sets it
st.set_page_config(page_title="ElastiCache advisor", page_icon="🗄️", layout="wide")
# The app's own caches: the price book and the presets, loaded once per process.
draft = draft_from_data(cached.presets()[DEFAULT_PRESET])[0]
pricing_sidebar(cached.price_book(), View(workload=parse_workload(data_from_draft(draft)), recommendation=None))
sections: dict[str, list[st.Page]] = {}
for spec in PAGES:
    page = (st.Page(workload_page, title=spec.title, icon=spec.icon, default=True, url_path="workload")
            if spec.default else st.Page(ROOT / spec.path, title=spec.title, icon=spec.icon))
    sections.setdefault(spec.section, []).append(page)
st.navigation(sections).run()
