"""The deadlines' calendar and its iCalendar file, on the bundled corpus.

Expectations are read off the documents:

* 4063/QĐ-UBND (signed "ngày 25 tháng 11 năm 2022", corpus file line 598), chapter VI
  "CHẾ ĐỘ BÁO CÁO": the city's departments and the districts and Thủ Đức report
  "Định kỳ 6 tháng (trước ngày 10 tháng 6) và hàng năm (trước ngày 10 tháng 11)", the
  report going to Sở Lao động - Thương binh và Xã hội (the next paragraph: "Báo cáo gửi
  về Sở Lao động - Thương binh và Xã hội"). Two days of the year, no year written: the
  six-month report every 10 June and the annual one every 10 November, from the first
  after the plan was signed: 10 June 2023 and 10 November 2023.
* the 2020 letter of the Ministry (cv-ldtbxh-2020, line 202): the provinces' Sở Lao
  động - Thương binh và Xã hội report "6 tháng và hàng năm cho Bộ Lao động - Thương
  binh và Xã hội (thông qua Cục Trẻ em) trước ngày 25/5 và 20/11 năm 2020": two dated
  days, 25 May and 20 November 2020, once each.
* ``people_store`` (tests/conftest.py): a ``due`` correction gives row a of
  704/QĐ-LĐTBXH's annex (line 141) a due date of yesterday; it was reported in progress,
  so it is overdue today.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from obligraph.queries.calendar import Due, month_of, overdue, read_calendar, unit_calendar
from obligraph.queries.calendar_ics import (
    DEADLINE_FIELDS,
    DeadlineCalendar,
    deadline_rows,
    to_ical,
    uid,
)

from obligraph.base.errors import UnitNotFoundError

FILE_4063 = "qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.txt"
FILE_CV = "cv-ldtbxh-2020-huong-dan-cong-tac-tre-em.txt"
TASK_IRI = "https://w3id.org/obligraph/id/doc/qd/704-qd-ldtbxh/2021/task/annex-1-a"


@pytest.fixture(scope="module")
def entries(corpus_store) -> list[Due]:
    return read_calendar(corpus_store, today=date(2026, 3, 15))


@pytest.fixture(scope="module")
def events(entries) -> list:
    raw = to_ical(DeadlineCalendar(entries, base_url="http://127.0.0.1:8000"))
    return list(Calendar.from_ical(raw).walk("VEVENT"))


def by_start(events, day: date):
    found = [e for e in events if e.start == day]
    assert len(found) == 1, (day, [e.start for e in events])
    return found[0]


def test_the_corpus_calendar_holds_its_four_reporting_deadlines(entries):
    assert [(d.kind, d.start) for d in entries] == [
        ("deadline", "2020-05-25"),
        ("deadline", "2020-11-20"),
        ("deadline", "2023-06-10"),
        ("deadline", "2023-11-10"),
    ]


def test_a_recurring_deadline_is_a_yearly_event(events):
    june = by_start(events, date(2023, 6, 10))
    assert june["rrule"].to_ical() == b"FREQ=YEARLY"
    assert june.end == date(2023, 6, 11)  # an all-day event
    summary = str(june["summary"])
    assert summary.startswith("Các sở, ban, ngành Thành phố; Ủy ban nhân dân quận, huyện, thành")
    assert "báo cáo tình hình triển khai" in summary and summary.endswith("(định kỳ 6 tháng)")
    text = str(june["description"])
    assert "Văn bản: 4063/QĐ-UBND" in text
    assert "Gửi báo cáo cho: Sở Lao động - Thương binh và Xã hội Thành phố Hồ Chí Minh" in text
    assert "trước ngày 10 tháng 6" in text
    assert f"Nguồn: {FILE_4063}:598" in text
    assert (
        str(june["url"]) == "http://127.0.0.1:8000/doc/qd/4063-qd-ubnd-thanh-pho-ho-chi-minh/2022"
    )
    november = by_start(events, date(2023, 11, 10))
    assert november["rrule"].to_ical() == b"FREQ=YEARLY"
    assert str(november["summary"]).endswith("(hằng năm)")


def test_a_dated_deadline_is_one_day(events):
    for day in (date(2020, 5, 25), date(2020, 11, 20)):
        event = by_start(events, day)
        assert "rrule" not in event
        assert str(event["summary"]).startswith(
            "Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố: báo cáo kết quả công tác"
        )
        text = str(event["description"])
        assert "Gửi báo cáo cho: Bộ Lao động - Thương binh và Xã hội; Cục Trẻ em" in text
        assert f"Nguồn: {FILE_CV}:202" in text


def test_events_have_stable_uids_and_nfc_text(entries, events):
    assert {str(e["uid"]) for e in events} == {uid(d.iri) for d in entries}
    again = Calendar.from_ical(to_ical(DeadlineCalendar(entries)))
    assert sorted(str(e["uid"]) for e in again.walk("VEVENT")) == sorted(
        str(e["uid"]) for e in events
    )
    raw = to_ical(DeadlineCalendar(entries)).decode("utf-8")
    assert unicodedata.is_normalized("NFC", raw)
    assert "\r\n" in raw and all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    assert all(e.get("dtstamp") is not None for e in events)


def test_a_unit_keeps_what_it_reports_or_receives(corpus_store):
    name, cuc = unit_calendar(corpus_store, "Cục TE")
    assert name == "Cục Trẻ em"
    assert [d.start for d in cuc] == ["2020-05-25", "2020-11-20"]  # the letter reports to it
    with pytest.raises(UnitNotFoundError):
        unit_calendar(corpus_store, "Cục Không Tồn Tại")


def test_a_due_date_correction_shows_up_as_an_overdue_event(people_store):
    today = date.today()
    yesterday = today - timedelta(days=1)
    found = read_calendar(people_store, today=today)
    [task] = [d for d in found if d.kind == "task"]
    assert (task.iri, task.start, task.state, task.corrected) == (
        TASK_IRI,
        yesterday.isoformat(),
        "overdue",
        True,
    )
    assert task.names("lead") == ["Vụ Kế hoạch - Tài chính"]  # the corrected lead
    assert overdue(found) == [task]
    # the day before, it was not overdue yet: the state is that of the day asked
    [before] = [d for d in read_calendar(people_store, today=yesterday) if d.kind == "task"]
    assert before.state == "in-progress"
    [event] = [
        e
        for e in Calendar.from_ical(to_ical(DeadlineCalendar(found))).walk("VEVENT")
        if str(e["uid"]) == uid(TASK_IRI)
    ]
    assert event.start == yesterday and "rrule" not in event
    assert str(event["summary"]).startswith("Vụ Kế hoạch - Tài chính: Xây dựng, lồng ghép")
    text = str(event["description"])
    assert "Nhiệm vụ (mục): annex-1-a" in text and "Trạng thái: quá hạn" in text
    assert "(theo đính chính)" in text
    assert "Văn bản: 704/QĐ-LĐTBXH" in text
    assert "Chủ trì: Vụ Kế hoạch - Tài chính" in text
    assert "Nguồn: qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt:141" in text
    month = month_of(found, yesterday.year, yesterday.month)
    assert task in dict(month.days)[yesterday]


def test_rows_have_the_documented_columns(entries):
    rows = deadline_rows(entries, today=date(2026, 3, 15))
    assert all(tuple(r) == DEADLINE_FIELDS for r in rows)
    june = next(r for r in rows if r["due_date"] == "2023-06-10")
    assert (june["month_day"], june["recurrence"], june["rrule"], june["next_due"]) == (
        "--06-10",
        "semiannual",
        "FREQ=YEARLY",
        "2026-06-10",
    )
    assert june["reporter"] == [
        "Các sở, ban, ngành Thành phố",
        "Ủy ban nhân dân quận, huyện, thành phố Thủ Đức",
    ]
    dated = next(r for r in rows if r["due_date"] == "2020-05-25")
    assert (dated["rrule"], dated["next_due"], dated["status"]) == ("", "", "")


def test_occurrences_follow_the_rrule():
    """Python's occurrences agree with dateutil's reading of the same RRULE."""
    from dateutil.rrule import rrulestr

    first, last = date(2024, 1, 1), date(2031, 12, 31)
    for start, every in (("2023-06-10", 12), ("2023-01-31", 1), ("2024-02-29", 12),
                         ("2023-08-31", 6), ("2023-03-20", 3)):  # fmt: skip
        d = Due(
            iri="x", kind="deadline", start=start, month_day="--" + start[5:], every_months=every
        )
        rule = rrulestr(d.rrule, dtstart=d.start_date)
        want = [x.date() for x in rule.between(_dt(first), _dt(last), inc=True)]
        assert d.occurrences(first, last) == want, (start, every)


def _dt(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


def test_a_lone_day_with_a_shorter_period_repeats_every_period(corpus_docs, gazetteer):
    """A sentence that gives one day and a quarterly period: every three months."""
    import copy

    from obligraph.graph.build import write_documents
    from obligraph.graph.stores import open_store
    from obligraph.loaders.timeframes import extract_deadlines

    [quarterly] = extract_deadlines(
        ["Các sở định kỳ hằng quý báo cáo Ủy ban nhân dân Thành phố trước ngày 20/3."], "q.txt"
    )
    assert (quarterly.month_day, quarterly.recurrence) == ("--03-20", "quarterly")
    doc = copy.deepcopy(next(d for d in corpus_docs if d.source_file == FILE_4063))
    doc.deadlines = [quarterly]
    store = open_store(memory=True)
    write_documents([doc], store, gazetteer=gazetteer)
    [d] = read_calendar(store)
    assert (d.start, d.rrule) == ("2023-03-20", "FREQ=MONTHLY;INTERVAL=3")
    [event] = Calendar.from_ical(to_ical(DeadlineCalendar([d]))).walk("VEVENT")
    assert event["rrule"].to_ical() == b"FREQ=MONTHLY;INTERVAL=3"
