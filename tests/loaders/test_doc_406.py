"""Decision 406/QĐ-LĐTBXH (plan for 1863/QĐ-TTg), read by the loaders.

Expectations written by reading
``obligraph/corpus/qd-406-ldtbxh-2020-ke-hoach-phong-chong-bao-luc-xam-hai.txt``:
a receiving stamp sits inside the header (lines 11-17), the annex header row
(line 119) forgets its content column, cells split units by ";" and abbreviate
them ("Bộ GDĐT", "Vụ KHTC", "TU Đoàn TNCSHCM", "Bộ: GDĐT, CA, YT, VHTTDL").
"""

from __future__ import annotations

import pytest
from obligraph.loaders import load_document
from obligraph.loaders.normalise import clean
from obligraph.loaders.reader import read_lines

import obligraph

FILE = "qd-406-ldtbxh-2020-ke-hoach-phong-chong-bao-luc-xam-hai.txt"
TE = "Cục Trẻ em"
DP = "Các địa phương"
CQ = "Các cơ quan, tổ chức, đơn vị liên quan"
DOAN = "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh"
HLHPN = "Trung ương Hội Liên hiệp Phụ nữ Việt Nam"
BVQTE = "Hội Bảo vệ quyền trẻ em Việt Nam"
VPB = "Văn phòng Bộ Lao động - Thương binh và Xã hội"
TTRA = "Thanh tra Bộ Lao động - Thương binh và Xã hội"
TTTT = "Trung tâm Thông tin"
KHTC = "Vụ Kế hoạch - Tài chính"

ROWS: dict[str, tuple[list[str], list[str], str]] = {
    "annex-1": ([], [], ""),
    "annex-1-a": ([TE, DP], ["Bộ Văn hóa, Thể thao và Du lịch", CQ], "Hàng năm"),
    "annex-1-b": ([TE, DP], ["Bộ Giáo dục và Đào tạo", DOAN, CQ], "Hàng năm"),
    "annex-1-c": (
        [
            TE,
            DP,
            "Báo Lao động và Xã hội",
            "Tạp chí Lao động và Xã hội",
            "Tạp chí Gia đình và Trẻ em",
            TTTT,
        ],
        [VPB, CQ],
        "Hàng năm",
    ),
    "annex-1-d": ([TE, DP], [CQ], "Hàng năm"),
    "annex-2": ([], [], ""),
    "annex-2-a": ([TE], [CQ], "Năm 2020"),
    "annex-2-b": ([TE, TTTT], ["Bộ Thông tin và Truyền thông", DP, CQ], "Hàng năm"),
    "annex-2-c": ([TE, DP], [CQ], "Hàng năm"),
    "annex-2-d": ([TE, DP], [CQ], "Hàng năm"),
    "annex-2-dd": ([TE, "Vụ Hợp tác quốc tế", DP], [CQ], "Hàng năm"),
    "annex-3": ([], [], ""),
    "annex-3-a": (
        [TE],
        [
            "Bộ Giáo dục và Đào tạo",
            "Bộ Công an",
            "Bộ Y tế",
            "Bộ Văn hóa, Thể thao và Du lịch",
            DOAN,
            HLHPN,
            "Hội Chữ thập đỏ Việt Nam",
            "Hội Nông dân Việt Nam",
            CQ,
        ],
        "Hàng năm",
    ),
    "annex-3-b": (
        [TE],
        [
            "Cục An toàn thông tin",
            "Hội đồng Đội Trung ương",
            "Trung tâm Phụ nữ và Phát triển",
            "Tổng công ty Bưu điện Việt Nam",
            BVQTE,
            "Hội Luật sư Việt Nam",
        ],
        "Hàng năm",
    ),
    "annex-3-c": ([TE, DOAN, HLHPN, BVQTE], [CQ], "Hàng năm"),
    "annex-3-d": (
        [TE, TTRA, DP],
        ["Trường Đào tạo, bồi dưỡng cán bộ, công chức lao động - xã hội", VPB, CQ],
        "Hàng năm",
    ),
    "annex-4": ([TTRA, TE], [CQ], "Hằng năm"),
    "annex-5": ([TE], [KHTC, TTTT, CQ], "Năm 2020 Năm 2020, 2021"),
    "annex-6": ([TE], [VPB, KHTC, "Các bộ, ngành, địa phương"], "Hằng năm Năm 2022 Năm 2025"),
}


