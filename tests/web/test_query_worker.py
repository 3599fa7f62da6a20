"""Queries and pages of ``obligraph serve`` run where they can be stopped (issue 15).

``obligraph serve`` in a child process over ``corpus_store_path`` (the bundled corpus
in an embedded store, served read-only, so its queries and pages run in worker
processes). Each test looks at the server's processes with psutil: a query past its
time limit gets 503 AND the worker that computed it is gone, nothing of the server
computes afterwards; a query past ``--query-memory`` gets 507 and the server goes
on; a page past ``--page-timeout`` gets 503 and a message page in Vietnamese (English
with ``?lang=en``); SIGTERM or SIGKILL leaves no worker behind. Answers and pages are
the same as on the in-process path. No wall-clock figure is asserted, only bounds
that prove the work was not left running for minutes.
"""

from __future__ import annotations

import signal
import threading
import time

import httpx
import psutil
import pytest

from .conftest import serve, serve_cli

pytestmark = pytest.mark.server

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Sorting the corpus squared (about 260 million rows) needs gigabytes.
HUNGRY = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"
ASK = {"query": "ASK { ?s ?p ?o }"}


def processes(pid: int) -> list[psutil.Process]:
    """The server's process and every process below it."""
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def cpu_seconds(procs: list[psutil.Process]) -> dict[int, float]:
    out = {}
    for p in procs:
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return out


def cpu_used(procs: list[psutil.Process], seconds: float) -> dict[int, float]:
    """CPU seconds each of ``procs`` uses in the next ``seconds``."""
    first = cpu_seconds(procs)
    time.sleep(seconds)
    return {pid: t - first.get(pid, t) for pid, t in cpu_seconds(procs).items()}


def wait_for_workers(pid: int, count: int) -> list[psutil.Process]:
    """Wait until the server has ``count`` processes below it (tracker, forkserver, workers)."""
    deadline = time.monotonic() + 60
    while len(procs := processes(pid)) < count + 1:
        assert time.monotonic() < deadline, "the query workers did not start"
        time.sleep(0.1)
    return procs


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except Exception:
        proc.kill()
        proc.wait()


def test_a_query_past_its_time_limit_is_stopped(tmp_path, corpus_store_path):
    args = ("--store", str(corpus_store_path), "--query-timeout", "1.5", "--max-queries", "2")
    proc, url = serve_cli(tmp_path, *args, env={})
    try:
        before = wait_for_workers(proc.pid, 4)  # resource tracker, forkserver, two workers
        answers: list[httpx.Response] = []
        asker = threading.Thread(
            target=lambda: answers.append(
                httpx.post(url + "/sparql", data={"query": CARTESIAN}, timeout=120)
            )
        )
        started = time.monotonic()
        asker.start()
        time.sleep(0.6)
        used = cpu_used(before, 0.5)
        busy = max(used, key=used.get)
        assert used[busy] > 0.05, f"no process computes the query: {used}"
        asker.join(timeout=120)
        assert answers, "no answer"
        answer = answers[0]
        assert answer.status_code == 503, answer.text
        assert "time limit of 1.5 s" in answer.text and "stopped" in answer.text
        assert time.monotonic() - started < 30
        # the process that computed the query is gone, and it is the only one
        deadline = time.monotonic() + 10
        while alive(psutil.Process(busy)) if psutil.pid_exists(busy) else False:
            assert time.monotonic() < deadline, "the worker computing the query still runs"
            time.sleep(0.05)
        assert [p.pid for p in before if not alive(p)] == [busy]
        # nothing of the server computes any more (its replacement worker has started)
        time.sleep(1.0)
        spent = sum(cpu_used(processes(proc.pid), 2.0).values())
        assert spent < 0.5, f"the server's processes used {spent:.2f} s of CPU in 2 s"
        # and the server answers the next query
        assert httpx.get(url + "/sparql", params=ASK, timeout=30).json()["boolean"] is True
    finally:
        stop(proc)


