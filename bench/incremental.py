"""Adding documents to a built store: the incremental refresh against the full one, in
one process (docs/benchmark.md, "Adding one document at 1,000 documents").

    python -m bench.incremental STORE EXTRA.txt [MORE.txt ...] [--work DIR] [--check]

STORE is copied (it is never written); on the copy this

1. runs the full refresh of what is derived (``graph.build.refresh_derived`` with no
   change named: succession findings, overlaps, summary), which also keeps the state
   the incremental refresh starts from;
2. builds the extra files into the copy (``graph.build.build``: load, write, and the
   incremental refresh);
3. with ``--check``, runs the full refresh again and says whether ``graph/overlap``,
   ``graph/summary``, ``graph/succession``, ``graph/search`` and ``graph/answers`` are
   the same as step 2 left them.

With ``--skip-full`` step 1 is left out: STORE must then hold the state a refresh kept
(``obligraph-overlaps.json.gz``; a store built by ``obligraph build`` has it).

It prints each step's seconds, where they went (the stages below, wall seconds), the
ratio of step 2 to step 1, and the load average of the machine before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

#: (module, function) pairs timed, in the order printed.
STAGES = (
    ("obligraph.graph.build", "prepare_files"),
    ("obligraph.graph.analysis.overlap_update", "take_state"),
    ("obligraph.graph.stores.oxigraph", "OxigraphStore.write_graphs"),
    ("obligraph.graph.build", "apply_people"),
    ("obligraph.graph.analysis.overlap", "refresh_overlaps"),
    ("obligraph.graph.analysis.overlap_update", "state_of"),
    ("obligraph.graph.analysis.overlap_update", "update_overlaps"),
    ("obligraph.graph.analysis.succession", "succession_findings"),
    ("obligraph.graph.analysis.summary", "read_inputs"),
    ("obligraph.graph.analysis.summary", "refresh_summary"),
    ("obligraph.graph.analysis.search_keys", "refresh_search_keys"),
    ("obligraph.graph.analysis.answers", "refresh_answers"),
    ("obligraph.graph.analysis.search_keys", "update_search_keys"),
    ("obligraph.graph.analysis.answers", "update_answers"),
    ("obligraph.graph.build", "write_ontology"),
    ("obligraph.graph.stores.oxigraph", "OxigraphStore.replace_graph"),
    ("obligraph.graph.analysis.overlap_update", "keep_state"),
    ("obligraph.graph.stores.oxigraph", "OxigraphStore.triples_count"),
)


@contextmanager
def timed_stages(spent: dict[str, float]):
    """Wrap each of :data:`STAGES` so its wall seconds add up in ``spent``."""
    import importlib

    undo = []
    for module_name, name in STAGES:
        owner = importlib.import_module(module_name)
        attr = name
        if "." in name:
            cls, attr = name.split(".")
            owner = getattr(owner, cls)
        original = getattr(owner, attr)

        def wrapper(*args, __f=original, __key=name, **kw):
            started = time.perf_counter()
            try:
                return __f(*args, **kw)
            finally:
                spent[__key] += time.perf_counter() - started

        setattr(owner, attr, wrapper)
        undo.append((owner, attr, original))
    try:
        yield spent
    finally:
        for owner, attr, original in undo:
            setattr(owner, attr, original)


def _derived(store, iris) -> dict[str, set]:
    return {
        name: set(store.graph_triples(iris.special_graph(name)))
        for name in ("overlap", "summary", "succession", "search", "answers")
    }


def _print_stages(title: str, seconds: float, spent: dict[str, float]) -> None:
    print(f"{title}: {seconds:.2f} s")
    for _, name in STAGES:
        if spent.get(name):
            print(f"    {name:<34} {spent[name]:7.2f} s")


def run(
    store_path: Path, extra: list[Path], work: Path, check: bool, skip_full: bool = False
) -> dict:
    """Steps 1-3 of the module docstring on a copy of ``store_path`` in ``work``."""
    from obligraph.graph.build import build, refresh_derived
    from obligraph.graph.stores import open_store
    from obligraph.loaders.units import Gazetteer

    from obligraph.base.vocab import Iris

    copy = work / "store"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store_path, copy)
    iris, gazetteer = Iris(), Gazetteer.default()
    out: dict = {"load before": os.getloadavg()}
    with open_store(copy) as store:
        if not skip_full:
            full: dict[str, float] = defaultdict(float)
            with timed_stages(full):
                started = time.perf_counter()
                refresh_derived(store, iris)
                out["full"] = time.perf_counter() - started
            _print_stages("full refresh", out["full"], full)
        incr: dict[str, float] = defaultdict(float)
        with timed_stages(incr):
            started = time.perf_counter()
            report = build(extra, store, gazetteer=gazetteer)
            out["incremental"] = time.perf_counter() - started
        _print_stages(f"build of {len(extra)} file(s), incremental", out["incremental"], incr)
        print(f"    ({report.documents} document(s), {report.tasks} tasks; store now "
              f"{report.overlaps} overlaps, {report.triples} triples)")  # fmt: skip
        if not skip_full:
            out["ratio"] = out["incremental"] / out["full"]
            print(f"ratio incremental build / full refresh: {out['ratio']:.3f}")
        if check:
            after = _derived(store, iris)
            started = time.perf_counter()
            refresh_derived(store, iris)
            out["check"] = time.perf_counter() - started
            full = _derived(store, iris)
            out["identical"] = after == full
            differ = [name for name in full if after[name] != full[name]]
            print(f"full refresh after it: {out['check']:.2f} s; identical: {out['identical']}"
                  + (f" (differ: {', '.join(differ)})" if differ else ""))  # fmt: skip
    out["load after"] = os.getloadavg()
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*out["load before"]))
    print("load average after:  {:.2f} {:.2f} {:.2f}".format(*out["load after"]))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path, help="a built store (copied, never written)")
    parser.add_argument("extra", type=Path, nargs="+", help="the documents to add")
    parser.add_argument("--work", type=Path, help="where the copy goes (default: a temp folder)")
    parser.add_argument("--check", action="store_true", help="compare with a full refresh")
    parser.add_argument(
        "--skip-full", action="store_true", help="no full refresh first (STORE holds the state)"
    )
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="obligraph-incr-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        run(args.store, args.extra, work, args.check, args.skip_full)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
