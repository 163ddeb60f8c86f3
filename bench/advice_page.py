"""The floor under the app's widget change, for bench_ui.py: the bare page (bench/bare_page.py) plus the advisor's
own work for the same change and nothing else drawn. The typed value replaces the default preset's average
reads/s; the workload is validated, the recommendation computed (a new value each time, so nothing is cached)
and its headline shown. What the app takes beyond this page is the cost of its form and other elements."""

from __future__ import annotations

import streamlit as st

from advisor.recommend import recommend
from advisor.workload import parse_workload
from ui import cached
from ui.forms import data_from_draft, draft_from_data
from ui.state import DEFAULT_PRESET

# The app's own caches: the price book and the presets, loaded once per process.
book, draft = cached.price_book(), draft_from_data(cached.presets()[DEFAULT_PRESET])[0]
value = st.number_input("Average reads/s", value=60_000.0, step=1_000.0)
st.query_params["w"] = f"{value:g}"
workload = parse_workload(data_from_draft({**draft, "avg_reads_per_sec": value}))
st.markdown(f"**Recommendation:** {recommend(workload, book).headline}")
