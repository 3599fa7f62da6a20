"""What the web pages show, read from the Store with SPARQL (no RDF outside this module).

Pages address units and documents by the tail of their IRI (``unit/cuc-tre-em``,
``doc/qd/704-qd-ldtbxh/2021``), so links work whatever base the graph was built with.

>>> from obligraph.graph.store import open_store
>>> store = open_store(memory=True)
>>> search(build_index(store), "tre em")
[]
>>> iri_tail("https://w3id.org/obligraph/id/unit/cuc-tre-em", "unit")
'cuc-tre-em'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from obligraph.viz.views import rows
from rdflib import Literal, URIRef

from obligraph.textkeys import fold


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
    info = rows(
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
        u=_iri(iri),
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
    from obligraph.graph.succession import status, successors
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
    """Every task the unit leads or supports, with time frame, deadline and source quote."""
    found = rows(
        store,
        """SELECT ?task ?role ?modality ?doc ?docLabel ?taskId ?text ?timeframe ?due
                 ?statusCode ?statusDate ?corrected
                 (GROUP_CONCAT(DISTINCT STR(?y); separator=", ") AS ?years)
                 (GROUP_CONCAT(DISTINCT ?progNo; separator="; ") AS ?programmes)
                 ?file ?line ?section ?quote WHERE {
             ?a ob:unit ?u ; ob:task ?task ; ob:role ?roleIri .
             BIND(IF(?roleIri = ob:LeadRole, "lead", "support") AS ?role)
             OPTIONAL { ?a ob:modality ?m }
             BIND(IF(COALESCE(?m, ob:Obligation) = ob:Request, "request", "obligation")
                  AS ?modality)
             ?task ob:inDocument ?doc .
             OPTIONAL { ?doc eli:id_local ?no }
             OPTIONAL { ?doc ob:sourceFile ?df }
             BIND(COALESCE(?no, ?df) AS ?docLabel)
             OPTIONAL { ?task ob:taskId ?taskId } OPTIONAL { ?task ob:text ?text }
             OPTIONAL { ?task ob:timeframe ?timeframe } OPTIONAL { ?task ob:dueDate ?due }
             OPTIONAL { ?task ob:status ?st . ?st skos:notation ?statusCode }
             OPTIONAL { ?task ob:statusDate ?statusDate }
             BIND(EXISTS { ?a prov:wasGeneratedBy ?byCorrection } AS ?corrected)
             OPTIONAL { ?task ob:year ?y }
             OPTIONAL { { ?task ob:programme ?prog }
               UNION { FILTER NOT EXISTS { ?task ob:programme ?p0 } ?doc ob:implements ?prog }
               ?prog eli:id_local ?progNo }
             OPTIONAL { ?task ob:source ?s .
               OPTIONAL { ?s ob:sourceFile ?file } OPTIONAL { ?s ob:lineStart ?line }
               OPTIONAL { ?s ob:section ?section } OPTIONAL { ?s ob:quote ?quote } } }
           GROUP BY ?task ?role ?modality ?doc ?docLabel ?taskId ?text ?timeframe ?due
                    ?statusCode ?statusDate ?corrected ?file ?line ?section ?quote
           ORDER BY ?docLabel ?line ?taskId ?role""",
        u=_iri(iri),
    )
    from datetime import date

    from obligraph.graph.status import task_state

    out = []
    seen = set()
    today = date.today()
    for r in found:
        if (r["task"], r["role"]) in seen:
            continue
        seen.add((r["task"], r["role"]))
        due = str(r["due"] or "")
        state = task_state(
            str(r["statusCode"] or ""), date.fromisoformat(due[:10]) if due else None, today
        )
        out.append(
            {
                "task": r["task"],
                "role": r["role"],
                "modality": r["modality"],
                "document": r["docLabel"] or "",
                "doc_href": "/doc/" + iri_tail(r["doc"], "doc"),
                "task_id": r["taskId"] or "",
                "text": r["text"] or "",
                "programmes": r["programmes"] or "",
                "timeframe": r["timeframe"] or "",
                "years": r["years"] or "",
                "due_date": r["due"] or "",
                "source_file": r["file"] or "",
                "line": r["line"] if r["line"] is not None else "",
                "section": r["section"] or "",
                "quote": r["quote"] or "",
                "status": state,
                "status_date": r["statusDate"] or "",
                "corrected": r["corrected"] in (True, "true"),
                "task_href": "/task/" + iri_tail(r["task"], "doc"),
            }
        )
    return out


def unit_deadlines(store: Any, iri: str) -> list[dict[str, Any]]:
    """Reporting deadlines the unit owes (reporter) or receives (reportTo)."""
    return rows(
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
        u=_iri(iri),
    )


def unit_overlaps(store: Any, iri: str) -> list[dict[str, Any]]:
    """Overlapping task pairs where one side is a task of the unit."""
    return rows(
        store,
        """SELECT DISTINCT ?mine ?mineId ?mineDoc ?other ?otherId ?otherDoc ?otherText
                 ?otherProg ?score ?reason ?reasonVi ?otherLine WHERE {
             ?a ob:unit ?u ; ob:task ?mine .
             ?o a ob:Overlap ; ob:between ?mine, ?other . FILTER(?mine != ?other)
             OPTIONAL { ?o ob:score ?score }
             OPTIONAL { ?o ob:reason ?reason FILTER(LANG(?reason) != "vi") }
             OPTIONAL { ?o ob:reason ?reasonVi FILTER(LANG(?reasonVi) = "vi") }
             OPTIONAL { ?mine ob:taskId ?mineId }
             OPTIONAL { ?mine ob:inDocument ?md . ?md eli:id_local ?mineDoc }
             OPTIONAL { ?other ob:taskId ?otherId } OPTIONAL { ?other ob:text ?otherText }
             OPTIONAL { ?other ob:inDocument ?od . ?od eli:id_local ?otherDoc }
             OPTIONAL { ?other ob:programme ?op . ?op eli:id_local ?otherProg }
             OPTIONAL { ?other ob:source ?s . ?s ob:lineStart ?otherLine } }
           ORDER BY DESC(?score) ?mineDoc ?mineId""",
        u=_iri(iri),
    )


# ---------------------------------------------------------------- document page


def document_info(store: Any, iri: str) -> dict[str, Any]:
    """Metadata of a document (loaded or only cited)."""
    found = rows(
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
        d=_iri(iri),
    )
    info = found[0] if found else {}
    info["iri"] = iri
    info["loaded"] = info.get("loaded") in (True, "true")
    info["programme"] = info.get("programme") in (True, "true")
    info["issuer_tail"] = iri_tail(info.get("issuer") or "", "unit")
    return info


def document_citations(store: Any, iri: str) -> list[dict[str, Any]]:
    """Legal bases, programmes implemented and other citations, each with its line."""
    out = rows(
        store,
        """SELECT ?relation ?cited ?no ?title ?line ?quote WHERE {
             ?c a ob:Citation ; ob:citing ?d ; ob:cited ?cited ; ob:relation ?relation .
             OPTIONAL { ?cited eli:id_local ?no }
             OPTIONAL { ?cited eli:title ?title }
             OPTIONAL { ?c ob:source ?s . ?s ob:lineStart ?line .
                        OPTIONAL { ?s ob:quote ?quote } } }
           ORDER BY ?line""",
        d=_iri(iri),
    )
    for r in out:
        r["href"] = "/doc/" + iri_tail(r["cited"], "doc")
    return out


def document_cited_by(store: Any, iri: str) -> list[dict[str, Any]]:
    """Documents that cite, implement or rest on this one."""
    out = rows(
        store,
        """SELECT DISTINCT ?x ?no ?rel WHERE {
             { ?x eli:based_on ?d BIND("based_on" AS ?rel) }
             UNION { ?x ob:implements ?d BIND("implements" AS ?rel) }
             UNION { ?x eli:cites ?d BIND("cites" AS ?rel) }
             OPTIONAL { ?x eli:id_local ?no } } ORDER BY ?no""",
        d=_iri(iri),
    )
    for r in out:
        r["href"] = "/doc/" + iri_tail(r["x"], "doc")
    return out


def document_tasks(store: Any, iri: str) -> list[dict[str, Any]]:
    """Tasks of a document with their lead and support units and source line."""
    out = rows(
        store,
        """SELECT ?task ?taskId ?text ?heading ?timeframe ?modality ?line ?quote
                 (GROUP_CONCAT(DISTINCT ?leadLabel; separator="; ") AS ?leads)
                 (GROUP_CONCAT(DISTINCT ?supLabel; separator="; ") AS ?supports) WHERE {
             ?task a ob:Task ; ob:inDocument ?d .
             OPTIONAL { ?task ob:taskId ?taskId } OPTIONAL { ?task ob:text ?text }
             OPTIONAL { ?task ob:heading ?heading } OPTIONAL { ?task ob:timeframe ?timeframe }
             OPTIONAL { ?task ob:modality ?m . BIND(STRAFTER(STR(?m), "#") AS ?modality) }
             OPTIONAL { ?task ob:source ?s . ?s ob:lineStart ?line .
                        OPTIONAL { ?s ob:quote ?quote } }
             OPTIONAL { ?la ob:task ?task ; ob:role ob:LeadRole ; ob:unit ?lu .
                        ?lu skos:prefLabel ?leadLabel }
             OPTIONAL { ?sa ob:task ?task ; ob:role ob:SupportRole ; ob:unit ?su .
                        ?su skos:prefLabel ?supLabel } }
           GROUP BY ?task ?taskId ?text ?heading ?timeframe ?modality ?line ?quote
           ORDER BY ?line ?taskId""",
        d=_iri(iri),
    )
    seen, unique = set(), []
    for r in out:
        if r["task"] not in seen:
            seen.add(r["task"])
            unique.append(r)
    return unique


def document_findings(store: Any, iri: str) -> list[dict[str, Any]]:
    """Extraction findings about a document."""
    return rows(
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
        d=_iri(iri),
    )


def document_indicators(store: Any, iri: str) -> list[dict[str, Any]]:
    """Indicators of a document with their targets."""
    return rows(
        store,
        """SELECT ?id ?measure (GROUP_CONCAT(DISTINCT ?tt; separator=" · ") AS ?targets) WHERE {
             ?i a ob:Indicator ; ob:inDocument ?d .
             OPTIONAL { ?i ob:indicatorId ?id } OPTIONAL { ?i ob:measure ?measure }
             OPTIONAL { ?i ob:hasTarget ?t . ?t ob:year ?y . OPTIONAL { ?t ob:text ?tx }
                        BIND(CONCAT(SUBSTR(STR(?y), 1, 4), ": ", COALESCE(?tx, "")) AS ?tt) } }
           GROUP BY ?i ?id ?measure ORDER BY ?i""",
        d=_iri(iri),
    )


# ---------------------------------------------------------------- overview


def load_matrix(store: Any) -> list[dict[str, Any]]:
    """Obligation counts per unit, programme and role (tasks counted once per cell)."""
    return rows(
        store,
        """SELECT ?u ?unit ?prog ?programme ?role (COUNT(DISTINCT ?t) AS ?n) WHERE {
             ?a ob:unit ?u ; ob:role ?r ; ob:task ?t .
             BIND(IF(?r = ob:LeadRole, "lead", "support") AS ?role)
             ?t ob:inDocument ?d .
             OPTIONAL { ?t ob:programme ?p1 } OPTIONAL { ?d ob:implements ?p2 }
             BIND(COALESCE(?p1, ?p2, ?d) AS ?prog)
             OPTIONAL { ?prog eli:id_local ?pn }
             OPTIONAL { ?prog ob:sourceFile ?pf }
             BIND(COALESCE(?pn, ?pf, STR(?prog)) AS ?programme)
             OPTIONAL { ?u skos:prefLabel ?ul } BIND(COALESCE(?ul, STR(?u)) AS ?unit) }
           GROUP BY ?u ?unit ?prog ?programme ?role""",
    )


def overlap_pairs(store: Any) -> list[dict[str, Any]]:
    """Overlapping task pairs with the programmes, documents and units involved."""
    return rows(
        store,
        """SELECT ?a ?b (MAX(?sc) AS ?score) (SAMPLE(?rs) AS ?reason)
                 (SAMPLE(?rsVi) AS ?reasonVi) (SAMPLE(?pa) AS ?progA) (SAMPLE(?pb) AS ?progB)
                 (SAMPLE(?da) AS ?docA) (SAMPLE(?db) AS ?docB)
                 (SAMPLE(?ia) AS ?idA) (SAMPLE(?ib) AS ?idB)
                 (SAMPLE(?ta) AS ?textA) (SAMPLE(?tb) AS ?textB)
                 (GROUP_CONCAT(DISTINCT ?sn; separator="; ") AS ?shared) WHERE {
             ?o a ob:Overlap ; ob:between ?a, ?b . FILTER(STR(?a) < STR(?b))
             OPTIONAL { ?o ob:score ?sc }
             OPTIONAL { ?o ob:reason ?rs FILTER(LANG(?rs) != "vi") }
             OPTIONAL { ?o ob:reason ?rsVi FILTER(LANG(?rsVi) = "vi") }
             OPTIONAL { ?o ob:sharedUnit ?su . ?su skos:prefLabel ?sn }
             ?a ob:inDocument ?dA . ?b ob:inDocument ?dB .
             OPTIONAL { ?dA eli:id_local ?da }
             OPTIONAL { ?dB eli:id_local ?db }
             OPTIONAL { ?a ob:taskId ?ia } OPTIONAL { ?b ob:taskId ?ib }
             OPTIONAL { ?a ob:text ?ta } OPTIONAL { ?b ob:text ?tb }
             OPTIONAL { { ?a ob:programme ?xa } UNION { ?dA ob:implements ?xa }
                        ?xa eli:id_local ?pa }
             OPTIONAL { { ?b ob:programme ?xb } UNION { ?dB ob:implements ?xb }
                        ?xb eli:id_local ?pb } }
           GROUP BY ?a ?b ORDER BY DESC(?score)""",
    )


def store_counts(store: Any) -> dict[str, int]:
    """How many documents, tasks, units, assignments and overlaps the store holds."""
    r = rows(
        store,
        """SELECT (COUNT(DISTINCT ?d) AS ?documents) (COUNT(DISTINCT ?t) AS ?tasks)
                 (COUNT(DISTINCT ?u) AS ?units) (COUNT(DISTINCT ?a) AS ?assignments) WHERE {
             { ?d ob:loaded true } UNION { ?t a ob:Task }
             UNION { ?a ob:unit ?u } }""",
    )
    return {k: int(v or 0) for k, v in (r[0] if r else {}).items()}


def _iri(iri: str) -> URIRef:
    return URIRef(iri)
