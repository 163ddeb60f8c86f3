"""Caching patterns lab: each pattern with its tested code, and a simulator comparing stampede mitigations.

Registered in the app router, or run alone: `streamlit run pages/patterns.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run pages/patterns.py` puts pages/ on the path, not the project root that holds advisor/ and ui/.
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402
from streamlit.delta_generator import DeltaGenerator  # noqa: E402

from advisor.patterns.catalog import PATTERNS  # noqa: E402
from advisor.patterns.simulator import (  # noqa: E402
    MAX_KEYS,
    InvalidSimulation,
    Mitigation,
    SimulationResult,
    simulate,
    simulation_params,
)
from advisor.rules.patterns import estimated_items  # noqa: E402
from advisor.workload import Workload  # noqa: E402
from ui import pattern_charts  # noqa: E402
from ui.router import hand_over_to_router  # noqa: E402
from ui.text import plain  # noqa: E402

hand_over_to_router("pages/patterns.py")

WORKLOAD_KEY = "workload"  # set by the Workload page
DEFAULT_READS_PER_SEC = 10_000
DEFAULT_KEYS = 10_000


def _workload() -> Workload | None:
    workload = st.session_state.get(WORKLOAD_KEY)
    return workload if isinstance(workload, Workload) else None


def _defaults(workload: Workload | None) -> tuple[int, int, str]:
    """Reads/s and key count to start from, and where they came from."""
    if workload is None:
        return DEFAULT_READS_PER_SEC, DEFAULT_KEYS, "defaults (no workload entered yet)"
    # Herds bite at peak traffic; and only the hot share of the keys is read often enough to matter.
    reads = workload.peak_reads or workload.avg_reads_per_sec or DEFAULT_READS_PER_SEC
    keys = round(estimated_items(workload) * workload.hot_set_percent / 100)
    return max(round(reads), 1), int(min(max(keys, 1), MAX_KEYS)), f"workload '{workload.name}' (peak reads, hot keys)"


@st.cache_data(max_entries=48, show_spinner=False)
def _simulate(values: tuple[tuple[str, object], ...]) -> SimulationResult:
    return simulate(simulation_params(**dict(values)))


st.title("Caching patterns lab")
st.write(
    "How to keep a cache in front of a database without stampeding it. Each pattern below shows the code "
    "the advisor's tests run against a real Redis server; the simulator shows what it does to database load."
)

st.header("Patterns")
for pattern in PATTERNS:
    with st.expander(f"{pattern.title}  ·  `{pattern.id}`"):
        st.write(pattern.summary)
        st.markdown(f"**When to use:** {pattern.when_to_use}")
        st.markdown("**Trade-offs:**\n" + "\n".join(f"- {t}" for t in pattern.trade_offs))
        if pattern.builds_on:
            st.caption("Also copy: " + ", ".join(f"`{ref}`" for ref in pattern.builds_on))
        st.code(pattern.code, language="python")
        st.caption("Sources: " + ", ".join(pattern.docs))

st.header("Simulator")
reads_default, keys_default, source = _defaults(_workload())
st.caption(f"Started from {source}. Large key counts are simulated on a weighted sample of the keys (the "
           "hottest one by one), so every run stays well under a second.")

# Counts (reads/s, keys) are integer widgets, shown as "120000" not "120000.00"; times and the beta are floats
# shown in their shortest form ("300", "0.1"): "%g" without a precision is parseFloat in sprintf.js, Streamlit's
# formatter. (sprintf.js has no thousands separator, so the boxes cannot show "120,000".)
SHORTEST = "%g"
# No min/max on the widgets: a value out of range stays as typed and the simulator's own bound is shown
# beside the field, instead of the widget silently clamping it.
left, middle, right = st.columns(3)
fields: dict[str, DeltaGenerator] = {}
request_rate = left.number_input("Reads per second", value=reads_default, step=1_000, key="patterns_request_rate")
fields["request_rate"] = left.empty()
key_count = left.number_input("Keys", value=keys_default, step=1_000, key="patterns_key_count")
fields["key_count"] = left.empty()
ttl_seconds = middle.number_input("TTL (seconds)", value=300.0, step=30.0, format=SHORTEST,
                                  key="patterns_ttl_seconds")
fields["ttl_seconds"] = middle.empty()
refill_latency_ms = middle.number_input("Database read on a miss (ms)", value=50.0, step=10.0, format=SHORTEST,
                                        key="patterns_refill_latency_ms")
fields["refill_latency_ms"] = middle.empty()
duration_seconds = right.number_input("Simulated time (seconds)", value=600.0, step=60.0, format=SHORTEST,
                                      key="patterns_duration_seconds")
fields["duration_seconds"] = right.empty()
hot_key_share = right.slider("Share of reads on the single hottest key", 0.0, 0.95, 0.0, 0.05,
                             key="patterns_hot_key_share")
with st.expander("More settings"):
    a, b = st.columns(2)
    zipf_exponent = a.slider("Popularity skew (Zipf s)", 0.0, 2.0, 1.0, 0.1, key="patterns_zipf")
    jitter_fraction = a.slider("Jitter (share of TTL)", 0.0, 1.0, 0.1, 0.05, key="patterns_jitter")
    warm_start = a.checkbox("All keys written at t=0 (deploy, restart, pre-warm)", value=True, key="patterns_warm")
    refresh_ahead_keys = b.number_input("Keys the background refresher covers", value=100, step=10,
                                        key="patterns_refresh_keys")
    fields["refresh_ahead_keys"] = b.empty()
    xfetch_beta = b.number_input("XFetch beta", value=1.0, step=0.5, format=SHORTEST, key="patterns_beta")
    fields["xfetch_beta"] = b.empty()
    seed = b.number_input("Random seed", value=0, step=1, key="patterns_seed")
    fields["seed"] = b.empty()
chosen = st.multiselect(
    "Mitigations to compare", list(Mitigation), default=list(Mitigation), format_func=pattern_charts.label,
    key="patterns_mitigations",
)

base = {
    "request_rate": request_rate, "key_count": int(key_count), "ttl_seconds": ttl_seconds,
    "refill_latency_ms": refill_latency_ms, "duration_seconds": duration_seconds, "hot_key_share": hot_key_share,
    "zipf_exponent": zipf_exponent, "jitter_fraction": jitter_fraction, "warm_start": warm_start,
    "refresh_ahead_keys": int(refresh_ahead_keys), "xfetch_beta": xfetch_beta, "seed": int(seed),
}
try:
    simulation_params(**base)  # validate once, so a bad field is reported once, beside its widget
    results = {m: _simulate(tuple(sorted({**base, "mitigation": m.value}.items()))) for m in chosen}
except InvalidSimulation as problem:
    for item in problem.problems:
        fields.get(item.field, st.empty()).error(plain(item.reason), icon=":material/error:")
    st.error("Cannot simulate until the fields marked above are fixed.")
    st.stop()

if not results:
    st.info("Pick at least one mitigation to compare.")
    st.stop()

sampled = next(iter(results.values())).simulated_keys
if sampled < int(key_count):
    st.caption(f"Estimated from {sampled:,} of the {int(key_count):,} keys (the hottest one by one, the rest "
               "as a weighted sample).")
st.dataframe(pattern_charts.summary_rows(results), hide_index=True, width="stretch")
st.plotly_chart(pattern_charts.db_load_figure(results), width="stretch")
one, two, three = st.columns(3)
one.plotly_chart(pattern_charts.peak_load_figure(results), width="stretch")
two.plotly_chart(pattern_charts.hit_ratio_figure(results), width="stretch")
three.plotly_chart(pattern_charts.mean_latency_figure(results), width="stretch")
if (reading := pattern_charts.strongest_cut(results)) is not None:
    st.markdown(reading)
st.caption(
    "Jitter spreads the expiries of many keys written together; single-flight and XFetch tame the herd on "
    "each hot key. Which cuts peak load more depends on whether the peak comes from many keys or from a few "
    "hot ones, so most caches want jitter plus one of the others. Model: Poisson reads per key, Zipf "
    "popularity; a read counts as a hit only when it does not wait for the database. The p99 is in the "
    "table: whenever more than 1% of reads wait for the database it is the refill time for every "
    "mitigation, so the chart shows the mean, which moves with each one."
)
