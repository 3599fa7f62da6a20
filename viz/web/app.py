"""The local web app: search, unit and document pages, overview, SPARQL endpoint and editor.

:func:`create_app` only assembles: the host guard, the runner where queries and pages run,
and one router per page type, each from its own module (``home_page``, ``unit_page``,
``document_page``, ``task_page``, ``source_page``, ``register_pages``, ``query_pages``,
``calendar_page``, ``overview_page``, ``editor_page``; ``sparql`` for the endpoint),
rendered by :mod:`obligraph.viz.web.templating`.

>>> from fastapi.testclient import TestClient
>>> from obligraph.graph.stores import open_store
>>> client = TestClient(create_app(open_store(memory=True)), base_url="http://127.0.0.1")
>>> client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"]
True
>>> client.get("/sparql", params={"query": "SELEC nothing"}).status_code
400
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from obligraph.graph.sources import sources_file
from obligraph.graph.stores.worker import DEFAULT_QUERY_MEMORY_MIB, query_runner
from obligraph.viz.web import data
from obligraph.viz.web.calendar_page import make_calendar_router
from obligraph.viz.web.document_page import make_document_router
from obligraph.viz.web.editor_page import YASGUI, editor_queries, make_editor_router
from obligraph.viz.web.error_pages import install_error_pages
from obligraph.viz.web.guard import GuardMiddleware, allowed_hosts
from obligraph.viz.web.home_page import make_home_router
from obligraph.viz.web.overview_page import make_overview_router
from obligraph.viz.web.query_pages import make_query_router
from obligraph.viz.web.register_pages import make_register_router
from obligraph.viz.web.source_page import make_source_router
from obligraph.viz.web.sparql import EndpointConfig, make_router
from obligraph.viz.web.task_page import make_task_router
from obligraph.viz.web.templating import make_page
from obligraph.viz.web.unit_page import make_unit_router

__all__ = ["create_app", "editor_queries", "server_config"]

VIZ = Path(__file__).resolve().parent.parent
STATIC = VIZ / "static"
#: Modules the query workers import when they start (the pages' work runs there).
WORKER_PRELOAD = (
    "obligraph.viz.web.pages",
    "obligraph.viz.views",
    "obligraph.viz.web.calendar_page",
)


#: Seconds a request still running may take after SIGTERM before the server stops anyway.
SHUTDOWN_GRACE = 2.0

#: Rendered graph views kept (the least recently used goes first); a view of the
#: whole corpus is about 1 MB.
VIEW_CACHE_SIZE = 32


class _Cache:
    """Search index and rendered views, dropped whenever the store is updated.

    The views are an LRU of :data:`VIEW_CACHE_SIZE` pages, so requests for ever new
    targets or languages cannot grow the server without bound.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: list[data.Hit] | None = None
        self.views: OrderedDict[tuple[str, str, str], str] = OrderedDict()
        self.generation = 0  # clears so far: what was read before one is not kept after it

    def view(self, key: tuple[str, str, str]) -> str | None:
        with self.lock:
            page = self.views.get(key)
            if page is not None:
                self.views.move_to_end(key)
            return page

    def keep_view(self, key: tuple[str, str, str], page: str, generation: int) -> None:
        with self.lock:
            if generation != self.generation:
                return
            self.views[key] = page
            self.views.move_to_end(key)
            while len(self.views) > VIEW_CACHE_SIZE:
                self.views.popitem(last=False)

    def clear(self) -> None:
        from obligraph.graph.analysis.summary import forget_kept
        from obligraph.viz.web.digest_cache import forget_all

        with self.lock:
            self.index = None
            self.views.clear()
            self.generation += 1
        forget_kept()
        forget_all()  # the registers kept while the digest is the same


