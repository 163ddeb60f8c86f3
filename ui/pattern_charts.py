"""Simulator results -> plotly figures and table rows for the caching-patterns page (no Streamlit calls here)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from advisor.patterns.simulator import Mitigation, SimulationResult
from ui.charts import LEGEND

MAX_POINTS = 1_500  # a browser draws six series of this many points smoothly

LABELS = {
    Mitigation.NONE: "No mitigation",
    Mitigation.JITTER: "TTL jitter",
    Mitigation.SINGLE_FLIGHT: "Single-flight",
    Mitigation.JITTER_SINGLE_FLIGHT: "Jitter + single-flight",
    Mitigation.XFETCH: "XFetch",
    Mitigation.BACKGROUND_REFRESH: "Background refresh",
}
COLOURS = {
    Mitigation.NONE: "#d62728",
    Mitigation.JITTER: "#ff7f0e",
    Mitigation.SINGLE_FLIGHT: "#1f77b4",
    Mitigation.JITTER_SINGLE_FLIGHT: "#17becf",
    Mitigation.XFETCH: "#2ca02c",
    Mitigation.BACKGROUND_REFRESH: "#9467bd",
}


def label(mitigation: Mitigation) -> str:
    return LABELS[mitigation]


def strongest_cut(results: Mapping[Mitigation, SimulationResult]) -> str | None:
    """This run in one sentence: which mitigation lowers the busiest second most, against no mitigation when it
    was simulated too; None when fewer than two were compared."""
    if len(results) < 2:
        return None
    best = min(results, key=lambda m: results[m].peak_db_load_per_s)
    peak = results[best].peak_db_load_per_s
    if Mitigation.NONE not in results:
        return f"In this run {label(best)} has the lowest busiest second: {peak:,.0f} database reads/s."
    baseline = results[Mitigation.NONE].peak_db_load_per_s
    if best is Mitigation.NONE or baseline <= 0:
        return (f"In this run none of the mitigations lowers the busiest second below the {baseline:,.0f} database "
                "reads/s with no mitigation.")
    return (f"In this run {label(best)} cuts the busiest second most: {peak:,.0f} database reads/s against "
            f"{baseline:,.0f} with no mitigation, {(1 - peak / baseline) * 100:.0f}% less.")


def peak_preserving(
    times: np.ndarray, values: np.ndarray, max_points: int = MAX_POINTS
) -> tuple[np.ndarray, np.ndarray]:
    """At most `max_points` points, each the maximum of its group, so a one-second spike is never averaged away."""
    if values.size <= max_points:
        return times, values
    group = int(np.ceil(values.size / max_points))
    padded = np.pad(values, (0, (-values.size) % group), constant_values=0)
    return times[::group], padded.reshape(-1, group).max(axis=1)


def db_load_figure(results: Mapping[Mitigation, SimulationResult]) -> go.Figure:
    figure = go.Figure()
    for mitigation, result in results.items():
        times, load = peak_preserving(result.bin_start_s, result.db_load_per_s)
        figure.add_trace(go.Scatter(
            x=times, y=load, mode="lines", name=label(mitigation), line={"color": COLOURS[mitigation], "width": 1.5},
        ))
    figure.update_layout(
        title="Database reads per second over time", xaxis_title="Simulated time (s)",
        yaxis_title="Database reads/s", hovermode="x unified", legend=LEGEND, height=480,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return figure


def _bar(results: Mapping[Mitigation, SimulationResult], values: list[float], title: str, axis: str,
         text_format: str) -> go.Figure:
    """One horizontal bar per mitigation, named on its own line and its figure at the bar's end: upright
    column names slanted and ran into each other on a phone."""
    names = [label(m) for m in results]
    figure = go.Figure(go.Bar(
        y=names, x=values, orientation="h", marker_color=[COLOURS[m] for m in results],
        text=[format(v, text_format) for v in values], textposition="outside", cliponaxis=False,
    ))
    # Room right of the longest bar for its figure; the first mitigation on top, as the controls list them.
    widest = max(values, default=0.0)
    figure.update_layout(title=title, xaxis_title=axis, showlegend=False, height=120 + 40 * len(names),
                         xaxis={"range": [0, widest * 1.3 if widest > 0 else 1]}, yaxis={"autorange": "reversed"},
                         margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return figure


def peak_load_figure(results: Mapping[Mitigation, SimulationResult]) -> go.Figure:
    peaks = [r.peak_db_load_per_s for r in results.values()]
    return _bar(results, peaks, "Peak database load", "Database reads/s (busiest second)", ",.0f")


def hit_ratio_figure(results: Mapping[Mitigation, SimulationResult]) -> go.Figure:
    ratios = [r.hit_ratio * 100 for r in results.values()]
    # A short title fits a third of the page; what counts as a hit goes on the axis.
    figure = _bar(results, ratios, "Hit ratio", "% of reads served from the cache", ".2f")
    low = min(ratios, default=0.0)
    figure.update_yaxes(range=[max(0.0, low - (100 - low) - 1), 100.5])  # zoom in: differences are small
    return figure


def mean_latency_figure(results: Mapping[Mitigation, SimulationResult]) -> go.Figure:
    """Mean, not p99: once over 1% of reads wait for the database every p99 is the refill time."""
    means = [r.mean_latency_ms for r in results.values()]
    return _bar(results, means, "Mean read latency", "Milliseconds", ".2f")


def summary_rows(results: Mapping[Mitigation, SimulationResult]) -> list[dict[str, str]]:
    """One row per mitigation, formatted for a table."""
    return [
        {
            "Mitigation": label(m),
            "Peak DB reads/s": f"{r.peak_db_load_per_s:,.0f}",
            "Mean DB reads/s": f"{r.mean_db_load_per_s:,.1f}",
            "DB reads total": f"{r.db_calls:,.0f}",
            "Hit ratio": f"{r.hit_ratio:.3%}",
            "p50 latency (ms)": f"{r.p50_latency_ms:.1f}",
            "Mean latency (ms)": f"{r.mean_latency_ms:.2f}",
            "p99 latency (ms)": f"{r.p99_latency_ms:.1f}",
            "Reads that waited for a lock": f"{r.lock_waits:,.0f}",
        }
        for m, r in results.items()
    ]
