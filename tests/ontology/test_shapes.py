"""SHACL shapes on small hand-made graphs (one fault at a time) and on the real corpus.

The hand-made graph is a one-task plan written for this test; each test breaks
exactly one rule and checks the result: which shape, severity, both messages,
and the source line the auditor can open.
"""

from __future__ import annotations

import pytest
from obligraph.ontology import shapes_graph, validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from obligraph.base.vocab import ELI, OB

VALID = """
@prefix ob:  <https://w3id.org/obligraph/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix d:   <https://example.org/id/doc/kh/7-kh-ubnd/2024/> .
@prefix u:   <https://example.org/id/unit/> .

<https://example.org/id/doc/kh/7-kh-ubnd/2024> a eli:LegalResource ;
    eli:id_local "7/KH-UBND" ; eli:type_document ob:KeHoach ;
    eli:date_document "2024-02-01"^^xsd:date ;
    eli:based_on <https://example.org/id/doc/luat/luat-tre-em/2016> ;
    ob:sourceFile "kh-7.txt" ; ob:loaded true .
<https://example.org/id/doc/luat/luat-tre-em/2016> a eli:LegalResource .
u:so-y-te a org:Organization .
u:so-giao-duc a org:Organization .

d:task\\/annex-1 a ob:Task ; ob:inDocument <https://example.org/id/doc/kh/7-kh-ubnd/2024> ;
    ob:text "Khám sàng lọc cho trẻ em"@vi ; ob:lead u:so-y-te ; ob:support u:so-giao-duc ;
    ob:source d:source\\/L40 .
d:task\\/annex-1\\/lead\\/so-y-te a ob:Assignment ; ob:task d:task\\/annex-1 ; ob:unit u:so-y-te ;
    ob:role ob:LeadRole ; ob:modality ob:Obligation ; ob:source d:source\\/L40 .
d:indicator\\/1 a ob:Indicator ; ob:measure "Tỷ lệ trẻ em được khám"@vi ;
    ob:hasTarget d:indicator\\/1\\/target\\/2025 ; ob:source d:source\\/L12 .
d:indicator\\/1\\/target\\/2025 a ob:Target ; ob:year "2025"^^xsd:gYear ; ob:value 90.0 ;
    ob:source d:source\\/L13 .
d:citation\\/1 a ob:Citation ; ob:citing <https://example.org/id/doc/kh/7-kh-ubnd/2024> ;
    ob:cited <https://example.org/id/doc/luat/luat-tre-em/2016> ; ob:relation "based_on" ;
    ob:source d:source\\/L5 .
d:finding\\/1 a ob:Finding ; ob:code "unknown-unit" ; ob:severity ob:Warning ;
    ob:source d:source\\/L40 .
d:source\\/L5 a ob:SourceSpan ; ob:sourceFile "kh-7.txt" ; ob:lineStart 5 ; ob:lineEnd 5 ;
    ob:quote "Căn cứ Luật Trẻ em" .
d:source\\/L12 a ob:SourceSpan ; ob:sourceFile "kh-7.txt" ; ob:lineStart 12 ; ob:lineEnd 12 ;
    ob:quote "Chỉ tiêu 1" .
d:source\\/L13 a ob:SourceSpan ; ob:sourceFile "kh-7.txt" ; ob:lineStart 13 ; ob:lineEnd 13 ;
    ob:quote "đạt 90%" .
d:source\\/L40 a ob:SourceSpan ; ob:sourceFile "kh-7.txt" ; ob:lineStart 40 ; ob:lineEnd 40 ;
    ob:quote "1\\tKhám sàng lọc cho trẻ em\\tSở Y tế\\tSở Giáo dục" .
"""

DOC = URIRef("https://example.org/id/doc/kh/7-kh-ubnd/2024")
D = "https://example.org/id/doc/kh/7-kh-ubnd/2024/"
TASK = URIRef(D + "task/annex-1")
ASSIGNMENT = URIRef(D + "task/annex-1/lead/so-y-te")
INDICATOR = URIRef(D + "indicator/1")
TARGET = URIRef(D + "indicator/1/target/2025")
CITATION = URIRef(D + "citation/1")
FINDING = URIRef(D + "finding/1")
SPAN40 = URIRef(D + "source/L40")


