"""``obligraph overlap`` and ``obligraph network ...``: overlaps and the unit network.

Registered into the main Typer app by :func:`register`. networkx, rapidfuzz and
the store are imported inside the commands so ``obligraph --help`` starts fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from obligraph.base.errors import QueryError
from obligraph.cli.common import (
    EndpointOpt,
    OutputOpt,
    RowsFormatOpt,
    StoreOpt,
    one_line_errors,
    open_cli_store,
    unwrap,
)
from obligraph.output import formats

FORMATS = formats.names("rows")

TopOpt = Annotated[int, typer.Option("--top", "-n", help="Show at most this many rows (0: all).")]
GenericOpt = Annotated[
    bool,
    typer.Option(
        "--include-generic", help="Count placeholders such as 'Các đơn vị liên quan' as units."
    ),
]


def _emit_rows(
    rows: list[dict],
    fmt: str | None,
    title: str,
    output: Path | None = None,
    extra: dict | None = None,
    command: str = "network",
) -> None:
    """Rows in any format of the registry (a table laid out for the terminal by default)."""
    chosen = formats.choose("rows", explicit=fmt, output=output, command=command)
    if chosen.name == "json" and extra:
        _write_json({**extra, "rows": rows}, output)
        return
    columns = list(rows[0]) if rows else []
    formats.emit_rows(chosen, columns, rows, output, title=title)
    if chosen.name == "table" and output is None and extra:
        for key, value in extra.items():
            if not isinstance(value, list | dict):
                typer.echo(f"{key}: {value}")


def _write_json(data: dict, output: Path | None) -> None:
    """``data`` as indented JSON (Vietnamese kept as is) to ``output`` or stdout."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- overlap

OVERLAP_HELP = """\
List overlapping obligations across documents and programmes.

The same task, reworded, under different documents or programmes, and the
same indicator owned under two of them. Overlaps are computed when the store
is built (obligraph build) and kept in the named graph graph/overlap;
--refresh recomputes them from the tasks in the store and reports how long it
took. With --unit only overlaps touching that unit's tasks are listed (any
spelling the gazetteer knows). The table ends with the units carrying most
near-duplicates.

Examples:

  obligraph overlap

  obligraph overlap --unit "Cục Trẻ em" --min-score 0.8

  obligraph overlap --kind indicator --format json -o indicator-overlaps.json

  obligraph overlap --format csv -o overlaps.csv

  obligraph overlap --refresh                (recompute, then list)

  obligraph overlap --endpoint http://127.0.0.1:7878
"""


@one_line_errors
def overlap_cmd(
    unit: Annotated[
        str | None, typer.Option("--unit", "-u", help="Only overlaps touching this unit's tasks.")
    ] = None,
    min_score: Annotated[
        float, typer.Option("--min-score", help="Only overlaps scoring at least this (0-1).")
    ] = 0.0,
    kind: Annotated[str, typer.Option("--kind", help="task | indicator | all")] = "all",
    fmt: RowsFormatOpt = None,
    output: OutputOpt = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Recompute the overlaps first (writes the store).")
    ] = False,
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    from obligraph.queries.overlaps import check_overlap_kind, list_overlaps

    check_overlap_kind(kind)
    chosen = formats.choose("rows", explicit=fmt, output=output, command="overlap")
    store = open_cli_store(store_path, endpoint, write=refresh)
    try:
        listing = list_overlaps(store, unit=unit, min_score=min_score, kind=kind, refresh=refresh)
    finally:
        store.close()
    if chosen.name == "json":
        _write_json({**listing.summary(), "rows": listing.detailed()}, output)
        return
    title = f"Overlaps ({len(listing.rows)})" + (
        f" touching {listing.unit}" if listing.unit else ""
    )
    _emit_rows(listing.rows, chosen.name, title, output, command="overlap")
    if listing.counts and output is None and chosen.name == "table":
        _emit_rows(listing.unit_rows(15), "table", "Units carrying near-duplicates")
    if listing.refreshed:
        typer.echo(
            f"recomputed in {listing.refreshed['refreshed_in_seconds']} s "
            f"({listing.refreshed['candidate_pairs']} candidate pairs scored)",
            err=True,
        )


# --------------------------------------------------------------------------- network

NETWORK_HELP = """\
The obligation network: load, coordination, centrality, paths, Gephi export.

Built with networkx from the store: obligation load per unit, coordination
between units, centrality, the path from a unit to a legal basis, programmes
linked through shared units, and GraphML/GEXF export for Gephi.

Examples:

  obligraph network load --top 10

  obligraph network coordination --min-weight 2

  obligraph network centrality --measure betweenness

  obligraph network path "Sở Y tế" "Luật Trẻ em"

  obligraph network programmes --format json

  obligraph network export --format gexf -o obligraph.gexf
"""


