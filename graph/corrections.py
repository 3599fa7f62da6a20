"""Corrections people make to the extracted reading, applied at every build.

Extraction is never perfect. A person who knows better writes a correction in a
CSV file kept beside the store (``corrections.csv``, see docs/corrections.md)::

    target,field,old,new,by,date,why
    704/QĐ-LĐTBXH#annex-1-a,lead,Cục Trẻ em,Sở Y tế,Nguyễn Văn A,2026-03-15,Bảng ghi nhầm

``target`` is a task (``NUMBER#TASK_ID``, its IRI or IRI tail) or, for ``unit``,
a document; ``field`` is one of :data:`FIELDS`:

* ``lead`` / ``support``: take the unit ``old`` off the task (``*``: every one
  the current reading has; empty: none) and put ``new`` on (empty: none);
* ``unit``: in the whole document, the unit read as ``old`` is really ``new``
  (tasks, indicators, deadlines; e.g. a bare "Sở Tài chính" resolved to the
  wrong province);
* ``due``: the task's due date is ``new`` (empty: it has none);
* ``programme``: the task serves the programme numbered ``new`` (empty: none);
* ``wrong``: the task is not a task (an extraction error).

Units are written in any spelling the gazetteer knows and resolved in the
document's jurisdiction. ``by`` and ``date`` are required; ``why`` is kept.

The document's own named graph is never changed. Corrections go into their own
graph (``graph/corrections``): each an ``ob:Correction`` (a ``prov:Activity``
with who, when, why and its file line), the statements it adds, and each
statement it takes away as an ``ob:Retraction`` (an ``rdf:Statement``). The
default graph every query reads is the corrected reading: the union of the
named graphs without the retracted statements. The document's reading stays
queryable with ``GRAPH ?g { ... }`` over the document graphs; a correction whose
target no longer exists is kept with ``ob:applied false`` and its reason, and
reported, never dropped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from obligraph.graph.ledger import append_row, parse_date, read_rows
from obligraph.graph.targets import LoadedDocument, find_document, find_task
from obligraph.queries.library import run_internal
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from obligraph.base.errors import InputError, ObligraphError
from obligraph.base.textkeys import fold, slug
from obligraph.base.vocab import OB, Iris

FIELDS = ("lead", "support", "unit", "due", "programme", "wrong")
COLUMNS = ("target", "field", "old", "new", "by", "date", "why")
REQUIRED = ("target", "field", "by", "date")
ROLE_PREDICATE = {"lead": OB.lead, "support": OB.support}
ROLE_CONCEPT = {"lead": OB.LeadRole, "support": OB.SupportRole}
#: Predicates whose object is a unit: a ``unit`` correction rewrites these.
UNIT_PREDICATES = (OB.lead, OB.support, OB.unit, OB.reporter, OB.reportTo)


class NotApplied(ObligraphError):
    """A correction whose target (or old value) is not in the current reading."""


@dataclass(frozen=True)
class Correction:
    """One row of a corrections file."""

    target: str
    field: str
    by: str
    date: str  # ISO yyyy-mm-dd
    old: str = ""
    new: str = ""
    why: str = ""
    file: str = ""
    line: int = 0

    def key(self) -> str:
        """What makes it this correction, whatever its line: a stable IRI tail."""
        text = "\x1f".join((self.target, self.field, self.old, self.new, self.by, self.date))
        return hashlib.sha1(text.encode()).hexdigest()[:16]

    def row(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in COLUMNS}


@dataclass
class Outcome:
    """What became of one correction at the last application."""

    correction: Correction
    applied: bool
    reason: str = ""
    document: str = ""  # IRI of the document it changed
    task: str = ""  # IRI of the task it changed, if a task
    retracted: int = 0
    added: int = 0

    def as_dict(self) -> dict:
        out = asdict(self.correction)
        out.update(applied=self.applied, reason=self.reason, document=self.document)
        return out


@dataclass
class CorrectionReport:
    """The outcomes of applying a list of corrections, in file order."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def applied(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.applied]

    @property
    def not_applied(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.applied]


