"""Time the app in a real browser: server start-up, first rendered recommendation, and a widget change, each
against a bare Streamlit page (one number input, one line of text: bench/bare_page.py) driven the same way in
the same run.

Run: python bench/bench_ui.py [--repeat 7]. Starts `streamlit run` on a free loopback port and drives
headless Chromium (/usr/bin/chromium) with Playwright. Prints median figures and the ratio app / bare page;
targets: first render <= 1.3x bare, widget change <= 1.2x bare.

- start-up: from launching the server process to its health endpoint answering (a fresh process each time).
- first render: from page.goto in a fresh browser context (empty cache, new session) to the recommendation
  being on screen and the script run finished.
- update: from typing a new value (Enter) to the URL carrying it and the rerun finished. Values are new each
  time, so the advisor's cache does not hide the recommendation's cost.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from playwright.sync_api import sync_playwright

from tests.browser.pageobjects import open_app, search, set_number, wait_for_rerun_after
from tests.browser.server import ROOT, launch_chromium, start_streamlit

FIRST_RENDER_TARGET_RATIO = 1.3
UPDATE_TARGET_RATIO = 1.2
BARE_PAGE = "bench/bare_page.py"
LOGS = ROOT / "artifacts" / "logs"


def startup_times(repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        server = start_streamlit(LOGS)
        times.append(server.startup_seconds)
        server.stop()
    return times


def browser_times(repeat: int, script: str = "app.py") -> tuple[float, list[float], list[float]]:
    server = start_streamlit(LOGS, script=script)
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                first_renders = []
                for _ in range(repeat):
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = context.new_page()
                    started = time.perf_counter()
                    open_app(page, server.url)
                    first_renders.append(time.perf_counter() - started)
                    context.close()

                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                open_app(page, server.url)
                updates = []
                for index in range(repeat + 1):
                    before = search(page)
                    started = time.perf_counter()
                    set_number(page, "Average reads/s", str(61_000 + 1_000 * index))
                    wait_for_rerun_after(page, before)
                    updates.append(time.perf_counter() - started)
                context.close()
            finally:
                browser.close()
    finally:
        server.stop()
    return server.startup_seconds, first_renders, updates[1:]  # the first update warms the widget's code path


def _line(name: str, app: list[float], bare: list[float], unit: str, scale: float, target: float) -> bool:
    a, b = statistics.median(app) * scale, statistics.median(bare) * scale
    ratio = a / b
    print(f"{name:<34} app {a:7.2f} {unit}  bare page {b:7.2f} {unit}  ratio {ratio:.2f}x  target <= {target}x  "
          f"(n={len(app)}; app {min(app) * scale:.2f}-{max(app) * scale:.2f}, "
          f"bare {min(bare) * scale:.2f}-{max(bare) * scale:.2f})")
    return ratio <= target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    startups = startup_times(max(3, args.repeat // 2))
    # Interleaved in one run so both meet the same machine load.
    _, bare_first, bare_updates = browser_times(args.repeat, BARE_PAGE)
    _, first_renders, updates = browser_times(args.repeat)
    print(f"server start-up (to health OK):      median {statistics.median(startups):.2f} s  "
          f"(n={len(startups)}, min {min(startups):.2f}, max {max(startups):.2f})")
    first_ok = _line("first rendered recommendation", first_renders, bare_first, "s", 1, FIRST_RENDER_TARGET_RATIO)
    update_ok = _line("widget change -> updated page", updates, bare_updates, "ms", 1000, UPDATE_TARGET_RATIO)
    return 0 if first_ok and update_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