def _graph(store_path: Path | None, endpoint: str | None):
    from obligraph.graph.analysis.network import to_networkx

    store = open_cli_store(store_path, endpoint)
    try:
        return to_networkx(store)
    finally:
        store.close()


def _top(rows: list[dict], top: int) -> list[dict]:
    return rows[:top] if top > 0 else rows


LOAD_HELP = """\
Obligation load per unit, weighted by role.

Each task a unit leads (chủ trì) counts 1.0, each task it supports (phối hợp)
0.5. Placeholders ("Các đơn vị liên quan") are left out unless
--include-generic.

Examples:

  obligraph network load

  obligraph network load --top 5 --format csv -o load.csv
"""


@one_line_errors
def load_cmd(
    top: TopOpt = 0,
    include_generic: GenericOpt = False,
    fmt: RowsFormatOpt = None,
    output: OutputOpt = None,
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    from obligraph.graph.analysis.network import obligation_load

    rows = [
        {"unit": r.label, "load": r.score, "lead": r.lead, "support": r.support, "iri": r.unit}
        for r in obligation_load(_graph(store_path, endpoint), include_generic=include_generic)
    ]
    _emit_rows(_top(rows, top), fmt, "Obligation load (lead 1.0, support 0.5)", output)


COORDINATION_HELP = """\
Units that work together (co-assigned to the same tasks).

Two units are linked when assigned to the same task; the weight is the number
of tasks they share.

Examples:

  obligraph network coordination

  obligraph network coordination --min-weight 3 --format json
"""


def _heaviest_first(graph: Any) -> list[tuple[Any, Any, dict[str, Any]]]:
    """Edges by weight (heaviest first), then by their ends' labels: a stable order."""
    return sorted(
        graph.edges(data=True),
        key=lambda e: (-e[2]["weight"], graph.nodes[e[0]]["label"], graph.nodes[e[1]]["label"]),
    )


@one_line_errors
def coordination_cmd(
    min_weight: Annotated[
        int, typer.Option("--min-weight", help="Only pairs sharing at least this many tasks.")
    ] = 1,
    top: TopOpt = 0,
    include_generic: GenericOpt = False,
    fmt: RowsFormatOpt = None,
    output: OutputOpt = None,
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    from obligraph.graph.analysis.network import coordination_network

    C = coordination_network(_graph(store_path, endpoint), include_generic=include_generic)
    edges = _heaviest_first(C)
    rows = [
        {
            "unit": C.nodes[a]["label"],
            "with": C.nodes[b]["label"],
            "shared tasks": d["weight"],
            "one of them leads": d["lead_support"],
        }
        for a, b, d in edges
        if d["weight"] >= min_weight
    ]
    _emit_rows(_top(rows, top), fmt, "Coordination network", output)


CENTRALITY_HELP = """\
Centrality of units in the coordination network.

Measures: degree, strength (shared tasks summed), betweenness and closeness
(units sharing many tasks are close), eigenvector.

Examples:

  obligraph network centrality

  obligraph network centrality --measure strength --top 10
"""


@one_line_errors
def centrality_cmd(
    measure: Annotated[
        str,
        typer.Option(
            "--measure", "-m", help="degree | strength | betweenness | closeness | eigenvector"
        ),
    ] = "betweenness",
    top: TopOpt = 0,
    include_generic: GenericOpt = False,
    fmt: RowsFormatOpt = None,
    output: OutputOpt = None,
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    from obligraph.graph.analysis.network import centrality

    rows = [
        {"unit": label, measure: value, "iri": iri}
        for iri, label, value in centrality(
            _graph(store_path, endpoint), measure, include_generic=include_generic
        )
    ]
    _emit_rows(_top(rows, top), fmt, f"Centrality ({measure})", output)


PATH_HELP = """\
The path from a unit to a legal basis.

unit -> task -> document -> the documents it rests on (Căn cứ) or implements
-> ... -> BASIS. BASIS is a document number
("23/QĐ-TTg"), a law's name ("Luật Trẻ em") or an IRI. When one name is
several documents (a law cited with and without its year) the shortest path
to any of them is shown. No path: says so, exit 2.

Examples:

  obligraph network path "Cục Trẻ em" "23/QĐ-TTg"

  obligraph network path "Sở Y tế" "Luật Trẻ em" --format json
"""


@one_line_errors
def path_cmd(
    unit: Annotated[str, typer.Argument(help="Unit name (any spelling the gazetteer knows).")],
    basis: Annotated[str, typer.Argument(help="Document number, law name or IRI.")],
    fmt: RowsFormatOpt = None,
    output: OutputOpt = None,
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    from obligraph.graph.analysis.network import path_to_basis

    store = open_cli_store(store_path, endpoint)
    try:
        from obligraph.graph.analysis.network import to_networkx
        from obligraph.queries.library import resolve_unit

        unit_iri, _ = resolve_unit(unit, store)
        G = to_networkx(store)
    finally:
        store.close()
    path = path_to_basis(G, str(unit_iri), basis)
    rows = []
    for step, node in enumerate(path):
        data = G.nodes[node]
        relation = ""
        if step:
            keys = G[path[step - 1]][node]
            relation = ", ".join(sorted({d["relation"] for d in keys.values()}))
        rows.append({"step": step, "via": relation, "kind": data["kind"], "node": data["label"]})
    title = f"Path from {G.nodes[path[0]]['label']} to {G.nodes[path[-1]]['label']}"
    _emit_rows(rows, fmt, title, output)


PROGRAMMES_HELP = """\
Programmes linked through shared units.

Two programmes are linked when one unit owes tasks under both; the weight is
the number of such units.

Examples:

  obligraph network programmes

  obligraph network programmes --format json
"""


@one_line_errors
def programmes_cmd(
    include_generic: GenericOpt = False,
    fmt: RowsFormatOpt = None,
    output: OutputOpt = None,
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    from obligraph.graph.analysis.network import programmes_by_shared_units

    P = programmes_by_shared_units(_graph(store_path, endpoint), include_generic=include_generic)
    edges = _heaviest_first(P)
    rows = [
        {
            "programme": P.nodes[a]["label"],
            "with": P.nodes[b]["label"],
            "shared units": d["weight"],
            "units": d["units"],
        }
        for a, b, d in edges
    ]
    _emit_rows(rows, fmt, "Programmes linked through shared units", output)


EXPORT_HELP = """\
Export the network as GraphML or GEXF (Gephi), the format taken from -o's
extension (.graphml, .gexf) unless --format says. GEXF carries the colours of
the graph views (node colour and size by kind, edge colour and width by role).

--view chooses what:
full (units, tasks, documents, programmes, indicators; roles on the edges),
coordination (units only, weight = shared tasks) or programmes.

Examples:

  obligraph network export -o obligraph.gexf

  obligraph network export --view coordination -o units.graphml
"""


@one_line_errors
def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=f"{formats.help_text('network')} "
            "(default: from -o's extension .graphml .gexf, else graphml)",
        ),
    ] = None,
    view: Annotated[str, typer.Option("--view", help="full | coordination | programmes")] = "full",
    include_generic: GenericOpt = False,
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    from rich.console import Console

    from obligraph.graph.analysis.network import coordination_network, programmes_by_shared_units

    chosen = formats.choose(
        "network", explicit=fmt, output=output, default="graphml", command="network export"
    )
    if view not in ("full", "coordination", "programmes"):
        raise QueryError(f"unknown view {view!r}; use full, coordination or programmes")
    G = _graph(store_path, endpoint)
    if view == "coordination":
        G = coordination_network(G, include_generic=include_generic)
    elif view == "programmes":
        G = programmes_by_shared_units(G, include_generic=include_generic)
    formats.emit(chosen, G, output)
    Console(stderr=True).print(
        f"[green]wrote[/] {output} ({chosen.name}; {G.number_of_nodes()} nodes, "
        f"{G.number_of_edges()} edges)"
    )


def register(app: typer.Typer) -> None:
    """Add ``overlap`` and the ``network`` group to ``app``."""
    app.command("overlap", help=unwrap(OVERLAP_HELP))(overlap_cmd)
    network = typer.Typer(help=unwrap(NETWORK_HELP), no_args_is_help=True, rich_markup_mode="rich")
    network.command("load", help=unwrap(LOAD_HELP))(load_cmd)
    network.command("coordination", help=unwrap(COORDINATION_HELP))(coordination_cmd)
    network.command("centrality", help=unwrap(CENTRALITY_HELP))(centrality_cmd)
    network.command("path", help=unwrap(PATH_HELP))(path_cmd)
    network.command("programmes", help=unwrap(PROGRAMMES_HELP))(programmes_cmd)
    network.command("export", help=unwrap(EXPORT_HELP))(export_cmd)
    app.add_typer(network, name="network")
