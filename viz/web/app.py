"""The local web app: search, unit and document pages, overview, SPARQL endpoint and editor.

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
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from obligraph.graph.sources import sources_file
from obligraph.graph.stores.worker import DEFAULT_QUERY_MEMORY_MIB, query_runner
from obligraph.viz.web import data, pages
from obligraph.viz.web.calendar_page import make_calendar_router
from obligraph.viz.web.guard import GuardMiddleware, allowed_hosts
from obligraph.viz.web.i18n import labels
from obligraph.viz.web.labels import install as install_labels
from obligraph.viz.web.query_pages import make_query_router
from obligraph.viz.web.register_pages import (
    DOWNLOADS,
    download_response,
    make_register_router,
    register_file,
)
from obligraph.viz.web.register_pages import view_params as register_params
from obligraph.viz.web.source_page import make_source_router
from obligraph.viz.web.sparql import EndpointConfig, make_router
from obligraph.viz.web.task_page import make_task_router

from obligraph.base.errors import LimitError, MemoryLimitError, ObligraphError
from obligraph.base.textkeys import fold

VIZ = Path(__file__).resolve().parent.parent
TEMPLATES = VIZ / "templates"
STATIC = VIZ / "static"
#: The SPARQL editor, bundled with its licence (viz/static/vendor/yasgui/NOTICE.md).
YASGUI = Path(__file__).resolve().parent.parent / "static" / "vendor" / "yasgui"
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
    if runner is None and update_token and getattr(store, "read_only", False):
        if getattr(store, "kind", "") == "embedded":
            from obligraph.graph.stores.write_gate import WriteGate

            runner = WriteGate(
                store,
                size=max_running,
                memory_mib=query_memory,
                preload=WORKER_PRELOAD,
                on_write=cache.clear,  # before the waiting pages run
            )
            store = runner  # the server's own handle is closed and reopened by each write
    if runner is None:
        runner = query_runner(
            store, size=max_running, memory_mib=query_memory, preload=WORKER_PRELOAD
        )
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
    templates = Jinja2Templates(directory=str(TEMPLATES))
    install_labels(templates.env)  # codes shown as labels of the page's language; no "None"
    app.state.store, app.state.cache, app.state.config = store, cache, config
    app.state.runner = runner

    def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        lang = "en" if request.query_params.get("lang") == "en" else "vi"

        def link(path: str) -> str:
            if lang != "en":
                return path
            base, _, anchor = path.partition("#")
            joined = base + ("&" if "?" in base else "?") + "lang=en"
            return joined + ("#" + anchor if anchor else "")

        other = dict(request.query_params)
        if lang == "en":
            other.pop("lang", None)
        else:
            other["lang"] = "en"
        switch = request.url.path + (
            "?" + "&".join(f"{k}={quote(v)}" for k, v in other.items()) if other else ""
        )
        ctx.update(request=request, t=labels(lang), lang=lang, link=link, switch_href=switch)
        return templates.TemplateResponse(request, name, ctx, status_code=status)

    def not_found(request: Request, what: str) -> HTMLResponse:
        return page(request, "web_error.html", 404, message=what, code=404)

    def work(fn: Any, *args: Any) -> Any:
        """``fn(store, *args)`` where it can be stopped, within the page time limit."""
        return runner.call(fn, *args, timeout=page_timeout)

    writer = getattr(runner, "writer", None)

    def write(fn: Any, *args: Any) -> Any:
        """``fn(store, *args)`` where the store may be written (the write gate's writer
        process, else this process), within the page time limit."""
        if writer is not None:
            return writer.call(fn, *args, timeout=page_timeout)
        return fn(store, *args)

    if status_file is None:
        from obligraph.base.config import people_file

        on_disk = getattr(store, "kind", "") == "embedded"
        status_file = people_file("status.csv", Path(store.location) if on_disk else None)
    app.include_router(
        make_task_router(
            store,
            page,
            work=work,
            write=write,
            update_token=update_token,
            status_file=Path(status_file),
            on_change=cache.clear,
        )
    )

    app.include_router(make_query_router(store, page, work=work, result_cap=result_cap))
    on_disk = getattr(store, "kind", "") == "embedded"
    records = [str(sources_file(store.location))] if on_disk else []
    app.include_router(make_source_router(page, work=work, records=records))
    app.include_router(make_calendar_router(store, page, work=work))
    app.include_router(make_register_router(page, work))

    def index() -> list[data.Hit]:
        with cache.lock:
            if cache.index is not None:
                return cache.index
            generation = cache.generation
        found = work(pages.home, True)["index"]
        with cache.lock:
            if generation == cache.generation:
                cache.index = found
        return found

    @app.exception_handler(ObligraphError)
    async def obligraph_error(request: Request, exc: ObligraphError) -> HTMLResponse:
        return page(request, "web_error.html", 400, message=str(exc), code=400)

    @app.exception_handler(LimitError)
    async def limit_error(request: Request, exc: LimitError) -> HTMLResponse:
        t = labels("en" if request.query_params.get("lang") == "en" else "vi")
        memory = isinstance(exc, MemoryLimitError)
        message = (t["page_memory"] if memory else t["page_timeout"]).format(n=f"{exc.limit:g}")
        if runner.cancellable:
            message += " " + t["page_stopped"]
        status = 507 if memory else 503
        return page(request, "web_error.html", status, message=message, code=status)

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, q: str = "") -> HTMLResponse:
        hits = data.search(index(), q) if q.strip() else []
        found = data.search_counts(index(), q) if q.strip() else {}
        counts = work(pages.home, False)["counts"]
        words = fold(q)  # the register of the tasks found: the same for any spelling
        return page(
            request, "web_home.html", q=q, hits=hits, found=found, counts=counts, words=words
        )

    @app.get("/unit/{slug}", response_class=HTMLResponse)
    def unit_page(request: Request, slug: str) -> HTMLResponse:
        number = request.query_params.get("page", "1")
        at = max(int(number), 1) if number.isdigit() and len(number) < 7 else 1
        params = register_params(request)
        found = work(pages.unit, slug, request.query_params.get("lang", "vi"), at, params)
        if found is None:
            return not_found(request, f"unit/{slug}")
        return page(request, "web_unit.html", **found)

    @app.get("/unit/{slug}/obligations.{fmt}")
    def unit_download(request: Request, slug: str, fmt: str) -> Response:
        """The register as the unit page shows it (same filters and sort, all pages)."""
        params = register_params(request)
        found = work(register_file, "unit", slug, params) if fmt in DOWNLOADS else None
        if found is None:
            return not_found(request, f"unit/{slug}/obligations.{fmt}")
        return download_response(fmt, *found, f"obligations-{slug}")

    @app.get("/doc/{tail:path}", response_class=HTMLResponse)
    def document_page(request: Request, tail: str) -> HTMLResponse:
        found = work(pages.document, tail)
        if found is None:
            return not_found(request, f"doc/{tail}")
        return page(request, "web_document.html", **found)

    @app.get("/view/{view}", response_class=HTMLResponse)
    def view(request: Request, view: str, target: str = "all", lang: str = "vi") -> HTMLResponse:
        from obligraph.viz.views import VIEWS

        if view not in VIEWS:
            return not_found(request, f"view/{view}")
        key = (view, target, "en" if lang == "en" else "vi")
        generation = cache.generation
        cached = cache.view(key)
        if cached is None:
            cached = work(pages.view, view, target, key[2])
            cache.keep_view(key, cached, generation)
        return HTMLResponse(cached)

    @app.get("/overview", response_class=HTMLResponse)
    def overview(request: Request) -> HTMLResponse:
        lang = "en" if request.query_params.get("lang") == "en" else "vi"
        return page(request, "web_overview.html", **work(pages.overview, lang))

    @app.get("/editor", response_class=HTMLResponse)
    def editor(request: Request) -> HTMLResponse:
        return page(
            request, "web_editor.html", queries=editor_queries(store), has_yasgui=YASGUI.is_dir()
        )

    @app.get("/editor/queries.json")
    def editor_queries_json() -> JSONResponse:
        return JSONResponse(editor_queries(store))

    return app


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


def editor_queries(store: Any) -> list[dict[str, str]]:
    """Named queries for the editor, their parameters bound to the examples by VALUES."""
    from obligraph.graph.stores import inject_values
    from obligraph.queries.library import bind_params, catalogue

    out = []
    for q in catalogue():
        text, note = q.text, ""
        if q.params:
            examples = {p.name: p.example for p in q.params}
            try:
                text = inject_values(q.text, bind_params(q, examples))
                note = (
                    "# "
                    + ", ".join(f"?{k} = {v!r}" for k, v in examples.items())
                    + (" (example values, bound by the VALUES line; edit them to ask another)\n")
                )
            except ObligraphError as exc:
                note = f"# parameters not bound ({exc}); bind them with VALUES\n"
        out.append(
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "query": note + text,
            }
        )
    return out
