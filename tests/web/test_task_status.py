"""A task's page and its status form, in a real headless Chromium.

The auditor's and the planner's path: open the unit page of Cục Trẻ em, click a
task of its register, see the task page (text, source line, lead and support as
the document reads), record "hoàn thành" with the update token, and see the state
change on the page, in the status file and in the register. A wrong token is
refused (403) and writes nothing. Every request stays on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .conftest import local_page

pytestmark = [pytest.mark.browser, pytest.mark.server]

TOKEN = "tok-" + "7" * 24
TASK_PATH = "/task/qd/704-qd-ldtbxh/2021/task/annex-1-a"


@pytest.fixture(scope="module")
def status_site(corpus_docs, gazetteer, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    from obligraph.graph.build import write_documents
    from obligraph.graph.stores import open_store
    from obligraph.viz.web.app import create_app

    from .conftest import serve

    status_file = tmp_path_factory.mktemp("people") / "status.csv"
    store = open_store(memory=True)
    write_documents(corpus_docs, store, gazetteer=gazetteer)
    app = create_app(store, update_token=TOKEN, status_file=status_file)
    for base in serve(app):
        yield base, status_file


def test_record_a_status_from_the_task_page(browser, status_site):
    base, status_file = status_site
    with local_page(browser, base) as page:
        page.goto(base + "/unit/cuc-tre-em")
        page.locator(f'table.register a[href="{TASK_PATH}"]').first.click()
        page.wait_for_url("**" + TASK_PATH)
        # line 141 of the corpus file: row a, lead Cục Trẻ em
        assert "dòng 141" in page.locator("dd.source").inner_text()
        assert page.locator("#state").inner_text() == "chưa bắt đầu"
        extracted = page.locator("#assignments td").nth(1).inner_text()
        assert "chủ trì Cục Trẻ em" in extracted
        page.select_option("select[name=status]", "done")
        page.fill("input[name=date]", "2026-03-15")
        page.fill("input[name=note]", "Đã ban hành kế hoạch")
        page.fill("input[name=token]", TOKEN)
        page.click("form.status-form button[type=submit]")
        page.wait_for_selector("#state.done")
        assert page.locator("#state").inner_text() == "hoàn thành"
        assert "Đã ban hành kế hoạch" in page.locator("#status table").inner_text()
    rows = status_file.read_text(encoding="utf-8-sig").splitlines()
    assert rows == [
        "task,status,date,note,evidence,by",
        "doc/qd/704-qd-ldtbxh/2021/task/annex-1-a,done,2026-03-15,Đã ban hành kế hoạch,,",
    ]
    register = httpx.get(base + "/unit/cuc-tre-em/obligations.csv").content.decode("utf-8-sig")
    assert any(
        line.startswith("lead,obligation,704/QĐ-LĐTBXH,annex-1-a,") and ",done,2026-03-15," in line
        for line in register.splitlines()
    )


def test_a_wrong_token_is_refused_and_writes_nothing(status_site):
    base, status_file = status_site
    before = status_file.read_text(encoding="utf-8-sig") if status_file.exists() else ""
    got = httpx.post(
        base + TASK_PATH + "/status",
        data={"status": "in-progress", "date": "2026-04-01", "token": "wrong"},
    )
    assert got.status_code == 403
    after = status_file.read_text(encoding="utf-8-sig") if status_file.exists() else ""
    assert after == before
