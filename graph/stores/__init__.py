"""The store: one small interface, three backends.

* embedded on-disk pyoxigraph (the default; persistent, transactional),
* in-memory pyoxigraph (tests, notebooks),
* any SPARQL 1.1 endpoint (SPARQLWrapper for query/update, the Graph Store
  Protocol for whole graphs).

Every backend answers SPARQL over the UNION of its named graphs, returns rdflib
terms, and replaces a named graph atomically.

>>> from rdflib import Literal, URIRef
>>> store = open_store(memory=True)
>>> g = URIRef("https://example.org/graph/a")
>>> s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
>>> store.replace_graph(g, [(s, p, Literal("Cục Trẻ em", lang="vi"))])
>>> store.query("SELECT ?o WHERE { ?s ?p ?o }").rows
[(rdflib.term.Literal('Cục Trẻ em', lang='vi'),)]
>>> store.query("SELECT ?s WHERE { ?s ?p ?o }", bindings={"o": Literal("x")}).rows
[]
>>> store.query("ASK { ?s ?p ?o }").boolean
True
>>> store.graphs(), store.triples_count()
([rdflib.term.URIRef('https://example.org/graph/a')], 1)
"""

from __future__ import annotations

from pathlib import Path

from obligraph.graph.stores.api import (
    QueryResult,
    Store,
    Triple,
    add_known_prefixes,
    check_outbound,
    dump_format,
    inject_values,
    query_form,
    term_n3,
)

__all__ = [
    "QueryResult",
    "Store",
    "Triple",
    "add_known_prefixes",
    "check_outbound",
    "dump_format",
    "inject_values",
    "open_store",
    "query_form",
    "term_n3",
]


def open_store(
    location: str | Path | None = None,
    *,
    memory: bool = False,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    read_only: bool = False,
) -> Store:
    """Open a store: in memory, at a SPARQL endpoint, or on disk (the default).

    ``location`` defaults to :func:`obligraph.base.config.store_path`. An endpoint may be
    a server root (``http://127.0.0.1:7878``, Oxigraph's ``/query``, ``/update`` and
    ``/store`` are then assumed; Virtuoso's own paths when the server is Virtuoso,
    see :mod:`obligraph.graph.stores.engines`) or a query URL.
    """
    if endpoint:
        from obligraph.graph.stores.engines import open_endpoint

        return open_endpoint(endpoint, update_endpoint=update_endpoint, read_only=read_only)
    from obligraph.graph.stores.oxigraph import OxigraphStore

    if memory:
        return OxigraphStore(None)
    if location is None:
        from obligraph.base.config import store_path

        location = store_path()
    return OxigraphStore(Path(location), read_only=read_only)