def check_correction(c: Correction, *, file: str = "", line: int | None = None) -> Correction:
    """``c`` with its field and date checked and normalised; InputError naming the line."""
    where = {"file": file or None, "line": line}
    fld = fold(c.field).replace(" ", "-")
    if fld not in FIELDS:
        raise InputError(f"unknown field {c.field!r}; the fields are {', '.join(FIELDS)}", **where)
    if not c.target:
        raise InputError("the correction names no target", **where)
    if not c.by:
        raise InputError("the correction says not who made it (column by)", **where)
    day = parse_date(c.date, **where).isoformat() if c.date else ""
    if not day:
        raise InputError("the correction has no date (column date)", **where)
    if fld in ("lead", "support") and not (c.old or c.new):
        raise InputError(f"a {fld} correction needs an old unit, a new one or both", **where)
    if fld == "unit" and not (c.old and c.new):
        raise InputError("a unit correction needs the old unit and the new one", **where)
    new = c.new
    if fld == "due" and new:
        new = parse_date(new, **where).isoformat()
    return Correction(c.target, fld, c.by, day, c.old, new, c.why, c.file, c.line)


def read_corrections(path: str | Path) -> list[Correction]:
    """The corrections of a file, checked; an InputError names the file and line."""
    out = []
    for line, row in read_rows(path, COLUMNS, REQUIRED):
        c = Correction(
            row["target"],
            row["field"],
            row["by"],
            row["date"],
            row["old"],
            row["new"],
            row["why"],
            file=str(path),
            line=line,
        )
        out.append(check_correction(c, file=str(path), line=line))
    return out


def append_correction(path: str | Path, c: Correction) -> Correction:
    """Append ``c`` to the file (created with its header); ``c`` with its file and line."""
    c = check_correction(c)
    line = append_row(path, COLUMNS, c.row())
    return Correction(**{**asdict(c), "file": str(path), "line": line})


def stored_corrections(store) -> list[Correction]:
    """The corrections the store holds (re-applied by a build given no file)."""
    out = []
    for r in run_internal(store, "corrections-stored").dicts():
        out.append(
            Correction(
                str(r["target"]),
                str(r["field"]),
                str(r["by"]),
                str(r["date"]),
                str(r["old"] or ""),
                str(r["new"] or ""),
                str(r["why"] or ""),
                str(r["file"] or ""),
                int(r["line"]),
            )
        )
    return out


def retracted_statements(store) -> set[tuple]:
    """Every statement a correction in ``store`` retracts."""
    return {(r["s"], r["p"], r["o"]) for r in run_internal(store, "corrections-retracted").dicts()}


# ------------------------------------------------------------------ applying


class _DocState:
    """One document's statements: as extracted, and as corrected so far."""

    def __init__(self, store, doc: LoadedDocument, iris: Iris) -> None:
        self.doc = doc
        self.original = frozenset(store.graph_triples(iris.graph(doc.iri)))
        self.current = set(self.original)
        self.removed_by: dict[tuple, URIRef] = {}
        self.jurisdiction = next(
            (str(o) for s, p, o in self.original if s == doc.iri and p == OB.jurisdiction), ""
        )

    def objects(self, s, p) -> list:
        return [o for s2, p2, o in self.current if s2 == s and p2 == p]

    def subjects(self, p, o) -> list:
        return [s for s, p2, o2 in self.current if p2 == p and o2 == o]

    def remove(self, triples: Iterable[tuple], by: URIRef) -> int:
        n = 0
        for t in list(triples):
            if t in self.current:
                self.current.discard(t)
                self.removed_by.setdefault(t, by)
                n += 1
        return n

    def about(self, s) -> list[tuple]:
        return [t for t in self.current if t[0] == s]

    def label_of(self, unit) -> list[str]:
        return [
            str(o)
            for s, p, o in self.current
            if s == unit and p in (SKOS.prefLabel, SKOS.altLabel, OB.searchKey)
        ]


