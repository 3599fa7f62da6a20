"""Decision 704/QĐ-LĐTBXH (labour ministry plan for 23/QĐ-TTg), read by the loaders.

Every expectation below was written by reading
``obligraph/corpus/qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt``:
the header (lines 3-14), the legal bases (lines 16-20), the annex table
(lines 139-183) cell by cell, and the defects an auditor would flag.
"""

from __future__ import annotations

import pytest
from obligraph.loaders import load_document

import obligraph

FILE = "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt"
TE = "Cục Trẻ em"
BTXH = "Cục Bảo trợ xã hội"
PCTNXH = "Cục Phòng, chống tệ nạn xã hội"
ATLD = "Cục An toàn lao động"
VL = "Cục Việc làm"
GN = "Văn phòng Quốc gia về giảm nghèo"
PC = "Vụ Pháp chế"
GDNN = "Tổng cục Giáo dục nghề nghiệp"
QUY = "Quỹ Bảo trợ trẻ em Việt Nam"
BAO = "Báo Lao động và Xã hội"
TC = "Tạp chí Lao động và Xã hội"
TTTT = "Trung tâm Thông tin"
DH = "Trường Đại học Lao động - Xã hội"
DT = "Trường Đào tạo, bồi dưỡng cán bộ, công chức lao động - xã hội"
TTRA = "Thanh tra Bộ Lao động - Thương binh và Xã hội"
VIEN = "Viện Khoa học Lao động và Xã hội"
HTQT = "Vụ Hợp tác quốc tế"
KHTC = "Vụ Kế hoạch - Tài chính"
LQ = "Các đơn vị liên quan"

# annex row -> (lead units, support units), read from lines 140-183
ROWS: dict[str, tuple[list[str], list[str]]] = {
    "annex-1": ([], []),
    "annex-1-a": ([TE], [BTXH, PCTNXH, ATLD, VL, GN]),
    "annex-1-b": ([TE, BTXH], [LQ]),
    "annex-1-c": ([BTXH, TE], [QUY]),
    "annex-2": ([], []),
    "annex-2-a": ([TE, PC], [BTXH, VL, ATLD, GDNN]),
    "annex-2-b": ([BTXH, GN], [TE, PC]),
    "annex-2-c": ([TE, PC], [PC, BTXH]),
    "annex-2-d": ([TE, PC], [BTXH, PCTNXH, ATLD, GN]),
    "annex-3": ([], []),
    "annex-3-a": ([TE], [BTXH, PCTNXH]),
    "annex-3-b": ([TE], ["Vụ Bình đẳng giới", GDNN]),
    "annex-4": ([], []),
    "annex-4-a": ([TE, BAO, TC, TTTT], [QUY, "Báo Điện tử Dân trí"]),
    "annex-4-b": ([TE], [BTXH, PCTNXH, GN, QUY]),
    "annex-4-c": ([TE], [BAO, TC, TTTT]),
    "annex-4-d": ([TE], [QUY]),
    "annex-4-dd": ([TE], [BAO, TC, TTTT, DH, DT]),
    "annex-5": ([], []),
    "annex-5-a": ([TE], [DH, DT, QUY]),
    "annex-5-b": ([TE], [TTTT, BTXH, PCTNXH, TTRA, GN]),
    "annex-5-c": ([TE], [VIEN]),
    "annex-6": ([], []),
    "annex-6-a": ([TE], [BTXH, HTQT, PCTNXH]),
    "annex-6-b": ([TE], [BTXH, HTQT, PCTNXH]),
    "annex-7": ([], []),
    "annex-7-a": ([TE], [QUY]),
    "annex-7-b": ([TE], [QUY]),
    "annex-7-c": ([TE], [KHTC, LQ]),
    "annex-8": ([], []),
    "annex-8-a": ([TE], [TTTT, KHTC]),
    "annex-8-b": ([TE], [TTTT]),
    "annex-8-c": ([TE], [VIEN]),
    "annex-9": ([], []),
    "annex-9-a": ([TE], [TTRA, LQ]),
    "annex-9-b": ([TTRA], [TE, LQ]),
    "annex-10": ([TE], [LQ]),
}


@pytest.fixture(scope="module")
def doc():
    return load_document(obligraph.corpus_dir() / FILE)


def _units(task, role):
    return [a.unit.canonical for a in task.assignments if a.role == role]


def test_header(doc):
    assert doc.doc_type == "Quyết định"
    assert doc.number == "704/QĐ-LĐTBXH"  # printed "704 /QĐ-LĐTBXH"
    assert doc.date == "2021-06-22"
    assert doc.place == "Hà Nội"
    assert doc.issuer == "Bộ Lao động - Thương binh và Xã hội"
    assert doc.signer == "Nguyễn Thị Hà"
    assert doc.signer_title == "KT. BỘ TRƯỞNG / THỨ TRƯỞNG"
    assert doc.title == (
        "Ban hành Kế hoạch của Bộ Lao động - Thương binh và Xã hội thực hiện Quyết định số "
        "23/QĐ-TTg ngày 07 tháng 01 năm 2021 của Thủ tướng Chính phủ phê duyệt Chương trình "
        "hành động quốc gia vì trẻ em giai đoạn 2021 - 2030"
    )
    assert "**" not in doc.title
    assert doc.header_span.line_start == 3
    assert doc.line_count == 184


