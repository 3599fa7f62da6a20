"""The unit page (``/unit/<slug>``): a unit's obligation register a page at a time, and
its download (``/unit/<slug>/obligations.<csv|xlsx|json>``) with the same filters and sort.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from obligraph.viz.web import pages
from obligraph.viz.web.register_pages import DOWNLOADS, download_response, register_file
from obligraph.viz.web.register_pages import view_params as register_params
from obligraph.viz.web.templating import PageFn, not_found


def page_number(text: str) -> int:
    """The register page asked for (1 when the address gives no sensible number).

    >>> page_number("3"), page_number("0"), page_number("x"), page_number("12345678")
    (3, 1, 1, 1)
    """
    return max(int(text), 1) if text.isdigit() and len(text) < 7 else 1


def make_unit_router(page: PageFn, *, work: Callable[..., Any]) -> APIRouter:
    """``GET /unit/<slug>`` and ``GET /unit/<slug>/obligations.<fmt>``."""
    router = APIRouter()

    @router.get("/unit/{slug}", response_class=HTMLResponse)
    def unit_page(request: Request, slug: str) -> HTMLResponse:
        at = page_number(request.query_params.get("page", "1"))
        params = register_params(request)
        found = work(pages.unit, slug, request.query_params.get("lang", "vi"), at, params)
        if found is None:
            return not_found(page, request, f"unit/{slug}")
        return page(request, "web_unit.html", **found)

    @router.get("/unit/{slug}/obligations.{fmt}")
    def unit_download(request: Request, slug: str, fmt: str) -> Response:
        """The register as the unit page shows it (same filters and sort, all pages)."""
        params = register_params(request)
        found = work(register_file, "unit", slug, params) if fmt in DOWNLOADS else None
        if found is None:
            return not_found(page, request, f"unit/{slug}/obligations.{fmt}")
        return download_response(fmt, *found, f"obligations-{slug}")

    return router