class _Applier:
    """Applies corrections in file order over the documents they touch."""

    def __init__(self, store, iris: Iris, gazetteer) -> None:
        self.store, self.iris, self.gazetteer = store, iris, gazetteer
        self.docs: dict[URIRef, _DocState] = {}
        self.extra: set[tuple] = set()  # new units, provenance of added statements

    def state(self, doc: LoadedDocument) -> _DocState:
        if doc.iri not in self.docs:
            self.docs[doc.iri] = _DocState(self.store, doc, self.iris)
        return self.docs[doc.iri]

    def unit(self, name: str, state: _DocState) -> URIRef:
        from obligraph.graph.rdf import unit_triples
        from obligraph.loaders.unit_names import UnitResolver

        ref = UnitResolver(self.gazetteer, state.jurisdiction).resolve(name)
        self.extra.update(unit_triples(ref, self.iris))
        return self.iris.unit(ref.canonical)

    def match_unit(self, name: str, candidates: list, state: _DocState) -> URIRef | None:
        """Which of ``candidates`` (unit IRIs) the person meant by ``name``."""
        from obligraph.loaders.unit_names import UnitResolver

        ref = UnitResolver(self.gazetteer, state.jurisdiction).resolve(name)
        iri = self.iris.unit(ref.canonical)
        if iri in candidates:
            return iri
        key = fold(name)
        for c in candidates:
            if key in {fold(x) for x in state.label_of(c)} or str(c).endswith("/" + slug(name)):
                return c
        return None

    def apply(self, c: Correction, corr: URIRef) -> Outcome:
        if c.field == "unit":
            doc = find_document(self.store, c.target, self.iris)
            task = None
        else:
            task, doc = find_task(self.store, c.target, self.iris)
        state = self.state(doc)
        if task is not None and (task, RDF.type, OB.Task) not in state.current:
            raise NotApplied(f"the task {c.target} is no longer in the corrected reading")
        before = len(state.current)
        handler = getattr(self, "_" + c.field)
        removed = handler(c, corr, state, task)
        added = len(state.current) - before + removed
        return Outcome(
            c, True, document=str(doc.iri), task=str(task or ""), retracted=removed, added=added
        )

    def _assignments(self, task, role: str, unit, state: _DocState) -> list[tuple]:
        nodes = [
            a
            for a in state.subjects(OB.task, task)
            if (a, OB.role, ROLE_CONCEPT[role]) in state.current
            and (a, OB.unit, unit) in state.current
        ]
        return [(task, ROLE_PREDICATE[role], unit)] + [t for a in nodes for t in state.about(a)]

    def _role(self, c: Correction, corr: URIRef, state: _DocState, task, role: str) -> int:
        have = state.objects(task, ROLE_PREDICATE[role])
        gone: list = []
        if c.old == "*":
            gone = list(have)
        elif c.old:
            unit = self.match_unit(c.old, have, state)
            if unit is None:
                names = "; ".join(sorted({(state.label_of(u) or [str(u)])[0] for u in have}))
                raise NotApplied(
                    f"{c.old!r} is not a {role} unit of {c.target} "
                    f"(the current reading has: {names or 'none'})"
                )
            gone = [unit]
        removed = sum(state.remove(self._assignments(task, role, u, state), corr) for u in gone)
        if c.new:
            unit = self.unit(c.new, state)
            if (task, ROLE_PREDICATE[role], unit) not in state.current:
                self._add_assignment(task, role, unit, corr, state)
        return removed

    def _lead(self, c, corr, state, task) -> int:
        return self._role(c, corr, state, task, "lead")

    def _support(self, c, corr, state, task) -> int:
        return self._role(c, corr, state, task, "support")

    def _add_assignment(self, task, role: str, unit, corr: URIRef, state: _DocState) -> None:
        name = next(
            (str(o) for s, p, o in self.extra if s == unit and p == SKOS.prefLabel), str(unit)
        )
        asg = self.iris.assignment(task, role, name)
        modality = next(iter(state.objects(task, OB.modality)), OB.Obligation)
        new = [
            (task, ROLE_PREDICATE[role], unit),
            (asg, RDF.type, OB.Assignment),
            (asg, OB.task, task),
            (asg, OB.unit, unit),
            (asg, OB.role, ROLE_CONCEPT[role]),
            (asg, OB.modality, modality),
        ]
        new += [(asg, OB.source, span) for span in state.objects(task, OB.source)]
        state.current.update(new)
        self.extra.add((asg, PROV.wasGeneratedBy, corr))

    def _unit(self, c: Correction, corr: URIRef, state: _DocState, task) -> int:
        named = sorted(
            {o for _, p, o in state.current if p in UNIT_PREDICATES and isinstance(o, URIRef)}
        )
        old = self.match_unit(c.old, named, state)
        if old is None:
            raise NotApplied(f"no fact of {c.target} names the unit {c.old!r}")
        new = self.unit(c.new, state)
        hits = [t for t in state.current if t[1] in UNIT_PREDICATES and t[2] == old]
        state.remove(hits, corr)
        state.current.update((s, p, new) for s, p, _ in hits)
        return len(hits)

    def _due(self, c: Correction, corr: URIRef, state: _DocState, task) -> int:
        removed = state.remove(
            [(task, OB.dueDate, d) for d in state.objects(task, OB.dueDate)], corr
        )
        if c.new:
            state.current.add((task, OB.dueDate, Literal(c.new, datatype=XSD.date)))
        return removed

    def _programme(self, c: Correction, corr: URIRef, state: _DocState, task) -> int:
        gone = [(task, OB.programme, p) for p in state.objects(task, OB.programme)]
        removed = state.remove(gone, corr)
        if c.new:
            prog = self._programme_node(c.new)
            state.current.add((task, OB.programme, prog))
            self.extra.add((prog, RDF.type, OB.Programme))
        return removed

    def _programme_node(self, number: str) -> URIRef:
        rows = run_internal(self.store, "corrections-document-numbers").dicts()
        for r in rows:
            if fold(str(r["n"])) == fold(number):
                return URIRef(r["d"])
        raise NotApplied(f"no document numbered {number!r} in the store to serve as programme")

    def _wrong(self, c: Correction, corr: URIRef, state: _DocState, task) -> int:
        nodes = state.subjects(OB.task, task)
        units = [(task, p, u) for p in ROLE_PREDICATE.values() for u in state.objects(task, p)]
        return state.remove(
            state.about(task) + units + [t for a in nodes for t in state.about(a)], corr
        )


