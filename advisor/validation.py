"""Judge raw field data against a pydantic model and say what is wrong in plain words.

Three passes, so one round trip shows every problem: strict type checks pydantic's lax mode would let through
(`true` as 1 GB, NaN, "5" for a number), pydantic's own range and choice checks (reworded: the unit and the
AWS limit behind a bound, never pydantic's phrasing), then the model's cross-field checks, run on the fields
that are valid even when others are not.
"""

from __future__ import annotations

import difflib
import math
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from advisor.errors import FieldProblem, InvalidWorkload
from advisor.safe_input import bounded, quote
from advisor.secrets_scan import find_secrets, refusal
from advisor.wording import count_noun

M = TypeVar("M", bound=BaseModel)
CrossCheck = Callable[[Any], list[FieldProblem]]

# Units from a field's name, so a new field gets its unit without a table edit.
_UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_gb", "GB"), ("_bytes", "bytes"), ("_per_sec", "per second"), ("_percent", "%"), ("_months", "months"),
    ("_days", "days"), ("_seconds", "seconds"), ("_ms", "milliseconds"), ("_usd", "USD"), ("_count", "items"),
    ("_connections", "connections"), ("connections", "connections"), ("_hours", "hours"),
)

# Why a bound is where it is: the AWS limit or the planning reason behind it. Fields without an entry still get
# the bound and its unit.
LIMIT_REASONS: dict[str, str] = {
    "dataset_gb": "a sanity bound far beyond any cache; beyond ElastiCache's own ceiling (about 1 PB) the advisor "
                  "answers 'infeasible' with the ceiling",
    "item_count": "a sanity bound far beyond any cache",
    "avg_key_bytes": "Valkey and Redis OSS keys and values are at most 512 MiB",
    "avg_value_bytes": "Valkey and Redis OSS keys and values are at most 512 MiB",
    "avg_read_bytes": "a reply carries at most one 512 MiB value",
    "avg_write_bytes": "a write carries at most one 512 MiB value",
    "monthly_growth_percent": "100% a month already doubles the data every month",
    "horizon_months": "plans reach at most 5 years; reserved nodes last 1 or 3 years",
    "hot_set_percent": "a share of the data, above 0 and at most 100%",
    "avg_reads_per_sec": "a sanity bound; beyond what ElastiCache can serve the advisor answers 'infeasible'",
    "avg_writes_per_sec": "a sanity bound; beyond what ElastiCache can serve the advisor answers 'infeasible'",
    "peak_reads_per_sec": "a sanity bound; beyond what ElastiCache can serve the advisor answers 'infeasible'",
    "peak_writes_per_sec": "a sanity bound; beyond what ElastiCache can serve the advisor answers 'infeasible'",
    "peak_to_average": "the peak is at least the average",
    "rpo_seconds": "35 days is the longest automatic snapshot retention",
    "rto_seconds": "7 days is far beyond any restore or failover",
    "latency_target_ms": "above 0; 10 s is far beyond any cache",
    "max_connections": "a sanity bound; beyond 65,000 connections per node x 500 nodes the advisor answers "
                       "'infeasible'",
    "snapshot_retention_days": "ElastiCache keeps automatic snapshots for at most 35 days",
    "monthly_budget_usd": "above 0",
    "secondary_regions": "a sanity bound; a Global Datastore takes at most two secondary Regions, which the "
                         "advisor explains as a conflict",
    "name": "it becomes the cluster id, tags and descriptions",
}
# Largest whole number a browser number box holds exactly (2^53): bigger integers would be rounded on screen.
MAX_EXACT_INTEGER = 2**53


def unit_of(field: str) -> str:
    leaf = field.rsplit(".", 1)[-1].split("[", 1)[0]
    return next((unit for suffix, unit in _UNIT_SUFFIXES if leaf.endswith(suffix)), "")


def _number(value: Any) -> str:
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return f"{int(value):,}"
    return f"{value:,g}"


def _with_unit(value: Any, field: str) -> str:
    unit = unit_of(field)
    if not unit:
        return _number(value)
    return f"{_number(value)}{unit}" if unit == "%" else f"{_number(value)} {unit}"


def _because(field: str) -> str:
    leaf = field.rsplit(".", 1)[-1].split("[", 1)[0]
    reason = LIMIT_REASONS.get(leaf)
    return f" ({reason})" if reason else ""


