"""What every command shares: the store, endpoint and output options, one-line
errors, opening the store a command names, the consoles, unwrapping help text.

>>> one_line(ValueError("bad"))
'error: bad'
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated

import typer

from obligraph.base.errors import (
    ObligraphError,
)
from obligraph.output import formats

StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="Embedded store folder (default: $OBLIGRAPH_HOME/store)."),
]
EndpointOpt = Annotated[
    str | None,
    typer.Option("--endpoint", help="Use this SPARQL 1.1 endpoint (e.g. http://127.0.0.1:7878)."),
]
CorrectionsOpt = Annotated[
    Path | None,
    typer.Option(
        "--corrections",
        help="Corrections file (default: corrections.csv beside the store, or "
        "$OBLIGRAPH_CORRECTIONS); see docs/corrections.md.",
    ),
]
StatusFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--status-file",
        help="Status file (default: status.csv beside the store, or $OBLIGRAPH_STATUS).",
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file, not the screen.")
]
RowsFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help=f"{formats.help_text('rows')} (default: from -o's extension; on the "
        "screen: table in a terminal, tsv when piped)",
    ),
]


def one_line(exc: BaseException) -> str:
    """``error: ...`` on ONE line, whatever the message (engines report on several).

    >>> one_line(QueryError("SPARQL syntax error: at 1:31\\n  expected one of ..."))
    'error: SPARQL syntax error: at 1:31 expected one of ...'
    """
    return "error: " + " ".join(str(exc).split())


def one_line_errors(func):
    """Turn ObligraphError into ``error: ...`` (one line) on stderr and its exit code (2)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ObligraphError as exc:
            typer.echo(one_line(exc), err=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def open_cli_store(
    store_path: Path | None = None,
    endpoint: str | None = None,
    *,
    write: bool = False,
    memory: bool = False,
):
    """The store a command works on: an endpoint, memory, or the embedded store."""
    from obligraph.graph.stores import open_store

    if endpoint:
        return open_store(endpoint=endpoint)
    if memory:
        return open_store(memory=True)
    return open_store(store_path, read_only=not write)


def _console(err: bool = False):
    from rich.console import Console

    return Console(stderr=err)


def unwrap(text: str) -> str:
    r"""Join hard-wrapped prose lines so the terminal can wrap them; keep indented lines.

    >>> unwrap("One line\nand more.\n\n  obligraph build\n")
    'One line and more.\n\n  obligraph build'
    """
    out: list[str] = []
    for line in text.strip("\n").splitlines():
        prose = line and not line.startswith(" ")
        if prose and out and out[-1] and not out[-1].startswith(" "):
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)
