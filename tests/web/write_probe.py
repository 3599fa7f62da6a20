"""A write that waits for a go-ahead, for tests/web/test_token_mode.py.

The write gate sends its work to a writer process by name, so this module must be
importable there: the test puts this folder on ``sys.path`` (a worker process takes
the caller's ``sys.path`` when it starts). Not a test module itself.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any


def insert_when_told(store: Any, go: str, sparql: str) -> int:
    """Say it started (``go + ".started"``), wait up to 120 s for the file ``go``, then
    run the update ``sparql``; returns this process's id."""
    Path(go + ".started").write_text(str(os.getpid()))
    deadline = time.monotonic() + 120
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.02)
    store.update(sparql)
    return os.getpid()
