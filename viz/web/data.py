"""What the web pages show, read from the Store with SPARQL (no RDF outside this module).

Pages address units and documents by the tail of their IRI (``unit/cuc-tre-em``,
``doc/qd/704-qd-ldtbxh/2021``), so links work whatever base the graph was built with.

>>> from obligraph.graph.stores import open_store
>>> store = open_store(memory=True)
>>> search(build_index(store), "tre em")
[]
>>> iri_tail("https://w3id.org/obligraph/id/unit/cuc-tre-em", "unit")
'cuc-tre-em'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from obligraph.queries.library import internal_rows, internal_text_rows
from rdflib import Literal, URIRef

from obligraph.base.textkeys import fold


def iri_tail(iri: str, kind: str) -> str:
    """The part of an IRI after ``/{kind}/`` (``unit`` or ``doc``); '' when absent."""
    marker = f"/{kind}/"
    return iri.split(marker, 1)[1] if marker in iri else ""


def find_iri(store: Any, kind: str, tail: str) -> str | None:
    """The unit (``kind="unit"``) or document (``"doc"``) IRI ending in ``/{kind}/{tail}``."""
    name = "page-find-unit" if kind == "unit" else "page-find-document"
    found = internal_rows(store, name, bindings={"tail": Literal(f"/{kind}/{tail}")})
    return found[0]["x"] if found else None


# ---------------------------------------------------------------- search


@dataclass(frozen=True)
class Hit:
    """One search result."""

    kind: str  # unit | task | document
    label: str
    detail: str
    href: str
    key: str
    weight: int = 0


def build_index(store: Any) -> list[Hit]:
    """Every unit, task and document with a folded search key (diacritics ignored)."""
    hits: list[Hit] = []
    for r in internal_rows(store, "search-units"):
        tail = iri_tail(r["u"], "unit")
        if tail:
            alts = joined(r["alts"])
            hits.append(
                Hit(
                    "unit",
                    r["label"],
                    alts,
                    f"/unit/{tail}",
                    fold(f"{r['label']} {alts}"),
                    int(r["n"] or 0),
                )
            )
    for r in internal_rows(store, "search-documents"):
        tail = iri_tail(r["d"], "doc")
        label = r["no"] or r["file"] or tail
        detail = r["title"] or ""
        weight = 2 if r["loaded"] in (True, "true") else 0
        hits.append(
            Hit("document", label, detail, f"/doc/{tail}", fold(f"{label} {detail}"), weight)
        )
    # every task of the store: read as text (no term objects; 147,000 rows at 10,000
    # documents took 27 s as terms, past the page limit of a worker's first search)
    for _task, task_id, task_text, doc, number in internal_text_rows(store, "search-tasks"):
        tail = iri_tail(doc, "doc")
        text = task_text or ""
        anchor = "task-" + (task_id or "")
        hits.append(
            Hit(
                "task",
                text,
                f"{number or ''} · {task_id or ''}",
                f"/doc/{tail}#{anchor}",
                fold(text),
            )
        )
    return hits


def search_counts(index: list[Hit], query: str) -> dict[str, int]:
    """How many hits of each kind match ``query`` (the true numbers, not the shown).

    >>> hits = [Hit("task", "Trẻ em", "", "/t", "tre em")] * 3
    >>> search_counts(hits, "trẻ"), len(search(hits, "trẻ", limit=2))
    ({'unit': 0, 'document': 0, 'task': 3}, 2)
    """
    words = fold(query).split()
    counts = dict.fromkeys(("unit", "document", "task"), 0)
    for h in index:
        if words and all(w in h.key for w in words):
            counts[h.kind] += 1
    return counts


def search(index: list[Hit], query: str, *, limit: int = 40) -> list[Hit]:
    """Hits whose folded key holds every folded word of ``query``; units first."""
    words = fold(query).split()
    if not words:
        return []
    order = {"unit": 0, "document": 1, "task": 2}
    found = [h for h in index if all(w in h.key for w in words)]
    found.sort(key=lambda h: (order[h.kind], -h.weight, h.label))
    per_kind: dict[str, int] = {}
    out = []
    for h in found:
        per_kind[h.kind] = per_kind.get(h.kind, 0) + 1
        if per_kind[h.kind] <= limit:
            out.append(h)
    return out


# ---------------------------------------------------------------- unit page


def unit_info(store: Any, iri: str, lang: str = "vi") -> dict[str, Any]:
    """Labels, parent, level of a unit; the level named in ``lang`` ("vi" or "en").

    The level's name is its ``rdfs:label`` in the ontology (graph/ontology), e.g.
    "Đơn vị thuộc Bộ" / "Ministry unit"; its IRI's local name when the store has
    no ontology.
    """
    tag = "en" if lang == "en" else "vi"  # one of two constants, never user text
    info = internal_rows(
        store, "page-unit-info", constants={"u": URIRef(iri), "lang": Literal(tag)}
    )
    out = info[0] if info else {}
    out["iri"] = iri
    out["alts"] = joined(out.get("alts"))
    out["parent_tail"] = iri_tail(out.get("p") or "", "unit")
    out["now"] = _now_line(out.get("label") or "")
    if out.get("level"):
        out["level"] = out.pop("levelName", None) or out["level"].rsplit("#", 1)[-1]
    return out


def unit_summary(store: Any, iri: str) -> tuple[Any, list[str]] | None:
    """The unit's tally (:class:`obligraph.graph.analysis.summary.UnitTally`) and its best
    overlaps (best first), read from the stored summary's few nodes about the unit, not
    the whole summary (13 s at 10,000 documents on a worker's first page); ``None`` when
    the store has no summary."""
    from obligraph.graph.analysis.summary import UnitTally, read_digest

    from obligraph.base.vocab import Iris

    if read_digest(store) is None:
        return None
    found = internal_rows(
        store,
        "page-unit-tally",
        constants={"g": Iris().special_graph("summary"), "u": URIRef(iri)},
    )
    tally = UnitTally(iri, "")
    ranked: list[tuple[int, str]] = []
    for r in found:
        if r["what"] == "unit-top-overlap" and r["o"]:
            ranked.append((int(r["n"]), r["o"]))
        elif r["what"] in ("lead", "support", "pairs", "shared"):
            setattr(tally, r["what"], int(r["n"]))
    return tally, [o for _, o in sorted(ranked)]


def _now_line(name: str) -> str:
    """After the 2025 reorganisation: the bodies that hold the unit's duties ("" when
    nothing changed or nothing is known); see docs/succession.md."""
    from obligraph.graph.analysis.succession import status, successors
    from obligraph.queries.trace import UnitTrace
    from obligraph.queries.trace_render import succession_line

    if not name:
        return ""
    trace = UnitTrace(name, name, "", False, status_2025=status(name))
    trace.successors = [
        {"name": x.name, "function": x.function, "acts": list(x.acts), "sourced": x.sourced}
        for x in successors(name)
    ]
    if trace.status_2025 == "continues":
        return ""
    return succession_line(trace)


REGISTER_COLUMNS = (
    "role",
    "modality",
    "document",
    "task_id",
    "text",
    "programmes",
    "timeframe",
    "years",
    "due_date",
    "source_file",
    "line",
    "section",
    "quote",
    "status",
    "status_date",
    "corrected",
)


def obligation_register(store: Any, iri: str) -> list[dict[str, Any]]:
    """Every task the unit leads or supports, with time frame, deadline and source quote
    (:func:`obligraph.viz.web.register.register_rows`)."""
    from obligraph.viz.web.register import register_rows

    return register_rows(store, iri)


def overlaps_of(store: Any, iri: str, overlaps: list[str]) -> list[dict[str, Any]]:
    """The given overlaps (best first), each as the unit's task and the other task."""
    if not overlaps:
        return []
    found = internal_rows(store, "page-overlaps", values={"o": [URIRef(o) for o in overlaps]})
    members: dict[str, list[str]] = {}
    about: dict[str, dict[str, Any]] = {}
    for r in found:
        members.setdefault(r["o"], []).append(r["t"])
        about[r["o"]] = r
    tasks = sorted({t for ts in members.values() for t in ts})
    from obligraph.viz.web.register import _keyed

    mine = {
        r["t"]
        for r in internal_rows(
            store,
            "page-unit-tasks-among",
            values={"t": [URIRef(t) for t in tasks]},
            constants={"u": URIRef(iri)},
        )
    }
    got = _keyed(store, "page-overlap-task-facts", "t", tasks)
    detail: dict[str, dict[str, Any]] = defaultdict(dict)
    for key, values in got.items():
        for task, found in values.items():
            detail[task][key] = min(found, key=str)
    out = []
    for o in overlaps:
        ts = sorted(set(members.get(o, ())))
        if len(ts) < 2:
            continue
        a, b = ts[0], ts[1]
        if a not in mine:
            a, b = b, a
        da, db = detail.get(a, {}), detail.get(b, {})
        out.append(
            {
                "mine": a,
                "mineId": da.get("id"),
                "mineDoc": da.get("no"),
                "other": b,
                "otherId": db.get("id"),
                "otherDoc": db.get("no"),
                "otherText": db.get("text"),
                "otherProg": db.get("prog"),
                "otherLine": db.get("line"),
                "score": about[o].get("score"),
                "reason": about[o].get("reason"),
                "reasonVi": about[o].get("reasonVi"),
            }
        )
    return out


