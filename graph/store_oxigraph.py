"""The embedded backends: pyoxigraph on disk (default) and in memory.

A hidden graph, ``<urn:obligraph:union>``, is kept as the SET union of the named
graphs and the default graph (a triple that several documents state is there
once), and queries run with it as their default graph. Oxigraph's own
``use_default_graph_as_union`` is a bag: a unit's label or a cited decision's
number stated by N documents joins N times, so row counts and times grow with the
corpus squared (at 10 synthetic documents one named query took 48 s instead of
tens of ms; see docs/benchmark.md). Parameters are bound with pyoxigraph's
``substitutions``. :meth:`OxigraphStore.replace_graph` is ONE SPARQL update (drop
from the union what only the old graph said, ``DROP SILENT GRAPH``, ``INSERT
DATA`` into the graph and the union), which Oxigraph executes in one transaction:
either the new graph is there whole, or the old one is untouched.

>>> from rdflib import URIRef, Literal
>>> store = OxigraphStore(None)
>>> g = URIRef("https://example.org/g")
>>> t = (URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal(1))
>>> store.replace_graph(g, [t])
>>> store.replace_graph(g, [t])
>>> store.triples_count()
1
>>> store.replace_graph(URIRef("https://example.org/h"), [t])  # the same triple elsewhere
>>> len(store.query("SELECT ?s WHERE { ?s ?p ?o }").rows)  # once, not once per graph
1
>>> store.remove_graph(g); store.triples_count()
1
>>> len(store.query("SELECT * WHERE { ?s ?p ?o }").rows)
1
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from obligraph.graph.store import (
    DUMP_FORMATS,
    QueryResult,
    Store,
    Triple,
    dump_format,
    inject_values,
)
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Identifier, Node

from obligraph.errors import QueryError, StoreError

_XSD_STRING = str(XSD.string)
#: The hidden graph holding the set union of every other graph (the queries' default graph).
UNION = ox.NamedNode("urn:obligraph:union")
#: Refill the union from the named graphs and the real default graph.
RESYNC_UNION = (
    f"DROP SILENT GRAPH {UNION} ; INSERT {{ GRAPH {UNION} {{ ?s ?p ?o }} }} WHERE {{ "
    f"{{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {UNION}) }} }}"
)
_LANG_STRING = str(RDF.langString)


def to_rdflib(term: Any) -> Identifier | None:
    """A pyoxigraph term as an rdflib term (simple literals without a datatype).

    >>> to_rdflib(ox.Literal("Sở Y tế", language="vi"))
    rdflib.term.Literal('Sở Y tế', lang='vi')
    >>> to_rdflib(ox.Literal("3", datatype=ox.NamedNode(str(XSD.integer)))).toPython()
    3
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise StoreError(f"unsupported RDF term in result: {term!r}")


def to_oxigraph(term: Node) -> Any:
    """An rdflib term as a pyoxigraph term (raises QueryError on an invalid IRI)."""
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None and str(term.datatype) not in (_XSD_STRING,):
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
    except ValueError as exc:
        raise QueryError(f"not a valid RDF term {term!r}: {exc}") from None
    raise QueryError(f"not an RDF term: {term!r}")


def _check_location(path: Path, read_only: bool) -> None:
    if path.exists() and not path.is_dir():
        raise StoreError("not a store: this path is a file, a store is a folder", file=str(path))
    if path.is_dir():
        entries = {p.name for p in path.iterdir()}
        if entries and "CURRENT" not in entries:
            raise StoreError(
                "not a store: the folder holds other files (an obligraph store is a folder "
                "made by `obligraph build`; choose an empty or new folder)",
                file=str(path),
            )
    elif read_only:
        raise StoreError("no store here yet; run `obligraph build` first", file=str(path))


def _drop_from_union(graph: Any) -> str:
    """An update removing from the union what only ``graph`` states."""
    return (
        f"DELETE {{ GRAPH {UNION} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
        f"FILTER(?other != {graph} && ?other != {UNION}) }} "
        f"FILTER NOT EXISTS {{ ?s ?p ?o }} }}"
    )


