"""The labour ministry's guidance letter on child work in 2020, read by the loaders.

Expectations written by reading ``obligraph/corpus/cv-ldtbxh-2020-huong-dan-cong-tac-tre-em.txt``:
hard-wrapped text that starts in the middle of the letter (no number, date or "Kính gửi"),
"Bộ Lao động - Thương binh và Xã hội hướng dẫn ..." on line 13, ten numbered guidance items,
a footnote (lines 58-72) listing five national programmes with their decisions, item 7
citing the Law on Children and Decree 56/2017/NĐ-CP, and the reporting deadlines of item 10
(see also test_deadlines_cv.py). "Nơi nhận" and the signature close it (lines 214-253).
"""

from __future__ import annotations

import pytest
from obligraph.loaders import load_document

import obligraph

FILE = "cv-ldtbxh-2020-huong-dan-cong-tac-tre-em.txt"
MINISTRY = "Bộ Lao động - Thương binh và Xã hội"
DP = "Các địa phương"

# item -> (first line, last line, first words), read from the file
ITEMS: dict[str, tuple[int, int, str]] = {
    "1": (17, 37, "Nâng cao nhận thức, trách nhiệm của các cấp, các ngành"),
    "2": (39, 55, "Quản lý, sử dụng hiệu quả, minh bạch nguồn ngân sách trung ương"),
    "3": (73, 87, "Bảo đảm cơ cấu tổ chức quản lý nhà nước về trẻ em"),
    "4": (89, 103, "Phối hợp chỉ đạo việc thực hiện trách nhiệm giám sát"),
    "5": (105, 117, "Nhân rộng kinh nghiệm, khuyến khích, biểu dương"),
    "6": (119, 131, "Thường xuyên kiểm tra, rà soát các biện pháp"),
    "7": (133, 153, "Đẩy mạnh công tác tuyên truyền, giáo dục pháp luật"),
    "8": (154, 168, "Tăng cường thanh tra, kiểm tra việc thực hiện"),
    "9": (170, 188, "Nắm bắt tình hình, thông tin kịp thời"),
    "10": (190, 210, "Cập nhật thông tin về trẻ em, trẻ em có hoàn cảnh đặc biệt"),
}


@pytest.fixture(scope="module")
def doc():
    return load_document(obligraph.corpus_dir() / FILE)


def test_header_is_missing_but_the_letter_loads(doc):
    assert doc.doc_type == "Công văn"
    assert doc.number == ""
    assert doc.date is None
    assert doc.issuer == MINISTRY  # from "Bộ Lao động - Thương binh và Xã hội hướng dẫn ..."
    assert doc.signer == "Nguyễn Thị Hà"
    assert doc.signer_title == "KT. BỘ TRƯỞNG / THỨ TRƯỞNG"
    assert doc.title == ""
    assert doc.line_count == 253


def test_every_citation(doc):
    got = sorted(
        (c.relation, c.target.number, c.target.doc_type, c.target.date, c.target.issuer,
         c.span.line_start)
        for c in doc.citations
    )  # fmt: skip
    assert got == [
        ("cites", "", "Luật", None, "Quốc hội", 135),  # "Luật trẻ em", item 7
        ("cites", "06/QĐ-TTg", "Quyết định", "2019-01-03", "Thủ tướng Chính phủ", 66),
        ("cites", "1437/QĐ-TTg", "Quyết định", "2018-10-29", "Thủ tướng Chính phủ", 60),
        ("cites", "1438/QĐ-TTg", "Quyết định", "2018-10-29", "Thủ tướng Chính phủ", 62),
        ("cites", "1863/QĐ-TTg", "Quyết định", "2019-12-23", "Thủ tướng Chính phủ", 72),
        ("cites", "56/2017/NĐ-CP", "Nghị định", None, "Chính phủ", 135),
        ("cites", "588/QĐ-TTg", "Quyết định", "2019-05-17", "Thủ tướng Chính phủ", 68),
    ]
    titles = {c.target.number or c.target.title: c.target.title for c in doc.citations}
    # the footnote names each programme before its decision: "(2) Đề án ... (Quyết định số ...)"
    assert titles["1437/QĐ-TTg"] == (
        "Đề án chăm sóc vì sự phát triển toàn diện trẻ trong những năm đầu đời tại gia đình "
        "và cộng đồng giai đoạn 2018 - 2025"
    )
    assert titles["1438/QĐ-TTg"] == (
        "Đề án hỗ trợ trẻ em khuyết tật tiếp cận các dịch vụ bảo vệ, chăm sóc, giáo dục tại "
        "cộng đồng giai đoạn 2018 - 2025"
    )
    assert titles["06/QĐ-TTg"] == (  # printed "06/QĐ- TTg"
        "Quy định tiêu chuẩn, trình tự đánh giá và công nhận xã, phường, thị trấn phù hợp "
        "với trẻ em"
    )
    assert titles["588/QĐ-TTg"].startswith("Đề án vận động nguồn lực xã hội hỗ trợ trẻ em")
    assert titles["1863/QĐ-TTg"] == (  # printed "số1863/QĐ-TTg"
        "Kế hoạch hành động quốc gia về phòng, chống bạo lực, xâm hại trẻ em giai đoạn 2020 - 2025"
    )
    assert titles["Luật Trẻ em"] == "Luật Trẻ em"
    assert titles["56/2017/NĐ-CP"].startswith("quy định chi tiết một số điều của Luật trẻ em")
    assert not [c for c in doc.citations if c.relation != "cites"]  # no basis, no programme


def test_items_go_to_the_local_authorities(doc):
    tasks = {t.task_id: t for t in doc.tasks}
    assert list(tasks) == list(ITEMS)
    for task_id, (first, last, opening) in ITEMS.items():
        task = tasks[task_id]
        assert (task.span.line_start, task.span.line_end) == (first, last), task_id
        assert task.text.startswith(opening), task_id
        assert [(a.unit.canonical, a.role, a.modality) for a in task.assignments] == [
            (DP, "lead", "obligation")
        ], task_id
        assert task.assignments[0].unit.generic
    # the footnote (lines 58-72) is not part of item 2 or 3
    assert "Quyết định số 1437" not in tasks["2"].text
    assert "Quyết định số 1437" not in tasks["3"].text
    assert "Nơi nhận" not in tasks["10"].text


def test_deadlines(doc):
    got = [(d.date, d.recurrence, [u.canonical for u in d.reporter],
            [u.canonical for u in d.report_to]) for d in doc.deadlines]  # fmt: skip
    sld = "Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố"
    assert got == [
        ("2020-05-25", "semiannual", [sld], [MINISTRY, "Cục Trẻ em"]),
        ("2020-11-20", "annual", [sld], [MINISTRY, "Cục Trẻ em"]),
    ]
    assert doc.indicators == []


def test_findings(doc):
    got = sorted((f.code, f.severity, f.span.line_start) for f in doc.findings)
    assert got == [
        ("missing-addressees", "warning", 1),  # no "Kính gửi"
        ("missing-header", "warning", 1),  # the text begins with the letter's body
    ]
