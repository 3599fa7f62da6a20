"""The embedded backends: pyoxigraph on disk (default) and in memory.

A hidden graph, ``<urn:obligraph:union>``, is kept as the SET union of the named
graphs and the default graph (a triple that several documents state is there
once), and queries run with it as their default graph. Oxigraph's own
``use_default_graph_as_union`` is a bag: a unit's label or a cited decision's
number stated by N documents joins N times, so row counts and times grow with the
corpus squared (at 10 synthetic documents one named query took 48 s instead of
tens of ms; see docs/benchmark.md). Parameters are bound with pyoxigraph's
``substitutions``.

Writes go through pyoxigraph's native API, each in one transaction: a new graph
and its union copy by ``Store.extend``; a graph already there by ONE SPARQL update
holding only the difference (``DELETE DATA`` what the old graph said and the new
does not, from the union too unless another graph states it; ``INSERT DATA`` what
is new), and nothing at all when the content is the same. Either the new graph is
there whole, or the old one is untouched. :meth:`OxigraphStore.write_graphs` (the
build) bulk-loads new graphs as N-Quads in batches of whole graphs.

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

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain, islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from obligraph.graph.stores.api import (
    QueryResult,
    Store,
    Triple,
    check_outbound,
    dump_format,
    inject_values,
)
from obligraph.graph.stores.terms import parse_ntriples, to_oxigraph, to_rdflib
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from obligraph.base.errors import QueryError, StoreError

#: The hidden graph holding the set union of every other graph (the queries' default graph).
UNION = ox.NamedNode("urn:obligraph:union")

#: Where a query may read named graphs (``GRAPH ?g``, ``GRAPH <g>``, ``FROM NAMED``): the
#: keyword, and the graph's IRI when one is written.
_COMMENT_LINES = re.compile(r"(?m)^\s*#.*$")  # a query file's header: words, not keywords
#: (a ``?from`` variable names no graph: successors-of-unit, who-owes-now)
_NAMES_GRAPHS = re.compile(r"(?<![?$\w])(GRAPH|FROM)\s+(?:<([^<>\s]*)>|[?$\w])", re.IGNORECASE)
#: Refill the union from the named graphs and the real default graph.
#: Take out of the union every statement a correction retracts (graph/corrections):
#: the default graph is the corrected reading, the document graphs keep theirs.
HIDE_RETRACTED = (
    f"DELETE {{ GRAPH {UNION} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {UNION} {{ "
    "?r a <https://w3id.org/obligraph/ontology#Retraction> ; "
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ; "
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ; "
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o } }"
)
RESYNC_UNION = (
    f"DROP SILENT GRAPH {UNION} ; INSERT {{ GRAPH {UNION} {{ ?s ?p ?o }} }} WHERE {{ "
    f"{{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {UNION}) }} }} ;\n"
    + HIDE_RETRACTED
)
_LANG_STRING = str(RDF.langString)
#: Quads (graph + union copy) per bulk load of new graphs: well under Oxigraph's bulk
#: batch of 1,000,000 quads, so one batch of whole graphs is ingested at once. The
#: bulk loader holds about 0.7 KB a quad while it sorts, so this bounds its memory
#: (~150 MB) whatever the corpus size.
BULK_BATCH_QUADS = 200_000
#: Run ``Store.optimize`` (RocksDB compaction) after a build bulk-loaded this many
#: quads: bulk-loaded files are not compacted yet, and reads were up to 5x slower
#: before it (1 s at 100 documents).
OPTIMIZE_AFTER_QUADS = 100_000
#: A graph whose replacement adds or removes more triples than this (the overlap graph
#: of a large corpus: 755,000 triples at 1,000 documents) is written in batches, each
#: its own transaction, not in one: a RocksDB transaction holds all it writes in memory
#: (the 1,000-document build peaked at 4.2 GB writing that graph in one).
BATCHED_REPLACE_TRIPLES = 100_000


def _has_blank(triples: Iterable[Any]) -> bool:
    return any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    )


def _with_graphs(data: bytes, graph: Any) -> tuple[bytes, int]:
    """N-Triples lines as N-Quads in ``graph`` and in the union; and the quad count."""
    in_graph = f" {graph} .\n".encode()
    in_union = f" {UNION} .\n".encode()
    out = []
    for line in data.split(b"\n"):
        if line:
            body = line[:-1].rstrip()  # drop the final "."
            out += (body, in_graph, body, in_union)
    return b"".join(out), len(out) // 2


def _data_block(graph: Any, triples: Iterable[Any]) -> str:
    return f"GRAPH {graph} {{\n" + "".join(f"{t} .\n" for t in triples) + "}\n"


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


def _replace_by_update(graph: Any, triples: list[Any]) -> str:
    """ONE update replacing ``graph`` by ``triples`` and keeping the union (blank nodes:
    one INSERT DATA for the graph and the union, so a blank node is the same in both)."""
    text = _drop_from_union(graph) + f" ;\nDROP SILENT GRAPH {graph}"
    if triples:
        text += " ;\nINSERT DATA {\n" + _data_block(graph, triples)
        text += _data_block(UNION, triples) + "}"
    return text


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
    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Any] | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a query; with ``max_rows``, only the first rows (or triples) are read,
        and the engine computes no more than it needs for them.

        >>> store = OxigraphStore(None)
        >>> len(store.query("SELECT ?n { VALUES ?n { 1 2 3 } }", max_rows=2).rows)
        2
        """
        check_outbound(sparql, self.allowed_services)
        subs = None
        if bindings:
            subs = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
        try:
            try:
                res = self._store.query(sparql, substitutions=subs, **self._dataset(sparql))
            except RuntimeError as exc:
                # pyoxigraph substitutes only projected variables; bind the rest by VALUES.
                if not subs or "projection" not in str(exc):
                    raise QueryError(f"query failed: {exc}") from None
                res = self._store.query(inject_values(sparql, bindings), **self._dataset(sparql))
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except (OSError, ValueError) as exc:
            raise QueryError(f"query failed: {exc}") from None
        if isinstance(res, ox.QueryBoolean):
            return QueryResult(boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows = [
                tuple(to_rdflib(sol[i]) for i in range(len(names))) for sol in islice(res, max_rows)
            ]
            return QueryResult(vars=names, rows=rows)
        graph = Graph()
        for t in islice(res, max_rows):
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return QueryResult(graph=graph)

    def text_rows(self, sparql: str) -> list[tuple[str | None, ...]]:
        """:meth:`Store.text_rows`, read off pyoxigraph's terms (no rdflib term is made:
        reading the summary of 10,000 documents spent half its time making them).

        >>> OxigraphStore(None).text_rows('SELECT ?a ?n { VALUES (?a ?n) { (<urn:x> 3) } }')
        [('urn:x', '3')]
        """
        check_outbound(sparql, self.allowed_services)
        try:
            res = self._store.query(sparql, **self._dataset(sparql))
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from None
        if not isinstance(res, ox.QuerySolutions):
            raise QueryError("not a SELECT query: it has no rows")
        width = range(len(res.variables))
        return [tuple(None if (t := sol[i]) is None else t.value for i in width) for sol in res]

    def _named_graphs(self) -> list[Any]:
        if self._named is None:
            self._named = [g for g in self._store.named_graphs() if g != UNION]
        return self._named

    def _dataset(self, sparql: str = "GRAPH ?g") -> dict[str, Any]:
        """The query dataset: the union as default graph, the other graphs as named.

        The named graphs are listed only as far as the query may read them: pyoxigraph
        converts the list on every call, which cost 80 ms a query at 10,000 documents
        (10,012 graphs) even for a query of one ``VALUES`` row. A query that names no
        graph (no ``GRAPH`` or ``FROM``) reads only the default graph; one whose every
        ``GRAPH`` names an IRI (``GRAPH <g>``) gets those graphs; any other the whole list.

        >>> store = OxigraphStore(None)
        >>> store._dataset("SELECT * { ?s ?p ?o }")
        {'default_graph': <NamedNode value=urn:obligraph:union>}
        >>> store._dataset("SELECT * { GRAPH <urn:g> { ?s ?p ?o } }")["named_graphs"]
        [<NamedNode value=urn:g>]
        >>> sorted(store._dataset(chr(10).join(["# read from the graph", "ASK {}"])))
        ['default_graph']
        >>> sorted(store._dataset("SELECT ?from ?to { ?from ?p ?to }"))
        ['default_graph']
        >>> sorted(store._dataset("SELECT * { GRAPH ?g { ?s ?p ?o } }"))
        ['default_graph', 'named_graphs']
        """
        if self._bag_union:
            return {"use_default_graph_as_union": True}
        named = _NAMES_GRAPHS.findall(_COMMENT_LINES.sub("", sparql))
        if not named:
            return {"default_graph": UNION}
        if all(kind.upper() == "GRAPH" and iri for kind, iri in named):
            iris = {iri for _, iri in named} - {UNION.value}
            return {"default_graph": UNION, "named_graphs": [ox.NamedNode(i) for i in iris]}
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
        check_outbound(sparql, self.allowed_services)
        self._named = None
        try:
            self._store.update(f"{sparql}\n;\n{RESYNC_UNION}")
        except SyntaxError as exc:
            raise QueryError(f"SPARQL update syntax error: {exc}") from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"update failed: {exc}", file=self.location) from None

    def replace_graph(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        """Drop and refill one named graph in ONE transaction.

        Every triple is turned into a pyoxigraph term before anything is written, so
        an error while producing them, or a term the store refuses, changes nothing.
        """
        self._writable()
        g = to_oxigraph(URIRef(graph_iri))
        terms = (ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples)
        if self._store.contains_named_graph(g):
            self._replace(g, list(terms))
            return
        head = list(islice(terms, BATCHED_REPLACE_TRIPLES + 1))
        if len(head) <= BATCHED_REPLACE_TRIPLES or _has_blank(head):
            self._replace(g, head + list(terms))
            return
        self._stream_new(g, chain(head, terms))

    def write_graphs(
        self,
        graphs: Iterable[tuple[URIRef, bytes]],
        progress: Callable[[URIRef], None] | None = None,
    ) -> None:
        """Replace many named graphs, each given as N-Triples bytes (the build's path).

        Graphs the store does not hold yet are bulk-loaded with their union copy, in
        batches of whole graphs (``BULK_BATCH_QUADS``); a graph already there is
        replaced by :meth:`replace_graph`'s difference update (nothing when it is
        unchanged). The bytes must be valid N-Triples (:func:`ntriples` makes them;
        the build checks them before writing anything), so a batch cannot fail
        half-way on bad data. After a large bulk load the store is optimised.
        """
        self._writable()
        batch: list[bytes] = []
        names: list[URIRef] = []
        queued = loaded = 0

        def flush() -> None:
            nonlocal queued, loaded
            if batch:
                self._named = None
                try:
                    self._store.bulk_load(b"".join(batch), ox.RdfFormat.N_QUADS)
                except (SyntaxError, OSError, ValueError) as exc:
                    raise StoreError(f"writing {len(names)} graph(s) failed: {exc}") from None
                for name in names:
                    if progress:
                        progress(name)
                loaded += queued
                batch.clear(), names.clear()
                queued = 0

        for graph_iri, data in graphs:
            g = to_oxigraph(URIRef(graph_iri))
            if self._store.contains_named_graph(g):
                try:
                    new = parse_ntriples(data)
                except SyntaxError as exc:
                    raise StoreError(f"graph <{graph_iri}>: not N-Triples: {exc}") from None
                self._replace(g, new)
                if progress:
                    progress(graph_iri)
                continue
            quads, count = _with_graphs(data, g)
            if count == 0:
                if progress:
                    progress(graph_iri)
                continue
            if queued and queued + count > BULK_BATCH_QUADS:
                flush()
            batch.append(quads)
            names.append(graph_iri)
            queued += count
        flush()
        if self.kind == "embedded" and loaded >= OPTIMIZE_AFTER_QUADS:
            self._store.optimize()

    def _stated_elsewhere(self, triple: Any, graph: Any) -> bool:
        """Whether a graph other than ``graph`` (or the default graph) states ``triple``."""
        for q in self._store.quads_for_pattern(triple.subject, triple.predicate, triple.object):
            if q.graph_name != graph and q.graph_name != UNION:
                return True
        return False

    def _replace(self, g: Any, new: list[Any]) -> None:
        """Make graph ``g`` hold exactly ``new`` (pyoxigraph triples), in one transaction."""
        self._named = None
        try:
            if not self._store.contains_named_graph(g):
                if len(new) > BATCHED_REPLACE_TRIPLES and not _has_blank(new):
                    self._insert_in_batches(g, new)
                elif new:  # a graph and its union copy, in one transaction
                    self._store.extend(
                        [
                            ox.Quad(t.subject, t.predicate, t.object, q)
                            for q in (g, UNION)
                            for t in new
                        ]
                    )
                return
            old = [q.triple for q in self._store.quads_for_pattern(None, None, None, g)]
            if _has_blank(old) or _has_blank(new):  # DELETE DATA takes no blank nodes
                self._store.update(_replace_by_update(g, new))
                return
            old_set, new_set = set(old), set(new)
            if new_set and old_set == new_set:
                return  # rebuilding an unchanged document writes nothing
            gone, added = old_set - new_set, new_set - old_set
            if len(gone) + len(added) > BATCHED_REPLACE_TRIPLES:
                self._change_in_batches(g, gone, added)
                return
            from_union = [t for t in gone if not self._stated_elsewhere(t, g)]
            steps = []
            if gone:
                keep_graph = "" if not new_set else _data_block(g, gone)
                union = _data_block(UNION, from_union) if from_union else ""
                if keep_graph or union:
                    steps.append("DELETE DATA {\n" + keep_graph + union + "}")
            if not new_set:
                steps.append(f"DROP SILENT GRAPH {g}")
            if added:
                steps.append(
                    "INSERT DATA {\n" + _data_block(g, added) + _data_block(UNION, added) + "}"
                )
            self._store.update(" ;\n".join(steps))
        except (SyntaxError, OSError, ValueError) as exc:
            raise StoreError(f"replacing graph <{g.value}> failed: {exc}") from None

    def change_graph(
        self, graph_iri: URIRef, remove: Iterable[Triple], add: Iterable[Triple]
    ) -> None:
        """Take ``remove`` out of one named graph and put ``add`` in, with the union, in
        ONE update that names only those triples (not a rewrite of the graph).

        >>> from rdflib import Literal
        >>> store = OxigraphStore(None)
        >>> g, s, p = URIRef("urn:g"), URIRef("urn:s"), URIRef("urn:p")
        >>> store.replace_graph(g, [(s, p, Literal(1))])
        >>> store.change_graph(g, [(s, p, Literal(1))], [(s, p, Literal(2))])
        >>> [str(o) for _, _, o in store.graph_triples(g)], len(store.query("SELECT * { ?s ?p 1 }"))
        (['2'], 0)
        """
        self._writable()
        g = to_oxigraph(URIRef(graph_iri))

        def terms(triples: Iterable[Triple]) -> set[Any]:
            return {
                ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples
            }

        gone, added = terms(remove), terms(add)
        if _has_blank(gone) or _has_blank(added):  # DELETE DATA takes no blank nodes
            super().change_graph(graph_iri, remove, add)
            return
        both = gone & added
        gone = {
            t for t in gone - both if ox.Quad(t.subject, t.predicate, t.object, g) in self._store
        }
        added -= both
        self._named = None
        steps = []
        if gone:
            from_union = [t for t in gone if not self._stated_elsewhere(t, g)]
            union = _data_block(UNION, from_union) if from_union else ""
            steps.append("DELETE DATA {\n" + _data_block(g, gone) + union + "}")
        if added:
            steps.append(
                "INSERT DATA {\n" + _data_block(g, added) + _data_block(UNION, added) + "}"
            )
        if steps:
            try:
                self._store.update(" ;\n".join(steps))
            except (SyntaxError, OSError, ValueError) as exc:
                raise StoreError(f"changing graph <{g.value}> failed: {exc}") from None

    def triples_about(self, graph_iri: URIRef, subjects: Iterable[URIRef]) -> list[Triple]:
        """The triples of one named graph whose subject is one of ``subjects`` (index
        lookups, one per subject)."""
        g = to_oxigraph(URIRef(graph_iri))
        out: list[Triple] = []
        for subject in subjects:
            for q in self._store.quads_for_pattern(to_oxigraph(URIRef(subject)), None, None, g):
                out.append((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return out

    def _stream_new(self, g: Any, terms: Iterable[Any]) -> None:
        """Fill the new graph ``g`` from ``terms`` as they come, by the bulk loader in
        batches, so a graph of millions of triples is never held whole (a full overlap
        refresh at 10,000 documents writes about 7.5M). An error on the way (a bad term,
        or one raised while the triples are made) takes out what was written, so the
        store is left as it was, and is raised again."""
        self._named = None
        try:
            self._insert_in_batches(g, terms)
        except BaseException as exc:
            self._named = None
            if self._store.contains_named_graph(g):
                self._replace(g, [])
            if isinstance(exc, (SyntaxError, OSError, ValueError)):
                raise StoreError(f"writing graph <{g.value}> failed: {exc}") from exc
            raise

    def _insert_in_batches(self, g: Any, triples: Iterable[Any]) -> None:
        """Add ``triples`` to graph ``g`` and the union by the bulk loader, in batches of
        ``BULK_BATCH_QUADS`` quads (memory bounded whatever the graph's size; not one
        transaction: a write cut short leaves part of the graph, which the next
        :meth:`replace_graph` of it completes, since it writes the difference)."""
        batch: list[Any] = []
        for t in triples:
            batch += (
                ox.Quad(t.subject, t.predicate, t.object, g),
                ox.Quad(t.subject, t.predicate, t.object, UNION),
            )
            if len(batch) >= BULK_BATCH_QUADS:
                self._store.bulk_extend(batch)
                batch = []
        if batch:
            self._store.bulk_extend(batch)
        # bulk-loaded files are read slowly until compacted; compacting a store of 10,000
        # documents takes minutes, so it is done once, after the build's last large write
        self._unsettled = self.kind == "embedded"

    def _change_in_batches(self, g: Any, gone: set[Any], added: set[Any]) -> None:
        """Apply a large difference to graph ``g`` (and the union) in batches: ``gone``
        by ``DELETE DATA`` updates of ``BATCHED_REPLACE_TRIPLES`` triples, then ``added``
        by :meth:`_insert_in_batches`. An empty graph afterwards is dropped."""
        gone_list = list(gone)
        step = BATCHED_REPLACE_TRIPLES
        for i in range(0, len(gone_list), step):
            part = gone_list[i : i + step]
            from_union = [t for t in part if not self._stated_elsewhere(t, g)]
            union = _data_block(UNION, from_union) if from_union else ""
            self._store.update("DELETE DATA {\n" + _data_block(g, part) + union + "}")
        if added:
            self._insert_in_batches(g, added)
        elif not any(True for _ in self._store.quads_for_pattern(None, None, None, g)):
            self._store.update(f"DROP SILENT GRAPH {g}")

    def hide_retracted(self, restore: Iterable[Triple] = ()) -> None:
        """Put back into the union the ``restore`` statements (retracted before) that a
        named graph states, then take out every statement a correction now retracts."""
        self._writable()
        back = []
        for s, p, o in restore:
            t = ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
            if self._stated_elsewhere(t, UNION):
                back.append(t)
        steps = ["INSERT DATA {\n" + _data_block(UNION, back) + "}"] if back else []
        try:
            self._store.update(" ;\n".join([*steps, HIDE_RETRACTED]))
        except (SyntaxError, OSError, ValueError) as exc:
            raise StoreError(f"applying corrections failed: {exc}") from None

    def remove_graph(self, graph_iri: URIRef) -> None:
        self._writable()
        self._replace(to_oxigraph(URIRef(graph_iri)), [])

    def dump(self, dest, fmt: str = "nquads"):
        rdf = dump_format(fmt)
        native = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
        if rdf.name not in native:
            return super().dump(dest, fmt)
        from obligraph.base.vocab import PREFIXES

        prefixes = PREFIXES if rdf.name == "trig" else None
        named = (
            q
            for q in self._store.quads_for_pattern(None, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name != UNION
        )
        target = dest if hasattr(dest, "write") else str(dest)
        ox.serialize(named, target, native[rdf.name], prefixes=prefixes)
        return dest if hasattr(dest, "write") else Path(dest)

    def flush(self) -> None:
        if self.kind == "embedded" and not self.read_only:
            self._store.flush()

    def settle(self) -> None:
        """Compact what large graph writes bulk-loaded since the last time (RocksDB
        reads such files slowly until then): once, however many large graphs a refresh
        wrote (the overlap graph, the search keys and the stored answers each took a
        compaction of the whole store before: minutes at 10,000 documents).

        >>> store = OxigraphStore(None)
        >>> store.settle()  # nothing to do in memory
        """
        if getattr(self, "_unsettled", False) and self._store is not None:
            self._store.optimize()
        self._unsettled = False

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None:
            if self.kind == "embedded" and not self.read_only:
                self.settle()
                store.flush()
            self._store = None
            del store
            import gc

            gc.collect()
