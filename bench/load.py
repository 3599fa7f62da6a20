"""Load test of ``obligraph serve``: many clients on 127.0.0.1, throughput, latency, memory.

Builds a store from the bundled corpus (``--docs 0``, the default) or from N generated
documents (:mod:`bench.generate`) in a temporary folder, starts ``obligraph serve`` in
a child process, and runs ``--clients`` threads for ``--seconds`` seconds, each asking in
turn for the home page, a search, a unit page, a document page, the overview and a
SPARQL query (the pages and links are read from the app's own search results). Prints,
per path and overall: requests, errors (any status other than 200, or no answer within
``--timeout``), busy (counted apart: ``/sparql``'s documented 503 ``busy`` with
``Retry-After: 1``, answered at once when ``--max-queries`` queries are running),
requests per second, p50 and p99 latency; and the server's resident
memory before, at the end, and its peak (``VmHWM``, Linux). Nothing is asserted::

    python bench/load.py                       # corpus, 20 clients, 30 s
    python bench/load.py --docs 1000 --seconds 30 --clients 20
    python bench/load.py --skip overview       # leave a path out of the mix
    python bench/load.py --store /tmp/s1000    # serve a store built before (no build)
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SPARQL = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label } LIMIT 50"
)


def memory_kib(pid: int) -> dict[str, int]:
    """Resident memory of ``pid`` now (VmRSS) and at its peak (VmHWM), in KiB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (the server's forkserver and query workers), Linux."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def workers_kib(pid: int) -> tuple[int, int]:
    """How many processes run below ``pid``, and their resident memory in KiB."""
    total = n = 0
    for child in descendants(pid):
        try:
            total += memory_kib(child).get("VmRSS", 0)
            n += 1
        except OSError:
            continue
    return n, total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(work: Path, docs: int) -> Path:
    store = work / "store"
    inputs: list[str] = []
    if docs:
        folder = work / "docs"
        subprocess.run(
            [sys.executable, "-m", "bench.generate", str(folder), "--docs", str(docs)],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        inputs = [str(folder)]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "obligraph", "build", *inputs, "--store", str(store), "-q"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"store: {docs or 5} documents built in {time.perf_counter() - started:.1f} s")
    return store


def start_server(store: Path, work: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "obligraph", "serve", "--port", str(port), "--store", str(store)],
        env={**os.environ, "OBLIGRAPH_HOME": str(work / "home")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def url_mix(url: str, skip: set[str]) -> dict[str, tuple[str, dict]]:
    """Paths to ask for, found through the app's own search."""
    html = httpx.get(url + "/", params={"q": "sở"}, timeout=120).text
    unit = re.search(r'href="(/unit/[^"?#]+)"', html)
    doc = re.search(r'href="(/doc/[^"?#]+)"', html)
    if doc is None:
        more = httpx.get(url + "/", params={"q": "kế hoạch"}, timeout=120).text
        doc = re.search(r'href="(/doc/[^"?#]+)"', more)
    mix = {
        "home": ("/", {}),
        "search": ("/", {"q": "tre em"}),
        "unit": (unit.group(1) if unit else "/", {}),
        "document": (doc.group(1) if doc else "/", {}),
        "overview": ("/overview", {}),
        "sparql": ("/sparql", {"query": SPARQL}),
    }
    return {k: v for k, v in mix.items() if k not in skip}


def run_clients(
    url: str, mix: dict[str, tuple[str, dict]], clients: int, seconds: float, timeout: float
) -> dict[str, list[tuple[float, bool | None]]]:
    """Per path: (seconds, True for 200 / None for a ``busy`` 503 / False otherwise)."""
    results: dict[str, list[tuple[float, bool | None]]] = {k: [] for k in mix}
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    names = list(mix)

    def client(n: int) -> None:
        with httpx.Client(base_url=url, timeout=timeout) as http:
            i = n
            while time.monotonic() < stop:
                name = names[i % len(names)]
                path, params = mix[name]
                t0 = time.perf_counter()
                ok: bool | None
                try:
                    answer = http.get(path, params=params)
                    ok = answer.status_code == 200
                    if answer.status_code == 503 and answer.text.startswith("busy:"):
                        ok = None  # --max-queries refused it at once (Retry-After: 1)
                except httpx.HTTPError:
                    ok = False
                with lock:
                    results[name].append((time.perf_counter() - t0, ok))
                i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=0, help="generated documents (0: corpus)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    parser.add_argument("--skip", action="append", default=[], help="a path name to leave out")
    parser.add_argument("--store", type=Path, help="serve this store (built before; no build)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="obligraph-load-") as tmp:
        work = Path(tmp)
        store = args.store or build_store(work, args.docs)
        proc, url = start_server(store, work)
        try:
            mix = url_mix(url, set(args.skip))
            before = memory_kib(proc.pid)
            started = time.perf_counter()
            results = run_clients(url, mix, args.clients, args.seconds, args.timeout)
            wall = time.perf_counter() - started
            after = memory_kib(proc.pid)
            workers = workers_kib(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"{args.clients} clients, {wall:.1f} s, paths: " + ", ".join(p for p, _ in mix.values()))
    print(
        f"{'path':<10}{'requests':>10}{'errors':>8}{'busy':>6}{'req/s':>8}"
        f"{'p50 ms':>9}{'p99 ms':>9}"
    )
    every: list[tuple[float, bool | None]] = []
    for name, rows in [*results.items(), ("all", [])]:
        rows = rows or (every if name == "all" else [])
        if name != "all":
            every.extend(rows)
        times = [t * 1000 for t, _ in rows]
        errors = sum(1 for _, ok in rows if ok is False)
        busy = sum(1 for _, ok in rows if ok is None)
        print(
            f"{name:<10}{len(rows):>10}{errors:>8}{busy:>6}{len(rows) / wall:>8.1f}"
            f"{percentile(times, 50):>9.0f}{percentile(times, 99):>9.0f}"
        )
    print(
        f"server memory: {before['VmRSS'] / 1024:.0f} MiB before, "
        f"{after['VmRSS'] / 1024:.0f} MiB after, peak {after['VmHWM'] / 1024:.0f} MiB"
    )
    print(f"worker processes at the end: {workers[0]}, {workers[1] / 1024:.0f} MiB resident")
    print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
