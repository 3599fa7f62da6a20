"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (FastAPI router).

* query by GET ``?query=``, POST form ``query=`` or POST ``application/sparql-query``;
* results by ``Accept``: SPARQL JSON (default), XML, CSV, TSV for SELECT/ASK;
  Turtle (default), N-Triples, RDF/XML, JSON-LD for CONSTRUCT/DESCRIBE;
* update (POST form ``update=`` or ``application/sparql-update``) only when the app
  was started with an update token and the request carries
  ``Authorization: Bearer <token>``; otherwise 403 (read-only);
* a query longer than ``max_query_chars`` or that does not parse gets a 400 with
  the reason in plain text; one that runs past ``query_timeout`` seconds gets 503;
  results are cut at ``result_cap`` rows (header ``X-Obligraph-Truncated: true``);
* a query runs where the app's runner puts it (:mod:`obligraph.graph.stores.worker`): on
  an embedded store opened read-only, in a worker process that is killed at the time
  limit (503) and whose memory is bounded (507 past ``query_memory`` MiB); otherwise
  in a thread of the app, where the time limit abandons the answer only;
* an update on the embedded store runs through the app's write gate
  (:mod:`obligraph.graph.stores.write_gate`): queries wait, the store is opened for writing
  in a writer process killed at ``query_timeout`` (503, nothing written), then read-only
  again; 507 past its memory bound;
* at most ``max_running`` queries and updates run at once, counted until their
  work really ends (a killed worker frees its slot at once; a query abandoned in a
  thread keeps its slot until it ends); one more gets 503 at once (``Retry-After``).
"""

from __future__ import annotations

import asyncio
import hmac
import threading
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from obligraph.base.errors import LimitError, MemoryLimitError, ObligraphError, StoreError

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass
class EndpointConfig:
    """Limits and rights of the endpoint."""

    query_timeout: float = 30.0
    result_cap: int = 10_000
    max_query_chars: int = 20_000
    update_token: str | None = None
    max_running: int = 4
    page_timeout: float = 30.0
    query_memory: int = 1024


class ProtocolError(Exception):
    """A request the endpoint answers with a clean status and message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def negotiate(accept: str, table: dict[str, str], default: str) -> tuple[str, str]:
    """(format, media type) for an Accept header; the default when nothing matches.

    >>> negotiate("text/csv, */*;q=0.1", SELECT_TYPES, "json")
    ('csv', 'text/csv')
    >>> negotiate("application/sparql-results+json,*/*;q=0.9", SELECT_TYPES, "json")
    ('json', 'application/sparql-results+json')
    >>> negotiate("", GRAPH_TYPES, "turtle")
    ('turtle', 'text/turtle')
    """
    ranked = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, bits[0].lower()))
    for _, _, media in sorted(ranked):
        if media in table:
            return table[media], media
    return default, next(m for m, f in table.items() if f == default)


def serialize(result: Any, accept: str, cap: int) -> tuple[bytes, str, bool]:
    """Serialise a QueryResult: (body, media type, truncated)."""
    from rdflib import Graph, Variable
    from rdflib.query import Result

    if result.graph is not None:
        fmt, media = negotiate(accept, GRAPH_TYPES, "turtle")
        graph, truncated = result.graph, len(result.graph) > cap
        if truncated:
            graph = Graph()
            for i, triple in enumerate(result.graph):
                if i >= cap:
                    break
                graph.add(triple)
        body = graph.serialize(format=fmt)
        return (body.encode("utf-8") if isinstance(body, str) else body), media, truncated
    fmt, media = negotiate(accept, SELECT_TYPES, "json")
    if result.boolean is not None:
        if fmt in ("csv", "tsv"):
            return f"boolean\n{str(result.boolean).lower()}\n".encode(), media, False
        res = Result("ASK")
        res.askAnswer = result.boolean
        return res.serialize(format=fmt), media, False
    truncated = len(result.rows) > cap
    res = Result("SELECT")
    res.vars = [Variable(v) for v in result.vars]
    res.bindings = [
        {Variable(v): t for v, t in zip(result.vars, row, strict=True) if t is not None}
        for row in result.rows[:cap]
    ]
    if fmt == "tsv":  # rdflib has a TSV parser but no serializer
        return tsv_results(result.vars, result.rows[:cap]), media, truncated
    body = res.serialize(format=fmt, encoding="utf-8")
    if isinstance(body, str):
        body = body.encode("utf-8")
    if fmt == "csv":
        media += "; charset=utf-8"
    return body, media, truncated


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def tsv_term(term: Any) -> str:
    r"""One RDF term as SPARQL 1.1 TSV writes it (Turtle syntax, one line, '' when unbound).

    >>> from rdflib import Literal, URIRef
    >>> tsv_term(URIRef("https://w3id.org/x")), tsv_term(None)
    ('<https://w3id.org/x>', '')
    >>> print(tsv_term(Literal("Trẻ em\tlead", lang="vi")))
    "Trẻ em\tlead"@vi
    >>> print(tsv_term(Literal(5)))
    "5"^^<http://www.w3.org/2001/XMLSchema#integer>
    """
    from rdflib import BNode, Literal

    if term is None:
        return ""
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_TSV_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and str(term.datatype) != _XSD_STRING:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"


