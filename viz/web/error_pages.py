"""The pages shown when a page's work fails: a library error (400) or a limit (503 past
the page time limit, 507 past the memory bound), in the page's language."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from obligraph.viz.web.i18n import labels
from obligraph.viz.web.templating import PageFn, page_lang_of

from obligraph.base.errors import LimitError, MemoryLimitError, ObligraphError


def limit_message(exc: LimitError, lang: str, cancellable: bool) -> tuple[int, str]:
    """The status and message of a page stopped at a limit."""
    t = labels(lang)
    memory = isinstance(exc, MemoryLimitError)
    message = (t["page_memory"] if memory else t["page_timeout"]).format(n=f"{exc.limit:g}")
    if cancellable:
        message += " " + t["page_stopped"]
    return (507 if memory else 503), message


def install_error_pages(app: FastAPI, page: PageFn, runner: Any) -> None:
    """Answer :class:`ObligraphError` and :class:`LimitError` with the error page."""

    @app.exception_handler(ObligraphError)
    async def obligraph_error(request: Request, exc: ObligraphError) -> HTMLResponse:
        return page(request, "web_error.html", 400, message=str(exc), code=400)

    @app.exception_handler(LimitError)
    async def limit_error(request: Request, exc: LimitError) -> HTMLResponse:
        lang = page_lang_of(request.query_params)
        status, message = limit_message(exc, lang, runner.cancellable)
        return page(request, "web_error.html", status, message=message, code=status)
