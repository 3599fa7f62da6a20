"""Core commands: ``build``, ``stats``, ``export``, ``query``, ``check``, ``push``.

Registered into the main Typer app by :func:`register`. Heavy imports stay inside
the commands so ``obligraph --help`` starts fast. Every command turns an
:class:`~obligraph.base.errors.ObligraphError` into one line on stderr and exit code 2.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated

import typer

from obligraph.base.errors import (
    LimitError,
    QueryError,
    TimeLimitError,
    UsageError,
)
from obligraph.cli.check import CHECK_FORMATS
from obligraph.cli.common import (
    CorrectionsOpt,
    EndpointOpt,
    OutputOpt,
    RowsFormatOpt,
    StatusFileOpt,
    StoreOpt,
    _console,
    one_line_errors,
    open_cli_store,
    unwrap,
)
from obligraph.graph.stores.worker import DEFAULT_QUERY_MEMORY_MIB, MIN_QUERY_MEMORY_MIB
from obligraph.output import formats
from obligraph.queries.stats import store_stats

# --------------------------------------------------------------------------- build

BUILD_HELP = """\
Load documents into the store: one named graph per document, replaced atomically.

With no PATHS the bundled corpus (five real documents) is loaded. Folders are
expanded to their .txt, .md, .html, .docx and .pdf files (README files skipped). Every file is
read and checked BEFORE anything is written; each document is stored whole or not
at all. A file that cannot be loaded (empty, binary, not UTF-8/UTF-16, ...) is
reported in the summary with its line and reason and the other files load: exit
code 0 when every file loaded, 1 when some were reported, 2 when none could be
loaded or on a fatal error. --strict: all-or-nothing, the first bad file stops the
build (exit code 2) and the store is left exactly as it was. The same document
twice (a copied file, or the same number, type, year and issuer) is loaded once
and reported as a duplicate; a text that is no official document (an article, a
form) is reported as such. Rebuilding the same files is idempotent. Big inputs
are read on all cores (--jobs to choose). People's corrections (corrections.csv)
and task statuses (status.csv), kept beside the store, are applied after the
documents; a correction whose target is gone is reported, never dropped
(docs/corrections.md).

Examples:

  obligraph build

  obligraph build plans/ extra/qd-123.txt --gazetteer my-units.ttl

  obligraph build --memory            (check the files without keeping a store)

  obligraph build --store /data/obligraph-store

  obligraph build plans/ --jobs 2

  obligraph build plans/ --strict     (stop at the first bad file, store unchanged)

  obligraph build --endpoint http://127.0.0.1:7878
"""


@one_line_errors
def build_cmd(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: the bundled corpus).")
    ] = None,
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
    memory: Annotated[
        bool, typer.Option("--memory", help="Build into memory only (nothing kept).")
    ] = False,
    gazetteer_files: Annotated[
        list[Path] | None,
        typer.Option("--gazetteer", help="Extra gazetteer Turtle file (repeatable)."),
    ] = None,
    base: Annotated[
        str | None, typer.Option("--base", help="Base of the data IRIs (default w3id).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="All or nothing: the first bad file stops the build."),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Processes that read files (default: all cores for 24+)."
        ),
    ] = None,
    corrections_file: CorrectionsOpt = None,
    status_file: StatusFileOpt = None,
) -> None:
    import obligraph
    from obligraph.base.vocab import Iris
    from obligraph.cli.people import people_inputs
    from obligraph.graph.build import build
    from obligraph.loaders.units import Gazetteer

    gazetteer = Gazetteer.load(gazetteer_files or ())
    inputs = list(paths) if paths else [obligraph.corpus_dir()]
    iris = Iris(base)
    progress, report = _build_progress(quiet)
    corrections, statuses = people_inputs(store_path, corrections_file, status_file)
    store = open_cli_store(store_path, endpoint, write=True, memory=memory)
    try:
        with progress:
            result = build(
                inputs,
                store,
                gazetteer=gazetteer,
                iris=iris,
                progress=report,
                jobs=jobs,
                strict=strict,
                corrections=corrections,
                statuses=statuses,
            )
    finally:
        store.close()
    if not memory and not endpoint:  # where the files are, for the web app's source view
        _record_sources(store_path, result.sources)
    _print_build_summary(result, memory)
    raise typer.Exit(result.exit_code)


def _build_progress(quiet: bool):
    """``(progress, report)``: a progress bar on stderr (off with ``quiet``) and the
    ``report(stage, done, total, name)`` callback the build calls, one bar per stage."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[name]}"),
        console=_console(err=True),
        transient=True,
        disable=quiet,
    )
    tasks: dict[str, int] = {}

    def report(stage: str, done: int, total: int, name: str) -> None:
        label = {"load": "reading", "write": "writing", "overlap": "overlaps"}.get(stage, stage)
        if stage not in tasks:
            tasks[stage] = progress.add_task(label, total=total, name="")
        progress.update(tasks[stage], completed=done, total=total, name=name[-60:])

    return progress, report


