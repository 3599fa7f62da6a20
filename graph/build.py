"""Records -> RDF triples (docs/model.md) -> the store, one named graph per document.

:func:`document_graph` turns one :class:`~obligraph.loaders.records.Document` into
the triples of its named graph; :func:`gazetteer_graph` writes the unit
gazetteer into ``graph/gazetteer``; :func:`build` reads files and folders, loads
every document FIRST (a bad file raises before anything is written), then
replaces each document's graph in its own transaction and refreshes the
overlaps.

Loading is done on all cores for big inputs (:func:`prepare_files`: the loaders
are pure functions, so a pool of processes loads files and returns each
document's graph as checked, compressed N-Triples in file order). Only those
bytes and a few counts are kept until every file has passed, not the records or
rdflib triples of the whole corpus; the store then writes them in bulk
(``Store.write_graphs``).

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
import os
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from obligraph.loaders import records as rec
from obligraph.loaders.identity import scope_of
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS, XSD

from obligraph.base.errors import InputError, ObligraphError, ParseError
from obligraph.base.finding_codes import render
from obligraph.base.textkeys import fold
from obligraph.base.vocab import ELI, OB, ORG, PREFIXES, Iris, doc_type_concept

DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".doc")

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


def _blur(term) -> object:
    if isinstance(term, BNode):
        return "_"
    if isinstance(term, Literal):  # stores may normalise datatypes (nonNegativeInteger)
        return ("literal", str(term), term.language)
    return term


def _shape(triples) -> Counter:
    """Triples with blank nodes and datatypes blurred: equal for two parses of one file."""
    return Counter(tuple(_blur(t) for t in triple) for triple in triples)


def write_ontology(store, iris: Iris | None = None) -> bool:
    """Put the ontology into ``graph/ontology`` unless the same one is there already.

    Its blank nodes (OWL lists, restrictions) are fresh on every write, so the
    graph is rewritten only when its content changed: rebuilding stays idempotent.
    """
    from obligraph.ontology import ontology_graph

    iri = (iris or Iris()).special_graph("ontology")
    new = ontology_graph()
    if _shape(store.graph_triples(iri)) == _shape(new):
        return False
    store.replace_graph(iri, new)
    return True


def expand_paths(
    paths: Iterable[str | Path], unreadable: list[tuple[Path, str]] | None = None
) -> list[Path]:
    """Files to load: files as given, folders expanded to their documents.

    A folder contributes its ``*.txt``, ``*.md``, ``*.html``, ``*.docx``, ``*.pdf`` (and
    ``*.doc``, refused with the conversion to run) files, recursively and sorted,
    except ``README*`` files, which describe a folder rather than being a document. A
    missing path, or a folder with no document, is an InputError. A folder (or
    subfolder) that cannot be listed is never skipped silently: it is appended to
    ``unreadable`` as ``(path, reason)``, or, when no list is given, raises an
    InputError naming it.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("x"); _ = (d / "README.md").write_text("x")
    >>> [p.name for p in expand_paths([d])]
    ['a.txt']
    """
    files: list[Path] = []
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            found, bad = _walk_folder(p)
            for folder, reason in bad:
                if unreadable is None:
                    raise InputError(f"cannot read folder: {reason}", file=str(folder))
                unreadable.append((folder, reason))
            if not found and not bad:
                raise InputError(
                    "folder holds no .txt, .md, .html, .docx or .pdf document", file=str(p)
                )
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise InputError("no such file or folder", file=str(p))
    unique: dict[Path, None] = {}
    for f in files:
        unique.setdefault(f.resolve(), None)
    return list(unique)


def _walk_folder(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The documents under ``folder`` (sorted) and the subfolders that could not be listed."""
    bad: list[tuple[Path, str]] = []

    def failed(exc: OSError) -> None:
        bad.append((Path(exc.filename or folder), exc.strerror or str(exc)))

    found = [
        Path(root) / name
        for root, _dirs, names in os.walk(folder, onerror=failed)
        for name in names
        if Path(name).suffix.lower() in DOCUMENT_SUFFIXES
        and not name.lower().startswith("readme")
        and (Path(root) / name).is_file()
    ]
    return sorted(found), sorted(bad)


