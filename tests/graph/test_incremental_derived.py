"""The incremental refresh of the derived graphs besides the overlaps: the summary, the
folded task texts of ``graph/search`` and the stored answers of ``graph/answers`` are
updated from the documents a build added, replaced or removed
(graph/analysis/answers.py ``update_answers``, graph/analysis/search_keys.py
``update_search_keys``), and the store is then the one a full build gives, graph by
graph. Synthetic documents (bench/generate.py) with the bundled five: programmes that
plans implement, provincial plans, units shared by many documents. No expected value is
written here: the full build is the expectation.
"""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from pathlib import Path

import pytest
from obligraph.graph.analysis import answers as answers_module
from obligraph.graph.analysis import search_keys as search_keys_module
from obligraph.graph.build import build
from obligraph.graph.remove import remove_document
from obligraph.graph.stores import open_store
from rdflib import BNode

from obligraph.base.vocab import Iris

IRIS = Iris()
REPO = Path(__file__).resolve().parents[2]
DERIVED = ("overlap", "summary", "succession", "search", "answers")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory, gazetteer):
    """Thirty generated documents (programmes first) and what each intends."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    generate = importlib.import_module("bench.generate")
    from bench.units import UnitPool

    folder = tmp_path_factory.mktemp("synthetic")
    intended = generate.write_corpus(folder, 30, seed=5, pool=UnitPool.from_gazetteer(gazetteer))
    return folder, intended


@pytest.fixture
def full_refreshes(monkeypatch):
    """Counts the full refreshes of the stored answers and the search keys."""
    calls = []
    for module, name in (
        (answers_module, "refresh_answers"),
        (search_keys_module, "refresh_search_keys"),
    ):
        original = getattr(module, name)

        def counted(*args, __f=original, **kw):
            calls.append(1)
            return __f(*args, **kw)

        monkeypatch.setattr(module, name, counted)
    return calls


def _quads(store) -> Counter:
    """Every quad, blank nodes blurred (the ontology's are fresh on every write)."""
    return Counter(
        tuple("_" if isinstance(t, BNode) else t for t in quad) for quad in store.quads()
    )


def _same(store, expected) -> None:
    for name in DERIVED:
        graph = IRIS.special_graph(name)
        assert set(store.graph_triples(graph)) == set(expected.graph_triples(graph)), name
    assert _quads(store) == _quads(expected)


def _expected(tmp_path: Path, files, gazetteer):
    store = open_store(tmp_path / "expected")
    build(files, store, gazetteer=gazetteer)
    return store


def test_adding_documents_one_by_one(synthetic, corpus_files, gazetteer, tmp_path, full_refreshes):
    """A programme and then a plan implementing it, each added to a built store."""
    folder, intended = synthetic
    files = {d.number: folder / d.file_name for d in intended}
    programme = next(d for d in intended if d.kind == "programme")
    plan = next(d for d in intended if programme.number in d.implements)
    later = [files[programme.number], files[plan.number]]
    first = [*corpus_files, *(f for f in files.values() if f not in later)]
    with open_store(tmp_path / "store") as store:
        build(first, store, gazetteer=gazetteer)
        assert len(full_refreshes) == 2
        for f in later:
            build([f], store, gazetteer=gazetteer)
        assert len(full_refreshes) == 2  # both incremental
        with _expected(tmp_path, [*first, *later], gazetteer) as expected:
            _same(store, expected)


def test_replacing_and_removing(synthetic, corpus_files, gazetteer, tmp_path, full_refreshes):
    """A plan rebuilt with other words and units, then a programme others implement
    removed."""
    folder, intended = synthetic
    files = [*corpus_files, *(folder / d.file_name for d in intended)]
    programme = next(
        d
        for d in intended
        if d.kind == "programme" and any(d.number in o.implements for o in intended)
    )
    plan = next(d for d in intended if d.kind == "ministry_plan" and len(d.tasks) > 3)
    original = folder / plan.file_name
    text = original.read_text(encoding="utf-8")
    changed = tmp_path / "changed" / plan.file_name
    changed.parent.mkdir()
    lines = text.splitlines(keepends=True)
    cut = len(lines) // 2  # the second half's tasks without their last lines
    changed.write_text("".join(lines[:cut] + lines[cut:][::3]), encoding="utf-8")
    with open_store(tmp_path / "store") as store:
        build(files, store, gazetteer=gazetteer)
        build([changed], store, gazetteer=gazetteer)
        remove_document(store, programme.number)
        assert len(full_refreshes) == 2  # the first build only
        rest = [changed if f == original else f for f in files if f.name != programme.file_name]
        with _expected(tmp_path, rest, gazetteer) as expected:
            _same(store, expected)
