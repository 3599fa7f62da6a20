"""The SPARQL 1.1 endpoint backend (Oxigraph server, Fuseki, Virtuoso, GraphDB, ...).

Queries and updates go through SPARQLWrapper (HTTP POST); whole graphs through
the Graph Store Protocol when the server offers it (``PUT`` replaces a graph in
one request), else through one SPARQL update (``DROP SILENT GRAPH`` + ``INSERT
DATA``). Parameters are bound by a ``VALUES`` block (see
:func:`obligraph.graph.stores.inject_values`).

Queries expect the default graph to be the union of the named graphs: start
Oxigraph with ``oxigraph serve --union-default-graph`` (other engines have their
own switch, e.g. Fuseki's ``tdb:unionDefaultGraph``).

>>> s = EndpointStore("http://127.0.0.1:7878")
>>> s.query_url, s.update_url, s.store_url
('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
>>> EndpointStore("https://example.org/ds/sparql").store_url is None
True
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from obligraph.graph.stores.api import (
    QueryResult,
    Store,
    Triple,
    check_outbound,
    inject_values,
    query_form,
    term_n3,
)
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from obligraph.base.errors import QueryError, StoreError

TIMEOUT_S = 120


def from_json_term(cell: Mapping[str, str] | None) -> Identifier | None:
    """A SPARQL JSON results cell as an rdflib term.

    >>> from_json_term({"type": "literal", "value": "Sở Y tế", "xml:lang": "vi"})
    rdflib.term.Literal('Sở Y tế', lang='vi')
    """
    if cell is None:
        return None
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if cell.get("xml:lang"):
            return Literal(value, lang=cell["xml:lang"])
        dt = cell.get("datatype")
        if dt and dt != "http://www.w3.org/2001/XMLSchema#string":
            return Literal(value, datatype=URIRef(dt))
        return Literal(value)
    raise QueryError(f"unsupported term in endpoint result: {cell!r}")


def _nt(triples: Iterable[Triple]) -> str:
    """Triples as N-Triples (pyoxigraph's canonical escaping: one line per triple)."""
    from obligraph.graph.stores.terms import to_oxigraph

    lines = [f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} ." for s, p, o in triples]
    return "\n".join(lines) + ("\n" if lines else "")


class EndpointStore(Store):
    """A remote SPARQL 1.1 store."""

    kind = "endpoint"

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        store_endpoint: str | None = None,
        read_only: bool = False,
    ) -> None:
        url = endpoint.rstrip("/")
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise StoreError(f"not an http(s) endpoint URL: {endpoint!r}")
        root = None
        if parsed.path in ("", "/"):
            root = url
            self.query_url = url + "/query"
        else:
            self.query_url = url
            if url.endswith("/query"):
                root = url[: -len("/query")]
        self.update_url = update_endpoint or (root + "/update" if root else url)
        self.store_url = store_endpoint or (root + "/store" if root else None)
        self.location = self.query_url
        self.read_only = read_only

    # -- plumbing
    def _wrapper(self, url: str, sparql: str, form: str):
        """A SPARQLWrapper POSTing ``sparql`` form-encoded, as a query or an update.

        ``form`` is the query form (SELECT, ASK, ...) or ``"UPDATE"``. SPARQLWrapper
        guesses the form with a regex that matches keywords anywhere (``ob:loaded``
        reads as LOAD, a comment on a "task" as ASK) and then sends a query as
        ``update=``; the server answers "The URL query parameter query must be set".
        The form is therefore decided here, by :func:`query_form`.
        """
        from SPARQLWrapper import INSERT, POST, URLENCODED, SPARQLWrapper

        sw = SPARQLWrapper(url, updateEndpoint=url)
        sw.setMethod(POST)
        sw.setRequestMethod(URLENCODED)
        sw.setTimeout(TIMEOUT_S)
        sw.agent = "obligraph"
        sw.setQuery(sparql)
        sw.queryType = INSERT if form == "UPDATE" else form
        return sw

    def _fail(self, exc: Exception, url: str) -> None:
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        if isinstance(exc, QueryBadFormed):
            raise QueryError(f"endpoint {url} refused the query: {exc}") from None
        if isinstance(exc, (urllib.error.URLError, OSError, SPARQLWrapperException)):
            raise StoreError(f"endpoint {url} failed: {exc}") from None
        raise exc

    # -- reading
    def query(self, sparql: str, *, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        check_outbound(sparql, self.allowed_services)
        from SPARQLWrapper import JSON, TURTLE

        if bindings:
            sparql = inject_values(sparql, bindings)
        form = query_form(sparql)
        sw = self._wrapper(self.query_url, sparql, form)
        graph_query = form in ("CONSTRUCT", "DESCRIBE")
        sw.setReturnFormat(TURTLE if graph_query else JSON)
        try:
            result = sw.query()
            if graph_query:
                data = result.response.read().decode("utf-8")
                return QueryResult(graph=Graph().parse(data=data, format="turtle"))
            body = result.convert()
        except Exception as exc:  # SPARQLWrapper raises many kinds
            self._fail(exc, self.query_url)
        if "boolean" in body:
            return QueryResult(boolean=bool(body["boolean"]))
        names = body["head"].get("vars", [])
        rows = [tuple(from_json_term(b.get(n)) for n in names) for b in body["results"]["bindings"]]
        return QueryResult(vars=names, rows=rows)

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        res = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        yield from res.rows

    # -- writing
    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("endpoint opened read-only", file=self.location)

    def update(self, sparql: str) -> None:
        check_outbound(sparql, self.allowed_services)
        self._writable()
        sw = self._wrapper(self.update_url, sparql, "UPDATE")
        try:
            sw.query()
        except Exception as exc:
            self._fail(exc, self.update_url)

    def _gsp(self, method: str, graph_iri: URIRef, body: bytes | None = None) -> int:
        url = f"{self.store_url}?graph={urllib.parse.quote(str(graph_iri), safe='')}"
        headers = {"Content-Type": "application/n-triples"} if body is not None else {}
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            if method == "DELETE" and exc.code == 404:
                return 404
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise StoreError(f"{method} {url} failed: HTTP {exc.code} {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{method} {url} failed: {exc}") from None

    def replace_graph(self, graph_iri: URIRef, triples: Iterable[Triple]) -> None:
        """Graph Store Protocol ``PUT`` (or one SPARQL update when the server has no GSP)."""
        self._writable()
        body = _nt(triples)
        if self.store_url:
            if body:
                self._gsp("PUT", graph_iri, body.encode("utf-8"))
            else:
                self._gsp("DELETE", graph_iri)
            return
        text = f"DROP SILENT GRAPH {term_n3(graph_iri)}"
        if body:
            text += f" ;\nINSERT DATA {{ GRAPH {term_n3(graph_iri)} {{\n{body}}} }}"
        self.update(text)

    def remove_graph(self, graph_iri: URIRef) -> None:
        self.update(f"DROP SILENT GRAPH {term_n3(graph_iri)}")