def _record_sources(store_path: Path | None, sources) -> None:
    """Write where the built files are (``sources.tsv`` beside the store)."""
    from obligraph.base.config import store_path as default_store
    from obligraph.graph.sources import record_sources, sources_file

    record_sources(sources_file(store_path or default_store()), sources)


def _print_build_summary(result, memory: bool) -> None:
    from rich.table import Table

    out = _console()
    table = Table(title="obligraph build", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, attr in (
        ("documents", "documents"),
        ("tasks", "tasks"),
        ("units", "units_known"),
        ("units with tasks", "units_with_tasks"),
        ("assignments", "assignments"),
        ("indicators", "indicators"),
        ("targets", "targets"),
        ("findings", "findings"),
        ("overlaps", "overlaps"),
        ("overlapping pairs", "overlapping_pairs"),
        ("triples", "triples"),
    ):
        table.add_row(key, str(getattr(result, attr)))
    table.add_row("seconds", f"{result.seconds:.2f}")
    table.add_row("files not loaded", str(len(result.failed)))
    table.add_row("duplicates", str(len(result.duplicates)))
    table.add_row("not official documents", str(len(result.unofficial)))
    table.add_row("corrections applied", str(result.corrections_applied))
    table.add_row("statuses applied", str(result.statuses_applied))
    out.print(table)
    from obligraph.cli.people import print_not_applied

    print_not_applied(out, result.corrections_not_applied, result.statuses_not_applied)
    if result.failed:
        out.print(f"not loaded ({len(result.failed)}; fix them and build again):", markup=False)
        for f in result.failed:
            out.print(f"  {f}", markup=False, soft_wrap=True)
    if result.duplicates:
        out.print(f"duplicates ({len(result.duplicates)}; loaded once):", markup=False)
        for d in result.duplicates:
            out.print(f"  {d['file']} = {d['same_as']}", markup=False, soft_wrap=True)
    if result.unofficial:
        out.print(
            f"not official documents ({len(result.unofficial)}; nothing extracted): "
            + ", ".join(result.unofficial),
            markup=False,
            soft_wrap=True,
        )
    if memory:
        out.print("store: in memory (nothing kept; drop --memory to keep the graph)")
    else:
        out.print(f"store: {result.store}")
        out.print(
            "next: obligraph stats | obligraph query --list | "
            "obligraph export obligations --format csv -o obligations.csv"
        )


# --------------------------------------------------------------------------- stats

STATS_HELP = """\
What the store holds: named graphs, documents, tasks, assignments, units, indicators,
targets, deadlines, findings and triples.

Examples:

  obligraph stats

  obligraph stats --format json

  obligraph stats --endpoint http://127.0.0.1:7878
"""

_STATS_FORMATS = ("table", "json", "tsv", "csv", "markdown", "html")


@one_line_errors
def stats_cmd(
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=f"{formats.help_text('rows', _STATS_FORMATS)} "
            "(default: table in a terminal, tsv when piped)",
        ),
    ] = None,
) -> None:
    import json

    from obligraph.output import formats

    if fmt != "json":
        chosen = formats.choose("rows", explicit=fmt, only=_STATS_FORMATS, command="stats")
    store = open_cli_store(store_path, endpoint)
    try:
        stats = store_stats(store)
    finally:
        store.close()
    if fmt == "json":
        typer.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    rows = [[key, value] for key, value in stats.items()]
    formats.emit_rows(chosen, ["what", "value"], rows, None, title="obligraph stats")


