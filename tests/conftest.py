"""Shared fixtures.

* ``tmp_home``: points ``OBLIGRAPH_HOME`` at a fresh temp folder (so the default
  store never touches the real home).
* ``corpus_docs``: the five bundled documents (``obligraph/corpus/``) loaded by
  the real loaders with the bundled gazetteer; session-wide, treat read-only.
* ``corpus_store``: an in-memory store built from ``corpus_docs`` by the real
  build (gazetteer graph and overlaps included); session-wide, read-only.
* ``oxigraph_server``: a real Oxigraph SPARQL server (the ``oxigraph`` CLI of the
  test extras) on a free port of 127.0.0.1, started with
  ``--union-default-graph``; yields its root URL and is killed afterwards.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import obligraph


@pytest.fixture
def tmp_home(tmp_path, monkeypatch):
    """``OBLIGRAPH_HOME`` set to a temp folder; yields that folder."""
    home = tmp_path / "obligraph-home"
    monkeypatch.setenv("OBLIGRAPH_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    """The five bundled documents."""
    files = sorted(obligraph.corpus_dir().glob("*.txt"))
    assert len(files) == 5
    return files


@pytest.fixture(scope="session")
def gazetteer():
    from obligraph.loaders.units import Gazetteer

    return Gazetteer.default()


@pytest.fixture(scope="session")
def corpus_docs(corpus_files, gazetteer):
    """The bundled corpus loaded by ``obligraph.loaders.load_document``."""
    from obligraph.loaders import load_document

    return [load_document(p, gazetteer=gazetteer) for p in corpus_files]


@pytest.fixture(scope="session")
def corpus_store(corpus_docs, gazetteer):
    """An in-memory store holding the bundled corpus (overlaps included). Read-only."""
    from obligraph.graph.build import write_documents
    from obligraph.graph.store import open_store

    store = open_store(memory=True)
    write_documents(corpus_docs, store, gazetteer=gazetteer)
    return store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_cli() -> str:
    exe = Path(sys.executable).with_name("oxigraph")
    if exe.exists():
        return str(exe)
    found = shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server CLI is missing: pip install -e '.[test]'")
    return found


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """Root URL of a real Oxigraph server on 127.0.0.1 (query, update, store)."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    proc = subprocess.Popen(
        [
            oxigraph_cli(),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"oxigraph server did not start: {err}")
            time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
