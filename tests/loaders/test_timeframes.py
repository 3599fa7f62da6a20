"""Time frames and reporting deadlines.

The time-frame cells are the ones the bundled annexes write (704: "Hằng năm", "Hàng năm",
"Năm 2025 Năm 2030"; 406: "Năm 2020, 2021", "Hằng năm Năm 2022 Năm 2025") plus the forms the
issue lists ("Quý IV/2021", "2021-2025", "Thường xuyên"). The deadline fixtures are small
inline documents in layouts other than the corpus (dates written "04/9/2025", "chậm nhất",
a deadline with no year in a dated document).
"""

from __future__ import annotations

import pytest
from obligraph.loaders.timeframes import extract_deadlines, parse_timeframe, recurrence_of


@pytest.mark.parametrize(
    ("text", "recurrence", "years", "due"),
    [
        ("Hằng năm", "annual", [], None),
        ("Hàng năm", "annual", [], None),
        ("hàng năm", "annual", [], None),
        ("Thường xuyên", "continuous", [], None),
        ("6 tháng", "semiannual", [], None),
        ("Định kỳ 6 tháng", "semiannual", [], None),
        ("Hằng quý", "quarterly", [], None),
        ("Hằng tháng", "monthly", [], None),
        ("Năm 2021", "once", [2021], None),
        ("Năm 2020", "once", [2020], None),
        ("Năm 2020, 2021", "once", [2020, 2021], None),
        ("Năm 2025 Năm 2030", "once", [2025, 2030], None),
        ("Hằng năm Năm 2022 Năm 2025", "annual", [2022, 2025], None),
        ("2021-2025", "", [2021, 2022, 2023, 2024, 2025], None),
        ("2021 - 2030", "", list(range(2021, 2031)), None),
        ("Quý IV/2021", "once", [2021], "2021-12-31"),
        ("Quý I/2022", "once", [2022], "2022-03-31"),
        ("tháng 11/2022", "once", [2022], "2022-11-30"),
        ("trước ngày 31/12/2021", "once", [2021], "2021-12-31"),
        ("ngày 04/9/2025", "once", [2025], "2025-09-04"),
        ("", "", [], None),
    ],
)
def test_parse_timeframe(text, recurrence, years, due):
    tf = parse_timeframe(text)
    assert tf.text == text
    assert tf.recurrence == recurrence
    assert tf.years == years
    assert tf.due_date == due


def test_timeframe_text_is_kept_as_written_nfc_and_single_spaced():
    nfd = "Ha\u0300ng na\u0306m"  # "Hàng năm" in decomposed form
    tf = parse_timeframe(nfd + "  ")
    assert tf.text == "Hàng năm"
    assert tf.recurrence == "annual"


def test_period_written_only_by_its_end_opens_at_the_context_year():
    assert parse_timeframe("giai đoạn đến năm 2025", context_year=2022).years == [
        2022,
        2023,
        2024,
        2025,
    ]
    # without a context year only the end year is known
    assert parse_timeframe("giai đoạn đến năm 2025").years == [2025]


def test_implausible_years_and_impossible_dates_are_not_read():
    assert parse_timeframe("Năm 2300").years == []
    assert parse_timeframe("ngày 31/02/2021").due_date is None


def test_recurrence_of_phrases():
    assert recurrence_of("định kỳ 6 tháng và hàng năm") == "semiannual"
    assert recurrence_of("Năm 2021") == ""


def test_deadlines_recurring_every_year(gazetteer):
    lines = [
        "VI. CHẾ ĐỘ BÁO CÁO",
        "",
        "1. Sở Y tế, Sở Tư pháp:",
        "",
        "- Định kỳ 6 tháng (trước ngày 15 tháng 6) và hằng năm (trước ngày 15 tháng 12) "
        "báo cáo kết quả thực hiện Kế hoạch.",
    ]
    found = extract_deadlines(lines, "plan.txt", gazetteer)
    assert [(d.month_day, d.date, d.recurrence) for d in found] == [
        ("--06-15", None, "semiannual"),
        ("--12-15", None, "annual"),
    ]
    for d in found:
        assert [u.mention for u in d.reporter] == ["Sở Y tế", "Sở Tư pháp"]
        assert d.span.line_start == d.span.line_end == 5
        assert d.subject == "báo cáo kết quả thực hiện Kế hoạch"
    assert found[0].text == "trước ngày 15 tháng 6"


def test_deadline_dated_with_slashes_and_report_to(gazetteer):
    lines = [
        "3. Cục Trẻ em tổng hợp, báo cáo kết quả cho Bộ Lao động - Thương binh và Xã hội",
        "trước ngày 04/9/2025.",
    ]
    (d,) = extract_deadlines(lines, "letter.txt", gazetteer)
    assert d.date == "2025-09-04"
    assert d.year == 2025
    assert d.month_day is None
    assert d.recurrence == "once"
    assert [u.canonical for u in d.reporter] == ["Cục Trẻ em"]
    assert [u.canonical for u in d.report_to] == ["Bộ Lao động - Thương binh và Xã hội"]
    assert (d.span.line_start, d.span.line_end) == (1, 2)


def test_deadline_chậm_nhất_and_year_from_context(gazetteer):
    lines = [
        "2. Các đơn vị liên quan gửi báo cáo về Cục Trẻ em chậm nhất ngày 20 tháng 10.",
    ]
    (d,) = extract_deadlines(lines, "x.txt", gazetteer, context_year=2021)
    assert (d.date, d.recurrence, d.year) == ("2021-10-20", "once", 2021)
    assert [u.canonical for u in d.report_to] == ["Cục Trẻ em"]
    # without a document year the same phrase recurs on that day
    (d,) = extract_deadlines(lines, "x.txt", gazetteer)
    assert (d.date, d.month_day) == (None, "--10-20")


def test_no_deadline_in_plain_text(gazetteer):
    lines = ["1. Tổ chức sơ kết vào năm 2025 và tổng kết vào năm 2030."]
    assert extract_deadlines(lines, "x.txt", gazetteer) == []
