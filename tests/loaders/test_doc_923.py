"""Decision 923/QĐ-LĐTBXH (plan for Directive 23/CT-TTg), read by the loaders.

Expectations written by reading
``obligraph/corpus/qd-923-ldtbxh-2020-ke-hoach-chi-thi-23-ct-ttg.txt``: a hard-wrapped
PDF export (a blank line after every line), the header on lines 6-24, two legal bases
(lines 30-34 and 36-40) whose names are broken by the wrap ("... của Bộ" / "Lao động -
Thương binh và Xã hội;"), a page number "3" alone on line 167 inside item II.6.b, two
digital-signature blocks (lines 270-277), and an annex that Điều 2 refers to ("Phụ lục
kèm theo", line 209) but the file does not contain.
"""

from __future__ import annotations

import pytest
from obligraph.loaders import load_document

import obligraph

FILE = "qd-923-ldtbxh-2020-ke-hoach-chi-thi-23-ct-ttg.txt"
MINISTRY = "Bộ Lao động - Thương binh và Xã hội"

# section II "NỘI DUNG HOẠT ĐỘNG": item -> first words, read from lines 76-193
BODY: dict[str, str] = {
    "II-1": "Rà soát, kiến nghị, hoàn thiện chính sách, pháp luật về trẻ em",
    "II-1-a": "Xây dựng chương trình, kế hoạch, đề án về thực hiện quyền trẻ em",
    "II-1-b": "Rà soát, sửa đổi, bổ sung chính sách, pháp luật về trợ giúp xã hội",
    "II-1-c": "Rà soát, kiến nghị hoàn thiện chính sách, pháp luật về trẻ em.",
    "II-2": "Trực tiếp đôn đốc các bộ, ngành, địa phương triển khai chính sách",
    "II-2-a": "Xây dựng văn bản đôn đốc các bộ, ngành, địa phương",
    "II-2-b": "Tổ chức và đôn đốc các bộ, ngành, địa phương tổ chức các hình thức",
    "II-3": "Triển khai các biện pháp phòng, chống tai nạn, thương tích trẻ em",
    "II-3-a": "Chủ trì, phối hợp xây dựng tài liệu, sản phẩm truyền thông",
    "II-3-b": "Chủ trì, phối hợp nhân rộng các mô hình, biện pháp can thiệp",
    "II-4": "Chỉ đạo hệ thống cơ sở cung cấp dịch vụ bảo vệ trẻ em",
    "II-4-a": "Xây dựng và ban hành quy trình, tiêu chuẩn cung cấp dịch vụ",
    "II-4-b": "Xây dựng tài liệu và tổ chức đào tạo, bồi dưỡng, tập huấn",
    "II-4-c": "Nâng cao chất lượng và cải thiện khả năng tiếp cận các dịch vụ tư vấn",
    "II-5": "Xây dựng đề cương, kế hoạch và tổ chức các đoàn thanh tra",
    "II-6": "Tuyên truyền, phổ biến, giáo dục pháp luật, nâng cao nhận thức",
    "II-6-a": "Xây dựng tài liệu, sản phẩm tuyên truyền, phổ biến",
    "II-6-b": "Chủ trì, phối hợp nhân rộng các mô hình, biện pháp truyền thông",
    "II-6-c": "Chủ trì, phối hợp triển khai các biện pháp truyền thông",
    "II-6-d": "Đẩy mạnh vận động xã hội đóng góp cho các dự án",
    "II-7": "Tổng hợp, báo cáo, đánh giá kết quả triển khai Chỉ thị số 23/CT-TTg",
}


@pytest.fixture(scope="module")
def doc():
    return load_document(obligraph.corpus_dir() / FILE)


