"""Named queries as forms, for legal staff: ``/queries`` and ``/queries/<name>``.

Each query of the library (``queries/*.rq``) gets a page with one field per
parameter — a unit picker that suggests names as you type (``/units.json?q=``),
a year, a date, a yes/no — and, once asked, its results as a plain table (typed
values shown as values: ``2021``, ``2026-03-31``, not ``"2021"^^xsd:gYear``) with
downloads of the same rows as CSV, JSON and XLSX
(``/queries/<name>.csv?unit=...``). A unit name that the gazetteer does not know is
answered with the closest names, each a link that asks again with it.

>>> field_kind("unit"), field_kind("date"), field_kind("boolean"), field_kind("literal")
('unit', 'date', 'boolean', 'text')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from obligraph.viz.web.register_pages import download_response
from rdflib import Literal

from obligraph.base.errors import UnitNotFoundError
from obligraph.base.textkeys import fold

#: Rows a results page shows (the downloads carry up to the endpoint's result cap).
PAGE_ROWS = 500
#: The formats a result downloads in (names of the registry's ``rows`` family).
DOWNLOADS = ("csv", "json", "xlsx")


def field_kind(param_type: str) -> str:
    """The form field of a parameter type."""
    return {"unit": "unit", "date": "date", "integer": "number", "decimal": "number",
            "boolean": "boolean"}.get(param_type, "text")  # fmt: skip


def catalogue_rows(store: Any) -> list[dict[str, Any]]:
    """Every named query with its titles and parameters (for the list and the forms)."""
    from obligraph.queries.library import catalogue

    out = []
    for q in catalogue():
        vi, _, en = q.title.partition(" | ")
        out.append(
            {
                "name": q.name,
                "title_vi": vi.strip(),
                "title_en": (en or vi).strip(),
                "description": q.description,
                "description_vi": q.describe("vi"),
                "params": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "kind": field_kind(p.type),
                        "label_vi": p.description.split(" / ")[0].strip(),
                        "label_en": p.description.split(" / ")[-1].strip(),
                        "example": p.example,
                        "required": p.default is None,
                    }
                    for p in q.params
                ],
            }
        )
    return out


def run_named(store: Any, name: str, params: dict[str, str], cap: int) -> dict[str, Any]:
    """The rows of a named query (plain values), at most ``cap``; or the error to show.

    Runs where page work runs (a worker process under the page time limit)."""
    from obligraph.queries.library import run, to_table

    try:
        result = run(store, name, params)
    except UnitNotFoundError as exc:
        unit = next((v for k, v in params.items() if k in _unit_params(name)), "")
        return {
            "error": exc.message,
            "unknown_unit": unit,
            "suggestions": list(exc.suggestions or []),
        }
    table = to_table(result)
    return {
        "columns": table.columns,
        "rows": table.rows[:cap],
        "total": len(table.rows),
        "truncated": len(table.rows) > cap,
    }


def _unit_params(name: str) -> set[str]:
    from obligraph.queries.library import get

    return {p.name for p in get(name).params if p.type == "unit"}


def unit_names(store: Any, q: str, limit: int = 12) -> list[str]:
    """Names of units in the store whose folded name contains the folded ``q``."""
    from obligraph.queries.library import internal_rows

    key = fold(q).strip()
    if len(key) < 2:
        return []
    found = internal_rows(store, "queries-unit-names", bindings={"q": Literal(key)})
    names = sorted({str(r["name"]) for r in found}, key=lambda n: (not fold(n).startswith(key), n))
    return names[:limit]


def answer(
    work: Callable[..., Any], query: dict[str, Any], params: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """``(result, links)`` of a query page asked with ``params``: the rows (or the
    parameters missing, or the error and the units meant), the downloads' and the
    suggested units' addresses."""
    name, links = query["name"], {}
    missing = [p["name"] for p in query["params"] if p["required"] and p["name"] not in params]
    if missing:
        return {"error": ", ".join(missing), "missing": True, "suggestions": []}, links
    result = work(run_named, name, params, PAGE_ROWS)
    for fmt in DOWNLOADS:
        links[fmt] = f"/queries/{name}.{fmt}?" + urlencode(params)
    for i, s in enumerate(result.get("suggestions", [])):
        unit = next(p["name"] for p in query["params"] if p["kind"] == "unit")
        links[f"s{i}"] = f"/queries/{name}?" + urlencode({**params, unit: s})
    return result, links


def make_query_router(
    store: Any,
    page: Callable[..., HTMLResponse],
    *,
    work: Callable[..., Any],
    result_cap: int,
) -> APIRouter:
    """``/queries``, ``/queries/<name>``, its downloads and ``/units.json``."""
    router = APIRouter()

    def find(name: str) -> dict[str, Any] | None:
        return next((q for q in catalogue_rows(store) if q["name"] == name), None)

    def asked(request: Request, query: dict[str, Any]) -> dict[str, str] | None:
        """The parameters given in the address, or None when the form was not sent."""
        given = {p["name"]: request.query_params.get(p["name"]) for p in query["params"]}
        if "run" not in request.query_params and not any(given.values()):
            return None
        return {k: v for k, v in given.items() if v not in (None, "")}

    @router.get("/queries", response_class=HTMLResponse)
    def queries_list(request: Request) -> HTMLResponse:
        return page(request, "web_queries.html", queries=catalogue_rows(store), query=None)

    @router.get("/units.json")
    def units_json(q: str = "") -> JSONResponse:
        return JSONResponse(work(unit_names, q))

    @router.get("/queries/{name}.{fmt}")
    def query_download(request: Request, name: str, fmt: str) -> Response:
        query = find(name)
        if query is None or fmt not in DOWNLOADS:
            return page(request, "web_error.html", 404, message=f"queries/{name}.{fmt}", code=404)
        result = work(run_named, name, asked(request, query) or {}, result_cap)
        if "error" in result:
            return page(request, "web_error.html", 400, message=result["error"], code=400)
        response = download_response(fmt, result["columns"], result["rows"], name)
        if result["truncated"]:
            response.headers["X-Obligraph-Truncated"] = "true"
        return response

    @router.get("/queries/{name}", response_class=HTMLResponse)
    def query_page(request: Request, name: str) -> HTMLResponse:
        query = find(name)
        if query is None:
            return page(request, "web_error.html", 404, message=f"queries/{name}", code=404)
        params = asked(request, query)
        result, links = answer(work, query, params) if params is not None else (None, {})
        return page(
            request,
            "web_queries.html",
            queries=catalogue_rows(store),
            query=query,
            values=params or {p["name"]: p["example"] for p in query["params"]},
            result=result,
            links=links,
        )

    return router