def graph() -> Graph:
    return Graph().parse(data=VALID, format="turtle")


def only(report, shape: str):
    hits = [r for r in report.results if r.shape_label == shape]
    assert len(hits) == 1, [(r.shape_label, r.focus, r.message) for r in report.results]
    return hits[0]


def test_the_valid_graph_conforms():
    report = validate(graph())
    assert report.conforms, [(r.shape_label, r.focus, r.message) for r in report.results]
    assert report.results == []


def test_shapes_parse_and_have_bilingual_messages():
    shapes = shapes_graph()
    sh = "http://www.w3.org/ns/shacl#"
    for node in shapes.subjects(URIRef(sh + "path"), None):
        langs = {m.language for m in shapes.objects(node, URIRef(sh + "message"))}
        assert langs == {"vi", "en"}, node


def test_task_without_lead_is_a_warning_with_its_line():
    g = graph()
    g.remove((TASK, OB.lead, None))
    report = validate(g)
    result = only(report, "TaskHasLead")
    assert result.severity == "warning"
    assert result.focus == str(TASK) and result.path == "ob:lead"
    assert result.message.startswith("Task has no lead unit")
    assert result.message_vi == "Nhiệm vụ không có đơn vị chủ trì."
    assert (result.source_file, result.line) == ("kh-7.txt", 40)
    assert report.count("violation") == 0 and report.conforms is False


def test_co_led_task_is_a_warning():
    g = graph()
    g.add((TASK, OB.lead, URIRef("https://example.org/id/unit/so-giao-duc")))
    result = only(validate(g), "TaskSingleLead")
    assert result.severity == "warning"
    assert "co-lead" in result.message and "cùng chủ trì" in result.message_vi
    assert result.line == 40


@pytest.mark.parametrize(
    ("prop", "severity", "words"),
    [
        (ELI.id_local, "warning", "no number"),
        (ELI.type_document, "violation", "no document type"),
        (ELI.date_document, "warning", "no issue date"),
        (OB.sourceFile, "violation", "source file"),
    ],
)
def test_loaded_document_needs_number_type_and_date(prop, severity, words):
    g = graph()
    g.remove((DOC, prop, None))
    report = validate(g)
    assert len(report.results) == 1
    result = report.results[0]
    assert result.focus == str(DOC) and result.severity == severity
    assert words in result.message


def test_cited_document_that_is_not_loaded_needs_nothing():
    """Luật Trẻ em is cited, not loaded: no number, date or file, and that is fine."""
    g = graph()
    cited = URIRef("https://example.org/id/doc/luat/luat-tre-em/2016")
    assert set(g.predicates(cited)) == {RDF.type}
    assert validate(g).conforms


def test_document_date_must_be_an_xsd_date():
    g = graph()
    g.set((DOC, ELI.date_document, Literal("01/02/2024")))
    result = validate(g).results[0]
    assert result.focus == str(DOC) and result.value == "01/02/2024"


def test_target_without_value_is_a_warning():
    g = graph()
    g.remove((TARGET, OB.value, None))
    report = validate(g)
    assert [(r.focus, r.path, r.severity) for r in report.results] == [
        (str(TARGET), "ob:value", "warning")
    ]
    result = report.results[0]
    assert "no numeric value" in result.message and "giá trị số" in result.message_vi
    assert (result.source_file, result.line) == ("kh-7.txt", 13)


def test_target_without_year_is_a_violation():
    g = graph()
    g.remove((TARGET, OB.year, None))
    report = validate(g)
    assert [(r.path, r.severity) for r in report.results] == [("ob:year", "violation")]
    assert "no year" in report.results[0].message


def test_target_year_must_be_a_gyear():
    g = graph()
    g.set((TARGET, OB.year, Literal(2025)))
    report = validate(g)
    assert [r.path for r in report.results] == ["ob:year"]


