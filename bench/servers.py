"""Throwaway SPARQL servers on 127.0.0.1 for the tests and the engine benchmark.

:func:`running_virtuoso` starts Debian's Virtuoso 7 (``virtuoso-opensource``:
``virtuoso-t`` and ``isql-vt``) over a new database in a temporary folder, on two
free ports (HTTP and the SQL port ``isql-vt`` talks to), with the settings
obligraph needs (see docs/stores.md): answers up to 1,000,000 rows, no refusal by
estimated cost, and the folder itself allowed for the bulk loader (``ld_dir``).
A new database's ``dba`` password is ``dba``; nothing listens beyond 127.0.0.1.

>>> ini = virtuoso_ini(Path("/tmp/v"), http_port=8890, sql_port=1111)
>>> "ServerPort = 127.0.0.1:8890" in ini and "DirsAllowed = ., /tmp/v" in ini
True
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot be started here, or None when it can."""
    for exe in (VIRTUOSO, ISQL):
        if shutil.which(exe) is None:
            return (
                f"{exe} is not installed (Debian: apt-get install virtuoso-opensource; "
                "scripts/setup-system.sh does it)"
            )
    return None


def virtuoso_ini(location: Path, *, http_port: int, sql_port: int) -> str:
    """A virtuoso.ini for a database in ``location`` listening on 127.0.0.1 only."""
    db = location
    return f"""\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {db}
NumberOfBuffers = 34000
MaxDirtyBuffers = 25000
CaseMode = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {VIRTUOSO_VSP}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 0
"""


@dataclass(frozen=True)
class VirtuosoServer:
    """A running Virtuoso: its HTTP root, SQL port, database folder and dba login."""

    url: str
    sql_port: int
    location: Path
    user: str = "dba"
    password: str = "dba"

    def isql(self, *statements: str, timeout: float = 3600) -> str:
        """Run SQL statements through ``isql-vt``; the output, or RuntimeError."""
        script = "".join(s.rstrip().rstrip(";") + ";\n" for s in statements)
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", self.user, self.password],
            input=script,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt failed: {done.stdout[-800:]} {done.stderr[-800:]}")
        return done.stdout


def _wait(url: str, proc: subprocess.Popen, what: str, deadline_s: float = 120) -> None:
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                err = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                raise RuntimeError(f"{what} did not start: {err[-1500:]}") from None
            time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def running_virtuoso(location: Path) -> Iterator[VirtuosoServer]:
    """Virtuoso over a new database in ``location`` (an empty folder); stopped after."""
    missing = virtuoso_missing()
    if missing:
        raise RuntimeError(missing)
    location = Path(location).resolve()
    location.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = location / "virtuoso.ini"
    ini.write_text(virtuoso_ini(location, http_port=http_port, sql_port=sql_port))
    proc = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=location,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{http_port}"
    try:
        _wait(f"{url}/sparql?query=ASK%7B%7D", proc, "virtuoso")
        yield VirtuosoServer(url, sql_port, location)
    finally:
        _stop(proc)


@contextlib.contextmanager
def running_oxigraph(cli: str, location: Path) -> Iterator[str]:
    """``oxigraph serve --union-default-graph`` over ``location``; yields its root URL."""
    port = free_port()
    proc = subprocess.Popen(
        [cli, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/query?query=ASK%7B%7D", proc, "oxigraph")
        yield url
    finally:
        _stop(proc)
