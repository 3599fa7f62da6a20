"""Who owes it now: succession of organisations (the 2025 reorganisation) as ORG change events.

The events are data: ``ontology/succession.tsv`` (one row per organisation before and
after, with the kind of change, the function that moved, the act that decided it and
whether its source was read: ``sourced`` or ``uncertain``), plus the provinces merged
in 2025, from the administrative-division data the loaders use (Nghị quyết
202/2025/QH15). :func:`succession_graph` writes them as ``org:ChangeEvent`` nodes into
the ``graph/succession`` named graph; the queries ``successors-of-unit``,
``who-owes-now`` and ``inherited-obligations`` answer from it with plain SPARQL
(property paths follow chains; no reasoner needed), and :func:`successors` walks the
chain in Python for trace and the register.

>>> events = load_events()
>>> {e.kind for e in events} <= set(KINDS)
True
>>> vt = [e for e in events if e.before == "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"]
>>> (vt[0].kind, vt[0].after, vt[0].source_number)
('merger', 'Ủy ban nhân dân Thành phố Hồ Chí Minh', '202/2025/QH15')
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from sys import intern

import obligraph.ontology as _ontology
from obligraph.loaders.citations import CODE_TYPES
from obligraph.queries.library import run_internal
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from obligraph.base.errors import ParseError
from obligraph.base.finding_codes import render
from obligraph.base.textkeys import fold, slug
from obligraph.base.vocab import ELI, OB, ORG, Iris, doc_type_concept

DATA = Path(_ontology.__file__).resolve().parent / "succession.tsv"
KINDS = {
    "merger": OB.Merger,
    "split": OB.Split,
    "function_transfer": OB.FunctionTransfer,
    "renaming": OB.Renaming,
    "abolition": OB.Abolition,
    "continues": OB.Continuation,
    "unknown": OB.UnknownChange,
}
PROVINCES_ACT = ("202/2025/QH15", "Nghị quyết", "2025-06-12", "Quốc hội")


@dataclass(frozen=True)
class Event:
    """One change: the organisation before, the one after, how, when, and on what act."""

    date: str
    kind: str
    before: str
    after: str = ""
    function: str = ""
    source_number: str = ""
    source_type: str = ""
    source_date: str = ""
    source_issuer: str = ""
    status: str = "uncertain"
    note: str = ""
    line: int = 0  # the row's line in the data file (0 for generated events)


def _province_events() -> list[Event]:
    """The provinces merged in 2025: each former province's People's Committee."""
    from obligraph.loaders.divisions import provinces, successor_of

    out: list[Event] = []
    number, kind, date, issuer = PROVINCES_ACT
    for prov in provinces(current=False):
        succ = successor_of(prov)
        if succ is None or succ == prov:
            continue
        out.append(
            Event(
                date=date,
                kind="merger",
                before=f"Ủy ban nhân dân {prov.full_name}",
                after=_ubnd(succ.full_name),
                source_number=number,
                source_type=kind,
                source_date=date,
                source_issuer=issuer,
                status="sourced",
                note="the 2025 mapping of provinces, from the vietnamadminunits package",
            )
        )
    return out


def _ubnd(full_name: str) -> str:
    """The People's Committee of a province as the gazetteer writes it."""
    name = f"Ủy ban nhân dân {full_name}"
    if fold(full_name) == "thanh pho ho chi minh":
        return "Ủy ban nhân dân Thành phố Hồ Chí Minh"
    return name


