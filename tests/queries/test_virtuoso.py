"""The bundled corpus in a real Virtuoso 7: loaded in bulk, answering as the embedded store.

The server is Debian's ``virtuoso-opensource`` (``virtuoso-t``), started on free
ports of 127.0.0.1 over a new database in a temp folder (``virtuoso_server`` in
tests/conftest.py, ``bench/servers.py``). The corpus goes in by ``obligraph push``'s
path (Graph Store Protocol ``PUT``, digest authentication as ``dba``) and, in a
second server, by Virtuoso's own bulk loader over an exported N-Quads file
(``ld_dir`` + ``rdf_loader_run()``). Every named query with its example parameters,
the trace of a unit and a few web pages must answer what the embedded store answers;
the named queries Virtuoso cannot answer are listed, with the reason, in
``obligraph.graph.stores.virtuoso.UNSUPPORTED_QUERIES`` and must still fail here
(strict xfail), so a fix shows.
"""

from __future__ import annotations

import json

import pytest
from obligraph.graph.stores.virtuoso import UNSUPPORTED_QUERIES, VirtuosoStore
from obligraph.queries.library import catalogue, run

pytestmark = pytest.mark.server


def normalised(result) -> list[tuple[str, ...]]:
    """Rows as sorted tuples of text; ``; ``-joined lists in a fixed order (as in
    test_endpoint_queries.py: GROUP_CONCAT's order is the engine's)."""

    def cell(term) -> str:
        return "" if term is None else "; ".join(sorted(str(term).split("; ")))

    return sorted(tuple(cell(t) for t in row) for row in result.rows)


@pytest.fixture(scope="module")
def pushed(virtuoso_server, corpus_store):
    """The Virtuoso server after ``push`` of the corpus store; the push report."""
    from obligraph.graph.push import push
    from obligraph.graph.stores import open_store

    target = open_store(endpoint=virtuoso_server.url)
    assert isinstance(target, VirtuosoStore)  # told by the Server header
    target.user, target.password = virtuoso_server.user, virtuoso_server.password
    target.update_url = virtuoso_server.url + "/sparql-auth"
    target.store_url = virtuoso_server.url + "/sparql-graph-crud-auth"
    return push(corpus_store, target), target


@pytest.fixture(scope="module")
def endpoint(pushed, virtuoso_server):
    from obligraph.graph.stores import open_store

    return open_store(endpoint=virtuoso_server.url + "/sparql", read_only=True)


def test_push_copies_every_graph_by_graph_store_protocol(pushed, endpoint, corpus_store):
    report, _target = pushed
    assert report.method == "Graph Store Protocol PUT"
    assert report.graphs == len(corpus_store.graphs())
    assert report.triples == corpus_store.triples_count()
    assert endpoint.graphs() == corpus_store.graphs()  # Virtuoso's own graphs are hidden
    assert endpoint.triples_count() == corpus_store.triples_count()
    for g in corpus_store.graphs()[:3]:
        assert endpoint.triples_count(g) == corpus_store.triples_count(g)


def test_push_again_is_idempotent_and_replaces_graphs(pushed, corpus_store):
    from obligraph.graph.push import push
    from obligraph.graph.stores import open_store
    from rdflib import Literal, URIRef

    _report, target = pushed
    g = corpus_store.graphs()[0]
    target.replace_graph(g, [(URIRef("urn:stale"), URIRef("urn:p"), Literal("old"))])
    assert target.triples_count(g) == 1
    small = open_store(memory=True)
    small.replace_graph(g, corpus_store.graph_triples(g))
    push(small, target)
    assert target.triples_count(g) == corpus_store.triples_count(g)
    assert target.triples_count() == corpus_store.triples_count()


