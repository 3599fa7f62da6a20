"""The store interface every backend implements, and the guards on SPARQL text that
every backend applies (outbound requests refused, prefixes added, parameters bound).

The backends are :mod:`~obligraph.graph.stores.oxigraph` (embedded, on disk or in
memory) and :mod:`~obligraph.graph.stores.endpoint` (any SPARQL 1.1 server);
:func:`obligraph.graph.stores.open_store` opens one.

>>> query_form("PREFIX ob: <x#> SELECT * WHERE { ?s ?p ?o }")
'SELECT'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from obligraph.base.errors import QueryError, StoreError

Triple = tuple[Node, Node, Node]


def dump_format(name: str):
    """The RDF format (the ``rdf`` family of :mod:`obligraph.output.formats`) called
    ``name`` or one of its aliases; StoreError when there is none.

    >>> dump_format("ttl").name, dump_format("ttl").serializer, dump_format("nq").dataset
    ('turtle', 'turtle', True)
    """
    from obligraph.base.errors import UsageError
    from obligraph.output import formats

    try:
        return formats.get("rdf", name.lower())
    except UsageError:
        names = ", ".join(formats.names("rdf"))
        raise StoreError(f"unknown format {name!r}; use one of {names}") from None


@dataclass
class QueryResult:
    """What a query returns.

    SELECT fills ``vars`` and ``rows`` (rdflib terms, None when unbound); ASK fills
    ``boolean``; CONSTRUCT and DESCRIBE fill ``graph``.
    """

    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def dicts(self) -> list[dict[str, Identifier | None]]:
        """Rows as ``{variable: term}`` dictionaries."""
        return [dict(zip(self.vars, row, strict=True)) for row in self.rows]

    def __len__(self) -> int:
        if self.graph is not None:
            return len(self.graph)
        return len(self.rows)


# ---------------------------------------------------------------- binding


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def term_n3(term: Identifier) -> str:
    """A term in SPARQL syntax; refuses IRIs that could break out of ``<...>``.

    >>> term_n3(Literal('a "quoted" } # not a comment'))
    '"a \\\\"quoted\\\\" } # not a comment"'
    >>> term_n3(URIRef("https://example.org/a b"))
    Traceback (most recent call last):
    ...
    obligraph.base.errors.QueryError: not a valid IRI: 'https://example.org/a b'
    """
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise QueryError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    if isinstance(term, BNode):
        raise QueryError("a blank node cannot be bound as a query parameter")
    raise QueryError(f"cannot bind {term!r} as an RDF term")


_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE | re.DOTALL,
)


def where_group_start(sparql: str) -> int:
    """Offset just after the ``{`` opening the outermost WHERE group.

    Strings, IRIs and comments are skipped, so a ``{`` or ``#`` inside them does
    not count. A CONSTRUCT template is skipped by looking for the WHERE keyword.

    >>> q = 'CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o }'
    >>> q[where_group_start(q):]
    ' ?s ?p ?o }'
    >>> q = 'SELECT * # WHERE {\\n{ ?s ?p ?o }'
    >>> q[where_group_start(q):]
    ' ?s ?p ?o }'
    """
    depth = 0
    first_open = None
    seen_where = False
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup
        if kind == "open":
            if depth == 0 and (seen_where or first_open is None):
                if seen_where:
                    return m.end()
                first_open = m.end()
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word" and depth == 0 and m.group().upper() == "WHERE":
            seen_where = True
    if first_open is not None and not seen_where:
        return first_open
    raise QueryError("cannot find the WHERE group of the query to bind parameters")


QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


def query_form(sparql: str) -> str:
    """The form of a SPARQL query: SELECT, CONSTRUCT, ASK or DESCRIBE.

    Comments, strings and IRIs are skipped, and so is the name declared by
    ``PREFIX``, so a header comment mentioning a "task" or a property called
    ``ob:loaded`` does not make a SELECT look like ASK or LOAD (SPARQLWrapper's
    own guess does exactly that).

    >>> query_form("# Tasks loaded\\nPREFIX ob: <urn:o#>\\nSELECT ?t { ?t ob:loaded 1 }")
    'SELECT'
    >>> query_form("PREFIX ask-me: <urn:x#> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    >>> query_form("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    Traceback (most recent call last):
    ...
    obligraph.base.errors.QueryError: not a SPARQL query (SELECT, CONSTRUCT, ASK or DESCRIBE)
    """
    after_prefix = False  # inside ``PREFIX name: <iri>``, up to the IRI
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup == "iri":
            after_prefix = False
        if m.lastgroup != "word" or after_prefix:
            continue
        word = m.group().upper()
        if word == "PREFIX":
            after_prefix = True
        elif word in QUERY_FORMS:
            return word
        elif word != "BASE":
            break
    raise QueryError("not a SPARQL query (SELECT, CONSTRUCT, ASK or DESCRIBE)")


def outbound_targets(sparql: str) -> list[str]:
    r"""What a query or update would reach over the network or the file system: the
    IRI after ``SERVICE`` (``SILENT`` allowed) or ``LOAD``; ``"?"`` when it is a variable
    or a prefixed name. Comments, strings and IRIs elsewhere are skipped.

    >>> outbound_targets("SELECT * { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }")
    ['http://127.0.0.1:1/x']
    >>> outbound_targets("# SERVICE <http://a>\nSELECT ('SERVICE <x>' AS ?v) {}")
    []
    >>> outbound_targets("LOAD SILENT <file:///etc/passwd>")
    ['file:///etc/passwd']
    >>> outbound_targets("SELECT * { SERVICE ?e {} }")
    ['?']
    """
    out: list[str] = []
    waiting = False
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup
        if kind in ("comment", "string"):
            continue
        if waiting:
            if kind == "word" and m.group().upper() == "SILENT":
                continue
            out.append(m.group()[1:-1] if kind == "iri" else "?")
            waiting = False
            continue
        if kind == "word" and m.group().upper() in ("SERVICE", "LOAD"):
            waiting = True
    if waiting:
        out.append("?")
    return out


def check_outbound(sparql: str, allowed: frozenset[str] = frozenset()) -> None:
    """Refuse a query or update that would reach an address the user did not name.

    obligraph reaches nothing the user did not name for that run: ``SERVICE`` and
    ``LOAD`` go only to the endpoints allowed (``--allow-service URL``), never to a
    variable address, and never to ``file:``.

    >>> check_outbound("SELECT * { SERVICE <http://a.example/q> { ?s ?p ?o } }",
    ...                frozenset({"http://a.example/q"}))
    >>> check_outbound("SELECT * { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    obligraph.base.errors.QueryError: the query would reach <http://127.0.0.1:9/x>...
    """
    for target in outbound_targets(sparql):
        if target != "?" and target in allowed and not target.lower().startswith("file:"):
            continue
        shown = "a variable address" if target == "?" else f"<{target}>"
        hint = "" if target == "?" else f"; allow it for this run with --allow-service {target}"
        raise QueryError(
            f"the query would reach {shown} (SERVICE or LOAD): obligraph reaches no "
            f"address you did not name{hint}"
        )


def add_known_prefixes(sparql: str, prefixes: Mapping[str, str] | None = None) -> str:
    """Declare the usual prefixes (``ob:``, ``eli:``, ``skos:``, ...) a query uses but lacks.

    Only prefixes that appear as ``name:`` outside strings, IRIs and comments and
    that the query does not declare itself are added, in front of the text.

    >>> add_known_prefixes("SELECT ?t WHERE { ?t a ob:Task }")
    'PREFIX ob: <https://w3id.org/obligraph/ontology#>\\nSELECT ?t WHERE { ?t a ob:Task }'
    >>> q = "PREFIX ob: <urn:mine#> SELECT ?t WHERE { ?t a ob:Task ; ?p 'skos:x' }"
    >>> add_known_prefixes(q) == q
    True
    """
    if prefixes is None:
        from obligraph.base.vocab import PREFIXES

        prefixes = PREFIXES
    code = _TOKEN.sub(
        lambda m: " " if m.lastgroup in ("comment", "string", "iri") else m.group(), sparql
    )
    declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([\w.-]*):", code)}
    used = {m.group(1) for m in re.finditer(r"(?<![\w:?$])([A-Za-z][\w.-]*):", code)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in prefixes.items() if p in used - declared]
    return "\n".join([*lines, sparql]) if lines else sparql


def inject_values(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """Bind variables by a ``VALUES`` block at the start of the outermost WHERE group.

    Values are serialised as RDF terms, never pasted as text: quotes, braces and
    ``#`` inside a literal stay data.

    >>> inject_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal("x")})
    'SELECT ?s WHERE { VALUES (?o) { ("x") } ?s ?p ?o }'
    """
    if not bindings:
        return sparql
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"not a variable name: {name!r}")
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(term_n3(bindings[n]) for n in names)
    at = where_group_start(sparql)
    return f"{sparql[:at]} VALUES ({head}) {{ ({row}) }}{sparql[at:]}"


# ---------------------------------------------------------------- interface


def _from_oxigraph(term: Any) -> Identifier:
    from obligraph.graph.stores.terms import to_rdflib

    return to_rdflib(term)


class Store:
    """The interface every backend implements (see the module docstring)."""

    location: str = ""
    kind: str = ""
    # endpoints a SERVICE or LOAD may reach in this run (``--allow-service``); none by default
    allowed_services: frozenset[str] = frozenset()

    def query(self, sparql: str, *, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        raise NotImplementedError

    def update(self, sparql: str) -> None:
        raise NotImplementedError

    def text_rows(self, sparql: str) -> list[tuple[str | None, ...]]:
        """A SELECT's rows as the text of each term (an IRI, a literal's lexical form, a
        blank node's label; ``None`` when unbound): what the build's flat reads join,
        without making a term object of each cell.

        >>> from obligraph.graph.stores import open_store
        >>> store = open_store(memory=True)
        >>> store.text_rows('SELECT ?a ?b ?c { VALUES (?a ?b) { (<urn:x> "Sở Y tế"@vi) } }')
        [('urn:x', 'Sở Y tế', None)]
        """
        return [
            tuple(None if term is None else str(term) for term in row)
            for row in self.query(sparql).rows
        ]

    def replace_graph(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        """Replace the named graph by ``triples`` in one transaction."""
        raise NotImplementedError

    def change_graph(
        self, graph_iri: URIRef, remove: Iterable[Triple], add: Iterable[Triple]
    ) -> None:
        """Take ``remove`` out of one named graph and put ``add`` in, in one transaction:
        a small update of a large graph (how an incremental overlap refresh writes).

        This default rewrites the graph; backends do the update itself.

        >>> from obligraph.graph.stores import open_store
        >>> store = open_store(memory=True)
        >>> g, s, p = URIRef("urn:g"), URIRef("urn:s"), URIRef("urn:p")
        >>> store.replace_graph(g, [(s, p, Literal(1)), (s, p, Literal(2))])
        >>> Store.change_graph(store, g, [(s, p, Literal(1))], [(s, p, Literal(3))])
        >>> sorted(int(o) for _, _, o in store.graph_triples(g))
        [2, 3]
        """
        gone = set(remove)
        kept = {t for t in self.graph_triples(graph_iri) if t not in gone}
        self.replace_graph(graph_iri, [*kept, *(t for t in set(add) if t not in kept)])

    def triples_about(self, graph_iri: URIRef, subjects: Iterable[URIRef]) -> list[Triple]:
        """The triples of one named graph whose subject is one of ``subjects``.

        >>> from obligraph.graph.stores import open_store
        >>> store = open_store(memory=True)
        >>> g, s, p = URIRef("urn:g"), URIRef("urn:s"), URIRef("urn:p")
        >>> store.replace_graph(g, [(s, p, Literal(1)), (p, p, Literal(2))])
        >>> [str(o) for _, _, o in Store.triples_about(store, g, [s])]
        ['1']
        """
        wanted = {URIRef(x) for x in subjects}
        return [t for t in self.graph_triples(graph_iri) if t[0] in wanted]

    def write_graphs(
        self,
        graphs: Iterable[tuple[URIRef, bytes]],
        progress: Callable[[URIRef], None] | None = None,
    ) -> None:
        """Replace many named graphs, each given as N-Triples bytes (how the build writes).

        Each graph is replaced in its own transaction; ``progress(iri)`` is called after
        each. Backends may write in batches (the embedded store bulk-loads new graphs).

        >>> store = open_store(memory=True)
        >>> g = URIRef("https://example.org/g")
        >>> Store.write_graphs(store, [(g, b'<urn:s> <urn:p> "1" .\\n')])
        >>> store.triples_count(g)
        1
        """
        import pyoxigraph as ox

        for graph_iri, data in graphs:
            triples = []
            for q in ox.parse(data, ox.RdfFormat.N_TRIPLES):
                triples.append(tuple(_from_oxigraph(t) for t in q.triple))
            self.replace_graph(graph_iri, triples)
            if progress:
                progress(graph_iri)

    def hide_retracted(self, restore: Iterable[Triple] = ()) -> None:
        """Make the default graph lack the statements corrections retract.

        Only the embedded backends keep the default graph themselves; a server's
        default graph is its own union of the named graphs, so a correction that
        takes a statement away cannot be honoured there and is refused.
        """
        ask = "ASK { ?r a <https://w3id.org/obligraph/ontology#Retraction> }"
        if self.query(ask).boolean:
            raise StoreError(
                "corrections that take a statement away need the embedded store: a "
                "SPARQL server's default graph is its own union of the named graphs",
                file=self.location,
            )

    def remove_graph(self, graph_iri: URIRef) -> None:
        raise NotImplementedError

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """Every quad in a named graph."""
        raise NotImplementedError

    def graph_triples(self, graph_iri: URIRef) -> list[Triple]:
        """The triples of one named graph."""
        q = f"SELECT ?s ?p ?o WHERE {{ GRAPH {term_n3(URIRef(graph_iri))} {{ ?s ?p ?o }} }}"
        return [tuple(row) for row in self.query(q).rows]

    def graphs(self) -> list[URIRef]:
        """Named graphs, sorted."""
        res = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row[0] for row in res.rows if isinstance(row[0], URIRef))

    def triples_count(self, graph_iri: URIRef | None = None) -> int:
        """Quads in all named graphs (or in one)."""
        if graph_iri is None:
            q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        else:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {term_n3(graph_iri)} {{ ?s ?p ?o }} }}"
        return int(self.query(q).rows[0][0].toPython())

    def dataset(self):
        """The whole store as an rdflib Dataset (for serialisation)."""
        from rdflib import Dataset

        from obligraph.base.vocab import PREFIXES

        ds = Dataset()
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        for s, p, o, g in self.quads():
            ds.add((s, p, o, g))
        return ds

    def dump(self, dest: str | Path | BinaryIO, fmt: str = "nquads") -> str | Path | BinaryIO:
        """Write every named graph to ``dest`` (a path or a binary stream) as N-Quads,
        TriG, Turtle, JSON-LD or N-Triples (:func:`dump_format`).

        Turtle and N-Triples (single-graph formats) get the union of all named graphs.
        """
        rdf = dump_format(fmt)
        ds = self.dataset()
        if rdf.dataset:
            data = ds.serialize(format=rdf.serializer)
        else:
            union = Graph()
            for prefix, ns in ds.namespaces():
                union.bind(prefix, ns)
            for s, p, o, _g in ds.quads((None, None, None, None)):
                union.add((s, p, o))
            data = union.serialize(format=rdf.serializer)
        if hasattr(dest, "write"):
            dest.write(data.encode("utf-8"))
            return dest
        Path(dest).write_text(data, encoding="utf-8")
        return Path(dest)

    def settle(self) -> None:
        """Make the store quick to read after large writes (the embedded store compacts
        what it bulk-loaded; other backends have nothing to do). The build calls it once
        at the end; closing the store does it too."""

    def close(self) -> None:
        """Release the store (the on-disk lock)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.kind} {self.location}>"
