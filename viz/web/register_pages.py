"""The register pages and downloads: ``/register/<kind>/<tail>``, ``/register/search?q=``,
and the same addresses ending in ``.csv``, ``.xlsx`` or ``.json`` (the unit page's
register and ``/unit/<slug>/obligations.<fmt>`` go through the same functions).

A download holds exactly what the page shows: the same filters and sort, every page
of it. Its format comes from the one output-format registry
(:mod:`obligraph.output.formats`, the ``rows`` family: CSV in UTF-8 with a byte-order
mark, cells that would be formulas neutralised; XLSX; JSON).

>>> sorted(DOWNLOADS)
['csv', 'json', 'xlsx']
>>> href("/unit/cuc-tre-em", {"role": "lead", "sort": "-due"}, "#register")
'/unit/cuc-tre-em?role=lead&sort=-due#register'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from obligraph.viz.web.facets import FACETS, SORTS, View

#: The formats a register downloads in (names of the ``rows`` family).
DOWNLOADS = ("csv", "xlsx", "json")
_TAIL_FORMAT = re.compile(r"^(.*)\.(csv|xlsx|json)$")


def href(path: str, params: dict[str, str], anchor: str = "") -> str:
    """``path`` with the query parameters (none: no ``?``) and an anchor."""
    query = urlencode(params)
    return path + ("?" + query if query else "") + anchor


def view_params(request: Request) -> dict[str, str]:
    """The filters, sort and page of a request (the language and the rest left out)."""
    keep = (*FACETS, "sort", "page")
    return {k: v for k, v in request.query_params.items() if k in keep and v}


def _toggle(value: str, chosen: str) -> str:
    """A facet value's link: choose it, or drop the filter when it is the one chosen."""
    return "" if value == chosen else value


def register_context(
    result: Any, params: dict[str, str], base: str, download: str, anchor: str = ""
) -> dict[str, Any]:
    """What the register's template needs besides the rows: the links of every facet
    value, sort heading, page and download, each keeping the view's other choices."""
    view = View.parse(params)
    facets = []
    for facet in FACETS:
        chosen = view.value(facet)
        values = [
            {
                "value": value,
                "count": n,
                "chosen": value == chosen,
                "href": href(base, view.params(**{facet: _toggle(value, chosen)}), anchor),
            }
            for value, n in result.facets.get(facet, [])
        ]
        if values or chosen:
            facets.append(
                {
                    "name": facet,
                    "chosen": chosen,
                    "values": values,
                    "clear": href(base, view.params(**{facet: ""}), anchor),
                }
            )
    sorts = {}
    for column in SORTS:
        on = view.sort == column
        flip = "" if (on and view.descending) else "-" if on else ""
        sorts[column] = {
            "href": href(base, view.params(sort=flip + column), anchor),
            "on": on,
            "descending": on and view.descending,
        }
    whole = view.params()
    whole.pop("page", None)
    return {
        "reg": result,
        "facets": facets,
        "sorts": sorts,
        "filtered": bool(view.filters),
        "clear_all": href(base, {"sort": whole["sort"]} if "sort" in whole else {}, anchor),
        "prev_href": href(base, view.params(page=result.page - 1), anchor),
        "next_href": href(base, view.params(page=result.page + 1), anchor),
        "downloads": {fmt: href(f"{download}.{fmt}", whole) for fmt in DOWNLOADS},
    }


# ------------------------------------------------------------------ work (in a worker)


def _find(store: Any, kind: str, tail: str) -> tuple[str, str] | None:
    """The IRI a register is of and its title (unit name, document number, words)."""
    from obligraph.viz.web import data

    if kind == "search":
        return (tail, tail) if tail.strip() else None
    iri = data.find_iri(store, "unit" if kind == "unit" else "doc", tail)
    if not iri:
        return None
    if kind == "unit":
        return iri, data.unit_info(store, iri).get("label") or tail
    info = data.document_info(store, iri)
    return iri, info.get("no") or info.get("file") or tail