def test_writes_without_credentials_are_refused_clearly(virtuoso_server):
    from obligraph.graph.stores import open_store
    from rdflib import Literal, URIRef

    from obligraph.base.errors import StoreError

    anonymous = open_store(endpoint=virtuoso_server.url)
    anonymous.user = None
    with pytest.raises(StoreError, match=r"HTTP 40[13]"):
        anonymous.replace_graph(URIRef("urn:g"), [(URIRef("urn:s"), URIRef("urn:p"), Literal(1))])


def test_booleans_read_as_booleans(endpoint):
    rows = run(endpoint, "legal-basis-chain", {"document": "704/QĐ-LĐTBXH"}).dicts()
    assert rows and {str(r["direct"]) for r in rows} <= {"true", "false"}
    assert all(r["direct"].toPython() in (True, False) for r in rows)


def _query_params() -> list:
    out = []
    for q in catalogue():
        marks = []
        if q.name in UNSUPPORTED_QUERIES:
            marks.append(pytest.mark.xfail(strict=True, reason=UNSUPPORTED_QUERIES[q.name]))
        out.append(pytest.param(q, id=q.name, marks=marks))
    return out


@pytest.mark.parametrize("query", _query_params())
def test_query_answers_as_the_embedded_store(endpoint, corpus_store, people_queries, query):
    params = {p.name: p.example for p in query.params}
    local = run(corpus_store, query.name, params)
    remote = run(endpoint, query.name, params)
    assert list(remote.vars) == list(local.vars)
    assert normalised(remote) == normalised(local)
    if query.name != "obligations-due-before" and query.name not in people_queries:
        assert remote.rows


@pytest.mark.parametrize(
    "name,words",
    [("task-search", "TRẺ EM bị xâm hại"), ("task-search", "  Xây   DỰNG "),
     ("unit-search", "Ủy BAN"), ("unit-search", "sở lao động")],
)  # fmt: skip
def test_search_with_vietnamese_words(endpoint, corpus_store, name, words):
    """Words with diacritics and capitals are folded as on the embedded store."""
    local = run(corpus_store, name, {"q": words})
    assert local.rows
    assert normalised(run(endpoint, name, {"q": words})) == normalised(local)


def test_trace_equals_embedded(endpoint, corpus_store, gazetteer):
    from obligraph.queries.trace import trace_unit

    remote = trace_unit(endpoint, "Cục Trẻ em", gazetteer=gazetteer)
    local = trace_unit(corpus_store, "Cục Trẻ em", gazetteer=gazetteer)
    assert remote.obligations
    assert remote.to_dict() == local.to_dict()


def test_trace_command_with_virtuoso(pushed, virtuoso_server, corpus_store_path):
    from typer.testing import CliRunner

    from obligraph.cli import app

    args = ["trace", "Sở Y tế", "--format", "json"]
    remote = CliRunner().invoke(app, [*args, "--endpoint", virtuoso_server.url + "/sparql"])
    local = CliRunner().invoke(app, [*args, "--store", str(corpus_store_path)])
    assert remote.exit_code == local.exit_code == 0, remote.output + local.output
    assert json.loads(remote.stdout)["obligations"]
    assert json.loads(remote.stdout) == json.loads(local.stdout)


