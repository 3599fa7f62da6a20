"""The obligraph benchmark: build synthetic corpora of growing size and time everything.

For each size (10, 100, 1000 documents; 10,000 with ``--full``) it generates a
deterministic corpus (:mod:`bench.generate`) plus the five bundled documents, builds
it into a fresh embedded on-disk store in its own process, and reports build time,
documents/s, triples/s, peak memory (``ru_maxrss`` of that process), store size on
disk, p50/p95 latency of every named query (``queries/*.rq``, run through
:func:`obligraph.queries.library.run` with each header's example values), the
overlap refresh time and, for the smaller sizes, the same queries on rdflib's
in-memory Dataset as the baseline (with a time limit per query). It also times the
bundled corpus build, the reasoner (when Java is present) and the graph views at a
few hundred and a few thousand nodes. Results print as Markdown tables; ``--json``
writes them all.

Run from the repository root::

    .venv/bin/python bench/run.py                      # same as -m bench.run
    .venv/bin/python -m bench.run                      # 10, 100, 1000 documents
    .venv/bin/python -m bench.run --full --json out.json
    .venv/bin/python -m bench.run --sizes 50 --profile 50   # cProfile of one build

Corpora and stores go to a temporary folder (``--workdir``), never into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
MARK = "BENCH-RESULT "
if not __package__:  # run as `python bench/run.py`: make `import bench` work
    sys.path.insert(0, str(REPO_ROOT))


# ----------------------------------------------------------------- worker side


def work(spec: dict[str, Any]) -> dict[str, Any]:
    """Measure one corpus in this process (called by ``--worker``)."""
    from obligraph.graph.stores import open_store
    from obligraph.loaders.units import Gazetteer

    from bench.measure import build_store, measure_queries
    from obligraph.base.vocab import Iris

    gazetteer = Gazetteer.default()
    location = Path(spec["store"])
    profile = Path(spec["profile"]) if spec.get("profile") else None
    result: dict[str, Any] = {"label": spec["label"], "docs_requested": spec.get("docs")}
    _note(f"[{spec['label']}] building {len(spec['paths'])} path(s)")
    result["build"] = build_store([Path(p) for p in spec["paths"]], location, profile=profile)
    _note(f"[{spec['label']}] built in {result['build']['build_s']} s; timing queries")
    store = open_store(location)
    try:
        result["queries"] = measure_queries(
            store, gazetteer=gazetteer, repeats=spec["repeats"], budget_s=spec["budget"]
        )
        if result["build"]["triples"] <= spec.get("rdflib_max_triples", 0):
            from bench.rdflib_store import RdflibStore

            _note(f"[{spec['label']}] rdflib baseline")
            rstore = RdflibStore()
            t0 = time.perf_counter()
            rstore.add_quads(store.quads())
            result["rdflib_load_s"] = round(time.perf_counter() - t0, 3)
            result["rdflib_queries"] = measure_queries(
                rstore,
                gazetteer=gazetteer,
                repeats=max(3, spec["repeats"] // 4),
                budget_s=spec["budget"],
                timeout_s=spec["rdflib_timeout"],
            )
            del rstore
        from obligraph.graph.analysis.overlap import refresh_overlaps

        _note(f"[{spec['label']}] overlap refresh")
        t0 = time.perf_counter()
        overlap = refresh_overlaps(store, Iris())
        result["overlap"] = {
            "seconds": round(time.perf_counter() - t0, 3),
            "tasks": overlap.tasks,
            "candidate_pairs": overlap.candidate_pairs,
            "overlaps": len(overlap.overlaps),
        }
        if spec.get("views"):
            _note(f"[{spec['label']}] views")
            result["views"] = measure_views(store, spec["views"])
        if spec.get("reason"):  # last: it adds graph/inferred to what queries would see
            _note(f"[{spec['label']}] reasoning")
            result["reasoning"] = measure_reasoning(store)
    finally:
        store.close()
    return result


def measure_reasoning(store: Any) -> dict[str, Any]:
    """Time ``obligraph.graph.analysis.reason`` on ``store`` (skipped without Java)."""
    if shutil.which("java") is None:
        return {"skipped": "no Java runtime on PATH"}
    from obligraph.graph.analysis.reason import reason

    return reason(store).as_dict()


# Views tried when looking for one near a node count: (view, target as people write it).
VIEW_CANDIDATES = (
    ("document", "704/QĐ-LĐTBXH"),
    ("lineage", "704/QĐ-LĐTBXH"),
    ("unit", "Sở Y tế Thành phố Hồ Chí Minh"),
    ("unit", "Vụ Pháp chế"),
    ("unit", "Cục Trẻ em"),
    ("indicator", "all"),
    ("programme", "1863/QĐ-TTg"),
    ("programme", "23/QĐ-TTg"),
    ("overlap", "all"),
)


def measure_views(store: Any, targets: list[int]) -> list[dict[str, Any]]:
    """Generation time and HTML size of the graph view closest to each node count.

    Every candidate view is built once to count its nodes; the one nearest each
    target is then timed end to end (SPARQL to view graph, then the HTML page).
    """
    from obligraph.viz import views
    from obligraph.viz.render import render_view

    from obligraph.base.errors import ObligraphError

    builders = {
        "unit": views.unit_graph,
        "document": views.document_graph,
        "programme": views.programme_graph,
        "overlap": views.overlap_graph,
        "lineage": views.lineage_graph,
        "indicator": views.indicator_graph,
    }
    sizes: dict[tuple[str, str], int] = {}
    for view, target in VIEW_CANDIDATES:
        try:
            graph, _ = builders[view](store, target)
        except ObligraphError:
            continue
        sizes[(view, target)] = graph.number_of_nodes()
    out = []
    for wanted in targets:
        if not sizes:
            break
        view, target = min(sizes, key=lambda k: abs(sizes[k] - wanted))
        t0 = time.perf_counter()
        graph, title = builders[view](store, target)
        t1 = time.perf_counter()
        page = render_view(graph, title=title)
        t2 = time.perf_counter()
        out.append(
            {
                "target_nodes": wanted,
                "view": f"{view} {target}",
                "nodes": graph.number_of_nodes(),
                "edges": graph.number_of_edges(),
                "query_s": round(t1 - t0, 3),
                "render_s": round(t2 - t1, 3),
                "html_kb": round(len(page.encode("utf-8")) / 1024, 1),
            }
        )
    return out


def _note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ----------------------------------------------------------------- parent side


def run_worker(spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run :func:`work` in a fresh Python process; its stderr goes to ours."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env["OBLIGRAPH_HOME"] = str(Path(spec["store"]).parent / "home")
    cmd = [sys.executable, "-m", "bench.run", "--worker", json.dumps(spec, ensure_ascii=False)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"label": spec["label"], "error": f"worker ran past {timeout:g} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        return {"label": spec["label"], "error": f"worker exited with {proc.returncode}"}
    result = json.loads(lines[-1][len(MARK) :])
    result["worker_s"] = round(time.perf_counter() - t0, 1)
    return result


def machine() -> dict[str, Any]:
    """What ran the benchmark."""
    import pyoxigraph
    import rdflib

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "java": bool(shutil.which("java")),
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="obligraph benchmark",
        epilog="Example: python -m bench.run --sizes 10,100 --json results.json",
    )
    parser.add_argument("--sizes", default="10,100,1000", help="documents per corpus, comma list")
    parser.add_argument("--full", action="store_true", help="also 10,000 documents")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument("--workdir", type=Path, help="where corpora and stores go (default: tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--json", dest="json_out", help="write all results as JSON (- = stdout)")
    parser.add_argument("--repeats", type=int, default=20, help="timed runs per query")
    parser.add_argument("--budget", type=float, default=2.0, help="seconds per query at most")
    parser.add_argument(
        "--rdflib-max-triples",
        type=int,
        default=300_000,
        help="run the rdflib baseline only up to this many triples (0 = never)",
    )
    parser.add_argument("--rdflib-timeout", type=float, default=20.0, help="rdflib s per query")
    parser.add_argument("--no-views", action="store_true", help="skip the graph views")
    parser.add_argument("--no-reason", action="store_true", help="skip the reasoner")
    parser.add_argument("--no-corpus", action="store_true", help="skip the bundled corpus")
    parser.add_argument("--profile", type=int, help="cProfile the build of this size")
    parser.add_argument("--worker-timeout", type=float, default=3600.0)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser


def _run_sizes(args, sizes: list[int], workdir: Path, common: dict, runs: list) -> None:
    """Generate each synthetic corpus and measure it in a fresh worker, appending to ``runs``."""
    import obligraph
    from bench.generate import write_corpus
    from bench.report import print_profile

    reason = not args.no_reason
    view_size = max((s for s in sizes if s <= 1000), default=None)
    for n in sorted(sizes):
        _note(f"generating {n} documents (seed {args.seed})")
        folder = workdir / f"corpus-{n}"
        if folder.exists():
            shutil.rmtree(folder)
        t0 = time.perf_counter()
        write_corpus(folder, n, args.seed)
        generated = round(time.perf_counter() - t0, 2)
        profile = workdir / f"build-{n}.prof" if args.profile == n else None
        spec = {
            **common,
            "label": f"{n} docs",
            "docs": n,
            "paths": [str(folder), str(obligraph.corpus_dir())],
            "store": str(workdir / f"store-{n}"),
            "reason": reason and n == min(sizes),
            "views": [300, 5000] if (not args.no_views and n == view_size) else [],
            "profile": str(profile) if profile else None,
        }
        result = run_worker(spec, args.worker_timeout)
        result["generate_s"] = generated
        runs.append(result)
        if profile and profile.exists():
            print_profile(profile)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)

    if args.worker:
        result = work(json.loads(args.worker))
        print(MARK + json.dumps(result, ensure_ascii=False), flush=True)
        return 0

    from bench.report import markdown

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.full and 10_000 not in sizes:
        sizes.append(10_000)
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="obligraph-bench-"))).resolve()
    if workdir == REPO_ROOT or REPO_ROOT in workdir.parents:
        parser.error(f"{workdir}: the work folder must be outside the repository")
    workdir.mkdir(parents=True, exist_ok=True)
    import obligraph

    common = {
        "repeats": args.repeats,
        "budget": args.budget,
        "rdflib_max_triples": args.rdflib_max_triples,
        "rdflib_timeout": args.rdflib_timeout,
    }
    results: dict[str, Any] = {"machine": machine(), "seed": args.seed, "runs": []}
    if not args.no_corpus:
        spec = {
            **common,
            "label": "bundled corpus",
            "docs": 5,
            "paths": [str(obligraph.corpus_dir())],
            "store": str(workdir / "store-corpus"),
            "reason": not args.no_reason,
        }
        results["runs"].append(run_worker(spec, args.worker_timeout))
    _run_sizes(args, sizes, workdir, common, results["runs"])
    print(markdown(results))
    if args.json_out:
        text = json.dumps(results, ensure_ascii=False, indent=1)
        if args.json_out == "-":
            print(text)
        else:
            Path(args.json_out).write_text(text + "\n", encoding="utf-8")
    if args.keep:
        _note(f"work folder kept: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
