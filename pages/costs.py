"""Costs: Serverless vs provisioned as traffic varies, on-demand vs reserved over 36 months, the itemized bill,
cost per node type, Valkey vs Redis OSS, and cost over the growth horizon."""

from __future__ import annotations

import streamlit as st

from advisor.cost_curves import describe_sweep, reserved_cumulative
from advisor.wording import sentence
from ui import cached, charts, state
from ui.layout import require_recommendation
from ui.router import hand_over_to_router
from ui.tables import (
    LINE_ITEM_COLUMNS,
    RESERVED_COLUMNS,
    line_items_frame,
    monthly_label,
    reserved_frame,
)

hand_over_to_router("pages/costs.py")

view = state.get_view()
st.title("Costs")
if require_recommendation(view):
    rec = view.recommendation
    workload = view.workload
    assert rec is not None and workload is not None
    key = cached.workload_key(workload)
    st.caption(f"{rec.headline}. Pricing as of {rec.pricing_as_of}, Region {workload.region}; figures marked "
               "(estimate) are not published prices.")

    st.header("Itemized monthly bill")
    if rec.costs is not None:
        st.metric("Monthly (chosen option)", monthly_label(rec))
        if not rec.costs.complete:
            st.warning(f"Incomplete total: it excludes {', '.join(rec.costs.excluded)}.", icon=":material/warning:")
        st.dataframe(line_items_frame(rec.costs.chosen), hide_index=True, column_config=LINE_ITEM_COLUMNS)
        for secondary in rec.costs.secondaries:
            st.markdown(f"**Secondary Region {secondary.region}** — {secondary.note}")
            if secondary.estimate is not None:
                st.dataframe(line_items_frame(secondary.estimate), hide_index=True, column_config=LINE_ITEM_COLUMNS)
        for caveat in rec.costs.caveats:
            st.info(caveat, icon=":material/info:")

    st.header("Serverless vs provisioned as traffic varies")
    points, crossings = cached.traffic_sweep(key, rec.engine)
    current = workload.avg_reads_per_sec + workload.avg_writes_per_sec
    st.plotly_chart(charts.traffic_chart(points, crossings, current))
    # The caption is read from the same points the chart draws, so it always describes the chart above it.
    st.caption(describe_sweep(points, crossings, current))
    if rec.deployment == "serverless":
        # The chart may show provisioned cheaper today; say why Serverless is still the answer.
        st.caption(f"Why Serverless: {sentence(rec.deployment_reason)}.")
    if rec.deployment == "provisioned" and rec.crossover is not None:
        # A different question, answered apart: the recommended cluster kept as it is, not re-sized.
        st.caption(rec.crossover.explanation)

    st.header("On-demand vs reserved, cumulative over 36 months")
    series = reserved_cumulative(rec, 36)
    if series:
        if rec.deployment == "serverless":
            st.caption("The recommendation is Serverless, which has no reservations: these are the figures for "
                       "the cheapest provisioned alternative.")
        st.plotly_chart(charts.reserved_chart(series))
        st.caption(charts.RESERVED_NOTE)
        assert rec.costs is not None
        st.dataframe(reserved_frame(rec.costs.reserved), hide_index=True, column_config=RESERVED_COLUMNS)
        best = rec.costs.best_reserved
        if best is not None and len(best.parts) > 1:
            st.caption(f"Every option covers every cluster, each at its own Region's price: reserve {best.plan}.")
    else:
        st.info("Reservations apply to node-based clusters, and no node-based configuration fits this workload.")

    st.header("Cost per node-type candidate")
    if rec.search.ranked:
        st.plotly_chart(charts.node_type_chart(rec.search.ranked))
    else:
        st.info("No node-based configuration fits this workload.")

    st.header("Valkey vs Redis OSS")
    st.plotly_chart(charts.engine_chart(cached.engine_comparison(key)))

    st.header("Cost over the growth horizon")
    if workload.horizon_months > 0:
        st.plotly_chart(charts.growth_chart(cached.growth_curve(key, rec.engine)))
        st.caption(f"Each point is sized for that month's data at {workload.monthly_growth_percent:g}% growth per "
                   "month; the recommendation above is sized for the end of the horizon.")
    else:
        st.info("The planning horizon is 0 months: set one on the Workload page to see cost over time.")
