"""Decisions & plan: what would change the answer, when the design stops fitting, and headroom for failure."""

from __future__ import annotations

import streamlit as st

from advisor.depth.plan import upgrade_sentence
from advisor.money import fmt_usd
from ui import cached, depth_charts, state
from ui.layout import require_recommendation
from ui.router import hand_over_to_router
from ui.text import plain

hand_over_to_router("pages/decisions.py")

TRAFFIC_GROWTH_WIDGET = "decisions.traffic_growth"
FOLLOW_DATA_WIDGET = "decisions.follow_data"

view = state.get_view()
st.title("Decisions & plan")
if require_recommendation(view):
    rec = view.recommendation
    workload = view.workload
    assert rec is not None and workload is not None
    st.caption(f"{plain(rec.headline)}. Pricing as of {rec.pricing_as_of}. Throughput per node is a planning "
               "assumption; figures are on-demand list prices.")
    follow = st.toggle("Traffic grows with the data", value=True, key=FOLLOW_DATA_WIDGET)
    growth = None if follow else st.number_input(
        "Traffic growth per month, %", min_value=0.0, max_value=100.0, value=0.0, step=0.5,
        key=TRAFFIC_GROWTH_WIDGET)
    depth = depth_charts.depth_for(cached.workload_key(workload), growth)

    st.header("What would change the answer")
    if depth.flips is None:
        st.info("No feasible design: see the conflicts on the Recommendation page.")
    else:
        for summary in depth.flips.decisions:
            st.markdown(f"**{summary.decision.capitalize()}**: {plain(summary.note)}")
        st.plotly_chart(depth_charts.tornado_chart(depth.flips))
        st.caption(depth_charts.TORNADO_NOTE)
        if depth.flips.flips:
            st.dataframe(depth_charts.flips_frame(depth.flips), hide_index=True)
        for skipped in depth.flips.skipped:
            st.caption(f"Not searched: {skipped}")
        st.caption(f"Found by re-running the optimizer {depth.flips.probes} times, each input from 1/10x to "
                   "10x of today's value with the others fixed; thresholds within 2%.")

    st.header("When the design stops fitting")
    if depth.timeline is not None:
        first = depth.timeline.first_crossing
        columns = st.columns(3)
        for column, (name, label) in zip(columns, (("memory", "Memory over 75%"), ("cpu", "Engine CPU over 70%"),
                                                   ("network", "Network over 70%")), strict=True):
            month = first[name]
            column.metric(label, "never" if month is None else f"month {month}")
        st.plotly_chart(depth_charts.timeline_chart(depth.timeline))
        st.caption(depth_charts.TIMELINE_NOTE)
        for step in depth.timeline.steps:
            st.markdown(f"- {plain(step.sentence)}")
        for note in depth.timeline.notes:
            st.caption(plain(note))
        with st.expander("Month by month"):
            st.dataframe(depth_charts.timeline_frame(depth.timeline), hide_index=True)

    st.header("Headroom for failure and maintenance")
    if depth.headroom is not None:
        if depth.headroom.note:
            st.caption(plain(depth.headroom.note))
        for check in depth.headroom.checks:
            box = st.success if check.fits else st.warning
            fix = ""
            if check.remedy and check.remedy_monthly is not None:
                # A space of its own: plain() trims the text it escapes, so "...nodes.Would fit" ran together.
                fix = " " + plain(f"Would fit: {check.remedy} (${check.remedy_monthly:,.2f}/month on-demand).")
            box(f"**{check.scenario}: {'fits' if check.fits else 'does not fit'}.** "
                f"{plain(check.explanation)}{fix}")
            st.caption("; ".join(f"{k}: {v}" for k, v in check.evidence.items()))

    st.header("What to commit to")
    plan = depth.commitments
    if plan is None:
        st.info("No commitment applies: Serverless Redis OSS and Memcached have no reservations or Savings Plan.")
    else:
        if plan.regions:
            st.metric(f"Saving over {plan.window_months} months", fmt_usd(plan.saving))
        for region in plan.regions:
            st.subheader(region.region)
            st.markdown(f"**{plain(region.best.label)}** for {region.baseline_nodes} x {region.node_type} "
                        f"(the steady baseline; growth stays on-demand).")
            st.dataframe(depth_charts.commitment_frame(region), hide_index=True)
            for command in region.commands:
                st.caption(plain(command.purpose))
                st.code(command.render(), language="bash")
            for note in region.notes:
                st.caption(plain(note))
        for crossover in plan.crossovers:
            st.markdown(f"- Serverless crossover, {plain(crossover.explanation)}")
        for note in plan.notes:
            st.caption(plain(note))

    st.header("Durability")
    advice = depth.durability
    if advice is not None:
        (st.warning if advice.needed else st.info)(plain(advice.recommendation))
        if advice.modes:
            st.dataframe(depth_charts.durability_frame(advice), hide_index=True)
        for command in advice.commands:
            st.caption(plain(command.purpose))
            st.code(command.render(), language="bash")
        st.caption(f"AWS documentation: {advice.docs[0]}")

    if depth.stay_or_upgrade is not None:
        st.header("Stay on Redis OSS or upgrade to Valkey")
        upgrade = depth.stay_or_upgrade
        st.markdown(plain(upgrade_sentence(upgrade)))
        st.plotly_chart(depth_charts.upgrade_chart(upgrade))
        st.markdown(plain(upgrade.path))
        for command in upgrade.commands:
            st.code(command.render(), language="bash")
        for note in upgrade.notes:
            st.caption(plain(note))
