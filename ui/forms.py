"""The Workload form, generated from the Workload model: one widget per field, grouped, with the model's own
descriptions and defaults as help text. Validation stays in the model; widgets carry no min/max of their own,
so every refusal comes from `parse_workload` and names its field.
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

import streamlit as st

from advisor.errors import FieldProblem
from advisor.regions import ELASTICACHE_REGIONS
from advisor.safe_input import bounded, quote
from advisor.validation import MAX_EXACT_INTEGER, at_most, strict_type_problems
from advisor.wording import choice_label, sentence
from advisor.workload import (
    MAX_SECONDARY_REGIONS,
    SECTIONS,
    CommandShare,
    Workload,
    command_mix_text,
    flatten_sections,
    nest_sections,
)
from advisor.workload_link import field_defaults
from ui.text import field_label, plain

Kind = Literal["text", "region", "regions", "bool", "choice", "multi", "int", "float", "mix"]
WIDGET_PREFIX = "wl."

# Groups in the order an architect thinks about a workload. A test checks every model field is in one group.
GROUPS: dict[str, tuple[str, ...]] = {
    "Name & Region": ("name", "region"),
    # Each group reads top to bottom on a phone, where its row-by-row columns stack in this order: the size
    # first, how it grows and over what horizon, how much of it is hot, then what it is made of.
    "Dataset & growth": (
        "dataset_gb", "monthly_growth_percent", "horizon_months", "hot_set_percent", "item_count",
        "avg_key_bytes", "avg_value_bytes",
    ),
    # How much traffic, then what each request is like (the form shows one group at a time, so each stays small).
    "Traffic": (
        "traffic_shape", "avg_reads_per_sec", "avg_writes_per_sec", "peak_to_average", "peak_reads_per_sec",
        "peak_writes_per_sec",
    ),
    "Requests": (
        "avg_read_bytes", "avg_write_bytes", "items_per_read", "command_complexity", "vcpu_multiple", "command_mix",
        "read_from_replicas",
    ),
    "Features": ("features",),
    "Availability": ("availability", "secondary_regions", "rpo_seconds", "rto_seconds"),
    "Latency & connections": ("latency_target_ms", "max_connections", "client_cluster_aware",
                              "short_lived_clients", "hot_key_count", "hot_key_read_percent"),
    "Security": ("encryption_in_transit", "encryption_at_rest", "customer_managed_kms_key", "auth"),
    "Backup & commitment": ("snapshot_retention_days", "commitment_years"),
}

# Short widget labels; the model's descriptions become the help text.
LABELS: dict[str, str] = {
    "name": "Name", "region": "Primary Region", "dataset_gb": "Dataset size (GB)", "item_count": "Item count",
    "avg_key_bytes": "Average key (bytes)", "avg_value_bytes": "Average value (bytes)",
    "monthly_growth_percent": "Growth per month (%)", "horizon_months": "Planning horizon (months)",
    "hot_set_percent": "Hot set (%)", "avg_reads_per_sec": "Average reads/s", "avg_writes_per_sec": "Average writes/s",
    "peak_reads_per_sec": "Peak reads/s", "peak_writes_per_sec": "Peak writes/s",
    "peak_to_average": "Peak-to-average ratio", "avg_read_bytes": "Bytes per read",
    "avg_write_bytes": "Bytes per write",
    "command_complexity": "Command complexity", "vcpu_multiple": "vCPU multiple per command",
    "items_per_read": "Keys per read (MGET)", "command_mix": "Command mix", "traffic_shape": "Traffic shape",
    "read_from_replicas": "Clients read from replicas", "features": "Features needed",
    "availability": "Availability", "secondary_regions": "Secondary Regions", "rpo_seconds": "RPO (seconds)",
    "rto_seconds": "RTO (seconds)", "latency_target_ms": "p99 latency target (ms)",
    "max_connections": "Peak connections", "client_cluster_aware": "Client is cluster-aware",
    "encryption_in_transit": "Encryption in transit (TLS)", "encryption_at_rest": "Encryption at rest",
    "customer_managed_kms_key": "Customer managed KMS key", "auth": "Authentication",
    "snapshot_retention_days": "Snapshot retention (days)",
    "short_lived_clients": "Short-lived clients (Lambda)", "hot_key_count": "Hot keys (count)",
    "hot_key_read_percent": "Reads on hot keys (%)", "commitment_years": "Commitment (years)",
}

# The constraints and preferences sections: kept in their own block (the groups above are the requirements).
SECTION_GROUPS: dict[str, tuple[str, ...]] = {
    "Constraints (musts)": tuple(f"constraints.{name}" for name in SECTIONS["constraints"].model_fields),
    "Preferences (would-likes)": tuple(f"preferences.{name}" for name in SECTIONS["preferences"].model_fields),
}
GROUPS.update(SECTION_GROUPS)
# The form shows one group at a time (each drawn widget costs every rerun), or every field on request.
ALL_FIELDS = "All fields"
GROUP_CHOICES: tuple[str, ...] = (*GROUPS, ALL_FIELDS)
SECTION_LABELS: dict[str, str] = {
    "constraints.engine": "Engine (must)", "constraints.engine_version": "Engine version (must)",
    "constraints.deployment": "Deployment (must)", "constraints.node_type": "Node type (must)",
    "constraints.node_family": "Node family (must)", "constraints.cluster_mode": "Cluster mode (must)",
    "constraints.shards": "Shards (must)", "constraints.replicas_per_shard": "Replicas per shard (must)",
    "constraints.data_tiering": "Data tiering (must)", "constraints.client_protocol": "Client protocol (must)",
    "preferences.deployment": "Preferred deployment", "preferences.engine": "Preferred engine",
    "preferences.node_family": "Preferred node family", "preferences.monthly_budget_usd": "Monthly budget (USD)",
}

FIELD_WIDTH = 290  # pixels: three fields to a row beside the sidebar at 1400 px wide, one on a phone

# Arrow-key step sizes: presentation only (the model accepts any value in range).
FLOAT_STEPS: dict[str, float] = {
    "dataset_gb": 1.0, "monthly_growth_percent": 0.5, "hot_set_percent": 5.0, "avg_reads_per_sec": 100.0,
    "avg_writes_per_sec": 100.0, "peak_reads_per_sec": 100.0, "peak_writes_per_sec": 100.0,
    "peak_to_average": 0.5, "rpo_seconds": 1.0, "rto_seconds": 10.0, "latency_target_ms": 0.1,
    "preferences.monthly_budget_usd": 100.0,
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: Kind
    optional: bool
    default: Any  # JSON form
    description: str
    choices: tuple[Any, ...] = ()

    @property
    def widget_key(self) -> str:
        return WIDGET_PREFIX + self.name

    @property
    def help(self) -> str:
        default = "not set" if self.default is None else _show(self.default)
        return f"{self.description}. Default: {default}. Field `{self.name}`."


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _kind_of(name: str, annotation: Any) -> tuple[Kind, bool, tuple[Any, ...]]:
    """Widget kind, optionality and choices from a field's type annotation."""
    args = typing.get_args(annotation)
    optional = typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args
    if optional:
        annotation = next(a for a in args if a is not type(None))
    origin = typing.get_origin(annotation)
    if name == "region":
        return "region", False, ()
    if name == "secondary_regions":
        return "regions", False, ()
    if origin is list:
        (item,) = typing.get_args(annotation)
        if item is CommandShare:
            return "mix", False, ()
        return "multi", False, tuple(e.value for e in item)
    if origin is Literal:
        choices = typing.get_args(annotation)
        return "choice", optional, ((None, *choices) if optional else choices)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values = tuple(e.value for e in annotation)
        return "choice", optional, ((None, *values) if optional else values)
    if annotation is bool:
        # An optional yes/no (a pin) has three states: unset, yes, no; a checkbox holds only two.
        return ("choice", True, (None, True, False)) if optional else ("bool", False, ())
    if annotation is int:
        return "int", optional, ()
    if annotation is float:
        return "float", optional, ()
    return "text", optional, ()


