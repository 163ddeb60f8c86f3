"""Advisor results -> pandas DataFrames for st.dataframe. Presentation only: no figure is computed here, money is
converted from Decimal to float (rounded to cents) so columns sort numerically."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from advisor.costs.lines import CostEstimate
from advisor.costs.provisioned import ReservedComparison
from advisor.money import round_cents
from advisor.optimizer import Candidate
from advisor.recommendation import Recommendation
from advisor.wording import ENGINE_LABELS, choice_label
from advisor.workload import Workload, command_mix_text, flatten_sections
from ui.forms import LABELS, SECTION_LABELS

ESTIMATE = " (estimate)"


def cents(value: Decimal | None) -> float | None:
    return None if value is None else float(round_cents(value))


def money_column(label: str, help: str | None = None) -> Any:
    return st.column_config.NumberColumn(label, format="dollar", help=help)


def binding_limit(c: Candidate) -> str:
    """The limit that sized this candidate: whichever of memory, engine load and network is most used."""
    limits = {"memory": c.memory_utilisation, "engine": c.throughput_utilisation,
              "network": c.network_utilisation}
    name, used = max(limits.items(), key=lambda item: item[1])
    return f"{name} {used:.0%}"


def _nodes(c: Candidate, engine: str) -> str:
    if engine == "memcached":
        return f"{c.node_count}"
    return f"{c.node_count} ({c.shards} x {1 + c.replicas_per_shard})"


def deciding_frame(ranked: list[Candidate], engine: str) -> pd.DataFrame:
    """What decides the choice, narrow enough for a phone: node type, nodes, cost, and the binding limit."""
    return pd.DataFrame([
        {"Node type": c.node_type, "Nodes": _nodes(c, engine), "On-demand $/month": cents(c.on_demand_monthly),
         "Binding limit": binding_limit(c)}
        for c in ranked
    ])


def alternatives_frame(ranked: list[Candidate], engine: str) -> pd.DataFrame:
    """The ranked candidates with every figure, one row per node type, cheapest first. Memcached has nodes
    only: no shards, replicas or cluster mode."""
    rows = []
    for index, c in enumerate(ranked, start=1):
        row: dict[str, Any] = {"Rank": index, "Node type": c.node_type}
        if engine != "memcached":
            row |= {"Shards": c.shards, "Replicas per shard": c.replicas_per_shard}
        row |= {"Nodes": c.node_count}
        if engine != "memcached":
            row |= {"Cluster mode": "enabled" if c.cluster_mode_enabled else "disabled"}
        row |= {
            "Data tiering": c.data_tiering,
            "On-demand $/month": cents(c.on_demand_monthly),
            "Best reserved $/month": cents(c.best_reserved_monthly),
            "Best reserved option": c.best_reserved_label,
            "Memory used %": round(c.memory_utilisation * 100, 1),
            "Engine load %": round(c.throughput_utilisation * 100, 1),
            "Network %": round(c.network_utilisation * 100, 1),
        }
        rows.append(row)
    return pd.DataFrame(rows)


# Fixed pixel widths that add up to less than a phone's 390 px screen minus Streamlit's padding, so the four
# deciding columns are all on screen without sideways scrolling (tests/browser/test_design_views.py).
DECIDING_COLUMNS = {
    "Node type": st.column_config.TextColumn("Node type", width=130),
    "Nodes": st.column_config.TextColumn("Nodes", width=56, help="Nodes in all (shards x nodes per shard)"),
    "On-demand $/month": st.column_config.NumberColumn("$/month", format="dollar", width=78,
                                                       help="On-demand, per month"),
    "Binding limit": st.column_config.TextColumn(
        "Limit", width=84, help="The binding limit: the most-used of memory, engine load and network at the "
                                "horizon's data and peak traffic, what a smaller cluster would run out of"),
}
ALTERNATIVES_COLUMNS = {
    "On-demand $/month": money_column("On-demand $/month"),
    "Best reserved $/month": money_column("Best reserved $/month",
                                          "Effective monthly rate of the cheapest reservation"),
}


def line_items_frame(estimate: CostEstimate) -> pd.DataFrame:
    return pd.DataFrame([
        {
            "Item": line.name + (ESTIMATE if line.is_estimate and "estimate" not in line.name else ""),
            "Quantity": float(line.quantity),
            "Unit": line.unit,
            "Unit price $": float(line.unit_price),
            "Total $": cents(line.total),
            "Billed": "once" if line.one_time else "monthly",
            "Basis": line.basis.value,
            "Note": line.note,
        }
        for line in estimate.lines
    ])


LINE_ITEM_COLUMNS = {
    # "16,060 node-hours", not "16060": the browser's own grouping of thousands (decimals kept as they are).
    "Quantity": st.column_config.NumberColumn("Quantity", format="localized"),
    "Unit price $": st.column_config.NumberColumn("Unit price $", format="$%.6g"),
    "Total $": money_column("Total $"),
}


def reserved_frame(reserved: list[ReservedComparison]) -> pd.DataFrame:
    return pd.DataFrame([
        {
            "Option": c.option.label,
            "Term (years)": c.option.term_years,
            "Payment": c.option.payment_option,
            "Upfront $": cents(c.estimate.upfront),
            "Effective $/month": cents(c.monthly_equivalent),
            "Saving vs on-demand %": round(float(c.saving_vs_on_demand_pct), 1),
            "Break-even month": c.break_even_month,
            "Basis": "estimate" if c.option.is_estimate else c.option.basis.value,
        }
        for c in reserved
    ])


RESERVED_COLUMNS = {"Upfront $": money_column("Upfront $"), "Effective $/month": money_column("Effective $/month")}


def shape(rec: Recommendation) -> str:
    if rec.deployment == "serverless":
        return "Serverless"
    if rec.topology is None:
        return "none feasible"
    return rec.topology.describe()


def node_type(rec: Recommendation) -> str:
    if rec.deployment == "serverless":
        return "Serverless"
    return rec.topology.node_type if rec.topology else "—"


def monthly_label(rec: Recommendation) -> str:
    """The headline monthly figure as text, marked when any part of it is an estimate."""
    if rec.costs is None:
        return "n/a"
    suffix = ESTIMATE if rec.costs.is_estimate else ""
    return f"${round_cents(rec.costs.monthly):,.2f}{suffix}"


def scenario_frame(recs: Mapping[str, Recommendation]) -> pd.DataFrame:
    """Scenarios side by side: one column per scenario, one row per figure."""
    rows: dict[str, dict[str, Any]] = {}
    for name, rec in recs.items():
        costs = rec.costs
        best = costs.best_reserved if costs else None
        rows[name] = {
            "Engine": ENGINE_LABELS[rec.engine],
            "Deployment": (rec.deployment or "none feasible").capitalize(),
            "Region": rec.workload.region,
            "Node type": node_type(rec),
            "Topology": shape(rec),
            "Monthly (chosen)": monthly_label(rec),
            "1-year total": f"${round_cents(costs.total_over(12)):,.2f}" if costs else "n/a",
            "3-year total": f"${round_cents(costs.total_over(36)):,.2f}" if costs else "n/a",
            "Serverless monthly": (f"${round_cents(costs.serverless.monthly):,.2f}"
                                   if costs and costs.serverless else "n/a"),
            "Best reserved": (f"{best.option.label}: ${round_cents(best.monthly_equivalent):,.2f}/month"
                              if best else "n/a"),
            "Dataset at horizon (GB)": f"{rec.workload.dataset_gb_at_horizon:,.1f}",
            "Conflicts": str(len(rec.conflicts)),
            "Warnings": str(len(rec.warnings)),
        }
    return pd.DataFrame(rows)


def input_differences_frame(workloads: Mapping[str, Workload]) -> pd.DataFrame:
    """Only the inputs that differ between scenarios, so the reason for a cost gap is visible; rows carry the
    form's labels ("Dataset size (GB)"), not the model's field names."""
    # Constraints and preferences compare field by field ("Engine (must)"), not as one raw mapping.
    dumped = {name: flatten_sections(w.model_dump(mode="json")) for name, w in workloads.items()}
    fields = next(iter(dumped.values()), {}).keys()
    rows = {}
    for field_name in fields:
        values = [dumped[name][field_name] for name in dumped]
        if any(v != values[0] for v in values[1:]):
            label = LABELS.get(field_name) or SECTION_LABELS.get(field_name, field_name)
            rows[label] = {name: _shown(field_name, dumped[name][field_name]) for name in dumped}
    return pd.DataFrame.from_dict(rows, orient="index")


def _shown(field_name: str, value: Any) -> str:
    """A value as the form shows it: yes/no, choices in words instead of snake_case, the command mix as its
    text, '—' (or 'advisor decides' for an unset constraint or preference) for nothing; free text as typed."""
    if field_name == "command_mix":
        return command_mix_text(value) or "—"
    if value is None or value == []:
        return "advisor decides" if "." in field_name else "—"
    if isinstance(value, list):
        return ", ".join(_shown(field_name, v) for v in value)
    if isinstance(value, bool | str):  # "Redis OSS", "Multi-AZ", "yes", as the form's choices read
        return value if field_name == "name" else choice_label(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,g}"
