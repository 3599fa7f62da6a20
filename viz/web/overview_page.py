"""The overview (``/overview``), its downloads (``/overview/<table>.<csv|xlsx|json>``:
every row its bounded tables leave out) and the graph views it links to
(``/view/<view>``).

A rendered view is kept in the app's cache (least recently used first out) until the
store is updated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from obligraph.viz.web import pages
from obligraph.viz.web.register_pages import DOWNLOADS, download_response
from obligraph.viz.web.templating import PageFn, not_found, page_lang_of


def make_overview_router(page: PageFn, *, work: Callable[..., Any], cache: Any) -> APIRouter:
    """``GET /view/<view>``, ``GET /overview`` and ``GET /overview/<table>.<fmt>``."""
    router = APIRouter()

    @router.get("/view/{view}", response_class=HTMLResponse)
    def view(request: Request, view: str, target: str = "all", lang: str = "vi") -> HTMLResponse:
        from obligraph.viz.views import VIEWS

        if view not in VIEWS:
            return not_found(page, request, f"view/{view}")
        key = (view, target, "en" if lang == "en" else "vi")
        generation = cache.generation
        cached = cache.view(key)
        if cached is None:
            cached = work(pages.view, view, target, key[2])
            cache.keep_view(key, cached, generation)
        return HTMLResponse(cached)

    @router.get("/overview", response_class=HTMLResponse)
    def overview(request: Request) -> HTMLResponse:
        lang = page_lang_of(request.query_params)
        return page(request, "web_overview.html", **work(pages.overview, lang))

    @router.get("/overview/{table}.{fmt}")
    def overview_download(request: Request, table: str, fmt: str) -> Response:
        """Every row of one of the overview's tables (the page shows the busiest)."""
        found = work(pages.overview_table, table) if fmt in DOWNLOADS else None
        if found is None:
            return not_found(page, request, f"overview/{table}.{fmt}")
        return download_response(fmt, *found, f"overview-{table}")

    return router
