"""The source view (``/source/<doc tail>``): a document's own lines, numbered, with the
cited lines highlighted, for auditors.

Every line has an anchor (``#L141``); ``?hl=141-143`` highlights the lines a fact was
read from (the task page and the register link there). Lines holding a legal basis
(Căn cứ) or another citation link to the cited document's page; lines where a task
was read link to the task's page. The lines are read again, with the loader of its
format (text, Word, PDF, HTML), from the file whose bytes are those the build loaded
(same SHA-256 as ``ob:sha256``): found through ``sources.tsv`` beside the store, or by
name in the bundled corpus and the folders of ``$OBLIGRAPH_DOCUMENTS``. Otherwise the
page says so and shows nothing it cannot vouch for.

>>> highlight_range("141-143"), highlight_range("7"), highlight_range("x")
((141, 143), (7, 7), None)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from obligraph.queries.library import internal_rows
from obligraph.viz.web.data import find_iri, iri_tail
from rdflib import URIRef

#: Files the source view reads again: the formats the loaders read.
READABLE = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


def highlight_range(text: str) -> tuple[int, int] | None:
    """``(first, last)`` of ``"141-143"`` or ``"141"``; None when it is not lines."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", text or "")
    if not m:
        return None
    first = int(m.group(1))
    return first, max(first, int(m.group(2) or first))


def _file_lines(found: Path | None) -> tuple[str, list[str]]:
    """``(state, lines)``: ``ok`` and the lines, or ``missing`` / ``unreadable``."""
    from obligraph.loaders.formats import read_source

    if found is None or found.suffix.lower() not in READABLE:
        return "missing", []
    try:
        return "ok", read_source(found).lines
    except Exception:  # a reader's failure must not take the page down
        return "unreadable", []


def source_data(
    store: Any, tail: str, records: list[str] | None = None, roots: list[str] | None = None
) -> dict[str, Any] | None:
    """What the source view shows for the document at ``tail``; None when there is none.
    The file is looked up by its SHA-256 in the ``records`` (``sources.tsv`` files), else
    by name in the ``roots`` (see :mod:`obligraph.graph.sources`).

    Runs where page work runs (a worker process under the page time limit)."""
    from obligraph.graph.sources import default_roots, locate

    iri = find_iri(store, "doc", tail)
    if not iri:
        return None
    doc = URIRef(iri)
    [info] = internal_rows(store, "source-document", bindings={"d": doc}) or [{}]
    found, state = locate(
        str(info.get("sha") or ""),
        str(info.get("file") or ""),
        [Path(r) for r in records or []],
        [Path(r) for r in roots] if roots is not None else default_roots(),
    )
    if found is not None:
        state, lines = _file_lines(found)
    else:
        lines = []
    marks: dict[int, list[dict[str, str]]] = {}
    for r in internal_rows(store, "source-citations", bindings={"d": doc}):
        marks.setdefault(int(r["line"]), []).append(
            {
                "kind": str(r["relation"]),
                "label": str(r["no"] or iri_tail(str(r["cited"]), "doc")),
                "href": "/doc/" + iri_tail(str(r["cited"]), "doc"),
            }
        )
    for r in internal_rows(store, "source-tasks", bindings={"d": doc}):
        marks.setdefault(int(r["line"]), []).append(
            {
                "kind": "task",
                "label": str(r["id"]),
                "href": "/task/" + iri_tail(str(r["t"]), "doc"),
            }
        )
    return {
        "iri": iri,
        "doc_href": "/doc/" + tail,
        "label": str(info.get("no") or info.get("file") or tail),
        "file": str(info.get("file") or ""),
        "state": state,
        "lines": [(n, text, marks.get(n, [])) for n, text in enumerate(lines, 1)],
    }


def make_source_router(
    page: Callable[..., HTMLResponse],
    *,
    work: Callable[..., Any],
    records: list[str] | None = None,
    roots: list[str] | None = None,
) -> APIRouter:
    """``GET /source/<doc tail>``; ``records``: ``sources.tsv`` files; ``roots``: folders
    (default: the bundled corpus and ``$OBLIGRAPH_DOCUMENTS``)."""
    router = APIRouter()

    @router.get("/source/{tail:path}", response_class=HTMLResponse)
    def source(request: Request, tail: str, hl: str = "") -> HTMLResponse:
        found = work(source_data, tail, records, roots)
        if found is None:
            return page(request, "web_error.html", 404, message=f"source/{tail}", code=404)
        return page(request, "web_source.html", src=found, hl=highlight_range(hl))

    return router
