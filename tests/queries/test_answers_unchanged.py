"""Every named query answers what it answered before the speed work (issue 11).

"Before" is the query text of ``tests/queries/before/`` when the query was rewritten
(main's text), else the current text, run as main's runner did (parameters bound by the
store). "After" is :func:`obligraph.queries.library.run`. Rows are compared as
multisets and in the order of the old text's leading ``ORDER BY`` columns
(:func:`bench.answers.same_answer`), on the bundled corpus with each header's example
values, on a store whose ``graph/answers`` was dropped (each query's counting branch),
and with more values for the parameterised queries.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from obligraph.queries.library import bind_params, catalogue, get, parse_query, run

from bench.answers import same_answer

BEFORE = Path(__file__).with_name("before")
MORE_PARAMS = {
    "task-search": [{"q": "TRẺ EM"}, {"q": "bao cao"}, {"q": 'a "b" } #'}, {"q": "  Xây   DỰNG "}],
    "documents": [{"year": "2021"}, {"year": "2022"}, {"year": "1999"}],
    "unit-search": [{"q": "Ủy BAN"}, {"q": "so y te"}, {"q": "  ĐOÀN  "}, {"q": 'a "b" } #'}],
    "who-owes-now": [
        {"document": "704/QĐ-LĐTBXH"},
        {"document": "4063/QĐ-UBND"},
        {"document": "none"},
    ],
    # parameters written in as constants (`bind: constant`)
    "legal-basis-chain": [{"document": "704/qđ-lđtbxh"}, {"document": 'x" } #'}],
    "implementers-of-programme": [{"programme": "23/qđ-ttg"}, {"programme": "none"}],
    "derived-from-basis": [{"basis": "Luật Trẻ em"}, {"basis": "luật trẻ em"}],
    "obligations-of-unit": [
        {"unit": "Cục Trẻ em", "subunits": "true"},
        {"unit": "Bộ Lao động - Thương binh và Xã hội", "subunits": "true"},
        {"unit": "Bộ Y tế"},
    ],
    "partners-of-unit": [{"unit": "Bộ Y tế"}, {"unit": "Bộ Lao động - Thương binh và Xã hội"}],
}


def old_text(name: str) -> str:
    path = BEFORE / f"{name}.rq"
    return path.read_text(encoding="utf-8") if path.exists() else get(name).text


def check(store, query, params, gazetteer) -> None:
    old = parse_query(old_text(query.name), name=query.name)
    declared = {k: v for k, v in params.items() if old.param(k)}  # not a newer `page`
    bindings = bind_params(old, declared, gazetteer=gazetteer)
    before = store.query(old.text, bindings=bindings or None)
    after = run(store, query, params, gazetteer=gazetteer)
    assert same_answer(old.text, before, after) is None, (query.name, params)


@pytest.fixture(scope="module")
def store_without_answers(corpus_docs, gazetteer):
    """The bundled corpus with ``graph/answers`` dropped (an endpoint loaded without it)."""
    from obligraph.graph.analysis.answers import answers_graph
    from obligraph.graph.build import write_documents
    from obligraph.graph.stores import open_store

    store = open_store(memory=True)
    write_documents(corpus_docs, store, gazetteer=gazetteer)
    store.replace_graph(answers_graph(), [])
    return store


@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_same_answer_with_the_examples(
    corpus_store, people_store, people_queries, gazetteer, query
):
    store = people_store if query.name in people_queries else corpus_store
    params = {p.name: p.example for p in query.params}
    check(store, query, params, gazetteer)


@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_same_answer_without_stored_answers(store_without_answers, gazetteer, query):
    params = {p.name: p.example for p in query.params}
    check(store_without_answers, query, params, gazetteer)


@pytest.mark.parametrize(
    "name,params", [(n, p) for n, ps in MORE_PARAMS.items() for p in ps], ids=str
)
def test_same_answer_with_other_values(corpus_store, gazetteer, name, params):
    check(corpus_store, get(name), params, gazetteer)


def test_stored_queries_keep_their_old_text():
    from obligraph.graph.analysis.answers import STORED

    kept = {p.stem for p in BEFORE.glob("*.rq")}
    assert set(STORED) <= kept <= {q.name for q in catalogue()}


PAGED = [q for q in catalogue() if q.param("page") is not None]


def pages_answer_the_whole(store, query, gazetteer, rows_per_page=100) -> None:
    """Pages 1, 2, ... of ``query`` (till an empty one) hold at most ``rows_per_page``
    rows each and, one after the other, are its whole answer (page 0) in its order."""
    from obligraph.graph.stores import QueryResult

    whole = run(store, query, {"page": "0"}, gazetteer=gazetteer)
    rows: list = []
    for n in range(1, len(whole.rows) // 100 + 3):
        page = run(store, query, {"page": str(n)}, gazetteer=gazetteer).rows
        assert len(page) <= rows_per_page, (query.name, n)
        if not page:
            break
        rows += page
    assert same_answer(query.text, whole, QueryResult(vars=whole.vars, rows=rows)) is None


@pytest.mark.parametrize("query", PAGED, ids=lambda q: q.name)
def test_pages_are_the_whole_answer(corpus_store, gazetteer, query):
    pages_answer_the_whole(corpus_store, query, gazetteer)


@pytest.mark.parametrize("query", PAGED, ids=lambda q: q.name)
def test_pages_without_stored_answers(store_without_answers, gazetteer, query):
    """Without stored answers, page 1 is every row (and page 2 none)."""
    whole = len(run(store_without_answers, query, {}, gazetteer=gazetteer).rows)
    pages_answer_the_whole(store_without_answers, query, gazetteer, rows_per_page=whole)
    second = run(store_without_answers, query, {"page": "2"}, gazetteer=gazetteer)
    assert whole and not second.rows


@pytest.fixture(scope="module")
def store_with_small_pages(corpus_docs, gazetteer):
    """The bundled corpus with its stored answers paged by 3 rows, not 100 (so that each
    answer spans many pages, as on a large corpus)."""
    from obligraph.graph.analysis import answers
    from obligraph.graph.build import write_documents
    from obligraph.graph.stores import open_store

    store = open_store(memory=True)
    write_documents(corpus_docs, store, gazetteer=gazetteer)
    rows_per_page, answers.PAGE_ROWS = answers.PAGE_ROWS, 3
    try:
        answers.refresh_answers(store)
    finally:
        answers.PAGE_ROWS = rows_per_page
    return store


@pytest.mark.parametrize("query", PAGED, ids=lambda q: q.name)
def test_small_pages_are_the_whole_answer(store_with_small_pages, gazetteer, query):
    whole = run(store_with_small_pages, query, {"page": "0"}, gazetteer=gazetteer)
    pages = [
        run(store_with_small_pages, query, {"page": str(n)}, gazetteer=gazetteer).rows
        for n in range(1, len(whole.rows) // 3 + 3)
    ]
    assert [len(p) for p in pages if p] == [3] * (len(whole.rows) // 3) + (
        [len(whole.rows) % 3] if len(whole.rows) % 3 else []
    )
    from obligraph.graph.stores import QueryResult

    joined = QueryResult(vars=whole.vars, rows=[r for p in pages for r in p])
    assert same_answer(query.text, whole, joined) is None, query.name
