"""The document page (``/doc/<tail>``): a document, its legal bases, tasks and findings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from obligraph.viz.web import pages
from obligraph.viz.web.templating import PageFn, not_found


def make_document_router(page: PageFn, *, work: Callable[..., Any]) -> APIRouter:
    """``GET /doc/<tail>``."""
    router = APIRouter()

    @router.get("/doc/{tail:path}", response_class=HTMLResponse)
    def document_page(request: Request, tail: str) -> HTMLResponse:
        found = work(pages.document, tail)
        if found is None:
            return not_found(page, request, f"doc/{tail}")
        return page(request, "web_document.html", **found)

    return router
