"""The web app in a real headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright).

A planner's path through the app: open home, search "tre em" (no diacritics),
open the unit page of Cục Trẻ em, open its graph view, run a named query in the
SPARQL editor (YASGUI) and see result rows, download the register as CSV. Every
request the browser makes is recorded; none may leave 127.0.0.1.

Each page is saved as a screenshot into ``$OBLIGRAPH_SCREENSHOTS`` (a temp
folder when unset); ``docs/screenshots/`` holds one committed set.

Waits are on content (selectors, ``data-ready`` set by the graph page after its
first drawing), never on time.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

WAIT = 30_000  # ms: generous for a 2-core CI machine; waits end as soon as content shows


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    where = os.environ.get("OBLIGRAPH_SCREENSHOTS")
    folder = Path(where) if where else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def visit(browser, site, tmp_path):
    """A fresh browser context; yields (page, requests seen) and checks they stayed local."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="vi-VN"
    )
    context.set_default_timeout(WAIT)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    blocked: list[str] = []  # the app's Content-Security-Policy must not break its own pages
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page, requests
    context.close()
    assert requests, "the browser made no request at all"
    outside = [u for u in requests if not u.startswith((site + "/", "data:", "blob:", "about:"))]
    assert not outside, f"requests left 127.0.0.1: {outside[:5]}"
    assert not errors, f"JavaScript errors: {errors[:3]}"
    assert not blocked, f"blocked by the Content-Security-Policy: {blocked[:3]}"