def register_page(
    store: Any, kind: str, tail: str, params: dict[str, str]
) -> dict[str, Any] | None:
    """The register page of a unit, document, programme or search (None: unknown)."""
    from obligraph.viz.web.registers import register_view

    found = _find(store, kind, tail)
    if found is None:
        return None
    iri, title = found
    base = "/register/search" if kind == "search" else f"/register/{kind}/{tail}"
    extra = {"q": tail} if kind == "search" else {}
    result = register_view(store, kind, iri, params)
    ctx = register_context(result, {**params, **extra}, base, base)
    if extra:  # the words searched stay in every link
        for key in ("prev_href", "next_href", "clear_all"):
            ctx[key] = _with_q(ctx[key], tail)
        for facet in ctx["facets"]:
            facet["clear"] = _with_q(facet["clear"], tail)
            for v in facet["values"]:
                v["href"] = _with_q(v["href"], tail)
        for s in ctx["sorts"].values():
            s["href"] = _with_q(s["href"], tail)
        ctx["downloads"] = {k: _with_q(v, tail) for k, v in ctx["downloads"].items()}
    return {"kind": kind, "tail": tail, "title": title, "iri": iri, **ctx}


def _with_q(link: str, words: str) -> str:
    path, _, query = link.partition("?")
    return path + "?" + urlencode({"q": words}) + ("&" + query if query else "")


def register_file(
    store: Any, kind: str, tail: str, params: dict[str, str]
) -> tuple[list[str], list[dict[str, Any]]] | None:
    """The columns and rows a register's download holds (None: unknown)."""
    from obligraph.viz.web.registers import columns, register_download

    found = _find(store, kind, tail)
    if found is None:
        return None
    return list(columns(kind)), register_download(store, kind, found[0], params)


def download_response(fmt_name: str, cols: list[str], rows: list[dict], name: str) -> Response:
    """The rows in a format of the registry's ``rows`` family, as an attachment."""
    from obligraph.output import formats

    fmt = formats.get("rows", fmt_name, only=DOWNLOADS)
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt.name}"'}
    body = formats.rows_bytes(fmt, cols, rows, sheet=name)
    return Response(body, media_type=fmt.media_type, headers=headers)


def file_name(kind: str, tail: str) -> str:
    """A download's file name (no extension) from what the register is of.

    >>> file_name("document", "qd/704-qd-ldtbxh/2021"), file_name("search", "trẻ em")
    ('register-document-qd-704-qd-ldtbxh-2021', 'register-search-tr-em')
    """
    return f"register-{kind}-" + (re.sub(r"[^a-z0-9]+", "-", tail.lower()).strip("-") or "all")


# ------------------------------------------------------------------ routes


def make_register_router(page: Callable[..., HTMLResponse], work: Callable[..., Any]) -> APIRouter:
    """Routes of the register pages and their downloads; ``page`` renders a template,
    ``work`` runs a function with the store in a worker."""
    router = APIRouter()

    def missing(request: Request, what: str) -> HTMLResponse:
        return page(request, "web_error.html", 404, message=what, code=404)

    def answer(request: Request, kind: str, tail: str) -> Response:
        params = view_params(request)
        m = _TAIL_FORMAT.match(tail)
        if m:
            found = work(register_file, kind, m.group(1), params)
            if found is None:
                return missing(request, f"register/{kind}/{tail}")
            return download_response(m.group(2), *found, file_name(kind, m.group(1)))
        found = work(register_page, kind, tail, params)
        if found is None:
            return missing(request, f"register/{kind}/{tail}")
        return page(request, "web_register.html", **found)

    @router.get("/register/search")
    def search_register(request: Request, q: str = "") -> Response:
        return answer(request, "search", q)

    @router.get("/register/search.{fmt}")
    def search_download(request: Request, fmt: str, q: str = "") -> Response:
        if fmt not in DOWNLOADS:
            return missing(request, f"register/search.{fmt}")
        return answer(request, "search", f"{q}.{fmt}")

    @router.get("/register/{kind}/{tail:path}")
    def register(request: Request, kind: str, tail: str) -> Response:
        if kind not in ("unit", "document", "programme"):
            return missing(request, f"register/{kind}/{tail}")
        return answer(request, kind, tail)

    return router
