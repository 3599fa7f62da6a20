"""Records to RDF (docs/model.md): one document's records as the triples of its named
graph, a unit as its triples, the gazetteer as a graph. Pure functions: no store, no I/O.

>>> from obligraph.loaders.records import Document, SourceSpan, Task
>>> doc = Document("plan.txt", "/tmp/plan.txt", "0" * 64, 3, number="9/KH-UBND",
...                doc_type="Kế hoạch", date="2024-01-02")
>>> doc.tasks.append(Task("1", "Rà soát chính sách", SourceSpan("plan.txt", 3, 3, "1. Rà soát")))
>>> g = document_graph(doc, Iris())
>>> sorted(str(o) for o in g.objects(None, OB.taskId))
['1']
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from obligraph.loaders import records as rec
from obligraph.loaders.identity import scope_of
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS, XSD

from obligraph.base.finding_codes import render
from obligraph.base.textkeys import fold
from obligraph.base.vocab import ELI, OB, ORG, PREFIXES, Iris, doc_type_concept

RECURRENCE = {
    "once": OB.Once,
    "annual": OB.Annual,
    "semiannual": OB.SemiAnnual,
    "quarterly": OB.Quarterly,
    "monthly": OB.Monthly,
    "continuous": OB.Continuous,
}
COMPARATOR = {
    "at_least": OB.AtLeast,
    "at_most": OB.AtMost,
    "reduce_by": OB.ReduceBy,
    "increase_by": OB.IncreaseBy,
    "maintain": OB.Maintain,
    "equal": OB.Equal,
}
LEVEL = {
    "central": OB.CentralBody,
    "central_body": OB.CentralBody,
    "ministry": OB.Ministry,
    "ministry_unit": OB.MinistryUnit,
    "province": OB.Province,
    "provincial_department": OB.ProvincialDepartment,
    "district": OB.District,
    "commune": OB.Commune,
    "mass_organisation": OB.MassOrganisation,
    "mass_organization": OB.MassOrganisation,
    "other": OB.OtherLevel,
}
SEVERITY = {"error": OB.Error, "warning": OB.Warning, "info": OB.Info}
ROLE = {"lead": OB.LeadRole, "support": OB.SupportRole}
MODALITY = {"obligation": OB.Obligation, "request": OB.Request}
RELATION = {"based_on": ELI.based_on, "implements": OB.implements, "cites": ELI.cites}
# Type code inside a document number (after the slash) -> Vietnamese type name.
NUMBER_TYPES = {
    "qd": "Quyết định",
    "ct": "Chỉ thị",
    "nd": "Nghị định",
    "nq": "Nghị quyết",
    "tt": "Thông tư",
    "ttlt": "Thông tư liên tịch",
    "kh": "Kế hoạch",
    "qh": "Luật",
}


def _vi(text: str) -> Literal:
    return Literal(text, lang="vi")


def _decimal(value: float) -> Literal:
    return Literal(Decimal(repr(value)).normalize(), datatype=XSD.decimal)


def guess_ref(number: str) -> rec.DocRef:
    """A DocRef for a bare number, type and year read from the number itself.

    >>> ref = guess_ref("14/2017/NĐ-CP")
    >>> ref.doc_type, ref.year
    ('Nghị định', 2017)
    """
    import re

    parts = [fold(p) for p in re.split(r"[/-]", number)]
    doc_type = next((NUMBER_TYPES[p] for p in parts[1:] if p in NUMBER_TYPES), "")
    year = next((int(p) for p in parts[1:] if re.fullmatch(r"(19|20)\d\d", p)), None)
    return rec.DocRef(number=number, doc_type=doc_type, year_hint=year)


class _DocumentBuilder:
    """Collects the triples of one document's graph."""

    def __init__(self, doc: rec.Document, iris: Iris) -> None:
        self.doc = doc
        self.iris = iris
        self.triples: set[tuple] = set()
        self.labels: dict[URIRef, Literal] = {}  # unit -> skos:prefLabel (one per unit)
        self.quotes: dict[tuple[URIRef, str], URIRef] = {}  # (location IRI, quote) -> span
        self.at_place: dict[URIRef, int] = {}  # location IRI -> span nodes made there
        self.doc_iri = document_iri(doc, iris)
        self.refs: dict[str, URIRef] = {}  # cited number -> document IRI
        for c in doc.citations:
            if c.target.number:
                self.refs.setdefault(c.target.number, self.ref_iri(c.target))
        self.task_ids = {t.task_id for t in doc.tasks}
        self.indicator_ids = {i.indicator_id for i in doc.indicators}

    def add(self, s: URIRef, p: URIRef, o) -> None:
        """Add a triple unless its object is missing or an empty string (no fact)."""
        if o is not None and str(o) != "":
            self.triples.add((s, p, o))

    # -- nodes shared by many facts
    def ref_iri(self, ref: rec.DocRef) -> URIRef:
        scope = scope_of(ref.number, ref.jurisdiction)
        return self.iris.document(ref.number, ref.doc_type, ref.year, title=ref.title, scope=scope)

    def cited_node(self, ref: rec.DocRef) -> URIRef:
        iri = self.ref_iri(ref)
        if iri == self.doc_iri:
            return iri
        self.add(iri, RDF.type, ELI.LegalResource)
        if ref.number:
            self.add(iri, ELI.id_local, Literal(ref.number))
        if ref.doc_type:
            self.add(iri, ELI.type_document, doc_type_concept(ref.doc_type))
        if ref.date:
            self.add(iri, ELI.date_document, Literal(ref.date, datatype=XSD.date))
        if ref.issuer:
            self.add(iri, ELI.passed_by, self.issuer(ref.issuer))
        if ref.title:
            self.add(iri, ELI.title, _vi(ref.title))
        return iri

    def programme(self, number: str) -> URIRef:
        ref = dataclasses.replace(guess_ref(number), jurisdiction=self.doc.jurisdiction)
        iri = self.refs.get(number) or self.cited_node(ref)
        self.add(iri, RDF.type, OB.Programme)
        return iri

    def issuer(self, name: str) -> URIRef:
        iri = self.iris.unit(name)
        self.add(iri, RDF.type, ORG.Organization)
        self.labels.setdefault(iri, _vi(name))
        return iri

    def unit(self, ref: rec.UnitRef) -> URIRef:
        iri = self.iris.unit(ref.canonical)
        self.labels[iri] = _vi(ref.canonical)
        self.triples.update(unit_triples(ref, self.iris, label=False))
        return iri

    def span(self, span: rec.SourceSpan | None) -> URIRef | None:
        if span is None:
            return None
        place = self.iris.source(self.doc_iri, span.line_start, span.line_end, span.section)
        # One span node quotes one text: a second quote at the same place (two facts of
        # one line, each quoting its own part) gets its own node, "-q2", "-q3", ...
        iri = self.quotes.get((place, span.text))
        if iri is not None:
            return iri
        taken = self.at_place.get(place, 0)
        self.at_place[place] = taken + 1
        iri = place if taken == 0 else URIRef(f"{place}-q{taken + 1}")
        self.quotes[(place, span.text)] = iri
        self.add(iri, RDF.type, OB.SourceSpan)
        self.add(iri, PROV.wasDerivedFrom, self.doc_iri)
        self.add(iri, OB.sourceFile, Literal(span.file or self.doc.source_file))
        self.add(iri, OB.lineStart, Literal(span.line_start))
        self.add(iri, OB.lineEnd, Literal(span.line_end))
        self.add(iri, OB.quote, Literal(span.text))
        self.add(iri, OB.section, Literal(span.section))
        if self.doc.locations and 0 < span.line_start <= len(self.doc.locations):
            # where the line stands in a Word file or a PDF: "trang 3, dòng 12"
            self.add(iri, OB.location, Literal(self.doc.locations[span.line_start - 1]))
        return iri

    # -- the document and its facts
    def document(self) -> None:
        d, iri = self.doc, self.doc_iri
        self.add(iri, RDF.type, ELI.LegalResource)
        self.add(iri, ELI.id_local, Literal(d.number))
        self.add(iri, ELI.type_document, doc_type_concept(d.doc_type) if d.doc_type else None)
        if d.date:
            self.add(iri, ELI.date_document, Literal(d.date, datatype=XSD.date))
        if d.issuer:
            organ = self.issuer(d.issuer)
            self.add(iri, ELI.passed_by, organ)
            if d.issuer_parent:
                self.add(organ, ORG.subOrganizationOf, self.issuer(d.issuer_parent))
        self.add(iri, OB.jurisdiction, Literal(d.jurisdiction))
        if d.source_format != "text":
            self.add(iri, OB.sourceFormat, Literal(d.source_format))
        self.add(iri, OB.subject, Literal(d.subject))
        for recipient in d.recipients:
            self.add(iri, OB.recipient, Literal(recipient))
        self.add(iri, ELI.title, _vi(d.title) if d.title else None)
        self.add(iri, OB.place, Literal(d.place))
        self.add(iri, OB.signer, Literal(d.signer))
        self.add(iri, OB.signerTitle, Literal(d.signer_title))
        self.add(iri, OB.sourceFile, Literal(d.source_file))
        self.add(iri, OB.loaded, Literal(True))
        self.add(iri, OB.sha256, Literal(d.sha256))
        self.add(iri, OB.lineCount, Literal(d.line_count))
        self.add(iri, OB.source, self.span(d.header_span))
        for n, c in enumerate(d.citations, 1):
            target = self.cited_node(c.target)
            if target == iri:
                continue
            self.add(iri, RELATION[c.relation], target)
            if c.relation == "implements":
                self.add(target, RDF.type, OB.Programme)
            cit = self.iris.citation(iri, n)
            self.add(cit, RDF.type, OB.Citation)
            self.add(cit, OB.citing, iri)
            self.add(cit, OB.cited, target)
            self.add(cit, OB.relation, Literal(c.relation))
            self.add(cit, OB.source, self.span(c.span))
        for u in d.units:
            self.unit(u)

    def task(self, t: rec.Task) -> None:
        iri = self.iris.task(self.doc_iri, t.task_id)
        self.add(iri, RDF.type, OB.Task)
        self.add(iri, OB.inDocument, self.doc_iri)
        self.add(iri, OB.taskId, Literal(t.task_id))
        self.add(iri, OB.text, _vi(t.text))
        self.add(iri, OB.heading, _vi(t.heading) if t.heading else None)
        if t.parent_id:
            self.add(iri, OB.parentTask, self.iris.task(self.doc_iri, t.parent_id))
        programme = None
        if t.programme:
            programme = self.programme(t.programme)
            self.add(iri, OB.programme, programme)
        self.add(iri, OB.modality, MODALITY[t.modality])
        tf = t.timeframe
        self.add(iri, OB.timeframe, Literal(tf.text))
        self.add(iri, OB.recurrence, RECURRENCE.get(tf.recurrence))
        for year in tf.years:
            self.add(iri, OB.year, Literal(str(year), datatype=XSD.gYear))
        if tf.due_date:
            self.add(iri, OB.dueDate, Literal(tf.due_date, datatype=XSD.date))
        for ind in t.indicators:
            self.add(iri, OB.servesIndicator, self.iris.indicator(self.doc_iri, ind))
        if programme is not None:
            for ind in t.national_indicators:
                self.add(iri, OB.servesIndicator, self.iris.indicator(programme, ind))
        self.add(iri, OB.output, Literal(t.output))
        self.add(iri, OB.extractedBy, Literal(t.extractor) if t.extractor else None)
        span = self.span(t.span)
        self.add(iri, OB.source, span)
        for a in t.assignments:
            unit = self.unit(a.unit)
            self.add(iri, OB.lead if a.role == "lead" else OB.support, unit)
            asg = self.iris.assignment(iri, a.role, a.unit.canonical)
            self.add(asg, RDF.type, OB.Assignment)
            self.add(asg, OB.task, iri)
            self.add(asg, OB.unit, unit)
            self.add(asg, OB.role, ROLE[a.role])
            self.add(asg, OB.modality, MODALITY[a.modality])
            self.add(asg, OB.source, self.span(a.span) or span)

    def indicator(self, ind: rec.Indicator) -> None:
        iri = self.iris.indicator(self.doc_iri, ind.indicator_id)
        self.add(iri, RDF.type, OB.Indicator)
        self.add(iri, OB.inDocument, self.doc_iri)
        self.add(iri, OB.indicatorId, Literal(ind.indicator_id))
        self.add(iri, OB.measure, _vi(ind.measure))
        if ind.programme:
            self.add(iri, OB.programme, self.programme(ind.programme))
        if ind.adapts is not None and ind.adapts_indicator:
            national = self.cited_node(ind.adapts)
            self.add(iri, OB.adapts, self.iris.indicator(national, ind.adapts_indicator))
        for u in ind.lead:
            self.add(iri, OB.lead, self.unit(u))
        span = self.span(ind.span)
        self.add(iri, OB.source, span)
        seen: dict[int, int] = {}
        for tg in ind.targets:
            n = seen.get(tg.year, 0)
            seen[tg.year] = n + 1
            t_iri = self.iris.target(iri, tg.year, n)
            self.add(iri, OB.hasTarget, t_iri)
            self.add(t_iri, RDF.type, OB.Target)
            self.add(t_iri, OB.year, Literal(str(tg.year), datatype=XSD.gYear))
            if tg.value is not None:
                self.add(t_iri, OB.value, _decimal(tg.value))
            self.add(t_iri, OB.unitOfMeasure, Literal(tg.unit))
            self.add(t_iri, OB.comparator, COMPARATOR.get(tg.comparator))
            self.add(t_iri, OB.text, Literal(tg.text))
            self.add(t_iri, OB.source, self.span(tg.span) or span)

    def deadline(self, n: int, d: rec.Deadline) -> None:
        iri = self.iris.deadline(self.doc_iri, n)
        self.add(iri, RDF.type, OB.Deadline)
        self.add(iri, OB.inDocument, self.doc_iri)
        self.add(iri, OB.text, Literal(d.text))
        if d.date:
            self.add(iri, OB.dueDate, Literal(d.date, datatype=XSD.date))
        if d.month_day:
            self.add(iri, OB.dueMonthDay, Literal(d.month_day, datatype=XSD.gMonthDay))
        self.add(iri, OB.recurrence, RECURRENCE.get(d.recurrence))
        if d.year:
            self.add(iri, OB.year, Literal(str(d.year), datatype=XSD.gYear))
        for u in d.reporter:
            self.add(iri, OB.reporter, self.unit(u))
        for u in d.report_to:
            self.add(iri, OB.reportTo, self.unit(u))
        self.add(iri, OB.subject, Literal(d.subject))
        self.add(iri, OB.source, self.span(d.span))

    def finding(self, n: int, f: rec.Finding) -> None:
        iri = self.iris.finding(self.doc_iri, n)
        self.add(iri, RDF.type, OB.Finding)
        self.add(iri, OB.inDocument, self.doc_iri)
        self.add(iri, OB.code, Literal(f.code))
        self.add(iri, OB.severity, SEVERITY.get(f.severity, OB.Warning))
        self.add(iri, OB.message, Literal(f.message, lang="en"))
        vi = render(f.code, f.args, "vi", f.variant)  # obligraph/base/data/findings.toml
        if vi:
            self.add(iri, OB.message, Literal(vi, lang="vi"))
        if f.about in self.task_ids:
            self.add(iri, OB.about, self.iris.task(self.doc_iri, f.about))
        elif f.about in self.indicator_ids:
            self.add(iri, OB.about, self.iris.indicator(self.doc_iri, f.about))
        self.add(iri, OB.source, self.span(f.span))

    def run(self) -> set[tuple]:
        self.document()
        for t in self.doc.tasks:
            self.task(t)
        for ind in self.doc.indicators:
            self.indicator(ind)
        for n, d in enumerate(self.doc.deadlines, 1):
            self.deadline(n, d)
        for n, f in enumerate(self.doc.findings, 1):
            self.finding(n, f)
        self.triples.update((iri, SKOS.prefLabel, label) for iri, label in self.labels.items())
        return self.triples


