"""A unit's obligation register, read a page at a time.

One SELECT with a dozen OPTIONALs, a UNION and a GROUP BY over a unit's tasks is
planned badly by Oxigraph (11.9 s at 1,000 documents for a unit with 1,942 tasks; with
the tasks given by ``VALUES``, over two minutes). Here each property is read by its own
small SELECT restricted to the page's tasks (``VALUES``, one or two patterns) and the
rows are joined in Python, so a page costs a page:

* :func:`register_page` lists the unit's tasks with one selective pattern (its
  assignments), orders them by document and place, and reads only the page's rows;
* :func:`register_rows` reads the rows of given tasks (or all of the unit's: the
  CSV/XLSX downloads), with the columns of :data:`obligraph.viz.web.data.REGISTER_COLUMNS`.

>>> from obligraph.graph.stores import open_store
>>> register_page(open_store(memory=True), "urn:x:unit")
([], 0)
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any

from obligraph.queries.library import internal_rows
from rdflib import URIRef

#: Rows of the register a unit page shows at once (the downloads hold them all).
REGISTER_PAGE = 100

_LEAD = "https://w3id.org/obligraph/ontology#LeadRole"
_REQUEST = "https://w3id.org/obligraph/ontology#Request"


def _natural(text: str) -> tuple:
    """A sort key that puts ``annex-1-2`` before ``annex-1-10``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text))


def unit_tasks(store: Any, iri: str) -> list[str]:
    """Every task the unit is assigned (any role), unordered."""
    found = internal_rows(store, "unit-register-tasks", constants={"u": URIRef(iri)})
    return [r["task"] for r in found]


def _keyed(store: Any, name: str, var: str, iris: list[str] | set[str]) -> dict[str, dict]:
    """``key -> var -> values`` of an internal query ``SELECT ?var ?k ?v`` over a
    ``VALUES ?var`` slot (one query for all keys: a UNION under one VALUES block,
    since each query parses the block again), for the given IRIs."""
    out: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    if not iris:
        return out
    for r in internal_rows(store, name, values={var: _terms(iris)}):
        if r["v"] is not None:
            out[r["k"]][r[var]].append(r["v"])
    return out


def _terms(iris: list[str] | set[str]) -> list[URIRef]:
    """IRIs read from the store, as the terms of a VALUES slot (sorted)."""
    return [URIRef(i) for i in sorted(iris)]


def _first(values: dict[str, list], key: str) -> Any:
    found = values.get(key)
    return min(found, key=str) if found else None


