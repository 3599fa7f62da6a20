"""A hostile parameter value is data: it cannot change a named query.

Every named query is run with values built to break out of a string literal, a
``VALUES`` block or the WHERE group (quotes of every kind, backslashes, braces,
``#`` comments, ``} UNION { ?s ?p ?o }``, newlines). Were any of them pasted into
the query text, the UNION would return the whole graph. Bound as RDF terms, they
are strings nothing in the corpus equals: no rows, no error, nothing changed.
"""

from __future__ import annotations

import pytest
from obligraph.queries.library import catalogue, run

from obligraph.base.errors import QueryError, UnitNotFoundError

BREAKOUT = "} UNION { ?s ?p ?o } #"
OR_TRUE = 'x") || true || LCASE("'
HOSTILE = [
    OR_TRUE,
    f'x" {BREAKOUT}',
    f"x' {BREAKOUT}",
    f'x""" {BREAKOUT}',
    f"x''' {BREAKOUT}",
    f'x\\" {BREAKOUT}',
    f"x\\ {BREAKOUT}",
    '704/QĐ-LĐTBXH" || true || "',
    'tre em") } UNION { ?s ?p ?o FILTER(true) } # (',
    "x\n} UNION { ?s ?p ?o }\n#",
    "}}}{{{ # ;",
    "?s ?p ?o",
    "<https://w3id.org/obligraph/id/unit/cuc-tre-em>",
    '"; DELETE WHERE { ?s ?p ?o } ; SELECT * WHERE { "',
]
LITERAL_CASES = [
    (q, p.name)
    for q in catalogue()
    for p in q.params
    if p.type == "literal"
]  # fmt: skip


def examples(query) -> dict[str, str]:
    return {p.name: p.example for p in query.params}


def test_every_literal_parameter_is_covered():
    covered = {(q.name, name) for q, name in LITERAL_CASES}
    for pair in [
        ("tasks-of-document", "document"),
        ("implementers-of-programme", "programme"),
        ("legal-basis-chain", "document"),
        ("derived-from-basis", "basis"),
        ("task-search", "q"),
        ("unit-search", "q"),
    ]:
        assert pair in covered


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize(("query", "param"), LITERAL_CASES, ids=lambda x: getattr(x, "name", x))
def test_hostile_literal_matches_nothing(corpus_store, query, param, value):
    before = corpus_store.triples_count()
    params = examples(query)
    assert run(corpus_store, query.name, params).rows  # the example itself finds something
    params[param] = value
    result = run(corpus_store, query.name, params)
    assert result.rows == []
    assert corpus_store.triples_count() == before


@pytest.mark.parametrize("value", [*HOSTILE[:6], BREAKOUT])
def test_hostile_unit_name_is_an_unknown_unit(corpus_store, value):
    with pytest.raises(UnitNotFoundError):
        run(corpus_store, "obligations-of-unit", {"unit": value, "subunits": "false"})


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [
        ("indicator-targets", "year", f"2025 {BREAKOUT}"),
        ("indicator-targets", "year", '2025"^^<http://www.w3.org/2001/XMLSchema#integer> }'),
        ("obligations-due", "year", "2025 || true"),
        ("obligations-due-before", "date", f'2020-12-31" {BREAKOUT}'),
        ("obligations-of-unit", "subunits", f"true {BREAKOUT}"),
    ],
)
def test_hostile_typed_value_is_refused(corpus_store, name, param, value):
    query = next(q for q in catalogue() if q.name == name)
    params = examples(query)
    params[param] = value
    with pytest.raises(QueryError, match=param):
        run(corpus_store, name, params)


def test_the_attack_is_real_when_pasted(corpus_store):
    """Pasted as text, one of the values above would list every document's tasks."""
    query = next(q for q in catalogue() if q.name == "tasks-of-document")
    pasted = query.text.replace("LCASE(STR(?document))", f'LCASE("{OR_TRUE}")')
    leaked = {str(row[-1]).split("/task/")[0] for row in corpus_store.query(pasted).rows}
    assert len(leaked) == 5  # every loaded document
    bound = run(corpus_store, "tasks-of-document", {"document": OR_TRUE})
    assert bound.rows == []
