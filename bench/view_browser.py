"""How a graph view page behaves in a real browser: open time, main-thread stalls, heap, labels.

Opens each self-contained view page (``obligraph view ... -o PAGE.html``) in headless
Chromium (Debian's ``/usr/bin/chromium`` driven by Playwright, the browser the web
tests use) at 1366x900 and prints, per page and run:

* ``ready ms``: from navigation start to the first drawing of the network (the page
  sets ``data-ready`` on its first ``afterDrawing``; physics is off, so the first
  drawing is the stable one);
* ``longest task ms`` / ``blocking ms``: the longest main-thread task until then and
  the total blocking time (sum of each long task's part above 50 ms), i.e. how long
  the browser was frozen;
* ``redraw ms``: one more drawing at the opening zoom (what each pan or zoom costs);
* ``heap MB``: the page's JS heap after a garbage collection (CDP ``Runtime.getHeapUsage``);
* ``scale`` and ``labels``: the opening zoom and how many node labels are drawn at it
  and are at least 10 px tall on screen (vis-network's own labels, plus the page's
  overview labels when it has them).

Run from the repository root::

    .venv/bin/python -m bench.view_browser overlap-before.html overlap-after.html --runs 3

It prints numbers; it asserts nothing (timings belong here, not in tests).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

#: installed before any script of the page runs: records when ``data-ready`` appears and
#: every long task of the main thread
_WATCH = """
window.__bench = {longTasks: [], readyAt: null};
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { window.__bench.longTasks.push(e.duration); });
  }).observe({type: "longtask", buffered: true});
} catch (e) {}
new MutationObserver(function (_m, obs) {
  if (document.body && document.body.getAttribute("data-ready") === "1") {
    window.__bench.readyAt = performance.now();
    obs.disconnect();
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-ready"]});
"""

#: in the page once it is ready: the opening zoom, one redraw and the labels drawn
_PROBE = """
() => new Promise(function (resolve) {
  var view = window.obligraphView, net = view.network;
  var t0 = performance.now();
  net.once("afterDrawing", function () {
    var redraw = performance.now() - t0;
    var scale = net.getScale(), box = net.body.container.getBoundingClientRect();
    var native = 0;
    Object.values(net.body.nodes).forEach(function (n) {
      if (n.options.hidden || !n.labelModule || !n.options.label) return;
      var px = Math.min(n.labelModule.fontOptions.size * scale,
                        n.options.scaling.label.maxVisible || Infinity);
      if (!n.labelModule.visible() || px < 10) return;
      var p = net.canvasToDOM({x: n.x, y: n.y});
      if (p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height) native++;
    });
    var overview = view.overviewLabels ? view.overviewLabels().length : 0;
    var long = window.__bench.longTasks;
    resolve({
      ready: window.__bench.readyAt, redraw: redraw, scale: scale,
      labels: native + overview, native: native, overview: overview,
      longest: long.length ? Math.max.apply(null, long) : 0,
      blocking: long.reduce(function (a, d) { return a + Math.max(0, d - 50); }, 0),
      nodes: view.nodes.length, edges: view.edges.length
    });
  });
  net.redraw();
})
"""


def measure(browser: Any, page_path: Path, *, width: int, height: int) -> dict[str, Any]:
    """One opening of one page in a fresh browser context."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(_WATCH)
    context.set_default_timeout(180_000)
    page = context.new_page()
    page.goto(page_path.resolve().as_uri())
    page.wait_for_selector("body[data-ready='1']", state="attached")
    result = page.evaluate(_PROBE)
    cdp = context.new_cdp_session(page)
    cdp.send("HeapProfiler.collectGarbage")
    result["heap_mb"] = cdp.send("Runtime.getHeapUsage")["usedSize"] / 2**20
    context.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path, help="view pages (.html)")
    parser.add_argument("--runs", type=int, default=3, help="openings per page (default 3)")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    cols = ("ready ms", "longest task ms", "blocking ms", "redraw ms", "heap MB")
    print("| page | nodes | edges | KB | " + " | ".join(cols) + " | scale | labels |")
    print("| --- " * (len(cols) + 6) + "|")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for path in args.pages:
            runs = [
                measure(browser, path, width=args.width, height=args.height)
                for _ in range(args.runs)
            ]
            med = {
                k: statistics.median(r[k] for r in runs)
                for k in ("ready", "longest", "blocking", "redraw", "heap_mb")
            }
            last = runs[-1]
            print(
                f"| {path.name} | {last['nodes']:,} | {last['edges']:,} "
                f"| {path.stat().st_size // 1024:,} | {med['ready']:,.0f} | {med['longest']:,.0f} "
                f"| {med['blocking']:,.0f} | {med['redraw']:,.0f} | {med['heap_mb']:,.1f} "
                f"| {last['scale']:.3f} | {last['labels']} ({last['overview']} overview) |",
                flush=True,
            )
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
