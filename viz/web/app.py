"""The local web app: search, unit and document pages, overview, SPARQL endpoint and editor.

>>> from fastapi.testclient import TestClient
>>> from obligraph.graph.store import open_store
>>> client = TestClient(create_app(open_store(memory=True)), base_url="http://127.0.0.1")
>>> client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"]
True
>>> client.get("/sparql", params={"query": "SELEC nothing"}).status_code
400
"""

from __future__ import annotations

import csv
import io
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
from obligraph.viz.web import data
from obligraph.viz.web.charts import bar_chart, heat_map
from obligraph.viz.web.guard import GuardMiddleware, allowed_hosts
from obligraph.viz.web.i18n import labels
from obligraph.viz.web.sparql import EndpointConfig, make_router
from obligraph.viz.web.task_page import make_task_router

from obligraph.cells import safe_cell
from obligraph.errors import ObligraphError

VIZ = Path(__file__).resolve().parent.parent
TEMPLATES = VIZ / "templates"
STATIC = VIZ / "static"
YASGUI = Path(__file__).resolve().parent / "yasgui-npm/node_modules/@zazuko/yasgui/build"
HEAT_ROWS = 30


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

    def view(self, key: tuple[str, str, str]) -> str | None:
        with self.lock:
            page = self.views.get(key)
            if page is not None:
                self.views.move_to_end(key)
            return page

    def keep_view(self, key: tuple[str, str, str], page: str) -> None:
        with self.lock:
            self.views[key] = page
            self.views.move_to_end(key)
            while len(self.views) > VIEW_CACHE_SIZE:
                self.views.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.index = None
            self.views.clear()


