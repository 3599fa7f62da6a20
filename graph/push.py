"""Copy a store's named graphs into a SPARQL server, in bulk where the server allows.

``obligraph push`` calls :func:`push`. Every named graph of the source ends up in
the target exactly as in the source (graphs the target already held are replaced
whole), so pushing again is idempotent. How the quads travel depends on the server
(:mod:`obligraph.graph.stores.engines` tells which it is):

* **Oxigraph server**: the graphs the target already holds are dropped (one update),
  then every graph goes in as N-Quads, ``POST /store``, in requests of whole graphs
  of at most ``batch_quads`` quads (Oxigraph's loader takes a request at once).
* **Virtuoso** and any server with the Graph Store Protocol: one ``PUT`` of
  N-Triples per graph, which replaces the graph atomically (measured against
  Virtuoso's own bulk loader in ``bench/engines.py`` and docs/stores.md).
* Any other SPARQL 1.1 server: one update per graph (``DROP`` + ``INSERT DATA``).

>>> from obligraph.graph.stores import open_store
>>> from rdflib import Literal, URIRef
>>> src = open_store(memory=True)
>>> src.replace_graph(URIRef("urn:g"), [(URIRef("urn:s"), URIRef("urn:p"), Literal("x"))])
>>> graph_ntriples(src, URIRef("urn:g"))
b'<urn:s> <urn:p> "x" .\\n'
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from obligraph.graph.stores import Store, term_n3
from rdflib import URIRef

BATCH_QUADS = 200_000


@dataclass
class PushReport:
    """What :func:`push` did: graphs and triples copied, how, and how long it took."""

    graphs: int = 0
    triples: int = 0
    method: str = ""
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Triples a second (0 when nothing was pushed)."""
        return self.triples / self.seconds if self.seconds else 0.0


def graph_ntriples(source: Store, graph_iri: URIRef) -> bytes:
    """One named graph of ``source`` as N-Triples bytes (straight from pyoxigraph when
    the source is the embedded or in-memory store)."""
    native = getattr(source, "_store", None)
    if native is not None and source.kind in ("embedded", "memory"):
        import pyoxigraph as ox

        quads = native.quads_for_pattern(None, None, None, ox.NamedNode(str(graph_iri)))
        return ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""
    from obligraph.graph.stores.terms import ntriples

    return ntriples(source.graph_triples(graph_iri))


def as_nquads(data: bytes, graph_iri: URIRef) -> bytes:
    """N-Triples lines as N-Quads lines in ``graph_iri``.

    >>> as_nquads(b'<urn:s> <urn:p> "a ." .\\n', URIRef("urn:g"))
    b'<urn:s> <urn:p> "a ." <urn:g> .\\n'
    """
    tail = f" {term_n3(graph_iri)} .\n".encode()
    return b"".join(line[:-1].rstrip() + tail for line in data.split(b"\n") if line)


def _batches(
    source: Store, graphs: Iterable[URIRef], batch_quads: int
) -> Iterator[tuple[list[URIRef], bytes, int]]:
    """Whole graphs as N-Quads, grouped into bodies of at most ``batch_quads`` quads
    (one graph bigger than that goes alone)."""
    names: list[URIRef] = []
    parts: list[bytes] = []
    count = 0
    for g in graphs:
        data = graph_ntriples(source, g)
        n = data.count(b"\n")
        if names and count + n > batch_quads:
            yield names, b"".join(parts), count
            names, parts, count = [], [], 0
        names.append(g)
        parts.append(as_nquads(data, g))
        count += n
    if names:
        yield names, b"".join(parts), count


def _drop(target: Store, graphs: list[URIRef], per_request: int = 200) -> None:
    for i in range(0, len(graphs), per_request):
        chunk = graphs[i : i + per_request]
        target.update(" ;\n".join(f"DROP SILENT GRAPH {term_n3(g)}" for g in chunk))


def push(
    source: Store,
    target: Store,
    *,
    progress: Callable[[URIRef], None] | None = None,
    batch_quads: int = BATCH_QUADS,
) -> PushReport:
    """Copy every named graph of ``source`` into the server behind ``target``.

    ``progress(iri)`` is called once per graph copied. Returns a :class:`PushReport`.
    """
    from obligraph.graph.stores.engines import detect_engine

    start = time.perf_counter()
    graphs = source.graphs()
    report = PushReport(graphs=len(graphs))
    store_url = getattr(target, "store_url", None)
    if target.kind == "endpoint" and store_url and detect_engine(store_url) == "oxigraph":
        report.method = "N-Quads POST /store"
        held = set(target.graphs())
        _drop(target, [g for g in graphs if g in held])
        for names, body, count in _batches(source, graphs, batch_quads):
            target._gsp("POST", None, body, content_type="application/n-quads")
            report.triples += count
            for g in names:
                if progress:
                    progress(g)
    else:
        report.method = "Graph Store Protocol PUT" if store_url else "SPARQL update"
        for g in graphs:
            data = graph_ntriples(source, g)
            if store_url:
                if data:
                    target._gsp("PUT", g, data)
                else:
                    target._gsp("DELETE", g)
            else:
                target.replace_graph(g, source.graph_triples(g))
            report.triples += data.count(b"\n")
            if progress:
                progress(g)
    report.seconds = time.perf_counter() - start
    return report
