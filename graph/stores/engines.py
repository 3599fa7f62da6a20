"""Which SPARQL server is behind a URL, and the store backend that speaks its dialect.

Servers name themselves in the HTTP ``Server`` header (``Virtuoso/07.20.3229``,
``Oxigraph/0.5.2``); one request to the URL the user gave tells which. A server
that cannot be reached, or names no engine obligraph knows, gets the plain
SPARQL 1.1 backend (and its errors come with the first query, as before).

>>> engine_of("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu")
'virtuoso'
>>> engine_of("Oxigraph/0.5.2"), engine_of("Apache Jena Fuseki (5.1.0)"), engine_of(None)
('oxigraph', 'other', 'other')
"""

from __future__ import annotations

import urllib.error
import urllib.request

from obligraph.graph.stores.endpoint import EndpointStore

PROBE_TIMEOUT_S = 5


def engine_of(server_header: str | None) -> str:
    """``virtuoso``, ``oxigraph`` or ``other`` from an HTTP ``Server`` header."""
    name = (server_header or "").strip().lower()
    for engine in ("virtuoso", "oxigraph"):
        if name.startswith(engine):
            return engine
    return "other"


def detect_engine(url: str) -> str:
    """Ask the server at ``url`` (one GET) which engine it is; ``other`` when unknown.

    >>> detect_engine("http://127.0.0.1:9/sparql")  # nothing listens there
    'other'
    """
    request = urllib.request.Request(url, method="GET", headers={"User-Agent": "obligraph"})
    try:
        with urllib.request.urlopen(request, timeout=PROBE_TIMEOUT_S) as response:
            return engine_of(response.headers.get("Server"))
    except urllib.error.HTTPError as exc:  # a 404 at a root still names the server
        return engine_of(exc.headers.get("Server") if exc.headers else None)
    except (urllib.error.URLError, OSError, ValueError):
        return "other"


def open_endpoint(endpoint: str, **kw) -> EndpointStore:
    """The endpoint backend for the server at ``endpoint`` (Virtuoso's dialect when it
    is Virtuoso); keywords as :class:`~obligraph.graph.stores.endpoint.EndpointStore`.

    >>> open_endpoint("http://127.0.0.1:9").kind
    'endpoint'
    """
    if detect_engine(endpoint) == "virtuoso":
        from obligraph.graph.stores.virtuoso import VirtuosoStore

        return VirtuosoStore(endpoint, **kw)
    return EndpointStore(endpoint, **kw)