def unit_triples(ref: rec.UnitRef, iris: Iris, *, label: bool = True) -> list[tuple]:
    """What the graph says of a unit a document (or a correction) names.

    >>> ref = rec.UnitRef("Sở Y tế", "Sở Y tế", known=False)
    >>> sorted(str(p).rsplit("#", 1)[-1] for _, p, _ in unit_triples(ref, Iris()))
    ['prefLabel', 'searchKey', 'type', 'type']
    """
    iri = iris.unit(ref.canonical)
    out: list[tuple] = [(iri, RDF.type, ORG.Organization)]
    if label:
        out.append((iri, SKOS.prefLabel, _vi(ref.canonical)))
    if ref.mention and ref.mention != ref.canonical:
        out.append((iri, SKOS.altLabel, _vi(ref.mention)))
    out.append((iri, OB.searchKey, Literal(fold(ref.canonical))))
    if ref.generic:
        out.append((iri, RDF.type, OB.GenericUnit))
    if not ref.known:
        out.append((iri, RDF.type, OB.UnknownUnit))
    if ref.parent:
        out.append((iri, ORG.subOrganizationOf, iris.unit(ref.parent)))
    if ref.level:
        out.append((iri, OB.level, LEVEL.get(ref.level, OB.OtherLevel)))
    return out


