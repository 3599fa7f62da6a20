"""Shared fixtures.

* ``tmp_home``: points ``OBLIGRAPH_HOME`` at a fresh temp folder (so the default
  store never touches the real home).
* ``corpus_docs``: the five bundled documents (``obligraph/corpus/``) loaded by
  the real loaders with the bundled gazetteer; session-wide, treat read-only.
* ``corpus_store``: an in-memory store built from ``corpus_docs`` by the real
  build (gazetteer graph and overlaps included); session-wide, read-only.
* ``corpus_store_path``: the same graph in an embedded on-disk store (a folder made
  by the same build), closed after the build: open it read-only only.
* ``start_oxigraph``: a function starting a new, empty real Oxigraph server (see
  :func:`running_oxigraph`); every server it started is stopped at the end.
* ``oxigraph_server``: a real Oxigraph SPARQL server (the ``oxigraph`` CLI of the
  test extras) on a free port of 127.0.0.1, started with
  ``--union-default-graph``; yields its root URL and is killed afterwards.
* ``virtuoso_server``: a real Virtuoso 7 (Debian's ``virtuoso-opensource``) over a new
  database in a temp folder, on free ports of 127.0.0.1 (``bench/servers.py``); a
  ``VirtuosoServer`` (``.url``, ``.isql(...)``, dba login). Skipped, saying why, only
  when the binaries are not installed.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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
    from obligraph.graph.stores import open_store

    store = open_store(memory=True)
    write_documents(corpus_docs, store, gazetteer=gazetteer)
    return store


@pytest.fixture(scope="session")
def people_queries() -> set[str]:
    """Named queries over what people add (corrections, statuses): the bundled corpus
    alone has none, so they answer rows on ``people_store``."""
    return {"corrections", "overdue-obligations"}


@pytest.fixture(scope="session")
def people_store(corpus_docs, gazetteer):
    """The bundled corpus with corrections and a status, as docs/corrections.md shows.

    Row a of 704/QĐ-LĐTBXH's annex (line 141) names Cục Trẻ em as lead; the correction
    moves the lead to Vụ Kế hoạch - Tài chính and gives the task a due date of yesterday,
    so it is overdue; a second correction names a task the document does not have.
    """
    from datetime import date, timedelta

    from obligraph.graph.build import write_documents
    from obligraph.graph.corrections import Correction, check_correction
    from obligraph.graph.status import StatusEntry, check_entry
    from obligraph.graph.stores import open_store

    yesterday = (date.today() - timedelta(days=1)).isoformat()
    task = "704/QĐ-LĐTBXH#annex-1-a"
    corrections = [
        Correction(task, "lead", "Nguyễn Văn A", "2026-03-15", "Cục Trẻ em",
                   "Vụ Kế hoạch - Tài chính", "Bảng ghi nhầm đơn vị chủ trì", "c.csv", 2),
        Correction(task, "due", "Nguyễn Văn A", "2026-03-15", "", yesterday, "", "c.csv", 3),
        Correction("704/QĐ-LĐTBXH#annex-9-z", "lead", "Nguyễn Văn A", "2026-03-15", "",
                   "Cục Việc làm", "", "c.csv", 4),
    ]  # fmt: skip
    statuses = [StatusEntry(task, "in-progress", "2026-03-01", "Đã họp", "", "Trần B", "s.csv", 2)]
    store = open_store(memory=True)
    write_documents(
        corpus_docs,
        store,
        gazetteer=gazetteer,
        corrections=[check_correction(c) for c in corrections],
        statuses=[check_entry(e) for e in statuses],
    )
    return store


@pytest.fixture(scope="session")
def corpus_store_path(corpus_docs, gazetteer, tmp_path_factory) -> Path:
    """An embedded store folder holding the bundled corpus (as ``corpus_store``). Read-only."""
    from obligraph.graph.build import write_documents
    from obligraph.graph.stores import open_store

    path = tmp_path_factory.mktemp("corpus-store") / "store"
    with open_store(path) as store:
        write_documents(corpus_docs, store, gazetteer=gazetteer)
    return path


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


@contextlib.contextmanager
def running_oxigraph(location: Path) -> Iterator[str]:
    """A real Oxigraph SPARQL server on a free port of 127.0.0.1 over ``location``
    (``--union-default-graph``); yields its root URL, stops it afterwards."""
    port = free_port()
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
    try:
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
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def start_oxigraph(tmp_path_factory):
    """``start_oxigraph()`` -> URL of a new, empty Oxigraph server (stopped at the end)."""
    with contextlib.ExitStack() as stack:

        def start() -> str:
            location = tmp_path_factory.mktemp("oxigraph-server")
            return stack.enter_context(running_oxigraph(location))

        yield start


@pytest.fixture(scope="session")
def oxigraph_server(start_oxigraph):
    """Root URL of a real Oxigraph server on 127.0.0.1 (query, update, store)."""
    return start_oxigraph()


#: The real documents of ``../shared/realdocs/`` (read in place, never copied here).
REALDOCS = Path(__file__).resolve().parent.parent.parent / "shared" / "realdocs"


@pytest.fixture(scope="session")
def realdocs() -> Path:
    """The realdocs folder; the test is skipped where it is absent."""
    if not (REALDOCS / "metadata.tsv").exists():
        pytest.skip(f"no realdocs folder at {REALDOCS}")
    return REALDOCS


@pytest.fixture(scope="session")
def start_virtuoso(tmp_path_factory):
    """``start_virtuoso()`` -> a new, empty Virtuoso server (stopped at the end)."""
    from bench.servers import running_virtuoso, virtuoso_missing

    missing = virtuoso_missing()
    if missing:
        pytest.skip(missing)
    with contextlib.ExitStack() as stack:

        def start():
            location = tmp_path_factory.mktemp("virtuoso-server")
            try:
                return stack.enter_context(running_virtuoso(location))
            except RuntimeError as exc:
                pytest.fail(str(exc))

        yield start


@pytest.fixture(scope="session")
def virtuoso_server(start_virtuoso):
    """A real Virtuoso server on 127.0.0.1 (``.url``, ``.isql``, ``.user``, ``.password``)."""
    return start_virtuoso()