class OxigraphStore(Store):
    """pyoxigraph on disk (``path``) or in memory (``path=None``)."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self.read_only = read_only
        self._bag_union = False  # True only for an old read-only store without the union
        self._named: list[Any] | None = None  # named graphs but the union (cached)
        if path is None:
            self.kind, self.location = "memory", "(in memory)"
            self._store = ox.Store()
            return
        path = Path(path).expanduser()
        self.kind, self.location = "embedded", str(path)
        _check_location(path, read_only)
        try:
            if read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreError(
                    "store is locked by another process (another obligraph command or server "
                    "is using it); close it or use --store / --memory",
                    file=str(path),
                ) from None
            raise StoreError(f"cannot open store: {text}", file=str(path)) from None
        self._check_union()

    def _check_union(self) -> None:
        """A store written before the union was kept (data but no union graph) gets
        it now; read-only, it is queried with Oxigraph's bag union instead."""
        if next(iter(self._store.quads_for_pattern(None, None, None, UNION)), None) is not None:
            return
        if next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None:
            return
        if self.read_only:
            self._bag_union = True
        else:
            self._store.update(RESYNC_UNION)

    # -- reading
    def query(self, sparql: str, *, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        subs = None
        if bindings:
            subs = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
        try:
            try:
                res = self._store.query(sparql, substitutions=subs, **self._dataset())
            except RuntimeError as exc:
                # pyoxigraph substitutes only projected variables; bind the rest by VALUES.
                if not subs or "projection" not in str(exc):
                    raise QueryError(f"query failed: {exc}") from None
                res = self._store.query(inject_values(sparql, bindings), **self._dataset())
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except (OSError, ValueError) as exc:
            raise QueryError(f"query failed: {exc}") from None
        if isinstance(res, ox.QueryBoolean):
            return QueryResult(boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows = [tuple(to_rdflib(sol[i]) for i in range(len(names))) for sol in res]
            return QueryResult(vars=names, rows=rows)
        graph = Graph()
        for t in res:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return QueryResult(graph=graph)

    def _named_graphs(self) -> list[Any]:
        if self._named is None:
            self._named = [g for g in self._store.named_graphs() if g != UNION]
        return self._named

    def _dataset(self) -> dict[str, Any]:
        """The query dataset: the union as default graph, the other graphs as named."""
        if self._bag_union:
            return {"use_default_graph_as_union": True}
        return {"default_graph": UNION, "named_graphs": self._named_graphs()}

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        for q in self._store.quads_for_pattern(None, None, None, None):
            if isinstance(q.graph_name, ox.DefaultGraph) or q.graph_name == UNION:
                continue
            yield (
                to_rdflib(q.subject),
                to_rdflib(q.predicate),
                to_rdflib(q.object),
                to_rdflib(q.graph_name),
            )

    def graph_triples(self, graph_iri: URIRef) -> list[Triple]:
        g = ox.NamedNode(str(graph_iri))
        return [
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
            for q in self._store.quads_for_pattern(None, None, None, g)
        ]

    def graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._named_graphs() if isinstance(g, ox.NamedNode))

    def triples_count(self, graph_iri: URIRef | None = None) -> int:
        return super().triples_count(graph_iri)  # COUNT(*) over the named graphs, in Rust

    # -- writing
    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("store opened read-only", file=self.location)

    def update(self, sparql: str) -> None:
        """Run a SPARQL update, then refill the union, in ONE transaction.

        Write into named graphs: the default graph is the union and is rebuilt
        from them (the whole store is read, so bulk writes go by replace_graph).
        """
        self._writable()
        self._named = None
        try:
            self._store.update(f"{sparql}\n;\n{RESYNC_UNION}")
        except SyntaxError as exc:
            raise QueryError(f"SPARQL update syntax error: {exc}") from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"update failed: {exc}", file=self.location) from None

    def replace_graph(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        """Drop and refill one named graph in ONE transaction (a single SPARQL update).

        The triples are serialised before anything is sent, so an error while
        producing them, or a term the store refuses, changes nothing.
        """
        self._writable()
        g = to_oxigraph(URIRef(graph_iri))
        lines = "\n".join(
            f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} ." for s, p, o in triples
        )
        text = _drop_from_union(g) + f" ;\nDROP SILENT GRAPH {g}"
        if lines:
            # one INSERT DATA for the graph and the union: a blank node is the same in both
            text += (
                f" ;\nINSERT DATA {{ GRAPH {g} {{\n{lines}\n}}\nGRAPH {UNION} {{\n{lines}\n}} }}"
            )
        self._named = None
        try:
            self._store.update(text)
        except (SyntaxError, OSError, ValueError) as exc:
            raise StoreError(f"replacing graph <{graph_iri}> failed: {exc}") from None

    def remove_graph(self, graph_iri: URIRef) -> None:
        self._writable()
        g = to_oxigraph(URIRef(graph_iri))
        self._named = None
        self._store.update(_drop_from_union(g) + f" ;\nDROP SILENT GRAPH {g}")

    def dump(self, dest: str | Path, fmt: str = "nquads") -> Path:
        fmt = dump_format(fmt)
        native = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
        if fmt not in native:
            return super().dump(dest, fmt)
        from obligraph.graph.vocab import PREFIXES

        dest = Path(dest)
        prefixes = PREFIXES if fmt == "trig" else None
        named = (
            q
            for q in self._store.quads_for_pattern(None, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name != UNION
        )
        ox.serialize(named, str(dest), native[fmt], prefixes=prefixes)
        assert DUMP_FORMATS[fmt][2]
        return dest

    def flush(self) -> None:
        if self.kind == "embedded" and not self.read_only:
            self._store.flush()

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None:
            if self.kind == "embedded" and not self.read_only:
                store.flush()
            self._store = None
            del store
            import gc

            gc.collect()
