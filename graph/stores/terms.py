"""RDF terms between rdflib (what obligraph's code holds) and pyoxigraph (what the
embedded engine holds), and N-Triples made from rdflib triples, each term checked.

>>> from rdflib import Literal, URIRef
>>> to_rdflib(to_oxigraph(Literal("Sở Y tế", lang="vi")))
rdflib.term.Literal('Sở Y tế', lang='vi')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from obligraph.base.errors import QueryError, StoreError

Triple = tuple[Node, Node, Node]
_XSD_STRING = str(XSD.string)


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


def ntriples(triples: Iterable[Triple]) -> bytes:
    """Triples as N-Triples (UTF-8), each term checked by pyoxigraph.

    Raises QueryError on a term the store would refuse, before anything is written.

    >>> from rdflib import Literal, URIRef
    >>> ntriples([(URIRef("urn:s"), URIRef("urn:p"), Literal('a "b"\\n', lang="vi"))])
    b'<urn:s> <urn:p> "a \\\\"b\\\\"\\\\n"@vi .\\n'
    """
    return "".join(
        f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} .\n" for s, p, o in triples
    ).encode("utf-8")


def parse_ntriples(data: bytes) -> list[Any]:
    """N-Triples bytes as pyoxigraph triples (SyntaxError when malformed)."""
    return [q.triple for q in ox.parse(data, ox.RdfFormat.N_TRIPLES)]
