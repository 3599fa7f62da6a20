"""Fixtures for the web-app tests: the real app on a real uvicorn server on 127.0.0.1.

* ``site``: the app over ``corpus_store`` (the five bundled documents, see
  ``tests/conftest.py``), read-only, default limits; yields its root URL.
* ``update_site``: an app over a fresh in-memory store started with an update
  token (``UPDATE_TOKEN``), so updates never touch the shared corpus store.
* ``limited_site``: the corpus app with tight limits (result cap 5, 1,000
  characters per query, 0.5 s time limit) over a store that sleeps 3 s on any
  query holding ``# slow`` (a real query that long would keep a CPU busy after
  the time-out, since pyoxigraph queries cannot be cancelled).

Each server runs ``uvicorn.Server`` in a thread on a free port, started and
stopped by the fixture; no request leaves 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

UPDATE_TOKEN = "test-token-7f3a"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app: Any) -> Iterator[str]:
    """Run ``app`` on 127.0.0.1:<free port> in a thread; yield the root URL; stop it."""
    import uvicorn
    from obligraph.viz.web.app import server_config

    config = server_config(app, host="127.0.0.1", port=free_port())
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the web app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{config.port}"
    server.should_exit = True
    thread.join(timeout=15)


def serve_cli(tmp_path: Path, *args: str, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """``obligraph serve`` in a child process on a free port; returns (process, root URL)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "obligraph", "serve", "--port", str(port), *args],
        env={**os.environ, **env, "OBLIGRAPH_HOME": str(tmp_path / "home")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/sparql?query=ASK%7B%7D", timeout=5)
            return proc, url
        except httpx.TransportError:
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read().decode())
            time.sleep(0.2)
    proc.kill()
    pytest.fail("obligraph serve did not start")


class SlowStore:
    """Delegates to a store; a query holding ``# slow`` sleeps 3 s first."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def query(self, sparql: str, **kwargs: Any) -> Any:
        if "# slow" in sparql:
            time.sleep(3)
        return self._store.query(sparql, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.fixture(scope="session")
def site(corpus_store) -> Iterator[str]:
    from obligraph.viz.web.app import create_app

    yield from serve(create_app(corpus_store))


@pytest.fixture(scope="session")
def update_site() -> Iterator[str]:
    from obligraph.graph.stores import open_store
    from obligraph.viz.web.app import create_app

    yield from serve(create_app(open_store(memory=True), update_token=UPDATE_TOKEN))


@pytest.fixture(scope="session")
def limited_site(corpus_store) -> Iterator[str]:
    from obligraph.viz.web.app import create_app

    app = create_app(SlowStore(corpus_store), result_cap=5, max_query_chars=1000, query_timeout=0.5)
    yield from serve(app)


# ------------------------------------------------------------------ a real browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: bash scripts/setup-system.sh installs Debian chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def local_page(browser: Any, base: str) -> Iterator[Any]:
    """A page in a fresh browser context (1280x900, Vietnamese locale, downloads on);
    on leaving, every request it made must have stayed on ``base`` (127.0.0.1)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="vi-VN"
    )
    context.set_default_timeout(30_000)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    try:
        yield context.new_page()
    finally:
        context.close()
    outside = [u for u in requests if not u.startswith((base + "/", "data:", "about:"))]
    assert requests and not outside, f"requests left 127.0.0.1: {outside[:5]}"