@lru_cache(maxsize=4)
def load_events(path: Path | None = None) -> list[Event]:
    """Every change event: the data file's rows, then the 2025 province mergers."""
    rows: list[Event] = []
    with open(path or DATA, encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        for r in reader:
            if not (r.get("before") or "").strip():
                continue
            kind = r["kind"].strip()
            if kind not in KINDS:
                raise ParseError(
                    f"unknown kind {kind!r} for {r['before']!r}",
                    file=str(path or DATA),
                    line=reader.line_num,
                )
            fields = [k for k in Event.__dataclass_fields__ if k != "line"]
            values = {k: (r.get(k) or "").strip() for k in fields}
            rows.append(Event(**values, line=reader.line_num))
    seen = {(e.before, e.after) for e in rows}
    rows += [e for e in _province_events() if (e.before, e.after) not in seen]
    return rows


def succession_graph(events: list[Event], iris: Iris | None = None) -> Graph:
    """The events as ORG change events (see the module docstring)."""
    iris = iris or Iris()
    g = Graph()
    for n, e in enumerate(events, 1):
        node = iris._iri(f"change/{slug(e.before)}/{n}")
        g.add((node, RDF.type, ORG.ChangeEvent))
        g.add((node, OB.changeKind, KINDS[e.kind]))
        g.add((node, ORG.originalOrganization, _unit(g, iris, e.before)))
        if e.after:
            g.add((node, ORG.resultingOrganization, _unit(g, iris, e.after)))
        if e.function:
            g.add((node, OB.transferredFunction, Literal(e.function, lang="vi")))
        if e.date:
            g.add((node, OB.effectiveDate, Literal(e.date, datatype=XSD.date)))
        g.add((node, OB.certainty, OB.Sourced if e.status == "sourced" else OB.Uncertain))
        if e.note:
            g.add((node, OB.sourceNote, Literal(e.note)))
        if e.source_number:
            act = _act(g, iris, e)
            g.add((node, OB.decidedBy, act))
        label = f"{e.before} → {e.after or '∅'}" + (f" ({e.function})" if e.function else "")
        g.add((node, RDFS.label, Literal(label, lang="vi")))
    return g


def chain_events(name: str, events: list[Event]) -> set[int]:
    """Indexes (from 1) of the events along a unit's chain of changes."""
    by_before: dict[str, list[tuple[int, Event]]] = {}
    for n, e in enumerate(events, 1):
        by_before.setdefault(fold(e.before), []).append((n, e))
    found: set[int] = set()
    todo, seen = [name], set()
    while todo:
        current = fold(todo.pop())
        if current in seen:
            continue
        seen.add(current)
        for n, e in by_before.get(current, []):
            found.add(n)
            if e.after:
                todo.append(e.after)
    return found


def uncertain_findings(events: list[Event], iris: Iris, g: Graph, used: set[int]) -> None:
    """A finding for each change an obligation of the store rests on whose source nobody
    here has read (status "uncertain"); ``used``: the indexes of those events."""
    for n, e in enumerate(events, 1):
        if e.status == "sourced" or n not in used:
            continue
        node = iris._iri(f"change/{slug(e.before)}/{n}/finding")
        g.add((node, RDF.type, OB.Finding))
        g.add((node, OB.code, Literal("uncertain-succession")))
        g.add((node, OB.severity, OB.Warning))
        what = f"{e.kind} into {e.after}" if e.after else e.kind
        g.add((node, OB.message, Literal(
            f"what became of {e.before} in 2025 ({what}) rests on no source read here: check it",
            lang="en")))  # fmt: skip
        args = {"unit": e.before, "kind": e.kind, "after": e.after}
        vi = render("uncertain-succession", args, "vi", "" if e.after else "alone")
        g.add((node, OB.message, Literal(vi, lang="vi")))
        g.add((node, OB.about, iris._iri(f"change/{slug(e.before)}/{n}")))
        if e.line:  # the row of the data file the auditor can open
            span = iris._iri(f"change/{slug(e.before)}/{n}/source")
            g.add((span, RDF.type, OB.SourceSpan))
            g.add((span, OB.sourceFile, Literal(DATA.name)))
            g.add((span, OB.lineStart, Literal(e.line)))
            g.add((span, OB.lineEnd, Literal(e.line)))
            fields = [k for k in Event.__dataclass_fields__ if k != "line"]
            g.add((span, OB.quote, Literal("\t".join(str(getattr(e, k)) for k in fields))))
            g.add((node, OB.source, span))


def _lead_rows(store) -> list[tuple]:
    """Every lead assignment's rows (task, lead, document, span), from five flat reads of
    one property each joined here: one SPARQL join starting from the assignments' role
    took 93 s at 10,000 documents (2 s at 1,000); the flat reads take seconds.

    >>> from obligraph.graph.stores import open_store
    >>> _lead_rows(open_store(memory=True))
    []
    """

    def pairs(prop: URIRef) -> list[tuple]:
        return run_internal(store, "overlap-property-pairs", constants={"p": prop}).rows

    def among(prop: URIRef, subjects) -> dict:
        """Each of ``subjects`` -> its values of ``prop``, in the engine's order."""
        out: dict = {}
        for subject, value in pairs(prop):
            if subject in subjects:
                out.setdefault(subject, []).append(value)
        return out

    leading = {a for a, role in pairs(OB.role) if role == OB.LeadRole}
    tasks = among(OB.task, leading)
    units = among(OB.unit, tasks)
    wanted = {t for ts in tasks.values() for t in ts}
    docs = among(OB.inDocument, wanted)
    spans = among(OB.source, wanted)
    return [
        (task, lead, doc, span)
        for a, ts in tasks.items()
        for task in ts
        for lead in units.get(a, ())
        for doc in docs.get(task, ())
        for span in spans.get(task, [None])
    ]


def read_leads(
    store, graphs: Sequence[str] | None = None
) -> dict[str, tuple[str, str | None, list[str]]]:
    """Task -> (its document, its source span, its lead units) of every task with a lead
    (or of those the named ``graphs`` state)."""
    if graphs is None:
        rows = _lead_rows(store)
    else:  # one query a graph, written in: Oxigraph joins a VALUES-bound graph last
        rows = [
            row
            for g in graphs
            for row in run_internal(
                store, "succession-graph-leads", constants={"g": URIRef(g)}
            ).rows
        ]
    leads: dict[str, tuple[str, str | None, list[str]]] = {}
    for task, lead, doc, span in rows:
        task = intern(str(task))
        units = leads[task][2] if task in leads else []
        units.append(intern(str(lead)))
        leads[task] = (intern(str(doc)), None if span is None else str(span), units)
    return {task: (doc, span, sorted(units)) for task, (doc, span, units) in leads.items()}


def preferred_labels(store) -> dict[str, list[str]]:
    """Unit -> every preferred label it has (the names the succession data is matched on)."""
    labels: dict[str, list[str]] = {}
    for unit, label in run_internal(
        store, "overlap-property-pairs", constants={"p": SKOS.prefLabel}
    ).rows:
        labels.setdefault(str(unit), []).append(str(label))
    return {unit: sorted(names) for unit, names in labels.items()}


def succession_findings(
    store,
    iris: Iris | None = None,
    leads: dict[str, tuple[str, str | None, list[str]]] | None = None,
    labels: dict[str, list[str]] | None = None,
) -> Graph:
    """Findings on what the store's obligations rest on: a change whose source nobody read
    (``uncertain-succession``), a task whose every lead ended with no successor
    (``no-successor``). ``leads`` (:func:`read_leads`) and ``labels``
    (:func:`preferred_labels`): what was read already (default: read now)."""
    iris = iris or Iris()
    g = Graph()
    events = load_events()
    leads = read_leads(store) if leads is None else leads
    labels = preferred_labels(store) if labels is None else labels
    names_of = {
        task: [name for unit in units for name in labels.get(unit, ())]
        for task, (_, _, units) in leads.items()
    }
    used: set[int] = set()
    distinct = {n for names in names_of.values() for n in names}
    for name in distinct:
        used |= chain_events(name, events)
    uncertain_findings(events, iris, g, used)
    # each distinct name once: _ended folds every event (13,406 leads at 1,000 documents)
    gone = {n for n in distinct if _ended(n)}
    for task, names in sorted(names_of.items()):
        if names and all(n in gone for n in names):
            node = URIRef(f"{task}/finding/no-successor")
            g.add((node, RDF.type, OB.Finding))
            g.add((node, OB.code, Literal("no-successor")))
            g.add((node, OB.severity, OB.Warning))
            g.add((node, OB.message, Literal(
                f"the lead of this task ({'; '.join(sorted(set(names)))}) was abolished in 2025 "
                "with no successor: nobody owes it now", lang="en")))  # fmt: skip
            vi = render("no-successor", {"units": "; ".join(sorted(set(names)))}, "vi")
            g.add((node, OB.message, Literal(vi, lang="vi")))
            g.add((node, OB.about, URIRef(task)))
            doc, span, _ = leads[task]
            g.add((node, OB.inDocument, URIRef(doc)))
            if span is not None:
                g.add((node, OB.source, URIRef(span)))
    return g


def _ended(name: str) -> bool:
    return status(name) == "abolition" and not successors(name)


def _unit(g: Graph, iris: Iris, name: str) -> URIRef:
    """A unit of an event; its name a label of its own unless the gazetteer names it."""
    from obligraph.loaders.units import Gazetteer

    known = Gazetteer.default().find(name)
    iri = iris.unit(known.canonical if known is not None else name)
    g.add((iri, RDF.type, ORG.Organization))
    if known is None:  # a body born in 2025 (Cục Bà mẹ và Trẻ em): its name is its label
        g.add((iri, SKOS.prefLabel, Literal(name, lang="vi")))
        g.add((iri, OB.searchKey, Literal(fold(name))))
    return iri


def _act(g: Graph, iris: Iris, e: Event) -> URIRef:
    code = e.source_number.rsplit("/", 1)[-1].split("-")[0]
    doc_type = e.source_type or CODE_TYPES.get(code, "")
    year = int(e.source_date[:4]) if e.source_date[:4].isdigit() else None
    iri = iris.document(e.source_number, doc_type, year)
    g.add((iri, RDF.type, ELI.LegalResource))
    g.add((iri, ELI.id_local, Literal(e.source_number)))
    if doc_type:
        g.add((iri, ELI.type_document, doc_type_concept(doc_type)))
    if e.source_date:
        g.add((iri, ELI.date_document, Literal(e.source_date, datatype=XSD.date)))
    return iri


@dataclass(frozen=True)
class Successor:
    """Where an organisation's duties stand now: a body, the way they got there, the acts."""

    name: str
    path: tuple[str, ...]  # kinds along the chain ("function_transfer", "merger")
    function: str
    acts: tuple[str, ...]
    sourced: bool


def successors(name: str, *, events: list[Event] | None = None) -> list[Successor]:
    """The bodies that hold an organisation's duties now, following every change in turn.

    An organisation that continues is its own successor; one abolished with no successor
    gives none; one nobody knows about gives none either (ask :func:`status`).

    >>> [(s.name, s.function) for s in successors("Ủy ban nhân dân tỉnh Bình Dương")]
    [('Ủy ban nhân dân Thành phố Hồ Chí Minh', '')]
    """
    events = load_events() if events is None else events
    by_before: dict[str, list[Event]] = {}
    for e in events:
        by_before.setdefault(fold(e.before), []).append(e)
    out: list[Successor] = []

    def walk(current: str, path: tuple, function: str, acts: tuple, sourced: bool, depth: int):
        changes = [e for e in by_before.get(fold(current), []) if e.kind != "continues"]
        if not changes or depth > 10:
            if path:  # the end of a chain of changes
                out.append(Successor(current, path, function, acts, sourced))
            elif any(e.kind == "continues" for e in by_before.get(fold(current), [])):
                out.append(Successor(current, (), "", acts, sourced))
            return
        for e in changes:
            act = (e.source_number,) if e.source_number else ()
            ok = sourced and e.status == "sourced"
            if e.kind in ("abolition", "unknown") or not e.after:
                continue
            walk(e.after, (*path, e.kind), e.function or function, acts + act, ok, depth + 1)

    walk(name, (), "", (), True, 0)
    return out


def status(name: str, *, events: list[Event] | None = None) -> str:
    """The 2025 status of an organisation: continues, renamed, merged, function_transfer,
    split, abolished, unknown, or "" when the data does not name it."""
    events = load_events() if events is None else events
    kinds = {e.kind for e in events if fold(e.before) == fold(name)}
    if not kinds:
        return ""
    for kind in ("abolition", "merger", "split", "function_transfer", "renaming", "continues"):
        if kind in kinds:
            return kind
    return "unknown"
