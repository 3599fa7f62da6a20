"""``obligraph serve`` with an update token keeps its queries stoppable (issue 15).

With a token the server holds the embedded store read-only and runs queries and pages
in worker processes, as without one; a write (a SPARQL update, a status report) goes
through the write gate (``obligraph.graph.stores.write_gate``): queries wait, the workers and
the server's handle close, a writer process opens the store for writing, then the
store is read-only again behind fresh workers.

The servers are real (``obligraph serve`` in a child process, or the app on uvicorn in
a thread) over a copy of ``corpus_store_path`` (the bundled corpus), so the shared
store is never written. Process checks use psutil, as tests/web/test_query_worker.py
does; no wall-clock figure is asserted.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from .conftest import serve, serve_cli
from .test_query_worker import CARTESIAN, alive, cpu_used, processes, stop, wait_for_workers

pytestmark = pytest.mark.server

TOKEN = "tok-" + "5" * 24
AUTH = {"Authorization": f"Bearer {TOKEN}"}
OB = "https://w3id.org/obligraph/ontology#"
TASK_PATH = "/task/qd/704-qd-ldtbxh/2021/task/annex-1-a"
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
#: Deletes every graph, then counts the union cubed: stopped at the time limit before
#: it ends, so the deletions of the same transaction must never be written.
DELETE_ALL_THEN_ENDLESS = (
    "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } "
    "FILTER(?g != <urn:obligraph:union>) } ;\n"
    "INSERT { GRAPH <urn:obligraph:test> { <urn:obligraph:test> <urn:obligraph:n> ?n } } "
    "WHERE { SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:obligraph:union> "
    "{ ?a ?b ?c . ?d ?e ?f . ?x ?h ?i } } }"
)


def insert(text: str, graph: str = "urn:obligraph:test") -> str:
    return (
        f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:obligraph:test> <{OB}text> {text!r} }} }}"
    ).replace("'", '"')


def asks(text: str) -> str:
    return f'ASK {{ <urn:obligraph:test> <{OB}text> "{text}" }}'


def update(url: str, text: str, headers: dict[str, str] = AUTH) -> httpx.Response:
    """POST the update ``text`` (a write waits for queries running, then runs)."""
    return httpx.post(url + "/sparql", data={"update": text}, headers=headers, timeout=120)


def boolean(url: str, query: str) -> bool:
    answer = httpx.get(url + "/sparql", params={"query": query}, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()["boolean"]


def quads(url: str) -> int:
    answer = httpx.get(url + "/sparql", params={"query": QUADS}, timeout=60)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def quiet(pid: int) -> float:
    """CPU seconds the server's processes use in 2 s, once its new workers have started."""
    wait_for_workers(pid, 4)  # resource tracker, forkserver, two workers
    time.sleep(1.0)
    return sum(cpu_used(processes(pid), 2.0).values())


def query_workers(pid: int) -> list[psutil.Process]:
    """The server's query workers (children of its forkserver, not of the server)."""
    return [p for p in processes(pid)[1:] if alive(p) and p.ppid() != pid]


def copy_store(source: Path, into: Path) -> Path:
    target = into / "store"
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="module")
def token_server(corpus_store_path, tmp_path_factory) -> Iterator[tuple[object, str, Path]]:
    """``obligraph serve`` with the token in the environment over a copy of the corpus
    store: 10 s per query or update (a write starts a writer process and refills the
    union graph; a loaded machine needs more than 3 s for that), two at once.
    Yields (process, root URL, store folder)."""
    folder = tmp_path_factory.mktemp("token-serve")
    store = copy_store(corpus_store_path, folder)
    args = ("--store", str(store), "--query-timeout", "10", "--max-queries", "2")
    proc, url = serve_cli(folder, *args, env={"OBLIGRAPH_UPDATE_TOKEN": TOKEN})
    try:
        yield proc, url, store
    finally:
        stop(proc)


def test_an_authorised_update_is_applied_and_seen_by_the_next_query(token_server):
    proc, url, _store = token_server
    wait_for_workers(proc.pid, 4)
    workers = query_workers(proc.pid)
    assert len(workers) == 2
    assert boolean(url, asks("trước khi ghi")) is False
    done = update(url, insert("trước khi ghi"))
    assert done.status_code == 204, done.text
    # the query workers that had the store open read-only were closed for the write
    assert not [p for p in workers if alive(p)]
    assert boolean(url, asks("trước khi ghi")) is True
    assert proc.poll() is None


def test_an_unauthorised_update_is_refused_and_writes_nothing(token_server):
    _proc, url, _store = token_server
    before = quads(url)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        refused = update(url, insert("lạ"), headers)
        assert refused.status_code == 401, refused.text
        assert refused.text == "update refused: missing or wrong bearer token\n"
    by_get = httpx.get(url + "/sparql", params={"update": insert("lạ")}, headers=AUTH)
    assert by_get.status_code == 405
    form = {"status": "done", "date": "2026-03-15", "token": "wrong"}
    assert httpx.post(url + TASK_PATH + "/status", data=form, timeout=60).status_code == 403
    assert boolean(url, asks("lạ")) is False
    assert quads(url) == before


def test_a_failing_update_leaves_the_data_intact(token_server):
    proc, url, _store = token_server
    before = quads(url)
    bad = update(url, "INSERT DATA { nonsense")
    assert bad.status_code == 400 and "malformed or failed update" in bad.text
    assert quads(url) == before
    # an update stopped at its time limit, after deleting every graph in its transaction
    stopped = update(url, DELETE_ALL_THEN_ENDLESS)
    assert stopped.status_code in (503, 507), stopped.text
    assert "nothing was written" in stopped.text
    assert quads(url) == before
    assert boolean(url, "ASK { ?t a <https://w3id.org/obligraph/ontology#Task> }") is True
    # the writer process was stopped: nothing of the server computes any more
    assert (spent := quiet(proc.pid)) < 0.5, f"{spent:.2f} s of CPU in 2 s"


