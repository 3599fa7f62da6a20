"""View commands: ``view`` (one offline HTML graph) and ``serve`` (the local web app).

Registered into the main Typer app by :func:`register`; heavy imports (pyvis,
FastAPI, uvicorn) stay inside the commands so ``obligraph --help`` starts fast.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from obligraph.base.errors import InputError
from obligraph.cli.common import EndpointOpt, StoreOpt, one_line_errors, open_cli_store, unwrap
from obligraph.graph.stores.worker import DEFAULT_QUERY_MEMORY_MIB, MIN_QUERY_MEMORY_MIB

VIEW_HELP = """\
Write one interactive graph view as a single self-contained HTML file.

The file inlines vis-network (no CDN, no lib/ folder): it opens offline, by
double-click, and inside Jupyter. Nodes are coloured and shaped by type and role
(legend on the right), lead edges solid, support edges dashed; hover a node for the
quoted source line; search ignores diacritics; filter by programme, role and year;
double-click a node to focus on its neighbourhood. Layout is precomputed (physics
off), so thousands of nodes stay usable.

VIEW is one of: unit, document, programme, overlap, lineage, indicator.
TARGET is a unit name (any spelling the store knows), a document or programme
number as printed, an IRI, or "all" (overlap, indicator).

Examples:

  obligraph view unit "Cục Trẻ em" -o cuc-tre-em.html

  obligraph view document "704/QĐ-LĐTBXH" -o qd-704.html

  obligraph view programme "23/QĐ-TTg" -o programme-23.html --lang en

  obligraph view overlap all -o overlaps.html

  obligraph view lineage "4063/QĐ-UBND" -o lineage.html

  obligraph view indicator "4063/QĐ-UBND" -o indicators.html
"""

SERVE_HELP = """\
Run the local web app and SPARQL endpoint (FastAPI + uvicorn) on 127.0.0.1.

Pages: / (search, diacritics optional), /unit/<slug> (obligation register with
source quotes, deadlines, overlaps, CSV/XLSX, graph), /doc/<path> (metadata,
legal bases, tasks, findings), /overview (heat map unit × programme, load ranking,
overlaps), /editor (YASGUI with the named queries), /sparql (SPARQL 1.1 Protocol:
JSON, XML, CSV, TSV). Add ?lang=en for English. The endpoint is read-only unless
an update token is set (--update-token-file FILE or OBLIGRAPH_UPDATE_TOKEN, never
on the command line); updates then need "Authorization: Bearer <token>". Only
requests for 127.0.0.1, localhost, ::1 and the bound address are answered
(--allow-host NAME adds one). On the embedded store queries and pages run in worker
processes over the store opened read-only, with or without a token: one past its
time limit is stopped (503), one past --query-memory too (507). An update opens the
store for writing in a writer process (stopped at --query-timeout, nothing written)
while queries and pages wait; then they go on.

Examples:

  obligraph serve

  obligraph serve --port 8080 --store /data/obligraph-store

  obligraph serve --query-timeout 10 --result-cap 5000

  obligraph serve --query-memory 512 --page-timeout 20

  openssl rand -hex 16 > token && obligraph serve --update-token-file token

  obligraph serve --host 0.0.0.0 --allow-host plans.example.org

  curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql?query=SELECT%20*%20%7B?s%20?p%20?o%7D%20LIMIT%205'
