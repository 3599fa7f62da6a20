"""The incremental refresh (graph/analysis/overlap_update.py) gives the store a full build
gives: adding, replacing and removing one of the bundled documents, the whole store
(graph/overlap, graph/summary and every other graph) is compared with a store built in
full from the same documents. No expected value is written here: the full build is the
expectation.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
from collections import Counter
from pathlib import Path

import pytest
from obligraph.graph import build as build_module
from obligraph.graph.analysis import overlap as overlap_module
from obligraph.graph.analysis.overlap_update import STATE_FILE, STATE_VERSION, take_state
from obligraph.graph.build import build
from obligraph.graph.remove import remove_document
from obligraph.graph.stores import open_store
from rdflib import BNode

from obligraph.base.vocab import Iris

IRIS = Iris()


def _quads(store) -> Counter:
    """Every quad, blank nodes blurred (the ontology's are fresh on every write)."""
    return Counter(
        tuple("_" if isinstance(t, BNode) else t for t in quad) for quad in store.quads()
    )


def _graph(store, name: str) -> set:
    return set(store.graph_triples(IRIS.special_graph(name)))


@pytest.fixture
def full_refreshes(monkeypatch):
    """Counts the full overlap refreshes (the incremental path must not fall back)."""
    calls = []
    original = overlap_module.refresh_overlaps

    def counted(*args, **kw):
        calls.append(1)
        return original(*args, **kw)

    monkeypatch.setattr(overlap_module, "refresh_overlaps", counted)
    return calls


def _same(store, expected) -> None:
    assert _graph(store, "overlap") == _graph(expected, "overlap")
    assert _graph(store, "summary") == _graph(expected, "summary")
    assert _quads(store) == _quads(expected)


@pytest.mark.parametrize("added", ["qd-923", "qd-4063"])
def test_adding_a_document_as_a_full_build(
    corpus_files, gazetteer, tmp_path, added, full_refreshes
):
    last = next(f for f in corpus_files if f.name.startswith(added))
    first = [f for f in corpus_files if f != last]
    with open_store(tmp_path / "store") as store:
        build(first, store, gazetteer=gazetteer)
        assert (tmp_path / "store" / STATE_FILE).is_file()
        assert len(full_refreshes) == 1
        build([last], store, gazetteer=gazetteer)
        assert len(full_refreshes) == 1  # incremental
        # the same kind of store: graph/answers (main's stored answers) differs between an
        # embedded and a memory store even for two full builds
        with open_store(tmp_path / "expected") as expected:
            build(corpus_files, expected, gazetteer=gazetteer)
            _same(store, expected)


def _changed_copy(path: Path, folder: Path) -> Path:
    """The document with other words in its body (same number, so the same document)."""
    text = path.read_text(encoding="utf-8")
    head, body = text[: len(text) // 3], text[len(text) // 3 :]
    copy = folder / path.name
    copy.write_text(head + body.replace("kiểm tra", "giám sát").replace("trẻ em", "học sinh"))
    return copy


def test_replacing_a_document_as_a_full_build(corpus_files, gazetteer, tmp_path, full_refreshes):
    original = next(f for f in corpus_files if f.name.startswith("qd-923"))
    changed = _changed_copy(original, tmp_path)
    others = [f for f in corpus_files if f != original]
    store = open_store(memory=True)
    build([*others, changed], store, gazetteer=gazetteer)
    before = _graph(store, "overlap")
    build([original], store, gazetteer=gazetteer)
    assert len(full_refreshes) == 1
    expected = open_store(memory=True)
    build(corpus_files, expected, gazetteer=gazetteer)
    assert _graph(expected, "overlap") != before  # the change mattered
    _same(store, expected)


def test_removing_a_document_as_a_full_build(corpus_files, gazetteer, full_refreshes):
    store = open_store(memory=True)
    build(corpus_files, store, gazetteer=gazetteer)
    remove_document(store, "923/QĐ-LĐTBXH")
    assert len(full_refreshes) == 1
    expected = open_store(memory=True)
    build(
        [f for f in corpus_files if not f.name.startswith("qd-923")], expected, gazetteer=gazetteer
    )
    _same(store, expected)


def test_a_stale_state_is_not_used(corpus_files, gazetteer, tmp_path, full_refreshes):
    """A state whose summary digest is not the store's (the store changed since) is
    dropped, and the refresh is a full one."""
    with open_store(tmp_path / "store") as store:
        build(corpus_files[:2], store, gazetteer=gazetteer)
        store.replace_graph(IRIS.special_graph("summary"), [])
        assert take_state(store) is None
        assert not (tmp_path / "store" / STATE_FILE).exists()
        build(corpus_files[2:3], store, gazetteer=gazetteer)
        assert len(full_refreshes) == 2


@pytest.mark.parametrize("older", ["version", "damaged"])
def test_an_older_state_file_means_a_full_refresh(
    corpus_files, gazetteer, tmp_path, full_refreshes, older
):
    """A state file of an older version (another version number) or a damaged one is
    not used: the next refresh is a full one, gives the store a full build gives, and
    keeps a state of this version for the refresh after."""
    folder = tmp_path / "store"
    with open_store(folder) as store:
        build(corpus_files[:3], store, gazetteer=gazetteer)
        state = folder / STATE_FILE
        if older == "version":
            data = json.loads(gzip.decompress(state.read_bytes()))
            data["version"] = STATE_VERSION - 1
            state.write_bytes(gzip.compress(json.dumps(data).encode("utf-8")))
        else:
            state.write_bytes(state.read_bytes()[:1000])
        build(corpus_files[3:], store, gazetteer=gazetteer)
        assert len(full_refreshes) == 2
        assert json.loads(gzip.decompress(state.read_bytes()))["version"] == STATE_VERSION
        with open_store(tmp_path / "expected") as expected:
            build(corpus_files, expected, gazetteer=gazetteer)
            _same(store, expected)


def test_a_build_that_stops_leaves_no_state(corpus_files, gazetteer, monkeypatch, tmp_path):
    """The state is taken away before the documents are written: a build that stops
    before its refresh leaves a full refresh for the next one."""

    def boom(*args, **kw):
        raise RuntimeError("stopped")

    with open_store(tmp_path / "store") as store:
        build(corpus_files[:2], store, gazetteer=gazetteer)
        monkeypatch.setattr(build_module, "refresh_derived", boom)
        with pytest.raises(RuntimeError):
            build(corpus_files[2:3], store, gazetteer=gazetteer)
        assert not (tmp_path / "store" / STATE_FILE).exists()


def test_a_full_refresh_whose_answers_fail_leaves_no_state(
    corpus_files, gazetteer, monkeypatch, tmp_path
):
    """A full refresh keeps its state before it computes the stored answers (so that
    memory is let go first); when they fail, the state goes too: the next build does
    not take a refresh that stopped half-way for a finished one."""
    from obligraph.graph.analysis import answers

    def boom(*args, **kw):
        raise RuntimeError("answers stopped")

    with open_store(tmp_path / "store") as store:
        build(corpus_files[:2], store, gazetteer=gazetteer)
        assert (tmp_path / "store" / STATE_FILE).exists()
        monkeypatch.setattr(answers, "refresh_answers", boom)
        with pytest.raises(RuntimeError, match="answers stopped"):
            build_module.refresh_derived(store, Iris())  # no change named: in full
        assert not (tmp_path / "store" / STATE_FILE).exists()


@pytest.mark.parametrize("max_bucket, window", [(60, 8), (3, 1), (6, 2)])
@pytest.mark.parametrize("changed", ["qd-923", "qd-406"])
def test_eligible_pairs_as_blocking_everything(corpus_store, max_bucket, window, changed):
    """The pairs update_eligible finds again equal those of blocking every task, also
    when small bucket limits make the neighbourhood pairing (and its shifts) the rule."""
    from obligraph.graph.analysis.overlap import task_pairs
    from obligraph.graph.analysis.overlap_pairs import update_eligible
    from obligraph.graph.analysis.overlap_read import read_tasks
    from obligraph.graph.analysis.textsim import MinHashBlocker, normalise

    blocker = MinHashBlocker(max_bucket=max_bucket, window=window)
    tasks = read_tasks(corpus_store, lines=False)
    for t in tasks:
        t.tokens = normalise(t.text, sorted(t.names))
    doc = next(t.document for t in tasks if changed.split("-")[1] + "-" in t.document)
    before = [t for t in tasks if t.document != doc]
    reworded = [
        dataclasses.replace(t, tokens=t.tokens[1:]) if t.document == doc else t for t in tasks
    ]
    for old, new in ((before, tasks), (tasks, before), (tasks, reworded)):
        eligible, _ = task_pairs(old, blocker)
        got, _ = update_eligible(old, eligible, new, {doc}, blocker)
        want, _ = task_pairs(new, blocker)
        assert _pair_set(new, got) == _pair_set(new, want)


def _pair_set(tasks, pairs) -> set:
    i, j, v = pairs
    return {
        (*sorted((tasks[a].iri, tasks[b].iri)), value)
        for a, b, value in zip(i.tolist(), j.tolist(), v.tolist(), strict=True)
    }
