"""The named queries' results page speaks the page's language (issue 10).

Headings are the columns' names in Vietnamese (English with ``?lang=en``), not the
SPARQL variables; an IRI in a cell is a link to the app's page of that thing with its
label, never the raw ``https://w3id.org/...``; a role or a task id is shown as a person
reads it. The downloads keep the variable names: programs read them.
"""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata

import httpx
import pytest
from obligraph.queries.library import catalogue, run
from obligraph.viz.web.column_labels import EN, VI

pytestmark = pytest.mark.server

ASK = {"unit": "Cục Trẻ em", "run": "1"}
PAGE = "/queries/obligations-of-unit"


def cells(page: str) -> list[str]:
    """The inner HTML of every cell of the results table."""
    [table] = re.findall(r'<table class="results">.*?</table>', page, flags=re.S)
    return re.findall(r"<td\b[^>]*>(.*?)</td>", table, flags=re.S)


def headings(page: str) -> list[str]:
    [table] = re.findall(r'<table class="results">.*?</table>', page, flags=re.S)
    return [html.unescape(h) for h in re.findall(r"<th\b[^>]*>(.*?)</th>", table, flags=re.S)]


def test_every_projected_variable_has_both_headings(corpus_store):
    """A new named query whose columns have no headings fails here."""
    for q in catalogue():
        params = {p.name: p.example for p in q.params if p.example is not None}
        for var in run(corpus_store, q.name, params).vars or []:
            var = str(var)
            assert VI.get(var) and EN.get(var), (q.name, var)
            assert unicodedata.is_normalized("NFC", VI[var]), (q.name, var)


def test_vietnamese_results_show_vietnamese_headings_and_links(site):
    got = httpx.get(site + PAGE, params=ASK, timeout=60)
    assert got.status_code == 200
    heads = headings(got.text)
    assert heads[:2] == ["Đơn vị", "Vai trò"]
    assert {"Mã nhiệm vụ", "Tệp nguồn", "Dòng", "Trang nhiệm vụ"} <= set(heads)
    shown = cells(got.text)
    assert shown and not any("w3id.org" in re.sub(r"<[^>]+>", "", c) for c in shown)
    assert "chủ trì" in shown and "lead" not in shown and "annex-1-a" not in shown
    assert "Phụ lục, mục 1, điểm a" in shown
    tasks = re.findall(r'<td><a href="(/task/[^"]+)">', got.text)
    assert len(tasks) == len(shown) // len(heads)
    for href in sorted(set(tasks))[:3]:
        assert httpx.get(site + href, timeout=60).status_code == 200, href


def test_english_results_show_english_headings(site):
    got = httpx.get(site + PAGE, params={**ASK, "lang": "en"}, timeout=60)
    assert got.status_code == 200
    heads = headings(got.text)
    assert heads[:2] == ["Unit", "Role"]
    assert {"Task id", "Source file", "Line", "Task page"} <= set(heads)
    shown = cells(got.text)
    assert "lead" in shown and "chủ trì" not in shown
    assert "Annex, item 1, point a" in shown
    assert re.search(r'<a href="/task/[^"]+\?lang=en">', got.text)


def test_unit_and_document_iris_link_to_their_pages(site):
    got = httpx.get(site + "/queries/lead-support-counts", params={"run": "1"}, timeout=60)
    assert '<a href="/unit/cuc-tre-em">Cục Trẻ em</a>' in got.text
    got = httpx.get(
        site + "/queries/implementers-of-programme",
        params={"programme": "23/QĐ-TTg", "run": "1"},
        timeout=60,
    )
    assert '<a href="/doc/qd/704-qd-ldtbxh/2021">704/QĐ-LĐTBXH</a>' in got.text
    assert httpx.get(site + "/doc/qd/704-qd-ldtbxh/2021", timeout=60).status_code == 200
    assert "https://w3id.org" not in re.sub(r"<[^>]+>", "", "".join(cells(got.text)))


def test_csv_download_keeps_the_variable_names(site):
    got = httpx.get(site + PAGE + ".csv", params={"unit": "Cục Trẻ em"}, timeout=60)
    assert got.status_code == 200
    reader = csv.reader(io.StringIO(got.content.decode("utf-8-sig")))
    header = next(reader)
    assert header[:3] == ["unitName", "role", "modality"] and "task" in header
    first = next(reader)
    assert first[header.index("role")] in ("lead", "support")
    assert first[header.index("task")].startswith("https://w3id.org/")


def test_findings_and_overlaps_speak_the_page_language(site):
    vi = httpx.get(site + "/queries/findings", params={"run": "1"}, timeout=60).text
    en = httpx.get(site + "/queries/findings", params={"run": "1", "lang": "en"}, timeout=60).text
    assert "Vụ Pháp chế vừa chủ trì vừa phối hợp ở phụ lục, mục 2, điểm c" in vi
    assert "Vụ Pháp chế is both lead and support of annex row 2-c" in en
    assert "<code>lead-and-support</code>" in vi and "Cảnh báo" in cells(vi)
    params = {"run": "1"}
    vi = httpx.get(site + "/queries/overlapping-obligations", params=params, timeout=60).text
    assert "cùng nội dung" in vi and "same text" not in vi


def test_classes_show_their_labels(site):
    vi = httpx.get(site + "/queries/stats-by-type", params={"run": "1"}, timeout=60).text
    en = httpx.get(site + "/queries/stats-by-type", params={"run": "1", "lang": "en"}, timeout=60)
    assert "<td>Số liệu tổng hợp</td>" in vi and "<td>Tally</td>" in en.text
    assert "https://w3id.org" not in re.sub(r"<[^>]+>", "", "".join(cells(vi)))