@pytest.fixture(scope="module")
def doc():
    return load_document(obligraph.corpus_dir() / FILE)


def test_receiving_stamp_is_noise_not_the_number():
    cleaned = clean(read_lines(obligraph.corpus_dir() / FILE))
    stamp = sorted(n for n, why in cleaned.noise.items() if why == "receiving-stamp")
    assert stamp == [11, 13, 15, 17]  # office, "CÔNG VĂN BẢN", "Số: 281", "Ngày: 18 tháng 6"


def test_header(doc):
    assert doc.doc_type == "Quyết định"
    assert doc.number == "406/QĐ-LĐTBXH"
    assert doc.date == "2020-04-10"
    assert doc.place == "Hà Nội"
    assert doc.issuer == "Bộ Lao động - Thương binh và Xã hội"
    assert doc.signer == "Nguyễn Thị Hà"
    assert doc.signer_title == "KT. BỘ TRƯỞNG / TRƯỞNG"  # as printed (lines 105-106)
    assert doc.title == (
        "Ban hành Kế hoạch thực hiện Quyết định số 1863/QĐ-TTg ngày 23 tháng 12 năm 2019 của "
        "Thủ tướng Chính phủ phê duyệt Kế hoạch hành động quốc gia phòng, chống bạo lực, xâm "
        "hại trẻ em giai đoạn 2020-2025"
    )


def test_every_citation(doc):
    got = sorted((c.relation, c.target.number, c.target.date, c.span.line_start)
                 for c in doc.citations)  # fmt: skip
    assert got == [
        ("based_on", "14/2017/NĐ-CP", "2017-02-17", 21),
        ("based_on", "1863/QĐ-TTg", "2019-12-23", 23),
        ("implements", "1863/QĐ-TTg", "2019-12-23", 9),
    ]


def test_every_annex_row(doc):
    tasks = {t.task_id: t for t in doc.tasks}
    assert list(tasks) == list(ROWS)
    for task_id, (leads, supports, time) in ROWS.items():
        task = tasks[task_id]
        assert [a.unit.canonical for a in task.assignments if a.role == "lead"] == leads, task_id
        assert [a.unit.canonical for a in task.assignments if a.role == "support"] == supports
        assert task.timeframe.text == time, task_id
    # the header row has no content column: content still comes from the second cell
    assert tasks["annex-1-a"].text.startswith("Xây dựng tài liệu và hướng dẫn cho cha mẹ")
    assert tasks["annex-6"].span.line_start == 141


def test_abbreviations_keep_their_spelling_as_mention(doc):
    row = next(t for t in doc.tasks if t.task_id == "annex-1-b")
    mentions = {a.unit.mention: a.unit.canonical for a in row.assignments}
    assert mentions["Bộ GDĐT"] == "Bộ Giáo dục và Đào tạo"
    assert mentions["TU Đoàn TNCSHCM"] == DOAN


def test_generic_units_stay_generic(doc):
    generic = {u.canonical for u in doc.units if u.generic}
    assert generic == {DP, CQ, "Các bộ, ngành, địa phương"}
    assert all(u.known for u in doc.units)


def test_findings(doc):
    got = sorted((f.code, f.severity, f.span.line_start) for f in doc.findings)
    # the caption (lines 114-117) names "406 /QĐ-LĐTĐ": a wrong issuer code
    assert got == [("number-mismatch", "error", 114)]
