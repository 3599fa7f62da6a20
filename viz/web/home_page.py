"""The home page (``/``): the corpus in numbers and a search over units, documents and tasks.

The search index is read once (in a worker, like every page's work) and kept in the
app's cache until the store is updated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from obligraph.viz.web import data, pages
from obligraph.viz.web.templating import PageFn

from obligraph.base.textkeys import fold


def cached_index(cache: Any, work: Callable[..., Any]) -> list[data.Hit]:
    """The search index, read with ``work`` unless ``cache`` holds it; kept only when
    the store was not updated meanwhile."""
    with cache.lock:
        if cache.index is not None:
            return cache.index
        generation = cache.generation
    found = work(pages.home, True)["index"]
    with cache.lock:
        if generation == cache.generation:
            cache.index = found
    return found


def make_home_router(page: PageFn, *, work: Callable[..., Any], cache: Any) -> APIRouter:
    """``GET /`` (``?q=`` searches)."""
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse)
    def home(request: Request, q: str = "") -> HTMLResponse:
        hits = data.search(cached_index(cache, work), q) if q.strip() else []
        found = data.search_counts(cached_index(cache, work), q) if q.strip() else {}
        counts = work(pages.home, False)["counts"]
        words = fold(q)  # the register of the tasks found: the same for any spelling
        return page(
            request, "web_home.html", q=q, hits=hits, found=found, counts=counts, words=words
        )

    return router