def field_name(loc: Sequence[int | str]) -> str:
    parts = [str(p) for p in loc]
    name = parts[0] if parts else "workload"
    for part in parts[1:]:
        name += f"[{part}]" if part.isdigit() else f".{part}"
    return name


def _unwrap(annotation: Any) -> Any:
    """X from X | None."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


def _submodel(annotation: Any) -> type[BaseModel] | None:
    inner = _unwrap(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def _choices(annotation: Any) -> list[str]:
    inner = _unwrap(annotation)
    if typing.get_origin(inner) is list:
        inner = typing.get_args(inner)[0]
    if typing.get_origin(inner) is typing.Literal:
        return [str(c) for c in typing.get_args(inner)]
    if isinstance(inner, type) and issubclass(inner, Enum):
        return [str(e.value) for e in inner]
    return []


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def plain_reason(err: Any, field: str, info: FieldInfo | None) -> str:
    """One pydantic error in plain words: what the value must be, with unit and limit."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "value_error":
        return bounded(str(ctx.get("error", err["msg"])).removeprefix("Value error, "))
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        word = "at most" if kind == "less_than_equal" else "below"
        return f"must be {word} {_with_unit(bound, field)}{_because(field)}; got {_number_or_quote(value, field)}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        if bound == 0:
            word = "0 or more" if kind == "greater_than_equal" else "more than 0"
            return f"must be {word}{' ' + unit_of(field) if unit_of(field) not in ('', '%') else ''}; " \
                   f"got {_number_or_quote(value, field)}"
        word = "at least" if kind == "greater_than_equal" else "more than"
        return f"must be {word} {_with_unit(bound, field)}{_because(field)}; got {_number_or_quote(value, field)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number{_in_unit(field)}; got {quote(value)}"
    if kind in ("float_type", "float_parsing"):
        return f"must be a number{_in_unit(field)}; got {quote(value)}"
    if kind in ("finite_number",):
        return "must be a finite number (not NaN or infinity)"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false; got {quote(value)}"
    if kind in ("string_type",):
        return f"must be text; got {quote(value)}"
    if kind == "string_too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else \
            f"must be at least {ctx.get('min_length')} characters long"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters long{_because(field)}"
    if kind == "too_long":
        return f"lists at most {ctx.get('max_length')} items{_because(field)}; got {ctx.get('actual_length')}"
    if kind == "too_short":
        return f"lists at least {count_noun(int(ctx.get('min_length') or 0), 'item')}; got {ctx.get('actual_length')}"
    if kind in ("list_type", "tuple_type", "set_type"):
        return f"must be a list; got {quote(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be a mapping of field names to values; got {quote(value)}"
    if kind in ("enum", "literal_error"):
        options = _choices(info.annotation) if info is not None else []
        listed = ", ".join(options) if options else str(ctx.get("expected", ""))
        return f"must be one of: {listed}; got {quote(value)}"
    if kind == "string_pattern_mismatch":
        return f"is not written the way AWS names it{_example(info)}; got {quote(value)}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "unknown field"
    # Anything else: pydantic's sentence without pydantic's phrasing.
    message = str(err["msg"]).replace("Input should be", "must be").replace("Value should be", "must be")
    return bounded(message)


def _example(info: FieldInfo | None) -> str:
    """The field description's own example ("Node type, e.g. cache.r7g.xlarge"), if it gives one."""
    description = (info.description or "") if info is not None else ""
    _, found, example = description.partition("e.g. ")
    return f" (for example {example})" if found else ""


def _in_unit(field: str) -> str:
    unit = unit_of(field)
    return f" ({unit})" if unit else ""


def _number_or_quote(value: Any, field: str) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _with_unit(value, field) if abs(value) < 1e18 else quote(value)
    return quote(value)


def _info_at(model: type[BaseModel], loc: Sequence[int | str]) -> FieldInfo | None:
    info: FieldInfo | None = None
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = _submodel(info.annotation)
    return info


def problems_from_validation(exc: ValidationError, model: type[BaseModel]) -> list[FieldProblem]:
    problems = []
    for err in exc.errors():
        loc = list(err["loc"])
        field = field_name(loc)
        reason = plain_reason(err, field, _info_at(model, loc))
        if err["type"] == "extra_forbidden":
            parent: type[BaseModel] | None = model
            for part in loc[:-1]:
                info = parent.model_fields.get(str(part)) if parent else None
                parent = _submodel(info.annotation) if info else None
            known = parent.model_fields if parent else {}
            reason = f"unknown field{_suggest(str(loc[-1]), known)}"
            field = bounded(field, 80)
        problems.append(FieldProblem(field, reason))
    return problems


