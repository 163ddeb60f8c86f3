"""Time the app in a real browser: server start-up, first rendered recommendation, and a widget change, each
against a bare Streamlit page (one number input, one line of text: bench/bare_page.py) driven the same way in
the same run.

Run: python bench/bench_ui.py [--repeat 9]. Starts `streamlit run` for the app and for the bare page on free
loopback ports and drives headless Chromium (/usr/bin/chromium) with Playwright. Every measurement alternates
between the two (app, bare, app, bare, ...), so both meet the same machine load. Prints median figures, the
ratio app / bare page and the ranges; targets: first render <= 1.3x bare, widget change <= 1.2x bare.

- start-up: from launching the server process to its health endpoint answering (a fresh process each time).
- first render: from page.goto in a fresh browser context (empty cache, new session) to the recommendation
  being on screen and the script run finished.
- update: from typing a new value in "Average reads/s" (Enter) to the URL carrying it and the run finished
  (on the app, its Workload form showing the Traffic group, where that field is). Values are new each time,
  so the advisor's cache does not hide the recommendation's cost.

Two more pages are timed the same way for reference (no target): bench/advice_page.py, the bare page plus the
advisor's own work for the change (validate the workload, recommend, show the headline), and
bench/frame_page.py, that advice inside the app's frame (its navigation, sidebar and the Workload page's
controls, with the input in a fragment as in the app) but none of the form. Their ratios to the bare page
are floors under the app's: the first whatever any page draws, the second whatever the form draws.
bench/profile_ui.py splits a change into its phases.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from playwright.sync_api import sync_playwright

from tests.browser.pageobjects import open_app, search, set_number, show_group, wait_for_rerun_after
from tests.browser.server import ROOT, StreamlitServer, launch_chromium, start_streamlit

FIRST_RENDER_TARGET_RATIO = 1.3
UPDATE_TARGET_RATIO = 1.2
APP = "app.py"
BARE_PAGE = "bench/bare_page.py"
ADVICE_PAGE = "bench/advice_page.py"
FRAME_PAGE = "bench/frame_page.py"
LOGS = ROOT / "artifacts" / "logs"
VIEWPORT = {"width": 1400, "height": 1000}


@dataclass
class Target:
    script: str
    prepare: Callable[[Any], None]  # before the timed widget changes: bring the field on screen
    startups: list[float] = field(default_factory=list)
    first_renders: list[float] = field(default_factory=list)
    updates: list[float] = field(default_factory=list)


def _nothing(page: Any) -> None:
    return None


def _traffic_group(page: Any) -> None:
    show_group(page, "Traffic")


def measure_startups(targets: list[Target], repeat: int) -> None:
    for _ in range(repeat):
        for target in targets:
            server = start_streamlit(LOGS, script=target.script)
            target.startups.append(server.startup_seconds)
            server.stop()


def first_render(browser: Any, server: StreamlitServer) -> float:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        started = time.perf_counter()
        open_app(page, server.url)
        return time.perf_counter() - started
    finally:
        context.close()


def update(page: Any, value: int) -> float:
    before = search(page)
    started = time.perf_counter()
    set_number(page, "Average reads/s", str(value))
    wait_for_rerun_after(page, before)
    return time.perf_counter() - started


def measure_in_browser(targets: list[Target], repeat: int) -> None:
    servers = [start_streamlit(LOGS, script=target.script) for target in targets]
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                for server in servers:
                    first_render(browser, server)  # warm-up: the process's first session imports the pages
                for _ in range(repeat):
                    for target, server in zip(targets, servers, strict=True):
                        target.first_renders.append(first_render(browser, server))

                contexts = [browser.new_context(viewport=VIEWPORT) for _ in targets]
                pages = [context.new_page() for context in contexts]
                for target, server, page in zip(targets, servers, pages, strict=True):
                    open_app(page, server.url)
                    target.prepare(page)
                    update(page, 60_500)  # warm-up: the first change loads the widget's code path
                for index in range(repeat):
                    for target, page in zip(targets, pages, strict=True):
                        target.updates.append(update(page, 61_000 + 1_000 * index))
                for context in contexts:
                    context.close()
            finally:
                browser.close()
    finally:
        for server in servers:
            server.stop()


def _line(name: str, app: list[float], bare: list[float], unit: str, scale: float, target: float | None,
          what: str = "app") -> bool:
    a, b = statistics.median(app) * scale, statistics.median(bare) * scale
    ratio = a / b
    goal = f"target <= {target}x" if target else "no target"
    print(f"{name:<32} {what} {a:7.2f} {unit}  bare page {b:7.2f} {unit}  ratio {ratio:.2f}x  {goal}  "
          f"(n={len(app)}; {what} {min(app) * scale:.2f}-{max(app) * scale:.2f}, "
          f"bare {min(bare) * scale:.2f}-{max(bare) * scale:.2f})")
    return target is None or ratio <= target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    app, bare = Target(APP, _traffic_group), Target(BARE_PAGE, _nothing)
    advice, frame = Target(ADVICE_PAGE, _nothing), Target(FRAME_PAGE, _nothing)
    measure_startups([app, bare], max(3, args.repeat // 3))
    measure_in_browser([app, bare, advice, frame], args.repeat)
    _line("server start-up (to health OK)", app.startups, bare.startups, "s", 1, None)
    first_ok = _line("first rendered recommendation", app.first_renders, bare.first_renders, "s", 1,
                     FIRST_RENDER_TARGET_RATIO)
    _line("  floor: app frame + advice", frame.first_renders, bare.first_renders, "s", 1, None, "frame page")
    update_ok = _line("widget change -> updated page", app.updates, bare.updates, "ms", 1000, UPDATE_TARGET_RATIO)
    _line("  floor: advice only", advice.updates, bare.updates, "ms", 1000, None, "advice page")
    _line("  floor: app frame + advice", frame.updates, bare.updates, "ms", 1000, None, "frame page")
    return 0 if first_ok and update_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
