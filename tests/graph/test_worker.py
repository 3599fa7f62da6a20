"""Work on the embedded store in worker processes that can be stopped (issue 15).

Over ``corpus_store_path`` (the bundled corpus in an on-disk store, opened read-only
by each worker): answers are the in-process answers; a query past its time limit is
killed (the process is gone, not just abandoned); a query past its memory bound
ends its worker only; errors come back as the error raised in the worker.
"""

from __future__ import annotations

import time

import psutil
import pytest
from obligraph.graph.stores import open_store
from obligraph.graph.stores.worker import InProcess, WorkerPool, query_runner, run_query

from obligraph.base.errors import MemoryLimitError, QueryError, StoreError, TimeLimitError

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Sorting the corpus squared (about 260 million rows) needs gigabytes.
HUNGRY = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"


def gone(pid: int, within: float = 10.0) -> bool:
    """Whether process ``pid`` has ended (waiting up to ``within`` seconds)."""
    deadline = time.monotonic() + within
    while True:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


@pytest.fixture
def pool(corpus_store_path):
    with WorkerPool(corpus_store_path, size=1, memory_mib=256) as pool:
        pool.call(run_query, "ASK {}", timeout=60)  # started and ready
        yield pool


def test_answers_are_the_in_process_answers(pool, corpus_store_path):
    from obligraph.queries.library import bind_params, catalogue

    with open_store(corpus_store_path, read_only=True) as store:
        for q in catalogue():
            bindings = bind_params(q, {p.name: p.example for p in q.params}) or None
            here = run_query(store, q.text, bindings)
            there = pool.call(run_query, q.text, bindings, timeout=60)
            assert (there.vars, there.rows, there.boolean) == (here.vars, here.rows, here.boolean)
            assert len(there) > 0 or len(here) == 0, q.name


def test_max_rows_reads_only_the_first_rows(pool):
    result = pool.call(run_query, "SELECT * WHERE { ?s ?p ?o }", None, 7, timeout=30)
    assert len(result.rows) == 7


def test_a_query_past_its_time_limit_is_killed(pool):
    [pid] = pool.pids()
    started = time.monotonic()
    with pytest.raises(TimeLimitError, match="time limit of 1 s"):
        pool.call(run_query, CARTESIAN, timeout=1)
    assert time.monotonic() - started < 10
    assert gone(pid), "the worker running the query still exists"
    # a fresh worker answers the next query
    assert pool.call(run_query, "ASK { ?s ?p ?o }", timeout=30).boolean is True
    assert pid not in pool.pids()


def test_a_query_past_its_memory_bound_ends_its_worker_only(pool):
    with pytest.raises(MemoryLimitError, match="memory limit of 256 MiB"):
        pool.call(run_query, HUNGRY, timeout=120)
    assert pool.call(run_query, "ASK { ?s ?p ?o }", timeout=30).boolean is True


def test_errors_come_back_and_the_worker_stays(pool):
    [pid] = pool.pids()
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        pool.call(run_query, "SELEC nothing", timeout=30)
    with pytest.raises(QueryError, match="would reach"):
        pool.call(run_query, "SELECT * { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }")
    assert pool.pids() == [pid]


def test_a_missing_store_is_a_clean_error(tmp_path):
    with WorkerPool(tmp_path / "none", prestart=False) as pool:
        with pytest.raises(StoreError, match="no store here yet"):
            pool.call(run_query, "ASK {}", timeout=30)


def test_close_kills_a_running_query(corpus_store_path):
    import threading

    pool = WorkerPool(corpus_store_path, size=1, memory_mib=512)
    pool.call(run_query, "ASK {}", timeout=60)
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            pool.call(run_query, CARTESIAN, timeout=300)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=ask)
    thread.start()
    time.sleep(1.0)
    [pid] = pool.pids()
    pool.close()
    thread.join(timeout=20)
    assert not thread.is_alive()
    assert errors and isinstance(errors[0], StoreError)
    assert gone(pid)


def test_only_a_read_only_embedded_store_gets_workers(corpus_store_path):
    memory = open_store(memory=True)
    assert isinstance(query_runner(memory), InProcess)
    with open_store(corpus_store_path, read_only=True) as store:
        runner = query_runner(store)
        try:
            assert isinstance(runner, WorkerPool) and runner.cancellable
        finally:
            runner.close()
