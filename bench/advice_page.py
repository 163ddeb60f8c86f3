"""The floor under the app's widget change, for bench_ui.py: the bare page (bench/bare_page.py) plus the advisor's
own work for the same change and nothing else drawn. The typed value replaces the default preset's average
reads/s; the workload is validated, the recommendation computed (a new value each time, so nothing is cached)
and its headline shown. What the app takes beyond this page is the cost of its form and other elements."""

from __future__ import annotations

from typing import Any

import streamlit as st
import yaml

from advisor.pricing import PriceBook, load_price_book
from advisor.recommend import recommend
from advisor.workload import parse_workload
from ui.cached import EXAMPLES_DIR
from ui.forms import data_from_draft, draft_from_data
from ui.state import DEFAULT_PRESET


@st.cache_resource(show_spinner=False)
def book_and_preset() -> tuple[PriceBook, dict[str, Any]]:
    """The price book and the app's default preset as form inputs, once per process (as the app caches them)."""
    preset = next(data for path in sorted(EXAMPLES_DIR.glob("*.yaml"))
                  if (data := yaml.safe_load(path.read_text())).get("name") == DEFAULT_PRESET)
    return load_price_book(), draft_from_data(preset)[0]


book, draft = book_and_preset()
value = st.number_input("Average reads/s", value=60_000.0, step=1_000.0)
st.query_params["w"] = f"{value:g}"
workload = parse_workload(data_from_draft({**draft, "avg_reads_per_sec": value}))
st.markdown(f"**Recommendation:** {recommend(workload, book).headline}")
