"""The ``obligraph`` command line (Typer + Rich).

Commands live in small modules, each with a ``register(app)`` function:
``cli_core`` (build, stats, export, query, check, push), ``cli_analysis``
(trace, overlap, network, reason), ``cli_views`` (view, serve) and ``cli_people``
(corrections, status, remove). This module only assembles them and turns
:class:`~obligraph.base.errors.ObligraphError` into one clear line on stderr and exit code 2.
"""

from __future__ import annotations

import importlib
import sys

import typer

from obligraph.base.errors import ObligraphError

app = typer.Typer(
    name="obligraph",
    help=(
        "Turn Vietnamese policy documents into a knowledge graph of obligations.\n\n"
        "Start with:  obligraph build   (loads the bundled corpus into the default store)\n"
        "then:        obligraph stats | obligraph query --list | obligraph trace 'Cục Trẻ em'"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

_COMMAND_MODULES = (
    "obligraph.cli.core",
    "obligraph.cli.analysis",
    "obligraph.cli.reason",
    "obligraph.cli.views",
    "obligraph.cli.network",
    "obligraph.cli.people",
)

for _name in _COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as _exc:  # a command module not written yet
        if _exc.name != _name:
            raise
        continue
    _module.register(app)


def main() -> None:
    """Entry point: run the app, print ObligraphError as one line, exit 2."""
    try:
        app()
    except ObligraphError as exc:
        from obligraph.cli.common import one_line

        typer.echo(one_line(exc), err=True)
        sys.exit(exc.exit_code)
