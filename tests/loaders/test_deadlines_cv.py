"""Reporting deadlines of the guidance letter (cv-ldtbxh-2020-huong-dan-cong-tac-tre-em.txt).

Read from the document: item 10 (file lines 190-210, hard-wrapped with blank lines) ends

    "Giao hoặc ủy quyền cho Giám đốc Sở Lao động - Thương binh và Xã hội định kỳ báo cáo
    kết quả công tác trẻ em 6 tháng và hàng năm cho Bộ Lao động - Thương binh và Xã hội
    (thông qua Cục Trẻ em) trước ngày 25/5 và 20/11 năm 2020 theo hướng dẫn, biểu mẫu ..."

so there are exactly two deadlines, both in 2020: the six-month report by 25 May and the
annual report by 20 November; the provincial departments of labour report to the Ministry
through its Department of Children. The letter is the Ministry's (its header is missing, the
body says "Bộ Lao động - Thương binh và Xã hội hướng dẫn ..."), so "Sở Lao động - Thương binh
và Xã hội" is each province's department, not Ho Chi Minh City's.
"""

from __future__ import annotations

import pytest
from obligraph.loaders.reader import read_lines
from obligraph.loaders.timeframes import extract_deadlines

import obligraph

CV = "cv-ldtbxh-2020-huong-dan-cong-tac-tre-em.txt"
MINISTRY = "Bộ Lao động - Thương binh và Xã hội"


@pytest.fixture(scope="module")
def deadlines(gazetteer):
    path = obligraph.corpus_dir() / CV
    return extract_deadlines(read_lines(path), CV, gazetteer, context_year=2020, issuer=MINISTRY)


def test_two_dated_deadlines(deadlines):
    assert [(d.date, d.year, d.month_day) for d in deadlines] == [
        ("2020-05-25", 2020, None),
        ("2020-11-20", 2020, None),
    ]


def test_each_date_takes_its_reporting_period(deadlines):
    assert [d.recurrence for d in deadlines] == ["semiannual", "annual"]


def test_text_and_source_span(deadlines):
    for d in deadlines:
        assert d.text == "trước ngày 25/5 và 20/11 năm 2020"
        assert d.span.file == CV
        # the sentence "Giao hoặc ủy quyền ..." starts on line 202 and ends on line 210
        assert (d.span.line_start, d.span.line_end) == (202, 210)
        assert d.span.text.startswith("Giao hoặc ủy quyền cho Giám đốc Sở Lao động")
        assert "trước ngày 25/5 và 20/11 năm 2020" in d.span.text
        assert d.span.section == "10"


def test_who_reports_to_whom(deadlines):
    for d in deadlines:
        assert [u.canonical for u in d.reporter] == [
            "Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố"
        ]
        assert d.reporter[0].generic
        assert [u.canonical for u in d.report_to] == [MINISTRY, "Cục Trẻ em"]
        assert d.subject == "báo cáo kết quả công tác trẻ em 6 tháng và hàng năm"