# --------------------------------------------------------------------------- export

EXPORT_HELP = """\
Export rows (the export contract) or the whole graph.

KIND is one of:
  obligations  one row per (task, unit, role): document, source_file, task_id,
               task_text, unit, role, modality, timeframe, source_line
  documents    one row per loaded document: number, doc_type, date, issuer,
               signer, title, legal_bases, implements, cites
  indicators   one row per target: document, programme, indicator, measure,
               year, value, unit, comparator, lead
  deadlines    one per task with a due date and per dated or recurring
               reporting deadline: an iCalendar file (.ics: one event each,
               RRULE when recurring) or rows (kind, document, task_id, text,
               due_date, rrule, next_due, units, status, source_file, ...);
               --unit NAME keeps one unit's
  graph        every named graph: nquads | trig | turtle | json-ld

Rows as table | csv | tsv | json | xlsx | markdown | html, the format taken from
-o's extension (.csv .tsv .json .xlsx .md .html) unless --format says; CSV and
TSV files in UTF-8 with a BOM so Excel shows Vietnamese; JSON keeps diacritics.
Without -o the rows are a table fitted to the terminal, or plain TSV when piped;
the graph goes to the screen as N-Quads unless --format says.

Examples:

  obligraph export obligations --format csv -o obligations.csv

  obligraph export documents --format json

  obligraph export indicators -o indicators.xlsx

  obligraph export deadlines -o deadlines.ics

  obligraph export deadlines --unit "Cục Trẻ em" -o cuc-tre-em.csv

  obligraph export graph -o obligraph.ttl
"""


@one_line_errors
def export_cmd(
    kind: Annotated[
        str, typer.Argument(help="obligations | documents | indicators | deadlines | graph")
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=f"rows: {formats.help_text('rows')}; "
            f"graph: {formats.help_text('rdf')}; "
            f"deadlines: {formats.help_text('calendar')} or a rows format "
            "(default: from -o's extension; rows on the screen: table in a terminal, "
            "tsv when piped; graph: nquads)",
        ),
    ] = None,
    output: OutputOpt = None,
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help="deadlines: only those this unit leads, supports, reports or receives "
            "(any spelling the gazetteer knows).",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="deadlines (.ics): link each event to its page under this address of "
            "`obligraph serve`, e.g. http://127.0.0.1:8000.",
        ),
    ] = None,
) -> None:
    from obligraph.graph.export import ROW_MAKERS
    from obligraph.output import formats

    command = f"export {kind}"
    if kind != "deadlines" and (unit is not None or base_url is not None):
        raise UsageError("--unit and --base-url apply to `export deadlines` only")
    if kind == "deadlines":
        default = None if output is None else "json"
        chosen = formats.choose_in(
            ("rows", "calendar"), explicit=fmt, output=output, default=default, command=command
        )
        if output is None and not chosen.screen:
            raise QueryError(f"{chosen.name} needs a file: add -o FILE{chosen.extensions[0]}")
        return _export_deadlines(chosen, output, unit, base_url, store_path, endpoint)
    if kind == "graph":
        chosen = formats.choose("rdf", explicit=fmt, output=output, command=command)
    elif kind in ROW_MAKERS:
        default = None if output is None else "json"  # a file with no extension: JSON, as ever
        chosen = formats.choose(
            "rows", explicit=fmt, output=output, default=default, command=command
        )
        if output is None and not chosen.screen:
            raise QueryError(f"{chosen.name} needs a file: add -o FILE{chosen.extensions[0]}")
    else:
        raise QueryError(
            f"unknown export {kind!r}; use obligations, documents, indicators, deadlines or graph"
        )
    store = open_cli_store(store_path, endpoint)
    try:
        if kind == "graph":
            formats.emit(chosen, store, output)
            if output is not None:
                _console(err=True).print(f"wrote the graph ({chosen.name}) to {output}")
            return
        make, fields = ROW_MAKERS[kind]
        rows = make(store)
    finally:
        store.close()
    formats.emit_rows(chosen, list(fields), rows, output, title=kind, sheet=kind)
    if output is not None:
        _console(err=True).print(f"wrote {len(rows)} {kind} rows ({chosen.name}) to {output}")


