"""The Caching patterns page's comparison bars: one horizontal bar per mitigation, named in words, its figure at
the bar's end and room for it on the axis."""

from __future__ import annotations

from advisor.patterns.simulator import Mitigation, compare, simulation_params
from ui.pattern_charts import label, peak_load_figure


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
