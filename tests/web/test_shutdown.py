"""``obligraph serve`` stops soon after SIGTERM, even while a query is running.

A triple cartesian COUNT over the corpus runs for minutes; the server is given a
120 s query time limit so that, without the shutdown grace, it would wait for
that query. It must exit within 2 s of grace plus start-up slack, closing the
connection of the unfinished query (a real server in a child process).
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time

import httpx
import pytest
from typer.testing import CliRunner

from obligraph.cli import app

from .conftest import serve_cli

pytestmark = pytest.mark.server

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_sigterm_stops_the_server_during_a_long_query(tmp_path):
    store = tmp_path / "store"
    assert CliRunner().invoke(app, ["build", "--store", str(store), "-q"]).exit_code == 0
    proc, url = serve_cli(tmp_path, "--store", str(store), "--query-timeout", "120", env={})
    answers: list[object] = []

    def ask() -> None:
        try:
            answers.append(httpx.post(url + "/sparql", data={"query": CARTESIAN}, timeout=150))
        except httpx.HTTPError as exc:
            answers.append(exc)

    asker = threading.Thread(target=ask, daemon=True)
    asker.start()
    time.sleep(1.0)  # let the query reach the store
    assert not answers, "the cartesian query answered at once: it no longer tests anything"
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("the server still ran 20 s after SIGTERM")
    assert time.monotonic() - started < 20
    # uvicorn re-raises the signal once it has shut down: the status is "killed by SIGTERM"
    assert code in (0, -signal.SIGTERM), proc.stderr.read().decode()
    asker.join(timeout=10)
    assert answers and isinstance(answers[0], httpx.HTTPError)  # connection closed, no answer