def unit_deadlines(store: Any, iri: str) -> list[dict[str, Any]]:
    """Reporting deadlines the unit owes (reporter) or receives (reportTo)."""
    return internal_rows(store, "page-unit-deadlines", constants={"u": URIRef(iri)})


# ---------------------------------------------------------------- document page


def joined(text: str | None) -> str:
    """A GROUP_CONCAT read with ``separator="\\n"``: its parts sorted, joined by " · ".

    Neither is left to the engine: its order of the parts differs from store to store,
    and Virtuoso 7 mangles a non-ASCII separator.

    >>> joined("TP.HCM\\nSở Y tế"), joined(None)
    ('Sở Y tế · TP.HCM', '')
    """
    return " · ".join(sorted((text or "").split("\n"))) if text else ""


def in_order(rows: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """``rows`` sorted by ``keys`` (unbound first, numbers before text): a page's rows in
    one order on every store, where the query's ORDER BY leaves ties in the engine's
    order and Virtuoso sorts text its own way.

    >>> [r["a"] for r in in_order([{"a": "b"}, {"a": None}, {"a": 2}], "a")]
    [None, 2, 'b']
    """

    def key(row: dict[str, Any]) -> tuple:
        return tuple(
            (0, 0, "") if row.get(k) is None
            else (1, row[k], "") if isinstance(row[k], int | float) and not isinstance(row[k], bool)
            else (2, 0, str(row[k]))
            for k in keys
        )  # fmt: skip

    return sorted(rows, key=key)


def document_info(store: Any, iri: str) -> dict[str, Any]:
    """Metadata of a document (loaded or only cited)."""
    found = internal_rows(store, "page-document-info", constants={"d": URIRef(iri)})
    info = found[0] if found else {}
    info["iri"] = iri
    info["loaded"] = info.get("loaded") in (True, "true")
    info["programme"] = info.get("programme") in (True, "true")
    info["issuer_tail"] = iri_tail(info.get("issuer") or "", "unit")
    return info


def document_citations(store: Any, iri: str) -> list[dict[str, Any]]:
    """Legal bases, programmes implemented and other citations, each with its line."""
    out = internal_rows(store, "page-document-citations", constants={"d": URIRef(iri)})
    out = in_order(out, "line", "relation", "no", "cited", "title", "quote")
    for r in out:
        r["href"] = "/doc/" + iri_tail(r["cited"], "doc")
    return out


def document_cited_by(store: Any, iri: str) -> list[dict[str, Any]]:
    """Documents that cite, implement or rest on this one."""
    out = internal_rows(store, "page-document-cited-by", constants={"d": URIRef(iri)})
    out = in_order(out, "no", "rel", "x")
    for r in out:
        r["href"] = "/doc/" + iri_tail(r["x"], "doc")
    return out


def document_tasks(store: Any, iri: str) -> list[dict[str, Any]]:
    """Tasks of a document with their lead and support units and source line.

    Flat reads joined in Python (see :mod:`obligraph.viz.web.register`): one SELECT
    with two OPTIONAL assignment joins took 1.3 s for a 300-task programme at 1,000
    documents.
    """
    from obligraph.viz.web.register import _keyed, _terms

    found = internal_rows(store, "page-document-tasks", constants={"d": URIRef(iri)})
    tasks = [r["task"] for r in found]
    typed = _keyed(store, "page-document-task-types", "t", tasks)["type"]
    tasks = [t for t in tasks if t in typed]
    got = _keyed(store, "page-document-task-facts", "t", tasks)
    # assignments, then their units' names
    got["leads"], got["supports"] = {}, {}
    if tasks:
        assigned = internal_rows(store, "page-document-assignments", values={"t": _terms(tasks)})
        names = _keyed(store, "page-unit-names", "u", {r["u"] for r in assigned})
        for r in assigned:
            role = "leads" if r["r"].endswith("#LeadRole") else "supports"
            if r["r"].endswith(("#LeadRole", "#SupportRole")):
                got[role].setdefault(r["t"], []).extend(names["n"].get(r["u"], ()))
    spans: dict[str, tuple] = {}
    if tasks:
        for r in internal_rows(store, "page-document-task-sources", values={"t": _terms(tasks)}):
            key = (r["line"], r["quote"] or "")
            if r["t"] not in spans or key < spans[r["t"]]:
                spans[r["t"]] = key

    def first(key: str, task: str) -> Any:
        found = got[key].get(task)
        return min(found, key=str) if found else None

    out = []
    for task in tasks:
        line, quote = spans.get(task, (None, None))
        out.append(
            {
                "task": task,
                "taskId": first("taskId", task),
                "text": first("text", task),
                "heading": first("heading", task),
                "timeframe": first("timeframe", task),
                "modality": first("modality", task),
                "line": line,
                "quote": quote,
                "leads": "; ".join(sorted(set(got["leads"].get(task, ())))),
                "supports": "; ".join(sorted(set(got["supports"].get(task, ())))),
            }
        )
    out.sort(key=lambda r: (r["line"] is not None, r["line"] or 0, str(r["taskId"] or "")))
    return out


def document_findings(store: Any, iri: str) -> list[dict[str, Any]]:
    """Extraction findings about a document."""
    rows = internal_rows(store, "page-document-findings", constants={"d": URIRef(iri)})
    return in_order(rows, "line", "code", "severity", "message", "messageVi", "quote")


def document_indicators(store: Any, iri: str) -> list[dict[str, Any]]:
    """Indicators of a document with their targets."""
    rows = internal_rows(store, "page-document-indicators", constants={"d": URIRef(iri)})
    return [{**r, "targets": joined(r["targets"])} for r in rows]


# ---------------------------------------------------------------- overview


def overlap_details(store: Any, overlaps: list[str]) -> list[dict[str, Any]]:
    """The given overlaps (in that order) with each side's programme, document, id and
    text, and the units they share (one small VALUES query each)."""
    if not overlaps:
        return []
    given = [URIRef(o) for o in overlaps]
    about: dict[str, dict[str, Any]] = {}
    members: dict[str, set[str]] = {}
    for r in internal_rows(store, "page-overlaps", values={"o": given}):
        about[r["o"]] = r
        members.setdefault(r["o"], set()).add(r["t"])
    shared: dict[str, set[str]] = {}
    for r in internal_rows(store, "overview-overlap-shared-units", values={"o": given}):
        shared.setdefault(r["o"], set()).add(r["n"])
    tasks = sorted({t for ts in members.values() for t in ts})
    detail: dict[str, dict[str, Any]] = {}
    for r in internal_rows(
        store, "overview-overlap-tasks", values={"t": [URIRef(t) for t in tasks]}
    ):
        detail.setdefault(r["t"], r)
    progs: dict[str, set[str]] = {}
    for r in internal_rows(
        store, "overview-overlap-programmes", values={"t": [URIRef(t) for t in tasks]}
    ):
        progs.setdefault(r["t"], set()).add(r["p"])
    out = []
    for o in overlaps:
        ts = sorted(members.get(o, ()))
        if len(ts) < 2:
            continue
        a, b = detail.get(ts[0], {}), detail.get(ts[1], {})
        out.append(
            {
                "a": ts[0],
                "b": ts[1],
                "score": about[o].get("score"),
                "reason": about[o].get("reason"),
                "reasonVi": about[o].get("reasonVi"),
                "progA": "; ".join(sorted(progs.get(ts[0], ()))),
                "progB": "; ".join(sorted(progs.get(ts[1], ()))),
                "docA": a.get("no"),
                "docB": b.get("no"),
                "idA": a.get("id"),
                "idB": b.get("id"),
                "textA": a.get("text"),
                "textB": b.get("text"),
                "shared": "; ".join(sorted(shared.get(o, ()))),
            }
        )
    return out
