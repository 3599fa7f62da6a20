"""At most ``max_running`` SPARQL queries run at once, counted until their work ends.

The embedded store cannot cancel a query, so a query past its time limit goes on
in its thread; it keeps its slot until it really ends, and so abandoned queries
can never pile up on the cores. The store here sleeps 3 s on a query holding
``# slow`` (``SlowStore``); the time limit is 0.5 s; one query may run at a time.
"""

from __future__ import annotations

import time

import httpx
import pytest

from .conftest import SlowStore, serve

pytestmark = pytest.mark.server

SLOW = "ASK { ?s ?p ?o } # slow"
FAST = "ASK { ?s ?p ?o }"


def test_an_abandoned_query_keeps_its_slot_until_it_ends(corpus_store):
    from obligraph.viz.web.app import create_app

    web = create_app(SlowStore(corpus_store), query_timeout=0.5, max_running=1)
    for url in serve(web):
        slow = httpx.get(url + "/sparql", params={"query": SLOW}, timeout=30)
        assert slow.status_code == 503 and "time limit" in slow.text
        # the slow query still sleeps in its thread: a second one is refused at once
        started = time.monotonic()
        busy = httpx.get(url + "/sparql", params={"query": FAST}, timeout=30)
        assert busy.status_code == 503 and "busy" in busy.text
        assert time.monotonic() - started < 0.5
        assert busy.headers["retry-after"] == "1"
        # once the slow query has ended (about 2.5 s later) the slot is free again
        deadline = time.monotonic() + 15
        while (res := httpx.get(url + "/sparql", params={"query": FAST})).status_code == 503:
            assert "busy" in res.text
            assert time.monotonic() < deadline, "the slot was never given back"
            time.sleep(0.1)
        assert res.status_code == 200 and res.json()["boolean"] is True
        # fast queries one after another never trip the limit
        for _ in range(5):
            assert httpx.get(url + "/sparql", params={"query": FAST}).status_code == 200