@dataclass
class BuildReport:
    """What a build loaded (counts over the documents of this build)."""

    documents: int = 0
    tasks: int = 0
    units: int = 0
    assignments: int = 0
    indicators: int = 0
    targets: int = 0
    findings: int = 0
    triples: int = 0
    seconds: float = 0.0
    store: str = ""
    # the store's counts after the build, as graph/summary defines them (``units``
    # above: the units the built documents name, issuers included)
    units_known: int = 0
    units_with_tasks: int = 0
    overlaps: int = 0
    overlapping_pairs: int = 0
    files: list[str] = field(default_factory=list)
    # where each loaded file lies on this machine, by SHA-256 (kept beside the store,
    # never in the graph: graph/sources.py)
    sources: dict[str, str] = field(default_factory=dict)
    graphs: list[str] = field(default_factory=list)
    failed: list[LoadFailure] = field(default_factory=list)
    duplicates: list[dict[str, str]] = field(default_factory=list)
    unofficial: list[str] = field(default_factory=list)
    # people's corrections and statuses applied after the documents were written
    corrections_applied: int = 0
    corrections_not_applied: list[dict] = field(default_factory=list)
    statuses_applied: int = 0
    statuses_not_applied: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        skip = ("files", "graphs", "failed", "duplicates", "unofficial", "sources")
        out = {k: v for k, v in self.__dict__.items() if k not in skip}
        out["failed"] = [f.as_dict() for f in self.failed]
        out["duplicates"] = list(self.duplicates)
        out["unofficial"] = list(self.unofficial)
        return out

    @property
    def exit_code(self) -> int:
        """0: every file loaded; 1: some files were reported and the rest loaded."""
        return 1 if self.failed else 0


@dataclass(frozen=True)
class LoadFailure:
    """A file a build could not load: where and why (the rest of the build goes on)."""

    file: str
    path: str
    line: int | None
    reason: str

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "reason": self.reason}

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        return f"{where}: {self.reason}"


Progress = Callable[[str, int, int, str], None]

#: Inputs with fewer files than this are loaded in this process (a pool costs ~1 s to start).
PARALLEL_MIN_FILES = 24


@dataclass
class PreparedDocument:
    """One loaded document, ready to write: its graph as zlib-compressed N-Triples
    (checked by pyoxigraph) and what the build report counts.

    >>> from obligraph.loaders.records import Document
    >>> prep = prepare_document(Document("a.txt", "/tmp/a.txt", "0" * 64, 1, number="9/KH-UBND"))
    >>> prep.graph_iri.endswith("/graph/vb/9-kh-ubnd"), prep.tasks
    (True, 0)
    >>> b"9/KH-UBND" in prep.ntriples()
    True
    """

    source_file: str
    path: str
    doc_iri: str
    graph_iri: str
    data: bytes
    units: frozenset[str]
    tasks: int = 0
    assignments: int = 0
    indicators: int = 0
    targets: int = 0
    findings: int = 0
    sha256: str = ""
    official: bool = True
    also_from: list[str] = field(default_factory=list)  # other files holding this document

    def ntriples(self) -> bytes:
        """The document's graph as N-Triples (UTF-8), with every file it came from."""
        data = zlib.decompress(self.data)
        if not self.also_from:
            return data
        extra = "".join(
            f"<{self.doc_iri}> <{OB.duplicateFile}> {Literal(name).n3()} .\n"
            for name in self.also_from
        )
        return data + extra.encode("utf-8")


def prepare_document(doc: rec.Document, iris: Iris | None = None) -> PreparedDocument:
    """Build one document's triples, serialise and check them (QueryError on a bad term)."""
    from obligraph.graph.stores.terms import ntriples

    iris = iris or Iris()
    doc_iri = document_iri(doc, iris)
    triples = document_triples(doc, iris)
    units = frozenset(str(s) for s, p, o in triples if p == RDF.type and o == ORG.Organization)
    return PreparedDocument(
        source_file=doc.source_file,
        path=doc.path or doc.source_file,
        doc_iri=str(doc_iri),
        graph_iri=str(iris.graph(doc_iri)),
        data=zlib.compress(ntriples(triples), 1),
        units=units,
        tasks=len(doc.tasks),
        assignments=sum(len(t.assignments) for t in doc.tasks),
        indicators=len(doc.indicators),
        targets=sum(len(i.targets) for i in doc.indicators),
        findings=len(doc.findings),
        sha256=doc.sha256,
        official=doc.official,
    )