def _export_deadlines(chosen, output, unit, base_url, store_path, endpoint) -> None:
    """``export deadlines``: the calendar as an iCalendar file or as rows."""
    from obligraph.queries.calendar import read_calendar, unit_calendar
    from obligraph.queries.calendar_ics import DEADLINE_FIELDS, DeadlineCalendar, deadline_rows

    store = open_cli_store(store_path, endpoint)
    try:
        name = "obligraph — thời hạn"
        if unit is None:
            entries = read_calendar(store)
        else:
            canonical, entries = unit_calendar(store, unit)
            name += f" — {canonical}"
    finally:
        store.close()
    if chosen.family == "calendar":
        formats.emit(chosen, DeadlineCalendar(entries, name, base_url or ""), output)
        what = "events"
    else:
        rows = deadline_rows(entries)
        formats.emit_rows(chosen, list(DEADLINE_FIELDS), rows, output, title="deadlines",
                              sheet="deadlines")  # fmt: skip
        what = "deadline rows"
    if output is not None:
        _console(err=True).print(f"wrote {len(entries)} {what} ({chosen.name}) to {output}")


# --------------------------------------------------------------------------- query

QUERY_HELP = """\
Run a named query, a .rq file or inline SPARQL; bind parameters safely.

Parameters are bound as RDF terms (never pasted into the text); a `unit`
parameter accepts any spelling the gazetteer knows. The default graph is the
union of all named graphs. The format comes from -o's extension (.csv .tsv
.json .xlsx .md .html .txt) unless --format says; on the screen the rows are a
table fitted to the terminal (whole words; one record per block when narrow),
or plain TSV when piped.

Examples:

  obligraph query --list

  obligraph query obligations-of-unit --param unit="Cục Trẻ em"

  obligraph query obligations-of-unit --param unit="Cục Trẻ em" --param subunits=true -o r.xlsx

  obligraph query documents --param year=2020 -o documents.csv

  obligraph query my-question.rq --format json

  obligraph query "SELECT ?t WHERE { ?t a <https://w3id.org/obligraph/ontology#Task> } LIMIT 5"

  obligraph query stats-by-type --endpoint http://127.0.0.1:7878
"""


def _parse_params(items: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param needs NAME=VALUE, got {item!r}")
        params[name.strip()] = value
    return params


@one_line_errors
def query_cmd(
    query: Annotated[
        str | None, typer.Argument(help="A named query, a .rq file, or SPARQL text.")
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE (repeatable).")
    ] = None,
    fmt: RowsFormatOpt = None,
    output: OutputOpt = None,
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    allow_service: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-service",
            help="An endpoint SERVICE may reach in this run (repeatable; none by default).",
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            min=0.01,
            help="Stop the query after SECONDS: one line on stderr and exit code 3 "
            "(default: no time limit).",
        ),
    ] = None,
    query_memory: Annotated[
        int,
        typer.Option(
            "--query-memory",
            min=MIN_QUERY_MEMORY_MIB,
            help="MiB of memory the query may use (embedded store); past it the query is "
            "stopped: one line on stderr and exit code 3.",
        ),
    ] = DEFAULT_QUERY_MEMORY_MIB,
) -> None:
    from obligraph.queries import library

    if list_:
        _list_queries(library, formats.choose("rows", explicit=fmt, command="query"))
        return
    if not query:
        raise QueryError("name a query (see `obligraph query --list`) or give SPARQL text")
    chosen = formats.choose("rows", explicit=fmt, output=output, command="query")
    if output is None and not chosen.screen:
        raise QueryError(f"{chosen.name} needs a file: add -o FILE{chosen.extensions[0]}")
    allowed = frozenset(allow_service or ())
    with _query_runner(store_path, endpoint, allowed, query_memory) as runner:
        named, bindings = _prepared_query(library, query, _parse_params(param))
        result = _run_within_limits(runner, named.text, bindings, timeout)
    _write_result(library, chosen, result, named.title or named.name, output)


def _prepared_query(library, query: str, params: dict[str, str]):
    """``(named query, bindings)``: the named query, .rq file or text ``query`` with the
    known prefixes added (inline text and .rq files may use ob:, eli:, skos:, ... without
    declaring them) and ``params`` bound as RDF terms, the folded words of a ``fold: words``
    parameter written in (:func:`obligraph.queries.library.prepare`)."""
    from dataclasses import replace

    from obligraph.graph.stores import add_known_prefixes

    named = library.resolve(query)
    named = replace(named, text=add_known_prefixes(named.text))
    text, bindings = library.prepare(named, params)
    return replace(named, text=text), bindings