"""


@one_line_errors
def view_cmd(
    view: Annotated[
        str, typer.Argument(help="unit | document | programme | overlap | lineage | indicator")
    ],
    target: Annotated[
        str, typer.Argument(help="Unit name, document number, IRI or 'all'.")
    ] = "all",
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = ...,
    lang: Annotated[str, typer.Option("--lang", help="vi | en (labels and legend).")] = "vi",
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    from rich.console import Console
    from rich.markup import escape

    from obligraph.viz.render import write_view
    from obligraph.viz.views import build_view

    started = time.perf_counter()
    store = open_cli_store(store_path, endpoint)
    try:
        page = build_view(store, view, target, lang=lang)
    finally:
        store.close()
    path = write_view(page, output)
    # one line, never wrapped, the path not read as markup: people copy it
    Console(stderr=True).print(
        f"[green]wrote[/green] {escape(str(path))} ({path.stat().st_size / 1024:.0f} KiB, "
        f"{time.perf_counter() - started:.2f} s) — self-contained, opens offline",
        soft_wrap=True,
        highlight=False,
    )


UpdateTokenOpt = Annotated[
    str | None,
    typer.Option(
        "--update-token",
        hidden=True,
        help="Refused: a token on the command line is visible to every user (ps).",
    ),
]
UpdateTokenFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--update-token-file",
        help="Allow SPARQL updates carrying 'Authorization: Bearer TOKEN', TOKEN being "
        "the first line of this file (or set OBLIGRAPH_UPDATE_TOKEN).",
    ),
]
AllowHostOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-host",
        help="Also answer requests for this Host name (repeatable); by default only "
        "127.0.0.1, localhost, ::1 and the bound address.",
    ),
]
QueryTimeoutOpt = Annotated[
    float, typer.Option("--query-timeout", help="Seconds before a query is abandoned.")
]
ResultCapOpt = Annotated[
    int, typer.Option("--result-cap", help="Most rows (or triples) one answer returns.")
]
MaxQueriesOpt = Annotated[
    int,
    typer.Option(
        "--max-queries",
        min=1,
        help="SPARQL queries running at once (a query past its time limit counts until "
        "it ends); one more gets 503.",
    ),
]
QueryMemoryOpt = Annotated[
    int,
    typer.Option(
        "--query-memory",
        min=MIN_QUERY_MEMORY_MIB,
        help="MiB of memory one query (or page) may use on the embedded store; past it "
        "the query is stopped (507).",
    ),
]
PageTimeoutOpt = Annotated[
    float,
    typer.Option("--page-timeout", help="Seconds a page may take; past it 503 and a message page."),
]


@one_line_errors
def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    store_path: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_token: UpdateTokenOpt = None,
    update_token_file: UpdateTokenFileOpt = None,
    allow_host: AllowHostOpt = None,
    query_timeout: QueryTimeoutOpt = 30.0,
    result_cap: ResultCapOpt = 10_000,
    max_queries: MaxQueriesOpt = 4,
    query_memory: QueryMemoryOpt = DEFAULT_QUERY_MEMORY_MIB,
    page_timeout: PageTimeoutOpt = 30.0,
) -> None:
    from rich.console import Console

    from obligraph.viz.web.app import create_app
    from obligraph.viz.web.guard import allowed_hosts

    token = read_update_token(update_token, update_token_file)
    console = Console(stderr=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(
            f"[yellow]warning:[/yellow] binding {host}: the app is reachable from other machines"
        )
    store = _open_served_store(store_path, endpoint, token)
    app = create_app(
        store,
        update_token=token,
        query_timeout=query_timeout,
        result_cap=result_cap,
        hosts=allowed_hosts(host, allow_host or ()),
        max_running=max_queries,
        page_timeout=page_timeout,
        query_memory=query_memory,
    )
    console.print(
        f"obligraph web app on [bold]http://{host}:{port}/[/bold] "
        f"(SPARQL: http://{host}:{port}/sparql, "
        f"{'updates allowed with the token' if token else 'read-only'})"
    )
    _run_server(app, store, host, port)


def _open_served_store(store_path: Path | None, endpoint: str | None, token: str | None):
    """The store the server reads, opened read-only. With an update token, an embedded
    store is first taken for writing once: refused at once if another process writes
    it; an old store gets its union graph. The server then holds it read-only and opens
    it for writing only while a write runs (graph/stores/write_gate)."""
    if token and not endpoint:
        open_cli_store(store_path, endpoint, write=True).close()
    return open_cli_store(store_path, endpoint)


def _run_server(app, store, host: str, port: int) -> None:
    """Serve ``app`` until stopped; then close its runner and the store."""
    import uvicorn

    from obligraph.viz.web.app import server_config

    try:
        uvicorn.Server(server_config(app, host=host, port=port)).run()
    finally:
        app.state.runner.close()
        store.close()


def read_update_token(given: str | None, file: Path | None) -> str | None:
    """The update token: from ``file`` (its first line) or ``OBLIGRAPH_UPDATE_TOKEN``.

    A token typed on the command line is refused (every user of the machine can read
    it with ``ps``); so is an empty one. Returns None when updates stay off.
    """
    import os

    if given is not None:
        raise InputError(
            "--update-token on the command line is visible to every user of the machine; "
            "put the token in a file (--update-token-file FILE) or in OBLIGRAPH_UPDATE_TOKEN"
        )
    if file is not None:
        try:
            lines = file.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the update token: {exc}", file=str(file)) from None
        token = lines[0].strip() if lines else ""
        if not token:
            raise InputError("the update token file is empty", file=str(file), line=1)
        return token
    token = os.environ.get("OBLIGRAPH_UPDATE_TOKEN", "").strip()
    return token or None


def register(app: typer.Typer) -> None:
    """Add ``view`` and ``serve`` to the main app."""
    app.command("view", help=unwrap(VIEW_HELP))(view_cmd)
    app.command("serve", help=unwrap(SERVE_HELP))(serve_cmd)
