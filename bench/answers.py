"""Named queries before and after a change: the same answers, and the first page's speed.

The "before" texts are the named queries of a git revision (``git show REV:queries/NAME.rq``),
run as that revision's runner did (parameters bound by the store); the "after" ones are
the working tree's, run by :func:`obligraph.queries.library.run`. Both run on the same
store with each header's example values. For each query it prints the first page's
p50/p95 (``LIMIT 100`` appended when the answer is longer, as :mod:`bench.measure`
does; a query with a ``page`` parameter is asked for ``page=1`` instead), before and
after, with the ratio; ``--check`` also compares the whole answers
(:func:`same_answer`).

Run from the repository root, on a store built once (``obligraph build`` or
:func:`bench.measure.build_store`)::

    .venv/bin/python -m bench.answers STORE --before main --check
    .venv/bin/python -m bench.answers STORE --only task-search,unit-search --repeats 9

>>> order_keys("SELECT ?a ?b WHERE { } ORDER BY DESC(?n) ?a", ["a", "b"])
[]
>>> order_keys("SELECT ?a ?n WHERE { } ORDER BY DESC(?n) ?a ?z ?b", ["a", "n", "b"])
['n', 'a']
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python bench/answers.py`
    sys.path.insert(0, str(REPO_ROOT))

Row = tuple[str | None, ...]


def order_keys(text: str, columns: Sequence[str]) -> list[str]:
    """The leading ``ORDER BY`` variables of ``text`` that are output ``columns``
    (up to the first one that is not: ties after it are in no defined order)."""
    from obligraph.graph.analysis.answers import order_by

    keys: list[str] = []
    for var, _descending in order_by(text):
        if var not in columns:
            break
        keys.append(var)
    return keys


def rows_of(result: Any) -> tuple[list[str], list[Row]]:
    """Columns and rows of a SELECT result, each term in N-Triples form (``None``: unbound)."""
    rows = [tuple(None if t is None else t.n3() for t in row) for row in result.rows]
    return list(result.vars), rows


def same_answer(text: str, before: Any, after: Any) -> str | None:
    """``None`` when two results of the query ``text`` agree: the same columns, the same
    rows as a multiset, and the same sequence of the leading ``ORDER BY`` columns; else
    what differs.

    >>> class R:
    ...     def __init__(self, rows): self.vars, self.rows = ["a"], rows
    >>> from rdflib import Literal
    >>> same_answer("SELECT ?a {} ORDER BY ?a", R([(Literal(1),)]), R([(Literal(1),)]))
    >>> same_answer("SELECT ?a {}", R([(Literal(1),)]), R([(Literal("1"),)]))
    'rows differ: 1 only before, 1 only after'
    """
    cols_b, rows_b = rows_of(before)
    cols_a, rows_a = rows_of(after)
    if cols_b != cols_a:
        return f"columns differ: {cols_b} -> {cols_a}"
    gone, new = Counter(rows_b) - Counter(rows_a), Counter(rows_a) - Counter(rows_b)
    if gone or new:
        return f"rows differ: {sum(gone.values())} only before, {sum(new.values())} only after"
    at = [cols_a.index(k) for k in order_keys(text, cols_a)]
    if [[r[i] for i in at] for r in rows_b] != [[r[i] for i in at] for r in rows_a]:
        return "order differs"
    return None


def before_text(name: str, rev: str) -> str | None:
    """The text of named query ``name`` at git revision ``rev`` (``None``: none there)."""
    done = subprocess.run(
        ["git", "show", f"{rev}:queries/{name}.rq"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    return done.stdout if done.returncode == 0 else None


def run_before(store: Any, text: str, params: dict[str, str], gazetteer: Any) -> Any:
    """Run an old query text as the old runner did: parameters bound by the store."""
    from obligraph.queries.library import bind_params, parse_query

    query = parse_query(text, name="before")
    params = {k: v for k, v in params.items() if query.param(k)}  # only what it declares
    bindings = bind_params(query, params, gazetteer=gazetteer)
    return store.query(query.text, bindings=bindings or None)


def compare(
    store: Any,
    *,
    rev: str = "main",
    only: list[str] | None = None,
    repeats: int = 9,
    budget_s: float = 10.0,
    check: bool = False,
    timing: bool = True,
) -> list[dict[str, Any]]:
    """Time (and with ``check``, compare) every named query before and after."""
    from dataclasses import replace

    from obligraph.loaders.units import Gazetteer
    from obligraph.queries import library

    from bench.measure import PAGE, page_variant, time_calls

    gazetteer = Gazetteer.default()
    out = []
    for query in library.catalogue():
        if only and query.name not in only:
            continue
        params = {p.name: p.example for p in query.params}
        old = before_text(query.name, rev)
        row: dict[str, Any] = {"query": query.name}
        after_full = library.run(store, query, params, gazetteer=gazetteer)
        row["rows"] = len(after_full.rows)
        if check and old is not None:
            before_full = run_before(store, old, params, gazetteer)
            # the order the old text promised (a stored answer's ?rank is no column)
            row["same"] = same_answer(old, before_full, after_full) or "same"
        if timing:
            # a query that pages itself (a `page` parameter) is asked for its first page
            paged_new = page_variant(query.text, PAGE) if row["rows"] > PAGE else None
            new_q = replace(query, text=paged_new) if paged_new else query
            new_params = params
            if query.param("page") is not None:
                new_q, new_params = query, {**params, "page": "1"}
            row["after"] = time_calls(
                lambda q=new_q, p=new_params: library.run(store, q, p, gazetteer=gazetteer),
                repeats=repeats,
                budget_s=budget_s,
            )
            same_run = old == query.text and not query.params and new_params is params
            if same_run:  # the same text run the same way: one measurement serves both
                row["before"] = row["after"]
            elif old is not None:
                paged_old = page_variant(old, PAGE) if row["rows"] > PAGE else None
                row["before"] = time_calls(
                    lambda t=paged_old or old, p=params: run_before(store, t, p, gazetteer),
                    repeats=repeats,
                    budget_s=budget_s,
                )
        _note(f"{query.name}: {json.dumps(row, ensure_ascii=False)}")
        out.append(row)
    return out


def markdown(rows: list[dict[str, Any]]) -> str:
    """The before/after table."""
    lines = [
        "| query | rows | before p50 / p95 ms | after p50 / p95 ms | before / after | answers |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        b, a = r.get("before") or {}, r.get("after") or {}

        def cell(t: dict[str, Any]) -> str:
            return f"{t['p50_ms']:.1f} / {t['p95_ms']:.1f}" if "p50_ms" in t else "–"

        ratio = f"{b['p50_ms'] / a['p50_ms']:.0f}x" if "p50_ms" in b and a.get("p50_ms") else "–"
        lines.append(
            f"| {r['query']} | {r['rows']} | {cell(b)} | {cell(a)} | {ratio} | "
            f"{r.get('same', '')} |"
        )
    return "\n".join(lines)


def _note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="named queries before and after a change")
    parser.add_argument("store", type=Path, help="an embedded store folder (opened read-only)")
    parser.add_argument("--before", default="main", help="git revision of the old queries")
    parser.add_argument("--only", help="comma list of query names")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per query at most")
    parser.add_argument("--check", action="store_true", help="compare the whole answers too")
    parser.add_argument("--no-timing", action="store_true", help="only compare answers")
    parser.add_argument("--json", dest="json_out", help="write the rows as JSON")
    args = parser.parse_args(argv)
    from obligraph.graph.stores import open_store

    load = os.getloadavg()
    store = open_store(args.store, read_only=True)
    try:
        rows = compare(
            store,
            rev=args.before,
            only=args.only.split(",") if args.only else None,
            repeats=args.repeats,
            budget_s=args.budget,
            check=args.check,
            timing=not args.no_timing,
        )
    finally:
        store.close()
    print(f"load average before / after: {load[0]:.2f} / {os.getloadavg()[0]:.2f}")
    print(markdown(rows))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
