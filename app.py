"""ElastiCache advisor — router: page config, session seeded once, inputs validated, pricing in the sidebar,
then the page the user chose (listed in ui/navigation.py). Run with `streamlit run app.py`."""

from __future__ import annotations

import sys

import streamlit as st

from ui import cached, router, state
from ui.layout import pricing_sidebar
from ui.navigation import navigation

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
