"""The ontology: loads, declares every term it is asked to, stays isomorphic in RDF/XML.

The hand-written plan below (Kế hoạch 15/KH-SYT of 2023 of a provincial health
department, written for this test) exercises every kind of record the builder
turns into triples, so the test sees every ``ob:`` term the builder can emit.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from obligraph.graph.rdf import document_graph, gazetteer_graph
from obligraph.loaders import records as r
from obligraph.ontology import (
    ONTOLOGY_IRI,
    ontology_graph,
    ontology_path,
    owl_path,
    version_iri,
)
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from obligraph.base.textkeys import fold
from obligraph.base.vocab import DOC_TYPES, OB, Iris

ROOT = Path(__file__).resolve().parents[2]
DECLARATIONS = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology_graph()


def declared(g: Graph, term: URIRef) -> bool:
    """A class or property declaration, or an individual of a class the ontology declares."""
    for kind in g.objects(term, RDF.type):
        if kind in DECLARATIONS or (kind, RDF.type, OWL.Class) in g:
            return True
    return False


def labelled(g: Graph, term: URIRef) -> list[str]:
    """What is missing among rdfs:label and skos:definition in @vi and @en."""
    missing = []
    for prop in (RDFS.label, SKOS.definition):
        langs = {o.language for o in g.objects(term, prop) if isinstance(o, Literal)}
        missing += [
            f"{prop.n3(g.namespace_manager)}@{lang}" for lang in ("vi", "en") if lang not in langs
        ]
    return missing


def ob_terms(graph: Graph) -> set[URIRef]:
    terms = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(str(OB)):
                terms.add(term)
    return terms


def kitchen_sink_plan() -> r.Document:
    file = "kh-15-syt-2023.txt"

    def span(line: int, text: str, section: str = "") -> r.SourceSpan:
        return r.SourceSpan(file, line, line, text, section)

    so_yte = r.UnitRef(
        "Sở Y tế", "Sở Y tế", parent="Ủy ban nhân dân tỉnh", level="provincial_department"
    )
    benh_vien = r.UnitRef("Bệnh viện Nhi", "Bệnh viện Nhi tỉnh", known=False)
    front = r.UnitRef("Ủy ban MTTQ tỉnh", "Ủy ban Mặt trận Tổ quốc tỉnh", level="central")
    generic = r.UnitRef("các địa phương", "Các địa phương", generic=True)
    task = r.Task(
        "annex-3-b",
        "Tổ chức khám sàng lọc cho trẻ em dưới 6 tuổi",
        r.SourceSpan(file, 70, 71, "b\tTổ chức khám sàng lọc\tSở Y tế", "Phụ lục / 3 / b"),
        heading="Chăm sóc sức khỏe",
        parent_id="annex-3",
        assignments=[
            r.Assignment(so_yte, "lead", span=span(70, "Sở Y tế")),
            r.Assignment(benh_vien, "support"),
            r.Assignment(generic, "support"),
        ],
        timeframe=r.TimeFrame("Quý IV/2023", "once", [2023], "2023-12-31"),
        indicators=["2"],
        national_indicators=["5"],
        programme="23/QĐ-TTg",
        output="Báo cáo kết quả khám",
    )
    request = r.Task(
        "IV-2",
        "Đề nghị Ủy ban MTTQ tỉnh giám sát việc thực hiện",
        span(90, "Đề nghị Ủy ban MTTQ tỉnh giám sát"),
        assignments=[r.Assignment(front, "lead", modality="request")],
        modality="request",
        timeframe=r.TimeFrame("Hằng quý", "quarterly", [], None),
    )
    indicator = r.Indicator(
        "2",
        "Tỷ lệ trẻ em dưới 6 tuổi được khám sàng lọc",
        span(20, "Chỉ tiêu 2"),
        targets=[
            r.Target(2025, 90.0, "%", "at_least", "ít nhất 90%", span(21, "90%")),
            r.Target(2030, 5.0, "per 1,000 live births", "at_most", "dưới 5‰"),
        ],
        lead=[so_yte],
        programme="23/QĐ-TTg",
        adapts=r.DocRef("23/QĐ-TTg", "Quyết định", "2021-01-07"),
        adapts_indicator="5",
    )
    return r.Document(
        source_file=file,
        path="/data/" + file,
        sha256="cd" * 32,
        line_count=120,
        number="15/KH-SYT",
        doc_type="Kế hoạch",
        date="2023-02-14",
        place="Lào Cai",
        issuer="Sở Y tế",
        signer="Trần Thị B",
        signer_title="GIÁM ĐỐC",
        title="Kế hoạch chăm sóc sức khỏe trẻ em năm 2023",
        header_span=span(1, "KẾ HOẠCH"),
        citations=[
            r.Citation(
                r.DocRef("", "Luật", "2016-04-05", title="Luật Trẻ em"),
                "based_on",
                span(5, "Luật Trẻ em"),
            ),
            r.Citation(
                r.DocRef("23/QĐ-TTg", "Quyết định", "2021-01-07"),
                "implements",
                span(6, "23/QĐ-TTg"),
            ),
            r.Citation(
                r.DocRef("1438/QĐ-TTg", "Quyết định", "2018-10-29"), "cites", span(7, "1438")
            ),
        ],
        tasks=[task, request],
        indicators=[indicator],
        deadlines=[
            r.Deadline(
                "trước ngày 15/12/2023",
                span(100, "trước ngày 15/12/2023"),
                date="2023-12-15",
                recurrence="once",
                year=2023,
                reporter=[so_yte],
                report_to=[r.UnitRef("UBND tỉnh", "Ủy ban nhân dân tỉnh", level="province")],
                subject="báo cáo kết quả",
            ),
            r.Deadline(
                "trước ngày 10 tháng 6", span(101, "10/6"), month_day="--06-10", recurrence="annual"
            ),
        ],
        findings=[
            r.Finding(
                "unknown-unit",
                "warning",
                "Bệnh viện Nhi tỉnh is not in the gazetteer",
                span(70, "x"),
                "annex-3-b",
            ),
            r.Finding("missing-annex", "error", "the annex the body refers to is missing"),
            r.Finding("number-mismatch", "info", "two numbers", span(20, "2"), "2"),
        ],
        units=[so_yte, benh_vien, front, generic],
    )


# --------------------------------------------------------------------------- loading


def test_loads_in_rdflib_with_header_and_version_iri(onto):
    assert ontology_path().is_file()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    version = version_iri()
    assert re.fullmatch(r"https://w3id\.org/obligraph/ontology/\d+\.\d+\.\d+", str(version))
    info = onto.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert str(version).endswith("/" + str(info))
    titles = {
        t.language for t in onto.objects(ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/title"))
    }
    assert titles == {"vi", "en"}


def test_every_ob_term_in_the_ontology_is_declared_and_bilingual(onto):
    problems = {}
    for term in ob_terms(onto):
        missing = [] if declared(onto, term) else ["declaration"]
        missing += labelled(onto, term)
        if missing:
            problems[str(term)] = missing
    assert problems == {}


def test_every_ob_term_of_the_graph_model_doc_is_declared(onto):
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    names = set(re.findall(r"\bob:([A-Za-z][A-Za-z0-9]*)", text))
    assert {"Task", "Assignment", "lead", "SourceSpan", "Overlap"} <= names
    undeclared = sorted(n for n in names if not declared(onto, OB[n]) or labelled(onto, OB[n]))
    assert undeclared == []


def test_every_ob_term_the_builder_emits_is_declared(onto, gazetteer):
    data = document_graph(kitchen_sink_plan(), Iris())
    data += gazetteer_graph(gazetteer, Iris())
    used = ob_terms(data)
    # the plan reaches every part of the model
    for term in (
        OB.Deadline,
        OB.Finding,
        OB.Citation,
        OB.Target,
        OB.Request,
        OB.adapts,
        OB.dueMonthDay,
        OB.GenericUnit,
        OB.UnknownUnit,
        OB.level,
        OB.Quarterly,
    ):
        assert term in used, term
    undeclared = sorted(str(t) for t in used if not declared(onto, t) or labelled(onto, t))
    assert undeclared == []


def test_document_types_match_the_vocabulary(onto):
    scheme = OB.DocumentTypes
    assert (scheme, RDF.type, SKOS.ConceptScheme) in onto
    for key, (code, local, english) in DOC_TYPES.items():
        concept = OB[local]
        assert (concept, SKOS.inScheme, scheme) in onto, local
        assert str(onto.value(concept, SKOS.notation)) == code
        vi = [o for o in onto.objects(concept, RDFS.label) if o.language == "vi"]
        en = [o for o in onto.objects(concept, RDFS.label) if o.language == "en"]
        assert fold(str(vi[0])) == key
        assert str(en[0]) == english
    assert (OB.VanBan, SKOS.inScheme, scheme) in onto  # the unknown type


def test_labels_are_nfc_with_diacritics(onto):
    for _s, _p, o in onto.triples((None, RDFS.label, None)):
        assert unicodedata.normalize("NFC", str(o)) == str(o)
    assert Literal("Đơn vị chủ trì", lang="vi") in set(onto.objects(OB.LeadUnit, RDFS.label))


def test_reasoning_axioms(onto):
    assert (OB.derivesFrom, RDF.type, OWL.TransitiveProperty) in onto
    assert (
        URIRef("http://data.europa.eu/eli/ontology#based_on"),
        RDFS.subPropertyOf,
        OB.derivesFrom,
    ) in onto
    # eli:based_on itself is not made transitive
    assert (
        URIRef("http://data.europa.eu/eli/ontology#based_on"),
        RDF.type,
        OWL.TransitiveProperty,
    ) not in onto
    assert onto.value(OB.accountableFor, OWL.propertyChainAxiom) is not None
    assert onto.value(OB.LeadUnit, OWL.equivalentClass) is not None


# --------------------------------------------------------------------------- RDF/XML


def test_rdfxml_regenerated_is_isomorphic_with_turtle(tmp_path, onto):
    out = tmp_path / "obligraph.owl"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "ontology_rdfxml.py"), "-o", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "triples" in done.stdout
    assert isomorphic(onto, Graph().parse(out, format="xml"))


def test_committed_rdfxml_is_isomorphic_with_turtle(onto):
    assert isomorphic(onto, Graph().parse(owl_path(), format="xml"))


def test_check_mode_detects_a_stale_rendition(tmp_path):
    stale = tmp_path / "stale.owl"
    Graph().parse(data="<urn:a> <urn:b> <urn:c> .", format="nt").serialize(stale, format="xml")
    script = str(ROOT / "scripts" / "ontology_rdfxml.py")
    bad = subprocess.run(
        [sys.executable, script, "--check", "-o", str(stale)], capture_output=True, text=True
    )
    assert bad.returncode == 1 and "out of date" in bad.stderr
    good = subprocess.run([sys.executable, script, "--check"], capture_output=True, text=True)
    assert good.returncode == 0


def test_owlready2_loads_the_rdfxml():
    import owlready2

    world = owlready2.World()
    try:
        onto = world.get_ontology(owl_path().as_uri()).load()
        assert onto.base_iri == str(OB)
        ob = world.get_namespace(str(OB))
        assert ob.Task is not None and ob.Assignment is not None
        assert ob.Programme in ob.Programme.descendants()
        assert owlready2.TransitiveProperty in ob.derivesFrom.is_a
        chain = ob.owes.property_chain[0]
        assert [p.name for p in chain.properties] == ["holdsAssignment", "asObligation", "task"]
        assert "min(2" in str(ob.MultiProgrammeUnit.equivalent_to[0]).replace(" ", "")
        assert "Đơn vị chủ trì" in [str(x) for x in ob.LeadUnit.label]
    finally:
        world.close()
