"""OWL reasoning (owlready2 + HermiT) into the ``inferred`` named graph.

The tests marked ``java`` run the real reasoner. The store is the bundled corpus
plus one fact the corpus does not hold: 23/QĐ-TTg itself is not among the five
documents, so its own Căn cứ is unknown; the decision rests on Luật Trẻ em 2016
(its preamble), and a one-triple graph says so, as loading it would. With it,
704 (which implements 23/QĐ-TTg) reaches the law only through the decision: the
transitive closure, not a copy of 704's own Căn cứ.
"""

from __future__ import annotations

import json

import pytest
from obligraph.graph.analysis.reason import (
    OUTPUT_CLASSES,
    OUTPUT_PROPERTIES,
    explain_inconsistency,
    java_executable,
    reason,
    reason_graph,
)
from obligraph.graph.stores import open_store
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

from obligraph.base.errors import ReasonerError
from obligraph.base.vocab import ELI, OB, ORG, Iris
from obligraph.cli import app

IRIS = Iris()
UNIT = "https://w3id.org/obligraph/id/unit/"
DOC = "https://w3id.org/obligraph/id/doc/"
CTE = URIRef(UNIT + "cuc-tre-em")
MINISTRY = URIRef(UNIT + "bo-lao-dong-thuong-binh-va-xa-hoi")
INSPECTORATE = URIRef(UNIT + "thanh-tra-bo-lao-dong-thuong-binh-va-xa-hoi")
HCMC = URIRef(UNIT + "uy-ban-nhan-dan-thanh-pho-ho-chi-minh")
SO_Y_TE = URIRef(UNIT + "so-y-te-thanh-pho-ho-chi-minh")
P704 = URIRef(DOC + "qd/704-qd-ldtbxh/2021")
P406 = URIRef(DOC + "qd/406-qd-ldtbxh/2020")
P4063 = URIRef(DOC + "qd/4063-qd-ubnd-thanh-pho-ho-chi-minh/2022")
QD23 = URIRef(DOC + "qd/23-qd-ttg/2021")
QD1863 = URIRef(DOC + "qd/1863-qd-ttg/2019")
ND14 = URIRef(DOC + "nd/14-2017-nd-cp/2017")
LAW = URIRef(DOC + "luat/luat-tre-em/2016")
INFERRED = IRIS.special_graph("inferred")
EXTRA = URIRef("urn:test:23-qd-ttg-can-cu")

java = pytest.mark.java


def _inferred(store) -> Graph:
    graph = Graph()
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}").rows
    for s, p, o in rows:
        graph.add((s, p, o))
    return graph


