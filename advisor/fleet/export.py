"""The fleet review as data (JSON), text, HTML and PDF, all rendered from `fleet_tables` and `chart_data`, so
every chart has a table twin with the same numbers and every figure names its metric, statistic and window.

A figure that was not collected, or had under 75% of its datapoints, is shown as "not collected" or "not
enough data", never as 0. Colours are the Okabe-Ito palette, readable with every common colour-vision
deficiency. User- and AWS-supplied text (cluster ids, tag values) is escaped wherever it is shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from io import BytesIO
from typing import Any

import numpy as np

from advisor.fleet.review import ClusterReview, FleetReview
from advisor.fleet.stats import Distribution, Trend
from advisor.money import fmt_usd, round_cents

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
GRID_METRICS = (("EngineCPUUtilization", "engine CPU"), ("DatabaseMemoryUsagePercentage", "memory"),
                ("NetworkBaselineUsage", "network vs baseline"))
SCHEMA = "fleet-review/1"


def _num(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(round_cents(value))


def window_label(review: FleetReview) -> str:
    days = (review.window_end - review.window_start).days
    return (f"{review.window_start:%Y-%m-%d %H:%M} to {review.window_end:%Y-%m-%d %H:%M} UTC ({days} days, "
            f"{review.period_s // 60}-minute periods)")


def figure(d: Distribution | None, value: float | None) -> str:
    """A number as shown, or why there is none."""
    if d is not None and not d.enough:
        return d.status
    if value is None:
        return "not collected"
    return f"{value:,.2f}"


def _distribution(d: Distribution, window: str) -> dict[str, Any]:
    return {"metric": d.metric, "stat": d.stat, "unit": d.unit, "window": window, "status": d.status,
            "points": d.points, "expected_points": d.expected, "coverage": _num(d.coverage),
            "p50": _num(d.p50), "p95": _num(d.p95), "p99": _num(d.p99), "max": _num(d.max),
            "spike_ratio": _num(d.spike_ratio)}


def _trend(t: Trend) -> dict[str, Any]:
    return {"metric": t.metric, "unit": t.unit, "statistic": "daily average of the per-period values",
            "days": [d.isoformat() for d in t.days], "daily": [_num(v, 4) for v in t.daily],
            "slope_per_day": _num(t.slope_per_day, 5), "r2": _num(t.r2, 4), "reported": t.holds,
            "limit": t.limit, "limit_date": t.limit_date.isoformat() if t.limit_date else None}


def cluster_to_dict(c: ClusterReview, window: str) -> dict[str, Any]:
    a, t, row = c.analysis, c.target, c.row
    return {
        "id": row.id, "kind": row.kind, "engine": row.engine_label, "node_type": row.node_type,
        "nodes": row.node_count, "shards": row.shards, "replicas_per_shard": row.replicas_per_shard,
        "production": c.config.production, "environment": c.config.environment,
        "class": a.utilization.value, "workload_class": a.workload_class,
        "grid": {"window": "last 7 days of " + window,
                 "engine_cpu_p95_pct": _num(a.grid.cpu_p95), "cpu_level": a.grid.cpu.value,
                 "memory_max_pct": _num(a.grid.memory_max), "memory_level": a.grid.memory.value,
                 "network_p95_pct_of_baseline": _num(a.grid.network_p95), "network_level": a.grid.network.value,
                 "network_source": a.grid.network_source},
        "cost": {"current_monthly_usd": _money(t.current_monthly_usd), "target_monthly_usd":
                 _money(t.target_monthly_usd), "monthly_saving_usd": _money(t.monthly_saving_usd),
                 "estimate": t.estimate},
        "target": {"action": t.action, "summary": t.summary, "node_type": t.node_type, "nodes": t.node_count,
                   "engine": t.engine, "steps": list(t.steps), "notes": list(t.notes)},
        "top_finding": c.top_finding.title if c.top_finding else None,
        "findings": [f.model_dump(mode="json") for f in c.findings],
        "metrics": [_distribution(d, window) for d in a.distributions.values()],
        "ops_per_second": _distribution(a.ops_per_s, window),
        "trends": [_trend(tr) for tr in a.trends.values()],
        "shard_balance": None if a.balance is None else {
            "metric": a.balance.metric, "statistic": "per-primary p95 and max of the per-period Maximum",
            "window": window, "per_primary_p95": {k: _num(v) for k, v in a.balance.per_primary_p95.items()},
            "per_primary_max": {k: _num(v) for k, v in a.balance.per_primary_max.items()},
            "cv_p95": _num(a.balance.cv_p95), "cv_max": _num(a.balance.cv_max), "kind": a.balance.kind,
            "hottest": a.balance.hottest,
            "hot_slots": "not collected: needs a read-only connection to a Valkey 8+ engine (CLUSTER SLOT-STATS)"},
        "hit_ratio": {"value": _num(a.hit_ratio), "statistic": "sum(CacheHits) / sum(CacheHits + CacheMisses)",
                      "window": window},
        "command_mix": {k: _num(v) for k, v in a.command_mix.items()},
        "not_checked": list(c.not_checked), "datapoints": a.datapoints,
    }


def review_to_dict(review: FleetReview) -> dict[str, Any]:
    window = window_label(review)
    return {
        "schema": SCHEMA, "source": review.source, "region": review.region, "as_of": review.as_of.isoformat(),
        "window": {"start": review.window_start.isoformat(), "end": review.window_end.isoformat(),
                   "period_s": review.period_s, "label": window},
        "totals": {"clusters": len(review.clusters), "monthly_usd": _money(review.monthly_total_usd),
                   "monthly_saving_usd": _money(review.monthly_saving_usd)},
        "clusters": [cluster_to_dict(c, window) for c in review.clusters],
        "notes": list(review.notes),
        "collection": {"datapoints": review.datapoints, "get_metric_data_calls": review.calls,
                       "timings_s": {k: _num(v) for k, v in review.timings_s.items()}},
    }


def render_json(review: FleetReview) -> str:
    return json.dumps(review_to_dict(review), indent=2)


# Tables (shared by text, HTML, PDF and the page) -----------------------------------------------------------


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def fleet_table(review: FleetReview) -> Table:
    rows = []
    for c in review.clusters:
        t = c.target
        saving = t.monthly_saving_usd
        rows.append((c.row.id, c.row.engine_label, c.analysis.utilization.value,
                     fmt_usd(t.current_monthly_usd) if t.current_monthly_usd is not None else "not priced",
                     (fmt_usd(saving) + (" (estimate)" if t.estimate else "")) if saving is not None else "n/a",
                     t.summary, c.top_finding.title if c.top_finding else "no findings"))
    return Table(f"Fleet ({review.region}), sorted by money: monthly saving, then cost",
                 ("cluster", "engine", "class", "cost/month", "saving/month", "target", "top finding"), tuple(rows))


def _spike(d: Distribution) -> str:
    if not d.enough:
        return d.status
    return "n/a (p95 is 0)" if d.spike_ratio is None else f"{d.spike_ratio:,.2f}"


def metrics_table(c: ClusterReview, window: str) -> Table:
    a = c.analysis
    rows = []
    for d in (*a.distributions.values(), a.ops_per_s):
        rows.append((d.metric, d.stat, d.unit, figure(d, d.p50), figure(d, d.p95), figure(d, d.p99),
                     figure(d, d.max), _spike(d), f"{d.coverage:.0%}"))
    return Table(f"{c.row.id}: metric distributions, {window}",
                 ("metric", "statistic", "unit", "p50", "p95", "p99", "max", "spike ratio (max/p95)", "data"),
                 tuple(rows))


def trend_table(c: ClusterReview, metric: str) -> Table | None:
    t = c.analysis.trends.get(metric)
    if t is None or not t.days:
        return None
    fitted = fitted_values(t)
    rows = tuple((d.isoformat(), f"{v:,.3f}", f"{fitted[i]:,.3f}" if fitted else "no fit")
                 for i, (d, v) in enumerate(zip(t.days, t.daily, strict=True)))
    fit = ("no fit (fewer than 7 days)" if t.r2 is None else
           f"slope {t.slope_per_day:,.4f} {t.unit}/day, R^2 {t.r2:.3f}, "
           + ("reported (R^2 > 0.4)" if t.holds else "not reported (R^2 <= 0.4)"))
    return Table(f"{c.row.id}: {metric}, daily average of the per-period values; {fit}",
                 ("day (UTC)", f"daily average ({t.unit})", f"fitted line ({t.unit})"), rows)


def fitted_values(t: Trend) -> tuple[float, ...]:
    """The least-squares line through the daily averages, at each day (empty when there is no fit)."""
    if t.slope_per_day is None or t.r2 is None or not t.daily:
        return ()
    y = np.array(t.daily)
    slope, intercept = np.polyfit(np.arange(y.size), y, 1)
    return tuple(float(slope * i + intercept) for i in range(y.size))


# Charts as data -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bars:
    """Grouped bars: one group per metric, one bar per statistic."""

    title: str
    groups: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]  # (statistic, value per group)
    unit: str
    detail: str = ""  # what the figures cover (the window): a subtitle where there is room for one

    @property
    def full_title(self) -> str:
        return f"{self.title}, {self.detail}" if self.detail else self.title


@dataclass(frozen=True)
class Line:
    title: str
    x: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    unit: str
    detail: str = ""

    @property
    def full_title(self) -> str:
        return f"{self.title}, {self.detail}" if self.detail else self.title


def distribution_chart(c: ClusterReview, window: str) -> Bars:
    a = c.analysis
    ds = [a.distributions.get(name) for name, _ in GRID_METRICS]
    groups = tuple(f"{label} ({d.metric}, {d.stat})" if d else label for (_, label), d in zip(GRID_METRICS, ds,
                                                                                              strict=True))

    def pick(d: Distribution | None, attr: str) -> float | None:
        return getattr(d, attr) if d is not None and d.enough else None

    series = tuple((stat, tuple(pick(d, stat) for d in ds)) for stat in ("p50", "p95", "p99", "max"))
    return Bars(f"{c.row.id}: p50/p95/p99/max", groups, series, "%", detail=window)


def trend_chart(c: ClusterReview, metric: str) -> Line | None:
    t = c.analysis.trends.get(metric)
    if t is None or not t.days:
        return None
    fitted: tuple[float | None, ...] = fitted_values(t)
    series: list[tuple[str, tuple[float | None, ...]]] = [("daily average", tuple(t.daily))]
    if fitted:
        series.append((f"fitted line (R^2 {t.r2:.2f})", fitted))
    return Line(f"{c.row.id}: {metric}", tuple(d.isoformat() for d in t.days), tuple(series), t.unit,
                detail="daily averages")


# Text ----------------------------------------------------------------------------------------------------


def _text_table(t: Table) -> str:
    widths = [max(len(col), *(len(r[i]) for r in t.rows)) if t.rows else len(col) for i, col in enumerate(t.columns)]
    widths = [min(w, 48) for w in widths]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell[:w].ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([t.title, line(t.columns), line(tuple("-" * w for w in widths)), *(line(r) for r in t.rows)])


def render_text(review: FleetReview) -> str:
    head = (f"Fleet review: {review.source}\nRegion {review.region}; window {window_label(review)}\n"
            f"{len(review.clusters)} clusters, {fmt_usd(review.monthly_total_usd)}/month now; targets save "
            f"{fmt_usd(review.monthly_saving_usd)}/month (on-demand and reserved prices from the bundled tables; "
            "estimates are labelled).\n")
    notes = "".join(f"note: {n}\n" for n in review.notes)
    return head + notes + "\n" + _text_table(fleet_table(review)) + "\n"


# HTML ----------------------------------------------------------------------------------------------------


def h(text: object) -> str:
    return escape(str(text), quote=True)


def _html_table(t: Table) -> str:
    head = "".join(f"<th>{h(c)}</th>" for c in t.columns)
    body = "".join("<tr>" + "".join(f"<td>{h(c)}</td>" for c in r) + "</tr>" for r in t.rows)
    return f"<table><caption>{h(t.title)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def bars_svg(chart: Bars, width: int = 640, height: int = 240) -> str:
    values = [v for _, vs in chart.series for v in vs if v is not None]
    top = max([100.0, *values]) if chart.unit == "%" else max(values or [1.0])
    left, bottom, plot_h = 50, 40, height - 70
    group_w = (width - left - 10) / max(1, len(chart.groups))
    bar_w = group_w * 0.8 / max(1, len(chart.series))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{h(chart.full_title)}"><title>{h(chart.full_title)}</title>']
    for tick in (0, 25, 50, 75, 100) if chart.unit == "%" else (0, top / 2, top):
        y = height - bottom - tick / top * plot_h
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{tick:g}</text>')
    for gi, group in enumerate(chart.groups):
        x0 = left + gi * group_w + group_w * 0.1
        for si, (name, vs) in enumerate(chart.series):
            v = vs[gi]
            x = x0 + si * bar_w
            if v is None:
                parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom - 4}" font-size="8" '
                             f'text-anchor="middle" transform="rotate(-90 {x + bar_w / 2:.1f} {height - bottom - 4})">'
                             "no data</text>")
                continue
            bar = v / top * plot_h
            parts.append(f'<rect x="{x:.1f}" y="{height - bottom - bar:.1f}" width="{bar_w * 0.9:.1f}" '
                         f'height="{bar:.1f}" fill="{OKABE_ITO[si % len(OKABE_ITO)]}"><title>{h(name)}: '
                         f"{v:,.2f}{h(chart.unit)}</title></rect>")
        parts.append(f'<text x="{left + gi * group_w + group_w / 2:.1f}" y="{height - bottom + 14}" font-size="9" '
                     f'text-anchor="middle">{h(group.split(" (")[0])}</text>')
    for si, (name, _) in enumerate(chart.series):
        parts.append(f'<rect x="{left + si * 70}" y="4" width="10" height="10" fill="{OKABE_ITO[si]}"/>'
                     f'<text x="{left + si * 70 + 14}" y="13" font-size="10">{h(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_svg(chart: Line, width: int = 640, height: int = 220) -> str:
    values = [v for _, vs in chart.series for v in vs if v is not None]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if hi == lo:
        hi = lo + 1
    left, bottom, plot_h = 60, 30, height - 60
    step = (width - left - 10) / max(1, len(chart.x) - 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{h(chart.full_title)}"><title>{h(chart.full_title)}</title>']
    for frac in (0, 0.5, 1):
        v = lo + (hi - lo) * frac
        y = height - bottom - frac * plot_h
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{v:,.5g}</text>')
    for si, (name, vs) in enumerate(chart.series):
        points = " ".join(f"{left + i * step:.1f},{height - bottom - (v - lo) / (hi - lo) * plot_h:.1f}"
                          for i, v in enumerate(vs) if v is not None)
        dash = ' stroke-dasharray="5 3"' if si else ""
        parts.append(f'<polyline points="{points}" fill="none" stroke="{OKABE_ITO[si]}" stroke-width="2"{dash}/>'
                     f'<text x="{left + si * 180}" y="13" font-size="10" fill="{OKABE_ITO[si]}">{h(name)}</text>')
    if chart.x:
        parts.append(f'<text x="{left}" y="{height - 8}" font-size="9">{h(chart.x[0])}</text>'
                     f'<text x="{width - 10}" y="{height - 8}" font-size="9" text-anchor="end">{h(chart.x[-1])}</text>')
    parts.append("</svg>")
    return "".join(parts)


CSS = ("body{font-family:system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse;margin:.5em 0 1.5em}"
       "td,th{border:1px solid #ccc;padding:3px 6px;font-size:12px;text-align:left}caption{font-weight:bold;"
       "text-align:left;padding:4px 0}.note{color:#555}section{margin-bottom:2.5em}")


def render_html(review: FleetReview) -> str:
    window = window_label(review)
    out = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Fleet review {h(review.region)}"
           f"</title><style>{CSS}</style></head><body>",
           f"<h1>ElastiCache fleet review</h1><p>{h(review.source)}; Region {h(review.region)}; window {h(window)}."
           f"</p><p><b>{len(review.clusters)} clusters, {h(fmt_usd(review.monthly_total_usd))}/month now; the "
           f"targets save {h(fmt_usd(review.monthly_saving_usd))}/month.</b> Prices: bundled tables (on-demand, "
           "reserved); figures marked estimate are estimates.</p>"]
    out += [f"<p class='note'>{h(n)}</p>" for n in review.notes]
    out.append(_html_table(fleet_table(review)))
    for c in review.clusters:
        t = c.target
        out.append(f"<section><h2>{h(c.row.id)} — {h(c.analysis.utilization.value)}</h2>"
                   f"<p>{h(c.row.engine_label)}, {c.row.node_count} x {h(c.row.node_type or 'Serverless')}; "
                   f"workload: {h(c.analysis.workload_class)}. Target: <b>{h(t.summary)}</b>, "
                   f"{h(fmt_usd(t.current_monthly_usd))} to {h(fmt_usd(t.target_monthly_usd))} per month"
                   f"{' (estimate)' if t.estimate else ''}.</p><ol>"
                   + "".join(f"<li>{h(s)}</li>" for s in t.steps) + "</ol>"
                   + "".join(f"<p class='note'>{h(n)}</p>" for n in t.notes))
        out.append(bars_svg(distribution_chart(c, window)))
        out.append(_html_table(metrics_table(c, window)))
        for metric in c.analysis.trends:
            chart, table = trend_chart(c, metric), trend_table(c, metric)
            if chart is not None and table is not None:
                out.append(line_svg(chart) + _html_table(table))
        if c.findings:
            out.append("<h3>Findings</h3><ul>" + "".join(
                f"<li><b>[{h(f.severity.value)}] {h(f.title)}</b>: {h(f.decision)} {h(f.rationale)} "
                + " ".join(f"<a href='{h(link)}'>{h(link)}</a>" for link in f.docs) + "</li>"
                for f in c.findings) + "</ul>")
        if c.not_checked:
            out.append(f"<p class='note'>Not checked (not collected): {h('; '.join(c.not_checked))}.</p>")
        out.append("</section>")
    out.append("</body></html>")
    return "".join(out)


# PDF -----------------------------------------------------------------------------------------------------


def render_pdf(review: FleetReview) -> bytes:
    from reportlab.graphics.shapes import Drawing, PolyLine, Rect, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8.5)

    def p(text: object, style: Any = small) -> Paragraph:
        return Paragraph(escape(str(text)), style)

    def table(t: Table) -> list[Any]:
        data = [[p(c) for c in t.columns], *[[p(c) for c in r] for r in t.rows]]
        pdf = PdfTable(data, repeatRows=1)
        pdf.setStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        return [p(t.title, styles["Heading4"]), pdf, Spacer(1, 4 * mm)]

    def bars(chart: Bars) -> Drawing:
        d = Drawing(500, 150)
        group_w = 460 / max(1, len(chart.groups))
        bar_w = group_w * 0.8 / max(1, len(chart.series))
        for gi, group in enumerate(chart.groups):
            for si, (_, vs) in enumerate(chart.series):
                v = vs[gi]
                if v is None:
                    continue
                d.add(Rect(30 + gi * group_w + si * bar_w, 20, bar_w * 0.9, min(v, 100) * 1.1,
                           fillColor=colors.HexColor(OKABE_ITO[si]), strokeColor=None))
            d.add(String(30 + gi * group_w, 6, group.split(" (")[0], fontSize=7))
        for si, (name, _) in enumerate(chart.series):
            d.add(Rect(30 + si * 60, 140, 6, 6, fillColor=colors.HexColor(OKABE_ITO[si]), strokeColor=None))
            d.add(String(38 + si * 60, 140, name, fontSize=7))
        return d

    def line(chart: Line) -> Drawing:
        d = Drawing(500, 120)
        values = [v for _, vs in chart.series for v in vs if v is not None]
        lo, hi = min(values), max(values)
        hi = hi if hi > lo else lo + 1
        step = 440 / max(1, len(chart.x) - 1)
        for si, (name, vs) in enumerate(chart.series):
            pts: list[float] = []
            for i, v in enumerate(vs):
                if v is not None:
                    pts += [40 + i * step, 15 + (v - lo) / (hi - lo) * 90]
            d.add(PolyLine(pts, strokeColor=colors.HexColor(OKABE_ITO[si]), strokeWidth=1.5))
            d.add(String(40 + si * 160, 110, name, fontSize=7, fillColor=colors.HexColor(OKABE_ITO[si])))
        d.add(String(0, 15, f"{lo:,.5g}", fontSize=7))
        d.add(String(0, 100, f"{hi:,.5g}", fontSize=7))
        return d

    window = window_label(review)
    story: list[Any] = [p("ElastiCache fleet review", styles["Title"]),
                        p(f"{review.source}; Region {review.region}; window {window}.", styles["BodyText"]),
                        p(f"{len(review.clusters)} clusters, {fmt_usd(review.monthly_total_usd)}/month now; targets "
                          f"save {fmt_usd(review.monthly_saving_usd)}/month.", styles["BodyText"])]
    story += [p(n) for n in review.notes]
    story += table(fleet_table(review))
    for c in review.clusters:
        t = c.target
        story.append(p(f"{c.row.id}: {c.analysis.utilization.value}", styles["Heading3"]))
        story.append(p(f"Target: {t.summary}; {fmt_usd(t.current_monthly_usd)} to {fmt_usd(t.target_monthly_usd)}"
                       f" per month{' (estimate)' if t.estimate else ''}. Steps: " + " ".join(
                           f"{i + 1}. {s}" for i, s in enumerate(t.steps))))
        story.append(bars(distribution_chart(c, window)))
        story += table(metrics_table(c, window))
        for metric in c.analysis.trends:
            chart, tt = trend_chart(c, metric), trend_table(c, metric)
            if chart is not None and tt is not None and metric == "DatabaseMemoryUsagePercentage":
                story.append(line(chart))
                story += table(tt)
        for f in c.findings:
            story.append(p(f"[{f.severity.value}] {f.title}: {f.decision} ({', '.join(f.docs)})"))
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                      title="ElastiCache fleet review").build(story)
    return buffer.getvalue()