def create_app(
    store: Any,
    *,
    update_token: str | None = None,
    query_timeout: float = 30.0,
    result_cap: int = 10_000,
    max_query_chars: int = 20_000,
    hosts: Iterable[str] | None = None,
    max_running: int = 4,
    page_timeout: float = 30.0,
    query_memory: int = DEFAULT_QUERY_MEMORY_MIB,
    runner: Any = None,
    status_file: str | Path | None = None,
) -> FastAPI:
    """The FastAPI app over ``store`` (read-only unless ``update_token`` is given).

    ``hosts``: the ``Host`` names it answers (default: 127.0.0.1, localhost, ::1;
    see :func:`~obligraph.viz.web.guard.allowed_hosts`); any other gets 400.
    ``max_running``: queries and updates of ``/sparql`` running at once (503 beyond).
    ``status_file``: where a task page's status form appends (default: ``status.csv``
    beside the store; see docs/corrections.md).
    ``runner``: where queries and page work run (default
    :func:`~obligraph.graph.stores.worker.query_runner`: ``max_running`` worker processes
    bounded to ``query_memory`` MiB each for an embedded store opened read-only, the
    app's own threads otherwise), kept in ``app.state.runner``: close it when the app
    is done (``obligraph serve`` does; its workers also end with the server's process).
    ``page_timeout``: seconds a page may take (then 503 and a message page).

    With ``update_token`` and an embedded store opened read-only, the runner is a
    :class:`~obligraph.graph.stores.write_gate.WriteGate`: queries and pages run in worker
    processes as without a token, and each write (a SPARQL update, a status report)
    opens the store for writing alone, in a writer process, while they wait.
    """
    cache = _Cache()
    runner, store = _choose_runner(store, runner, update_token, max_running, query_memory, cache)
    app = FastAPI(title="obligraph", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(GuardMiddleware, hosts=allowed_hosts() if hosts is None else hosts)
    config = EndpointConfig(
        query_timeout,
        result_cap,
        max_query_chars,
        update_token,
        max_running,
        page_timeout,
        query_memory,
    )
    app.include_router(make_router(store, config, on_update=cache.clear, runner=runner))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if YASGUI.is_dir():
        app.mount("/vendor/yasgui", StaticFiles(directory=YASGUI), name="yasgui")
    app.state.store, app.state.cache, app.state.config = store, cache, config
    app.state.runner = runner
    page = make_page()
    work, write = _page_work(runner, page_timeout), _page_write(store, runner, page_timeout)
    app.include_router(
        make_task_router(
            store,
            page,
            work=work,
            write=write,
            update_token=update_token,
            status_file=_status_file(store, status_file),
            on_change=cache.clear,
        )
    )
    app.include_router(make_query_router(store, page, work=work, result_cap=result_cap))
    app.include_router(make_source_router(page, work=work, records=_source_records(store)))
    app.include_router(make_calendar_router(store, page, work=work))
    app.include_router(make_register_router(page, work))
    install_error_pages(app, page, runner)
    app.include_router(make_home_router(page, work=work, cache=cache))
    app.include_router(make_unit_router(page, work=work))
    app.include_router(make_document_router(page, work=work))
    app.include_router(make_overview_router(page, work=work, cache=cache))
    app.include_router(make_editor_router(store, page))
    return app


def _choose_runner(
    store: Any, runner: Any, update_token: str | None, size: int, memory_mib: int, cache: _Cache
) -> tuple[Any, Any]:
    """``(runner, store)``: the runner given, else a write gate (an embedded store opened
    read-only, with an update token: the gate then stands for the store, whose handle each
    write closes and reopens), else :func:`query_runner`."""
    if runner is None and update_token and getattr(store, "read_only", False):
        if getattr(store, "kind", "") == "embedded":
            from obligraph.graph.stores.write_gate import WriteGate

            runner = WriteGate(
                store,
                size=size,
                memory_mib=memory_mib,
                preload=WORKER_PRELOAD,
                on_write=cache.clear,  # before the waiting pages run
            )
            store = runner  # the server's own handle is closed and reopened by each write
    if runner is None:
        runner = query_runner(store, size=size, memory_mib=memory_mib, preload=WORKER_PRELOAD)
    return runner, store


def _page_work(runner: Any, page_timeout: float) -> Callable[..., Any]:
    """``work(fn, *args)``: ``fn(store, *args)`` where it can be stopped, within the page
    time limit."""

    def work(fn: Any, *args: Any) -> Any:
        return runner.call(fn, *args, timeout=page_timeout)

    return work


def _page_write(store: Any, runner: Any, page_timeout: float) -> Callable[..., Any]:
    """``write(fn, *args)``: ``fn(store, *args)`` where the store may be written (the write
    gate's writer process, else this process), within the page time limit."""
    writer = getattr(runner, "writer", None)

    def write(fn: Any, *args: Any) -> Any:
        if writer is not None:
            return writer.call(fn, *args, timeout=page_timeout)
        return fn(store, *args)

    return write


def _on_disk(store: Any) -> bool:
    return getattr(store, "kind", "") == "embedded"


def _status_file(store: Any, given: str | Path | None) -> Path:
    """Where a task page's status form appends: ``given``, else ``status.csv`` beside an
    embedded store (see :func:`obligraph.base.config.people_file`)."""
    if given is not None:
        return Path(given)
    from obligraph.base.config import people_file

    return Path(people_file("status.csv", Path(store.location) if _on_disk(store) else None))


def _source_records(store: Any) -> list[str]:
    """The ``sources.tsv`` the source view reads files from (an embedded store's only)."""
    return [str(sources_file(store.location))] if _on_disk(store) else []


def server_config(app: FastAPI, *, host: str = "127.0.0.1", port: int = 8000) -> Any:
    """The ``uvicorn.Config`` that ``obligraph serve`` (and the tests) run ``app`` with.

    h11 refuses a request line over 16 KiB by default, so a long query sent by GET
    would be cut off with a bare connection error before the endpoint could answer
    "query too long" (400). The limit is raised to hold a query of the endpoint's
    ``max_query_chars`` fully percent-encoded (up to 9 bytes per Vietnamese letter).
    On SIGTERM (or Ctrl-C) requests still running get :data:`SHUTDOWN_GRACE`
    seconds, then the server stops without waiting for them.
    """
    import uvicorn
    from obligraph.viz.web.sparql import max_body_bytes

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
        h11_max_incomplete_event_size=max(
            64 * 1024, max_body_bytes(app.state.config.max_query_chars)
        ),
    )
