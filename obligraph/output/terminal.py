"""Printing rows on a terminal: the width it has, whole words, records when narrow.

The layout is :mod:`obligraph.output.render_table`'s; this module only asks Rich for the
terminal's width (``COLUMNS`` wins, as everywhere) and prints the lines with a bold
header, without letting Rich re-wrap them. Part of the doors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from obligraph.base.vocab import PREFIXES
from obligraph.output.render_table import render_lines
from obligraph.output.rowwriters import as_lists, cell_text


def console(*, err: bool = False):
    """A Rich console on stdout (or stderr)."""
    from rich.console import Console

    return Console(stderr=err, highlight=False)


def short_iri(text: str) -> str:
    """An IRI of a known vocabulary as ``prefix:local`` (``ob:Task``); other text unchanged.

    >>> short_iri("https://w3id.org/obligraph/ontology#Task"), short_iri("Cục Trẻ em")
    ('ob:Task', 'Cục Trẻ em')
    """
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text


def print_table(
    columns: Sequence[str],
    rows: Sequence[Any],
    *,
    title: str = "",
    caption: str | None = None,
    width: int | None = None,
) -> None:
    """Print rows laid out for the terminal: a table, or one record per block."""
    from rich.text import Text

    out = console()
    width = width or out.width
    data = [[short_iri(cell_text(v)) for v in row] for row in as_lists(columns, rows)]
    lines = render_lines(list(columns), data, width)
    if title:
        out.print(Text(title, style="bold"), soft_wrap=True)
    header = next((n for n, line in enumerate(lines) if line and set(line) <= {"─", " "}), -1)
    for n, line in enumerate(lines):
        style = "bold" if n < header else "dim" if line.startswith("──") else ""
        out.print(Text(line, style=style), soft_wrap=True)
    note = caption if caption is not None else f"{len(data)} row(s)"
    if note:
        out.print(Text(note, style="dim"), soft_wrap=True)
