"""``obligraph query`` stops a query at its time limit and at its memory bound (issue 15).

The query runs in a worker process over the embedded store opened read-only; past
``--timeout`` or ``--query-memory`` it is killed and the command prints ONE line on
stderr and exits with code 3 (a real ``python -m obligraph`` process over
``corpus_store_path``). Its answers are the in-process answers.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from obligraph.cli import app

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HUNGRY = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "obligraph", "query", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_a_query_past_its_timeout_exits_3_with_one_line(corpus_store_path):
    started = time.monotonic()
    done = run(CARTESIAN, "--store", str(corpus_store_path), "--timeout", "1")
    assert time.monotonic() - started < 60
    assert done.returncode == 3, done.stderr
    assert done.stderr == "error: query stopped at the time limit of 1 s (--timeout)\n"
    assert done.stdout == ""


def test_a_query_past_its_memory_bound_exits_3_with_one_line(corpus_store_path):
    done = run(HUNGRY, "--store", str(corpus_store_path), "--query-memory", "256")
    assert done.returncode == 3, done.stderr
    assert done.stderr == (
        "error: query stopped: it needed more than the memory limit of 256 MiB (--query-memory)\n"
    )


def test_a_bound_too_small_is_refused(corpus_store_path):
    done = run("ASK {}", "--store", str(corpus_store_path), "--query-memory", "10")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["stats-by-type", "documents", "obligations-of-unit"])
def test_answers_are_the_in_process_answers(corpus_store_path, name):
    from obligraph.graph.stores import open_store
    from obligraph.queries import library

    q = library.resolve(name)
    examples = {p.name: p.example for p in q.params}
    args = [f"--param={k}={v}" for k, v in examples.items()]
    result = CliRunner().invoke(
        app, ["query", name, "--store", str(corpus_store_path), "-f", "csv", *args]
    )
    assert result.exit_code == 0, result.output
    with open_store(corpus_store_path, read_only=True) as store:
        here = store.query(q.text, bindings=library.bind_params(q, examples) or None)
    # the same rows (the CLI's CSV follows the one CSV policy: CRLF line ends)
    assert list(csv.reader(io.StringIO(result.stdout))) == list(
        csv.reader(io.StringIO(library.render(here, "csv")))
    )
    assert len(here) > 0