def build_specs() -> tuple[FieldSpec, ...]:
    defaults = field_defaults()
    specs = []
    for name, info in Workload.model_fields.items():
        if name in SECTIONS:
            continue  # the constraints and preferences sections: see SECTION_GROUPS below
        kind, optional, choices = _kind_of(name, info.annotation)
        specs.append(FieldSpec(name, LABELS.get(name, name), kind, optional, defaults[name],
                               (info.description or name).rstrip("."), choices))
    for section, model in SECTIONS.items():
        for inner, info in model.model_fields.items():
            name = f"{section}.{inner}"
            kind, optional, choices = _kind_of(inner, info.annotation)
            specs.append(FieldSpec(name, SECTION_LABELS.get(name, inner), kind, optional, defaults[name],
                                   (info.description or name).rstrip("."), choices))
    return tuple(specs)


SPECS: tuple[FieldSpec, ...] = build_specs()  # immutable, so safe to share between sessions
SPEC_BY_NAME: dict[str, FieldSpec] = {s.name: s for s in SPECS}


def base_field(problem_field: str) -> str:
    """'secondary_regions[0]' -> 'secondary_regions', 'constraints.shards' stays: the widget a problem belongs to."""
    head = problem_field.split("[", 1)[0]
    section, dot, rest = head.partition(".")
    if dot and section in SECTIONS:
        return f"{section}.{rest.split('.', 1)[0]}"
    return section


