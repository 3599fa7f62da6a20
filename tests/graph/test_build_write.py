"""The build's write path: parallel loading, bulk writes, and the hidden union graph.

Guarantees checked here (docs/stores.md): a bad file anywhere in the input changes
nothing in the store, whether files are loaded in this process or by a pool;
rebuilding is idempotent; ``<urn:obligraph:union>`` is always exactly the set union
of the other graphs (a triple several graphs state is there once, and leaves only
when no graph states it any more), after bulk writes, replaces and removals. The
input files are the bundled corpus (``obligraph/corpus/``) and bad files written by
the tests themselves.
"""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest
from obligraph.graph import build as build_mod
from obligraph.graph.build import build, expand_paths, prepare_files
from obligraph.graph.stores import open_store
from obligraph.graph.stores import oxigraph as store_oxigraph
from obligraph.graph.stores.oxigraph import UNION
from obligraph.graph.stores.terms import ntriples
from rdflib import BNode, Literal, URIRef

import obligraph
from obligraph.base.errors import InputError, ObligraphError
from obligraph.base.vocab import Iris

EX = "https://example.org/write/"
P = URIRef(EX + "p")


def raw(store) -> list[str]:
    """Every quad of the store, the hidden union graph included, as sorted N-Quads."""
    return sorted(str(q) for q in store._store.quads_for_pattern(None, None, None, None))


def union_is_exact(store) -> bool:
    """The union graph holds exactly the set union of every other graph."""
    union, others = set(), set()
    for q in store._store.quads_for_pattern(None, None, None, None):
        (union if q.graph_name == UNION else others).add(q.triple)
    return union == others


@pytest.fixture(params=["memory", "embedded"])
def store(request, tmp_path):
    s = open_store(memory=True) if request.param == "memory" else open_store(tmp_path / "store")
    yield s
    s.close()


@pytest.fixture(scope="module")
def gazetteer():
    from obligraph.loaders.units import Gazetteer

    return Gazetteer.default()


def test_pool_gives_the_same_documents_in_the_same_order(gazetteer):
    files = expand_paths([obligraph.corpus_dir()])
    one = prepare_files(files, gazetteer, Iris(), jobs=1)
    two = prepare_files(files, gazetteer, Iris(), jobs=2)
    assert [p.source_file for p in two] == [f.name for f in files]
    assert [(p.graph_iri, p.ntriples(), p.units, p.tasks) for p in one] == [
        (p.graph_iri, p.ntriples(), p.units, p.tasks) for p in two
    ]


@pytest.fixture
def five(tmp_path):
    """Five files: the bundled corpus, renamed so that their order is fixed."""
    folder = tmp_path / "five"
    folder.mkdir()
    for n, f in enumerate(sorted(obligraph.corpus_dir().glob("*.txt")), 1):
        shutil.copy(f, folder / f"{n}-{f.name}")
    return sorted(folder.iterdir())


@pytest.mark.parametrize("jobs", [1, 2])
def test_strict_bad_third_file_of_five_leaves_the_store_identical(store, gazetteer, five, jobs):
    build(five[:2], store, gazetteer=gazetteer, jobs=jobs)
    before = raw(store)
    five[2].write_bytes(b"\x00\x01\x02 not text")
    five[4].write_bytes(b"")  # a later bad file: the first one in input order is named
    with pytest.raises(InputError) as err:
        build(five, store, gazetteer=gazetteer, jobs=jobs, strict=True)
    assert err.value.file == str(five[2]) and "binary" in str(err.value)
    assert raw(store) == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_bad_files_are_reported_and_the_others_load(store, gazetteer, five, jobs):
    five[2].write_bytes(b"\x00\x01\x02 not text")
    five[4].write_bytes(b"")
    report = build(five, store, gazetteer=gazetteer, jobs=jobs)
    assert [f.file for f in report.failed] == [five[2].name, five[4].name]
    assert "binary" in report.failed[0].reason and "empty" in report.failed[1].reason
    assert report.exit_code == 1
    assert report.documents == 3 and sorted(report.files) == sorted(
        p.name for p in (five[0], five[1], five[3])
    )
    assert union_is_exact(store)


def test_no_loadable_file_raises_and_leaves_the_store_identical(store, gazetteer, five):
    build(five[:1], store, gazetteer=gazetteer)
    before = raw(store)
    for p in five[1:3]:
        p.write_bytes(b"")
    with pytest.raises(InputError, match="no file could be loaded") as err:
        build(five[1:3], store, gazetteer=gazetteer)
    assert err.value.file == str(five[1])
    assert raw(store) == before


