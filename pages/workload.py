"""Workload: every trait of the model, grouped, with presets, YAML import/export and a shareable link."""

from __future__ import annotations

import streamlit as st

from advisor.commands.aws_cli import cluster_id_from_name
from ui import cached, state
from ui.forms import GROUPS, render_group
from ui.layout import describe_problem, problems_notice
from ui.router import hand_over_to_router
from ui.tables import monthly_label
from ui.text import plain

hand_over_to_router("pages/workload.py")

view = state.get_view()
draft = state.get_draft()
book = cached.price_book()

st.title("Workload")
st.caption("Describe what the cache must hold and serve; the advisor decides what to build. "
           f"Inputs from {plain(state.load_source() or 'the defaults')}. Each (?) gives a field's meaning and "
           "default.")

preset_col, upload_col, export_col = st.columns([2, 2, 1], vertical_alignment="bottom")
with preset_col:
    st.selectbox("Start from a preset", list(cached.presets()), index=None, placeholder="Choose a preset…",
                 key=state.PRESET_WIDGET, on_change=state.load_preset_from_widget)
with upload_col:
    st.file_uploader("Import YAML", type=["yaml", "yml", "json"], key=state.UPLOAD_WIDGET,
                     on_change=state.load_upload_from_widget)
with export_col:
    exported, note = state.export_yaml(view, draft)
    st.download_button("Export YAML", exported, file_name=f"{cluster_id_from_name(str(draft.get('name', '')))}.yaml",
                       mime="application/x-yaml", on_click="ignore", help=note, icon=":material/download:")

if state.load_problems():
    lines = "\n".join(f"- {describe_problem(p)}" for p in state.load_problems())
    st.warning(f"Some inputs from {plain(state.load_source())} were not used:\n{lines}", icon=":material/warning:")

with st.container(border=True):
    rec = view.recommendation
    if rec is not None:
        prefix = "Recommendation" if view.is_current else "Last valid recommendation"
        st.markdown(f"**{prefix}:** {rec.headline}")
        if rec.costs is not None:
            st.caption(f"Monthly {monthly_label(rec)} · 3 years ${rec.costs.total_over(36):,.2f} · "
                       f"{len(rec.conflicts)} conflict(s), {len(rec.warnings)} warning(s) — details on the "
                       "Recommendation page")
    problems_notice(view.problems, stale=rec is not None)

base_url = (st.context.url or "").split("?", 1)[0]
with st.expander("Share these inputs", icon=":material/link:"):
    st.caption("The address bar always holds the current inputs; this link reopens them in a new session.")
    st.code(f"{base_url}?{state.LINK_PARAM}={state.share_token()}", language=None, wrap_lines=True)

for group in GROUPS:
    render_group(group, draft, book.regions, state.on_field_change, view.problems)