@pytest.mark.parametrize(
    ("node", "severity"),
    [
        (TASK, "violation"),
        (ASSIGNMENT, "violation"),
        (INDICATOR, "violation"),
        (TARGET, "violation"),
        (CITATION, "violation"),
        (FINDING, "warning"),  # a finding about a whole document may have no line
    ],
)
def test_every_fact_needs_a_source(node, severity):
    g = graph()
    g.remove((node, OB.source, None))
    report = validate(g)
    hits = [r for r in report.results if r.path == "ob:source"]
    assert [(r.focus, r.severity) for r in hits] == [(str(node), severity)]
    assert "source span" in hits[0].message and "đoạn nguồn" in hits[0].message_vi


def test_source_span_without_quote_fails_for_its_facts_and_itself():
    g = graph()
    g.remove((SPAN40, OB.quote, None))
    report = validate(g)
    focuses = {r.focus for r in report.results}
    assert {str(TASK), str(ASSIGNMENT), str(FINDING), str(SPAN40)} <= focuses
    own = [r for r in report.results if r.focus == str(SPAN40)]
    assert own[0].path == "ob:quote" and own[0].line == 40


def test_source_span_that_ends_before_it_starts():
    g = graph()
    g.set((SPAN40, OB.lineEnd, Literal(39)))
    report = validate(g)
    own = [r for r in report.results if r.focus == str(SPAN40)]
    assert any("ends before it starts" in r.message for r in own)


def test_assignment_role_and_modality_come_from_the_ontology():
    g = graph()
    g.set((ASSIGNMENT, OB.role, OB.Obligation))
    report = validate(g)
    assert [r.path for r in report.results if r.focus == str(ASSIGNMENT)] == ["ob:role"]


def test_citation_relation_is_one_of_three():
    g = graph()
    g.set((CITATION, OB.relation, Literal("mentions")))
    report = validate(g)
    assert [(r.path, r.value) for r in report.results] == [("ob:relation", "mentions")]


def test_a_dataset_is_validated_as_the_union_of_its_graphs():
    from rdflib import Dataset

    ds = Dataset()
    whole = graph()
    doc_graph = ds.graph(URIRef("https://example.org/id/graph/kh/7-kh-ubnd/2024"))
    units = ds.graph(URIRef("https://example.org/id/graph/gazetteer"))
    for s, p, o in whole:
        (units if p == RDF.type and "unit/" in str(s) else doc_graph).add((s, p, o))
    assert validate(ds).conforms


# --------------------------------------------------------------------------- real corpus


@pytest.fixture(scope="module")
def corpus_report(corpus_store):
    from rdflib import Dataset

    ds = Dataset()
    for graph_iri in corpus_store.graphs():
        ctx = ds.graph(graph_iri)
        for triple in corpus_store.graph_triples(graph_iri):
            ctx.add(triple)
    return validate(ds)


def test_corpus_provenance_is_complete(corpus_report):
    """Every task, assignment, indicator, target and citation of the five documents
    has a source span with file, lines and quote: no violation about sources."""
    bad = [r for r in corpus_report.results if r.path == "ob:source" and r.severity == "violation"]
    assert bad == []
    assert corpus_report.violations == [], [
        (r.shape_label, r.focus, r.message) for r in corpus_report.violations[:5]
    ]


def test_corpus_letter_without_header_is_flagged(corpus_report):
    """The guidance letter reached us without its header (corpus README): no number,
    no date. The four decisions have both."""
    headless = {
        r.shape_label or r.path
        for r in corpus_report.results
        if r.source_file.startswith("cv-ldtbxh-2020")
        and r.path.startswith("eli:") is False
        and r.focus.endswith("cv-ldtbxh-2020-huong-dan-cong-tac-tre-em-txt")
    }
    flagged = [
        r
        for r in corpus_report.results
        if r.focus.endswith("cv-ldtbxh-2020-huong-dan-cong-tac-tre-em-txt")
    ]
    messages = " ".join(r.message for r in flagged)
    assert "no number" in messages and "no issue date" in messages, headless
    for number in (
        "704-qd-ldtbxh",
        "406-qd-ldtbxh",
        "923-qd-ldtbxh",
        "4063-qd-ubnd-thanh-pho-ho-chi-minh",
    ):
        assert not [
            r
            for r in corpus_report.results
            if f"/doc/qd/{number}/" in r.focus + "/"
            and r.path in ("", "eli:id_local", "eli:date_document")
        ]