def _prepare_or_fail(path: Path, gazetteer, iris: Iris) -> PreparedDocument | LoadFailure:
    """Load and prepare one file, or say why it could not be (a build goes on)."""
    try:
        return _prepare_path(path, gazetteer, iris)
    except ObligraphError as exc:
        return LoadFailure(path.name, str(path), exc.line, exc.message)


def _prepare_path(path: Path, gazetteer, iris: Iris) -> PreparedDocument:
    """Load and prepare one file; every error names the file."""
    from obligraph.loaders import load_document

    try:
        return prepare_document(load_document(path, gazetteer=gazetteer), iris)
    except ObligraphError as exc:
        if not exc.file:
            exc.file = str(path)
        raise
    except Exception as exc:  # a loader bug must still name the file
        raise ParseError(f"cannot load: {type(exc).__name__}: {exc}", file=str(path)) from exc


_WORKER: dict = {}


def _init_worker(gazetteer, iris: Iris) -> None:
    _WORKER.update(gazetteer=gazetteer, iris=iris)


def _prepare_in_worker(path: Path) -> PreparedDocument:
    return _prepare_path(path, _WORKER["gazetteer"], _WORKER["iris"])


def _prepare_or_fail_in_worker(path: Path) -> PreparedDocument | LoadFailure:
    return _prepare_or_fail(path, _WORKER["gazetteer"], _WORKER["iris"])


def default_jobs(files: int) -> int:
    """Processes to load ``files`` files with: the usable cores (at most 8), or 1 for few."""
    if files < PARALLEL_MIN_FILES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def prepare_files(
    paths: Sequence[Path],
    gazetteer,
    iris: Iris | None = None,
    progress: Progress | None = None,
    *,
    jobs: int | None = None,
    strict: bool = True,
) -> list:
    """Load and prepare every file, in order.

    ``strict``: the first bad file (in input order) raises. Otherwise a bad file
    becomes a :class:`LoadFailure` in its place and the others load. With ``jobs``
    > 1 (default: :func:`default_jobs`) the files are loaded by a pool of
    processes; the results and the error are the same as with one.
    """
    iris = iris or Iris()
    jobs = default_jobs(len(paths)) if jobs is None else jobs
    executor = None
    one = _prepare_path if strict else _prepare_or_fail
    if jobs <= 1:
        results = (one(p, gazetteer, iris) for p in paths)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: workers start at once with the loaders imported, and a caller's script
        # without a ``__main__`` guard still works (spawn and forkserver re-run it).
        # They run only the pure loaders and never touch the store or its threads.
        # (macOS and Windows spawn: fork is unsafe or missing there.)
        ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        executor = ProcessPoolExecutor(
            jobs, mp_context=ctx, initializer=_init_worker, initargs=(gazetteer, iris)
        )
        worker = _prepare_in_worker if strict else _prepare_or_fail_in_worker
        results = executor.map(worker, paths, chunksize=4)
    prepared: list = []
    try:
        for n, (path, item) in enumerate(zip(paths, results, strict=False), 1):
            prepared.append(item)
            if progress:
                progress("load", n, len(paths), path.name)
    except ObligraphError:
        raise
    except Exception as exc:  # a worker died (killed, out of memory)
        raise ParseError(f"loading failed: {type(exc).__name__}: {exc}") from exc
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
    return prepared


def load_all(paths: Sequence[Path], gazetteer, progress: Progress | None = None) -> list:
    """Load every file first; the first bad file raises (naming it) before any write."""
    from obligraph.loaders import load_document

    docs = []
    for n, path in enumerate(paths, 1):
        try:
            docs.append(load_document(path, gazetteer=gazetteer))
        except ObligraphError as exc:
            if not exc.file:
                exc.file = str(path)
            raise
        except Exception as exc:  # a loader bug must still name the file
            raise ParseError(f"cannot load: {type(exc).__name__}: {exc}", file=str(path)) from exc
        if progress:
            progress("load", n, len(paths), path.name)
    return docs


