"""What each page of the web app reads from the store: one function per page.

Each function takes the store first and returns plain data (dicts, lists,
strings), so the app can run it in a worker process that is killed when the page
passes its time limit (``--page-timeout``; see :mod:`obligraph.graph.stores.worker`). A
``None`` means "no such unit or document" (the app answers 404). Rendering stays in
the app.

>>> from obligraph.graph.stores import open_store
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
    """The counts of the home page (:mod:`obligraph.graph.analysis.summary`), and the search
    index when ``with_index``."""
    from obligraph.graph.analysis.summary import summary

    totals = summary(store).totals
    return {
        "counts": {k.replace(" ", "_"): v for k, v in totals.items()},
        "index": data.build_index(store) if with_index else None,
    }


def unit(
    store: Any, slug: str, lang: str, page: int = 1, params: dict[str, str] | None = None
) -> dict[str, Any] | None:
    """The unit page: names, one page of the obligation register, deadlines, overlaps.

    Counts come from the summary (:mod:`obligraph.graph.analysis.summary`); the register is
    filtered, sorted and paged as ``params`` ask (:mod:`obligraph.viz.web.registers`:
    facets, sort, ``page``; 100 rows a page), the overlaps are the unit's best pairs
    the summary ranked.
    """
    from obligraph.graph.analysis.summary import UNIT_TOP_OVERLAPS, summary, unit_tally
    from obligraph.viz.web.register import REGISTER_PAGE
    from obligraph.viz.web.register_pages import register_context
    from obligraph.viz.web.registers import register_view

    iri = data.find_iri(store, "unit", slug)
    if not iri:
        return None
    s = summary(store)
    params = {**(params or {}), "page": str(page)}
    base = f"/unit/{slug}"
    result = register_view(store, "unit", iri, params, REGISTER_PAGE)
    return {
        "slug": slug,
        "info": data.unit_info(store, iri, lang),
        "tally": unit_tally(s, iri),
        **register_context(result, params, base, base + "/obligations", "#register"),
        "register": result.rows,
        "page": result.page,
        "pages": result.pages,
        "deadlines": data.unit_deadlines(store, iri),
        "overlaps": data.overlaps_of(store, iri, s.unit_overlaps.get(iri, [])),
        "overlaps_shown": UNIT_TOP_OVERLAPS,
        "graph_href": f"/view/unit?target={quote(iri)}",
    }


def unit_register(store: Any, slug: str) -> list[dict[str, Any]] | None:
    """The whole obligation register of a unit (no filter)."""
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
        "tail": tail,
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
    """The overview: heat map unit × programme, load ranking, overlapping pairs.

    Every number is read from the summary (:mod:`obligraph.graph.analysis.summary`, computed at
    build time): a unit's load counts each task once per role, a cell counts the tasks
    of that programme; the pair table holds the best
    :data:`~obligraph.graph.analysis.summary.TOP_OVERLAPS` pairs.
    """
    from obligraph.graph.analysis.summary import summary

    t = labels(lang)
    s = summary(store)
    units = s.ranked()
    ranked = [(u.label, [u.lead, u.support]) for u in units]
    tails = {u.label: data.iri_tail(u.unit, "unit") for u in units}
    cells: dict[tuple[str, str], list[int]] = {}
    for (unit, prog), (lead, support) in s.cells.items():
        if unit in s.units:
            key = (s.units[unit].label, s.programme_label(prog))
            cell = cells.setdefault(key, [0, 0])
            cell[0] += lead
            cell[1] += support
    programmes = sorted({p for _, p in cells})
    busiest = [u for u, _ in ranked[:HEAT_ROWS]]
    overlap_cells: dict[tuple[str, str], tuple[int, int]] = {}
    for (a, b), n in s.programme_pairs.items():
        la, lb = s.programme_label(a), s.programme_label(b)
        overlap_cells[(la, lb)] = (n, 0)
        overlap_cells[(lb, la)] = (n, 0)
    prog_names = sorted({x for ab in overlap_cells for x in ab})
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
        "pairs": data.overlap_details(store, s.top_overlaps),
        "pairs_total": s.totals["overlapping pairs"],
        "truncated": len(ranked) > HEAT_ROWS,
        "heat_rows": HEAT_ROWS,
    }
