"""rdflib's in-memory Dataset behind obligraph's Store interface: the benchmark's baseline.

The named queries run through the same runner (:func:`obligraph.queries.library.run`)
on both stores; only the engine differs. rdflib's own SPARQL engine is slow on large
graphs, so :func:`time_limit` interrupts a query after a given number of seconds
(``SIGALRM``: main thread, POSIX only).

>>> from rdflib import Literal, URIRef
>>> store = RdflibStore()
>>> g = URIRef("https://example.org/graph/a")
>>> store.add_quads([(URIRef("https://example.org/s"), URIRef("https://example.org/p"),
...                   Literal("Cục Trẻ em", lang="vi"), g)])
>>> store.query("SELECT ?o WHERE { ?s ?p ?o }").rows
[(rdflib.term.Literal('Cục Trẻ em', lang='vi'),)]
>>> store.query("ASK { ?s ?p 'x' }").boolean
False
"""

from __future__ import annotations

import signal
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from obligraph.graph.stores import QueryResult, Store


class QueryTimeout(Exception):
    """A query ran past its time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`QueryTimeout` inside the block after ``seconds`` (0 = no limit)."""
    if seconds <= 0:
        yield
        return

    def _alarm(signum: int, frame: Any) -> None:
        raise QueryTimeout(f"query ran past {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class RdflibStore(Store):
    """An rdflib ``Dataset`` whose default graph is the union of its named graphs."""

    kind = "rdflib-memory"
    location = "(rdflib in memory)"

    def __init__(self) -> None:
        from rdflib import Dataset

        self.ds = Dataset(default_union=True)

    def add_quads(self, quads: Iterable[tuple[Any, Any, Any, Any]]) -> None:
        """Add ``(s, p, o, graph IRI)`` quads."""
        graphs: dict[Any, Any] = {}

        def context(g: Any) -> Any:
            if g not in graphs:
                graphs[g] = self.ds.graph(g)
            return graphs[g]

        self.ds.addN((s, p, o, context(g)) for s, p, o, g in quads)

    def query(self, sparql: str, *, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        res = self.ds.query(sparql, initBindings=dict(bindings or {}))
        if res.type == "ASK":
            return QueryResult(boolean=bool(res.askAnswer))
        if res.type == "SELECT":
            names = [str(v) for v in res.vars]
            return QueryResult(vars=names, rows=[tuple(row) for row in res])
        return QueryResult(graph=res.graph)

    def triples_count(self, graph_iri: Any = None) -> int:
        return len(self.ds)
