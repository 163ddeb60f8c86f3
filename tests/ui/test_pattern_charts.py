"""The Caching patterns page's comparison bars: one horizontal bar per mitigation, named in words, its figure at
the bar's end and room for it on the axis."""

from __future__ import annotations

import numpy as np

from advisor.patterns.simulator import Mitigation, SimulationResult, compare, simulation_params
from ui.pattern_charts import label, peak_load_figure, strongest_cut


def test_peak_load_bars_are_horizontal_in_the_order_chosen_with_room_for_their_figures() -> None:
    params = simulation_params(request_rate=2_000, key_count=500, ttl_seconds=10.0, duration_seconds=30.0)
    chosen = [Mitigation.NONE, Mitigation.JITTER]
    results = compare(params, chosen)
    fig = peak_load_figure(results)
    [bars] = fig.data
    assert bars.orientation == "h" and list(bars.y) == [label(m) for m in chosen]
    peaks = [results[m].peak_db_load_per_s for m in chosen]
    assert list(bars.x) == peaks and list(bars.text) == [f"{p:,.0f}" for p in peaks]
    assert fig.layout.xaxis.range[1] >= max(peaks) * 1.2  # the longest bar's figure fits right of it
    assert fig.layout.yaxis.autorange == "reversed"  # first chosen on top


def _result(mitigation: Mitigation, peak: float) -> SimulationResult:
    empty = np.zeros(1)
    return SimulationResult(mitigation, 10, empty, empty, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, peak, 1.0)


def test_the_reading_names_the_mitigation_that_cuts_the_busiest_second_most() -> None:
    runs = {m: _result(m, peak) for m, peak in [(Mitigation.NONE, 64_997.0), (Mitigation.JITTER, 45_198.0),
                                                (Mitigation.SINGLE_FLIGHT, 61_685.0)]}
    # By hand: 1 - 45,198 / 64,997 = 0.3046, so 30% less.
    assert strongest_cut(runs) == ("In this run TTL jitter cuts the busiest second most: 45,198 database reads/s "
                                   "against 64,997 with no mitigation, 30% less.")
    without_baseline = {m: r for m, r in runs.items() if m is not Mitigation.NONE}
    assert strongest_cut(without_baseline) == ("In this run TTL jitter has the lowest busiest second: 45,198 "
                                               "database reads/s.")
    assert strongest_cut({Mitigation.NONE: runs[Mitigation.NONE]}) is None
    no_gain = {m: _result(m, peak) for m, peak in [(Mitigation.NONE, 1_000.0), (Mitigation.XFETCH, 1_200.0)]}
    assert strongest_cut(no_gain) == ("In this run none of the mitigations lowers the busiest second below the 1,000 "
                                      "database reads/s with no mitigation.")
