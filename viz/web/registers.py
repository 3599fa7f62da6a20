"""Registers of obligations — a unit's, a document's, a programme's, a search's — read
from the store: one implementation for all four.

A register's rows are assignments: a task, a unit, a role (a task nobody is assigned
is one row without unit or role). Two steps, so that a page costs a page:

1. :func:`register_keys` reads the register's rows with what its facets and sort need
   (document, programmes, years, role, unit level, request or obligation, due date)
   by flat reads joined in Python — the scope's assignments, then small ``VALUES``
   reads of its tasks', documents' and units' facts (``queries/internal/register-*.rq``;
   a page's unit, document or programme written in as a constant). The table is kept
   per worker while the store's summary digest stays the same.
2. :func:`register_view` filters, counts, sorts and pages it
   (:mod:`obligraph.viz.web.facets`) and reads the details (text, time frame, status,
   source line and quote) of the page's rows only; :func:`register_download` reads
   them for every row that passes the filters (the CSV, XLSX and JSON downloads).

A task's programmes are those of :mod:`obligraph.graph.analysis.summary` (its own, else what its
document implements, else the document itself), so a programme filter on a unit's
register gives the overview's heat-map cell.

>>> from obligraph.graph.stores import open_store
>>> register_keys(open_store(memory=True), "unit", "urn:x:unit")
[]
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from obligraph.viz.web.data import REGISTER_COLUMNS
from obligraph.viz.web.digest_cache import DigestCache
from obligraph.viz.web.facets import PAGE_SIZE, Result, View, apply, select
from rdflib import URIRef

#: Kinds of register.
KINDS = ("unit", "document", "programme", "search")

#: The download's columns: the unit register's export contract
#: (:data:`obligraph.viz.web.data.REGISTER_COLUMNS`), with the unit first for the
#: registers that list several units.
UNIT_COLUMNS = REGISTER_COLUMNS
COLUMNS = ("unit", *UNIT_COLUMNS)

_OB = "https://w3id.org/obligraph/ontology#"
_LEAD = _OB + "LeadRole"
_SUPPORT = _OB + "SupportRole"
_REQUEST = _OB + "Request"


def columns(kind: str) -> tuple[str, ...]:
    """The download's columns of a kind of register.

    >>> columns("unit")[:3], columns("document")[:2]
    (('role', 'modality', 'document'), ('unit', 'role'))
    """
    return UNIT_COLUMNS if kind == "unit" else COLUMNS


def _run(store: Any, name: str, **kw: Any) -> list[dict[str, Any]]:
    """An internal query's rows as dicts of strings (None when unbound)."""
    from obligraph.queries.library import run_internal

    result = run_internal(store, name, **kw)
    return [
        {v: (None if term is None else str(term)) for v, term in zip(result.vars, row, strict=True)}
        for row in result.rows
    ]


def _keyed(
    store: Any, name: str, var: str, iris: set[str] | list[str]
) -> dict[str, dict[str, set[str]]]:
    """``iri -> key -> values`` of a ``?var ?k ?v`` internal query over ``iris``."""
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    if not iris:
        return out
    terms = [URIRef(i) for i in sorted(iris)]
    for r in _run(store, name, values={var: terms}):
        if r["v"] is not None:
            out[r[var]][r["k"]].add(r["v"])
    return out


def _least(values: set[str] | None) -> str:
    return min(values) if values else ""


def _search_tasks(store: Any, query: str) -> list[str]:
    """Tasks whose folded text holds every folded word of ``query`` (as the search page)."""
    from obligraph.base.textkeys import fold

    words = fold(query).split()
    if not words:
        return []
    return sorted(
        {
            r["task"]
            for r in _run(store, "register-task-texts")
            if all(w in fold(r["text"] or "") for w in words)
        }
    )


def _scope(store: Any, kind: str, key: str) -> list[dict[str, Any]]:
    """The assignments (task, unit, role IRI, modality IRI, correction) of a register."""
    if kind == "unit":
        found = _run(store, "register-unit-assignments", constants={"u": URIRef(key)})
        return [{**r, "unit": key} for r in found]
    if kind == "document":
        tasks = [
            r["task"] for r in _run(store, "register-document-tasks", constants={"d": URIRef(key)})
        ]
    elif kind == "programme":
        tasks = [
            r["task"] for r in _run(store, "register-programme-tasks", constants={"p": URIRef(key)})
        ]
    else:
        tasks = _search_tasks(store, key)
    if not tasks:
        return []
    found = _run(store, "register-task-assignments", values={"task": [URIRef(t) for t in tasks]})
    assigned = {r["task"] for r in found}
    return found + [
        {"task": t, "unit": None, "role": None, "m": None, "by": None}
        for t in tasks
        if t not in assigned
    ]


def _tail(iri: str, kind: str) -> str:
    marker = f"/{kind}/"
    return iri.split(marker, 1)[1] if marker in iri else ""


