"""The stored answers of ``graph/answers`` (graph/analysis/answers.py): computed in
Python from flat reads, one node per row, each bound cell as an ``answer:COLUMN`` value,
the very rows the query's counting branch gives."""

from __future__ import annotations

from collections import Counter

from obligraph.graph.analysis.answers import ANSWER, STORED, answers_graph, refresh_answers
from obligraph.queries.library import get

from obligraph.base.vocab import OB


def _counting_text(name: str) -> str:
    """The query with its stored branch disabled: it counts from the data (every row:
    page 0)."""
    text = get(name).text.replace(f'ob:answerOf "{name}"', 'ob:answerOf "(none)"')
    return text.replace("?page", "0")


def _rows(result) -> Counter:
    return Counter(tuple(None if t is None else t.n3() for t in row) for row in result.rows)


def test_stored_rows_are_the_counted_rows(corpus_store):
    triples = corpus_store.graph_triples(answers_graph())
    of = {s: str(o) for s, p, o in triples if p == OB.answerOf}
    cells: dict = {}
    for s, p, o in triples:
        if p != OB.answerOf:
            cells.setdefault(s, {})[str(p)] = o
    for name, (columns, _) in STORED.items():
        counted = corpus_store.query(_counting_text(name))
        assert list(counted.vars) == columns.split(), name
        assert counted.rows, name
        stored = Counter(
            tuple(
                None if (t := cells.get(row, {}).get(str(ANSWER[c]))) is None else t.n3()
                for c in columns.split()
            )
            for row, found in of.items()
            if found == name
        )
        assert stored == _rows(counted), name


def test_refresh_is_idempotent_and_counts_rows(corpus_docs, gazetteer):
    from obligraph.graph.build import write_documents
    from obligraph.graph.stores import open_store

    store = open_store(memory=True)
    write_documents(corpus_docs, store, gazetteer=gazetteer)
    graph = answers_graph()
    before = sorted(store.graph_triples(graph))
    counts = refresh_answers(store)
    assert sorted(store.graph_triples(graph)) == before
    assert counts["lead-support-counts"] > 50 and set(counts) == set(STORED)