def group_of(field: str) -> str | None:
    return next((g for g, names in GROUPS.items() if base_field(field) in names), None)


# Turning data (a preset, an uploaded file, a shared link) into form inputs ---------------------------------


def _widget_value(spec: FieldSpec, value: Any) -> tuple[bool, Any]:
    """(ok, value the widget can hold). Values a widget cannot show are refused rather than crash the page;
    values it can show but the model will refuse (a negative size, an unknown Region) are kept so the
    model's message explains them."""
    if value is None:
        return spec.optional or spec.kind in ("int", "float", "text"), None
    if spec.kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False, None
        if abs(value) > MAX_EXACT_INTEGER or not math.isfinite(value):
            return False, None  # a number box cannot hold NaN, infinity or a 400-digit integer
        if spec.kind == "int" and isinstance(value, float) and value.is_integer():
            return True, int(value)
        return True, float(value) if spec.kind == "float" else value
    if spec.kind == "bool":
        return isinstance(value, bool), value
    if spec.kind == "mix":
        # Shown as its compact text ('GET 70% 1x, SORT 30% 3x'); the model parses the text back.
        if isinstance(value, str):
            return True, value
        kinds = [v.model_dump() if isinstance(v, CommandShare) else v for v in value] if isinstance(
            value, list) else None
        ok = kinds is not None and all(isinstance(k, dict) and {"name", "share_percent"} <= set(k) for k in kinds)
        return ok, command_mix_text(kinds) if ok and kinds else ""
    if spec.kind in ("multi", "regions"):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return ok, list(value) if ok else None
    if isinstance(value, Enum):
        value = value.value
    if spec.kind == "choice" and isinstance(value, bool):
        return value in spec.choices, value
    if spec.kind == "choice" and isinstance(value, int) and value in spec.choices:
        return True, value  # integer choices such as commitment_years 0, 1 or 3
    return isinstance(value, str), value


def _unusable(spec: FieldSpec, value: Any) -> str:
    """Why an imported value cannot go into its widget (the model's own words where it has them: '... is a
    70-digit number'), and what the field holds instead."""
    why = [p.reason for p in strict_type_problems(Workload, nest_sections({spec.name: value}))]
    if not why and spec.kind in ("multi", "regions"):
        why = [f"must be a list; got {quote(value)}"]
    reason = why[0] if why else f"{quote(value)} cannot be used here"
    kept = "left empty" if spec.default is None else f"kept the default ({_show(spec.default)})"
    return f"{reason}; {kept}"


