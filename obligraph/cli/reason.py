"""The ``obligraph reason`` command: OWL reasoning (HermiT) into ``graph/inferred``.

Registered into the main Typer app by :func:`register`; owlready2 and the
reasoner are imported only when the command runs, so ``obligraph --help`` stays
fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from obligraph.base.errors import ObligraphError
from obligraph.cli.common import unwrap

REASON_HELP = """\
Reason over the graph with OWL 2 (owlready2 + HermiT) into graph/inferred.

What follows is written into the named graph graph/inferred (replaced whole on
every run, so running again is idempotent; the documents' own graphs are never
changed):

  - ob:derivesFrom: the legal-basis closure (a plan based on a decision
    that is based on a law derives from the law too);
  - ob:owes: unit -> task it is bound to (lead or support; requests excluded);
  - ob:accountableFor: ob:owes rolled up to parent organisations (a ministry
    answers for its departments' tasks);
  - ob:worksUnder: unit -> programme it owes work under;
  - classes ob:LeadUnit, ob:MultiProgrammeUnit, ob:Programme and the
    assignment classes.

Needs Java (install default-jre-headless); without it the command says so and
exits 2. An inconsistent graph is reported in plain words (exit 2) and leaves
the store unchanged. See docs/reasoning.md.

Examples:

  obligraph reason

  obligraph reason --store /data/obligraph-store

  obligraph reason --format json

  obligraph reason --endpoint http://127.0.0.1:7878

  then:  obligraph query legal-basis-chain --param document="704/QĐ-LĐTBXH"
"""


def reason_cmd(
    store_path: Annotated[
        Path | None,
        typer.Option("--store", help="Embedded store folder (default: $OBLIGRAPH_HOME/store)."),
    ] = None,
    endpoint: Annotated[
        str | None,
        typer.Option("--endpoint", help="Reason over this SPARQL 1.1 endpoint (read + update)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json")] = "table",
) -> None:
    try:
        _run(store_path, endpoint, fmt)
    except ObligraphError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None


def _run(store_path: Path | None, endpoint: str | None, fmt: str) -> None:
    import json

    from rich.console import Console
    from rich.table import Table

    from obligraph.base.errors import QueryError
    from obligraph.graph.analysis.reason import java_executable, reason
    from obligraph.graph.stores import open_store

    if fmt not in ("table", "json"):
        raise QueryError(f"unknown format {fmt!r}; use table or json")
    java_executable()  # before opening the store: say at once when Java is missing
    store = open_store(store_path, endpoint=endpoint)
    try:
        report = reason(store)
    finally:
        store.close()
    if fmt == "json":
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    table = Table(title=f"obligraph reason: {report.inferred_triples} inferred triple(s)")
    table.add_column("inferred fact")
    table.add_column("count", justify="right")
    for name, count in report.counts.items():
        table.add_row(name, str(count))
    console = Console()
    console.print(table)
    console.print(
        f"input {report.input_triples} triples; HermiT {report.reasoner_seconds:.2f} s, "
        f"total {report.seconds:.2f} s; written to {report.graph}"
    )


def register(app: typer.Typer) -> None:
    """Add ``reason`` to the main app."""
    app.command("reason", help=unwrap(REASON_HELP), no_args_is_help=False)(reason_cmd)
