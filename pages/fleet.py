"""Fleet review: every cluster of an account (or the seeded example fleet) classified, checked and priced from
14 days of 5-minute CloudWatch history. All logic lives in advisor.fleet; this page only renders.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.errors import AdvisorError
from advisor.fleet.account import ExampleAccount, account_clients
from advisor.fleet.export import (
    distribution_chart,
    fleet_table,
    metrics_table,
    render_html,
    render_json,
    render_pdf,
    trend_chart,
    trend_table,
    window_label,
)
from advisor.fleet.review import DEFAULT_DAYS, FleetReview, review_fleet
from advisor.fleet.slots import connect_cluster, hot_slots
from advisor.live.aws_session import AwsSettings
from advisor.money import fmt_usd
from advisor.pricing import PriceBook, load_price_book
from advisor.regions import ELASTICACHE_REGIONS
from ui.fleet_charts import bars_figure, line_figure
from ui.router import hand_over_to_router
from ui.text import plain

hand_over_to_router("pages/fleet.py")

REVIEW = "fleet.review"
SOURCE = "fleet_source"
EXAMPLE = "Example fleet (no AWS account)"
ACCOUNT = "My AWS account"


@st.cache_resource(max_entries=1)
def _book() -> PriceBook:
    return load_price_book()


@st.cache_resource(max_entries=1, show_spinner=False)
def _example_account() -> ExampleAccount:
    # One offline account per server process; it is read-only, so every session can share it.
    return ExampleAccount().start()


@st.cache_resource(max_entries=4, show_spinner=False)
def _example_review(days: int) -> FleetReview:
    return review_fleet(_example_account().clients(), _book(), days=days)


def _table(t: object) -> pd.DataFrame:
    return pd.DataFrame(list(t.rows), columns=list(t.columns))  # type: ignore[attr-defined]


def choose_source() -> None:
    source = st.radio("Fleet", [EXAMPLE, ACCOUNT], horizontal=True, key=SOURCE)
    days = st.slider("Window (days of 5-minute CloudWatch data)", 1, 30, DEFAULT_DAYS, key="fleet_days")
    if source == EXAMPLE:
        review = st.session_state.get(REVIEW)
        if review is None or not review.source.startswith("example") or (
                review.window_end - review.window_start).days != days:
            with st.spinner("Starting the example account and reviewing 9 clusters (about half a minute the first "
                            "time)..."):
                try:
                    st.session_state[REVIEW] = _example_review(days)
                except AdvisorError as exc:
                    st.error(plain(exc))
        return
    c1, c2, c3 = st.columns(3)
    profile = c1.text_input("AWS profile (empty: default chain)", key="fleet_profile")
    regions = sorted(ELASTICACHE_REGIONS)
    region = c2.selectbox("Region", regions, index=regions.index("us-east-1"), key="fleet_region")
    endpoint = c3.text_input("Endpoint URL (optional)", key="fleet_endpoint")
    if st.button("Review my account", key="fleet_run"):
        settings = AwsSettings(region=region, profile=profile or None, endpoint_url=endpoint or None)
        bar = st.progress(0.0, text="Discovering clusters")

        def progress(done: int, total: int, cluster: str) -> None:
            bar.progress(done / max(1, total), text=f"Reading {cluster} ({done + 1} of {total})")

        try:
            st.session_state[REVIEW] = review_fleet(account_clients(settings), _book(), days=days,
                                                    progress=progress)
        except AdvisorError as exc:
            st.error(plain(exc))
        bar.empty()


def fleet_overview(review: FleetReview) -> None:
    st.caption(plain(f"{review.source}; Region {review.region}; window {window_label(review)}"))
    m1, m2, m3 = st.columns(3)
    m1.metric("Clusters", f"{len(review.clusters)}")
    m2.metric("Cost now", f"{fmt_usd(review.monthly_total_usd)}/month")
    m3.metric("Targets save", f"{fmt_usd(review.monthly_saving_usd)}/month")
    table = fleet_table(review)
    st.subheader(plain(table.title))
    st.dataframe(_table(table), hide_index=True, key="fleet_table")
    for note in review.notes:
        st.info(plain(note))


def cluster_detail(review: FleetReview) -> None:
    ids = [c.row.id for c in review.clusters]
    chosen = st.selectbox("Cluster", ids, key="fleet_cluster")
    c = review.cluster(chosen)
    t = c.target
    window = window_label(review)
    st.subheader(plain(f"{c.row.id}: {c.analysis.utilization.value}"))
    g = c.analysis.grid
    st.markdown(
        f"Engine CPU p95 **{'n/a' if g.cpu_p95 is None else f'{g.cpu_p95:.1f}%'}** ({g.cpu.value}), memory max "
        f"**{'n/a' if g.memory_max is None else f'{g.memory_max:.1f}%'}** ({g.memory.value}), network p95 "
        f"**{'n/a' if g.network_p95 is None else f'{g.network_p95:.1f}%'}** of baseline ({g.network.value}), "
        f"over the last 7 days. Workload: {plain(c.analysis.workload_class)}.")
    st.markdown(f"**Target: {plain(t.summary)}**: {fmt_usd(t.current_monthly_usd)} to {fmt_usd(t.target_monthly_usd)} "
                f"per month{' (estimate)' if t.estimate else ''}.")
    st.markdown("\n".join(f"{i + 1}. {plain(step)}" for i, step in enumerate(t.steps)))
    for note in t.notes:
        st.caption(plain(note))
    st.plotly_chart(bars_figure(distribution_chart(c, window)), key="fleet_bars")
    st.dataframe(_table(metrics_table(c, window)), hide_index=True, key="fleet_metrics")
    for metric in c.analysis.trends:
        chart, table = trend_chart(c, metric), trend_table(c, metric)
        if chart is None or table is None:
            continue
        with st.expander(plain(table.title)):
            st.plotly_chart(line_figure(chart), key=f"fleet_trend_{metric}")
            st.dataframe(_table(table), hide_index=True)
    st.subheader("Findings")
    for f in c.findings:
        with st.expander(plain(f"[{f.severity.value}] {f.title}")):
            st.markdown(f"**{plain(f.decision)}**\n\n{plain(f.rationale)}")
            st.json(f.evidence, expanded=False)
            for link in f.docs:
                st.markdown(f"- {plain(link)}")
    if c.not_checked:
        st.caption(plain("Not checked (not collected): " + "; ".join(c.not_checked)))
    if c.analysis.balance is not None:
        hot_slot_section()


def hot_slot_section() -> None:
    with st.expander("Hot slots from the engine (Valkey 8+ CLUSTER SLOT-STATS, read-only)"):
        c1, c2, c3 = st.columns([3, 1, 1])
        host = c1.text_input("Cluster endpoint", key="fleet_slots_host")
        port = c2.number_input("Port", 1, 65535, 6379, key="fleet_slots_port")
        tls = c3.checkbox("TLS", value=True, key="fleet_slots_tls")
        c4, c5 = st.columns(2)
        username = c4.text_input("Username", key="fleet_slots_user")
        password = c5.text_input("Password", type="password", key="fleet_slots_password")
        if st.button("Read slot statistics", key="fleet_slots_run"):
            try:
                report = hot_slots(connect_cluster(host.strip(), int(port), tls, username, password))
            except AdvisorError as exc:
                st.error(plain(exc))
                return
            st.caption(plain(report.note))
            st.dataframe(pd.DataFrame([{"slot": s.slot, "node": s.node, **s.values} for s in report.slots]),
                         hide_index=True)


def downloads(review: FleetReview) -> None:
    st.subheader("Export")
    c1, c2, c3 = st.columns(3)
    c1.download_button("HTML", render_html(review), "fleet-review.html", "text/html", key="fleet_html")
    c2.download_button("PDF", render_pdf(review), "fleet-review.pdf", "application/pdf", key="fleet_pdf")
    c3.download_button("JSON", render_json(review), "fleet-review.json", "application/json", key="fleet_json")


st.title("Fleet review")
st.caption("Read-only: lists clusters, reads their configuration and 5-minute CloudWatch metrics, and prices one "
           "target per cluster from the bundled price tables. The example fleet runs offline on a local "
           "emulated account.")
choose_source()
current = st.session_state.get(REVIEW)
if current is not None:
    fleet_overview(current)
    if current.clusters:
        cluster_detail(current)
        downloads(current)
