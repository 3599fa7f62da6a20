"""Measurements the benchmark takes inside one worker process (one corpus size per process).

Each corpus size is measured in a fresh Python process (see :mod:`bench.run`) so
the peak memory reported for a build is that build's own: ``resource.getrusage``
``ru_maxrss`` of the worker right after the build (the interpreter, imports and
gazetteer included), not of the whole benchmark.

>>> percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50), percentile([5.0, 1.0, 3.0, 2.0, 4.0], 95)
(3.0, 5.0)
>>> page_variant("SELECT ?x WHERE { ?x ?p ?o }\\nORDER BY ?x\\n", 100).endswith("LIMIT 100\\n")
True
>>> page_variant("SELECT ?x WHERE { ?x ?p ?o } LIMIT 5", 100) is None
True
"""

from __future__ import annotations

import math
import re
import resource
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

PAGE = 100  # rows in a "page-sized" result
_LIMIT_AT_END = re.compile(r"\b(LIMIT|OFFSET)\s+\d+\s*$", re.IGNORECASE)
_VALUES_AT_END = re.compile(r"\bVALUES\b[^{}]*\{[^{}]*\}\s*$", re.IGNORECASE)


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile of ``samples``."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (``ru_maxrss``), in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def dir_size_mb(path: Path) -> float:
    """Bytes under ``path`` in MiB."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 2**20


def page_variant(text: str, page: int) -> str | None:
    """The query limited to ``page`` rows, or None when it already ends with LIMIT/VALUES."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    if _LIMIT_AT_END.search(body) or _VALUES_AT_END.search(body):
        return None
    if not re.search(r"\bSELECT\b", body, re.IGNORECASE):
        return None
    return text.rstrip() + f"\nLIMIT {page}\n"


def time_calls(
    call: Callable[[], Any], *, repeats: int, budget_s: float, timeout_s: float = 0
) -> dict[str, Any]:
    """Run ``call`` once to warm up, then up to ``repeats`` times within ``budget_s``.

    Returns p50/p95 in milliseconds, the number of timed runs and the result size;
    ``timeout`` (with ``timeout_s``) when one run passes the time limit.
    """
    from bench.rdflib_store import QueryTimeout, time_limit

    samples: list[float] = []
    rows = None
    started = time.perf_counter()
    try:
        for n in range(repeats + 1):
            t0 = time.perf_counter()
            with time_limit(timeout_s):
                result = call()
            elapsed = (time.perf_counter() - t0) * 1000
            if n == 0:
                rows = _size(result)
                first = elapsed
            else:
                samples.append(elapsed)
            spent = time.perf_counter() - started
            if n >= 3 and spent > budget_s:
                break
            if n == 0 and first / 1000 > budget_s:
                samples.append(first)  # one slow run is the measurement
                break
    except QueryTimeout:
        return {"timeout": timeout_s, "rows": rows}
    except Exception as exc:  # a broken query is reported, not fatal to the benchmark
        return {"error": f"{type(exc).__name__}: {exc}"[:300], "rows": rows}
    return {
        "p50_ms": round(percentile(samples, 50), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        "runs": len(samples),
        "rows": rows,
    }


def _size(result: Any) -> int | None:
    if getattr(result, "boolean", None) is not None:
        return 1
    if getattr(result, "graph", None) is not None:
        return len(result.graph)
    return len(getattr(result, "rows", []))


def measure_queries(
    store: Any,
    *,
    gazetteer: Any,
    repeats: int,
    budget_s: float,
    timeout_s: float = 0,
    only: list[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Latency of every named query (``queries/*.rq``) with its header's example values.

    A query that returns more than a page of rows is also timed with ``LIMIT 100``
    (key ``page``): the target is about page-sized results.
    """
    from obligraph.queries import library

    out: dict[str, dict[str, Any]] = {}
    for query in library.catalogue():
        if only is not None and query.name not in only:
            continue
        params = {p.name: p.example for p in query.params}

        def run(q: Any = query, params: dict[str, str] = params) -> Any:
            return library.run(store, q, params, gazetteer=gazetteer)

        res = time_calls(run, repeats=repeats, budget_s=budget_s, timeout_s=timeout_s)
        res["params"] = params
        limited = page_variant(query.text, PAGE)
        if limited and (res.get("rows") or 0) > PAGE:
            paged = replace(query, text=limited)

            def run_page(q: Any = paged, params: dict[str, str] = params) -> Any:
                return library.run(store, q, params, gazetteer=gazetteer)

            res["page"] = time_calls(
                run_page, repeats=repeats, budget_s=budget_s, timeout_s=timeout_s
            )
        out[query.name] = res
    return out


class StageClock:
    """A build ``progress`` callback that notes when each stage starts and ends."""

    def __init__(self) -> None:
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}
        self.order: list[str] = []

    def __call__(self, stage: str, n: int, total: int, label: str) -> None:
        now = time.perf_counter()
        if stage not in self.first:
            self.first[stage] = now
            self.order.append(stage)
        self.last[stage] = now

    def durations(self, started: float, ended: float) -> dict[str, float]:
        """Seconds per stage: from the end of the previous stage to this stage's end."""
        out: dict[str, float] = {}
        previous = started
        for stage in self.order:
            end = self.last[stage]
            out[stage] = round(end - previous, 3)
            previous = end
        if self.order:
            out["rest"] = round(ended - previous, 3)
        return out


def build_store(paths: list[Path], location: Path, *, profile: Path | None = None) -> dict:
    """Build ``paths`` into a fresh embedded store at ``location``; timings and sizes."""
    from obligraph.graph.build import build
    from obligraph.graph.stores import open_store
    from obligraph.loaders.units import Gazetteer

    gazetteer = Gazetteer.default()
    if location.exists():
        shutil.rmtree(location)
    store = open_store(location)
    clock = StageClock()
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        report = profiler.runcall(build, paths, store, gazetteer=gazetteer, progress=clock)
        profiler.dump_stats(str(profile))
    else:
        report = build(paths, store, gazetteer=gazetteer, progress=clock)
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    store.close()
    result = {
        "documents": report.documents,
        "tasks": report.tasks,
        "assignments": report.assignments,
        "indicators": report.indicators,
        "units": report.units,
        "findings": report.findings,
        "triples": report.triples,
        "build_s": round(seconds, 3),
        "stages_s": clock.durations(started, started + seconds),
        "docs_per_s": round(report.documents / seconds, 1),
        "triples_per_s": round(report.triples / seconds),
        "peak_rss_mb": round(peak, 1),
        "rss_before_build_mb": round(rss_before, 1),
        "store_mb": round(dir_size_mb(location), 2),
        "profiled": profile is not None,
    }
    return result
