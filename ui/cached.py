"""Streamlit caches around the advisor: the price book once per server, results keyed by the workload's JSON.

Results are keyed by the canonical JSON text of a validated workload rather than the pydantic object, so the
cache key is cheap to hash and identical inputs from any session hit the same entry. Bounded with
max_entries: one server serves many architects trying many what-ifs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st
import yaml

from advisor import cost_curves
from advisor.pricing import PriceBook, load_price_book
from advisor.pricing.schema import Engine
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.workload import Workload, dumps_workload, loads_workload

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"


@st.cache_resource(show_spinner=False)
def price_book() -> PriceBook:
    """The bundled tables, validated once per server process (a PriceBook is immutable after construction)."""
    return load_price_book()


@st.cache_data(show_spinner=False)
def presets() -> dict[str, dict[str, Any]]:
    """examples/*.yaml as raw field data, by each workload's name (file name when it has none)."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        if isinstance(data, dict):
            found[str(data.get("name") or path.stem)] = data
    return found


def workload_key(workload: Workload) -> str:
    return dumps_workload(workload, "json")


@st.cache_resource(show_spinner=False, max_entries=256)
def workload_from_key(key: str) -> Workload:
    """Parsed and validated once per key (a Workload is frozen, so every caller can share the same object)."""
    return loads_workload(key, "json")


@st.cache_data(show_spinner=False, max_entries=256)
def recommendation(key: str, _workload: Workload | None = None) -> Recommendation:
    """`_workload`, when the caller has just validated it, is the workload `key` encodes; it spares parsing the
    key again and is not part of the cache key (Streamlit skips arguments named with a leading underscore)."""
    return recommend(_workload if _workload is not None else workload_from_key(key), price_book())


@st.cache_data(show_spinner=False, max_entries=64)
def traffic_sweep(key: str, engine: Engine) -> tuple[list[cost_curves.TrafficPoint], list[float]]:
    points = cost_curves.traffic_sweep(workload_from_key(key), price_book(), engine)
    return points, cost_curves.crossover_points(points)


@st.cache_data(show_spinner=False, max_entries=64)
def growth_curve(key: str, engine: Engine) -> list[cost_curves.GrowthPoint]:
    return cost_curves.growth_curve(workload_from_key(key), price_book(), engine)


@st.cache_data(show_spinner=False, max_entries=64)
def engine_comparison(key: str) -> list[cost_curves.EngineCost]:
    return cost_curves.engine_comparison(workload_from_key(key), price_book())
