"""The outcome block of the Recommendation page: status, the ceiling (infeasible), the ways out of a conflict
with one-click adoption, and a given design beside the recommended one. Renders `Recommendation` data only."""

from __future__ import annotations

import streamlit as st
import yaml

from advisor.money import fmt_usd
from advisor.recommendation import GivenDesign, Recommendation, WayOut
from advisor.render.text import way_out_cost
from advisor.wording import ENGINE_LABELS
from ui import state
from ui.text import plain

STATUS_LABELS = {"design": "Design", "conflict": "Conflict", "infeasible": "Infeasible"}


def adopt_button_key(way: WayOut) -> str:
    return f"adopt.{way.id}"


def _show_way_out(number: int, way: WayOut) -> None:
    with st.container(border=True):
        st.markdown(f"**{number}. {plain(way.title)}** · `{way.id}`")
        st.markdown(f"{plain(way.headline)} — **{plain(way_out_cost(way))}**")
        st.code(yaml.safe_dump(way.changes, sort_keys=False).rstrip(), language="yaml")
        if way.copies == 1:
            st.caption("CLI: `python -m advisor recommend WORKLOAD.yaml --way-out " + way.id + "`")
        st.button("Adopt this design", key=adopt_button_key(way), on_click=state.adopt_way_out, args=(way,),
                  icon=":material/check:",
                  help="Replace the workload's inputs with this way out (the Workload page shows every change)")


def _show_given(given: GivenDesign) -> None:
    st.header("Given design")
    st.markdown(f"**{plain(given.topology.describe())}** ({ENGINE_LABELS[given.topology.engine]})")
    cols = st.columns(3)
    cols[0].metric("Given, per month", fmt_usd(given.monthly) if given.monthly is not None else "not priced")
    cols[1].metric("Recommended, per month",
                   fmt_usd(given.recommended_monthly) if given.recommended_monthly is not None else "none")
    diff = given.difference_monthly
    cols[2].metric("Difference per month", fmt_usd(diff) if diff is not None else "—",
                   help="Given minus recommended; per year: "
                        + (fmt_usd(given.difference_yearly) if given.difference_yearly is not None else "—"))
    if given.difference_yearly is not None:
        st.caption(f"Difference per year: {fmt_usd(given.difference_yearly)} (given minus recommended).")
    if given.recommended_headline:
        st.markdown(f"Recommended instead: {plain(given.recommended_headline)}")
    st.dataframe([{"Check": c.name, "Result": "ok" if c.ok else "fails", "Detail": c.detail} for c in given.checks],
                 hide_index=True)


def render_outcome(rec: Recommendation) -> None:
    """Status first; then what stands in the way and the ways out (conflict/infeasible), and any given design."""
    status = rec.status
    if status != "design":
        st.error(f"**{STATUS_LABELS[status]}** — nothing to build as asked (CLI exit 3).", icon=":material/block:")
    if rec.ceiling is not None:
        st.markdown("**Ceiling**\n" + "\n".join(f"- {plain(k)}: {plain(v)}" for k, v in rec.ceiling.limits.items()))
        st.markdown(f"**Nearest fit:** {plain(rec.ceiling.nearest)}")
    if status != "design":
        st.header("Ways out")
        if not rec.ways_out:
            st.info("No single change gives a valid design; relax a requirement (see the findings).")
        for number, way in enumerate(rec.ways_out, 1):
            _show_way_out(number, way)
    if rec.given is not None:
        _show_given(rec.given)