def test_header(doc):
    assert doc.doc_type == "Quyết định"
    assert doc.number == "923/QĐ-LĐTBXH"  # printed "Số:  923  /QĐ-LĐTBXH"
    assert doc.date == "2020-08-04"  # "Hà Nội, ngày 04  tháng  8 năm 2020"
    assert doc.place == "Hà Nội"
    assert doc.issuer == MINISTRY  # "BỘ LAO ĐỘNG - THƯƠNG BINH" / "VÀ XÃ HỘI" on two lines
    assert doc.signer == "Đào Ngọc Dung"
    assert doc.signer_title == "BỘ TRƯỞNG"
    assert doc.title == (
        "Ban hành Kế hoạch triển khai thực hiện Chỉ thị số 23/CT-TTg "
        "ngày 26 tháng 5 năm 2020 của Thủ tướng Chính phủ"
    )
    assert (doc.header_span.line_start, doc.header_span.line_end) == (6, 24)
    assert doc.line_count == 281


def test_every_citation(doc):
    got = sorted(
        (c.relation, c.target.number, c.target.doc_type, c.target.date, c.target.issuer)
        for c in doc.citations
    )
    assert got == [
        ("based_on", "14/2017/NĐ-CP", "Nghị định", "2017-02-17", "Chính phủ"),
        ("based_on", "23/CT-TTg", "Chỉ thị", "2020-05-26", "Thủ tướng Chính phủ"),
        ("implements", "23/CT-TTg", "Chỉ thị", "2020-05-26", "Thủ tướng Chính phủ"),
    ]
    by = {(c.relation, c.target.number): c for c in doc.citations}
    decree = by["based_on", "14/2017/NĐ-CP"]
    # the wrap splits "của Bộ" / "Lao động - Thương binh và Xã hội;": the title keeps it whole
    assert decree.target.title == (
        "quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ "
        "Lao động - Thương binh và Xã hội"
    )
    assert (decree.span.line_start, decree.span.line_end) == (30, 34)
    directive = by["based_on", "23/CT-TTg"]
    assert directive.target.title == (
        "về việc tăng cường các giải pháp bảo đảm thực hiện quyền trẻ em và bảo vệ trẻ em"
    )
    assert directive.span.line_start == 36
    assert by["implements", "23/CT-TTg"].span.line_start == 22  # the title
    # a directive, not Decision 23/QĐ-TTg
    assert all(c.target.number != "23/QĐ-TTg" for c in doc.citations)


def test_body_tasks_are_kept_without_units(doc):
    tasks = {t.task_id: t for t in doc.tasks}
    assert list(tasks) == list(BODY)
    for task_id, opening in BODY.items():
        assert tasks[task_id].text.startswith(opening), task_id
        assert tasks[task_id].assignments == [], task_id
        assert tasks[task_id].programme == "23/CT-TTg", task_id
    assert tasks["II-1-a"].parent_id == "II-1"
    assert tasks["II-1-a"].heading.startswith("Rà soát, kiến nghị, hoàn thiện")
    assert tasks["II-1"].parent_id == ""
    assert tasks["II-4-b"].span.section == "II / 4 / b"
    assert (tasks["II-4-b"].span.line_start, tasks["II-4-b"].span.line_end) == (129, 135)


def test_page_number_and_signatures_are_noise(doc):
    tasks = {t.task_id: t for t in doc.tasks}
    item = tasks["II-6-b"]  # lines 161-173, with the page number "3" on line 167
    assert (item.span.line_start, item.span.line_end) == (161, 173)
    assert "phòng, chống đuối nước trẻ em, quảng bá Tổng đài" in item.text
    assert " 3 " not in item.text
    assert all("đã ký" not in t.text and "2020-08-04T" not in t.text for t in doc.tasks)


def test_no_indicators_no_deadlines_and_only_the_issuer(doc):
    assert doc.indicators == []
    assert doc.deadlines == []
    assert [u.canonical for u in doc.units] == [MINISTRY]


def test_findings(doc):
    got = [(f.code, f.severity, f.span.line_start) for f in doc.findings]
    assert got == [("missing-annex", "warning", 209)]  # "(Phụ lục kèm theo)" in Điều 2
    assert "21 body tasks" in doc.findings[0].message