def _digest(triple: tuple) -> str:
    return hashlib.sha1(" ".join(t.n3() for t in triple).encode()).hexdigest()[:16]


def correction_iri(c: Correction, iris: Iris) -> URIRef:
    return URIRef(f"{iris.base}correction/{c.key()}")


def _record(c: Correction, corr: URIRef, outcome: Outcome) -> list[tuple]:
    agent = URIRef(f"{corr}/by")
    out = [
        (corr, RDF.type, OB.Correction),
        (corr, OB.targetText, Literal(c.target)),
        (corr, OB.field, Literal(c.field)),
        (corr, PROV.wasAttributedTo, agent),
        (agent, RDF.type, PROV.Agent),
        (agent, RDFS.label, Literal(c.by)),
        (corr, PROV.endedAtTime, Literal(c.date, datatype=XSD.date)),
        (corr, OB.fileLine, Literal(c.line)),
        (corr, OB.applied, Literal(outcome.applied)),
    ]
    for pred, value in ((OB.oldValue, c.old), (OB.newValue, c.new), (OB.why, c.why)):
        if value:
            out.append((corr, pred, Literal(value)))
    if c.file:
        out.append((corr, OB.sourceFile, Literal(c.file)))
    if outcome.reason:
        out.append((corr, OB.notAppliedBecause, Literal(outcome.reason)))
    if outcome.task or outcome.document:
        out.append((corr, OB.target, URIRef(outcome.task or outcome.document)))
    return out


def _run(store, corrections: Sequence[Correction], iris: Iris, gazetteer):
    """The outcomes and the triples of ``graph/corrections``; nothing written."""
    if gazetteer is None:
        from obligraph.loaders.units import Gazetteer

        gazetteer = Gazetteer.default()
    applier = _Applier(store, iris, gazetteer)
    report = CorrectionReport()
    triples: set[tuple] = set()
    for c in corrections:
        corr = correction_iri(c, iris)
        try:
            outcome = applier.apply(c, corr)
        except (NotApplied, InputError) as exc:
            outcome = Outcome(c, False, reason=exc.message)
        report.outcomes.append(outcome)
        triples.update(_record(c, corr, outcome))
    for state in applier.docs.values():
        triples.update(state.current - state.original)
        for t in state.original - state.current:
            r = URIRef(f"{iris.base}retraction/{_digest(t)}")
            triples.update(
                [
                    (r, RDF.type, OB.Retraction),
                    (r, RDF.subject, t[0]),
                    (r, RDF.predicate, t[1]),
                    (r, RDF.object, t[2]),
                    (r, OB.retractedBy, state.removed_by[t]),
                ]
            )
    triples.update(applier.extra)
    return report, triples