def document_iri(doc: rec.Document, iris: Iris) -> URIRef:
    """The IRI of a loaded document (docs/model.md, Identifiers)."""
    return iris.document(
        doc.number,
        doc.doc_type,
        doc.ref.year,
        title=doc.title,
        source_file=doc.source_file,
        scope=scope_of(doc.number, doc.jurisdiction),
    )


def document_triples(doc: rec.Document, iris: Iris | None = None) -> set[tuple]:
    """The triples of one document's named graph, as a set (fast path of the build)."""
    return _DocumentBuilder(doc, iris or Iris()).run()


def document_graph(doc: rec.Document, iris: Iris | None = None) -> Graph:
    """The triples of one document's named graph (see docs/model.md) as an rdflib Graph."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for t in document_triples(doc, iris):
        g.add(t)
    return g


def gazetteer_graph(gazetteer, iris: Iris | None = None) -> Graph:
    """The units of a gazetteer (labels, parents, levels, generic flags) as triples."""
    iris = iris or Iris()
    g = Graph()
    for entry in gazetteer.entries():
        iri = iris.unit(entry.canonical)
        g.add((iri, RDF.type, ORG.Organization))
        g.add((iri, SKOS.prefLabel, _vi(entry.canonical)))
        g.add((iri, OB.searchKey, Literal(fold(entry.canonical))))
        for alt in entry.alt_labels:
            if alt != entry.canonical:
                g.add((iri, SKOS.altLabel, _vi(alt)))
        if entry.parent:
            g.add((iri, ORG.subOrganizationOf, iris.unit(entry.parent)))
        if entry.level:
            g.add((iri, OB.level, LEVEL.get(entry.level, OB.OtherLevel)))
        if entry.generic:
            g.add((iri, RDF.type, OB.GenericUnit))
    return g
