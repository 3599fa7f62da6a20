"""Benchmark results as Markdown tables (readable in a terminal, pasteable into the docs).

>>> print(table(["a", "b"], [[1, 2.5]]))
| a | b |
| --- | --- |
| 1 | 2.5 |
>>> ms({"p50_ms": 1.234, "p95_ms": 2.0})
'1.2 / 2.0'
>>> ms({"timeout": 20})
'> 20 s'
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def ms(res: dict[str, Any] | None) -> str:
    """``p50 / p95`` in ms, or what went wrong."""
    if not res:
        return ""
    if "timeout" in res:
        return f"> {res['timeout']:g} s"
    if "error" in res:
        return "error"
    return f"{res['p50_ms']:.1f} / {res['p95_ms']:.1f}"


def _build_rows(runs: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for run in runs:
        b = run.get("build")
        if not b:
            rows.append([run["label"], *[""] * 9, run.get("error", "")])
            continue
        stages = b.get("stages_s", {})
        rows.append(
            [
                run["label"],
                b["documents"],
                f"{b['tasks']:,}",
                f"{b['triples']:,}",
                f"{b['build_s']:.2f}",
                f"{b['docs_per_s']:,.0f}",
                f"{b['triples_per_s']:,}",
                f"{b['peak_rss_mb']:,.0f}",
                f"{b['store_mb']:,.1f}",
                " / ".join(f"{stages.get(k, 0):.1f}" for k in ("load", "write", "overlap")),
                run.get("overlap", {}).get("seconds", ""),
            ]
        )
    return rows


def markdown(results: dict[str, Any]) -> str:
    """Every table of a benchmark run."""
    m = results["machine"]
    out = io.StringIO()
    out.write(
        f"obligraph benchmark, {m['date']}: Python {m['python']}, {m['cpus']} CPUs, "
        f"pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}, seed {results['seed']}\n\n"
    )
    runs = results["runs"]
    out.write("### Build (embedded on-disk store)\n\n")
    headers = [
        "corpus",
        "docs",
        "tasks",
        "triples",
        "build s",
        "docs/s",
        "triples/s",
        "peak RSS MB",
        "store MB",
        "load / write / overlap s",
        "overlap refresh s",
    ]
    out.write(table(headers, _build_rows(runs)) + "\n\n")
    out.write(
        "Peak RSS is `resource.getrusage(RUSAGE_SELF).ru_maxrss` of the worker process that "
        "ran the build (interpreter, imports and gazetteer included). Synthetic corpora "
        "include the five bundled documents.\n\n"
    )
    measured = [r for r in runs if r.get("queries")]
    if measured:
        out.write("### Named queries, embedded store: p50 / p95 ms (rows)\n\n")
        out.write(_query_table(measured) + "\n\n")
    baseline = [r for r in measured if r.get("rdflib_queries")]
    if baseline:
        out.write("### rdflib in-memory Dataset baseline: p50 ms, and ratio rdflib / embedded\n\n")
        out.write(_baseline_table(baseline) + "\n\n")
    extra = _extra_rows(runs)
    if extra:
        out.write("### Reasoning and views\n\n" + table(["what", "measured"], extra) + "\n")
    return out.getvalue()


def _query_table(measured: list[dict[str, Any]]) -> str:
    """p50 / p95 ms (rows) of every named query, one column per run."""
    names = sorted({q for r in measured for q in r["queries"]})
    rows = []
    for name in names:
        row: list[Any] = [name]
        for r in measured:
            res = r["queries"].get(name)
            cell = f"{ms(res)} ({res.get('rows')})" if res else ""
            if res and "page" in res:
                cell += f"; LIMIT 100: {ms(res['page'])}"
            row.append(cell)
        rows.append(row)
    return table(["query", *[r["label"] for r in measured]], rows)


def _baseline_table(baseline: list[dict[str, Any]]) -> str:
    """rdflib's p50 per query and its ratio to the embedded store's."""
    names = sorted({q for r in baseline for q in r["rdflib_queries"]})
    rows = []
    for name in names:
        row = [name]
        for r in baseline:
            rd, ox = r["rdflib_queries"].get(name, {}), r["queries"].get(name, {})
            if "p50_ms" in rd and "p50_ms" in ox:
                ratio = rd["p50_ms"] / max(ox["p50_ms"], 1e-3)
                row.append(f"{rd['p50_ms']:.1f} ({ratio:,.0f}x)")
            else:
                row.append(ms(rd))
        rows.append(row)
    labels = [f"{r['label']} (load {r.get('rdflib_load_s', '?')} s)" for r in baseline]
    return table(["query", *labels], rows)


def _extra_rows(runs: list[dict[str, Any]]) -> list[list[str]]:
    """Reasoning, views and errors of each run, as ``[what, measured]`` rows."""
    extra = []
    for r in runs:
        rs = r.get("reasoning")
        if rs:
            text = rs.get("skipped") or (
                f"{rs['seconds']} s ({rs['reasoner_seconds']} s in HermiT): "
                f"{rs['input_triples']:,} triples in, {rs['inferred_triples']:,} inferred"
            )
            extra.append([f"reasoning, {r['label']}", text])
        for v in r.get("views", []):
            extra.append(
                [
                    f"view ~{v['target_nodes']:,} nodes: {v['view']} ({r['label']})",
                    f"{v['nodes']} nodes, {v['edges']} edges: graph {v['query_s']} s, "
                    f"render {v['render_s']} s, {v['html_kb']:,.0f} KB HTML",
                ]
            )
        if r.get("error"):
            extra.append([r["label"], r["error"]])
    return extra


def print_profile(path: Path, top: int = 30) -> None:
    """Print the functions that dominate a cProfile dump (cumulative time)."""
    import pstats

    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