def test_a_status_report_is_recorded(token_server):
    _proc, url, store = token_server
    page = httpx.get(url + TASK_PATH, timeout=60)
    assert page.status_code == 200 and 'id="state"' in page.text
    form = {"status": "done", "date": "2026-03-15", "note": "Đã ban hành", "token": TOKEN}
    sent = httpx.post(url + TASK_PATH + "/status", data=form, timeout=120)
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"] == TASK_PATH + "#status"
    page = httpx.get(url + TASK_PATH, timeout=60)
    assert page.status_code == 200
    assert "hoàn thành" in page.text and "Đã ban hành" in page.text
    rows = (store.parent / "status.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[-1] == "doc/qd/704-qd-ldtbxh/2021/task/annex-1-a,done,2026-03-15,Đã ban hành,,"


def test_a_query_past_its_time_limit_is_stopped_after_a_write(token_server):
    proc, url, _store = token_server
    done = update(url, insert("rồi hỏi"))
    assert done.status_code == 204, done.text
    before = wait_for_workers(proc.pid, 4)
    answers: list[httpx.Response] = []
    asker = threading.Thread(
        target=lambda: answers.append(
            httpx.post(url + "/sparql", data={"query": CARTESIAN}, timeout=120)
        )
    )
    asker.start()
    deadline = time.monotonic() + 8
    while True:  # the query starts once a worker has opened the store
        used = cpu_used(before, 0.5)
        busy = max(used, key=used.get)
        if used[busy] > 0.05 or time.monotonic() > deadline:
            break
    assert busy != proc.pid, f"the server's own process computes the query: {used}"
    assert used[busy] > 0.05, f"no process computes the query: {used}"
    asker.join(timeout=120)
    assert answers and answers[0].status_code == 503, answers and answers[0].text
    assert "time limit of 10 s" in answers[0].text and "it was stopped" in answers[0].text
    # the process that computed the query is gone, and it is the only one
    deadline = time.monotonic() + 10
    while psutil.pid_exists(busy) and alive(psutil.Process(busy)):
        assert time.monotonic() < deadline, "the worker computing the query still runs"
        time.sleep(0.05)
    assert [p.pid for p in before if not alive(p)] == [busy]
    assert (spent := quiet(proc.pid)) < 0.5, f"{spent:.2f} s of CPU in 2 s"
    assert boolean(url, asks("rồi hỏi")) is True


def test_queries_and_pages_wait_for_a_write_then_see_it(corpus_store_path, tmp_path, monkeypatch):
    from obligraph.graph.stores import open_store
    from obligraph.graph.stores.write_gate import WriteGate
    from obligraph.viz.web.app import create_app

    monkeypatch.syspath_prepend(str(Path(__file__).parent))  # for the writer process
    import write_probe

    store = copy_store(corpus_store_path, tmp_path)
    app = create_app(open_store(store, read_only=True), update_token=TOKEN, max_running=2)
    gate = app.state.runner
    assert isinstance(gate, WriteGate)
    try:
        for url in serve(app):
            ask_while_writing(url, gate, tmp_path / "go", write_probe.insert_when_told)
    finally:
        gate.close()


def ask_while_writing(url: str, gate, go: Path, write_when_told) -> None:
    """Hold a write open (until the file ``go`` exists) while a query and two pages are
    asked; they must wait for the write, then answer with it done."""
    assert boolean(url, asks("trong khi ghi")) is False
    written: list[int] = []

    def write() -> None:
        text = insert("trong khi ghi")
        written.append(gate.write(write_when_told, str(go), text, timeout=120))

    writing = threading.Thread(target=write)
    writing.start()
    started = Path(str(go) + ".started")
    deadline = time.monotonic() + 60
    while not started.exists():
        assert time.monotonic() < deadline, "the write did not start"
        time.sleep(0.02)
    # the store is open for writing in the writer process, and only there
    assert gate.pids() == []
    answers: dict[str, httpx.Response] = {}

    def ask(name: str, method: str, path: str, **kw) -> threading.Thread:
        def run() -> None:
            answers[name] = httpx.request(method, url + path, timeout=120, **kw)

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    askers = [
        ask("sparql", "GET", "/sparql", params={"query": asks("trong khi ghi")}),
        ask("unit", "GET", "/unit/cuc-tre-em"),
        ask("task", "GET", TASK_PATH),
    ]
    time.sleep(1.0)
    assert answers == {}, "a query was answered while the store was being written"
    go.touch()
    writing.join(timeout=120)
    assert written and written[0] == int(started.read_text())
    for thread in askers:
        thread.join(timeout=120)
    codes = {name: a.status_code for name, a in answers.items()}
    assert codes == {"sparql": 200, "unit": 200, "task": 200}
    assert answers["sparql"].json()["boolean"] is True  # they ran after the write
    assert "Cục Trẻ em" in answers["unit"].text
    assert not psutil.pid_exists(written[0]) or not alive(psutil.Process(written[0]))
    deadline = time.monotonic() + 60
    while not gate.pids():  # a fresh pool of query workers starts
        assert time.monotonic() < deadline, "no query worker after the write"
        time.sleep(0.05)
    assert gate.query(asks("trong khi ghi")).boolean is True  # the server's own handle