def build(
    paths: Iterable[str | Path],
    store,
    *,
    gazetteer=None,
    iris: Iris | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
    strict: bool = False,
    corrections: Sequence | None = None,
    statuses: Sequence | None = None,
) -> BuildReport:
    """Load files and folders into ``store``; each document whole or absent.

    Every document is read, turned into triples and checked before the store is
    touched. A file that cannot be loaded is reported in
    :attr:`BuildReport.failed` (file, line, reason) and the others are written;
    when no file can be loaded, :class:`~obligraph.base.errors.InputError` is raised and
    nothing changes. ``strict``: all-or-nothing, the first bad file raises
    (naming it) and nothing changes. The same document twice (a copy of a file,
    or the same number, type, year and issuer) is written once, lists every file
    it came from and is reported in :attr:`BuildReport.duplicates`. Each
    document's named graph is replaced (rebuilding is idempotent), the gazetteer
    is written into ``graph/gazetteer`` and the overlaps are refreshed. ``jobs``:
    processes that load files (default: all cores for 24 files or more).
    ``corrections`` and ``statuses`` (from :mod:`obligraph.graph.corrections` and
    :mod:`obligraph.graph.status`) are applied after the documents are written;
    ``None`` re-applies those the store already holds.
    """
    started = time.perf_counter()
    iris = iris or Iris()
    if gazetteer is None:
        from obligraph.loaders.units import Gazetteer

        gazetteer = Gazetteer.default()
    unreadable: list[tuple[Path, str]] | None = None if strict else []
    files = expand_paths(paths, unreadable)
    loaded = prepare_files(files, gazetteer, iris, progress, jobs=jobs, strict=strict)
    failed = [
        LoadFailure(
            folder.name, str(folder), None, f"cannot read folder: {why}; its files were not loaded"
        )
        for folder, why in unreadable or ()
    ]
    failed += [x for x in loaded if isinstance(x, LoadFailure)]
    prepared = [x for x in loaded if not isinstance(x, LoadFailure)]
    if not prepared:
        first = failed[0]
        raise InputError(
            f"no file could be loaded ({len(failed)} failed; first: {first.reason})",
            file=first.path,
            line=first.line,
        )
    report = write_prepared(
        prepared,
        store,
        gazetteer=gazetteer,
        iris=iris,
        progress=progress,
        started=started,
        corrections=corrections,
        statuses=statuses,
    )
    report.failed = failed
    return report


def apply_people(
    store,
    report: BuildReport | None = None,
    *,
    iris: Iris,
    gazetteer=None,
    corrections: Sequence | None = None,
    statuses: Sequence | None = None,
) -> BuildReport:
    """Apply people's corrections and statuses (``None``: those the store holds)."""
    from obligraph.graph.corrections import apply_corrections, stored_corrections
    from obligraph.graph.status import apply_statuses, stored_statuses

    report = report or BuildReport(store=store.location)
    if corrections is None:
        corrections = stored_corrections(store)
    done = apply_corrections(store, corrections, iris=iris, gazetteer=gazetteer)
    report.corrections_applied = len(done.applied)
    report.corrections_not_applied = [o.as_dict() for o in done.not_applied]
    if statuses is None:
        statuses = stored_statuses(store)
    st = apply_statuses(store, statuses, iris=iris)
    report.statuses_applied = st.applied
    report.statuses_not_applied = st.not_applied
    return report


def refresh_derived(store, iris: Iris, progress: Progress | None = None, succession=None):
    """Recompute what is derived from every document: succession findings, overlaps and
    the counts of ``graph/summary`` (:mod:`obligraph.graph.analysis.summary`); returns
    the counts."""
    from obligraph.graph.analysis.overlap import refresh_overlaps
    from obligraph.graph.analysis.succession import (
        load_events,
        succession_findings,
        succession_graph,
    )
    from obligraph.graph.analysis.summary import refresh_summary

    if succession is None:
        succession = succession_graph(load_events(), iris)
    # who owes it now: the change events, and findings on what the obligations rest on
    succession += succession_findings(store, iris)
    store.replace_graph(iris.special_graph("succession"), succession)
    if progress:
        progress("overlap", 0, 1, "overlaps")
    found = refresh_overlaps(store, iris)
    if progress:
        progress("overlap", 1, 1, "overlaps")
    return refresh_summary(store, iris, found.overlaps)


