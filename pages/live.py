"""Live cluster: read a running ElastiCache fleet (AWS) or a Redis OSS / Valkey server, and turn what it sees
into right-sizing advice and an observed workload. All logic lives in advisor.live; this page only renders.

Runs standalone (`streamlit run pages/live.py`) or under the app router.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from advisor.errors import AdvisorError, ConnectionProblem
from advisor.given_design import given_from_cluster
from advisor.live.aws_session import AwsSettings, make_client
from advisor.live.cloudwatch import fetch_metrics, summarize, targets_for
from advisor.live.discovery import discover, fetch_reserved_nodes
from advisor.live.observed import data_tiering_note, workload_from_metrics, workload_from_redis
from advisor.live.redis_connection import target_from_form
from advisor.live.redis_inspect import (
    RedisTarget,
    SampleSettings,
    ScanInterrupted,
    analyze_keyspace,
    command_mix,
    connect,
    inspect,
)
from advisor.live.rightsizing import reserved_coverage, rightsizing_findings
from advisor.live.serverless_replay import replay_serverless
from advisor.money import fmt_usd
from advisor.pricing import PriceBook, load_price_book
from advisor.regions import ELASTICACHE_REGIONS
from advisor.wording import count_noun
from ui.live_tables import (
    biggest_frame,
    by_type_frame,
    bytes_by_prefix_chart,
    bytes_by_type_chart,
    command_mix_frame,
    duration,
    evidence_frame,
    histogram_chart,
    metric_chart,
    metrics_frame,
    prefixes_frame,
    refused_frame,
)
from ui.router import hand_over_to_router
from ui.state import DRAFT
from ui.text import plain

hand_over_to_router("pages/live.py")

WORKLOAD = "workload"  # the Workload page reads the observed workload from here
FLEET = "live.fleet"
METRICS = "live.metrics"
REDIS_RESULT = "live.redis"  # dict without credentials: info, report, mix, partial message


@st.cache_resource(max_entries=1)
def _book() -> PriceBook:
    return load_price_book()


@st.cache_resource(max_entries=16, ttl=900)
def _aws_client(region: str, profile: str, retry_mode: str, endpoint_url: str, service: str) -> Any:
    settings = AwsSettings(region=region, profile=profile or None, retry_mode=retry_mode,  # type: ignore[arg-type]
                           endpoint_url=endpoint_url or None)
    return make_client(settings, service)  # type: ignore[arg-type]


@st.cache_resource(max_entries=8, ttl=900)
def _redis_client(target: RedisTarget) -> Any:
    # Keyed by the target (password included, hashed by Streamlit, never displayed); failures are not cached.
    return connect(target)


def _findings(findings: list[Any]) -> None:
    if not findings:
        st.success("No findings: nothing in this window crossed a threshold.")
    for f in findings:
        saving = f" — saves about {fmt_usd(_dec(f.monthly_saving_usd))}/month" if f.monthly_saving_usd else ""
        with st.expander(f"[{f.severity.value}] {f.title}{saving}"):
            st.markdown(f"**{f.decision}**\n\n{f.rationale}")
            st.dataframe(evidence_frame(f.evidence), hide_index=True)
            for link in f.docs:
                st.markdown(f"- {link}")


def _dec(value: float | None) -> Any:
    from decimal import Decimal

    return None if value is None else Decimal(str(value))


def _apply(workload: Any) -> None:
    st.session_state[WORKLOAD] = workload
    st.success(f"Applied: '{plain(workload.name)}' is now the workload ({workload.current_dataset_gb:,.3f} GB, "
               f"{workload.avg_reads_per_sec:,.1f} reads/s, {workload.avg_writes_per_sec:,.1f} writes/s).")


def aws_section() -> None:
    c1, c2, c3 = st.columns(3)
    profile = c1.text_input("AWS profile (empty: default chain)", key="aws_profile")
    regions = sorted(ELASTICACHE_REGIONS)
    region = c2.selectbox("Region", regions, index=regions.index("us-east-1"), key="aws_region")
    days = c3.slider("Metrics window (days)", 1, 30, 7, key="aws_days")
    with st.expander("Advanced"):
        retry_mode = st.radio("Retry mode", ["standard", "adaptive"], horizontal=True, key="aws_retry")
        endpoint = st.text_input("Endpoint URL (VPC endpoint or a local emulator)", key="aws_endpoint")
    if st.button("Discover fleet", key="aws_discover"):
        try:
            client = _aws_client(region, profile, retry_mode, endpoint, "elasticache")
            st.session_state[FLEET] = discover(client, _book())
            st.session_state.pop(METRICS, None)
        except AdvisorError as exc:
            st.error(plain(exc))
    fleet = st.session_state.get(FLEET)
    if fleet is None:
        return
    st.subheader(f"Fleet in {fleet.region}: {count_noun(len(fleet.rows), 'cluster')}, "
                 f"{fmt_usd(fleet.monthly_total_usd)}/month")
    st.dataframe(pd.DataFrame([{
        "id": r.id, "kind": r.kind, "engine": r.engine_label, "node type": r.node_type, "shards": r.shards,
        "replicas/shard": r.replicas_per_shard, "Multi-AZ": r.multi_az, "TLS": r.transit_encryption,
        "at rest": r.at_rest_encryption, "auth": r.auth,
        "monthly": fmt_usd(r.monthly_cost_usd) if r.monthly_cost_usd is not None else r.cost_note,
        "top finding": r.top_finding or "",
    } for r in fleet.rows]), hide_index=True)
    for note in fleet.notes:
        st.info(note)
    if not fleet.rows:
        return
    if st.button("Check reserved-node coverage", key="aws_reserved"):
        try:
            client = _aws_client(region, profile, retry_mode, endpoint, "elasticache")
            _findings(reserved_coverage(fleet, fetch_reserved_nodes(client), _book()))
        except AdvisorError as exc:
            st.error(plain(exc))
    cluster = st.selectbox("Cluster", [r.id for r in fleet.rows], key="aws_cluster")
    row = fleet.row(cluster)
    if st.button("Fetch metrics", key="aws_metrics"):
        end = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
        try:
            cw = _aws_client(region, profile, retry_mode, endpoint, "cloudwatch")
            st.session_state[METRICS] = (cluster, fetch_metrics(cw, targets_for(row), end - dt.timedelta(days=days),
                                                                 end, period=3600))
        except AdvisorError as exc:
            st.error(plain(exc))
    stored = st.session_state.get(METRICS)
    if not stored or stored[0] != cluster:
        return
    metrics = stored[1]
    if metrics.frame.empty:
        st.warning("CloudWatch returned no datapoints for this cluster in the window.")
        return
    names = sorted(set(metrics.frame["metric"]))
    default = names.index("EngineCPUUtilization") if "EngineCPUUtilization" in names else 0
    metric = st.selectbox("Metric", names, index=default, key="aws_metric_pick")
    if metric:
        st.plotly_chart(metric_chart(metrics.series(metric), metric))
    st.caption(f"Window: {metrics.start:%Y-%m-%d %H:%M} to {metrics.end:%Y-%m-%d %H:%M} UTC, one datapoint per "
               f"{duration(metrics.period_s)}.")
    st.dataframe(metrics_frame([s for s in summarize(metrics) if s.scope == "cluster"]), hide_index=True)
    st.subheader("Findings")
    _findings(rightsizing_findings(row, metrics, _book()))
    if row.kind != "serverless":
        st.subheader("On Serverless, billed hour by hour from this history")
        replay = replay_serverless(row, metrics, _book())
        c1, c2, c3 = st.columns(3)
        c1.metric("Now (on-demand)", fmt_usd(replay.current_monthly_usd))
        c2.metric(f"Serverless ({replay.engine})", fmt_usd(replay.serverless_monthly_usd))
        c3.metric("Serverless (Valkey)", fmt_usd(replay.valkey_serverless_monthly_usd))
        st.caption(replay.extended_support.note)
        for note in replay.notes:
            st.caption(note)
    if st.button("Apply to workload", key="aws_apply"):
        try:
            _apply(workload_from_metrics(row, metrics))
        except AdvisorError as exc:
            st.error(plain(exc))
    if st.button("Compare with recommended", key="aws_compare",
                 help="Apply the observed workload with this cluster's configuration pinned as the given design; "
                      "the Recommendation page shows it beside the advisor's design with the difference"):
        try:
            _apply(workload_from_metrics(row, metrics).with_changes(**given_from_cluster(
                row.engine, row.engine_version, row.node_type, row.shards, row.replicas_per_shard,
                row.cluster_mode, row.multi_az, serverless=row.kind == "serverless")))
        except AdvisorError as exc:
            st.error(plain(exc))


def _chosen_region() -> str:
    """The Region on the Workload page: an observed server says nothing about where it should run."""
    shared = st.session_state.get(WORKLOAD)
    region = getattr(shared, "region", None) or st.session_state.get(DRAFT, {}).get("region")
    return str(region) if region else "us-east-1"


def _split_host_url() -> None:
    """A redis:// URL typed into Host goes into the form's own fields at once, so the password leaves the
    plain-text Host box (and its session key) for the masked Password field. A URL that cannot be read stays
    for the connect step to refuse, with a message that never repeats it."""
    state = st.session_state
    text = str(state.get("redis_host", "")).strip()
    try:
        target = target_from_form(text, int(state.get("redis_port", 6379)), tls=bool(state.get("redis_tls")),
                                  username=state.get("redis_username") or None,
                                  password=state.get("redis_password") or None, db=int(state.get("redis_db", 0)))
    except (ConnectionProblem, ValueError):
        # Refused on connect with a message that never repeats it; meanwhile the box keeps no password either.
        scheme, found, rest = text.partition("://")
        if found and "@" in rest:
            user_info, _, address = rest.rpartition("@")
            state["redis_host"] = f"{scheme}://{user_info.split(':', 1)[0]}@{address}"
        return
    if target.host != text:
        state.update(redis_host=target.host, redis_port=target.port, redis_tls=target.tls,
                     redis_username=target.username or "", redis_password=target.password or "",
                     redis_db=target.db)


def redis_section() -> None:
    c1, c2, c6 = st.columns([3, 1, 1])
    host = c1.text_input("Host", value="127.0.0.1", key="redis_host", on_change=_split_host_url,
                         help="A host name or IP address, or a redis:// (rediss:// for TLS) URL.")
    port = c2.number_input("Port", min_value=1, max_value=65535, value=6379, key="redis_port")
    db = c6.number_input("Database index", min_value=0, max_value=15_999, value=0, key="redis_db",
                         help="Standalone servers can keep keys outside database 0 (cluster mode has only 0).")
    c3, c4, c5 = st.columns(3)
    tls = c3.checkbox("TLS", key="redis_tls")
    verify = c3.checkbox("Verify certificate", value=True, key="redis_verify")
    username = c4.text_input("Username (ACL/RBAC)", key="redis_username")
    password = c5.text_input("Password", type="password", key="redis_password")
    with st.expander("Sampling"):
        full = st.checkbox("Full scan (every key; slow on big keyspaces)", key="redis_full")
        sample = st.number_input("Sample size (keys)", 100, 1_000_000, 20_000, step=1000, key="redis_sample")
        budget = st.number_input("Time budget (s)", 1, 3600, 30, key="redis_budget")
        cap = st.number_input("Max ops/s sent to the server", 100, 1_000_000, 20_000, step=1000, key="redis_cap")
        big = st.checkbox("Search for big keys (one cheap MEMORY USAGE per key, within the budget)", value=True,
                          key="redis_big")
    if st.button("Connect and analyze", key="redis_connect"):
        settings = SampleSettings(sample_size=int(sample), time_budget_s=float(budget), max_ops_per_sec=float(cap),
                                  full=full, find_big_keys=big)
        result: dict[str, Any] = {}
        try:
            target = target_from_form(host, int(port), tls=tls, tls_verify=verify, username=username or None,
                                      password=password or None, db=int(db))
            result["address"] = target.address
            client = _redis_client(target)
            info = inspect(client, target)
            result["info"] = info
            result["mix"] = command_mix(info.commandstats, info.notify_keyspace_events, info.keyspace.keys())
            result["report"] = analyze_keyspace(client, settings, target=target)
        except ScanInterrupted as exc:
            result["report"] = exc.partial
            result["problem"] = str(exc)
            _redis_client.clear()
        except ConnectionProblem as exc:
            result["problem"] = str(exc)  # scrubbed of the password by problem_from / target_from_form
            _redis_client.clear()
        st.session_state[REDIS_RESULT] = result
    result = st.session_state.get(REDIS_RESULT)
    if not result:
        return
    if "problem" in result:
        st.error(plain(result["problem"]))
    info, report, mix = result.get("info"), result.get("report"), result.get("mix")
    if info is None:
        return
    st.subheader(plain(f"{info.engine} {info.version} at {info.address}"
                       f"{' (cluster mode)' if info.cluster_mode else ''}"))
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Keys", f"{info.total_keys:,}")
    m2.metric("Used memory", f"{info.used_memory / 2**20:,.1f} MiB")
    m3.metric("Hit rate", "n/a" if info.hit_rate is None else f"{info.hit_rate:.1%}",
              help="Applications' keyspace hits over hits + misses; the analyzer's own TYPE/TTL/OBJECT probes "
                   "are taken out.")
    m4.metric("maxmemory-policy", info.maxmemory_policy)
    st.caption(f"Hit rate and command mix cover the last {duration(info.uptime_s)} (since the server started or "
               "its statistics were last reset).")
    other_dbs = sorted(name for name, v in info.keyspace.items() if v.get("keys") and name != f"db{db_index()}")
    if other_dbs:
        st.info(plain(f"Keys are also in {', '.join(other_dbs)}: set 'Database index' to analyse them."))
    if report is not None and report.total_keys == 0:
        st.info("This database holds no keys yet: there is no keyspace to analyse.", icon=":material/info:")
    elif report is not None:
        _keyspace(report)
    if mix is not None:
        st.subheader("Command mix (INFO commandstats)")
        st.dataframe(command_mix_frame(mix), hide_index=True)
        st.caption(f"Estimated ECPU per request (engine time only, admin commands left out): "
                   f"{mix.ecpu_per_request:.2f}")
        for label, items in (("Rules out Memcached", mix.memcached_blockers),
                             ("Blocks Serverless", mix.serverless_blockers),
                             ("Risky in cluster mode (CROSSSLOT)", mix.cluster_risks)):
            if items:
                st.warning(plain(f"{label}: {', '.join(items)}"))
        for note in mix.notes:
            st.caption(plain(note))
    if st.button("Apply to workload", key="redis_apply"):
        usable = report if report is not None and report.applicable else None
        try:
            _apply(workload_from_redis(info, usable, mix, region=_chosen_region()))
            if report is not None and usable is None:
                st.warning("The keyspace estimate was not applied (see above); the dataset comes from INFO "
                           "used_memory instead.")
        except AdvisorError as exc:
            st.error(plain(exc))


def db_index() -> int:
    return int(st.session_state.get("redis_db", 0) or 0)


def _keyspace(report: Any) -> None:
    st.subheader(f"Keyspace ({report.label}: {report.sampled_keys:,} of {report.total_keys:,} keys measured, "
                 f"{report.elapsed_s:.1f} s)")
    if report.stopped_reason:
        st.caption(plain(report.stopped_reason))
    t = report.total_bytes
    st.metric("Estimated total memory (estimate)", f"{t.value / 2**20:,.2f} MiB",
              help=f"95% interval {t.low / 2**20:,.2f} to {t.high / 2**20:,.2f} MiB")
    st.caption(plain(f"Big keys (1 MiB or more, each measured on its own): {report.big_keys:,}. Big-key search: "
                     f"{report.big_search}. Server cross-check: {report.server_check}"))
    for problem in report.problems:
        st.warning(plain(problem))
    if report.refused:
        st.dataframe(refused_frame(report), hide_index=True)
    if not report.sampled_keys:
        return
    st.dataframe(by_type_frame(report), hide_index=True)
    st.caption(f"Keys without TTL: {report.no_ttl_share.value:.1%} (95% {report.no_ttl_share.low:.1%} to "
               f"{report.no_ttl_share.high:.1%}). {plain(data_tiering_note(report))}")
    left, right = st.columns(2)
    left.plotly_chart(bytes_by_type_chart(report))
    right.plotly_chart(bytes_by_prefix_chart(report))
    left.plotly_chart(histogram_chart(report.size_histogram, "Key sizes (sampled keys)"))
    right.plotly_chart(histogram_chart(report.ttl_histogram, "Time to live (sampled keys with a TTL)"))
    st.markdown("**Biggest keys**")
    st.dataframe(biggest_frame(report), hide_index=True)
    st.markdown("**Key patterns**")
    st.dataframe(prefixes_frame(report), hide_index=True)


st.title("Live cluster")
st.caption("Read-only: the advisor only lists, reads metrics and sends read commands (INFO, SCAN, TYPE, TTL, "
           "MEMORY USAGE). Credentials stay in this session and are never shown.")
st.markdown("Every cluster at once, classified and priced from 14 days of metrics: [Fleet review](/fleet) "
            "(opens a seeded example fleet when you have no AWS account).")
aws_tab, redis_tab = st.tabs(["AWS account (CloudWatch)", "Redis / Valkey server"])
with aws_tab:
    aws_section()
with redis_tab:
    redis_section()
