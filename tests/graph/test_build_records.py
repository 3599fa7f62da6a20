"""Records -> triples exactly per docs/model.md, on a hand-written Document.

The document below is a small plan written for this test (not corpus output):
Kế hoạch 12/KH-UBND of 2024, based on Decree 56/2017/NĐ-CP, implementing
Decision 23/QĐ-TTg, with one annex task led by Sở Lao động - Thương binh và Xã hội.
"""

from __future__ import annotations

import pytest
from obligraph.graph.build import write_documents
from obligraph.graph.rdf import document_graph
from obligraph.graph.stores import open_store
from obligraph.loaders import records as r
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS, XSD

from obligraph.base.vocab import ELI, OB, ORG, Iris

BASE = "https://w3id.org/obligraph/id/"
FILE = "kh-12-ubnd-2024.txt"


def span(line: int, text: str, section: str = "") -> r.SourceSpan:
    return r.SourceSpan(FILE, line, line, text, section)


def plan(source_file: str = FILE) -> r.Document:
    so = r.UnitRef(
        "Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội", parent="Ủy ban nhân dân tỉnh"
    )
    moi = r.UnitRef("Phòng Mới", "Phòng Mới", known=False)
    generic = r.UnitRef("các đơn vị liên quan", "Các đơn vị liên quan", generic=True)
    task = r.Task(
        "annex-1-a",
        "Tuyên truyền về quyền trẻ em",
        span(40, "a\tTuyên truyền về quyền trẻ em\tSở LĐTBXH", "Phụ lục / 1 / a"),
        heading="Truyền thông",
        parent_id="annex-1",
        assignments=[r.Assignment(so, "lead"), r.Assignment(generic, "support")],
        timeframe=r.TimeFrame("Hằng năm", "annual", [2024, 2025]),
        indicators=["1"],
        programme="23/QĐ-TTg",
    )
    request = r.Task(
        "II-2",
        "Đề nghị Phòng Mới phối hợp",
        span(22, "Đề nghị Phòng Mới phối hợp"),
        assignments=[r.Assignment(moi, "lead", modality="request", span=span(22, "Đề nghị"))],
        modality="request",
    )
    indicator = r.Indicator(
        "1",
        "Tỷ lệ trẻ em được tư vấn",
        span(10, "Chỉ tiêu 1"),
        targets=[r.Target(2025, 12.5, "%", "at_least", "ít nhất 12,5%", span(11, "12,5%"))],
        lead=[so],
    )
    return r.Document(
        source_file=source_file,
        path="/data/" + source_file,
        sha256="ab" * 32,
        line_count=60,
        number="12/KH-UBND",
        doc_type="Kế hoạch",
        date="2024-03-05",
        place="Hà Giang",
        issuer="Ủy ban nhân dân tỉnh",
        signer="Nguyễn Văn A",
        title="Kế hoạch thực hiện Chương trình",
        header_span=span(1, "KẾ HOẠCH"),
        citations=[
            r.Citation(
                r.DocRef("56/2017/NĐ-CP", "Nghị định", "2017-05-09"), "based_on", span(5, "Căn cứ")
            ),
            r.Citation(
                r.DocRef("23/QĐ-TTg", "Quyết định", "2021-01-07"), "implements", span(6, "23")
            ),
        ],
        tasks=[task, request],
        indicators=[indicator],
        deadlines=[
            r.Deadline(
                "trước ngày 10 tháng 6",
                span(50, "trước ngày 10/6"),
                month_day="--06-10",
                recurrence="annual",
                reporter=[so],
            )
        ],
        findings=[
            r.Finding("unknown-unit", "warning", "unit not in gazetteer", span(22, "x"), "II-2")
        ],
        units=[so, moi, generic],
    )


DOC = URIRef(BASE + "doc/kh/12-kh-ubnd/2024")
TASK = URIRef(str(DOC) + "/task/annex-1-a")
SO = URIRef(BASE + "unit/so-lao-dong-thuong-binh-va-xa-hoi")


def test_document_node_and_citations():
    g = document_graph(plan(), Iris())
    assert (DOC, RDF.type, ELI.LegalResource) in g
    assert g.value(DOC, ELI.id_local) == Literal("12/KH-UBND")
    assert g.value(DOC, ELI.type_document) == OB.KeHoach
    assert g.value(DOC, ELI.date_document) == Literal("2024-03-05", datatype=XSD.date)
    assert g.value(DOC, OB.loaded) == Literal(True)
    assert g.value(DOC, OB.sourceFile) == Literal(FILE)
    nd = URIRef(BASE + "doc/nd/56-2017-nd-cp/2017")
    qd = URIRef(BASE + "doc/qd/23-qd-ttg/2021")
    assert (DOC, ELI.based_on, nd) in g and (DOC, OB.implements, qd) in g
    # cited but not loaded: a node, with no ob:loaded; the implemented one is a programme
    assert g.value(nd, ELI.id_local) == Literal("56/2017/NĐ-CP")
    assert g.value(nd, OB.loaded) is None
    assert (qd, RDF.type, OB.Programme) in g
    cit = URIRef(str(DOC) + "/citation/1")
    assert g.value(cit, OB.cited) == nd and g.value(cit, OB.relation) == Literal("based_on")
    src = g.value(cit, OB.source)
    assert g.value(src, OB.lineStart) == Literal(5)