def tsv_results(variables: list[str], rows: list[Any]) -> bytes:
    """SELECT results as ``text/tab-separated-values`` (header ``?a\t?b``)."""
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(tsv_term(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def max_body_bytes(max_query_chars: int) -> int:
    """The largest request body read: a query of ``max_query_chars`` fully
    percent-encoded (up to 9 bytes per Vietnamese letter) and 16 KiB of the rest.

    >>> max_body_bytes(20_000)
    196384
    """
    return 9 * max_query_chars + 16 * 1024


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it passes ``limit`` bytes.

    A declared ``Content-Length`` over the limit is refused before a byte is read;
    a chunked body is counted while it arrives, so a huge one is never held.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body too large: {declared} bytes, the limit is {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"request body too large: over the limit of {limit} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # Starlette's form parser reads a body already read from here
    return body


async def _read_request(request: Request, limit: int) -> tuple[str | None, str | None]:
    """(query, update) texts from any of the protocol's request shapes."""
    params = request.query_params
    query, update = params.get("query"), params.get("update")
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/sparql-query":
            query = (await read_body(request, limit)).decode("utf-8", "replace")
        elif ctype == "application/sparql-update":
            update = (await read_body(request, limit)).decode("utf-8", "replace")
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            await read_body(request, limit)
            form = await request.form()
            query = form.get("query", query)
            update = form.get("update", update)
        else:
            raise ProtocolError(
                415,
                f"unsupported content type {ctype!r}: use application/sparql-query, "
                "application/sparql-update or a form with query= / update=",
            )
    for name in (
        "default-graph-uri",
        "named-graph-uri",
        "using-graph-uri",
        "using-named-graph-uri",
    ):
        if params.get(name):
            raise ProtocolError(
                400,
                f"{name} is not supported: every query runs over the "
                "union of all graphs; use GRAPH in the query instead",
            )
    if query is not None and update is not None:
        raise ProtocolError(400, "send either query= or update=, not both")
    if query is None and update is None:
        raise ProtocolError(400, "missing query= (or update=) parameter")
    return (str(query) if query is not None else None, str(update) if update is not None else None)


async def in_thread(func: Any, *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)`` in a thread of the app, awaited to its end.

    When the server stops (uvicorn cancels requests still running 2 s after SIGTERM)
    the request stays unanswered until the work ends, as it did when queries ran in
    the app: the process exits meanwhile, closing the connection, and its workers die
    with it. Re-raising the cancellation at once would make uvicorn answer 500.
    """
    task = asyncio.ensure_future(run_in_threadpool(func, *args, **kwargs))
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait([task])
        raise


class _Slots:
    """At most ``config.max_running`` queries and updates at once, each holding its slot
    until its work really ends (a killed worker: at once; a thread: when it returns)."""

    def __init__(self, config: EndpointConfig) -> None:
        self.config = config
        self.free = threading.BoundedSemaphore(max(1, config.max_running))

    async def run(self, use: Any, fn: Any, *args: Any) -> Any:
        """``use.call(fn, store, *args)`` in a thread of the app, within the time limit;
        503 at once when every slot is taken."""
        if not self.free.acquire(blocking=False):
            raise ProtocolError(
                503,
                f"busy: {self.config.max_running} queries are running (or still finishing "
                "after their time limit); try again shortly",
                {"Retry-After": "1"},
            )
        return await in_thread(
            use.call, fn, *args, timeout=self.config.query_timeout, on_end=self.free.release
        )


def _checked_text(query: str | None, update: str | None, config: EndpointConfig) -> str:
    """The text of the query or update; 400 when it is too long or empty."""
    text = query if query is not None else update or ""
    if len(text) > config.max_query_chars:
        raise ProtocolError(
            400,
            f"query too long: {len(text)} characters, the limit is {config.max_query_chars}",
        )
    if not text.strip():
        raise ProtocolError(400, "empty query")
    return text


def _query_failure(exc: ObligraphError, config: EndpointConfig, cancellable: bool) -> ProtocolError:
    """The answer to a query that failed: 507 (memory), 503 (time, store), else 400."""
    if isinstance(exc, MemoryLimitError):
        return ProtocolError(
            507,
            f"query stopped: it needed more than the memory limit of "
            f"{config.query_memory} MiB per query; ask for less (LIMIT, more precise "
            "patterns, no ORDER BY over a huge result)",
        )
    if isinstance(exc, LimitError):
        stopped = "it was stopped" if cancellable else "its answer was abandoned"
        return ProtocolError(
            503, f"query exceeded the time limit of {config.query_timeout:g} s; {stopped}"
        )
    if isinstance(exc, StoreError):
        return ProtocolError(503, f"the store cannot answer now: {exc}")
    return ProtocolError(400, f"malformed or failed query: {exc}")


def _update_failure(exc: ObligraphError, cancellable: bool) -> ProtocolError:
    """The answer to an update that failed: 507 (memory), 503 (time), else 400."""
    if isinstance(exc, MemoryLimitError):
        return ProtocolError(
            507, "update stopped: it needed more than its memory limit; nothing was written"
        )
    if isinstance(exc, LimitError):
        stopped = "; it was stopped, nothing was written" if cancellable else ""
        return ProtocolError(503, f"update exceeded the time limit{stopped}")
    return ProtocolError(400, f"malformed or failed update: {exc}")


def _check_update_allowed(request: Request, config: EndpointConfig) -> None:
    """405 unless POST, 403 without an update token, 401 without the right bearer."""
    if request.method != "POST":
        raise ProtocolError(405, "updates must be sent with POST")
    if not config.update_token:
        raise ProtocolError(
            403,
            "this endpoint is read-only (start `obligraph serve` with "
            "--update-token-file FILE or OBLIGRAPH_UPDATE_TOKEN to allow updates)",
        )
    given = request.headers.get("authorization", "")
    expected = f"Bearer {config.update_token}"
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ProtocolError(401, "update refused: missing or wrong bearer token")


def _results(result: Any, accept: str, cap: int) -> Response:
    """The query's answer in the media type asked, marked when cut at ``cap`` rows."""
    body, media, truncated = serialize(result, accept, cap)
    headers = {"X-Obligraph-Truncated": "true" if truncated else "false"}
    if truncated:
        headers["X-Obligraph-Result-Cap"] = str(cap)
    return Response(body, media_type=media, headers=headers)


def make_router(
    store: Any, config: EndpointConfig, on_update: Any = None, runner: Any = None
) -> APIRouter:
    """The ``/sparql`` routes over ``store``; ``on_update`` runs after a successful update.

    ``runner`` runs queries (:func:`~obligraph.graph.stores.worker.query_runner`); by default
    in a thread of the app. Updates run through ``runner.writer`` when it has one (a
    :class:`~obligraph.graph.stores.write_gate.WriteGate`: a writer process, stopped at the
    time limit), else in the app's own process (on the store it opened for writing).
    """
    from obligraph.graph.stores.worker import InProcess, run_query

    router = APIRouter()
    slots = _Slots(config)
    in_process = InProcess(store)
    runner = runner or in_process
    writer = getattr(runner, "writer", None) or in_process

    async def endpoint(request: Request) -> Response:
        try:
            query, update = await _read_request(request, max_body_bytes(config.max_query_chars))
            _checked_text(query, update, config)
            if update is not None:
                return await _update(request, update)
            return await _query(request, query or "")
        except ProtocolError as exc:
            return PlainTextResponse(
                exc.message + "\n", status_code=exc.status, headers=exc.headers
            )

    async def _query(request: Request, text: str) -> Response:
        try:
            result = await slots.run(runner, run_query, text, None, config.result_cap + 1)
        except ObligraphError as exc:
            raise _query_failure(exc, config, runner.cancellable) from None
        return _results(result, request.headers.get("accept", ""), config.result_cap)

    async def _update(request: Request, text: str) -> Response:
        _check_update_allowed(request, config)
        try:
            await slots.run(writer, _run_update, text)
        except ObligraphError as exc:
            raise _update_failure(exc, writer.cancellable) from None
        if on_update:
            on_update()
        return Response(status_code=204)

    router.add_api_route("/sparql", endpoint, methods=["GET", "POST"], include_in_schema=False)
    return router


def _run_update(store: Any, text: str) -> None:
    store.update(text)