def preview_corrections(
    store, corrections: Sequence[Correction], *, iris: Iris | None = None, gazetteer=None
) -> CorrectionReport:
    """What applying ``corrections`` would do, the store untouched."""
    return _run(store, corrections, iris or Iris(), gazetteer)[0]


def apply_corrections(
    store, corrections: Sequence[Correction], *, iris: Iris | None = None, gazetteer=None
) -> CorrectionReport:
    """Write ``corrections`` into ``graph/corrections`` and make the default graph the
    corrected reading; the corrections the store held before are replaced.

    A correction reads the document's own graph, so applying the same list twice
    gives the same store."""
    iris = iris or Iris()
    previous = retracted_statements(store)
    report, triples = _run(store, corrections, iris, gazetteer)
    store.replace_graph(iris.special_graph("corrections"), triples)
    store.hide_retracted(previous)
    return report


def correction_stats(store) -> dict[str, list[dict]]:
    """How much of the extracted reading people corrected: per document (corrections,
    statements set aside) and per extractor (tasks corrected of tasks read) — the
    corrections file doubles as evaluation data."""
    docs = [
        {
            "document": str(r["number"] or r["doc"]),
            "corrections": int(r["corrections"]),
            "statements_set_aside": int(r["retracted"]),
        }
        for r in run_internal(store, "corrections-by-document").dicts()
    ]
    extractors = [
        {
            "extractor": str(r["extractor"]),
            "tasks": int(r["tasks"]),
            "tasks_corrected": int(r["corrected"]),
        }
        for r in run_internal(store, "corrections-by-extractor").dicts()
        if int(r["corrected"])
    ]
    return {"documents": docs, "extractors": extractors}


def check_rows(store) -> list[dict]:
    """``obligraph check`` rows: each correction not applied (warning), and how much was
    corrected per document and per extractor (info)."""
    rows = []
    for r in run_internal(store, "corrections-not-applied").dicts():
        rows.append(
            {
                "kind": "correction",
                "severity": "warning",
                "code": "correction-not-applied",
                "file": str(r["file"] or ""),
                "line": int(r["line"]),
                "message": f"{r['target']} {r['field']}: {r['reason']}",
                "focus": str(r["c"]),
                "document": str(r["target"]).partition("#")[0],
                "task_id": str(r["target"]).partition("#")[2],
                "task_text": "",
            }
        )
    stats = correction_stats(store)
    for d in stats["documents"]:
        rows.append(
            {
                "kind": "correction",
                "severity": "info",
                "code": "corrected-document",
                "file": "",
                "line": None,
                "message": f"{d['document']}: {d['corrections']} correction(s), "
                f"{d['statements_set_aside']} extracted statement(s) set aside",
                "focus": d["document"],
                "document": d["document"],
                "task_id": "",
                "task_text": "",
            }
        )
    for e in stats["extractors"]:
        share = 100 * e["tasks_corrected"] / e["tasks"] if e["tasks"] else 0.0
        rows.append(
            {
                "kind": "correction",
                "severity": "info",
                "code": "corrected-extractor",
                "file": "",
                "line": None,
                "message": f"extractor {e['extractor']}: {e['tasks_corrected']} of {e['tasks']} "
                f"task(s) corrected ({share:.1f} %)",
                "focus": e["extractor"],
                "document": "",
                "task_id": "",
                "task_text": "",
            }
        )
    return rows


__all__ = [
    "COLUMNS",
    "FIELDS",
    "Correction",
    "CorrectionReport",
    "Outcome",
    "append_correction",
    "apply_corrections",
    "preview_corrections",
    "read_corrections",
    "retracted_statements",
    "stored_corrections",
]
