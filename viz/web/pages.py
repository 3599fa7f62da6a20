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

#: Units (the busiest by load) the overview's heat map, load chart and tables show.
HEAT_ROWS = 30
#: Programmes (the busiest) the heat map shows, and programmes the overlap matrix shows.
HEAT_COLUMNS = 20


def home(store: Any, with_index: bool) -> dict[str, Any]:
    """The counts of the home page (:mod:`obligraph.graph.analysis.summary`), and the search
    index when ``with_index``."""
    from obligraph.graph.analysis.summary import summary

    totals = summary(store).totals
    return {
        "counts": {k.replace(" ", "_"): v for k, v in totals.items()},
        "index": data.build_index(store) if with_index else None,
    }


#: A unit register of more rows (the summary's count) is shown a page at a time without
#: facets unless a filter or sort is asked for (:func:`obligraph.viz.web.register.bounded_page`).
BOUNDED_FROM = 2000


def unit(
    store: Any,
    slug: str,
    lang: str,
    page: int = 1,
    params: dict[str, str] | None = None,
    bounded_from: int | None = None,
) -> dict[str, Any] | None:
    """The unit page: names, one page of the obligation register, deadlines, overlaps.

    Counts come from the summary's nodes about the unit
    (:func:`obligraph.viz.web.data.unit_summary`); the register is filtered, sorted and
    paged as ``params`` ask (:mod:`obligraph.viz.web.registers`: facets, sort, ``page``;
    100 rows a page). A register of ``bounded_from`` rows or more
    (:data:`BOUNDED_FROM`) asked for with no filter or sort is read a page at a time, no
    facets (:func:`obligraph.viz.web.register.bounded_page`). The overlaps are the unit's
    best pairs the summary ranked.
    """
    from obligraph.graph.analysis.summary import UNIT_TOP_OVERLAPS, summary, unit_tally
    from obligraph.viz.web.facets import View
    from obligraph.viz.web.register import REGISTER_PAGE, bounded_page
    from obligraph.viz.web.register_pages import register_context
    from obligraph.viz.web.registers import register_view

    iri = data.find_iri(store, "unit", slug)
    if not iri:
        return None
    counts = data.unit_summary(store, iri)
    if counts is None:
        s = summary(store)
        counts = (unit_tally(s, iri), s.unit_overlaps.get(iri, []))
    tally, best = counts
    params = {**(params or {}), "page": str(page)}
    view = View.parse(params)
    limit = BOUNDED_FROM if bounded_from is None else bounded_from
    bounded = not (view.filters or view.sort) and tally.load >= limit
    if bounded:
        result = bounded_page(store, iri, tally.load, page, REGISTER_PAGE)
    else:
        result = register_view(store, "unit", iri, params, REGISTER_PAGE)
    base = f"/unit/{slug}"
    return {
        "slug": slug,
        "info": data.unit_info(store, iri, lang),
        "tally": tally,
        **register_context(result, params, base, base + "/obligations", "#register"),
        "register": result.rows,
        "page": result.page,
        "pages": result.pages,
        "bounded": bounded,
        "deadlines": data.unit_deadlines(store, iri),
        "overlaps": data.overlaps_of(store, iri, best),
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


def _overview_tables(store: Any, rows: int, columns: int) -> dict[str, Any]:
    """What the overview shows, bounded, before its pictures are drawn (the same in
    both languages; kept while the summary's digest stays the same): the ``rows``
    busiest units, the ``columns`` busiest programmes (most tasks of every unit) and the
    ``columns`` programmes with the most overlapping pairs, with how many there are; the
    best pairs with their tasks."""
    from obligraph.graph.analysis.summary import summary

    s = summary(store)
    units = s.ranked()
    shown = units[:rows]
    per_programme: dict[str, int] = {}
    for (_unit, prog), (lead, support) in s.cells.items():
        per_programme[prog] = per_programme.get(prog, 0) + lead + support
    busiest = sorted(per_programme, key=lambda p: (-per_programme[p], s.programme_label(p)))
    programmes = busiest[:columns]
    cells: dict[tuple[str, str], tuple[int, int]] = {}
    for u in shown:
        for prog in programmes:
            found = s.cells.get((u.unit, prog))
            if found and any(found):
                cells[(u.label, s.programme_label(prog))] = (found[0], found[1])
    paired: dict[str, int] = {}
    for (a, b), n in s.programme_pairs.items():
        paired[a] = paired.get(a, 0) + n
        paired[b] = paired.get(b, 0) + n
    pair_progs = sorted(paired, key=lambda p: (-paired[p], s.programme_label(p)))[:columns]
    chosen = set(pair_progs)
    overlap_cells: dict[tuple[str, str], tuple[int, int]] = {}
    for (a, b), n in s.programme_pairs.items():
        if a in chosen and b in chosen:
            la, lb = s.programme_label(a), s.programme_label(b)
            overlap_cells[(la, lb)] = overlap_cells[(lb, la)] = (n, 0)
    return {
        "ranked": [(u.label, [u.lead, u.support]) for u in shown],
        "tails": {u.label: data.iri_tail(u.unit, "unit") for u in shown},
        "programmes": [s.programme_label(p) for p in programmes],
        "programme_tails": {s.programme_label(p): data.iri_tail(p, "doc") for p in programmes},
        "cells": cells,
        "pair_programmes": sorted(s.programme_label(p) for p in pair_progs),
        "overlap_cells": overlap_cells,
        "units_total": len(units),
        "programmes_total": len(busiest),
        "pair_programmes_total": len(paired),
        "programme_pairs_total": len(s.programme_pairs),
        "pairs": data.overlap_details(store, s.top_overlaps),
        "pairs_total": s.totals["overlapping pairs"],
    }


#: The overview's bounded tables, kept per process while the summary is the same.
_OVERVIEWS: Any = None


def overview(
    store: Any, lang: str, rows: int = HEAT_ROWS, columns: int = HEAT_COLUMNS
) -> dict[str, Any]:
    """The overview: heat map unit × programme, load ranking, overlapping pairs, each
    bounded so that the page costs the same at any size of store: the ``rows`` busiest
    units (by load) × the ``columns`` busiest programmes, the ``columns`` programmes with
    the most overlapping pairs; how many more there are is said, and the downloads
    (:func:`overview_table`) hold them all.

    Every number is read from the summary (:mod:`obligraph.graph.analysis.summary`, computed at
    build time): a unit's load counts each task once per role, a cell counts the tasks
    of that programme; the pair table holds the best
    :data:`~obligraph.graph.analysis.summary.TOP_OVERLAPS` pairs.
    """
    from obligraph.viz.web.digest_cache import DigestCache

    global _OVERVIEWS
    if _OVERVIEWS is None:
        _OVERVIEWS = DigestCache(4)
    t = labels(lang)
    got = _OVERVIEWS.get(
        store, ("overview", rows, columns), lambda: _overview_tables(store, rows, columns)
    )
    ranked, names = got["ranked"], got["pair_programmes"]
    return {
        **got,
        "heat_svg": heat_map(
            [u for u, _ in ranked],
            got["programmes"],
            got["cells"],
            title=t["heat_title"],
            cell_note=f"{t['lead']}/{t['support']}",
        ),
        "load_svg": bar_chart(
            [(u, v[0], v[1]) for u, v in ranked],
            lead_label=t["lead"],
            support_label=t["support"],
            title=t["load_title"],
        ),
        "overlap_svg": heat_map(
            names,
            names,
            got["overlap_cells"],
            title=t["overlap_matrix"],
            cell_note=t["overlap_matrix"],
        )
        if names
        else "",
        "more_units": got["units_total"] - len(ranked),
        "more_programmes": got["programmes_total"] - len(got["programmes"]),
        "more_pair_programmes": got["pair_programmes_total"] - len(names),
        "downloads": {table: f"/overview/{table}" for table in OVERVIEW_TABLES},
    }


#: The overview's downloads (``/overview/<table>.<csv|xlsx|json>``) and their columns:
#: every unit's load, every unit × programme cell, every pair of programmes.
OVERVIEW_TABLES = {
    "load": ("rank", "unit", "lead", "support", "total"),
    "cells": ("unit", "programme", "lead", "support"),
    "programme-pairs": ("programme_a", "programme_b", "pairs"),
}


def overview_table(store: Any, table: str) -> tuple[list[str], list[dict[str, Any]]] | None:
    """Every row of one of the overview's tables (:data:`OVERVIEW_TABLES`), read from
    the summary: what the page leaves out past its bounds (None: no such table)."""
    from obligraph.graph.analysis.summary import summary

    if table not in OVERVIEW_TABLES:
        return None
    s = summary(store)
    out: list[dict[str, Any]] = []
    if table == "load":
        for rank, u in enumerate(s.ranked(), 1):
            out.append(
                {
                    "rank": rank,
                    "unit": u.label,
                    "lead": u.lead,
                    "support": u.support,
                    "total": u.lead + u.support,
                }
            )
    elif table == "cells":
        for (unit, prog), (lead, support) in s.cells.items():
            if unit in s.units and (lead or support):
                out.append(
                    {
                        "unit": s.units[unit].label,
                        "programme": s.programme_label(prog),
                        "lead": lead,
                        "support": support,
                    }
                )
        out.sort(key=lambda r: (-(r["lead"] + r["support"]), r["unit"], r["programme"]))
    else:
        for (a, b), n in s.programme_pairs.items():
            out.append(
                {
                    "programme_a": s.programme_label(a),
                    "programme_b": s.programme_label(b),
                    "pairs": n,
                }
            )
        out.sort(key=lambda r: (-r["pairs"], r["programme_a"], r["programme_b"]))
    return list(OVERVIEW_TABLES[table]), out