def shot(page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


def test_search_unit_graph_and_csv(visit, site, shots, tmp_path):
    page, requests = visit
    # home
    page.goto(site + "/")
    page.wait_for_selector("h1:has-text('obligraph')")
    assert "5 văn bản" in page.inner_text("p.counts")
    shot(page, shots, "home")

    # search without diacritics finds "trẻ em"
    page.fill("input[name=q]", "tre em")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#results ul.hits-unit")
    units = page.inner_text("#results ul.hits-unit")
    assert "Cục Trẻ em" in units and "Quỹ Bảo trợ trẻ em Việt Nam" in units
    tasks = page.inner_text("#results ul.hits-task")
    assert "trẻ em" in tasks.lower()
    assert page.url.startswith(site + "/?q=tre")
    shot(page, shots, "search")

    # the unit page
    page.click("#results ul.hits-unit >> text=Cục Trẻ em")
    page.wait_for_selector("h1:has-text('Cục Trẻ em')")
    assert page.url == site + "/unit/cuc-tre-em"
    assert page.inner_text("#register h2") == "Sổ nghĩa vụ (44)"
    rows = page.locator("table.register tbody tr")
    assert rows.count() == 44
    first = rows.first.inner_text()
    assert "chủ trì" in first or "phối hợp" in first
    assert "dòng" in page.inner_text("table.register")  # source lines shown
    # the embedded graph finished drawing
    frame = page.frame_locator("iframe.graph")
    frame.locator("body[data-ready='1']").wait_for()
    shot(page, shots, "unit")

    # CSV download of the register
    with page.expect_download() as info:
        page.click("#download-csv")
    download = info.value
    assert download.suggested_filename == "obligations-cuc-tre-em.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("role,modality,document,task_id,text")
    assert len(text.strip().splitlines()) >= 45  # header + 44 rows (quotes may span lines)
    assert "Xây dựng tài liệu và hướng dẫn cho cha mẹ" in text

    # the full-screen graph view
    page.click("#open-graph")
    page.wait_for_selector("body[data-ready='1']")
    assert page.inner_text("h1") == "Cục Trẻ em: 44 nhiệm vụ"
    assert page.locator("#network canvas").count() == 1
    n_nodes = page.evaluate("window.obligraphView.nodes.length")
    assert n_nodes > 50
    legend = page.inner_text("#legend")
    assert "Đơn vị" in legend and "chủ trì" in legend and "phối hợp" in legend
    shot(page, shots, "graph")

    # search inside the graph ignores diacritics too
    page.fill("#search", "bo van hoa")
    page.wait_for_function(
        "/found/.test(document.getElementById('count').textContent) || "
        "/tìm thấy/.test(document.getElementById('count').textContent)"
    )
    found = int(re.match(r"(\d+)", page.inner_text("#count")).group(1))
    assert found >= 1
    selected = page.evaluate("window.obligraphView.network.getSelectedNodes()")
    labels = page.evaluate(
        "(ids) => ids.map((id) => window.obligraphView.nodes.get(id).label)", selected
    )
    assert "Bộ Văn hóa, Thể thao và Du lịch" in labels

    # role filter: "lead" hides support edges
    page.click("#reset")
    page.select_option("#f-role", "lead")
    page.wait_for_function(
        "window.obligraphView.edges.get({filter: (e) => e.role === 'support' && !e.hidden})"
        ".length === 0"
    )
    visible_lead = page.evaluate(
        "window.obligraphView.edges.get({filter: (e) => e.role === 'lead' && !e.hidden}).length"
    )
    assert visible_lead > 0
    # programme filter keeps only that programme's tasks
    page.select_option("#f-role", "")
    page.select_option("#f-programme", "1863/QĐ-TTg")
    page.wait_for_function(
        "window.obligraphView.nodes.get({filter: (n) => n.kind === 'task' && !n.hidden"
        " && (n.progs || []).indexOf('1863/QĐ-TTg') < 0}).length === 0"
    )
    assert (
        page.evaluate(
            "window.obligraphView.nodes.get({filter: (n) => n.kind === 'task' && !n.hidden}).length"
        )
        > 0
    )
    assert all(u.startswith(site) or u.startswith("data:") for u in requests)


def test_named_query_in_the_sparql_editor(visit, site, shots):
    page, _ = visit
    page.goto(site + "/editor")
    page.wait_for_selector(".yasqe .CodeMirror")
    # load a named query: partners of Cục Trẻ em (bound by VALUES to the example unit)
    page.click("#named-queries a[data-query='partners-of-unit']")
    page.wait_for_function(
        "window.obligraphYasgui.getTab().getYasqe().getValue().indexOf('Cục Trẻ em') >= 0"
    )
    page.click(".yasqe .yasqe_queryButton")
    rows = page.locator(".yasr table tbody tr")
    rows.first.wait_for()
    results = page.inner_text(".yasr table")
    assert rows.count() > 3
    assert "Bộ Văn hóa, Thể thao và Du lịch" in results
    assert page.locator("#named-queries a.active").get_attribute("data-query") == (
        "partners-of-unit"
    )
    shot(page, shots, "editor")


def test_the_editor_shows_typed_values_simply(visit, site):
    """A count is shown as its number, not as a typed literal ("14"^^xsd:integer)."""
    page, _ = visit
    page.goto(site + "/editor")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.evaluate(
        "window.obligraphYasgui.getTab().getYasqe().setValue("
        "'PREFIX ob: <https://w3id.org/obligraph/ontology#> "
        "SELECT (COUNT(?t) AS ?tasks) WHERE { ?t a ob:Task }')"
    )
    page.click(".yasqe .yasqe_queryButton")
    cell = page.locator(".yasr table tbody tr td").last  # the row number column may be hidden
    cell.wait_for()
    assert cell.inner_text().strip().isdigit(), cell.inner_text()


def test_document_and_overview_pages(visit, site, shots):
    page, _ = visit
    page.goto(site + "/doc/qd/704-qd-ldtbxh/2021")
    page.wait_for_selector("#tasks h2")
    assert page.inner_text("#tasks h2") == "Nhiệm vụ (37)"
    assert "14/2017/NĐ-CP" in page.inner_text("#legal-bases")
    shot(page, shots, "document")

    page.goto(site + "/overview")
    page.wait_for_selector("#heat svg.chart.heat")
    assert page.locator("#heat svg rect[data-row='Cục Trẻ em']").count() > 0
    assert page.locator("#load svg.chart.bars rect").count() > 2
    # the table sits behind the picture
    assert not page.locator("#heat table.matrix").is_visible()
    page.click("#heat summary")
    page.wait_for_selector("#heat table.matrix", state="visible")
    page.click("#heat summary")
    shot(page, shots, "overview")


def test_english_labels_and_switch(visit, site, shots):
    page, _ = visit
    page.goto(site + "/unit/cuc-tre-em")
    page.wait_for_selector("nav.top a.lang")
    page.click("nav.top a.lang")
    page.wait_for_selector("#register h2:has-text('Obligation register')")
    assert page.url.endswith("/unit/cuc-tre-em?lang=en")
    assert page.inner_text("nav.top").split()[:5] == [
        "obligraph",
        "Home",
        "Overview",
        "Queries",
        "SPARQL",
    ]
    page.frame_locator("iframe.graph").locator("body[data-ready='1']").wait_for()
    assert "Unit" in page.frame_locator("iframe.graph").locator("#legend").inner_text()
    shot(page, shots, "unit-en")
    page.click("nav.top >> text=Overview")
    page.wait_for_selector("h1:has-text('Overview')")
    assert page.url.endswith("/overview?lang=en")
