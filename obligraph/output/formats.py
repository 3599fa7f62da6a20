"""Every format obligraph writes, in ONE registry: name -> file extensions -> writer.

The command line takes its ``--format`` choices, the format of an ``-o FILE`` (from its
extension) and its error messages from here, so a new format is one entry. Formats
come in families, one per kind of thing written:

=========  ==============================================  ============================
family     formats (extensions)                            writer(thing, stream)
=========  ==============================================  ============================
rows       table (.txt), csv, tsv, json, xlsx, markdown    columns + rows
           (.md), html (.html .htm)
rdf        nquads (.nq), trig, turtle (.ttl), json-ld      the store
           (.jsonld), ntriples (.nt)
network    graphml, gexf                                   a networkx graph
trace      terminal (.txt), json, markdown (.md), html     a unit's trace
calendar   ics (.ics)                                      the deadlines' calendar
=========  ==============================================  ============================

:func:`choose` decides: an explicit ``--format`` wins; else the extension of ``-o``;
else the command's default, which for rows on the screen is ``table`` in a terminal
and ``tsv`` when the output is piped. An extension a command cannot write is a
:class:`~obligraph.base.errors.UsageError` naming it and the accepted ones (exit code 2).
:func:`emit` writes to the file or the screen with one encoding policy: UTF-8, with a
byte-order mark in CSV and TSV files (Excel then shows Vietnamese), never on the screen.

Part of the doors: the writers of the lower layers are imported when they run.

>>> choose("rows", output=Path("out.xlsx")).name
'xlsx'
>>> choose("rows", explicit="csv", output=Path("out.xlsx")).name
'csv'
>>> choose("network", output=Path("x.gexf")).name
'gexf'
>>> try:
...     choose("rows", output=Path("x.gexf"), command="query")
... except UsageError as exc:
...     print(exc)
query cannot write .gexf files (x.gexf); it writes .txt .csv .tsv .tab .json .xlsx .md .html .htm
>>> extensions("rdf")
('.nq', '.trig', '.ttl', '.jsonld', '.nt')
>>> choose_in(("rows", "calendar"), output=Path("deadlines.ics")).name
'ics'
>>> choose_in(("rows", "calendar"), output=Path("deadlines.xlsx")).family
'rows'
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import IO, Any

from obligraph.base.errors import UsageError
from obligraph.output import rowwriters


@dataclass(frozen=True)
class OutputFormat:
    """One format: its name, aliases, file extensions and the writer to a stream."""

    family: str
    name: str
    extensions: tuple[str, ...]
    writer: Callable[..., None]
    description: str = ""
    binary: bool = False
    aliases: tuple[str, ...] = ()
    screen: bool = True  # may be written to the screen (a binary format may not)
    serializer: str = ""  # rdf: rdflib's name of the format
    dataset: bool = False  # rdf: keeps the named graphs (else the union of them)
    media_type: str = "text/plain; charset=utf-8"  # served over HTTP as

    @property
    def bom(self) -> bool:
        """Files of this format start with a UTF-8 byte-order mark (CSV and TSV)."""
        return self.family == "rows" and self.name in ("csv", "tsv")


# ------------------------------------------------------------------ writers of other layers


def _rdf_writer(name: str) -> Callable[[Any, Any], None]:
    """Write a store (anything with ``dump(stream, format)``) to a binary stream, or to a
    text stream through its buffer (the screen)."""

    def write(store, stream) -> None:
        raw = getattr(stream, "buffer", None)
        if raw is None and isinstance(stream, io.TextIOBase):
            data = io.BytesIO()
            store.dump(data, name)
            stream.write(data.getvalue().decode("utf-8"))
            return
        if raw is not None:
            stream.flush()
        store.dump(raw if raw is not None else stream, name)

    return write


def _elsewhere(target: str, *args: Any) -> Callable[[Any, Any], None]:
    """A writer that lives in a higher layer, named ``"module:function"`` and imported
    when it first writes (the way rdflib's plugin registry names its serializers), so
    that this registry imports nothing above the writers. It is called as
    ``function(thing, stream, *args)``.

    >>> write = _elsewhere("obligraph.base.textkeys:nfc")
    >>> callable(write)
    True
    """

    def write(thing, stream) -> None:
        module, _, attr = target.partition(":")
        getattr(import_module(module), attr)(thing, stream, *args)

    return write


def _rows_formats() -> list[OutputFormat]:
    """Formats of a table of rows (exports, query results, registers)."""
    F = OutputFormat
    rw = rowwriters
    return [
        F("rows", "table", (".txt",), rw.write_text, "a table (terminal width; text file: 100)"),
        F(
            "rows",
            "csv",
            (".csv",),
            rw.write_csv,
            "CSV, UTF-8 (BOM in files), CRLF",
            media_type="text/csv; charset=utf-8",
        ),
        F(
            "rows",
            "tsv",
            (".tsv", ".tab"),
            rw.write_tsv,
            "plain TSV, UTF-8 (BOM in files)",
            media_type="text/tab-separated-values; charset=utf-8",
        ),
        F(
            "rows",
            "json",
            (".json",),
            rw.write_json,
            "a JSON list of objects",
            media_type="application/json",
        ),
        F(
            "rows",
            "xlsx",
            (".xlsx",),
            rw.write_xlsx,
            "Excel workbook",
            binary=True,
            screen=False,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        F(
            "rows",
            "markdown",
            (".md",),
            rw.write_markdown,
            "Markdown table",
            aliases=("md",),
            media_type="text/markdown; charset=utf-8",
        ),
        F(
            "rows",
            "html",
            (".html", ".htm"),
            rw.write_html,
            "self-contained HTML page",
            media_type="text/html; charset=utf-8",
        ),
    ]


def _rdf_formats() -> list[OutputFormat]:
    """Formats of the store's RDF (dumps and exports)."""
    F = OutputFormat
    quads = {"dataset": True, "serializer": "nquads"}
    return [
        F("rdf", "nquads", (".nq",), _rdf_writer("nquads"), "N-Quads", aliases=("nq",), **quads),
        F("rdf", "trig", (".trig",), _rdf_writer("trig"), "TriG", dataset=True, serializer="trig"),
        F(
            "rdf",
            "turtle",
            (".ttl",),
            _rdf_writer("turtle"),
            "Turtle (union)",
            aliases=("ttl",),
            serializer="turtle",
        ),
        F(
            "rdf",
            "json-ld",
            (".jsonld",),
            _rdf_writer("json-ld"),
            "JSON-LD",
            aliases=("jsonld",),
            dataset=True,
            serializer="json-ld",
        ),
        F(
            "rdf",
            "ntriples",
            (".nt",),
            _rdf_writer("ntriples"),
            "N-Triples",
            aliases=("nt",),
            serializer="nt",
        ),
    ]


def _other_formats() -> list[OutputFormat]:
    """Formats of a network, a trace and a calendar (writers in higher layers, by name)."""
    F = OutputFormat
    net = "obligraph.graph.analysis.network"
    trace = "obligraph.queries.trace_render:write"
    ics = "obligraph.queries.calendar_ics:write_ics"
    return [
        F(
            "network",
            "graphml",
            (".graphml",),
            _elsewhere(f"{net}:write_graphml"),
            "GraphML",
            binary=True,
        ),
        F(
            "network",
            "gexf",
            (".gexf",),
            _elsewhere("obligraph.viz.style:write_gexf"),
            "GEXF 1.2",
            binary=True,
        ),
        F("trace", "terminal", (".txt",), _elsewhere(trace, "terminal"), "panels as text"),
        F("trace", "json", (".json",), _elsewhere(trace, "json"), "JSON (docs/trace.md)"),
        F(
            "trace",
            "markdown",
            (".md",),
            _elsewhere(trace, "markdown"),
            "Markdown",
            aliases=("md",),
        ),
        F(
            "trace",
            "html",
            (".html", ".htm"),
            _elsewhere(trace, "html"),
            "self-contained HTML page",
        ),
        F("calendar", "ics", (".ics",), _elsewhere(ics), "iCalendar (RFC 5545)", aliases=("ical",)),
    ]


def _build() -> dict[str, dict[str, OutputFormat]]:
    registry: dict[str, dict[str, OutputFormat]] = {}
    for entry in [*_rows_formats(), *_rdf_formats(), *_other_formats()]:
        registry.setdefault(entry.family, {})[entry.name] = entry
    return registry


#: family -> name -> format, in the order they are listed to users.
REGISTRY: dict[str, dict[str, OutputFormat]] = _build()


def names(family: str, only: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The format names of a family (``only`` keeps these, in the registry's order).

    >>> names("trace")
    ('terminal', 'json', 'markdown', 'html')
    """
    return tuple(n for n in REGISTRY[family] if only is None or n in only)


def extensions(family: str, only: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Every file extension the formats of a family are recognised by."""
    return tuple(e for n in names(family, only) for e in REGISTRY[family][n].extensions)


def help_text(family: str, only: tuple[str, ...] | None = None) -> str:
    """``csv | tsv | ...`` for a ``--format`` option's help."""
    return " | ".join(names(family, only))


def get(family: str, name: str, *, only: tuple[str, ...] | None = None, command: str = ""):
    """The format called ``name`` (or one of its aliases) in a family; UsageError otherwise."""
    key = name.strip().lower()
    for fmt in REGISTRY[family].values():
        if (only is None or fmt.name in only) and key in (fmt.name, *fmt.aliases):
            return fmt
    who = f"{command}: " if command else ""
    raise UsageError(f"{who}unknown format {name!r}; use one of {', '.join(names(family, only))}")


def choose(
    family: str,
    *,
    explicit: str | None = None,
    output: Path | None = None,
    default: str | None = None,
    only: tuple[str, ...] | None = None,
    command: str = "",
) -> OutputFormat:
    """The format to write: ``explicit`` wins, then ``output``'s extension, then ``default``
    (for rows on the screen: ``table`` in a terminal, ``tsv`` when piped)."""
    if explicit:
        return get(family, explicit, only=only, command=command)
    suffix = output.suffix.lower() if output is not None else ""
    if suffix:
        for fmt in REGISTRY[family].values():
            if (only is None or fmt.name in only) and suffix in fmt.extensions:
                return fmt
        accepted = " ".join(extensions(family, only))
        raise UsageError(
            f"{command or 'this command'} cannot write {suffix} files ({output.name}); "
            f"it writes {accepted}"
        )
    if default is None:
        default = screen_default() if family == "rows" else names(family, only)[0]
    return get(family, default, only=only, command=command)


def choose_in(
    families: tuple[str, ...],
    *,
    explicit: str | None = None,
    output: Path | None = None,
    default: str | None = None,
    command: str = "",
) -> OutputFormat:
    """:func:`choose` over several families (``export deadlines`` writes rows and
    ``.ics``): the first family that knows the name or the extension; else the first
    family's default. An unknown name or extension lists those of every family."""
    if explicit:
        key = explicit.strip().lower()
        for family in families:
            for fmt in REGISTRY[family].values():
                if key in (fmt.name, *fmt.aliases):
                    return fmt
        known = ", ".join(n for family in families for n in names(family))
        who = f"{command}: " if command else ""
        raise UsageError(f"{who}unknown format {explicit!r}; use one of {known}")
    suffix = output.suffix.lower() if output is not None else ""
    if suffix:
        for family in families:
            for fmt in REGISTRY[family].values():
                if suffix in fmt.extensions:
                    return fmt
        accepted = " ".join(e for family in families for e in extensions(family))
        raise UsageError(
            f"{command or 'this command'} cannot write {suffix} files ({output.name}); "
            f"it writes {accepted}"
        )
    return choose(families[0], default=default, command=command)


def stdout_is_terminal() -> bool:
    """Whether the screen output goes to a terminal (not a pipe, a file or a test runner)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def screen_default() -> str:
    """Rows on the screen: ``table`` in a terminal, plain ``tsv`` when piped."""
    return "table" if stdout_is_terminal() else "tsv"


@contextlib.contextmanager
def opened(fmt: OutputFormat, output: Path | None) -> Iterator[IO]:
    """A stream for ``fmt``: the file ``output`` (CSV/TSV with a BOM) or the screen."""
    if output is None:
        if not fmt.screen:
            raise UsageError(f"{fmt.name} needs a file: add -o FILE{fmt.extensions[0]}")
        stream: IO = sys.stdout.buffer if fmt.binary else sys.stdout
        yield stream
        stream.flush()
        return
    try:
        if fmt.binary:
            handle: IO = open(output, "wb")
        else:
            encoding = "utf-8-sig" if fmt.bom else "utf-8"
            handle = open(output, "w", encoding=encoding, newline="")
    except OSError as exc:
        raise UsageError(f"cannot write the file: {exc.strerror or exc}", file=str(output)) from exc
    with handle:
        yield handle


def rows_bytes(fmt: OutputFormat, columns: list[str], rows: list, **kw: Any) -> bytes:
    """Rows in a rows-family format as the bytes of a file (CSV and TSV with a BOM): what
    a download serves.

    >>> rows_bytes(get("rows", "csv"), ["n"], [[1]])
    b'\\xef\\xbb\\xbfn\\r\\n1\\r\\n'
    """
    stream: Any = io.BytesIO() if fmt.binary else io.StringIO(newline="")
    fmt.writer(columns, rows, stream, **kw)
    body = stream.getvalue()
    return body if fmt.binary else body.encode("utf-8-sig" if fmt.bom else "utf-8")


def emit(fmt: OutputFormat, thing: Any, output: Path | None) -> None:
    """Write ``thing`` (a store, a graph, a trace) in ``fmt`` to ``output`` or the screen."""
    with opened(fmt, output) as stream:
        fmt.writer(thing, stream)


def emit_rows(
    fmt: OutputFormat,
    columns: list[str],
    rows: list,
    output: Path | None,
    *,
    title: str = "",
    sheet: str = "",
) -> None:
    """Rows in a rows-family format to a file or the screen (``table`` on the screen is
    laid out for the terminal's width by :func:`obligraph.output.terminal.print_table`)."""
    if fmt.name == "table" and output is None:
        from obligraph.output.terminal import print_table

        print_table(columns, rows, title=title)
        return
    with opened(fmt, output) as stream:
        fmt.writer(columns, rows, stream, title=title, sheet=sheet)