def test_tasks_assignments_units_and_spans():
    g = document_graph(plan(), Iris())
    assert g.value(TASK, OB.inDocument) == DOC
    assert g.value(TASK, OB.text) == Literal("Tuyên truyền về quyền trẻ em", lang="vi")
    assert g.value(TASK, OB.lead) == SO
    assert g.value(TASK, OB.parentTask) == URIRef(str(DOC) + "/task/annex-1")
    assert g.value(TASK, OB.programme) == URIRef(BASE + "doc/qd/23-qd-ttg/2021")
    assert g.value(TASK, OB.recurrence) == OB.Annual
    assert set(g.objects(TASK, OB.year)) == {
        Literal("2024", datatype=XSD.gYear),
        Literal("2025", datatype=XSD.gYear),
    }
    assert g.value(TASK, OB.servesIndicator) == URIRef(str(DOC) + "/indicator/1")
    lead = URIRef(str(TASK) + "/lead/so-lao-dong-thuong-binh-va-xa-hoi")
    assert g.value(lead, OB.role) == OB.LeadRole and g.value(lead, OB.unit) == SO
    assert g.value(lead, OB.modality) == OB.Obligation
    span_iri = g.value(TASK, OB.source)
    assert span_iri == URIRef(str(DOC) + "/source/L40-phu-luc-1-a")
    assert g.value(span_iri, PROV.wasDerivedFrom) == DOC
    assert g.value(span_iri, OB.quote).startswith("a\tTuyên")
    # units: canonical label, the mention kept, parent, flags
    assert g.value(SO, SKOS.prefLabel) == Literal("Sở Lao động - Thương binh và Xã hội", lang="vi")
    assert Literal("Sở LĐTBXH", lang="vi") in set(g.objects(SO, SKOS.altLabel))
    assert g.value(SO, ORG.subOrganizationOf) == URIRef(BASE + "unit/uy-ban-nhan-dan-tinh")
    assert (URIRef(BASE + "unit/phong-moi"), RDF.type, OB.UnknownUnit) in g
    assert (URIRef(BASE + "unit/cac-don-vi-lien-quan"), RDF.type, OB.GenericUnit) in g
    # a request stays a request
    req = URIRef(str(DOC) + "/task/ii-2")
    assert g.value(req, OB.modality) == OB.Request
    assert g.value(URIRef(str(req) + "/lead/phong-moi"), OB.modality) == OB.Request


def test_indicators_targets_deadlines_findings():
    g = document_graph(plan(), Iris())
    ind = URIRef(str(DOC) + "/indicator/1")
    tgt = URIRef(str(ind) + "/target/2025")
    assert g.value(ind, OB.hasTarget) == tgt and g.value(ind, OB.lead) == SO
    assert g.value(tgt, OB.value).toPython() == pytest.approx(12.5)
    assert g.value(tgt, OB.value).datatype == XSD.decimal
    assert g.value(tgt, OB.comparator) == OB.AtLeast
    assert g.value(tgt, OB.year) == Literal("2025", datatype=XSD.gYear)
    dl = URIRef(str(DOC) + "/deadline/1")
    assert g.value(dl, OB.dueMonthDay) == Literal("--06-10", datatype=XSD.gMonthDay)
    assert g.value(dl, OB.reporter) == SO
    fd = URIRef(str(DOC) + "/finding/1")
    assert g.value(fd, OB.severity) == OB.Warning
    assert g.value(fd, OB.about) == URIRef(str(DOC) + "/task/ii-2")


def test_write_is_idempotent_and_duplicates_are_written_once():
    store = open_store(memory=True)
    report = write_documents([plan()], store)
    first = set(store.quads())
    assert report.documents == 1 and report.tasks == 2 and report.assignments == 3
    assert report.indicators == 1 and report.targets == 1 and report.findings == 1
    assert report.units == 4  # three units met + the issuer
    assert report.triples == len(first)
    write_documents([plan()], store)
    assert set(store.quads()) == first
    # the same document from two files: written once, both files listed, reported
    report = write_documents([plan(), plan("copy-of-plan.txt")], store)
    assert report.documents == 1
    assert report.duplicates == [
        {"file": "copy-of-plan.txt", "same_as": "kh-12-ubnd-2024.txt", "document": str(DOC)}
    ]
    files = {str(o) for s, p, o, g in store.quads() if s == DOC and p == OB.sourceFile}
    copies = {str(o) for s, p, o, g in store.quads() if s == DOC and p == OB.duplicateFile}
    assert files == {"kh-12-ubnd-2024.txt"} and copies == {"copy-of-plan.txt"}
    assert {q[:3] for q in set(store.quads()) - first} == {
        (DOC, OB.duplicateFile, Literal("copy-of-plan.txt"))
    }
