"""Compare: named scenarios (today vs next year, one Region vs Global Datastore...) side by side."""

from __future__ import annotations

import streamlit as st

from ui import cached, charts, state
from ui.layout import problems_notice
from ui.router import hand_over_to_router
from ui.tables import input_differences_frame, monthly_label, scenario_frame
from ui.text import plain

hand_over_to_router("pages/compare.py")

NAME_WIDGET = "compare.name"
PICK_WIDGET = "compare.pick"


def save_current() -> None:
    view = state.get_view()
    name = (st.session_state.get(NAME_WIDGET) or "").strip()
    if name and view.is_current and view.workload is not None:
        state.save_scenario(name, view.workload)
        st.session_state[NAME_WIDGET] = ""
        picked = st.session_state.get(PICK_WIDGET)
        if picked is not None and name not in picked:  # a new scenario joins the comparison at once
            st.session_state[PICK_WIDGET] = [*picked, name]


def delete_scenario(name: str) -> None:
    state.delete_scenario(name)
    picked = st.session_state.get(PICK_WIDGET)
    if picked is not None:
        st.session_state[PICK_WIDGET] = [p for p in picked if p != name]


def load_into_form(name: str) -> None:
    state.set_draft(state.scenario_workload(name).model_dump(mode="json"), f"scenario {name}")


view = state.get_view()
st.title("Compare scenarios")
st.caption("Save the current inputs under a name, change them on the Workload page, save again, and compare.")
problems_notice(view.problems, stale=view.recommendation is not None)

with st.form("save-scenario", border=True, clear_on_submit=False):
    st.text_input("Scenario name", key=NAME_WIDGET, placeholder="e.g. today, next year, with Global Datastore")
    st.form_submit_button("Save current inputs as a scenario", on_click=save_current, disabled=not view.is_current,
                          icon=":material/add:")
if not view.is_current:
    st.caption("Fix the invalid inputs first: only a valid workload can be saved as a scenario.")

scenarios = state.get_scenarios()
if not scenarios:
    st.info("No scenarios yet. Save at least two to compare them side by side.", icon=":material/info:")
else:
    for name in list(scenarios):
        label, load_col, delete_col = st.columns([4, 1, 1], vertical_alignment="center")
        rec = cached.recommendation(scenarios[name])
        label.markdown(f"**{plain(name)}** — {rec.headline}")  # the name is the user's: shown as typed
        load_col.button("Load", key=f"compare.load.{name}", on_click=load_into_form, args=(name,),
                    help="Put this scenario's inputs in the Workload form")
        delete_col.button("Delete", key=f"compare.delete.{name}", on_click=delete_scenario, args=(name,))

    if PICK_WIDGET not in st.session_state:
        st.session_state[PICK_WIDGET] = list(scenarios)
    chosen = st.multiselect("Scenarios to compare", list(scenarios), key=PICK_WIDGET)
    recs = {name: cached.recommendation(scenarios[name]) for name in chosen if name in scenarios}
    if len(recs) >= 1:
        columns = st.columns(len(recs))
        for column, (name, rec) in zip(columns, recs.items(), strict=True):
            with column.container(border=True):
                st.metric(name, monthly_label(rec), help=rec.headline)
                st.caption(rec.headline)
        # A static table, not st.dataframe: its row labels wrap instead of being cut at a fixed column width
        # ("Dataset at horizon (G"), at desktop and phone widths alike, and every figure shows without scrolling.
        st.table(scenario_frame(recs))
        st.plotly_chart(charts.scenario_chart(recs))
    if len(recs) >= 2:
        st.subheader("Inputs that differ")
        st.table(input_differences_frame({name: rec.workload for name, rec in recs.items()}))
