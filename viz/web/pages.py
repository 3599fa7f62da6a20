"""What each page of the web app reads from the store: one function per page.

Each function takes the store first and returns plain data (dicts, lists,
strings), so the app can run it in a worker process that is killed when the page
passes its time limit (``--page-timeout``; see :mod:`obligraph.graph.worker`). A
``None`` means "no such unit or document" (the app answers 404). Rendering stays in
the app.

>>> from obligraph.graph.store import open_store
>>> store = open_store(memory=True)
>>> unit(store, "cuc-tre-em", "vi") is None
True
>>> home(store, with_index=True)["counts"]["documents"]
0
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from obligraph.viz.web import data
from obligraph.viz.web.charts import bar_chart, heat_map
from obligraph.viz.web.i18n import labels

HEAT_ROWS = 30


def home(store: Any, with_index: bool) -> dict[str, Any]:
    """The counts of the home page, and the search index when ``with_index``."""
    return {
        "counts": data.store_counts(store),
        "index": data.build_index(store) if with_index else None,
    }


def unit(store: Any, slug: str, lang: str) -> dict[str, Any] | None:
    """The unit page: names, obligation register, deadlines, overlaps."""
    iri = data.find_iri(store, "unit", slug)
    if not iri:
        return None
    return {
        "slug": slug,
        "info": data.unit_info(store, iri, lang),
        "register": data.obligation_register(store, iri),
        "deadlines": data.unit_deadlines(store, iri),
        "overlaps": data.unit_overlaps(store, iri),
        "graph_href": f"/view/unit?target={quote(iri)}",
    }


def unit_register(store: Any, slug: str) -> list[dict[str, Any]] | None:
    """The obligation register of a unit (the CSV/XLSX downloads)."""
    iri = data.find_iri(store, "unit", slug)
    return data.obligation_register(store, iri) if iri else None


def document(store: Any, tail: str) -> dict[str, Any] | None:
    """The document page: metadata, citations, tasks, indicators, findings."""
    iri = data.find_iri(store, "doc", tail)
    if not iri:
        return None
    info = data.document_info(store, iri)
    return {
        "info": info,
        "citations": data.document_citations(store, iri),
        "cited_by": data.document_cited_by(store, iri),
        "tasks": data.document_tasks(store, iri),
        "indicators": data.document_indicators(store, iri),
        "findings": data.document_findings(store, iri),
        "graph_href": f"/view/document?target={quote(iri)}" if info["loaded"] else "",
        "lineage_href": f"/view/lineage?target={quote(iri)}",
    }


def view(store: Any, name: str, target: str, lang: str) -> str:
    """One graph view as a self-contained HTML page."""
    from obligraph.viz.views import build_view

    return build_view(store, name, target, lang=lang, links=True)


def overview(store: Any, lang: str) -> dict[str, Any]:
    """The overview: heat map unit × programme, load ranking, overlapping pairs."""
    t = labels(lang)
    matrix = data.load_matrix(store)
    cells: dict[tuple[str, str], list[int]] = {}
    totals: dict[str, list[int]] = {}
    tails: dict[str, str] = {}
    for r in matrix:
        i = 0 if r["role"] == "lead" else 1
        cells.setdefault((r["unit"], r["programme"]), [0, 0])[i] += int(r["n"])
        totals.setdefault(r["unit"], [0, 0])[i] += int(r["n"])
        tails[r["unit"]] = data.iri_tail(r["u"], "unit")
    ranked = sorted(totals.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), kv[0]))
    programmes = sorted({p for _, p in cells})
    busiest = [u for u, _ in ranked[:HEAT_ROWS]]
    pairs = data.overlap_pairs(store)
    prog_pairs: dict[tuple[str, str], int] = {}
    for p in pairs:
        a, b = sorted((p["progA"] or "—", p["progB"] or "—"))
        prog_pairs[(a, b)] = prog_pairs.get((a, b), 0) + 1
    prog_names = sorted({x for ab in prog_pairs for x in ab})
    overlap_cells = {}
    for (a, b), n in prog_pairs.items():
        overlap_cells[(a, b)] = (n, 0)
        overlap_cells[(b, a)] = (n, 0)
    return {
        "heat_svg": heat_map(
            busiest,
            programmes,
            {k: (v[0], v[1]) for k, v in cells.items()},
            title=t["heat_title"],
            cell_note=f"{t['lead']}/{t['support']}",
        ),
        "load_svg": bar_chart(
            [(u, v[0], v[1]) for u, v in ranked[:HEAT_ROWS]],
            lead_label=t["lead"],
            support_label=t["support"],
            title=t["load_title"],
        ),
        "overlap_svg": heat_map(
            prog_names,
            prog_names,
            overlap_cells,
            title=t["overlap_matrix"],
            cell_note=t["overlap_matrix"],
        )
        if prog_names
        else "",
        "programmes": programmes,
        "ranked": ranked,
        "cells": cells,
        "tails": tails,
        "pairs": pairs,
        "truncated": len(ranked) > HEAT_ROWS,
        "heat_rows": HEAT_ROWS,
    }
