"""Queries that can be stopped: work on the embedded store runs in worker processes.

The embedded store (pyoxigraph over RocksDB) cannot cancel a query from inside its
own process: a query past its time limit would run on, holding a core and memory.
A :class:`WorkerPool` runs each piece of work, ``fn(store, *args)``, in one of a few
pre-started worker processes, each holding the store opened **read-only**. When the
time limit fires the caller kills that worker (SIGKILL): the work stops, the system
takes its memory back at once, and a fresh worker takes its place. Each worker runs
under a bound on its data size (``RLIMIT_DATA``, ``--query-memory``): work needing
more stops with :class:`~obligraph.base.errors.MemoryLimitError`, and only that worker ends.

:class:`InProcess` offers the same ``call`` over a store in the calling process (an
in-memory store cannot be shared with another process; a SPARQL endpoint has its own
limits): there the time limit abandons the answer, and the work runs on to its end.
:func:`query_runner` picks one for a store.

>>> import tempfile
>>> from rdflib import Literal, URIRef
>>> from obligraph.graph.stores import open_store
>>> folder = tempfile.mkdtemp()
>>> with open_store(folder) as store:
...     store.replace_graph(URIRef("urn:g"), [(URIRef("urn:s"), URIRef("urn:p"), Literal("Sở"))])
>>> pool = WorkerPool(folder, size=1)
>>> pool.call(run_query, "SELECT ?o { ?s ?p ?o }", timeout=30).rows
[(rdflib.term.Literal('Sở'),)]
>>> ten = "VALUES ?{} {{ 0 1 2 3 4 5 6 7 8 9 }}"  # a billion rows to count:
>>> endless = "SELECT (COUNT(*) AS ?n) {" + " ".join(map(ten.format, "abcdefghi")) + "}"
>>> pool.call(run_query, endless, timeout=0.5)
Traceback (most recent call last):
...
obligraph.base.errors.TimeLimitError: stopped at the time limit of 0.5 s
>>> pool.call(run_query, "ASK { ?s ?p ?o }", timeout=30).boolean  # a fresh worker answers
True
>>> pool.close()
"""

from __future__ import annotations

import importlib
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from obligraph.base.errors import (
    MemoryLimitError,
    ObligraphError,
    QueryError,
    StoreError,
    TimeLimitError,
)

#: The bound on a worker's data size, in MiB, when none is given (``--query-memory``).
DEFAULT_QUERY_MEMORY_MIB = 1024
#: The smallest bound accepted: a worker holding the open store needs about 100 MiB.
MIN_QUERY_MEMORY_MIB = 192
#: A worker whose data size passed this share of its bound is replaced after its answer,
#: so memory a big query left behind is given back and the next query has its full bound.
RETIRE_SHARE = 0.5
#: Seconds a new worker may take to open the store.
START_TIMEOUT = 60.0
_MIB = 1024 * 1024
_MEMORY_EXIT = 86  # the exit status of a worker that met MemoryError in Python


def run_query(
    store: Any,
    sparql: str,
    bindings: Mapping[str, Any] | None = None,
    max_rows: int | None = None,
) -> Any:
    """``store.query(sparql)``, reading at most ``max_rows`` rows on the embedded store.

    The work function for a SPARQL query (module-level, so a worker process can be
    told to run it).
    """
    kwargs: dict[str, Any] = {"bindings": bindings} if bindings else {}
    if max_rows is not None and getattr(store, "kind", "") in ("embedded", "memory"):
        kwargs["max_rows"] = max_rows
    return store.query(sparql, **kwargs)


# ---------------------------------------------------------------- in the worker