def test_loader_bug_in_a_worker_names_the_file(gazetteer, five, monkeypatch):
    def broken(path, *, gazetteer):
        raise ZeroDivisionError("boom")

    import obligraph.loaders

    monkeypatch.setattr(obligraph.loaders, "load_document", broken)
    with pytest.raises(ObligraphError, match="ZeroDivisionError: boom") as err:
        prepare_files(five, gazetteer, Iris(), jobs=2)
    assert err.value.file == str(five[0])


def test_rebuild_is_idempotent_and_union_exact(store, gazetteer, five, monkeypatch):
    monkeypatch.setattr(store_oxigraph, "BULK_BATCH_QUADS", 5000)  # several bulk batches
    report = build(five, store, gazetteer=gazetteer, jobs=2)
    assert report.documents == 5 and len(report.graphs) == 5
    assert union_is_exact(store)
    first = raw(store)
    build(five, store, gazetteer=gazetteer, jobs=1)
    assert raw(store) == first
    # one document changes: only its graph changes, the union follows
    text = five[0].read_text("utf-8")
    five[0].write_text(text.replace("Kế hoạch", "Kế  hoạch", 1), "utf-8")
    build(five[:1], store, gazetteer=gazetteer)
    assert union_is_exact(store)


def test_replace_and_remove_keep_the_union_a_set(store):
    shared = (URIRef(EX + "unit"), P, Literal("Sở Y tế", lang="vi"))
    own_a = (URIRef(EX + "a"), P, Literal(1))
    own_b = (URIRef(EX + "b"), P, Literal(2))
    ga, gb = URIRef(EX + "ga"), URIRef(EX + "gb")
    store.write_graphs([(ga, ntriples([shared, own_a])), (gb, ntriples([shared, own_b]))])
    assert union_is_exact(store)
    assert len(list(store._store.quads_for_pattern(None, None, None, UNION))) == 3
    # replace A without the shared triple: it stays in the union (B states it)
    store.replace_graph(ga, [own_a])
    assert union_is_exact(store)
    # replace B by new content through the bulk path (an existing graph: difference)
    store.write_graphs([(gb, ntriples([own_b, (URIRef(EX + "b"), P, Literal(3))]))])
    assert union_is_exact(store)
    assert store.query(f"ASK {{ <{EX}unit> ?p ?o }}").boolean is False
    store.remove_graph(ga)
    assert union_is_exact(store) and ga not in store.graphs()
    store.replace_graph(gb, [])
    assert raw(store) == []


def test_blank_nodes_are_the_same_node_in_graph_and_union(store):
    g = URIRef(EX + "bn")
    b = BNode()
    store.replace_graph(g, [(URIRef(EX + "s"), P, b), (b, P, Literal("x"))])
    store.replace_graph(g, [(URIRef(EX + "s"), P, b), (b, P, Literal("y"))])
    assert union_is_exact(store)
    q = f'ASK {{ <{EX}s> <{P}> ?b . ?b <{P}> "y" }}'
    assert store.query(q).boolean is True
    store.remove_graph(g)
    assert raw(store) == []


def test_bad_term_fails_before_writing(store, gazetteer, five, monkeypatch):
    """A term the store would refuse is found while loading, naming the file."""
    build(five[:1], store, gazetteer=gazetteer)
    before = raw(store)
    real = build_mod.document_triples

    def with_bad_iri(doc, iris=None):
        triples = real(doc, iris)
        if doc.source_file == five[3].name:
            triples.add((URIRef("https://example.org/bad iri"), P, Literal(1)))
        return triples

    monkeypatch.setattr(build_mod, "document_triples", with_bad_iri)
    with pytest.raises(ObligraphError) as err:
        build(five, store, gazetteer=gazetteer, jobs=1, strict=True)
    assert err.value.file == str(five[3])
    assert raw(store) == before
    report = build(five, store, gazetteer=gazetteer, jobs=1)  # the default reports it
    assert [f.file for f in report.failed] == [five[3].name] and report.documents == 4


def test_bulk_batches_hold_whole_graphs(monkeypatch):
    s = open_store(memory=True)
    monkeypatch.setattr(store_oxigraph, "BULK_BATCH_QUADS", 4)
    loads = []
    real = ox.Store.bulk_load

    class Spy:
        def __init__(self, inner):
            self.inner = inner

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def bulk_load(self, data, fmt):
            loads.append(data.count(b"\n"))
            return real(self.inner, data, fmt)

    s._store = Spy(s._store)
    graphs = [
        (URIRef(EX + f"g{n}"), ntriples([(URIRef(EX + f"s{n}"), P, Literal(k)) for k in range(3)]))
        for n in range(3)
    ]
    done = []
    s.write_graphs(graphs, done.append)
    assert loads == [6, 6, 6]  # 3 triples x (graph + union), never split
    assert done == [g for g, _ in graphs]
    assert union_is_exact(s) and s.triples_count() == 9
