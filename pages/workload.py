"""Workload: every trait of the model, grouped, with presets, YAML import/export and a shareable link."""

from __future__ import annotations

import copy

import streamlit as st

from advisor.commands.aws_cli import cluster_id_from_name
from advisor.wording import count_noun
from ui import cached, state
from ui.forms import GROUP_CHOICES, GROUPS, group_title, render_groups
from ui.layout import describe_problem, problems_notice, sidebar_facts
from ui.router import hand_over_to_router
from ui.tables import monthly_label
from ui.text import plain

hand_over_to_router("pages/workload.py")

book = cached.price_book()
DEFAULT_GROUP = next(iter(GROUPS))

st.title("Workload")
st.caption("Describe what the cache must hold and serve; the advisor decides what to build. "
           f"Inputs from {plain(state.load_source() or 'the defaults')}. Each (?) gives a field's meaning and "
           "default.")

with st.container(horizontal=True, vertical_alignment="bottom"):
    st.selectbox("Start from a preset", list(cached.presets()), index=None, placeholder="Choose a preset…",
                 key=state.PRESET_WIDGET, on_change=state.load_preset_from_widget)
    # The uploader is drawn only while its popover is open: it would otherwise load on every first visit.
    import_yaml = st.popover("Import YAML", icon=":material/upload:", key=state.IMPORT_POPOVER, on_change="rerun")
    if import_yaml.open:
        with import_yaml:
            st.file_uploader("Import YAML", type=["yaml", "yml", "json"], key=state.UPLOAD_WIDGET,
                             on_change=state.load_upload_from_widget)

if state.load_problems():
    lines = "\n".join(f"- {describe_problem(p)}" for p in state.load_problems())
    st.warning(f"Some inputs from {plain(state.load_source())} were not used:\n{lines}", icon=":material/warning:")


# Outside the form's fragment, so a field change does not redraw it; its link is drawn only while it is open.
# Opening it reruns the app, and the fragment reruns the app too when the inputs change while it is open, so
# the link shown is always the address bar's.
share = st.expander("Share these inputs", icon=":material/link:", key=state.SHARE_EXPANDER, on_change="rerun")
state.remember_shared_link(state.share_token() if share.open else None)
if share.open:
    with share:
        base_url = (st.context.url or "").split("?", 1)[0]
        st.caption("The address bar always holds the current inputs; this link reopens them in a new session.")
        st.code(f"{base_url}?{state.LINK_PARAM}={state.share_token()}", language=None, wrap_lines=True)


@st.fragment
def inputs() -> None:
    """The recommendation line, the export and the form: a field change reruns only this part (each element
    drawn costs every rerun, in the server and in the browser, so it draws as few as it can), and the whole
    app when something drawn outside it changes with the inputs (the sidebar's Region, name and problem
    count; the share link while it is open)."""
    view = state.get_view()
    if not state.sidebar_is_current(sidebar_facts(view)) or state.shared_link_is_stale():
        st.rerun()
    state.keep_link_in_url()
    draft = state.get_draft()

    rec = view.recommendation
    with st.container(border=True):
        if rec is not None:
            prefix = "Recommendation" if view.is_current else "Last valid recommendation"
            # One element: the figures are a small grey paragraph of the same Markdown, not a caption of their own.
            figures = ""
            if rec.costs is not None:
                figures = (f"\n\n:small[:gray[Monthly {monthly_label(rec)} · 3 years "
                           f"${rec.costs.total_over(36):,.2f} · {count_noun(len(rec.conflicts), 'conflict')}, "
                           f"{count_noun(len(rec.warnings), 'warning')} — details on the Recommendation page]]")
            st.markdown(f"**{prefix}:** {rec.headline}{figures}")
        # The YAML is written when the button is clicked (on Streamlit's download thread, from this run's
        # inputs), not on every rerun.
        inputs_now = copy.deepcopy(draft)
        st.download_button("Export YAML", lambda: state.export_yaml(view, inputs_now)[0],
                           file_name=f"{cluster_id_from_name(str(draft.get('name', '')))}.yaml",
                           mime="application/x-yaml", on_click="ignore", help=state.export_note(view),
                           icon=":material/download:", width="content")
    problems_notice(view.problems, stale=rec is not None)

    state.shown_group(DEFAULT_GROUP)  # seeds the picker
    shown = st.radio("Fields", GROUP_CHOICES, horizontal=True, key=state.GROUP_WIDGET,
                     format_func=lambda group: group_title(group, view.problems), on_change=state.on_group_change)
    render_groups(shown, draft, book.regions, state.on_field_change, view.problems)


inputs()