# Strict type checks before pydantic ------------------------------------------------------------------------


def _number_kind(annotation: Any) -> str | None:
    inner = _unwrap(annotation)
    if inner is bool:
        return None
    if inner is int:
        return "int"
    if inner is float:
        return "float"
    return None


def _check_value(field: str, annotation: Any, value: Any) -> list[FieldProblem]:
    kind = _number_kind(annotation)
    if kind is not None and value is not None:
        number = "a whole number" if kind == "int" else "a number"
        if isinstance(value, bool):
            return [FieldProblem(field, f"must be {number}{_in_unit(field)}, not {str(value).lower()}")]
        if isinstance(value, str):
            return [FieldProblem(field, f"must be {number}{_in_unit(field)}, not text {quote(value)}")]
        if isinstance(value, float) and not math.isfinite(value):
            return [FieldProblem(field, "must be a finite number (not NaN or infinity)")]
        if kind == "int" and isinstance(value, int) and abs(value) > MAX_EXACT_INTEGER:
            digits = len(str(abs(value)))
            return [FieldProblem(field, f"is a {digits}-digit number, far beyond any limit{_because(field)}")]
        if kind == "int" and isinstance(value, float) and not value.is_integer():
            return [FieldProblem(field, f"must be a whole number{_in_unit(field)}; got {_number(value)}")]
    inner = _unwrap(annotation)
    if inner is bool and value is not None and not isinstance(value, bool):
        return [FieldProblem(field, f"must be true or false; got {quote(value)}")]
    if inner is str and isinstance(value, str) and field.rsplit(".", 1)[-1] == "name" \
            and not any(ch.isalnum() for ch in value):
        return [FieldProblem(field, "must contain a letter or a digit (it becomes the cluster id and tags)")]
    sub = _submodel(annotation)
    if sub is not None and isinstance(value, dict):
        return strict_type_problems(sub, value, prefix=f"{field}.")
    return []


def strict_type_problems(model: type[BaseModel], data: dict[str, Any], prefix: str = "") -> list[FieldProblem]:
    """Problems pydantic's lax mode would let through: booleans or text as numbers, NaN and infinity, integers
    too long to be real, names without a letter or digit."""
    problems = []
    for name, value in data.items():
        info = model.model_fields.get(name) if isinstance(name, str) else None
        if info is not None:
            problems += _check_value(prefix + name, info.annotation, value)
    return problems


def secret_problems(data: dict[str, Any]) -> list[FieldProblem]:
    return [FieldProblem(bounded(path, 80), refusal(kind)) for path, kind in find_secrets(data)]


# The whole judgement ---------------------------------------------------------------------------------------

# A workload has about forty fields; a file with thousands of bad keys gets the first ones and a count, so the
# message stays readable and its size bounded.
MAX_PROBLEMS_LISTED = 40


def at_most(problems: list[FieldProblem], limit: int = MAX_PROBLEMS_LISTED) -> list[FieldProblem]:
    if len(problems) <= limit:
        return problems
    rest = len(problems) - limit
    return [*problems[:limit],
            FieldProblem("workload", f"{count_noun(rest, 'more problem')} not listed; fix these first")]



def _base(field: str) -> str:
    return field.split("[", 1)[0].split(".", 1)[0]


def validate(model: type[M], data: Any, cross_checks: Sequence[CrossCheck] = ()) -> M:
    """A validated model, or InvalidWorkload listing every problem: type, range and cross-field, at once."""
    if not isinstance(data, dict):
        raise InvalidWorkload([FieldProblem("workload", "expected a mapping of field names to values")])
    problems = secret_problems(data) + strict_type_problems(model, data)
    bad = {_base(p.field) for p in problems}
    clean = {key: value for key, value in data.items() if key not in bad}
    instance: M | None = None
    try:
        instance = model.model_validate(clean)
    except ValidationError as exc:
        found = problems_from_validation(exc, model)
        problems += found
        bad |= {_base(p.field) for p in found}
        try:  # the valid fields alone, so the cross-field checks can still speak
            instance = model.model_validate({key: value for key, value in clean.items() if key not in bad})
        except ValidationError:
            instance = None
    if instance is not None:
        cross = [p for check in cross_checks for p in check(instance)]
        problems += [p for p in cross if _base(p.field) not in bad]
    if problems:
        raise InvalidWorkload(at_most(problems))
    assert instance is not None
    return instance
