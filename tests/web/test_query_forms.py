"""Named queries as forms: the legal staff's path, in a real headless Chromium and over HTTP.

Open /queries, pick "Nghĩa vụ của một đơn vị", type part of a unit's name (the picker
suggests names from the store), ask, see as many rows as the store answers, download
the same rows as CSV. A misspelt unit is answered with the closest names as links.
Every request stays on 127.0.0.1.
"""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
from obligraph.queries.library import run

from .conftest import local_page

pytestmark = [pytest.mark.server]


@pytest.mark.browser
def test_lawyer_asks_a_named_query_and_downloads_csv(browser, site, corpus_store, tmp_path):
    expected = run(corpus_store, "obligations-of-unit", {"unit": "Cục Trẻ em"})
    with local_page(browser, site) as page:
        page.goto(site + "/queries")
        page.click("text=Nghĩa vụ của một đơn vị")
        page.wait_for_url("**/queries/obligations-of-unit")
        unit = page.locator('input[name="unit"]')
        unit.fill("")
        unit.type("tre em")
        page.wait_for_function(
            "() => Number(document.querySelector('input[name=unit]').dataset.suggested || 0) > 0"
        )
        options = page.locator("datalist#units-unit option").evaluate_all(
            "os => os.map(o => o.value)"
        )
        assert "Cục Trẻ em" in options
        unit.fill("Cục Trẻ em")
        page.click("form.query-form button[type=submit]")
        page.wait_for_selector("table.results tbody tr")
        shown = page.locator("table.results tbody tr").count()
        assert shown == len(expected.rows)
        assert f"({len(expected.rows)})" in page.locator("#results h2").inner_text()
        with page.expect_download() as got:
            page.click("p.downloads >> text=CSV")
        path = tmp_path / "result.csv"
        got.value.save_as(path)
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        assert len(rows) == len(expected.rows)
        assert {r["unitName"] for r in rows} == {"Cục Trẻ em"}


def test_misspelt_unit_gets_the_closest_names(site):
    got = httpx.get(site + "/queries/obligations-of-unit", params={"unit": "Cuc Tre emm"})
    assert got.status_code == 200
    assert "Không có đơn vị nào tên “Cuc Tre emm”" in got.text
    assert 'class="suggestion" href="/queries/obligations-of-unit?unit=C%E1%BB%A5c+Tr' in got.text


def test_downloads_carry_the_rows_of_the_page(site, corpus_store):
    expected = run(corpus_store, "lead-support-counts", {})
    as_json = httpx.get(site + "/queries/lead-support-counts.json")
    assert as_json.status_code == 200
    assert len(json.loads(as_json.text)) == len(expected.rows)
    xlsx = httpx.get(site + "/queries/lead-support-counts.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert httpx.get(site + "/queries/no-such-query").status_code == 404


def test_english_form_speaks_english(site):
    got = httpx.get(site + "/queries/obligations-of-unit", params={"lang": "en"})
    assert "Show the results" in got.text and "unit name" in got.text
    vi = httpx.get(site + "/queries/obligations-of-unit")
    assert "Xem kết quả" in vi.text and "Every task a unit leads" not in vi.text
