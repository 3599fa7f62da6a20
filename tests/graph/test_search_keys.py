"""The folded task texts of ``graph/search`` (graph/analysis/search_keys.py) and the
words folded before ``task-search`` (``fold: words``): Python's folding is the query's."""

from __future__ import annotations

import pytest
from obligraph.graph.analysis.search_keys import search_graph
from obligraph.queries.library import get, prepare, run_internal
from rdflib import Literal

from obligraph.base.textkeys import fold_words
from obligraph.base.vocab import OB

SAMPLES = [
    "Trẻ em bị XÂM HẠI",
    "  Đoàn  TNCS\tHồ Chí Minh \n",
    "Tre\u0301 em",  # a combining accent
    "ĐẶNG\u00a0Văn\u2003Ất",  # white space the engine's \s knows
    'a "b" } #',
    "",
]


def _query_folding() -> str:
    """The folding of ``?text`` in task-search's text (its ``COALESCE`` with the key)."""
    text = get("task-search").text
    start = text.index("COALESCE(?searchKey,") + len("COALESCE(?searchKey,")
    return text[start : text.index(") AS ?key)", start)]


@pytest.mark.parametrize("text", SAMPLES)
def test_fold_words_is_the_query_folding(corpus_store, text):
    value = Literal(text).n3()
    query = f"SELECT ({_query_folding()} AS ?folded) WHERE {{ VALUES ?text {{ {value} }} }}"
    assert str(corpus_store.query(query).rows[0][0]) == fold_words(text)


def test_every_task_text_has_its_key(corpus_store):
    keys = {
        (s, str(o)) for s, p, o in corpus_store.graph_triples(search_graph()) if p == OB.textKey
    }
    constants = {"class": OB.Task, "p": OB.text}
    texts = run_internal(corpus_store, "overlap-typed-property-pairs", constants=constants).rows
    assert keys == {(task, fold_words(str(text))) for task, text in texts}


def test_words_are_folded_and_written_in():
    text, bindings = prepare(get("task-search"), {"q": "  TRẺ   Em "})
    assert '"tre em"' in text and "q" not in bindings


@pytest.mark.parametrize(("name", "words"), [("task-search", "TRẺ EM"), ("task-search", "bao cao")])
def test_a_store_without_keys_answers_the_same(corpus_store, name, words):
    """Without ``graph/search`` (an older store, an endpoint loaded without it) every
    task text is folded in the query: the same rows in the same order (the leads, a
    GROUP_CONCAT, in any order)."""
    from obligraph.graph.stores import open_store
    from obligraph.queries.library import run

    def rows(result) -> list[dict]:
        return [{**r, "leads": sorted(str(r["leads"]).split("; "))} for r in result.dicts()]

    bare = open_store(memory=True)
    for g in corpus_store.graphs():
        if g != search_graph():
            bare.replace_graph(g, corpus_store.graph_triples(g))
    keyed = run(corpus_store, name, {"q": words})
    assert keyed.rows
    assert rows(run(bare, name, {"q": words})) == rows(keyed)
