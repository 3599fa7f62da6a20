"""The SPARQL editor (``/editor``, YASGUI bundled offline) and its named queries
(``/editor/queries.json``), their parameters bound to the examples by ``VALUES``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from obligraph.viz.web.templating import PageFn

from obligraph.base.errors import ObligraphError

#: The SPARQL editor, bundled with its licence (viz/static/vendor/yasgui/NOTICE.md).
YASGUI = Path(__file__).resolve().parent.parent / "static" / "vendor" / "yasgui"


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


def make_editor_router(store: Any, page: PageFn, *, yasgui: Path = YASGUI) -> APIRouter:
    """``GET /editor`` and ``GET /editor/queries.json``."""
    router = APIRouter()

    @router.get("/editor", response_class=HTMLResponse)
    def editor(request: Request) -> HTMLResponse:
        return page(
            request, "web_editor.html", queries=editor_queries(store), has_yasgui=yasgui.is_dir()
        )

    @router.get("/editor/queries.json")
    def editor_queries_json() -> JSONResponse:
        return JSONResponse(editor_queries(store))

    return router
