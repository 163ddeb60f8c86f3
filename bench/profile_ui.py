"""Where a widget change's time goes: the app, the bare page and the advice-only page (bench_ui.py's three pages),
and optionally the app of other checkouts, each driven through the same user action in Chromium.

Run: python bench/profile_ui.py [--repeat 15] [--verbose] [--cached] [--against DIR ...]. The action is
bench_ui.py's ("Average reads/s" typed + Enter until the URL carries it and the run is over); recorded inside the
page with performance.now(): the key press, every websocket frame (ForwardMsg decoded: type, element, bytes),
the URL change, the script-state flips, and the moment bench_ui.py's wait returns. Also per change: the
server process's CPU time (/proc, all threads) and the page's renderer main-thread time (Chrome's
Performance.getMetrics). Prints medians per phase:

  key->sent             browser: key press to the rerun request on the websocket
  sent->first delta     server: request to the run's first element (script start, widget callbacks)
  first->last delta     server: the script's run as the browser sees it (the advice, every element drawn)
  last delta->finished  the run's end
  finished->done        browser: the last message to the page being idle again with the new URL

--against DIR times `app.py` run from another checkout as well (e.g. an unchanged copy of main), alternately in
the same run, so a change is compared with its baseline under the same machine load.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.bench_ui import ADVICE_PAGE, APP, BARE_PAGE, LOGS, VIEWPORT
from tests.browser.pageobjects import IDLE, open_app, search, set_number, show_group, wait_for_rerun_after
from tests.browser.server import ROOT, launch_chromium, start_streamlit

RECORDER = """
(() => {
  const log = window.__timeline = [];
  const now = () => performance.now();
  const b64 = (buf) => {
    const bytes = new Uint8Array(buf); let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(s);
  };
  const record = (entry) => { if (window.__recording) log.push({t: now(), ...entry}); };
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', (ev) => {
      if (ev.data instanceof ArrayBuffer) record({kind: 'in', data: window.__recording ? b64(ev.data) : ''});
    });
    const send = ws.send.bind(ws);
    ws.send = (d) => { record({kind: 'out', size: d.byteLength || d.size || 0}); send(d); };
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  for (const name of ['replaceState', 'pushState']) {
    const original = history[name].bind(history);
    history[name] = (...a) => { record({kind: 'url'}); return original(...a); };
  }
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') record({kind: 'key'}); }, true);
  const watch = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app) { setTimeout(watch, 20); return; }
    new MutationObserver(() => record({kind: 'state', state: app.getAttribute('data-test-script-state')}))
      .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  };
  watch();
  window.__start = (old) => {
    log.length = 0; window.__recording = true; window.__done = null;
    const poll = () => {
      if (window.location.search !== old && document.querySelector("IDLE_SELECTOR") !== null) {
        window.__done = now();
        return;
      }
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  };
})();
""".replace("IDLE_SELECTOR", IDLE.replace('"', '\\"'))

PAGE_METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")


def describe(data: str) -> tuple[str, str, int]:
    """(message type, what it carries, bytes) of one ForwardMsg frame."""
    raw = base64.b64decode(data)
    msg = ForwardMsg()
    msg.ParseFromString(raw)
    kind = msg.WhichOneof("type") or "?"
    detail = ""
    if kind == "delta":
        which = msg.delta.WhichOneof("type")
        if which == "new_element":
            detail = msg.delta.new_element.WhichOneof("type") or ""
        elif which == "add_block":
            detail = "block " + (msg.delta.add_block.WhichOneof("type") or "")
        else:
            detail = which or ""
        detail += " at " + ".".join(map(str, msg.metadata.delta_path))
    return kind, detail, len(raw)


def server_cpu_ms(pid: int) -> float:
    """CPU time of the server process so far, every thread including ended ones (each rerun runs the script
    on a new thread): /proc utime + stime, in 10 ms ticks, so only its mean over many changes means much."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def page_cpu_ms(cdp: Any) -> dict[str, float]:
    """The page's renderer main-thread busy time so far, and its script, layout and style parts."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {name: float(metrics[name]) * 1000 for name in PAGE_METRICS}


def print_timeline(events: list[dict[str, Any]], key: float, done: float) -> None:
    for e in events:
        extra = ""
        if e["kind"] == "in":
            extra = " ".join(map(str, describe(e["data"])))
        elif e["kind"] == "out":
            extra = f"{e['size']} B"
        elif e["kind"] == "state":
            extra = e["state"]
        print(f"  {e['t'] - key:8.1f} ms  {e['kind']:<6} {extra}")
    print(f"  {done - key:8.1f} ms  done")


def one_change(page: Any, value: int, pid: int, cdp: Any, verbose: bool) -> dict[str, float]:
    cpu_before, page_before = server_cpu_ms(pid), page_cpu_ms(cdp)
    before = search(page)
    page.evaluate("(old) => window.__start(old)", before)
    set_number(page, "Average reads/s", str(value))
    wait_for_rerun_after(page, before)
    page.wait_for_function("() => window.__done !== null")
    page.wait_for_timeout(300)  # late frames land in the log; the CPU figures include the settling
    cpu_after, page_after = server_cpu_ms(pid), page_cpu_ms(cdp)
    events = sorted(page.evaluate("window.__timeline"), key=lambda e: e["t"])
    done = float(page.evaluate("window.__done"))
    key = next(e["t"] for e in events if e["kind"] == "key")
    if verbose:
        print_timeline(events, key, done)
    sent = next((e["t"] for e in events if e["kind"] == "out"), key)
    ins = [(e["t"], *describe(e["data"])) for e in events if e["kind"] == "in"]
    deltas = [i for i in ins if i[1] == "delta"]
    finished = next((i[0] for i in ins if i[1] == "script_finished"), done)
    first_delta = deltas[0][0] if deltas else finished
    last_delta = deltas[-1][0] if deltas else finished
    url = next((e["t"] for e in events if e["kind"] == "url"), done)
    return {
        "key->sent": sent - key,
        "sent->first delta": first_delta - sent,
        "first->last delta": last_delta - first_delta,
        "last delta->finished": finished - last_delta,
        "finished->done": done - finished,
        "total": done - key,
        "URL changed at": url - key,
        "deltas": float(len(deltas)),
        "delta bytes": float(sum(d[3] for d in deltas)),
        "messages in": float(len(ins)),
        "server CPU ms (mean)": cpu_after - cpu_before,
        **{f"page {name} ms": page_after[name] - page_before[name] for name in PAGE_METRICS},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--cached", action="store_true",
                        help="alternate two values, so the advisor's caches answer (the cost without the advice)")
    parser.add_argument("--against", type=Path, action="append", default=[],
                        help="also time app.py run from another checkout (a directory; repeatable)")
    parser.add_argument("--verbose", action="store_true", help="print every event of each page's last change")
    args = parser.parse_args()

    targets = {"app": (APP, ROOT), "bare": (BARE_PAGE, ROOT), "advice": (ADVICE_PAGE, ROOT)}
    targets.update({other.name[:8]: (APP, other) for other in args.against})
    servers = {name: start_streamlit(LOGS, script=script, root=root) for name, (script, root) in targets.items()}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            pages = {}
            for name, server in servers.items():
                context = browser.new_context(viewport=VIEWPORT)
                context.add_init_script(RECORDER)
                page = context.new_page()
                open_app(page, server.url)
                if targets[name][0] == APP:
                    with contextlib.suppress(PlaywrightTimeout):  # a form without the group picker
                        show_group(page, "Traffic", timeout=5_000)
                cdp = context.new_cdp_session(page)
                cdp.send("Performance.enable")
                for value in (60_500, 61_000, 62_000):  # warm-up (and, with --cached, fill the caches)
                    one_change(page, value, server.process.pid, cdp, False)
                pages[name] = page, server.process.pid, cdp
            for index in range(args.repeat):
                for name, (page, pid, cdp) in pages.items():
                    verbose = args.verbose and index == args.repeat - 1
                    if verbose:
                        print(f"{name}:")
                    value = 61_000 + 1_000 * (index % 2 if args.cached else index)
                    results[name].append(one_change(page, value, pid, cdp, verbose))
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
    print(f"{'median of ' + str(args.repeat):<28}" + "".join(f"{name:>9}" for name in targets))
    for key in results["app"][0]:
        summary = statistics.fmean if "(mean)" in key else statistics.median
        print(f"{key:<28}" + "".join(f"{summary(r[key] for r in results[name]):9.1f}" for name in targets))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
