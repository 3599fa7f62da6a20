"""Load rate of a built graph into real engines: Oxigraph server and Virtuoso.

Generates N synthetic documents (``bench.generate``), builds them into an embedded
store, then copies that store into throwaway servers on 127.0.0.1
(``bench/servers.py``) and prints triples a second for each path:

* ``obligraph push`` to an Oxigraph server (N-Quads ``POST /store``),
* ``obligraph push`` to Virtuoso (Graph Store Protocol ``PUT`` per graph),
* ``obligraph export graph -o x.nq`` + Virtuoso's bulk loader (``ld_dir`` +
  ``rdf_loader_run()`` + ``checkpoint`` through ``isql-vt``), export timed apart.

Run once (it takes minutes at 1,000 documents)::

    python -m bench.engines --docs 1000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def obligraph(*args: str) -> None:
    """Run the obligraph command line of this interpreter; raise when it fails."""
    subprocess.run([sys.executable, "-m", "obligraph", *args], check=True)


def ld_dir_load(server, nquads: Path) -> None:
    """Virtuoso's bulk loader over one N-Quads file (graphs as the file names them)."""
    server.isql(
        f"ld_dir('{nquads.parent}', '{nquads.name}', 'urn:obligraph:no-graph')",
        "rdf_loader_run()",
        "checkpoint",
    )
    errors = server.isql("SELECT ll_file FROM DB.DBA.load_list WHERE ll_error IS NOT NULL")
    if str(nquads) in errors:
        raise RuntimeError(f"ld_dir failed on {nquads}: {errors}")


def main(argv: list[str] | None = None) -> int:
    from obligraph.graph.push import push
    from obligraph.graph.stores import open_store

    from bench.servers import running_oxigraph, running_virtuoso, virtuoso_missing

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="obligraph-engines-"))
    docs, store_dir = work / "docs", work / "store"
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()} at start")
    if not docs.exists():
        subprocess.run(
            [sys.executable, "-m", "bench.generate", str(docs), "--docs", str(args.docs)],
            check=True,
        )
    if not store_dir.exists():
        _, secs = _timed(lambda: obligraph("build", str(docs), "--store", str(store_dir), "-q"))
        print(f"build: {secs:.0f} s")
    source = open_store(store_dir, read_only=True)
    triples, graphs = source.triples_count(), len(source.graphs())
    print(f"store: {graphs} named graphs, {triples} triples")
    rows: list[tuple[str, float, float]] = []

    oxi_cli = str(Path(sys.executable).with_name("oxigraph"))
    with running_oxigraph(oxi_cli, work / "oxigraph") as url:
        report = push(source, open_store(endpoint=url))
        rows.append(("Oxigraph server: push (N-Quads POST /store)", report.seconds, report.rate))

    missing = virtuoso_missing()
    if missing:
        print(f"virtuoso: skipped, {missing}")
    else:
        with running_virtuoso(work / "virtuoso-gsp") as v:
            target = open_store(endpoint=v.url)
            target.user, target.password = v.user, v.password
            target.update_url, target.store_url = (
                f"{v.url}/sparql-auth",
                f"{v.url}/sparql-graph-crud-auth",
            )
            report = push(source, target)
            rows.append(("Virtuoso: push (GSP PUT per graph)", report.seconds, report.rate))
        nquads = work / "virtuoso-ld" / "graph.nq"
        nquads.parent.mkdir(parents=True, exist_ok=True)
        _, export_s = _timed(lambda: source.dump(nquads, "nquads"))
        rows.append(("export graph -o graph.nq (embedded store)", export_s, triples / export_s))
        with running_virtuoso(nquads.parent) as v:
            _, secs = _timed(lambda: ld_dir_load(v, nquads))
            rows.append(("Virtuoso: ld_dir + rdf_loader_run + checkpoint", secs, triples / secs))
            loaded = open_store(endpoint=v.url).triples_count()
            assert loaded == triples, (loaded, triples)
    source.close()
    print(f"\n{'path':<52} {'seconds':>8} {'triples/s':>10}")
    for name, secs, rate in rows:
        print(f"{name:<52} {secs:>8.1f} {rate:>10.0f}")
    print(f"load average at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