@pytest.fixture(scope="module")
def reasoned(tmp_path_factory, corpus_docs, gazetteer):
    """A disk store of the corpus (+ 23/QĐ-TTg's Căn cứ), reasoned once by the CLI."""
    from obligraph.graph.build import write_documents

    path = tmp_path_factory.mktemp("reason-store") / "store"
    store = open_store(path)
    write_documents(corpus_docs, store, gazetteer=gazetteer)
    store.replace_graph(EXTRA, [(QD23, ELI.based_on, LAW)])
    store.close()
    result = CliRunner().invoke(app, ["reason", "--store", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    store = open_store(path, read_only=True)
    try:
        graph = _inferred(store)
    finally:
        store.close()
    return {"path": path, "report": report, "graph": graph}


# -- what is inferred -------------------------------------------------------------------------


@java
def test_report_counts_every_kind_and_matches_the_graph(reasoned):
    report, graph = reasoned["report"], reasoned["graph"]
    assert report["graph"] == str(INFERRED)
    assert report["inferred_triples"] == len(graph) > 1000
    assert set(report["counts"]) == {
        "ob:derivesFrom",
        "ob:owes",
        "ob:accountableFor",
        "ob:worksUnder",
        "ob:servesProgramme",
        "org:transitiveSubOrganizationOf",
        "ob:LeadUnit",
        "ob:MultiProgrammeUnit",
        "ob:Programme",
        "ob:LeadAssignment",
        "ob:SupportAssignment",
        "ob:ObligationAssignment",
        "ob:RequestAssignment",
    }
    assert report["counts"]["ob:derivesFrom"] == len(
        list(graph.triples((None, OB.derivesFrom, None)))
    )
    # only the whitelisted properties and classes are written
    for _s, p, o in graph:
        assert p in OUTPUT_PROPERTIES or (p == RDF.type and o in OUTPUT_CLASSES)
    # measured on this machine class: well under a minute for the corpus (two HermiT passes)
    # the report times its parts (how long is the benchmark's business, not a test's)
    assert 0 < report["reasoner_seconds"] <= report["seconds"]


@java
def test_legal_basis_closure(reasoned):
    graph = reasoned["graph"]
    bases = set(graph.objects(P704, OB.derivesFrom))
    # 704's own Căn cứ (lines 14-20): 23/QĐ-TTg and 14/2017/NĐ-CP; through 23/QĐ-TTg: the law
    assert {QD23, ND14, LAW} <= bases
    # 704 is not itself based on the law: the reasoner walked the chain
    assert LAW not in {URIRef(str(o)) for o in reasoned_asserted_bases(reasoned, P704)}
    # 4063 rests on the law directly (line 22: "Căn cứ Luật Trẻ em ngày 05 tháng 4 năm 2016")
    assert LAW in set(graph.objects(P4063, OB.derivesFrom))
    assert QD1863 in set(graph.objects(P406, OB.derivesFrom))
    # no document derives from itself
    assert not any(s == o for s, o in graph.subject_objects(OB.derivesFrom))


def reasoned_asserted_bases(reasoned, doc):
    store = open_store(reasoned["path"], read_only=True)
    try:
        rows = store.query(
            "SELECT ?b WHERE { GRAPH ?g { ?d <http://data.europa.eu/eli/ontology#based_on> ?b } }",
            bindings={"d": doc},
        ).rows
    finally:
        store.close()
    return [b for (b,) in rows]


@java
def test_accountability_rolls_up_to_the_ministry(reasoned):
    graph = reasoned["graph"]
    owed_by_cte = set(graph.objects(CTE, OB.owes))
    assert len(owed_by_cte) >= 35  # it leads or supports nearly every row of 406 and 704
    ministry = set(graph.objects(MINISTRY, OB.accountableFor))
    assert owed_by_cte <= ministry
    assert set(graph.objects(INSPECTORATE, OB.owes)) <= ministry
    # a department's task is not the ministry's own obligation, only its accountability
    assert not owed_by_cte & set(graph.objects(MINISTRY, OB.owes))
    assert (CTE, ORG.transitiveSubOrganizationOf, MINISTRY) in graph
    # the city answers for its departments; the ministry does not answer for them
    so_y_te = set(graph.objects(SO_Y_TE, OB.owes))
    assert so_y_te and so_y_te <= set(graph.objects(HCMC, OB.accountableFor))
    assert not so_y_te & ministry


@java
def test_requests_are_not_owed(reasoned):
    graph = reasoned["graph"]
    requests = set(graph.subjects(RDF.type, OB.RequestAssignment))
    assert requests  # 4063's "Đề nghị Tòa án nhân dân, Viện kiểm sát ..." and others
    store = open_store(reasoned["path"], read_only=True)
    try:
        pairs = store.query(
            "PREFIX ob: <https://w3id.org/obligraph/ontology#> "
            "SELECT ?a ?u ?t WHERE { GRAPH ?g { ?a ob:unit ?u ; ob:task ?t } }"
        ).rows
    finally:
        store.close()
    by_assignment = {a: (u, t) for a, u, t in pairs}
    bound = {by_assignment[a] for a in graph.subjects(RDF.type, OB.ObligationAssignment)}
    requested = {by_assignment[a] for a in requests} - bound
    assert requested
    for unit, task in requested:
        assert (unit, OB.owes, task) not in graph


@java
def test_inferred_classes(reasoned):
    graph = reasoned["graph"]
    leads = set(graph.subjects(RDF.type, OB.LeadUnit))
    assert {CTE, INSPECTORATE, SO_Y_TE} <= leads
    multi = set(graph.subjects(RDF.type, OB.MultiProgrammeUnit))
    # Cục Trẻ em owes work under 1863/QĐ-TTg (406) and 23/QĐ-TTg (704)
    assert {QD1863, QD23} <= set(graph.objects(CTE, OB.worksUnder))
    assert CTE in multi
    # the class is exactly "works under two programmes or more"
    works = {u for u in graph.subjects(OB.worksUnder, None)}
    for unit in works:
        n = len(set(graph.objects(unit, OB.worksUnder)))
        assert (unit in multi) == (n >= 2), (unit, n)


@java
def test_reasoning_twice_is_idempotent_and_leaves_documents_alone(reasoned):
    store = open_store(reasoned["path"])
    try:
        before = len(store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").rows)
        report = reason(store)
        after = len(store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").rows)
        graph = _inferred(store)
    finally:
        store.close()
    assert report.inferred_triples == reasoned["report"]["inferred_triples"]
    assert before == after
    assert set(graph) == set(reasoned["graph"])


# -- inconsistency ----------------------------------------------------------------------------


def _contradiction() -> Graph:
    g = Graph()
    task = IRIS.task(IRIS.document("1/QĐ-A", "Quyết định", 2020), "1")
    g.add((task, RDF.type, OB.Task))
    g.add((task, RDF.type, ORG.Organization))
    return g


def test_inconsistency_is_explained_in_plain_words_without_java():
    text = explain_inconsistency(_contradiction())
    assert "is both org:Organization" in text and "ob:Task" in text and "cannot overlap" in text


def test_a_unit_under_a_programme_is_explained_through_the_sub_property():
    # ob:programme is a sub-property of ob:servesProgramme, whose domain is "a task or an
    # indicator" (a union): a unit carrying it can be neither
    g = Graph()
    g.add((CTE, RDF.type, ORG.Organization))
    g.add((CTE, OB.programme, QD23))
    text = explain_inconsistency(g)
    assert "is org:Organization (it is typed org:Organization)" in text
    assert "ob:programme (a sub-property of ob:servesProgramme)" in text
    assert "must be ob:Task or ob:Indicator" in text


def test_an_indicator_under_a_programme_is_no_contradiction():
    # the bug the corpus first hit: indicators carry ob:programme and ob:inDocument too,
    # and the domain of ob:servesProgramme was ob:Task alone (disjoint with ob:Indicator)
    g = Graph()
    ind = IRIS.indicator(IRIS.document("4063/QĐ-UBND", "Quyết định", 2022), "8")
    g.add((ind, RDF.type, OB.Indicator))
    g.add((ind, OB.programme, QD23))
    assert "no simple cause" in explain_inconsistency(g)


@java
def test_inconsistent_graph_is_reported_and_the_store_left_unchanged():
    with pytest.raises(ReasonerError, match="cannot overlap"):
        reason_graph(_contradiction())
    store = open_store(memory=True)
    store.replace_graph(URIRef("urn:g:bad"), list(_contradiction()))
    store.replace_graph(INFERRED, [(CTE, RDF.type, OB.LeadUnit)])  # an earlier run's result
    with pytest.raises(ReasonerError) as info:
        reason(store)
    assert "The graph contradicts the ontology" in str(info.value)
    assert set(_inferred(store)) == {(CTE, RDF.type, OB.LeadUnit)}


@java
def test_cli_inconsistent_store_exits_2(tmp_path):
    path = tmp_path / "store"
    store = open_store(path)
    store.replace_graph(URIRef("urn:g:bad"), list(_contradiction()))
    store.close()
    result = CliRunner().invoke(app, ["reason", "--store", str(path)])
    assert result.exit_code == 2
    assert "contradicts the ontology" in result.output and "Traceback" not in result.output


# -- no Java ----------------------------------------------------------------------------------


def test_without_java_it_says_so(monkeypatch):
    monkeypatch.setenv("OBLIGRAPH_JAVA", "no-such-java-binary")
    with pytest.raises(ReasonerError, match="Java is needed"):
        java_executable()
    monkeypatch.delenv("OBLIGRAPH_JAVA")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ReasonerError, match="default-jre-headless"):
        java_executable()


def test_without_java_the_cli_exits_2_and_leaves_the_store_alone(monkeypatch, tmp_path):
    path = tmp_path / "store"
    store = open_store(path)
    store.replace_graph(URIRef("urn:g:doc"), [(P704, ELI.based_on, QD23)])
    store.close()
    monkeypatch.setenv("PATH", "/nonexistent")  # what owlready2 runs: `java` from PATH
    monkeypatch.delenv("OBLIGRAPH_JAVA", raising=False)
    result = CliRunner().invoke(app, ["reason", "--store", str(path)])
    assert result.exit_code == 2
    assert "Java is needed" in result.output and "Traceback" not in result.output
    store = open_store(path, read_only=True)
    try:
        assert len(_inferred(store)) == 0
    finally:
        store.close()


def test_without_java_the_api_fails_before_touching_the_store(monkeypatch):
    monkeypatch.setenv("OBLIGRAPH_JAVA", "no-such-java-binary")
    store = open_store(memory=True)
    with pytest.raises(ReasonerError, match="Java is needed"):
        reason(store)
    assert len(_inferred(store)) == 0


def test_empty_store_says_what_to_do():
    try:
        java_executable()
    except ReasonerError:
        pytest.skip("needs Java to get past the Java check")
    with pytest.raises(ReasonerError, match="obligraph build"):
        reason(open_store(memory=True))