def _read_keys(store: Any, kind: str, key: str) -> list[dict[str, Any]]:
    from obligraph.viz.web.register import _natural

    scope = _scope(store, kind, key)
    tasks = {r["task"] for r in scope}
    facts = _keyed(store, "register-task-facts", "t", tasks)
    docs = {d for t in tasks for key in ("doc", "own") for d in facts[t][key]}
    of_doc = _keyed(store, "register-document-facts", "d", docs)
    implemented = {p for d in docs for p in of_doc[d]["implements"]} - docs
    of_doc.update(_keyed(store, "register-document-facts", "d", implemented))
    units = {r["unit"] for r in scope if r["unit"]}
    of_unit = _keyed(store, "register-unit-facts", "u", units)

    def doc_label(d: str) -> str:
        return _least(of_doc[d]["number"]) or _least(of_doc[d]["file"]) or _tail(d, "doc") or d

    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in sorted(scope, key=lambda r: (r["task"], str(r["m"]), str(r["by"]))):
        task = r["task"]
        f = facts[task]
        if not f["typed"] or not f["doc"]:
            continue
        d = _least(f["doc"])
        role = {_LEAD: "lead", _SUPPORT: "support"}.get(r["role"] or "", "")
        if r["role"] and not role:
            continue  # another kind of assignment (the register holds lead and support)
        unit = r["unit"] or ""
        found = rows.get((task, unit, role))
        if found is not None:
            found["corrected"] = found["corrected"] or r["by"] is not None
            continue
        programmes = f["own"] or of_doc[d]["implements"] or {d}
        if kind == "programme" and key not in programmes:
            continue  # a task of a plan implementing it, with another programme of its own
        level = _least(of_unit[unit]["level"]) if unit else ""
        rows[(task, unit, role)] = {
            "task": task,
            "unit": unit,
            "unit_label": _least(of_unit[unit]["label"]) if unit else "",
            "unit_href": "/unit/" + _tail(unit, "unit") if _tail(unit, "unit") else "",
            "role": role,
            "modality": ("request" if r["m"] == _REQUEST else "obligation") if role else "",
            "corrected": r["by"] is not None,
            "doc": d,
            "document": doc_label(d),
            "programme": tuple(sorted({doc_label(p) for p in programmes})),
            "year": tuple(sorted(f["year"])),
            "level": level.rsplit("#", 1)[-1],
            "due": _least(f["due"]),
            "status_code": _least(f["status"]),
            "task_id": _least(f["id"]),
            "place": _natural(task.partition("/task/")[2]),
        }
    return list(rows.values())


#: Registers whose rows are kept (per process) while the store's summary is the same.
KEYS = DigestCache(32)


def register_keys(store: Any, kind: str, key: str) -> list[dict[str, Any]]:
    """The rows of a register with their facet and sort values (no text yet).

    ``kind`` is one of :data:`KINDS`; ``key`` the unit's, document's or programme's IRI,
    or the words searched. Kept in :data:`KEYS` while the summary is the same.
    """
    return KEYS.get(store, (kind, key), lambda: _read_keys(store, kind, key))


def _details(
    store: Any, rows: list[dict[str, Any]], today: date | None = None
) -> list[dict[str, Any]]:
    """``rows`` with the columns people read: text, time frame, status, source."""
    from obligraph.graph.status import state_on

    tasks = {r["task"] for r in rows}
    got: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    spans: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    if tasks:
        terms = [URIRef(t) for t in sorted(tasks)]
        for r in _run(store, "register-task-details", values={"t": terms}):
            if r["v"] is None:
                continue
            if r["s"]:
                spans[r["t"]][r["s"]][r["k"]] = r["v"]
            else:
                got[r["t"]][r["k"]].add(r["v"])
    today = today or date.today()
    out = []
    for r in rows:
        task = r["task"]

        def span_key(s: dict[str, str]) -> tuple:
            line = s.get("line")
            return (line is None, int(line) if line else 0, s.get("file", ""), s.get("section", ""))

        span = min(spans[task].values(), key=span_key) if spans[task] else {}
        out.append(
            {
                **r,
                "doc_href": "/doc/" + _tail(r["doc"], "doc"),
                "task_href": "/task/" + task.split("/doc/", 1)[-1],
                "text": _least(got[task]["text"]),
                "programmes": "; ".join(r["programme"]),
                "timeframe": _least(got[task]["timeframe"]),
                "years": ", ".join(r["year"]),
                "due_date": r["due"],
                "source_file": span.get("file", ""),
                "line": int(span["line"]) if span.get("line") else "",
                "section": span.get("section", ""),
                "quote": span.get("quote", ""),
                "status": state_on(r["status_code"], r["due"], today),
                "status_date": _least(got[task]["status_date"]),
            }
        )
    return out


def register_view(
    store: Any, kind: str, key: str, params: dict[str, str], size: int = PAGE_SIZE
) -> Result:
    """One page of a register as the query parameters ask (filters, sort, page), with
    its true counts and facets; only the page's rows carry their details."""
    result = apply(register_keys(store, kind, key), View.parse(params), size)
    result.rows = _details(store, result.rows)
    return result


def register_download(
    store: Any, kind: str, key: str, params: dict[str, str]
) -> list[dict[str, Any]]:
    """Every row of the register that passes the filters, in the page's order (all its
    pages), with the download's columns (:func:`columns`) and the unit's name."""
    rows = select(register_keys(store, kind, key), View.parse(params))
    out = _details(store, [dict(r) for r in rows])
    for r in out:
        r["unit"] = r["unit_label"]
    return out