def create_app(
    store: Any,
    *,
    update_token: str | None = None,
    query_timeout: float = 30.0,
    result_cap: int = 10_000,
    max_query_chars: int = 20_000,
    hosts: Iterable[str] | None = None,
    max_running: int = 4,
    status_file: str | Path | None = None,
) -> FastAPI:
    """The FastAPI app over ``store`` (read-only unless ``update_token`` is given).

    ``hosts``: the ``Host`` names it answers (default: 127.0.0.1, localhost, ::1;
    see :func:`~obligraph.viz.web.guard.allowed_hosts`); any other gets 400.
    ``max_running``: queries and updates of ``/sparql`` running at once (503 beyond).
    ``status_file``: where a task page's status form appends (default: ``status.csv``
    beside the store; see docs/corrections.md).
    """
    app = FastAPI(title="obligraph", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(GuardMiddleware, hosts=allowed_hosts() if hosts is None else hosts)
    cache = _Cache()
    config = EndpointConfig(query_timeout, result_cap, max_query_chars, update_token, max_running)
    app.include_router(make_router(store, config, on_update=cache.clear))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if YASGUI.is_dir():
        app.mount("/vendor/yasgui", StaticFiles(directory=YASGUI), name="yasgui")
    templates = Jinja2Templates(directory=str(TEMPLATES))
    app.state.store, app.state.cache, app.state.config = store, cache, config

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

    if status_file is None:
        from obligraph.config import people_file

        on_disk = getattr(store, "kind", "") == "embedded"
        status_file = people_file("status.csv", Path(store.location) if on_disk else None)
    app.include_router(
        make_task_router(
            store,
            page,
            update_token=update_token,
            status_file=Path(status_file),
            on_change=cache.clear,
        )
    )

    def index() -> list[data.Hit]:
        with cache.lock:
            if cache.index is None:
                cache.index = data.build_index(store)
            return cache.index

    @app.exception_handler(ObligraphError)
    async def obligraph_error(request: Request, exc: ObligraphError) -> HTMLResponse:
        return page(request, "web_error.html", 400, message=str(exc), code=400)

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, q: str = "") -> HTMLResponse:
        hits = data.search(index(), q) if q.strip() else []
        return page(request, "web_home.html", q=q, hits=hits, counts=data.store_counts(store))

    @app.get("/unit/{slug}", response_class=HTMLResponse)
    def unit_page(request: Request, slug: str) -> HTMLResponse:
        iri = data.find_iri(store, "unit", slug)
        if not iri:
            return not_found(request, f"unit/{slug}")
        return page(
            request,
            "web_unit.html",
            slug=slug,
            info=data.unit_info(store, iri, request.query_params.get("lang", "vi")),
            register=data.obligation_register(store, iri),
            deadlines=data.unit_deadlines(store, iri),
            overlaps=data.unit_overlaps(store, iri),
            graph_href=f"/view/unit?target={quote(iri)}",
        )

    @app.get("/unit/{slug}/obligations.{fmt}")
    def unit_download(request: Request, slug: str, fmt: str) -> Response:
        iri = data.find_iri(store, "unit", slug)
        if not iri or fmt not in ("csv", "xlsx"):
            return not_found(request, f"unit/{slug}/obligations.{fmt}")
        register = data.obligation_register(store, iri)
        cols = list(data.REGISTER_COLUMNS)
        table = [[r[c] for c in cols] for r in register]
        name = f"obligations-{slug}.{fmt}"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(cols)
            writer.writerows([safe_cell(v) for v in row] for row in table)
            # UTF-8 with a BOM so that Excel shows the Vietnamese correctly
            body = buf.getvalue().encode("utf-8-sig")
            return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
        from obligraph.queries.library import Table, write_xlsx

        out = io.BytesIO()
        write_xlsx(Table(cols, table), out, sheet=slug)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(out.getvalue(), media_type=media, headers=headers)

    @app.get("/doc/{tail:path}", response_class=HTMLResponse)
    def document_page(request: Request, tail: str) -> HTMLResponse:
        iri = data.find_iri(store, "doc", tail)
        if not iri:
            return not_found(request, f"doc/{tail}")
        info = data.document_info(store, iri)
        return page(
            request,
            "web_document.html",
            info=info,
            citations=data.document_citations(store, iri),
            cited_by=data.document_cited_by(store, iri),
            tasks=data.document_tasks(store, iri),
            indicators=data.document_indicators(store, iri),
            findings=data.document_findings(store, iri),
            graph_href=f"/view/document?target={quote(iri)}" if info["loaded"] else "",
            lineage_href=f"/view/lineage?target={quote(iri)}",
        )

    @app.get("/view/{view}", response_class=HTMLResponse)
    def view(request: Request, view: str, target: str = "all", lang: str = "vi") -> HTMLResponse:
        from obligraph.viz.views import VIEWS, build_view

        if view not in VIEWS:
            return not_found(request, f"view/{view}")
        key = (view, target, "en" if lang == "en" else "vi")
        cached = cache.view(key)
        if cached is None:
            cached = build_view(store, view, target, lang=key[2])
            cache.keep_view(key, cached)
        return HTMLResponse(cached)

    @app.get("/overview", response_class=HTMLResponse)
    def overview(request: Request) -> HTMLResponse:
        t = labels("en" if request.query_params.get("lang") == "en" else "vi")
        matrix = data.load_matrix(store)
        cells: dict[tuple[str, str], list[int]] = {}
        totals: dict[str, list[int]] = {}
        tails: dict[str, str] = {}
        for r in matrix:
            i = 0 if r["role"] == "lead" else 1
            cells.setdefault((r["unit"], r["programme"]), [0, 0])[i] += int(r["n"])
            totals.setdefault(r["unit"], [0, 0])[i] += int(r["n"])
            tails[r["unit"]] = data.iri_tail(r["u"], "unit")
        ranked = sorted(totals.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), kv[0]))
        programmes = sorted({p for _, p in cells})
        busiest = [u for u, _ in ranked[:HEAT_ROWS]]
        pairs = data.overlap_pairs(store)
        prog_pairs: dict[tuple[str, str], int] = {}
        for p in pairs:
            a, b = sorted((p["progA"] or "—", p["progB"] or "—"))
            prog_pairs[(a, b)] = prog_pairs.get((a, b), 0) + 1
        prog_names = sorted({x for ab in prog_pairs for x in ab})
        overlap_cells = {}
        for (a, b), n in prog_pairs.items():
            overlap_cells[(a, b)] = (n, 0)
            overlap_cells[(b, a)] = (n, 0)
        return page(
            request,
            "web_overview.html",
            heat_svg=heat_map(
                busiest,
                programmes,
                {k: (v[0], v[1]) for k, v in cells.items()},
                title=t["heat_title"],
                cell_note=f"{t['lead']}/{t['support']}",
            ),
            load_svg=bar_chart(
                [(u, v[0], v[1]) for u, v in ranked[:HEAT_ROWS]],
                lead_label=t["lead"],
                support_label=t["support"],
                title=t["load_title"],
            ),
            overlap_svg=heat_map(
                prog_names,
                prog_names,
                overlap_cells,
                title=t["overlap_matrix"],
                cell_note=t["overlap_matrix"],
            )
            if prog_names
            else "",
            programmes=programmes,
            ranked=ranked,
            cells=cells,
            tails=tails,
            pairs=pairs,
            truncated=len(ranked) > HEAT_ROWS,
            heat_rows=HEAT_ROWS,
        )

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
    from obligraph.graph.store import inject_values
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
