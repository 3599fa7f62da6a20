"""Writes beside stoppable queries: the embedded store served read-only, opened for writing
only while a write runs (``obligraph serve`` with an update token).

A RocksDB store opened read-only is sound only while no process writes it (see
docs/stores.md), and a query can only be stopped in a worker process that holds such a
read-only open (:mod:`obligraph.graph.stores.worker`). A :class:`WriteGate` keeps both: the
store is opened read-only by the server and by a :class:`~obligraph.graph.stores.worker.WorkerPool`
whose workers are killed at their time limit, exactly as without updates. A write
(:meth:`WriteGate.write`, or ``gate.writer.call``) closes the gate: new queries and pages
wait; the ones running end (each within its own time limit); the workers and the
server's read-only handle are closed; ONE writer process opens the store for writing,
runs the write in one transaction and closes the store; then the store is opened
read-only again, a fresh pool is started and the gate opens. The writer process is
killed at the write's time limit like a query: its transaction is never committed, so a
write that fails or is stopped leaves the store as it was, and the server serves on.

>>> import tempfile
>>> from rdflib import Literal, URIRef
>>> from obligraph.graph.stores import open_store
>>> from obligraph.graph.stores.worker import run_query
>>> folder = tempfile.mkdtemp()
>>> with open_store(folder) as store:
...     store.replace_graph(URIRef("urn:g"), [(URIRef("urn:s"), URIRef("urn:p"), Literal(1))])
>>> gate = WriteGate(open_store(folder, read_only=True), size=1)
>>> gate.write(run_update, "INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> 2 } }", timeout=60)
>>> len(gate.call(run_query, "SELECT ?o { ?s ?p ?o }", timeout=60).rows)
2
>>> gate.write(run_update, "INSERT DATA { nonsense", timeout=60)
Traceback (most recent call last):
...
obligraph.base.errors.QueryError: SPARQL update syntax error: ...
>>> gate.query("ASK { <urn:s> <urn:p> 2 }").boolean  # the server's own handle, reopened
True
>>> gate.close()
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from obligraph.graph.stores.worker import DEFAULT_QUERY_MEMORY_MIB, START_TIMEOUT, WorkerPool

from obligraph.base.errors import StoreError, TimeLimitError

Work = Callable[..., Any]  # fn(store, *args), module-level
OnEnd = Callable[[], None] | None  # called once the work has really ended
Seconds = float | None  # a time limit; None: none


def run_update(store: Any, sparql: str) -> None:
    """``store.update(sparql)``: the work function of a SPARQL update (module-level, so a
    writer process can be told to run it)."""
    store.update(sparql)


def _opened(store: Any) -> None:
    """Nothing: the writer process answers once it has opened the store."""


class _ReadWrite:
    """Many readers or one writer; a writer waiting goes before readers that come later."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    def enter_read(self, deadline: float | None) -> bool:
        """Wait (until ``deadline``, a ``time.monotonic()`` value) to read; False: in vain."""
        with self._cond:
            while self._writing or self._writers_waiting:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining)
            self._readers += 1
            return True

    def leave_read(self) -> None:
        with self._cond:
            self._readers -= 1
            self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store alone: wait for the readers running to end, keep new ones out."""
        with self._cond:
            self._writers_waiting += 1
            try:
                self._cond.wait_for(lambda: not self._writing and not self._readers)
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class _Writer:
    """A runner whose ``call`` is the gate's ``write``, for code that runs writes the way
    it runs queries (``gate.writer``)."""

    cancellable = True

    def __init__(self, gate: WriteGate) -> None:
        self.call = gate.write


class WriteGate:
    """An embedded store served read-only through worker processes, written one write at a
    time with every reader out (see the module's description).

    ``store``: the store opened read-only (the gate takes it over, and closes it at the
    first write). ``size``, ``memory_mib``, ``preload``: those of the
    :class:`~obligraph.graph.stores.worker.WorkerPool` of queries (started again after each
    write). ``write_memory_mib``: the writer process's memory bound (at least
    :data:`~obligraph.graph.stores.worker.DEFAULT_QUERY_MEMORY_MIB`, since opening the store for
    writing needs more than reading it). ``on_write``: called after every write, done or
    failed, while the gate is still closed (drop what was read before it).

    The gate offers the runner's ``call`` (queries and pages: they wait while a write
    runs, that wait counting in their time limit), ``write`` and ``writer`` (writes), and
    stands for the store in the server's own process: attributes are those of the
    read-only handle now open, and ``query`` waits for a write to end.
    """

    cancellable = True

    def __init__(
        self,
        store: Any,
        *,
        size: int = 1,
        memory_mib: int = DEFAULT_QUERY_MEMORY_MIB,
        preload: Iterable[str] = (),
        write_memory_mib: int | None = None,
        on_write: Callable[[], None] | None = None,
    ) -> None:
        if getattr(store, "kind", "") != "embedded" or not getattr(store, "read_only", False):
            raise StoreError("a write gate needs the embedded store opened read-only")
        self._store = store
        self.location = store.location
        self.allowed_services = frozenset(getattr(store, "allowed_services", frozenset()))
        self.size, self.memory_mib, self.preload = size, memory_mib, tuple(preload)
        self.write_memory_mib = max(write_memory_mib or memory_mib, DEFAULT_QUERY_MEMORY_MIB)
        self.on_write = on_write
        self.writes = 0  # writes run (done or failed)
        self.writer = _Writer(self)
        self._lock = _ReadWrite()
        self._closed = False
        self._pool = self._new_pool()

    def _new_pool(self) -> WorkerPool:
        return WorkerPool(
            self.location,
            size=self.size,
            memory_mib=self.memory_mib,
            allowed_services=self.allowed_services,
            preload=self.preload,
        )

    # -- the store, in the server's process
    @property
    def store(self) -> Any:
        """The read-only handle open now (another one after each write)."""
        return self._store

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._store, name)

    def query(self, sparql: str, **kwargs: Any) -> Any:
        """``query`` on the read-only handle, once no write runs."""
        self._lock.enter_read(None)
        try:
            return self._store.query(sparql, **kwargs)
        finally:
            self._lock.leave_read()

    # -- reading: queries and pages
    def pids(self) -> list[int]:
        """Process ids of the query workers now running."""
        return self._pool.pids()

    def call(self, fn: Work, *args: Any, timeout: Seconds = None, on_end: OnEnd = None) -> Any:
        """``fn(store, *args)`` in a query worker, as ``WorkerPool.call``; while a write runs
        it waits first, within the same ``timeout``."""
        started = time.monotonic()
        deadline = None if timeout is None else started + timeout
        if not self._lock.enter_read(deadline):
            if on_end is not None:
                on_end()
            raise TimeLimitError(
                f"stopped at the time limit of {timeout:g} s (waiting for a write to end)",
                limit=timeout or 0,
            )
        try:
            left = timeout
            if timeout is not None and time.monotonic() - started > 0.001:
                left = max(0.001, deadline - time.monotonic())
            try:
                return self._pool.call(fn, *args, timeout=left, on_end=on_end)
            except TimeLimitError as exc:
                if left == timeout:
                    raise
                raise TimeLimitError(
                    f"stopped at the time limit of {timeout:g} s", limit=timeout or 0
                ) from exc
        finally:
            self._lock.leave_read()

    # -- writing
    def write(self, fn: Work, *args: Any, timeout: Seconds = None, on_end: OnEnd = None) -> Any:
        """``fn(store, *args)`` on the store opened for writing, in a writer process killed
        past ``timeout`` seconds (counted once the queries running have ended and the
        writer has opened the store); returns its value or raises what it raised. ``on_end()`` is
        called when the write has ended and the store is read-only again.

        ``fn`` must be module-level and its value picklable (as for a query worker).
        """
        try:
            return self._write(fn, args, timeout)
        finally:
            if on_end is not None:
                on_end()

    def _write(self, fn: Work, args: tuple, timeout: float | None) -> Any:
        with self._lock.writing():
            if self._closed:
                raise StoreError("the server is shutting down")
            self._pool.close(wait=True)
            self._store.close()
            try:
                writer = WorkerPool(
                    self.location,
                    size=1,
                    memory_mib=self.write_memory_mib,
                    allowed_services=self.allowed_services,
                    prestart=False,
                    refill=False,
                    read_only=False,
                )
                try:
                    writer.call(_opened, timeout=START_TIMEOUT)  # not counted in ``timeout``
                    return writer.call(fn, *args, timeout=timeout)
                finally:
                    writer.close(wait=True)
            finally:
                self.writes += 1
                self._reopen()

    def _reopen(self) -> None:
        from obligraph.graph.stores.oxigraph import OxigraphStore

        if self._closed:  # closed meanwhile (the server stopping): nothing to reopen
            return
        self._store = OxigraphStore(self.location, read_only=True)
        self._store.allowed_services = self.allowed_services
        self._pool = self._new_pool()
        if self.on_write is not None:
            self.on_write()

    def close(self) -> None:
        """Stop the workers (a running query is killed) and close the read-only handle. A
        write still running is not waited for: its writer ends with this process, its
        transaction uncommitted."""
        self._closed = True
        self._pool.close()
        self._store.close()

    def __enter__(self) -> WriteGate:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