def register_rows(
    store: Any, iri: str, tasks: list[str] | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """The register rows (one per task and role) of the unit's ``tasks`` (default: all),
    in the order of ``tasks`` when given, else by document, line, task id and role."""
    chosen = unit_tasks(store, iri) if tasks is None else list(tasks)
    if not chosen:
        return []
    assigned = internal_rows(
        store,
        "unit-register-assignments",
        values={"task": _terms(chosen)},
        constants={"u": URIRef(iri)},
    )
    facts = _Facts(store, chosen)
    today = today or date.today()
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in sorted(assigned, key=lambda r: (r["task"], str(r["a"]), str(r["m"]), str(r["by"]))):
        task = r["task"]
        role = "lead" if r["role"] == _LEAD else "support"
        d = _first(facts.task["doc"], task)
        if d is None or (task, role) in out:
            if d is not None and r["by"] is not None:
                out[(task, role)]["corrected"] = True
            continue
        out[(task, role)] = facts.row(r, task, role, d, today)
    if tasks is not None:
        position = {t: i for i, t in enumerate(chosen)}
        return sorted(out.values(), key=lambda x: (position[x["task"]], x["role"] != "lead"))
    return sorted(
        out.values(),
        key=lambda x: (
            x["document"],
            x["line"] != "",
            x["line"] if x["line"] != "" else 0,
            x["task_id"],
            x["role"],
        ),
    )


class _Facts:
    """What the register shows of the ``chosen`` tasks, read by a few small queries: the
    tasks' facts, their documents' and each task's first source span."""

    def __init__(self, store: Any, chosen: list[str]) -> None:
        self.task = _keyed(store, "unit-register-task-facts", "t", chosen)
        docs = {d for ds in self.task["doc"].values() for d in ds}
        self.doc = _keyed(store, "unit-register-document-facts", "d", docs)
        spans = internal_rows(store, "unit-register-sources", values={"t": _terms(chosen)})
        self.source: dict[str, dict] = {}
        for r in spans:
            key = (r["line"] is None, r["line"] or 0, r["file"] or "", r["section"] or "")
            if r["t"] not in self.source or key < self.source[r["t"]]["_key"]:
                self.source[r["t"]] = {**r, "_key": key}

    def row(self, r: dict, task: str, role: str, d: str, today: date) -> dict[str, Any]:
        """The register row of ``task`` in ``role`` (``r``: its assignment), of document ``d``."""
        from obligraph.graph.status import state_on

        got, of_doc = self.task, self.doc
        doc_label = _first(of_doc["number"], d) or _first(of_doc["file"], d) or ""
        own = got["own"].get(task) if got["has_own"].get(task) else of_doc["implements"].get(d)
        span = self.source.get(task, {})
        due_date = str(_first(got["due"], task) or "")
        return {
            "task": task,
            "role": role,
            "modality": "request" if r["m"] == _REQUEST else "obligation",
            "document": doc_label,
            "doc_href": "/doc/" + d.split("/doc/", 1)[-1],
            "task_id": _first(got["task_id"], task) or "",
            "text": _first(got["text"], task) or "",
            "programmes": "; ".join(sorted(set(own or ()))),
            "timeframe": _first(got["timeframe"], task) or "",
            "years": ", ".join(sorted(set(got["years"].get(task, ())))),
            "due_date": due_date,
            "source_file": span.get("file") or "",
            "line": span["line"] if span.get("line") is not None else "",
            "section": span.get("section") or "",
            "quote": span.get("quote") or "",
            "status": state_on(_first(got["status"], task), due_date, today),
            "status_date": _first(got["status_date"], task) or "",
            "corrected": r["by"] is not None,
            "task_href": "/task/" + task.split("/doc/", 1)[-1],
        }


def _ordered_tasks(store: Any, iri: str) -> list[str]:
    """The unit's tasks by document (its number) and place; kept while the summary's
    digest (:func:`obligraph.graph.analysis.summary.read_digest`) stays the same."""
    from obligraph.viz.web.digest_cache import DigestCache

    global _orders
    if _orders is None:
        _orders = DigestCache(ORDER_CACHE)
    return _orders.get(store, iri, lambda: _order(store, iri))


#: Units whose task order is kept (per process), while the store's summary is the same.
ORDER_CACHE = 64
_orders: Any = None


def _order(store: Any, iri: str) -> list[str]:
    tasks = unit_tasks(store, iri)
    docs = {t.split("/task/", 1)[0] for t in tasks}
    number = _keyed(store, "unit-register-document-numbers", "d", docs)["v"]

    def order(task: str) -> tuple:
        doc, _, tail = task.partition("/task/")
        return (_first(number, doc) or doc, _natural(tail), task)

    return sorted(tasks, key=order)


def register_page(
    store: Any, iri: str, page: int = 1, size: int = REGISTER_PAGE
) -> tuple[list[dict[str, Any]], int]:
    """One page of the unit's register, and the number of the unit's tasks.

    Tasks are ordered by document (its number) and by their place in it (the task id,
    numbers compared as numbers); a page holds ``size`` tasks (a task the unit both
    leads and supports gives two rows).
    """
    tasks = _ordered_tasks(store, iri)
    start = max(page - 1, 0) * size
    chosen = tasks[start : start + size]
    return (register_rows(store, iri, chosen) if chosen else []), len(tasks)


#: Units whose tasks in the order of their addresses are kept (per process).
_by_address: Any = None


def _tasks_by_address(store: Any, iri: str) -> list[str]:
    """The unit's tasks in the natural order of their IRIs (document type, number, year,
    then the task's place): one flat read, no look-up per document; kept while the
    summary's digest stays the same."""
    from obligraph.viz.web.digest_cache import DigestCache

    global _by_address
    if _by_address is None:
        _by_address = DigestCache(ORDER_CACHE)
    return _by_address.get(
        store, ("by-address", iri), lambda: sorted(unit_tasks(store, iri), key=_natural)
    )


def bounded_page(store: Any, iri: str, rows: int, page: int = 1, size: int = REGISTER_PAGE):
    """One page of a big unit's register without reading every task's facts: the page's
    ``size`` tasks in the order of their addresses (:func:`_tasks_by_address`), with their
    rows (:func:`register_rows`); ``rows`` (the register's size) comes from the stored
    summary. No facets: a :class:`obligraph.viz.web.facets.Result` with none."""
    from obligraph.viz.web.facets import Result

    tasks = _tasks_by_address(store, iri)
    pages = max((len(tasks) + size - 1) // size, 1)
    page = min(max(page, 1), pages)
    chosen = tasks[(page - 1) * size : page * size]
    found = register_rows(store, iri, chosen) if chosen else []
    return Result(found, rows, rows, page, pages)
