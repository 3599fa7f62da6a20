"""Retake the screenshots of docs/web.md and docs/views.md (1366x900, headless Chromium).

Builds the bundled corpus (the five documents of ``obligraph/corpus/``) into an
in-memory store, with the example correction and status of docs/corrections.md (so
the calendar has an overdue task and the task page a history), serves the web app on
a free port of 127.0.0.1, and opens every documented page in Debian's
``/usr/bin/chromium`` driven by Playwright, the browser of ``tests/web``. Each
page is waited for by its content, never by time; every request must stay on
127.0.0.1. The pictures go to ``docs/screenshots/`` (``--out`` to choose)::

    .venv/bin/python scripts/screenshots.py
    .venv/bin/python scripts/screenshots.py --only graph --only unit --out /tmp/shots
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SIZE = {"width": 1366, "height": 900}
UNIT = "https://w3id.org/obligraph/id/unit/cuc-tre-em"
DOC = "qd/704-qd-ldtbxh/2021"
TASK = "704/QĐ-LĐTBXH#annex-1-a"  # row a of the annex, line 141


def corpus_store() -> Any:
    """The bundled corpus with docs/corrections.md's example correction and status."""
    from obligraph.graph.build import write_documents
    from obligraph.graph.corrections import Correction, check_correction
    from obligraph.graph.status import StatusEntry, check_entry
    from obligraph.graph.stores import open_store
    from obligraph.loaders import load_document
    from obligraph.loaders.units import Gazetteer

    import obligraph

    gazetteer = Gazetteer.default()
    docs = [
        load_document(p, gazetteer=gazetteer) for p in sorted(obligraph.corpus_dir().glob("*.txt"))
    ]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    corrections = [
        Correction(TASK, "lead", "Nguyễn Văn A", "2026-03-15", "Cục Trẻ em",
                   "Vụ Kế hoạch - Tài chính", "Bảng ghi nhầm đơn vị chủ trì", "c.csv", 2),
        Correction(TASK, "due", "Nguyễn Văn A", "2026-03-15", "", yesterday, "", "c.csv", 3),
    ]  # fmt: skip
    statuses = [StatusEntry(TASK, "in-progress", "2026-03-01", "Đã họp", "", "Trần B", "s.csv", 2)]
    store = open_store(memory=True)
    write_documents(
        docs,
        store,
        gazetteer=gazetteer,
        corrections=[check_correction(c) for c in corrections],
        statuses=[check_entry(e) for e in statuses],
    )
    return store


@contextmanager
def serving(store: Any) -> Iterator[str]:
    """The web app over ``store`` on 127.0.0.1:<free port>, in a thread; yields its root URL."""
    import uvicorn
    from obligraph.viz.web.app import create_app, server_config

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(server_config(create_app(store), host="127.0.0.1", port=port))
    thread = threading.Thread(target=server.run, name="screenshots", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise SystemExit("the web app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


# ------------------------------------------------------------------ the pages, in doc order


def _graph_ready(page: Any) -> None:
    page.wait_for_selector("body[data-ready='1']", state="attached")


def _unit(page: Any) -> None:
    page.wait_for_selector("#register h2")
    page.frame_locator("iframe.graph").locator("body[data-ready='1']").wait_for(state="attached")


def _register_unit(page: Any) -> None:
    page.wait_for_selector(".facet li.chosen")
    page.evaluate("document.querySelector('#register').scrollIntoView()")


def _query(page: Any) -> None:
    page.locator('input[name="unit"]').fill("Cục Trẻ em")
    page.click("form.query-form button[type=submit]")
    page.wait_for_selector("table.results tbody tr")


def _editor(page: Any) -> None:
    page.wait_for_selector(".yasqe .CodeMirror")
    page.click("#named-queries a[data-query='partners-of-unit']")
    page.wait_for_function(
        "window.obligraphYasgui.getTab().getYasqe().getValue().indexOf('Cục Trẻ em') >= 0"
    )
    page.click(".yasqe .yasqe_queryButton")
    page.locator(".yasr table tbody tr").first.wait_for()


def _source(page: Any) -> None:
    page.wait_for_selector("ol.source-lines li.hl")


def _selector(css: str) -> Callable[[Any], None]:
    return lambda page: page.wait_for_selector(css)


#: name -> (address, how to know the page is there, what it shows)
PAGES: dict[str, tuple[str, Callable[[Any], None]]] = {
    "home": ("/", _selector("p.counts")),
    "search": ("/?q=tre+em", _selector("#results ul.hits-unit")),
    "unit": ("/unit/cuc-tre-em", _unit),
    "unit-en": ("/unit/cuc-tre-em?lang=en", _unit),
    "register-unit": ("/unit/cuc-tre-em?programme=" + quote("1863/QĐ-TTg"), _register_unit),
    "document": (f"/doc/{DOC}", _selector("#tasks h2")),
    "register-document": (f"/register/document/{DOC}?role=lead", _selector(".facet li.chosen")),
    "task": (f"/task/{DOC}/task/annex-1-a", _selector("h1")),
    "source": (f"/source/{DOC}?hl=141#L141", _source),
    "calendar": ("/calendar", _selector("#overdue li.entry")),
    "overview": ("/overview", _selector("#heat svg.chart.heat")),
    "queries": ("/queries", _selector("h1")),
    "query": ("/queries/obligations-of-unit", _query),
    "editor": ("/editor", _editor),
    "graph": (f"/view/unit?target={quote(UNIT)}", _graph_ready),
    "graph-programme": ("/view/programme?target=" + quote("23/QĐ-TTg"), _graph_ready),
}


def take(base: str, out: Path, names: list[str]) -> list[Path]:
    """Open each page at 1366x900 and save it; fail when a request leaves ``base``."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name in names:
            address, ready = PAGES[name]
            context = browser.new_context(viewport=SIZE, locale="vi-VN")
            context.set_default_timeout(60_000)
            requests: list[str] = []
            context.on("request", lambda r, seen=requests: seen.append(r.url))
            page = context.new_page()
            page.goto(base + address)
            ready(page)
            path = out / f"{name}.png"
            page.screenshot(path=str(path), full_page=False)
            context.close()
            outside = [u for u in requests if not u.startswith((base + "/", "data:", "blob:"))]
            if outside:
                raise SystemExit(f"{name}: requests left 127.0.0.1: {outside[:3]}")
            written.append(path)
            print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--only", action="append", choices=sorted(PAGES), help="repeatable")
    args = parser.parse_args(argv)
    with serving(corpus_store()) as base:
        take(base, args.out, args.only or list(PAGES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