PAGES = [
    "/unit/cuc-tre-em",
    "/doc/qd/704-qd-ldtbxh/2021",  # a legal basis stated in three graphs: listed once
    "/doc/qd/23-qd-ttg/2021",  # cited twice by one document: in one order
    "/unit/so-y-te-thanh-pho-ho-chi-minh",  # other names joined: in one order
    "/source/qd/704-qd-ldtbxh/2021",
    "/queries/obligations-of-unit?unit=C%E1%BB%A5c+Tr%E1%BA%BB+em&subunits=false",
    "/overview",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_as_the_embedded_store(endpoint, corpus_store, path):
    from fastapi.testclient import TestClient
    from obligraph.viz.web.app import create_app

    base = "http://127.0.0.1"  # the app answers its own host names only
    remote = TestClient(create_app(endpoint), base_url=base).get(path)
    local = TestClient(create_app(corpus_store), base_url=base).get(path)
    assert remote.status_code == local.status_code == 200
    assert remote.text == local.text


VIEWS = [
    ("unit", "Cục Trẻ em", "vi"),
    ("unit", "Sở Y tế", "en"),
    ("document", "704/QĐ-LĐTBXH", "vi"),  # once refused: SQ200 Stack Overflow
    ("document", "4063/QĐ-UBND", "en"),
    ("programme", "23/QĐ-TTg", "vi"),
    ("programme", "23/CT-TTg", "en"),
    ("overlap", "all", "vi"),  # pairs found by several overlaps: one score and its reasons
    ("overlap", "23/QĐ-TTg", "en"),
    ("lineage", "4063/QĐ-UBND", "vi"),  # a cited programme stated with two titles: the same one
    ("lineage", "23/QĐ-TTg", "en"),
    ("indicator", "all", "vi"),  # indicator rows stated by several graphs: once
    ("indicator", "4063/QĐ-UBND", "en"),
]


@pytest.mark.parametrize("view,target,lang", VIEWS)
def test_views_answer_as_the_embedded_store(endpoint, corpus_store, view, target, lang):
    """The graph view's page is the same, byte for byte: nodes, edges, tooltips, layout."""
    from obligraph.viz.views import build_view

    local = build_view(corpus_store, view, target, lang=lang, links=True)
    assert build_view(endpoint, view, target, lang=lang, links=True) == local


def test_view_pages_answer_as_the_embedded_store(endpoint, corpus_store):
    """``/view/...`` in the web app, the way the document page links to them."""
    from fastapi.testclient import TestClient
    from obligraph.viz.web.app import create_app

    base = "http://127.0.0.1"
    for path in (
        "/view/document?target=704%2FQ%C4%90-L%C4%90TBXH",
        "/view/unit?target=C%E1%BB%A5c+Tr%E1%BA%BB+em&lang=en",
        "/view/lineage?target=https%3A%2F%2Fw3id.org%2Fobligraph%2Fid%2Fdoc%2Fqd%2F704-qd-ldtbxh%2F2021",
    ):
        remote = TestClient(create_app(endpoint), base_url=base).get(path)
        local = TestClient(create_app(corpus_store), base_url=base).get(path)
        assert remote.status_code == local.status_code == 200, path
        assert remote.text == local.text, path


def test_view_command_with_virtuoso(pushed, virtuoso_server, corpus_store_path, tmp_path):
    """``obligraph view document 704/QĐ-LĐTBXH --endpoint ...`` writes the embedded store's page."""
    from typer.testing import CliRunner

    from obligraph.cli import app

    args = ["view", "document", "704/QĐ-LĐTBXH"]
    remote, local = tmp_path / "remote.html", tmp_path / "local.html"
    ran = [
        CliRunner().invoke(app, [*args, "-o", str(remote), "--endpoint", virtuoso_server.url]),
        CliRunner().invoke(app, [*args, "-o", str(local), "--store", str(corpus_store_path)]),
    ]
    assert [r.exit_code for r in ran] == [0, 0], "".join(r.output for r in ran)
    assert remote.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")


def test_bulk_loader_over_exported_nquads(start_virtuoso, corpus_store, tmp_path):
    """``obligraph export graph -o graph.nq`` then Virtuoso's ``ld_dir`` loads it whole."""
    from obligraph.graph.stores import open_store

    from bench.engines import ld_dir_load

    server = start_virtuoso()
    nquads = server.location / "graph.nq"  # a folder the server's DirsAllowed holds
    corpus_store.dump(nquads, "nquads")
    ld_dir_load(server, nquads)
    loaded = open_store(endpoint=server.url, read_only=True)
    assert loaded.graphs() == corpus_store.graphs()
    assert loaded.triples_count() == corpus_store.triples_count()
    q = "obligations-of-unit"
    params = {p.name: p.example for p in next(x for x in catalogue() if x.name == q).params}
    assert normalised(run(loaded, q, params)) == normalised(run(corpus_store, q, params))
