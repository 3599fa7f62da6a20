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

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from obligraph.viz.views import rows
from rdflib import Literal, URIRef

from obligraph.base.textkeys import fold


def iri_tail(iri: str, kind: str) -> str:
    """The part of an IRI after ``/{kind}/`` (``unit`` or ``doc``); '' when absent."""
    marker = f"/{kind}/"
    return iri.split(marker, 1)[1] if marker in iri else ""


def find_iri(store: Any, kind: str, tail: str) -> str | None:
    """The unit (``kind="unit"``) or document (``"doc"``) IRI ending in ``/{kind}/{tail}``."""
    cls = "org:Organization" if kind == "unit" else "eli:LegalResource"
    found = rows(
        store,
        f"SELECT ?x WHERE {{ ?x a {cls} . FILTER(STRENDS(STR(?x), ?tail)) }} LIMIT 1",
        tail=Literal(f"/{kind}/{tail}"),
    )
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
    for r in rows(
        store,
        """SELECT ?u ?label (GROUP_CONCAT(DISTINCT ?alt; separator=" · ") AS ?alts)
                 (COUNT(DISTINCT ?a) AS ?n) WHERE {
             ?u a org:Organization ; skos:prefLabel ?label .
             OPTIONAL { ?u skos:altLabel ?alt } OPTIONAL { ?a ob:unit ?u } }
           GROUP BY ?u ?label""",
    ):
        tail = iri_tail(r["u"], "unit")
        if tail:
            alts = r["alts"] or ""
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
    for r in rows(
        store,
        """SELECT ?d ?no ?title ?file ?loaded WHERE { ?d a eli:LegalResource .
             OPTIONAL { ?d eli:id_local ?no }
             OPTIONAL { ?d eli:title ?title }
             OPTIONAL { ?d ob:sourceFile ?file }
             BIND(EXISTS { ?d ob:loaded true } AS ?loaded) }""",
    ):
        tail = iri_tail(r["d"], "doc")
        label = r["no"] or r["file"] or tail
        detail = r["title"] or ""
        weight = 2 if r["loaded"] in (True, "true") else 0
        hits.append(
            Hit("document", label, detail, f"/doc/{tail}", fold(f"{label} {detail}"), weight)
        )
    for r in rows(
        store,
        """SELECT ?t ?id ?text ?d ?no WHERE { ?t a ob:Task ; ob:inDocument ?d .
             OPTIONAL { ?t ob:taskId ?id } OPTIONAL { ?t ob:text ?text }
             OPTIONAL { ?d eli:id_local ?no } }""",
    ):
        tail = iri_tail(r["d"], "doc")
        text = r["text"] or ""
        anchor = "task-" + (r["id"] or "")
        hits.append(
            Hit(
                "task",
                text,
                f"{r['no'] or ''} · {r['id'] or ''}",
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
    info = _rows(
        store,
        """SELECT ?label (GROUP_CONCAT(DISTINCT ?alt; separator=" · ") AS ?alts)
                 (SAMPLE(?parent) AS ?p) (SAMPLE(?plabel) AS ?parentLabel)
                 (SAMPLE(?lv) AS ?level) (SAMPLE(?lvName) AS ?levelName)
                 (SAMPLE(?gen) AS ?generic) WHERE {
             OPTIONAL { ?u skos:prefLabel ?label } OPTIONAL { ?u skos:altLabel ?alt }
             OPTIONAL { ?u org:subOrganizationOf ?parent .
                        OPTIONAL { ?parent skos:prefLabel ?plabel } }
             OPTIONAL { ?u ob:level ?lv .
                        OPTIONAL { ?lv rdfs:label ?lvName FILTER(LANG(?lvName) = "LANG") } }
             BIND(EXISTS { ?u a ob:GenericUnit } AS ?gen) } GROUP BY ?label""".replace(
            '"LANG"', f'"{tag}"'
        ),
        u=iri,
    )
    out = info[0] if info else {}
    out["iri"] = iri
    out["parent_tail"] = iri_tail(out.get("p") or "", "unit")
    out["now"] = _now_line(out.get("label") or "")
    if out.get("level"):
        out["level"] = out.pop("levelName", None) or out["level"].rsplit("#", 1)[-1]
    return out


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
    found = rows(
        store,
        f"""SELECT ?o ?t ?score ?reason ?reasonVi WHERE {{ VALUES ?o {{ {_iris(overlaps)} }}
             ?o ob:between ?t . OPTIONAL {{ ?o ob:score ?score }}
             OPTIONAL {{ ?o ob:reason ?reason FILTER(LANG(?reason) != "vi") }}
             OPTIONAL {{ ?o ob:reason ?reasonVi FILTER(LANG(?reasonVi) = "vi") }} }}""",
    )
    members: dict[str, list[str]] = {}
    about: dict[str, dict[str, Any]] = {}
    for r in found:
        members.setdefault(r["o"], []).append(r["t"])
        about[r["o"]] = r
    tasks = sorted({t for ts in members.values() for t in ts})
    from obligraph.viz.web.register import _props

    unit = URIRef(iri).n3()  # a constant, not a VALUES-bound ?u: 50 ms -> 7 ms
    mine = {
        r["t"]
        for r in rows(
            store,
            f"SELECT ?t WHERE {{ VALUES ?t {{ {_iris(tasks)} }} ?a ob:task ?t ; ob:unit {unit} }}",
        )
    }
    got = _props(
        store,
        tasks,
        "t",
        {
            "id": "?t ob:taskId ?v",
            "text": "?t ob:text ?v",
            "no": "?t ob:inDocument ?d . ?d eli:id_local ?v",
            "prog": "?t ob:programme ?p . ?p eli:id_local ?v",
            "line": "?t ob:source ?s . ?s ob:lineStart ?v",
        },
    )
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
    return _rows(
        store,
        """SELECT ?dl ?text ?due ?md ?rec ?subject ?docLabel ?line ?quote ?as WHERE {
             { ?dl ob:reporter ?u . BIND("reporter" AS ?as) }
             UNION { ?dl ob:reportTo ?u . BIND("reportTo" AS ?as) }
             OPTIONAL { ?dl ob:text ?text } OPTIONAL { ?dl ob:dueDate ?due }
             OPTIONAL { ?dl ob:dueMonthDay ?md } OPTIONAL { ?dl ob:subject ?subject }
             OPTIONAL { ?dl ob:recurrence ?r . BIND(STRAFTER(STR(?r), "#") AS ?rec) }
             OPTIONAL { ?dl ob:inDocument ?d . OPTIONAL { ?d eli:id_local ?no }
                        OPTIONAL { ?d ob:sourceFile ?df } BIND(COALESCE(?no, ?df) AS ?docLabel) }
             OPTIONAL { ?dl ob:source ?s . ?s ob:lineStart ?line .
                        OPTIONAL { ?s ob:quote ?quote } } }
           ORDER BY ?due ?md ?line""",
        u=iri,
    )


# ---------------------------------------------------------------- document page


def document_info(store: Any, iri: str) -> dict[str, Any]:
    """Metadata of a document (loaded or only cited)."""
    found = _rows(
        store,
        """SELECT ?no ?typeLabel ?date ?title ?issuer ?issuerLabel ?place ?signer ?signerTitle
                 ?file ?lines ?loaded ?programme WHERE {
             OPTIONAL { ?d eli:id_local ?no }
             OPTIONAL { ?d eli:type_document ?t . OPTIONAL { ?t skos:prefLabel ?typeLabel } }
             OPTIONAL { ?d eli:date_document ?date } OPTIONAL { ?d eli:title ?title }
             OPTIONAL { ?d eli:passed_by ?issuer .
                        OPTIONAL { ?issuer skos:prefLabel ?issuerLabel } }
             OPTIONAL { ?d ob:place ?place } OPTIONAL { ?d ob:signer ?signer }
             OPTIONAL { ?d ob:signerTitle ?signerTitle } OPTIONAL { ?d ob:sourceFile ?file }
             OPTIONAL { ?d ob:lineCount ?lines }
             BIND(EXISTS { ?d ob:loaded true } AS ?loaded)
             BIND(EXISTS { ?d a ob:Programme } AS ?programme) } LIMIT 1""",
        d=iri,
    )
    info = found[0] if found else {}
    info["iri"] = iri
    info["loaded"] = info.get("loaded") in (True, "true")
    info["programme"] = info.get("programme") in (True, "true")
    info["issuer_tail"] = iri_tail(info.get("issuer") or "", "unit")
    return info


def document_citations(store: Any, iri: str) -> list[dict[str, Any]]:
    """Legal bases, programmes implemented and other citations, each with its line."""
    out = _rows(
        store,
        """SELECT ?relation ?cited ?no ?title ?line ?quote WHERE {
             ?c a ob:Citation ; ob:citing ?d ; ob:cited ?cited ; ob:relation ?relation .
             OPTIONAL { ?cited eli:id_local ?no }
             OPTIONAL { ?cited eli:title ?title }
             OPTIONAL { ?c ob:source ?s . ?s ob:lineStart ?line .
                        OPTIONAL { ?s ob:quote ?quote } } }
           ORDER BY ?line""",
        d=iri,
    )
    for r in out:
        r["href"] = "/doc/" + iri_tail(r["cited"], "doc")
    return out


def document_cited_by(store: Any, iri: str) -> list[dict[str, Any]]:
    """Documents that cite, implement or rest on this one."""
    out = _rows(
        store,
        """SELECT DISTINCT ?x ?no ?rel WHERE {
             { ?x eli:based_on ?d BIND("based_on" AS ?rel) }
             UNION { ?x ob:implements ?d BIND("implements" AS ?rel) }
             UNION { ?x eli:cites ?d BIND("cites" AS ?rel) }
             OPTIONAL { ?x eli:id_local ?no } } ORDER BY ?no""",
        d=iri,
    )
    for r in out:
        r["href"] = "/doc/" + iri_tail(r["x"], "doc")
    return out


def document_tasks(store: Any, iri: str) -> list[dict[str, Any]]:
    """Tasks of a document with their lead and support units and source line.

    Flat reads joined in Python (see :mod:`obligraph.viz.web.register`): one SELECT
    with two OPTIONAL assignment joins took 1.3 s for a 300-task programme at 1,000
    documents.
    """
    from obligraph.viz.web.register import _props

    doc = URIRef(iri).n3()
    tasks = [
        r["task"]
        for r in rows(store, f"SELECT DISTINCT ?task WHERE {{ ?task ob:inDocument {doc} }}")
    ]
    typed = _props(store, tasks, "t", {"type": "?t a ob:Task BIND(true AS ?v)"})["type"]
    tasks = [t for t in tasks if t in typed]
    got = _props(
        store,
        tasks,
        "t",
        {
            "taskId": "?t ob:taskId ?v",
            "text": "?t ob:text ?v",
            "heading": "?t ob:heading ?v",
            "timeframe": "?t ob:timeframe ?v",
            "modality": '?t ob:modality ?m BIND(STRAFTER(STR(?m), "#") AS ?v)',
        },
    )
    # assignments, then their units' names: a pattern starting from the task (a
    # constant role first, ``ob:role ob:LeadRole``, walks every assignment of the store)
    got["leads"], got["supports"] = {}, {}
    if tasks:
        assigned = rows(
            store,
            f"""SELECT ?t ?r ?u WHERE {{ VALUES ?t {{ {_iris(tasks)} }}
                 ?a ob:task ?t . ?a ob:unit ?u . ?a ob:role ?r }}""",
        )
        names = _props(store, {r["u"] for r in assigned}, "u", {"n": "?u skos:prefLabel ?v"})
        for r in assigned:
            role = "leads" if r["r"].endswith("#LeadRole") else "supports"
            if r["r"].endswith(("#LeadRole", "#SupportRole")):
                got[role].setdefault(r["t"], []).extend(names["n"].get(r["u"], ()))
    spans: dict[str, tuple] = {}
    if tasks:
        for r in rows(
            store,
            f"""SELECT ?t ?line ?quote WHERE {{ VALUES ?t {{ {_iris(tasks)} }}
                 ?t ob:source ?s . ?s ob:lineStart ?line . OPTIONAL {{ ?s ob:quote ?quote }} }}""",
        ):
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
    return _rows(
        store,
        """SELECT ?code ?severity ?message ?messageVi ?line ?quote WHERE {
             ?f a ob:Finding ; ob:inDocument ?d .
             OPTIONAL { ?f ob:code ?code }
             OPTIONAL { ?f ob:message ?message FILTER(LANG(?message) != "vi") }
             OPTIONAL { ?f ob:message ?messageVi FILTER(LANG(?messageVi) = "vi") }
             OPTIONAL { ?f ob:severity ?sv . BIND(STRAFTER(STR(?sv), "#") AS ?severity) }
             OPTIONAL { ?f ob:source ?s . ?s ob:lineStart ?line .
                        OPTIONAL { ?s ob:quote ?quote } } }
           ORDER BY ?line ?code""",
        d=iri,
    )


def document_indicators(store: Any, iri: str) -> list[dict[str, Any]]:
    """Indicators of a document with their targets."""
    return _rows(
        store,
        """SELECT ?id ?measure (GROUP_CONCAT(DISTINCT ?tt; separator=" · ") AS ?targets) WHERE {
             ?i a ob:Indicator ; ob:inDocument ?d .
             OPTIONAL { ?i ob:indicatorId ?id } OPTIONAL { ?i ob:measure ?measure }
             OPTIONAL { ?i ob:hasTarget ?t . ?t ob:year ?y . OPTIONAL { ?t ob:text ?tx }
                        BIND(CONCAT(SUBSTR(STR(?y), 1, 4), ": ", COALESCE(?tx, "")) AS ?tt) } }
           GROUP BY ?i ?id ?measure ORDER BY ?i""",
        d=iri,
    )


# ---------------------------------------------------------------- overview


def overlap_details(store: Any, overlaps: list[str]) -> list[dict[str, Any]]:
    """The given overlaps (in that order) with each side's programme, document, id and
    text, and the units they share (one small VALUES query each)."""
    if not overlaps:
        return []
    values = f"VALUES ?o {{ {_iris(overlaps)} }}"
    about: dict[str, dict[str, Any]] = {}
    members: dict[str, set[str]] = {}
    for r in rows(
        store,
        f"""SELECT ?o ?t ?score ?reason ?reasonVi WHERE {{ {values} ?o ob:between ?t .
             OPTIONAL {{ ?o ob:score ?score }}
             OPTIONAL {{ ?o ob:reason ?reason FILTER(LANG(?reason) != "vi") }}
             OPTIONAL {{ ?o ob:reason ?reasonVi FILTER(LANG(?reasonVi) = "vi") }} }}""",
    ):
        about[r["o"]] = r
        members.setdefault(r["o"], set()).add(r["t"])
    shared: dict[str, set[str]] = {}
    for r in rows(
        store, f"SELECT ?o ?n WHERE {{ {values} ?o ob:sharedUnit ?u . ?u skos:prefLabel ?n }}"
    ):
        shared.setdefault(r["o"], set()).add(r["n"])
    tasks = sorted({t for ts in members.values() for t in ts})
    detail: dict[str, dict[str, Any]] = {}
    for r in rows(
        store,
        f"""SELECT ?t ?id ?no ?text WHERE {{ VALUES ?t {{ {_iris(tasks)} }}
             OPTIONAL {{ ?t ob:taskId ?id }} OPTIONAL {{ ?t ob:text ?text }}
             OPTIONAL {{ ?t ob:inDocument ?d . ?d eli:id_local ?no }} }}""",
    ):
        detail.setdefault(r["t"], r)
    progs: dict[str, set[str]] = {}
    for r in rows(
        store,
        f"""SELECT ?t ?p WHERE {{ VALUES ?t {{ {_iris(tasks)} }}
             {{ ?t ob:programme ?x }} UNION {{ ?t ob:inDocument ?d . ?d ob:implements ?x }}
             ?x eli:id_local ?p }}""",
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


def _rows(store: Any, query: str, **terms: str) -> list[dict[str, Any]]:
    """:func:`rows` with each ``?name`` of ``terms`` written as that IRI (the variable
    must not be projected). Bound by a VALUES block instead, Oxigraph plans the constant
    last: a document page took 50 ms per query at 1,000 documents, against 5 ms."""
    for name, iri in terms.items():
        query = re.sub(rf"\?{name}\b", URIRef(iri).n3(), query)
    return rows(store, query)


def _iri(iri: str) -> URIRef:
    return URIRef(iri)


def _iris(iris: list[str]) -> str:
    """IRIs read from the store, as the terms of a VALUES block."""
    return " ".join(URIRef(i).n3() for i in iris)
