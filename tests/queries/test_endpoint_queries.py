"""The named queries and the trace against a real Oxigraph server on 127.0.0.1.

The server is the ``oxigraph`` CLI of the test extras, started here on a free
port with ``--union-default-graph`` and an empty temp folder, loaded with the
corpus as N-Quads dumped from the embedded store (one named graph per
document, plus the gazetteer and overlap graphs), and read through the
``--endpoint`` backend (SPARQL 1.1 protocol). Every query must answer exactly
what the embedded store answers; hostile values stay data over HTTP too.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from obligraph.queries.library import catalogue, run

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(start_oxigraph, tmp_path_factory, corpus_store):
    """URL of a fresh Oxigraph server holding exactly the corpus store's quads."""
    url = start_oxigraph()
    dump = corpus_store.dump(tmp_path_factory.mktemp("corpus-dump") / "corpus.nq", "nquads")
    request = urllib.request.Request(
        f"{url}/store",
        data=Path(dump).read_bytes(),
        headers={"Content-Type": "application/n-quads"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status in (200, 201, 204)
    return url


@pytest.fixture(scope="module")
def endpoint(server):
    from obligraph.graph.stores import open_store

    store = open_store(endpoint=server, read_only=True)
    yield store
    store.close()


def normalised(result) -> list[tuple[str, ...]]:
    """Rows as sorted tuples of text; ``; ``-joined lists in a fixed order."""

    def cell(term) -> str:
        return "" if term is None else "; ".join(sorted(str(term).split("; ")))

    return sorted(tuple(cell(t) for t in row) for row in result.rows)


def test_endpoint_holds_the_corpus(endpoint, corpus_store):
    assert endpoint.triples_count() == corpus_store.triples_count()


@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_query_answers_as_the_embedded_store(endpoint, corpus_store, people_queries, query):
    params = {p.name: p.example for p in query.params}
    remote = run(endpoint, query.name, params)
    local = run(corpus_store, query.name, params)
    assert list(remote.vars) == list(local.vars)
    assert normalised(remote) == normalised(local)
    if query.name != "obligations-due-before" and query.name not in people_queries:
        assert remote.rows  # the people queries answer rows on people_store only


def test_search_and_chain_over_http(endpoint):
    rows = run(endpoint, "task-search", {"q": "TRE EM BI XAM HAI"}).dicts()
    assert rows and all("trẻ em bị xâm hại" in str(r["text"]).lower() for r in rows)
    chain = run(endpoint, "legal-basis-chain", {"document": "704/QĐ-LĐTBXH"}).dicts()
    assert {"14/2017/NĐ-CP", "23/QĐ-TTg"} <= {str(r["basisNumber"]) for r in chain}


@pytest.mark.parametrize(
    "value",
    [
        'x" } UNION { ?s ?p ?o } #',
        "x' } UNION { ?s ?p ?o } #",
        'x\\" } UNION { ?s ?p ?o } #',
        'x""" } UNION { ?s ?p ?o } #',
        "x\n} UNION { ?s ?p ?o }\n#",
        'x") || true || LCASE("',
    ],
)
def test_hostile_value_over_http_is_data(endpoint, value):
    assert run(endpoint, "tasks-of-document", {"document": value}).rows == []
    assert run(endpoint, "task-search", {"q": value}).rows == []


def test_trace_over_http_equals_embedded(endpoint, corpus_store, gazetteer):
    from obligraph.queries.trace import trace_unit

    remote = trace_unit(endpoint, "Cục Trẻ em", gazetteer=gazetteer)
    local = trace_unit(corpus_store, "Cục Trẻ em", gazetteer=gazetteer)
    assert remote.obligations
    assert remote.to_dict() == local.to_dict()


def test_trace_command_with_endpoint(server, corpus_store, gazetteer):
    from obligraph.queries.trace import trace_unit
    from typer.testing import CliRunner

    from obligraph.cli import app

    result = CliRunner().invoke(app, ["trace", "Sở Y tế", "--endpoint", server, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    local = trace_unit(corpus_store, "Sở Y tế", gazetteer=gazetteer)
    assert data["unit"] == local.unit
    assert len(data["obligations"]) == len(local.obligations) > 0
