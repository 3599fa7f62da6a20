"""``obligraph trace``: an auditor's view of one unit's obligations.

Registered into the main Typer app by :func:`register`. Heavy imports stay
inside the command so ``obligraph --help`` starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from obligraph.base.errors import ObligraphError
from obligraph.cli.common import unwrap
from obligraph.output import formats

TRACE_HELP = """\
Trace every obligation of a unit back to the text and the law.

For each task the unit leads (chủ trì) or supports (phối hợp): the task, role,
time frame, document and row, the quoted source line(s) with file and line
numbers, the programme it implements, the legal-basis chain (Căn cứ) up to the
law, the indicators it serves, and its overlaps with the unit's other
obligations. The unit may be written in any spelling or abbreviation the
gazetteer knows; an unknown name lists the closest units.

Examples:

  obligraph trace "Cục Trẻ em"

  obligraph trace "Cục TE" --format markdown -o cuc-tre-em.md

  obligraph trace "Sở Y tế" -o so-y-te.html

  obligraph trace "Bộ Lao động - Thương binh và Xã hội" --include-subunits --format json

  obligraph trace "Cục Trẻ em" --endpoint http://127.0.0.1:7878
"""


def trace(
    unit: Annotated[str, typer.Argument(help="Unit name, abbreviation or variant: 'Cục TE'.")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=f"{formats.help_text('trace')} (default: from -o's extension "
            f"{' '.join(formats.extensions('trace'))}, else terminal)",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not the screen.")
    ] = None,
    store_path: Annotated[
        Path | None, typer.Option("--store", help="Embedded store folder (default: home store).")
    ] = None,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="Read from this SPARQL 1.1 endpoint.")
    ] = None,
    include_subunits: Annotated[
        bool, typer.Option("--include-subunits", help="Also trace its sub-units (any depth).")
    ] = False,
    gazetteer_files: Annotated[
        list[Path] | None, typer.Option("--gazetteer", help="Extra gazetteer Turtle file(s).")
    ] = None,
) -> None:
    """Trace every obligation of a unit back to the text and the law."""
    try:
        _run_trace(unit, fmt, output, store_path, endpoint, include_subunits, gazetteer_files)
    except ObligraphError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None


def _run_trace(
    unit: str,
    fmt: str | None,
    output: Path | None,
    store_path: Path | None,
    endpoint: str | None,
    include_subunits: bool,
    gazetteer_files: list[Path] | None,
) -> None:
    from rich.console import Console

    from obligraph.graph.stores import open_store
    from obligraph.loaders.units import Gazetteer
    from obligraph.queries.trace import trace_unit
    from obligraph.queries.trace_render import render, render_terminal

    chosen = formats.choose(
        "trace", explicit=fmt, output=output, default="terminal", command="trace"
    )
    gazetteer = Gazetteer.load(gazetteer_files or ())
    store = open_store(store_path, endpoint=endpoint, read_only=True)
    try:
        result = trace_unit(store, unit, include_subunits=include_subunits, gazetteer=gazetteer)
    finally:
        store.close()
    if output is not None:
        formats.emit(chosen, result, output)
        Console(stderr=True).print(
            f"[green]wrote[/] {output} ({chosen.name}; "
            f"{len(result.obligations)} obligations of {result.unit})"
        )
    elif chosen.name == "terminal":
        render_terminal(result, Console())
    else:
        typer.echo(render(result, chosen.name))


def register(app: typer.Typer) -> None:
    """Add the ``trace`` command to ``app``."""
    app.command("trace", help=unwrap(TRACE_HELP))(trace)