def draft_from_data(data: dict[str, Any]) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Form inputs for `data` over the model defaults, and problems for entries no widget can hold."""
    draft = field_defaults()
    problems = []
    for name, value in flatten_sections(data).items():
        spec = SPEC_BY_NAME.get(name)
        if spec is None:
            problems.append(FieldProblem(bounded(str(name), 60), "unknown field, ignored"))
            continue
        ok, shown = _widget_value(spec, value)
        if ok:
            draft[name] = shown
        else:
            problems.append(FieldProblem(name, _unusable(spec, value)))
    return draft, at_most(problems)


def data_from_draft(draft: dict[str, Any]) -> dict[str, Any]:
    """What to hand `parse_workload`: every field, with an empty text box counted as not given; the
    constraints and preferences gathered into their sections."""
    data = {name: draft.get(name, SPEC_BY_NAME[name].default) for name in SPEC_BY_NAME}
    for name, spec in SPEC_BY_NAME.items():
        if spec.kind == "mix" and isinstance(data[name], str) and not data[name].strip():
            data[name] = []  # an empty mix box means no mix, as in YAML
    return nest_sections(data)


# Widgets ---------------------------------------------------------------------------------------------------


def _options_with(options: Sequence[Any], current: Any) -> list[Any]:
    """Options plus any current value outside them (an imported, unknown Region stays visible for the model
    to refuse by name, instead of a widget error)."""
    extra = [v for v in (current if isinstance(current, list) else [current]) if v not in options and v is not None]
    return [*options, *extra]


def render_field(
    spec: FieldSpec, draft: dict[str, Any], regions: Sequence[str], on_change: Callable[[str], None],
    problems: Sequence[FieldProblem],
) -> None:
    """One widget, initialised from the draft, writing back through `on_change(field)`; then its problems."""
    key = spec.widget_key
    current = draft.get(spec.name, spec.default)
    if key not in st.session_state:
        st.session_state[key] = current
    common: dict[str, Any] = {"key": key, "help": spec.help, "on_change": on_change, "args": (spec.name,),
                              "width": FIELD_WIDTH}
    if spec.kind == "text":
        st.text_input(spec.label, **common)
    elif spec.kind == "mix":
        if isinstance(st.session_state[key], list):
            st.session_state[key] = command_mix_text(st.session_state[key])
        st.text_input(spec.label, placeholder="e.g. GET 70% 1x, SORT 30% 3x 2048B", **common)
    elif spec.kind == "region":
        st.selectbox(spec.label, _options_with(list(regions), current), **common)
    elif spec.kind == "regions":
        # The selector stops at Global Datastore's limit; an imported longer list stays visible for the model
        # to refuse by name (Streamlit refuses a default longer than max_selections).
        chosen = st.session_state.get(key) or []
        limit = MAX_SECONDARY_REGIONS if len(chosen) <= MAX_SECONDARY_REGIONS else None
        st.multiselect(spec.label, _options_with(sorted(ELASTICACHE_REGIONS), current), max_selections=limit,
                       help=f"{spec.help} At most {MAX_SECONDARY_REGIONS} (Global Datastore: one primary and up to "
                            "two secondary Regions).", **{k: v for k, v in common.items() if k != "help"})
    elif spec.kind == "bool":
        st.checkbox(spec.label, **common)
    elif spec.kind == "choice":
        # A None value reads as "no selection" to st.selectbox, which then shows its placeholder.
        st.selectbox(spec.label, _options_with(spec.choices, current), format_func=choice_label,
                     placeholder=choice_label(None), **common)
    elif spec.kind == "multi":
        st.multiselect(spec.label, _options_with(spec.choices, current), format_func=choice_label, **common)
    elif spec.kind == "int":
        st.number_input(spec.label, value=None, step=1, format="%d", placeholder="not set", **common)
    else:
        st.number_input(spec.label, value=None, step=FLOAT_STEPS.get(spec.name, 1.0), format="%g",
                        placeholder="not set", **common)
    for problem in problems:
        # Under its own field the reason is enough; a part of it (an item of a list) is still named.
        text = (plain(sentence(problem.reason)) if problem.field == spec.name
                else f"{field_label(problem.field)}: {plain(problem.reason)}")
        st.error(text, icon=":material/error:", width=FIELD_WIDTH)


def problems_by_field(problems: Sequence[FieldProblem]) -> dict[str, list[FieldProblem]]:
    by_field: dict[str, list[FieldProblem]] = {}
    for problem in problems:
        by_field.setdefault(base_field(problem.field), []).append(problem)
    return by_field


def group_title(group: str, problems: Sequence[FieldProblem]) -> str:
    """A group's name, with how many of the current problems are in it (so a hidden group still shows them)."""
    by_field = problems_by_field(problems)
    names = GROUPS.get(group, tuple(SPEC_BY_NAME))  # ALL_FIELDS counts every field
    count = sum(len(by_field.get(n, [])) for n in names)
    return f"{group} — {count} problem{'s' if count != 1 else ''}" if count else group


def render_group(
    group: str, draft: dict[str, Any], regions: Sequence[str], on_change: Callable[[str], None],
    problems: Sequence[FieldProblem], heading: bool = False,
) -> None:
    names = GROUPS[group]
    by_field = problems_by_field(problems)
    if heading:
        st.subheader(group_title(group, problems), divider="gray")
    # One wrapping row: fields flow left to right and wrap, so on a narrow screen they stack in GROUPS order
    # (a grid of st.columns would cost a block per row and per column on every rerun). A field with problems
    # keeps its messages under it in a box of its own.
    with st.container(horizontal=True, wrap=True, gap="medium"):
        for name in names:
            if name in by_field:
                with st.container(width=FIELD_WIDTH, gap=None):
                    render_field(SPEC_BY_NAME[name], draft, regions, on_change, by_field[name])
            else:
                render_field(SPEC_BY_NAME[name], draft, regions, on_change, ())


def first_field_label(group: str) -> str:
    """The label of the first field a group shows ("All fields" shows the last group last)."""
    names = GROUPS.get(group) or GROUPS[next(reversed(GROUPS))]
    return SPEC_BY_NAME[names[0]].label


def render_groups(
    shown: str, draft: dict[str, Any], regions: Sequence[str], on_change: Callable[[str], None],
    problems: Sequence[FieldProblem],
) -> None:
    """The chosen group's widgets only (Streamlit's cost per rerun grows with every widget drawn), or all of
    them under headings when the architect asks for every field."""
    if shown in GROUPS:
        render_group(shown, draft, regions, on_change, problems)
        return
    for group in GROUPS:
        render_group(group, draft, regions, on_change, problems, heading=True)
