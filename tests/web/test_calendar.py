"""The calendar page and its iCalendar download, over a real server and in a real Chromium.

Read off the documents (see tests/queries/test_calendar.py): 4063/QĐ-UBND (line 598)
makes the city's departments and the districts report every 10 June (the six-month
report) and every 10 November (the annual one) to Sở Lao động - Thương binh và Xã
hội; the Ministry's 2020 letter (line 202) makes the provinces' Sở Lao động - Thương
binh và Xã hội report to the Ministry, through Cục Trẻ em, by 25/5 and 20/11/2020.
``people_store`` (tests/conftest.py) gives row a of 704/QĐ-LĐTBXH's annex a due date
of yesterday (a ``due`` correction) and moves its lead to Vụ Kế hoạch - Tài chính;
reported in progress, the task is overdue today.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from icalendar import Calendar

pytestmark = pytest.mark.server

TASK_PATH = "/task/qd/704-qd-ldtbxh/2021/task/annex-1-a"
DOC_4063 = "/doc/qd/4063-qd-ubnd-thanh-pho-ho-chi-minh/2022"


def get(site: str, path: str, **params: str) -> httpx.Response:
    return httpx.get(site + path, params=params or None, timeout=60)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture(scope="module")
def people_site(people_store) -> Iterator[str]:
    from obligraph.viz.web.app import create_app

    from .conftest import serve

    yield from serve(create_app(people_store))


def test_a_month_lists_what_falls_due_with_its_units_and_source(site):
    got = get(site, "/calendar", month="2026-06")
    assert got.status_code == 200
    html = got.text
    text = text_of(html)
    assert "Tháng 6/2026 (1)" in text
    assert "Thứ tư, 10/06/2026" in text  # 10 June 2026 is a Wednesday
    assert "báo cáo tình hình triển khai các mục tiêu, chỉ tiêu" in text
    assert "(báo cáo 6 tháng)" in text and "hằng năm" in text
    assert "trước ngày 10 tháng 6" in text
    assert "qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.txt:598" in text
    assert f'href="{DOC_4063}"' in html
    assert 'href="/unit/so-lao-dong-thuong-binh-va-xa-hoi-thanh-pho-ho-chi-minh"' in html
    assert 'href="/calendar?month=2026-05"' in html and 'href="/calendar?month=2026-07"' in html
    assert "Không có nhiệm vụ nào quá hạn." in text  # the corpus alone has no due task


def test_an_empty_month_points_to_the_next_due(site):
    text = text_of(get(site, "/calendar", month="2026-07").text)
    assert "Không có thời hạn nào trong tháng này." in text
    assert "Hạn kế tiếp: 10/11/2026" in text and "Hạn gần nhất trước đó: 10/06/2026" in text


def test_the_page_in_english(site):
    text = text_of(get(site, "/calendar", month="2020-11", lang="en").text)
    assert "Deadlines calendar" in text and "November 2020 (1)" in text
    assert "Friday, 20/11/2020" in text
    assert "Reporting units: Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố" in text
    assert "Lịch thời hạn" not in text


def test_a_unit_filter_keeps_its_deadlines(site):
    html = get(site, "/calendar", month="2020-05", unit="cuc-tre-em").text
    text = text_of(html)
    assert "Lịch thời hạn — Cục Trẻ em" in text and "Tháng 5/2020 (1)" in text
    assert 'href="/calendar.ics?unit=cuc-tre-em"' in html
    assert 'href="/calendar?month=2020-06&amp;unit=cuc-tre-em"' in html
    # 4063's reports go to the city's Sở, not to Cục Trẻ em
    assert "Tháng 6/2026 (0)" in text_of(
        get(site, "/calendar", month="2026-06", unit="cuc-tre-em").text
    )


def test_unknown_unit_and_bad_month(site):
    assert get(site, "/calendar", unit="khong-co-don-vi-nay").status_code == 404
    assert get(site, "/calendar.ics", unit="khong-co-don-vi-nay").status_code == 404
    assert get(site, "/calendar", month="2026-13").status_code == 400


def test_the_ics_download_parses_and_links_to_this_server(site):
    got = get(site, "/calendar.ics")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/calendar")
    assert 'filename="deadlines.ics"' in got.headers["content-disposition"]
    events = list(Calendar.from_ical(got.content).walk("VEVENT"))
    assert sorted(e.start for e in events) == [
        date(2020, 5, 25),
        date(2020, 11, 20),
        date(2023, 6, 10),
        date(2023, 11, 10),
    ]
    assert all(str(e["url"]).startswith(site + "/doc/") for e in events)
    one = Calendar.from_ical(get(site, "/calendar.ics", unit="cuc-tre-em").content)
    assert len(list(one.walk("VEVENT"))) == 2


def test_the_navigation_links_the_calendar_and_pages_stay_local(site):
    home = get(site, "/").text
    assert 'href="/calendar"' in home
    for path in ("/calendar", "/calendar?month=2026-06&unit=cuc-tre-em"):
        for ref in re.findall(r'(?:src|href)="([^"]*)"', get(site, path).text):
            assert ref.startswith(("/", "#", "?")), (path, ref)


def test_an_overdue_task_comes_first_and_is_marked(people_site):
    yesterday = date.today() - timedelta(days=1)
    html = get(people_site, "/calendar").text
    overdue = html.split('<section id="overdue">', 1)[1].split("</section>", 1)[0]
    assert "Nhiệm vụ quá hạn (1)" in text_of(overdue)
    assert f'href="{TASK_PATH}"' in overdue
    assert '<span class="state overdue">quá hạn</span>' in overdue
    assert "Chủ trì: Vụ Kế hoạch - Tài chính" in text_of(overdue)
    assert "(đã đính chính)" in text_of(overdue)
    assert html.index('id="overdue"') < html.index('id="month"')
    month = text_of(get(people_site, "/calendar", month=yesterday.strftime("%Y-%m")).text)
    assert f"{yesterday:%d/%m/%Y}" in month and "704/QĐ-LĐTBXH · annex-1-a" in month
    [event] = [
        e
        for e in Calendar.from_ical(get(people_site, "/calendar.ics").content).walk("VEVENT")
        if e.start == yesterday
    ]
    assert str(event["url"]) == people_site + TASK_PATH
    assert "Trạng thái: quá hạn" in str(event["description"])


# ------------------------------------------------------------------ in a real Chromium


@pytest.mark.browser
def test_the_calendar_in_a_browser(browser, people_site, tmp_path):
    shots = Path(os.environ.get("OBLIGRAPH_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="vi-VN"
    )
    context.set_default_timeout(30_000)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(people_site + "/")
    page.click("nav.top >> text=Lịch thời hạn")
    page.wait_for_selector("#overdue li.entry")
    assert page.url == people_site + "/calendar"
    first = page.locator("#overdue li.entry").first
    assert first.locator(".state.overdue").inner_text() == "quá hạn"
    shot = shots / "calendar.png"
    page.screenshot(path=str(shot), full_page=False)

    # the .ics link downloads a calendar that parses
    with page.expect_download() as info:
        page.click("#download-ics")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "deadlines.ics"
    assert len(list(Calendar.from_ical(saved.read_bytes()).walk("VEVENT"))) == 5

    # filter by a unit: Cục Trẻ em no longer leads the corrected task; the letter's
    # reports go to it
    page.select_option("#unit-filter", "cuc-tre-em")
    page.click("form.calendar-filter button[type=submit]")
    page.wait_for_selector("h1:has-text('Cục Trẻ em')")
    assert page.locator("#overdue li.entry").count() == 0
    page.goto(people_site + "/calendar?month=2020-11&unit=cuc-tre-em")
    page.click("#prev-month")
    page.wait_for_url("**month=2020-10**")
    page.click("#next-month")
    page.wait_for_url("**month=2020-11**")
    assert "Thứ sáu, 20/11/2020" in page.inner_text("#month")

    # back to every unit: the overdue task opens its page, overdue there too
    page.goto(people_site + "/calendar")
    page.locator(f'#overdue a.task[href="{TASK_PATH}"]').click()
    page.wait_for_url("**" + TASK_PATH)
    assert page.locator("#state").inner_text() == "quá hạn"
    context.close()
    outside = [u for u in requests if not u.startswith((people_site + "/", "data:", "about:"))]
    assert not outside, outside
    assert not errors, errors
