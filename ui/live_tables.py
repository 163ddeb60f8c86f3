"""Tables and charts for the Live cluster page's Redis/Valkey results: people's labels, units and percentages.

Pure: reports in, pandas frames and plotly figures out (no streamlit), so the page stays a list of renders.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from advisor.live.cloudwatch import MetricSummary
from advisor.live.redis_inspect import CommandMix, KeyspaceReport
from advisor.untrusted_text import chart_text
from ui.charts import LAYOUT

MIB = 2**20


def _mib(value: float) -> str:
    return f"{value / MIB:,.2f} MiB"


def _pct(share: float) -> str:
    return f"{share:.1%}"


def duration(seconds: float) -> str:
    """A window in words: '3 d 4 h', '5 h 12 min', '42 s'."""
    seconds = int(seconds)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def by_type_frame(report: KeyspaceReport) -> pd.DataFrame:
    total = report.total_bytes.value or 1.0
    return pd.DataFrame([{
        "Type": t.type, "Keys (estimate)": f"{round(t.keys.value):,}", "Memory (estimate)": _mib(t.bytes.value),
        "95% interval": f"{t.bytes.low / MIB:,.2f} to {t.bytes.high / MIB:,.2f} MiB",
        "Share of memory": _pct(t.bytes.value / total), "Mean per key": f"{t.mean_bytes_per_key:,.0f} B",
    } for t in report.by_type])


def biggest_frame(report: KeyspaceReport) -> pd.DataFrame:
    return pd.DataFrame([{
        "Key": k.key, "Type": k.type, "Memory": f"{k.bytes:,} B" if k.bytes < MIB else _mib(k.bytes),
        "TTL": "none" if k.ttl_s < 0 else duration(k.ttl_s),
    } for k in report.biggest])


def prefixes_frame(report: KeyspaceReport) -> pd.DataFrame:
    return pd.DataFrame([{
        "Key pattern": p.pattern, "Keys in sample": f"{p.sampled_keys:,}", "Share of keys": _pct(p.share_of_keys),
        "Share of memory": _pct(p.share_of_bytes), "Mean per key": f"{p.mean_bytes:,.0f} B",
    } for p in report.prefixes])


def refused_frame(report: KeyspaceReport) -> pd.DataFrame:
    return pd.DataFrame([{"Refused probe and the server's reason": what, "Times": f"{n:,}"}
                         for what, n in report.refused])


def command_mix_frame(mix: CommandMix) -> pd.DataFrame:
    return pd.DataFrame([{
        "Command": r.name.upper(), "Kind": r.kind, "Calls": f"{r.calls:,}", "Share of calls": _pct(r.share),
        "Engine time per call": f"{r.usec_per_call:,.2f} µs", "ECPU multiple (estimate)": f"{r.ecpu_multiple:,.2f}",
    } for r in mix.rows])


def metric_chart(series: pd.DataFrame, metric: str) -> go.Figure:
    """One CloudWatch metric over time, a line per node; the legend at the figure's foot (on the right it took half
    a phone's width), node names escaped (they come from the account)."""
    frame = series.assign(node=series["node"].map(chart_text))
    fig = px.line(frame, x="timestamp", y="value", color="node", title=chart_text(metric))
    fig.update_layout(legend=LAYOUT["legend"], margin=LAYOUT["margin"])
    return fig


def bytes_by_type_chart(report: KeyspaceReport) -> go.Figure:
    frame = pd.DataFrame({"Type": [t.type for t in report.by_type],
                          "MiB (estimate)": [t.bytes.value / MIB for t in report.by_type]})
    return px.bar(frame, x="Type", y="MiB (estimate)", title="Memory by type (estimate)")


def bytes_by_prefix_chart(report: KeyspaceReport) -> go.Figure:
    top = sorted(report.prefixes, key=lambda p: -p.share_of_bytes)[:10]
    frame = pd.DataFrame({"Key pattern": [chart_text(p.pattern) for p in top],  # key names come from the server
                          "Share of memory (%)": [100 * p.share_of_bytes for p in top]})
    return px.bar(frame, x="Share of memory (%)", y="Key pattern", orientation="h",
                  title="Memory by key pattern (estimate)")


def histogram_chart(buckets: tuple[tuple[str, float], ...], title: str) -> go.Figure:
    frame = pd.DataFrame({"Range": [label for label, _ in buckets],
                          "Share of sampled keys (%)": [100 * share for _, share in buckets]})
    return px.bar(frame, x="Range", y="Share of sampled keys (%)", title=title)


def metrics_frame(summaries: list[MetricSummary]) -> pd.DataFrame:
    """CloudWatch summaries with their statistic and percentiles, numbers rounded for reading."""
    return pd.DataFrame([{
        "Metric": s.metric, "Statistic": s.stat, "Datapoints": f"{s.points:,}", "Median": f"{s.p50:,.2f}",
        "p95": f"{s.p95:,.2f}", "p99": f"{s.p99:,.2f}", "Max": f"{s.max:,.2f}", "Mean": f"{s.mean:,.2f}",
    } for s in summaries])


_WORDS = {"pct": "%", "gib": "GiB", "cpu": "CPU", "usd": "USD", "ttl": "TTL", "p95": "p95", "p99": "p99"}


def evidence_frame(evidence: dict[str, str]) -> pd.DataFrame:
    """A finding's evidence as a two-column table: `peak_memory_pct` reads 'Peak memory %'."""
    def label(key: str) -> str:
        words = [_WORDS.get(w, w) for w in key.split("_")]
        text = " ".join(words)
        return text[:1].upper() + text[1:]

    return pd.DataFrame([{"Evidence": label(k), "Value": str(v)} for k, v in evidence.items()])