def _die_with_parent(server: int, forked: bool) -> None:
    """End this worker as soon as the server that asked for it is gone.

    A worker forked by the forkserver inherits the forkserver's "alive" pipe, which
    would keep the forkserver (and so this worker) running after the server died;
    closing it lets the forkserver exit with the server, and Linux then kills this
    process (``PR_SET_PDEATHSIG``). A thread checking the server's pid twice a
    second covers the rest (the engine lets Python threads run while it computes).
    """
    if forked:
        try:
            from multiprocessing import forkserver

            alive = forkserver._forkserver._forkserver_alive_fd
            if alive is not None:
                os.close(alive)
                forkserver._forkserver._forkserver_alive_fd = None
        except (AttributeError, OSError):
            pass
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: killed when the forkserver ends
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(server, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:
                pass

    threading.Thread(target=watch, name="obligraph-watch-server", daemon=True).start()


def _data_bytes() -> int:
    """This process's data size (Linux ``VmData``; the peak resident size elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _worker_main(
    conn: Any,
    location: str,
    memory_mib: int,
    allowed: frozenset[str],
    preload: tuple[str, ...],
    log_path: str,
    server: int,
    forked: bool,
    read_only: bool = True,
) -> None:
    """A worker: bound its memory, open the store (read-only unless told otherwise), run
    work until told to stop; then close the store (a writer flushes it)."""
    import resource

    _die_with_parent(server, forked)
    log = os.open(log_path, os.O_WRONLY | os.O_TRUNC)
    os.dup2(log, 2)  # the engine's last words ("memory allocation ... failed") go here
    os.close(log)
    for name in preload:
        importlib.import_module(name)
    limit = memory_mib * _MIB
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    try:
        from obligraph.graph.stores.oxigraph import OxigraphStore

        store = OxigraphStore(Path(location), read_only=read_only)
        store.allowed_services = allowed
    except ObligraphError as exc:
        conn.send(("error", exc))
        return
    except MemoryError:
        os._exit(_MEMORY_EXIT)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            task = None
        if task is None:
            store.close()
            return
        fn, args = task
        try:
            reply: tuple[str, Any] = ("ok", fn(store, *args))
        except MemoryError:
            os._exit(_MEMORY_EXIT)
        except ObligraphError as exc:
            reply = ("error", exc)
        except Exception:
            reply = ("crash", traceback.format_exc())
        retire = _data_bytes() > RETIRE_SHARE * limit
        try:
            conn.send((*reply, retire))
        except MemoryError:
            os._exit(_MEMORY_EXIT)
        except Exception:  # an answer that cannot be sent (not picklable)
            conn.send(("crash", traceback.format_exc(), retire))
        if retire:
            store.close()
            return


# ---------------------------------------------------------------- in the caller


class _Worker:
    def __init__(self, process: Any, conn: Any, log_path: str) -> None:
        self.process, self.conn, self.log_path = process, conn, log_path

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, *, gently: bool = False) -> int | None:
        """Kill the process (if it still runs), reap it; its exit status. ``gently``:
        first ask it to end (it closes its store) and give it 10 s to do so."""
        if gently:
            try:
                self.conn.send(None)
                self.process.join(timeout=10)
            except (OSError, ValueError):
                pass
        try:
            os.kill(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, TypeError):
            pass
        self.process.join(timeout=10)
        self.conn.close()
        return self.process.exitcode

    def last_words(self) -> str:
        """The end of what the process wrote on stderr; removes the log file."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(0, os.SEEK_END)
                log.seek(max(0, log.tell() - 2000))
                return log.read().decode("utf-8", "replace")
        except OSError:
            return ""
        finally:
            self.forget_log()

    def forget_log(self) -> None:
        try:
            os.unlink(self.log_path)
        except OSError:
            pass


_MAIN_SWAP = threading.Lock()


def _start(process: Any) -> None:
    """Start ``process`` without making it run the caller's main module again.

    multiprocessing has a spawned or forkserver child re-run ``__main__`` (the
    ``obligraph`` script, pytest, a user's script with no main guard). A worker needs
    nothing from it (its work is sent as module-level names), so while the child's
    start-up data is taken, ``__main__`` is a bare module with no file.
    """
    import sys
    import types

    with _MAIN_SWAP:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            process.start()
        finally:
            if main is not None:
                sys.modules["__main__"] = main


def _context(method: str | None) -> Any:
    import multiprocessing

    if method is None:
        methods = multiprocessing.get_all_start_methods()
        method = "forkserver" if "forkserver" in methods else "spawn"
    return multiprocessing.get_context(method)


class WorkerPool:
    """Up to ``size`` worker processes over the embedded store at ``location``, read-only.

    ``call(fn, *args, timeout=...)`` runs ``fn(store, *args)`` in an idle worker (waiting
    for one within the same time limit) and returns its value or raises what it raised.
    Past ``timeout`` seconds the worker is killed and :class:`TimeLimitError` raised;
    a worker that dies of its memory bound (``memory_mib``) gives
    :class:`MemoryLimitError`. ``fn`` must be a module-level function (it is sent by
    name) and its value picklable. Workers are started ahead (``prestart``) and a
    worker that was killed is replaced in the background (``refill``), so a call does
    not wait for a process to start. ``preload``: modules the workers import at start.

    Workers come from the ``forkserver`` start method where there is one (a fork of
    a clean process holding the imports, a few ms), else ``spawn``. On Linux a worker
    is killed by the system when the process that forked it ends, so no query
    outlives the server, even one killed with SIGKILL.

    ``read_only=False`` opens the store for writing in the workers (one writer at a
    time: :mod:`obligraph.graph.stores.write_gate` runs each write in such a pool of one,
    when no other process has the store open); such a worker is asked to end, and so
    to close the store cleanly, before it is killed.
    """

    cancellable = True

    def __init__(
        self,
        location: str | Path,
        *,
        size: int = 1,
        memory_mib: int = DEFAULT_QUERY_MEMORY_MIB,
        allowed_services: frozenset[str] = frozenset(),
        preload: Iterable[str] = (),
        prestart: bool = True,
        refill: bool = True,
        method: str | None = None,
        read_only: bool = True,
    ) -> None:
        self.location = str(Path(location).expanduser())
        self.read_only = read_only
        self.size = max(1, size)
        self.memory_mib = memory_mib
        self.allowed_services = frozenset(allowed_services)
        self.preload = tuple(preload)
        self.refill = refill
        self._ctx = _context(method)
        if self._ctx.get_start_method() == "forkserver":
            base = ["obligraph.graph.stores.worker", "obligraph.graph.stores.oxigraph"]
            self._ctx.set_forkserver_preload([*base, *self.preload])
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._live = 0  # workers started or starting
        self._starting = 0  # workers being started in the background
        self._closed = False
        if prestart:
            for _ in range(self.size):
                self._start_in_background()

    # -- the pool
    def pids(self) -> list[int]:
        """Process ids of the workers now running (idle or busy)."""
        with self._cond:
            return sorted(w.pid for w in self._all if w.pid is not None)

    def _start_in_background(self) -> None:
        with self._cond:
            if self._closed or self._live >= self.size:
                return
            self._live += 1
            self._starting += 1

        def start() -> None:
            try:
                worker = self._spawn(None)
            except BaseException:
                with self._cond:
                    self._live -= 1
                    self._starting -= 1
                    self._cond.notify_all()
                return
            with self._cond:
                if not self._closed:
                    self._idle.append(worker)
                    self._starting -= 1
                    self._cond.notify_all()
                    return
            self._discard(worker, counted=False)
            with self._cond:
                self._starting -= 1
                self._cond.notify_all()

        threading.Thread(target=start, name="obligraph-worker-start", daemon=True).start()

    def _spawn(self, deadline: float | None) -> _Worker:
        import tempfile

        handle, log_path = tempfile.mkstemp(prefix="obligraph-worker-", suffix=".log")
        os.close(handle)
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_worker_main,
            args=(
                child,
                self.location,
                self.memory_mib,
                self.allowed_services,
                self.preload,
                log_path,
                os.getpid(),
                self._ctx.get_start_method() == "forkserver",
                self.read_only,
            ),
            name="obligraph-query-worker",
            daemon=True,
        )
        _start(process)
        child.close()
        worker = _Worker(process, parent, log_path)
        with self._cond:
            self._all.add(worker)
        wait = START_TIMEOUT if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            if not parent.poll(wait):
                raise TimeLimitError(
                    "stopped at the time limit: no query worker was ready in time",
                    limit=wait,
                )
            try:
                kind, value = parent.recv()
            except (EOFError, OSError):
                raise self._death(worker, starting=True) from None
        except BaseException:
            self._discard(worker, counted=False)
            raise
        if kind == "error":
            self._discard(worker, counted=False)
            raise value
        return worker

    def _take(self, deadline: float | None, timeout: float | None) -> _Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise StoreError("the query workers are shut down")
                if self._idle:
                    return self._idle.pop()
                if self._live < self.size:
                    self._live += 1
                    break
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise TimeLimitError(
                        f"stopped at the time limit of {timeout:g} s (every query worker was busy)",
                        limit=timeout or 0,
                    )
                self._cond.wait(remaining)
        try:
            return self._spawn(deadline)
        except BaseException:
            with self._cond:
                self._live -= 1
                self._cond.notify_all()
            raise

    def _give_back(self, worker: _Worker) -> None:
        with self._cond:
            if not self._closed:
                self._idle.append(worker)
                self._cond.notify_all()
                return
        self._discard(worker, gently=not self.read_only)

    def _discard(
        self, worker: _Worker, *, counted: bool = True, gently: bool = False
    ) -> int | None:
        """Kill and reap a worker; start another in its place (``refill``)."""
        code = worker.stop(gently=gently)
        with self._cond:
            self._all.discard(worker)
            if counted:
                self._live -= 1
            self._cond.notify_all()
        worker.forget_log()
        if counted and self.refill:
            self._start_in_background()
        return code

    def _death(self, worker: _Worker, *, starting: bool = False) -> ObligraphError:
        """The error for a worker that ended by itself (its pipe closed)."""
        worker.process.join(timeout=10)
        code = worker.process.exitcode
        words = worker.last_words()
        if self._closed:
            return StoreError("stopped: the query workers are shutting down")
        bound = f"the memory limit of {self.memory_mib} MiB"
        if "overflowed its stack" in words:
            return QueryError("the query is nested too deeply for the engine (stack overflow)")
        if (
            code in (_MEMORY_EXIT, -signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV)
            or "memory allocation" in words
        ):
            what = "could not open the store within" if starting else "it needed more than"
            return MemoryLimitError(f"stopped: {what} {bound}", limit=self.memory_mib)
        last = " ".join(words.split())[-300:]
        return StoreError(f"the query worker ended unexpectedly (status {code}){': ' + last}")

    # -- the work
    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        timeout: float | None = None,
        on_end: Callable[[], None] | None = None,
    ) -> Any:
        """``fn(store, *args)`` in a worker, stopped (killed) past ``timeout`` seconds.

        ``on_end()`` is called once the work has really ended (here: when this
        returns, the worker being done or dead).
        """
        try:
            return self._call(fn, args, timeout)
        finally:
            if on_end is not None:
                on_end()

    def _call(self, fn: Callable[..., Any], args: tuple, timeout: float | None) -> Any:
        deadline = None if timeout is None else time.monotonic() + timeout
        worker = self._take(deadline, timeout)
        reply = None
        try:
            worker.conn.send((fn, args))
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not worker.conn.poll(remaining):
                raise TimeLimitError(
                    f"stopped at the time limit of {timeout:g} s", limit=timeout or 0
                )
            try:
                reply = worker.conn.recv()
            except (EOFError, OSError):
                error = self._death(worker)
                self._discard(worker)
                raise error from None
        finally:
            if reply is None:
                if worker in self._all:
                    self._discard(worker)
            elif reply[2]:  # retiring: it exits by itself
                self._discard(worker)
            else:
                self._give_back(worker)
        kind, value, _retire = reply
        if kind == "ok":
            return value
        if kind == "error":
            raise value
        raise RuntimeError(f"the query worker failed:\n{value}")

    def close(self, *, wait: bool = False) -> None:
        """Stop every worker (a running query is killed). The pool cannot be used after.

        ``wait``: also wait until workers still starting in the background are gone,
        so that no process of this pool has the store open when this returns (busy
        workers are reaped by the calls waiting on them: call this when none runs).
        """
        with self._cond:
            self._closed = True
            idle = list(self._idle)
            busy = [w for w in self._all if w not in idle]
            self._idle.clear()
            self._all.difference_update(idle)
            self._cond.notify_all()
        for worker in busy:  # the call waiting on it sees it end, reaps it and says so
            try:
                os.kill(worker.pid, signal.SIGKILL)
            except (ProcessLookupError, TypeError):
                pass
        for worker in idle:
            worker.stop(gently=not self.read_only)
            worker.forget_log()
        if wait:
            with self._cond:
                self._cond.wait_for(lambda: self._starting == 0, timeout=START_TIMEOUT + 15)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InProcess:
    """``call`` over a store in this process (in memory, endpoint, or writable).

    The work runs in a thread; past ``timeout`` seconds the caller gets
    :class:`TimeLimitError` but the work runs on to its end (``on_end`` is called
    then), since pyoxigraph cannot cancel a query in its own process.

    >>> from obligraph.graph.stores import open_store
    >>> InProcess(open_store(memory=True)).call(run_query, "ASK {}").boolean
    True
    """

    cancellable = False

    def __init__(self, store: Any) -> None:
        self.store = store

    def pids(self) -> list[int]:
        return []

    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        timeout: float | None = None,
        on_end: Callable[[], None] | None = None,
    ) -> Any:
        done = threading.Event()
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                box["value"] = fn(self.store, *args)
            except BaseException as exc:
                box["error"] = exc
            finally:
                done.set()
                if on_end is not None:
                    on_end()

        threading.Thread(target=work, name="obligraph-work", daemon=True).start()
        if not done.wait(timeout):
            raise TimeLimitError(
                f"abandoned at the time limit of {timeout:g} s", limit=timeout or 0
            )
        if "error" in box:
            raise box["error"]
        return box["value"]

    def close(self) -> None:
        """Nothing to stop (the store is the caller's to close)."""


def query_runner(
    store: Any,
    *,
    size: int = 1,
    memory_mib: int = DEFAULT_QUERY_MEMORY_MIB,
    preload: Iterable[str] = (),
) -> WorkerPool | InProcess:
    """Worker processes for an embedded store opened read-only; in-process otherwise.

    A worker opens the store read-only, which is only sound while no process writes
    it: pyoxigraph documents a read-only open next to a writer as undefined
    behaviour (RocksDB may delete files the reader still uses). So a store opened for
    writing keeps its queries in-process; ``serve`` with an update token holds the
    store read-only and writes through :class:`~obligraph.graph.stores.write_gate.WriteGate`.
    """
    if getattr(store, "kind", "") == "embedded" and getattr(store, "read_only", False):
        return WorkerPool(
            store.location,
            size=size,
            memory_mib=memory_mib,
            allowed_services=getattr(store, "allowed_services", frozenset()),
            preload=preload,
        )
    return InProcess(store)
