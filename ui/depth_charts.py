"""Charts and tables for the Decisions & plan page: data from advisor.depth in, plotly figures and frames out."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from advisor.depth.commitments import RegionPlan
from advisor.depth.durability import DurabilityAdvice
from advisor.depth.flips import FlipAnalysis, format_value
from advisor.depth.plan import DecisionDepth, decision_depth
from advisor.depth.timeline import Timeline
from advisor.depth.upgrade import StayOrUpgrade
from ui import cached
from ui.charts import LAYOUT, PROVISIONED_COLOUR, SERVERLESS_COLOUR, wrapped


@st.cache_data(show_spinner="Searching for the inputs that change the answer...", max_entries=64)
def depth_for(key: str, traffic_growth_percent: float | None) -> DecisionDepth:
    return decision_depth(cached.recommendation(key), cached.price_book(), traffic_growth_percent)


TORNADO_NOTE = ("Each bar is how far one input can fall (left) or rise (right), the others fixed, before the "
                "recommended design changes: a short bar is a fragile input; no bar, the design holds from 1/10x "
                "to 10x of today's value.")
LABEL_CHARS = 22  # "Average requests/s (reads and writes together)" in three short lines, not half a phone's width


def tornado_chart(analysis: FlipAnalysis) -> go.Figure:
    """Per input, how far it can move down (left) and up (right) before the design changes (TORNADO_NOTE)."""
    rows = sorted(analysis.tornado(), key=lambda r: min(abs(r[1] or math.inf), abs(r[2] or math.inf)),
                  reverse=True)
    labels = [wrapped(r[0], LABEL_CHARS) for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=labels, x=[r[1] for r in rows], orientation="h", name="decrease that flips it",
                         marker_color=SERVERLESS_COLOUR, hovertemplate="%{x:.1f}%<extra></extra>"))
    fig.add_trace(go.Bar(y=labels, x=[r[2] for r in rows], orientation="h", name="increase that flips it",
                         marker_color=PROVISIONED_COLOUR, hovertemplate="+%{x:.1f}%<extra></extra>"))
    fig.update_layout(title="How far each input can move", barmode="overlay", xaxis_title="change from today, %",
                      height=max(360, 48 * len(rows) + 160), **{**LAYOUT, "hovermode": "closest"})
    return fig


def flips_frame(analysis: FlipAnalysis) -> pd.DataFrame:
    return pd.DataFrame([{
        "Input": f.label, "Direction": "down" if f.direction == "down" else "up",
        "Today": format_value(f.current, f.unit), "Flips at": format_value(f.threshold, f.unit),
        "Change %": round(f.change_percent, 1), "Decisions that change": ", ".join(f.changes),
        "New design": f.after,
        "Monthly after $": None if f.monthly_after is None else float(f.monthly_after),
        "Difference $/month": None if f.monthly_delta is None else float(f.monthly_delta),
    } for f in analysis.flips])


TIMELINE_NOTE = ("Lines: the share of a node's memory, engine CPU and network in use each month (left axis) "
                 "and the monthly cost (dotted, right axis); dotted verticals mark the steps growth forces, "
                 "listed below.")


def timeline_chart(timeline: Timeline) -> go.Figure:
    months = [p.month for p in timeline.points]
    fig = go.Figure()
    for name, attr, colour in (("memory used", "memory", "#9467bd"), ("engine CPU", "cpu", "#d62728"),
                               ("network", "network", "#2ca02c")):
        values = [None if math.isnan(getattr(p, attr)) else getattr(p, attr) * 100 for p in timeline.points]
        fig.add_trace(go.Scatter(x=months, y=values, name=f"{name} %", mode="lines", line={"color": colour}))
    fig.add_trace(go.Scatter(x=months, y=[float(p.monthly) for p in timeline.points], name="monthly cost $",
                             mode="lines", line={"shape": "hv", "color": PROVISIONED_COLOUR, "dash": "dot"},
                             yaxis="y2"))
    # The alarms are named in the legend: labels on the lines ran into the steps' labels on a phone.
    for name, level, colour in (("75% memory alarm", 75, "#9467bd"), ("70% CPU/network alarm", 70, "#d62728")):
        fig.add_trace(go.Scatter(x=[months[0], months[-1]], y=[level, level], name=name, mode="lines",
                                 line={"dash": "dash", "color": colour}, hoverinfo="skip"))
    for step in timeline.steps:
        # Written up the line, so the labels of steps a few months apart stand side by side, not on each other.
        fig.add_vline(x=step.month, line={"dash": "dot", "color": "#7f7f7f"}, annotation_text=step.action,
                      annotation_position="bottom right", annotation_textangle=-90)
    fig.update_layout(title="Load and cost, month by month", xaxis_title="month",
                      yaxis_title="% of the node's capacity",
                      yaxis2={"title": "USD per month", "overlaying": "y", "side": "right"},
                      height=520, **LAYOUT)
    return fig


def timeline_frame(timeline: Timeline) -> pd.DataFrame:
    def pct(value: float) -> float | None:
        return None if math.isnan(value) else round(value * 100, 1)

    return pd.DataFrame([{"Month": p.month, "Dataset GB": round(p.dataset_gb, 2), "Memory %": pct(p.memory),
                          "CPU %": pct(p.cpu), "Network %": pct(p.network), "Design": p.design,
                          "Monthly $": float(p.monthly)} for p in timeline.points])


def commitment_frame(region: RegionPlan) -> pd.DataFrame:
    base = region.options[0]
    return pd.DataFrame([{
        "Option": o.label, "Total over the window $": float(o.total), "Upfront $": float(o.upfront),
        "Hourly commitment $": float(o.hourly_commitment) if o.hourly_commitment else None,
        "Saving vs on-demand $": float(o.saving_against(base)), "Payback month": o.payback_month,
        "Best": o is region.best,
    } for o in region.options])


def durability_frame(advice: DurabilityAdvice) -> pd.DataFrame:
    def meets(value: bool | None) -> str:
        return "no RPO given" if value is None else ("yes" if value else "no")

    return pd.DataFrame([{
        "Setting": m.setting, "Protects": m.protects, "Write latency": m.write_latency,
        "Surcharge $/month": None if m.monthly_surcharge is None else float(m.monthly_surcharge),
        "Price note": m.surcharge_note, "Meets the RPO": meets(m.meets_rpo),
    } for m in advice.modes])


def upgrade_chart(upgrade: StayOrUpgrade) -> go.Figure:
    """Cumulative cost of staying on Redis OSS (with Extended Support) against moving to Valkey now."""
    months = [m.month for m in upgrade.months]
    stay, move = [], []
    stay_total, move_total = 0.0, float(upgrade.migration_cost)
    for m in upgrade.months:
        stay_total += float(m.stay)
        move_total += float(m.upgrade)
        stay.append(stay_total)
        move.append(move_total)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=months, y=stay, name="stay on Redis OSS (+ Extended Support)", mode="lines",
                             line={"color": "#d62728"}))
    fig.add_trace(go.Scatter(x=months, y=move, name="upgrade to Valkey now", mode="lines",
                             line={"color": PROVISIONED_COLOUR}))
    if upgrade.payback_month:
        fig.add_vline(x=upgrade.payback_month, line={"dash": "dot"}, annotation_text="payback")
    fig.update_layout(title="Cumulative cost: stay or upgrade", xaxis_title="month (1 = this month)",
                      yaxis_title="USD, cumulative", **LAYOUT)
    return fig
