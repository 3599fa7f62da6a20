"""No outbound requests unless the user names the address (issue: safe to serve and to share).

A ``SERVICE`` (or ``LOAD``) clause made the embedded engine POST to any address, from
``obligraph query`` and from the read-only ``/sparql`` of ``obligraph serve``. A real
listener on 127.0.0.1 stands in for the target: it must receive nothing.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
from obligraph.graph.stores import open_store
from typer.testing import CliRunner

from obligraph.base.errors import QueryError
from obligraph.cli import app


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP listener on 127.0.0.1 that records every connection's first bytes."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    got: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    got.append(conn.recv(1024))
                except OSError:
                    got.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", got
    stop.set()
    thread.join(timeout=2)
    server.close()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    """An embedded store on disk with one bundled document."""
    from obligraph.graph.build import build

    import obligraph

    path = tmp_path_factory.mktemp("outbound") / "store"
    s = open_store(path)
    build([obligraph.corpus_dir() / "qd-923-ldtbxh-2020-ke-hoach-chi-thi-23-ct-ttg.txt"], s)
    s.close()
    return path


def _service(url: str) -> str:
    return f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"


def test_the_cli_refuses_a_service_it_was_not_told_about(listener, store_dir):
    url, got = listener
    res = CliRunner().invoke(app, ["query", _service(url), "--store", str(store_dir)])
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "would reach" in lines[0] and "--allow-service" in lines[0]
    assert "Traceback" not in res.output
    assert got == []


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE SILENT <file:///etc/passwd> { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    ],
)
def test_files_and_variable_addresses_are_never_reached(text):
    with pytest.raises(QueryError, match="would reach"):
        open_store(memory=True).query(text)


def test_updates_cannot_load_from_the_network(listener):
    url, got = listener
    store = open_store(memory=True)
    with pytest.raises(QueryError, match="would reach"):
        store.update(f"LOAD <{url}> INTO GRAPH <urn:g>")
    assert got == []


def test_sparql_endpoint_answers_400_and_reaches_nothing(site, listener):
    url, got = listener
    res = httpx.get(f"{site}/sparql", params={"query": _service(url)}, timeout=30)
    assert res.status_code == 400 and "would reach" in res.text
    assert got == []


def test_an_allowed_service_is_reached(listener, store_dir):
    url, got = listener
    text = f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"
    res = CliRunner().invoke(
        app, ["query", text, "--store", str(store_dir), "--allow-service", url]
    )
    assert res.exit_code == 0, res.output
    assert got and got[0].startswith((b"POST", b"GET"))  # the opt-in did reach it