def _run_within_limits(runner, text: str, bindings, timeout: float | None):
    """The result of ``text`` run by ``runner``; a limit error names the option to raise."""
    from obligraph.graph.stores.worker import run_query

    try:
        return runner.call(run_query, text, bindings or None, timeout=timeout)
    except TimeLimitError as exc:
        raise TimeLimitError(
            f"query stopped at the time limit of {exc.limit:g} s (--timeout)",
            limit=exc.limit,
            option="--timeout",
        ) from None
    except LimitError as exc:
        raise type(exc)(f"query {exc} (--query-memory)", limit=exc.limit) from None


def _write_result(library, chosen, result, title: str, output: Path | None) -> None:
    """The result in the chosen format (an ASK in JSON as the SPARQL results format),
    to ``output`` or the screen; a line on stderr says what was written to a file."""
    if chosen.name == "json" and result.boolean is not None:  # ASK
        text = library.render(result, "json") + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
    else:
        table = library.to_table(result)
        formats.emit_rows(chosen, table.columns, table.rows, output, title=title,
                              sheet="result")  # fmt: skip
    if output is not None:
        _console(err=True).print(f"wrote {len(result)} row(s) ({chosen.name}) to {output}")


@contextlib.contextmanager
def _query_runner(
    store_path: Path | None, endpoint: str | None, allowed: frozenset[str], memory_mib: int
):
    """Where ``query`` runs: a worker process over the embedded store opened read-only
    (killed at the time limit, bounded to ``memory_mib``), started at once so that it
    opens the store while the query is being read; in this process for an endpoint."""
    from obligraph.graph.stores.worker import InProcess, WorkerPool

    if endpoint:
        store = open_cli_store(store_path, endpoint)
        store.allowed_services = allowed
        try:
            yield InProcess(store)
        finally:
            store.close()
        return
    if store_path is None:
        from obligraph.base.config import store_path as default_store

        store_path = default_store()
    # one worker, spawned at once: a fresh interpreter (about 0.2 s) costs less than a
    # forkserver (about 0.5 s) when only one process is wanted
    with WorkerPool(
        store_path, memory_mib=memory_mib, allowed_services=allowed, refill=False, method="spawn"
    ) as pool:
        yield pool


def _list_queries(library, chosen) -> None:
    from obligraph.output import formats

    rows = [
        [
            q.name,
            f"{q.title}\n{q.description}",
            "\n".join(
                f"{p.name} ({p.type}) e.g. {p.example}"
                + (f"; default {p.default}" if p.default is not None else "")
                for p in q.params
            ),
        ]
        for q in library.catalogue()
    ]
    formats.emit_rows(
        chosen,
        ["name", "title / description", "parameters"],
        rows,
        None,
        title="named queries (obligraph query NAME --param k=v)",
    )


# --------------------------------------------------------------------------- check

CHECK_HELP = """\
Check the graph: SHACL shapes plus the findings of the loaders.

The SHACL shapes are the closed-world rules of the ontology; the findings are what
the loaders reported (unknown units, missing annexes, numbers that
disagree, ...). In a terminal the results are grouped by code: each code with its
severity, its count and a few examples naming the task (document, task id, the
start of its text, file:line). Piped, or with --format tsv|csv|json, every result
is one row. --select and --ignore keep or drop codes (comma-separated, repeatable).
Exit code 0 when clean, 1 when there are violations, warnings or error/warning
findings among the results kept (info findings are listed, not counted), 2 on error.

Examples:

  obligraph check

  obligraph check --select TaskHasLead,number-mismatch --examples 10

  obligraph check --ignore TaskSingleLead --ignore uncertain-succession

  obligraph check --format json > findings.json

  obligraph check -o findings.xlsx

  obligraph check --endpoint http://127.0.0.1:7878
"""


