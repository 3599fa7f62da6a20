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

import os
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
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
#: Environment variables holding the credentials for a server that wants them (HTTP
#: digest or basic authentication), so a password never has to be on a command line.
USER_ENV, PASSWORD_ENV = "OBLIGRAPH_ENDPOINT_USER", "OBLIGRAPH_ENDPOINT_PASSWORD"


def from_json_term(cell: Mapping[str, str] | None) -> Identifier | None:
    """A SPARQL JSON results cell as an rdflib term.

    >>> from_json_term({"type": "literal", "value": "Sở Y tế", "xml:lang": "vi"})
    rdflib.term.Literal('Sở Y tế', lang='vi')

    Virtuoso writes booleans as ``1`` and ``0``; they are read as ``true`` and ``false``:

    >>> from_json_term({"type": "typed-literal", "value": "1", "datatype": XSD_BOOLEAN})
    rdflib.term.Literal('true', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#boolean'))
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
        if dt == XSD_BOOLEAN and value in ("1", "0"):
            value = "true" if value == "1" else "false"
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
        user: str | None = None,
        password: str | None = None,
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
        self.user = user if user is not None else os.environ.get(USER_ENV) or None
        self.password = password if password is not None else os.environ.get(PASSWORD_ENV)

    def prepare(self, sparql: str) -> str:
        """The query or update as this server should receive it (a dialect hook)."""
        return sparql

    def check_response(self, headers: Mapping[str, str]) -> None:
        """Refuse an answer the server says is incomplete (a dialect hook)."""

    def _authorization(self, method: str, url: str) -> str | None:
        """The ``Authorization`` header for a request with a body, or None.

        urllib answers a server's challenge only after sending the whole body once
        unauthenticated; a server that refuses it at once (Virtuoso) closes the
        connection mid-body (broken pipe). So the challenge is fetched first by a
        request without a body (digest), or basic credentials are sent at once.
        """
        if not self.user:
            return None
        import base64

        password = self.password or ""
        try:
            probe = urllib.request.Request(url, method="HEAD")
            with urllib.request.urlopen(probe, timeout=TIMEOUT_S):
                return None  # no authentication asked
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{method} {url} failed: {exc}") from None
        scheme, _, params = challenge.partition(" ")
        if scheme.lower() != "digest":
            token = base64.b64encode(f"{self.user}:{password}".encode()).decode()
            return f"Basic {token}"
        chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, self.user, password)
        handler = urllib.request.HTTPDigestAuthHandler(passwords)
        header = handler.get_authorization(urllib.request.Request(url, method=method), chal)
        return f"Digest {header}" if header else None

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
        if self.user and form == "UPDATE":
            from SPARQLWrapper import DIGEST

            sw.setHTTPAuth(DIGEST)
            sw.setCredentials(self.user, self.password or "")
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
        sparql = self.prepare(sparql)
        sw = self._wrapper(self.query_url, sparql, form)
        graph_query = form in ("CONSTRUCT", "DESCRIBE")
        sw.setReturnFormat(TURTLE if graph_query else JSON)
        try:
            result = sw.query()
            self.check_response(result.response.headers)
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
        sw = self._wrapper(self.update_url, self.prepare(sparql), "UPDATE")
        try:
            sw.query()
        except Exception as exc:
            self._fail(exc, self.update_url)

    def _gsp(
        self,
        method: str,
        graph_iri: URIRef | None,
        body: bytes | None = None,
        content_type: str = "application/n-triples",
    ) -> int:
        """One Graph Store Protocol request (``graph_iri`` None: the whole dataset)."""
        url = self.store_url or ""
        if graph_iri is not None:
            url += f"?graph={urllib.parse.quote(str(graph_iri), safe='')}"
        headers = {"Content-Type": content_type} if body is not None else {}
        auth = self._authorization(method, url)
        if auth:
            headers["Authorization"] = auth
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