def test_a_query_past_its_memory_bound_gets_507_and_the_server_goes_on(tmp_path, corpus_store_path):
    args = ("--store", str(corpus_store_path), "--query-memory", "256", "--query-timeout", "120")
    proc, url = serve_cli(tmp_path, *args, env={})
    try:
        started = time.monotonic()
        answer = httpx.post(url + "/sparql", data={"query": HUNGRY}, timeout=150)
        assert answer.status_code == 507, answer.text
        assert "memory limit of 256 MiB per query" in answer.text
        assert time.monotonic() - started < 100
        assert httpx.get(url + "/sparql", params=ASK, timeout=30).json()["boolean"] is True
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?t a <https://w3id.org/obligraph/ontology#Task> }"
        rows = httpx.get(url + "/sparql", params={"query": count}, timeout=30).json()
        assert int(rows["results"]["bindings"][0]["n"]["value"]) > 0
        assert proc.poll() is None
    finally:
        stop(proc)


def test_a_page_past_its_time_limit_gets_a_message_page(tmp_path, corpus_store_path):
    args = ("--store", str(corpus_store_path), "--page-timeout", "0.01")
    proc, url = serve_cli(tmp_path, *args, env={})
    try:
        wait_for_workers(proc.pid, 6)
        page = httpx.get(url + "/overview", timeout=60)
        assert page.status_code == 503
        assert "Vượt quá giới hạn" in page.text
        assert "Trang này không trả lời kịp trong 0.01 giây" in page.text
        assert "đã được dừng hẳn" in page.text
        english = httpx.get(url + "/overview?lang=en", timeout=60)
        assert english.status_code == 503
        assert "could not be answered within 0.01 seconds" in english.text
        assert "Its work was stopped." in english.text
        # the queries of the endpoint have their own limit and still answer
        assert httpx.get(url + "/sparql", params=ASK, timeout=30).json()["boolean"] is True
    finally:
        stop(proc)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_no_worker_outlives_the_server(tmp_path, corpus_store_path, how):
    args = ("--store", str(corpus_store_path), "--query-timeout", "120")
    proc, url = serve_cli(tmp_path, *args, env={})
    family = wait_for_workers(proc.pid, 6)[1:]

    def ask() -> None:
        try:
            httpx.post(url + "/sparql", data={"query": CARTESIAN}, timeout=150)
        except httpx.HTTPError:  # the server ends before it answers
            pass

    threading.Thread(target=ask, daemon=True).start()
    time.sleep(1.0)
    proc.send_signal(how)
    proc.wait(timeout=20)
    deadline = time.monotonic() + 15
    while left := [p for p in family if alive(p)]:
        if time.monotonic() > deadline:
            for p in left:
                p.kill()
            pytest.fail(f"still running after the server ended: {[p.name() for p in left]}")
        time.sleep(0.1)


def test_answers_and_pages_are_those_of_the_in_process_path(corpus_store_path):
    from obligraph.graph.stores import open_store
    from obligraph.graph.stores.worker import InProcess, WorkerPool
    from obligraph.viz.web.app import create_app, editor_queries

    store = open_store(corpus_store_path, read_only=True)
    here_app = create_app(store, runner=InProcess(store))
    there_app = create_app(store)
    assert isinstance(there_app.state.runner, WorkerPool)
    paths = [
        "/",
        "/?q=tre em",
        "/unit/cuc-tre-em",
        "/unit/cuc-tre-em?lang=en",
        "/unit/cuc-tre-em/obligations.csv",
        "/doc/qd/704-qd-ldtbxh/2021",
        "/overview",
        "/view/overlap?target=all",
    ]
    try:
        for here in serve(here_app):
            for there in serve(there_app):
                for path in paths:
                    a = httpx.get(here + path, timeout=120)
                    b = httpx.get(there + path, timeout=120)
                    assert (b.status_code, b.content) == (a.status_code, a.content), path
                for q in editor_queries(store):
                    headers = {"Accept": "text/csv"}
                    data = {"query": q["query"]}
                    a = httpx.post(here + "/sparql", data=data, headers=headers, timeout=120)
                    b = httpx.post(there + "/sparql", data=data, headers=headers, timeout=120)
                    assert a.status_code == 200, (q["name"], a.text)
                    assert (b.status_code, b.content) == (a.status_code, a.content), q["name"]
    finally:
        there_app.state.runner.close()
        store.close()