@one_line_errors
def check_cmd(
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=f"{formats.help_text('rows', CHECK_FORMATS)} (table: grouped by code; "
            "default: from -o's extension, else table in a terminal, tsv when piped)",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Only these codes: CODE[,CODE] (repeatable)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Leave these codes out: CODE[,CODE] (repeatable)."),
    ] = None,
    examples: Annotated[
        int,
        typer.Option("--examples", min=0, help="Examples shown per code in the table (0: all)."),
    ] = 3,
    output: OutputOpt = None,
) -> None:
    from obligraph.cli import check as cli_check

    chosen = cli_check.check_format(fmt, output)
    store = open_cli_store(store_path, endpoint)
    try:
        from obligraph.graph.check import check_store

        rows = check_store(store)
    finally:
        store.close()
    rows = cli_check.filter_codes(rows, select, ignore)
    cli_check.emit(rows, chosen, examples=examples, output=output)
    if output is not None:
        _console(err=True).print(f"wrote {len(rows)} result(s) ({chosen.name}) to {output}")
    raise typer.Exit(cli_check.exit_code(rows))


# --------------------------------------------------------------------------- push

PUSH_HELP = """\
Copy every named graph of the store into a SPARQL 1.1 server.

In bulk: N-Quads POSTed to an Oxigraph server's /store; to Virtuoso and other servers with the
Graph Store Protocol one PUT per graph; else one SPARQL update per graph. Each graph is replaced
whole, so pushing again is idempotent. Virtuoso wants a user with the SPARQL_UPDATE role: set
OBLIGRAPH_ENDPOINT_USER and OBLIGRAPH_ENDPOINT_PASSWORD (see docs/stores.md).

Start the server with its default graph as the union of the named graphs so the
named queries work there unchanged:

  oxigraph serve --location /data/oxi --bind 127.0.0.1:7878 --union-default-graph

Examples:

  obligraph push --endpoint http://127.0.0.1:7878

  OBLIGRAPH_ENDPOINT_USER=dba OBLIGRAPH_ENDPOINT_PASSWORD=... obligraph push --endpoint http://127.0.0.1:8890/sparql

  obligraph push --endpoint https://example.org/ds/query --update-endpoint https://example.org/ds/update
"""


@one_line_errors
def push_cmd(
    endpoint: Annotated[str, typer.Option("--endpoint", help="Target SPARQL server or query URL.")],
    update_endpoint: Annotated[
        str | None, typer.Option("--update-endpoint", help="Its SPARQL update URL, if separate.")
    ] = None,
    store_path: StoreOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="All or nothing: the first bad file stops the build."),
    ] = False,
) -> None:
    from rich.progress import Progress

    from obligraph.graph.push import push
    from obligraph.graph.stores import open_store

    source = open_cli_store(store_path)
    target = open_store(endpoint=endpoint, update_endpoint=update_endpoint)
    try:
        with Progress(console=_console(err=True), transient=True, disable=quiet) as progress:
            bar = progress.add_task("pushing", total=len(source.graphs()))
            report = push(source, target, progress=lambda _g: progress.advance(bar))
    finally:
        source.close()
    _console().print(
        f"pushed {report.graphs} named graphs ({report.triples} triples) to {target.location}"
        f" ({report.method}, {report.seconds:.1f} s)"
    )


def package_version() -> str:
    """The installed package's version (its metadata), else the source's ``__version__``.

    >>> import obligraph
    >>> package_version() == obligraph.__version__
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("obligraph")
    except PackageNotFoundError:  # run from a source tree that is not installed
        import obligraph

        return obligraph.__version__


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"obligraph {package_version()}")
        raise typer.Exit()


def main_options(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print `obligraph X.Y.Z` and exit.",
        ),
    ] = None,
) -> None:
    """Options of ``obligraph`` itself, before the command."""


def register(app: typer.Typer) -> None:
    """Add the core commands (and ``obligraph --version``) to the main app."""
    app.callback()(main_options)
    app.command("build", help=unwrap(BUILD_HELP))(build_cmd)
    app.command("stats", help=unwrap(STATS_HELP))(stats_cmd)
    app.command("export", help=unwrap(EXPORT_HELP))(export_cmd)
    app.command("query", help=unwrap(QUERY_HELP))(query_cmd)
    app.command("check", help=unwrap(CHECK_HELP))(check_cmd)
    app.command("push", help=unwrap(PUSH_HELP))(push_cmd)
