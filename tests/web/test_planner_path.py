"""The planner's path in headless Chromium: overview → a unit → filter one programme →
a task's source lines; and the lawyer's download of the filtered register.

Every number the pages show is compared with an independent SPARQL query on the
store (a task counted once per unit and role; its programmes: its own, else what its
document implements, else the document — docs/model.md#counts). Screenshots of the
filtered register and of a document's register go to ``$OBLIGRAPH_SCREENSHOTS``
(1366x900; a temporary folder when unset).
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest

from .conftest import local_page
from .test_registers import UNIT_IRI, UNIT_ROWS

pytestmark = [pytest.mark.browser, pytest.mark.server]

PROGRAMME = "1863/QĐ-TTg"


@pytest.fixture(scope="module")
def expected(corpus_store) -> set[tuple[str, str, str]]:
    result = corpus_store.query(UNIT_ROWS.replace("UNIT", UNIT_IRI))
    return {(str(t), str(r).rsplit("#", 1)[-1], str(no)) for t, r, no in result.rows}


def shot(page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("OBLIGRAPH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


def test_overview_unit_programme_source(browser, site, expected, tmp_path):
    pairs = {(t, r) for t, r, _ in expected}
    lead = sum(r == "LeadRole" for _t, r in pairs)
    chosen = {(t, r) for t, r, no in expected if no == PROGRAMME}
    chosen_lead = sum(r == "LeadRole" for _t, r in chosen)
    with local_page(browser, site) as page:
        # overview: the load table's row of Cục Trẻ em and its heat-map cell
        page.goto(site + "/overview")
        page.click("#load summary")
        row = page.locator("#load table tr", has=page.locator("a", has_text="Cục Trẻ em")).first
        cells = row.locator("td").all_inner_texts()
        assert [int(c) for c in cells[2:5]] == [lead, len(pairs) - lead, len(pairs)]
        page.click("#heat summary")
        heads = page.locator("#heat table.matrix thead th").all_inner_texts()
        heat = page.locator("#heat table.matrix tr", has=page.locator("a", has_text="Cục Trẻ em"))
        cell = heat.first.locator("td").nth(heads.index(PROGRAMME)).inner_text()
        assert cell == f"{chosen_lead}/{len(chosen) - chosen_lead}"

        # a unit: the register's true size and its facets
        row.locator("a", has_text="Cục Trẻ em").click()
        page.wait_for_selector("#register h2")
        assert page.inner_text("#register h2") == f"Sổ nghĩa vụ ({len(pairs)})"
        count = page.locator("#register-count")
        assert count.get_attribute("data-total") == str(len(pairs))
        facet = page.locator('.facet[data-facet="programme"] li', has_text=PROGRAMME)
        assert facet.locator(".n").inner_text() == str(len(chosen))

        # filter one programme
        facet.locator("a").first.click()
        page.wait_for_selector(".facet li.chosen")
        assert count.get_attribute("data-shown") == str(len(chosen))
        assert page.locator("table.register tbody tr").count() == len(chosen)
        roles = page.locator('.facet[data-facet="role"] li')
        shown_roles = {
            roles.nth(i).locator("a").first.get_attribute("data-value"): int(
                roles.nth(i).locator(".n").inner_text()
            )
            for i in range(roles.count())
        }
        want = {"lead": chosen_lead, "support": len(chosen) - chosen_lead}
        assert shown_roles == {k: v for k, v in want.items() if v}
        assert f"{len(chosen)} trên {len(pairs)} dòng" in count.inner_text()
        page.locator("#register h2").scroll_into_view_if_needed()
        shot(page, "register-unit", tmp_path)
        # the quote is folded until asked for
        first = page.locator("table.register tbody tr").first
        assert not first.locator("blockquote").is_visible()
        first.locator("details.quote summary").click()
        assert first.locator("blockquote").is_visible()

        # the lawyer's download: exactly the rows shown
        with page.expect_download() as info:
            page.click("#download-csv")
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        table = list(csv.DictReader(io.StringIO(saved.read_bytes().decode("utf-8-sig"))))
        ids = page.locator("table.register tbody tr td:nth-child(3) a").evaluate_all(
            "(links) => links.map((a) => a.getAttribute('href').split('/task/').pop())"
        )
        assert [r["task_id"] for r in table] == ids and len(table) == len(chosen)

        # a task's source lines
        line = int(re.search(r"(\d+)$", first.locator("a.source-line").inner_text()).group(1))
        quote = first.locator("blockquote").inner_text()
        first.locator("a.source-line").click()
        page.wait_for_selector("ol.source-lines li.hl")
        assert page.url.endswith(f"#L{line}")
        lit = page.locator("ol.source-lines li.hl").first
        assert lit.get_attribute("id") == f"L{line}"
        assert (
            quote.split("\n")[0][:30] in page.locator("ol.source-lines li.hl").all_inner_texts()[0]
        )


def test_document_register_screenshot(browser, site, tmp_path):
    with local_page(browser, site) as page:
        page.goto(site + "/doc/qd/704-qd-ldtbxh/2021")
        page.click("#document-register")
        page.wait_for_selector("#register-count")
        page.locator('.facet[data-facet="role"] a[data-value="lead"]').click()
        page.wait_for_selector(".facet li.chosen")
        assert page.locator("#register-count").get_attribute("data-shown") == "37"
        shot(page, "register-document", tmp_path)
