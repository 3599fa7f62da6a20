"""The Store contract on every backend: embedded on disk, in memory, a real Oxigraph server."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest
from obligraph.graph.stores import inject_values, open_store
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from obligraph.base.errors import QueryError, StoreError

EX = "https://example.org/test/"
P_LABEL = URIRef(EX + "label")
P_YEAR = URIRef(EX + "year")
NASTY = 'Sở "Y tế" } ; # DROP ALL { ?x } \\ \n dòng hai'


def sample(prefix: str) -> list[tuple]:
    return [
        (URIRef(EX + prefix + "/a"), P_LABEL, Literal("Cục Trẻ em", lang="vi")),
        (URIRef(EX + prefix + "/a"), P_YEAR, Literal("2025", datatype=XSD.gYear)),
        (URIRef(EX + prefix + "/b"), P_LABEL, Literal(NASTY)),
        (URIRef(EX + prefix + "/b"), P_YEAR, Literal(3)),
    ]


@pytest.fixture(params=["memory", "embedded", "endpoint"])
def store(request, tmp_path):
    if request.param == "memory":
        s = open_store(memory=True)
    elif request.param == "embedded":
        s = open_store(tmp_path / "store")
    else:
        s = open_store(endpoint=request.getfixturevalue("oxigraph_server"))
    yield s
    s.close()


def quads_of(store) -> set:
    return set(store.quads())


def test_replace_query_and_union_default_graph(store):
    key = uuid.uuid4().hex
    g1, g2 = URIRef(EX + key + "/g1"), URIRef(EX + key + "/g2")
    store.replace_graph(g1, sample(key)[:2])
    store.replace_graph(g2, sample(key)[2:])
    assert {g1, g2} <= set(store.graphs())
    assert store.triples_count(g1) == 2
    # the default graph is the union: one pattern sees both graphs
    res = store.query(
        "SELECT ?s ?l WHERE { ?s <https://example.org/test/label> ?l } ORDER BY ?s",
    )
    mine = [r for r in res.rows if str(r[0]).startswith(EX + key)]
    assert mine == [
        (URIRef(EX + key + "/a"), Literal("Cục Trẻ em", lang="vi")),
        (URIRef(EX + key + "/b"), Literal(NASTY)),
    ]
    assert res.vars == ["s", "l"]
    assert res.dicts()[0].keys() == {"s", "l"}
    year = store.query(f"SELECT ?y WHERE {{ <{EX}{key}/b> <{EX}year> ?y }}").rows[0][0]
    assert year.toPython() == 3
    # replacing is idempotent and really replaces
    store.replace_graph(g1, sample(key)[:1])
    store.replace_graph(g1, sample(key)[:1])
    assert store.triples_count(g1) == 1
    assert store.query(f"ASK {{ <{EX}{key}/a> <{EX}year> ?y }}").boolean is False
    store.remove_graph(g1)
    assert g1 not in store.graphs()
    store.remove_graph(g2)


def test_bindings_stay_data(store):
    key = uuid.uuid4().hex
    g = URIRef(EX + key + "/g")
    store.replace_graph(g, sample(key))
    q = "SELECT ?s WHERE { ?s <https://example.org/test/label> ?label }"
    rows = store.query(q, bindings={"label": Literal(NASTY)}).rows
    assert [r[0] for r in rows if str(r[0]).startswith(EX + key)] == [URIRef(EX + key + "/b")]
    # a projected variable (pyoxigraph substitutions) and an IRI parameter
    q2 = "SELECT ?s ?label WHERE { ?s <https://example.org/test/label> ?label }"
    rows = store.query(q2, bindings={"s": URIRef(EX + key + "/a")}).rows
    assert rows == [(URIRef(EX + key + "/a"), Literal("Cục Trẻ em", lang="vi"))]
    # a value made to look like query text matches nothing and breaks nothing
    rows = store.query(q, bindings={"label": Literal('x" } ?s ?p ?o { "')}).rows
    assert rows == []
    assert store.triples_count(g) == 4
    store.remove_graph(g)


def test_construct_ask_update_and_dump(store, tmp_path):
    key = uuid.uuid4().hex
    g = URIRef(EX + key + "/g")
    store.replace_graph(g, sample(key))
    res = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    assert isinstance(res.graph, Graph) and len(res.graph) == 4
    assert (URIRef(EX + key + "/b"), P_LABEL, Literal(NASTY)) in res.graph
    store.update(f'INSERT DATA {{ GRAPH <{g}> {{ <{EX}{key}/c> <{EX}label> "thêm" }} }}')
    assert store.query(f'ASK {{ <{EX}{key}/c> ?p "thêm" }}').boolean is True
    for fmt in ("nquads", "trig", "json-ld", "turtle"):
        dest = store.dump(tmp_path / f"dump.{fmt}", fmt)
        text = dest.read_text(encoding="utf-8")
        assert "Cục Trẻ em" in text
        if fmt == "turtle":
            parsed = Graph().parse(dest, format="turtle")
            assert (URIRef(EX + key + "/b"), P_LABEL, Literal(NASTY)) in parsed
        else:
            ds = Dataset()
            ds.parse(dest, format={"nquads": "nquads", "trig": "trig"}.get(fmt, "json-ld"))
            assert (URIRef(EX + key + "/b"), P_LABEL, Literal(NASTY), g) in ds
    store.remove_graph(g)


def test_failed_replace_leaves_store_exactly_as_it_was(store):
    key = uuid.uuid4().hex
    g = URIRef(EX + key + "/g")
    store.replace_graph(g, sample(key))
    before = quads_of(store)

    def half_then_fail():
        yield from sample(key + "-new")[:2]
        raise RuntimeError("loader died half-way")

    with pytest.raises(RuntimeError):
        store.replace_graph(g, half_then_fail())
    assert quads_of(store) == before
    # a term the store refuses in the middle of the new graph
    bad = [*sample(key + "-new")[:2], (URIRef("https://example.org/bad iri"), P_LABEL, Literal(1))]
    with pytest.raises((StoreError, QueryError)):
        store.replace_graph(g, bad)
    assert quads_of(store) == before
    store.remove_graph(g)


def test_embedded_store_persists_and_reopens(tmp_path):
    loc = tmp_path / "store"
    g = URIRef(EX + "persist/g")
    with open_store(loc) as s:
        s.replace_graph(g, sample("persist"))
    with open_store(loc, read_only=True) as s:
        assert s.triples_count() == 4
        with pytest.raises(StoreError, match="read-only"):
            s.remove_graph(g)


def test_locked_store_gives_clear_error(tmp_path):
    loc = tmp_path / "store"
    open_store(loc).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('ok', flush=True);"
            " sys.stdin.read()",
            str(loc),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == b"ok"
        with pytest.raises(StoreError) as err:
            open_store(loc)
        assert "locked by another process" in str(err.value)
        assert str(loc) in str(err.value)
    finally:
        holder.stdin.close()
        holder.wait(timeout=20)


def test_not_a_store(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("hello", encoding="utf-8")
    with pytest.raises(StoreError, match="not a store") as err:
        open_store(a_file)
    assert str(a_file) in str(err.value)
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(StoreError, match="not a store"):
        open_store(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["a.pdf"]
    with pytest.raises(StoreError, match="no store here"):
        open_store(tmp_path / "missing", read_only=True)


def test_default_location_follows_obligraph_home(tmp_home):
    with open_store() as s:
        assert s.location == str(tmp_home / "store")
    assert (tmp_home / "store" / "CURRENT").exists()


def test_endpoint_errors_are_clear(oxigraph_server):
    s = open_store(endpoint=oxigraph_server)
    with pytest.raises(QueryError, match="refused"):
        s.query("SELECT WHERE {")
    dead = open_store(endpoint="http://127.0.0.1:9")
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:9"):
        dead.query("ASK {}")
    with pytest.raises(StoreError, match="not an http"):
        open_store(endpoint="ftp://example.org")


def test_endpoint_without_gsp_replaces_by_update(oxigraph_server):
    """A server known only by its query URL: replace_graph falls back to one SPARQL update."""
    from obligraph.graph.stores.endpoint import EndpointStore

    s = open_store(endpoint=oxigraph_server)
    plain = EndpointStore(oxigraph_server + "/query", update_endpoint=oxigraph_server + "/update")
    plain.store_url = None
    g = URIRef(EX + "nogsp/g")
    plain.replace_graph(g, sample("nogsp"))
    plain.replace_graph(g, sample("nogsp")[:1])
    assert s.triples_count(g) == 1
    plain.replace_graph(g, [])
    assert g not in s.graphs()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s ?p ?o }",
        "PREFIX ex: <https://x/#> SELECT ?s { ?s ?p ?o }",
        'CONSTRUCT { ?s ?p "{#" } WHERE { ?s ?p ?o }',
        "# WHERE { in a comment\nSELECT ?s WHERE { { SELECT ?s ?o WHERE { ?s ?p ?o } } }",
    ],
)
def test_values_go_into_the_outermost_where_group(query):
    text = inject_values(query, {"o": Literal('a"}#')})
    store = open_store(memory=True)
    store.replace_graph(URIRef(EX + "v/g"), [(URIRef(EX + "v/s"), P_LABEL, Literal('a"}#'))])
    store.replace_graph(URIRef(EX + "v/g2"), [(URIRef(EX + "v/t"), P_LABEL, Literal("b"))])
    res = store.query(text)
    if res.graph is not None:
        assert {str(s) for s in res.graph.subjects()} == {EX + "v/s"}
    else:
        assert [str(r[0]) for r in res.rows] == [EX + "v/s"]
    assert json.dumps(text)  # plain text, one VALUES block
    assert text.count("VALUES") == 1


@pytest.mark.parametrize(
    "query, form",
    [
        ("# Tasks that were loaded\nSELECT ?d WHERE { ?d <urn:ob:loaded> true }", "SELECT"),
        ("PREFIX ob: <urn:ob#>\nSELECT ?d WHERE { ?d ob:loaded true }", "SELECT"),
        ("PREFIX ask-me: <urn:x#> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ('# "SELECT" in a comment\nASK { ?s ?p "DESCRIBE" }', "ASK"),
        ("BASE <urn:x/> DESCRIBE <a>", "DESCRIBE"),
    ],
)
def test_query_form_ignores_keywords_in_names_and_comments(query, form):
    from obligraph.graph.stores import query_form

    assert query_form(query) == form


def test_endpoint_query_with_update_keywords_inside_is_still_a_query(oxigraph_server):
    """Regression: SPARQLWrapper read ``ob:loaded`` as LOAD and sent the query as
    ``update=``; Oxigraph answered "The URL query parameter query must be set"."""
    s = open_store(endpoint=oxigraph_server)
    g = URIRef(EX + "loadword/g")
    loaded = URIRef(EX + "loaded")
    s.replace_graph(g, [(URIRef(EX + "loadword/doc"), loaded, Literal(True))])
    text = (
        "# Documents that were loaded; one task per row. Drop, clear, copy, move, add.\n"
        f"PREFIX ex: <{EX}>\nSELECT ?d WHERE {{ ?d ex:loaded true }}"
    )
    assert [str(r[0]) for r in s.query(text).rows] == [EX + "loadword/doc"]
    s.update(f"PREFIX ex: <{EX}>\n# select me\nDELETE WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    assert g not in s.graphs()


@pytest.mark.parametrize("where", ["memory", "embedded"])
def test_union_is_a_set_not_a_bag(tmp_path, where):
    """Regression: Oxigraph's union default graph repeats a triple once per graph that
    states it (a unit's label in every document), so joins grew with the corpus squared."""
    s = open_store(memory=True) if where == "memory" else open_store(tmp_path / "store")
    t = (URIRef(EX + "set/unit"), P_LABEL, Literal("Sở Y tế", lang="vi"))
    graphs = [URIRef(EX + f"set/g{n}") for n in range(4)]
    for g in graphs:
        s.replace_graph(g, [t])
    q = f"SELECT ?l WHERE {{ <{EX}set/unit> <{P_LABEL}> ?l . <{EX}set/unit> <{P_LABEL}> ?m }}"
    assert len(s.query(q).rows) == 1
    assert s.triples_count() == 4 and set(s.graphs()) == set(graphs)
    assert len(s.graph_triples(graphs[0])) == 1
    for g in graphs[:3]:
        s.remove_graph(g)
    assert len(s.query(q).rows) == 1  # still stated by the last graph
    s.remove_graph(graphs[3])
    assert s.query(q).rows == [] and s.triples_count() == 0
    # a plain update still works and is visible (the union is refilled)
    s.update(f'INSERT DATA {{ GRAPH <{EX}set/u> {{ <{EX}set/x> <{P_LABEL}> "x" }} }}')
    assert s.query(f'ASK {{ <{EX}set/x> <{P_LABEL}> "x" }}').boolean is True
    dump = s.dump(tmp_path / "d.nq", "nquads").read_text("utf-8")
    assert "urn:obligraph:union" not in dump and dump.count("\n") == 1
    s.close()


def test_store_written_without_the_union_gets_it(tmp_path):
    """A store filled before the union existed: refilled when opened for writing,
    queried with Oxigraph's own union when opened read-only."""
    import pyoxigraph as ox

    raw = ox.Store(str(tmp_path / "old"))
    node = ox.NamedNode(EX + "old/s")
    raw.add(ox.Quad(node, ox.NamedNode(str(P_LABEL)), ox.Literal("cũ"), ox.NamedNode(EX + "old/g")))
    raw.flush()
    del raw
    import gc

    gc.collect()
    with open_store(tmp_path / "old", read_only=True) as ro:
        assert ro.query(f"ASK {{ <{EX}old/s> ?p ?o }}").boolean is True
    with open_store(tmp_path / "old") as rw:
        assert rw.query(f"ASK {{ <{EX}old/s> ?p ?o }}").boolean is True
        assert rw.triples_count() == 1


@pytest.mark.parametrize("where", ["memory", "embedded"])
def test_large_graphs_are_written_in_batches_with_the_same_result(tmp_path, where, monkeypatch):
    """A graph replaced with more changes than BATCHED_REPLACE_TRIPLES (the overlap graph
    of a large corpus) is written in several transactions, not one that holds it all in
    memory; what the store holds afterwards is what one transaction would have left."""
    from obligraph.graph.stores import oxigraph

    def run(batched: bool, folder: str) -> tuple[set, list, list]:
        monkeypatch.setattr(oxigraph, "BATCHED_REPLACE_TRIPLES", 5 if batched else 10**9)
        monkeypatch.setattr(oxigraph, "BULK_BATCH_QUADS", 4 if batched else 200_000)
        s = open_store(memory=True) if where == "memory" else open_store(tmp_path / folder)
        big, other = URIRef(EX + "batch/big"), URIRef(EX + "batch/other")
        shared = (URIRef(EX + "batch/unit"), P_LABEL, Literal("Sở Y tế", lang="vi"))
        s.replace_graph(other, [shared])
        first = [(URIRef(EX + f"batch/t{n}"), P_YEAR, Literal(n)) for n in range(12)]
        s.replace_graph(big, [*first, shared])  # new graph: bulk-loaded in batches
        after_first = sorted(map(str, s.quads()))
        q = f"SELECT ?s ?o WHERE {{ ?s <{P_YEAR}> ?o }} ORDER BY ?o"
        seen = [tuple(map(str, r)) for r in s.query(q).rows]
        # a large difference: 9 of 13 go, 8 come, the shared triple goes from this graph
        second = [(URIRef(EX + f"batch/t{n}"), P_YEAR, Literal(n)) for n in range(8, 20)]
        s.replace_graph(big, second)
        label = f"SELECT ?l WHERE {{ <{EX}batch/unit> <{P_LABEL}> ?l }}"
        state = (
            sorted(map(str, s.quads())),
            [tuple(map(str, r)) for r in s.query(q).rows],
            len(s.query(label).rows),  # still in the union: the other graph states it
        )
        s.remove_graph(big)  # all of it gone, in batches too
        gone = (sorted(map(str, s.quads())), s.query(q).rows, big in set(s.graphs()))
        s.close()
        return after_first, seen, state, gone

    batched, one = run(True, "batched"), run(False, "one")
    assert batched == one
    after_first, seen, (quads, years, labels), (left, rows, still_there) = batched
    assert len(after_first) == 14 and len(seen) == 12
    assert len(quads) == 13 and [int(y) for _, y in years] == list(range(8, 20)) and labels == 1
    assert len(left) == 1 and rows == [] and not still_there


@pytest.mark.parametrize("where", ["memory", "embedded"])
def test_a_large_new_graph_is_streamed_and_a_failure_on_the_way_leaves_nothing(
    tmp_path, where, monkeypatch
):
    """A new graph of more than BATCHED_REPLACE_TRIPLES triples, given as a generator (how
    a full overlap refresh writes), is written while the generator runs, not after it
    has been held whole; when the generator fails half-way, what was written is taken
    out again and a triple another graph states stays in the union."""
    from obligraph.graph.stores import oxigraph

    monkeypatch.setattr(oxigraph, "BATCHED_REPLACE_TRIPLES", 5)
    monkeypatch.setattr(oxigraph, "BULK_BATCH_QUADS", 4)
    s = open_store(memory=True) if where == "memory" else open_store(tmp_path / "s")
    big, other = URIRef(EX + "stream/big"), URIRef(EX + "stream/other")
    shared = (URIRef(EX + "stream/unit"), P_LABEL, Literal("Sở Y tế", lang="vi"))
    s.replace_graph(other, [shared])
    before = sorted(map(str, s.quads()))
    stored_while_made: list[int] = []

    def made(fail_at: int | None):
        yield shared
        for n in range(20):
            if n == fail_at:
                raise ValueError("a bad task text")
            stored_while_made.append(sum(1 for _ in s.quads()))
            yield (URIRef(EX + f"stream/t{n}"), P_YEAR, Literal(n))

    with pytest.raises((ValueError, StoreError), match="a bad task text"):
        s.replace_graph(big, made(fail_at=15))
    assert max(stored_while_made) > len(before)  # batches went in while it ran
    assert sorted(map(str, s.quads())) == before and big not in set(s.graphs())
    label = f"SELECT ?l WHERE {{ <{EX}stream/unit> <{P_LABEL}> ?l }}"
    assert len(s.query(label).rows) == 1

    stored_while_made.clear()
    s.replace_graph(big, made(fail_at=None))
    years = s.query(f"SELECT ?o WHERE {{ ?s <{P_YEAR}> ?o }} ORDER BY ?o").rows
    assert [int(y) for (y,) in years] == list(range(20))
    assert len(list(s.graph_triples(big))) == 21 and max(stored_while_made) > len(before)


@pytest.mark.parametrize("where", ["memory", "embedded"])
def test_named_graphs_listed_only_to_queries_that_name_graphs(tmp_path, where):
    """A query that names no graph reads the union without the list of named graphs
    (passing it cost 80 ms a query at 10,000 documents); one with ``GRAPH ?g`` sees every
    document graph and never the hidden union graph."""
    s = open_store(memory=True) if where == "memory" else open_store(tmp_path / "store")
    graphs = [URIRef(EX + f"named/g{n}") for n in range(3)]
    for n, g in enumerate(graphs):
        s.replace_graph(g, [(URIRef(EX + f"named/s{n}"), P_LABEL, Literal(f"n{n}"))])
    plain = s.query(f"SELECT ?s WHERE {{ ?s <{P_LABEL}> ?l }}")
    assert {str(r[0]) for r in plain.rows} == {EX + f"named/s{n}" for n in range(3)}
    named = s.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s <{P_LABEL}> ?l }} }}")
    assert {r[0] for r in named.rows} == set(graphs)
    every = s.query("SELECT DISTINCT ?g WHERE { graph ?g { ?s ?p ?o } }")
    assert "urn:obligraph:union" not in {str(r[0]) for r in every.rows}
    one = s.query(f"SELECT ?s WHERE {{ GRAPH <{graphs[1]}> {{ ?s <{P_LABEL}> ?l }} }}")
    assert [str(r[0]) for r in one.rows] == [EX + "named/s1"]
    hidden = s.query(f"SELECT ?s WHERE {{ GRAPH <urn:obligraph:union> {{ ?s <{P_LABEL}> ?l }} }}")
    assert hidden.rows == []
    s.close()