def test_every_citation(doc):
    got = sorted((c.relation, c.target.number, c.target.date) for c in doc.citations)
    assert got == [
        ("based_on", "14/2017/NĐ-CP", "2017-02-17"),
        ("based_on", "23/QĐ-TTg", "2021-01-07"),
        ("cites", "47/2020/NĐ-CP", "2020-04-09"),  # body II-8-a and annex row 8-a
        ("implements", "23/QĐ-TTg", "2021-01-07"),  # title and Điều 1
    ]
    by = {(c.relation, c.target.number): c for c in doc.citations}
    assert by["based_on", "14/2017/NĐ-CP"].target.doc_type == "Nghị định"
    assert by["based_on", "14/2017/NĐ-CP"].target.issuer == "Chính phủ"
    assert by["based_on", "14/2017/NĐ-CP"].span.line_start == 16
    assert by["based_on", "23/QĐ-TTg"].target.issuer == "Thủ tướng Chính phủ"
    assert by["based_on", "23/QĐ-TTg"].span.line_start == 20
    assert by["implements", "23/QĐ-TTg"].target.doc_type == "Quyết định"
    assert doc.implements()[0].number == "23/QĐ-TTg"
    # the annex caption's "17/QĐ-LĐTBXH" is this decision misnumbered, not a citation
    assert all(c.target.number != "17/QĐ-LĐTBXH" for c in doc.citations)


def test_every_annex_row_lead_and_support(doc):
    tasks = {t.task_id: t for t in doc.tasks}
    assert list(tasks) == list(ROWS)
    for task_id, (leads, supports) in ROWS.items():
        task = tasks[task_id]
        assert _units(task, "lead") == leads, task_id
        assert _units(task, "support") == supports, task_id


def test_rows_keep_text_parent_time_indicators_and_source(doc):
    tasks = {t.task_id: t for t in doc.tasks}
    row = tasks["annex-2-a"]
    assert row.parent_id == "annex-2"
    assert row.heading.startswith("Rà soát, đánh giá pháp luật, chính sách")
    assert row.text.startswith("Nghiên cứu, bổ sung chính sách hỗ trợ chăm sóc")
    assert row.span.line_start == row.span.line_end == 146
    assert row.span.text.startswith("a\tNghiên cứu")
    assert row.span.section == "Phụ lục / 2 / a"
    assert row.timeframe.text == "Hằng năm"
    assert row.timeframe.recurrence == "annual"
    # number and content share a cell in line 145 ("2 Rà soát ...")
    assert tasks["annex-2"].text.startswith("Rà soát, đánh giá pháp luật")
    # <p> tags are gone from line 151
    assert tasks["annex-3"].text.startswith("Phát triển hệ thống dịch vụ")
    assert "<p>" not in tasks["annex-3-a"].text
    assert tasks["annex-10"].timeframe.text == "Năm 2025 Năm 2030"
    assert tasks["annex-10"].timeframe.years == [2025, 2030]
    # rows name the national indicators of the programme they serve
    assert tasks["annex-1-a"].national_indicators == ["1", "2", "9", "10", "11", "22", "23", "24"]
    assert tasks["annex-1-b"].national_indicators == ["8"]
    assert tasks["annex-1-c"].national_indicators == ["12"]
    assert all(t.programme == "23/QĐ-TTg" for t in doc.tasks)
    assert all(a.span is not None for t in doc.tasks for a in t.assignments)


def test_units_are_resolved_once(doc):
    names = [u.canonical for u in doc.units]
    assert len(names) == len(set(names))
    dan_tri = next(u for u in doc.units if u.canonical == "Báo Điện tử Dân trí")
    assert not dan_tri.known
    generic = next(u for u in doc.units if u.canonical == LQ)
    assert generic.generic and generic.known
    thanh_tra = next(u for u in doc.units if u.canonical == TTRA)
    assert thanh_tra.parent == "Bộ Lao động - Thương binh và Xã hội"


def test_findings(doc):
    got = sorted((f.code, f.span.line_start) for f in doc.findings)
    assert got == [
        ("lead-and-support", 148),  # Vụ Pháp chế leads and supports row 2-c
        ("missing-from-body", 147),  # annex 2-b (poor households) is not a body item
        ("number-mismatch", 136),  # caption says 17/QĐ-LĐTBXH
        ("relabelled", 44),  # body II-2-b is annex 2-c
        ("relabelled", 46),  # body II-2-c is annex 2-d
        ("relabelled", 64),  # body II-4's second "d)" is annex 4-đ
        ("repeated-item-label", 64),  # body II-4 has two "d)"
        ("unknown-unit", 156),  # Báo Điện tử Dân trí
    ]
    severity = {f.code: f.severity for f in doc.findings}
    assert severity["number-mismatch"] == "error"
    assert severity["lead-and-support"] == "warning"
    assert severity["relabelled"] == "info"
