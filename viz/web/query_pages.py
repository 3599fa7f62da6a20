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

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from obligraph.queries.library import cell
from obligraph.viz.web.column_labels import CODE_COLUMNS, KINDS, TASK_ID_COLUMNS, heading, word
from obligraph.viz.web.data import iri_tail
from obligraph.viz.web.labels import concept, item_text
from obligraph.viz.web.register_pages import download_response
from obligraph.viz.web.task_page import task_href
from rdflib import Literal, URIRef

from obligraph.base.errors import UnitNotFoundError
from obligraph.base.finding_codes import title
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


def run_named(
    store: Any, name: str, params: dict[str, str], cap: int, lang: str | None = None
) -> dict[str, Any]:
    """The rows of a named query (plain values), at most ``cap``; or the error to show.
    With ``lang`` (a page, not a download) also the columns' ``headings`` and the rows'
    ``cells`` as a person reads them in that language (:func:`shown_cells`).

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
    out = {
        "columns": table.columns,
        "rows": table.rows[:cap],
        "total": len(table.rows),
        "truncated": len(table.rows) > cap,
    }
    if lang is not None and result.boolean is None and result.graph is None:
        out["headings"] = [heading(c, lang) for c in table.columns]
        out["cells"] = shown_cells(store, table.columns, result.rows[:cap], lang)
    return out


def shown_cells(
    store: Any, columns: list[str], terms: list[tuple], lang: str
) -> list[list[dict[str, Any]]]:
    """Each cell as a person reads it: ``{"text", "href", "code"}``. An IRI is the app's
    page of that thing (a task, a unit, a document) with its label, a concept its label
    in ``lang``; a task id its item label; a code its word; a boolean yes or no; a
    finding's message and an overlap's reason in ``lang``."""
    iris = {i for row in terms for i in map(_iri, row) if i}
    names = iri_labels(store, iris)
    out = []
    for row in terms:
        said = {k: v for i in map(_iri, row) if i for k, v in names.get(i, {}).items()}
        if "code" in columns and row[columns.index("code")] is not None:
            said["title"] = title(str(row[columns.index("code")]), "vi")
        out.append(
            [
                _shown(column, term, names, said, lang)
                for column, term in zip(columns, row, strict=True)
            ]
        )
    return out


def _iri(term: Any) -> str:
    """The IRI a cell holds (a term, or text that is one: ``STR(?x)``); '' for none."""
    if isinstance(term, URIRef) or (
        isinstance(term, Literal) and re.fullmatch(r"https?://\S+", str(term))
    ):
        return str(term)
    return ""


def _shown(
    column: str, term: Any, names: dict[str, dict[str, str]], said: dict[str, str], lang: str
) -> dict:
    if term is None:
        return {"text": ""}
    if _iri(term):
        return iri_cell(_iri(term), names.get(_iri(term), {}), lang)
    value = cell(term)
    if isinstance(value, bool):
        return {"text": value}
    text = str(value)
    if lang != "en" and column in ("message", "reason"):
        return {"text": said.get(column + "Vi") or said.get("title") or value}
    if column == "code":
        return {"text": value, "code": True}
    if column in TASK_ID_COLUMNS and not text.isdigit():
        return {"text": item_text(text, lang)}
    if column in CODE_COLUMNS:
        return {"text": word(text, lang) or concept(text, lang)}
    return {"text": value}


#: The kinds of things a document's IRI has beneath it (``.../doc/<doc>/<kind>/...``).
_PARTS = re.compile(r"/(task|indicator|deadline|citation|finding|source)/")


def iri_cell(iri: str, facts: dict[str, str], lang: str) -> dict[str, Any]:
    """How a cell shows the thing ``iri`` names, given its ``facts`` (:func:`iri_labels`).

    >>> iri_cell("https://w3id.org/obligraph/id/unit/cuc-tre-em", {"name": "Cục Trẻ em"}, "vi")
    {'text': 'Cục Trẻ em', 'href': '/unit/cuc-tre-em'}
    >>> iri_cell("https://w3id.org/obligraph/id/doc/qd/704-qd-ldtbxh/2021/task/annex-1-a",
    ...          {"taskId": "annex-1-a"}, "en")["text"]
    'Annex, item 1, point a'
    >>> iri_cell("https://w3id.org/obligraph/ontology#LeadRole", {}, "vi")
    {'text': 'Chủ trì'}
    >>> iri_cell("http://www.w3.org/ns/org#Organization", {}, "vi")
    {'text': 'Organization', 'code': True}
    """
    unit, doc = iri_tail(iri, "unit"), iri_tail(iri, "doc")
    if unit:
        return {"text": facts.get("name") or unit, "href": f"/unit/{unit}"}
    if doc:
        found = _PARTS.search("/" + doc)
        if found is None:
            return {"text": facts.get("number") or facts.get("file") or doc, "href": f"/doc/{doc}"}
        kind, doc_page = found.group(1), "/doc/" + doc[: found.start()].strip("/")
        if kind == "task":
            label = item_text(facts.get("taskId") or doc.rsplit("/", 1)[-1], lang)
            return {"text": label, "href": task_href(iri)}
        return {"text": _kind_label(kind, iri, lang), "href": doc_page}
    label = concept(iri, lang)
    if label != iri:
        return {"text": label}
    if facts.get(f"label@{lang}"):
        return {"text": facts[f"label@{lang}"]}
    kind = iri.rstrip("/").rsplit("/", 2)[-2] if "/id/" in iri else ""
    if word(kind, lang, KINDS):
        return {"text": word(kind, lang, KINDS)}
    return {"text": re.split(r"[#/]", iri.rstrip("/#"))[-1], "code": True}


def _kind_label(kind: str, iri: str, lang: str) -> str:
    """``Phát hiện 3``: the kind's word and the thing's number or id in its document."""
    return f"{word(kind, lang, KINDS)} {iri.rsplit('/', 1)[-1]}".strip()


def iri_labels(store: Any, iris: set[str]) -> dict[str, dict[str, str]]:
    """What the store says to name each IRI: a unit's ``name``, a document's ``number`` or
    ``file``, a task's ``taskId``, a finding's ``messageVi``, an overlap's ``reasonVi``, a
    class's ``label@vi`` and ``label@en`` (the first of each, in order)."""
    from obligraph.queries.library import internal_rows

    if not iris:
        return {}
    found = internal_rows(
        store, "queries-result-labels", values={"x": [URIRef(i) for i in sorted(iris)]}
    )
    out: dict[str, dict[str, str]] = {}
    for r in sorted(found, key=lambda r: (r["x"], r["k"], str(r["v"]))):
        if r["v"] is not None:
            out.setdefault(r["x"], {}).setdefault(r["k"], str(r["v"]))
    return out


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
    work: Callable[..., Any], query: dict[str, Any], params: dict[str, str], lang: str = "vi"
) -> tuple[dict[str, Any], dict[str, str]]:
    """``(result, links)`` of a query page asked with ``params``: the rows (or the
    parameters missing, or the error and the units meant) shown in ``lang``, the
    downloads' and the suggested units' addresses."""
    name, links = query["name"], {}
    missing = [p["name"] for p in query["params"] if p["required"] and p["name"] not in params]
    if missing:
        return {"error": ", ".join(missing), "missing": True, "suggestions": []}, links
    result = work(run_named, name, params, PAGE_ROWS, lang)
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
        lang = "en" if request.query_params.get("lang") == "en" else "vi"
        result, links = answer(work, query, params, lang) if params is not None else (None, {})
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