def write_documents(
    docs: Sequence[rec.Document],
    store,
    *,
    gazetteer=None,
    iris: Iris | None = None,
    progress: Progress | None = None,
    started: float | None = None,
    corrections: Sequence | None = None,
    statuses: Sequence | None = None,
) -> BuildReport:
    """Write loaded documents (and the gazetteer) into ``store``; refresh overlaps."""
    started = time.perf_counter() if started is None else started
    iris = iris or Iris()
    prepared = [prepare_document(doc, iris) for doc in docs]
    return write_prepared(
        prepared,
        store,
        gazetteer=gazetteer,
        iris=iris,
        progress=progress,
        started=started,
        corrections=corrections,
        statuses=statuses,
    )


def write_prepared(
    prepared: Sequence[PreparedDocument],
    store,
    *,
    gazetteer=None,
    iris: Iris | None = None,
    progress: Progress | None = None,
    started: float | None = None,
    corrections: Sequence | None = None,
    statuses: Sequence | None = None,
) -> BuildReport:
    """Write prepared documents (and the gazetteer) into ``store``; refresh overlaps.

    Two files that are the same document (the same bytes, or the same IRI: type,
    number, year and, for local numbers, jurisdiction) are written once, from the
    first; the document lists both files and the report names the duplicate.
    """
    started = time.perf_counter() if started is None else started
    iris = iris or Iris()
    report = BuildReport(store=store.location)
    first: dict[str, PreparedDocument] = {}
    by_bytes: dict[str, PreparedDocument] = {}
    kept: list[PreparedDocument] = []
    units: set[str] = set()
    for prep in prepared:
        same = first.get(prep.doc_iri) or (by_bytes.get(prep.sha256) if prep.sha256 else None)
        if same is not None:
            if prep.source_file != same.source_file:
                same.also_from.append(prep.source_file)
            report.duplicates.append(
                {"file": prep.source_file, "same_as": same.source_file, "document": same.doc_iri}
            )
            continue
        first[prep.doc_iri] = prep
        if prep.sha256:
            by_bytes[prep.sha256] = prep
        kept.append(prep)
        if not prep.official:
            report.unofficial.append(prep.source_file)
        units.update(prep.units)
        report.documents += 1
        report.tasks += prep.tasks
        report.assignments += prep.assignments
        report.indicators += prep.indicators
        report.targets += prep.targets
        report.findings += prep.findings
        report.files.append(prep.source_file)
        if prep.sha256 and prep.path:
            report.sources[prep.sha256] = prep.path
    report.units = len(units)
    # The ontology goes in too: queries on any backend then see the labels of
    # document types, roles and levels.
    write_ontology(store, iris)
    if gazetteer is not None:
        store.replace_graph(iris.special_graph("gazetteer"), gazetteer_graph(gazetteer, iris))
    from obligraph.graph.analysis.succession import load_events, succession_graph

    succession = succession_graph(load_events(), iris)
    written = 0

    def done(graph_iri: URIRef) -> None:
        nonlocal written
        written += 1
        report.graphs.append(str(graph_iri))
        if progress:
            progress("write", written, len(kept), str(graph_iri))

    store.write_graphs(((URIRef(p.graph_iri), p.ntriples()) for p in kept), done)
    apply_people(
        store, report, iris=iris, gazetteer=gazetteer, corrections=corrections, statuses=statuses
    )
    counts = refresh_derived(store, iris, progress, succession).totals
    report.units_known = counts["units"]
    report.units_with_tasks = counts["units with tasks"]
    report.overlaps = counts["overlaps"]
    report.overlapping_pairs = counts["overlapping pairs"]
    report.triples = store.triples_count()
    report.seconds = time.perf_counter() - started
    return report
