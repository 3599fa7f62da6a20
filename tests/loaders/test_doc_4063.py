"""Decision 4063/QĐ-UBND of Ho Chi Minh City and the city plan it issues, read by the loaders.

Expectations written by reading
``obligraph/corpus/qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.txt``: the header in
markdown bold (lines 3-16), fourteen "Căn cứ" lines (20-48), 24 indicators (Chỉ tiêu, lines
134-252) with their leads in "b) Trách nhiệm thực hiện", seven groups (Nhóm, lines 260-514)
each "(theo Quyết định số ...)", prose assignments ("Sở X chủ trì triển khai: (i) ...;
(ii) ..."), requests to bodies outside the city's authority ("Đề nghị ..."), sections IV-VI
and the reporting schedule of VI.1 (line 598).
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from obligraph.loaders import load_document

import obligraph

FILE = "qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.txt"
CITY = "Thành phố Hồ Chí Minh"
LD = f"Sở Lao động - Thương binh và Xã hội {CITY}"
YT, GD, VH = f"Sở Y tế {CITY}", f"Sở Giáo dục và Đào tạo {CITY}", f"Sở Văn hóa và Thể thao {CITY}"
TP, DL, TT = f"Sở Tư pháp {CITY}", f"Sở Du lịch {CITY}", f"Sở Thông tin và Truyền thông {CITY}"
GT, XD = f"Sở Giao thông vận tải {CITY}", f"Sở Xây dựng {CITY}"
NN = f"Sở Nông nghiệp và Phát triển nông thôn {CITY}"
CA = f"Công an {CITY}"
MT = f"Ủy ban Mặt trận Tổ quốc Việt Nam {CITY}"
HPN, TD = f"Hội Liên hiệp Phụ nữ {CITY}", f"Thành Đoàn {CITY}"
SBN_LQ, SBN_TP = "Các sở, ban, ngành liên quan", "Các sở, ban, ngành Thành phố"
QH = "Ủy ban nhân dân quận, huyện, thành phố Thủ Đức"
DVLQ, CQ = "Các đơn vị liên quan", "Các cơ quan, tổ chức, đơn vị liên quan"
COURTS = ["Tòa án nhân dân các cấp", "Viện kiểm sát nhân dân các cấp"]
REQ = "request"
PER1000, PER100K = "per 1,000 live births", "per 100,000 children"

# paragraph line -> (tasks it gives, lead units, support units, modality); one task per
# "(i)", "(ii)", ... item. Items whose support differs from the paragraph's are in ITEM_SUPPORT.
PROSE: dict[int, tuple[int, list[str], list[str], str]] = {
    # Điều 3: "Chánh Văn phòng Ủy ban nhân dân Thành phố, Giám đốc Sở ..., Giám đốc Công an
    # Thành phố, Thủ trưởng các sở, ban, ngành, đoàn thể Thành phố, các đơn vị, tổ chức và cá
    # nhân có liên quan, Chủ tịch Ủy ban nhân dân quận, huyện và thành phố Thủ Đức chịu trách
    # nhiệm thi hành Quyết định này": the bodies those office-holders head
    58: (1, [f"Văn phòng Ủy ban nhân dân {CITY}", LD, f"Sở Tài chính {CITY}", f"Sở Nội vụ {CITY}",
             f"Sở Giáo dục và Đào tạo {CITY}", f"Sở Văn hóa và Thể thao {CITY}", f"Sở Y tế {CITY}",
             f"Sở Du lịch {CITY}", f"Sở Tư pháp {CITY}", f"Sở Thông tin và Truyền thông {CITY}",
             f"Sở Giao thông vận tải {CITY}", f"Sở Xây dựng {CITY}", f"Công an {CITY}", SBN_TP,
             CQ, QH], [], "obligation"),
    162: (1, [LD], [SBN_LQ], "obligation"), 164: (1, [YT], [SBN_LQ], "obligation"),
    166: (1, [GD], [SBN_LQ], "obligation"), 200: (1, [LD], [SBN_LQ], "obligation"),
    202: (1, [CA], [LD, DVLQ], "obligation"), 204: (1, [VH], [SBN_LQ], "obligation"),
    206: (1, [TP], [SBN_LQ], "obligation"), 240: (1, [GD], [SBN_LQ], "obligation"),
    242: (1, [VH], [SBN_LQ], "obligation"), 256: (1, [LD], [SBN_LQ], "obligation"),
    # Nhóm 1 (1438/QĐ-TTg)
    274: (3, [LD], [], "obligation"), 276: (3, [GD], [], "obligation"),
    278: (3, [YT], [], "obligation"), 280: (3, [VH], [], "obligation"),
    282: (1, [DL], [], "obligation"), 284: (1, [SBN_TP, QH], [], "obligation"),
    # Nhóm 2 (1437/QĐ-TTg)
    298: (3, [LD], [], "obligation"), 300: (3, [GD], [], "obligation"),
    302: (2, [YT], [], "obligation"), 304: (3, [VH], [], "obligation"),
    306: (1, [DL], [], "obligation"), 308: (1, [SBN_TP, QH], [], "obligation"),
    # Nhóm 3 (1863/QĐ-TTg): "Sở LĐTBXH chủ trì thực hiện:" + "+ Triển khai: (i)...(iv)"
    328: (3, [LD], [], "obligation"), 330: (1, [LD], [], "obligation"),
    332: (3, [LD], [VH, DL], "obligation"),  # "+ Phối hợp với Sở Văn hóa và Thể thao, Sở Du lịch"
    334: (5, [GD], [], "obligation"), 336: (3, [YT], [], "obligation"),
    338: (2, [TP], [], "obligation"), 340: (4, [CA], [], "obligation"),
    342: (1, [SBN_TP, QH], [], "obligation"),
    # Nhóm 4 (782/QĐ-TTg)
    374: (5, [LD], [], "obligation"), 376: (3, [GD], [], "obligation"),
    378: (3, [CA], [], "obligation"), 380: (2, [NN], [], "obligation"),
    382: (1, [TT], [], "obligation"), 384: (1, [SBN_TP, QH], [], "obligation"),
    # Nhóm 5 (830/QĐ-TTg)
    400: (4, [TT], [], "obligation"), 402: (3, [LD], [], "obligation"),
    404: (3, [GD], [], "obligation"), 406: (1, [CA], [], "obligation"),
    408: (2, [CA], [], "obligation"),  # (ii), (iii) after the wrap of (i)
    410: (1, COURTS, [], REQ),  # "Đề nghị Tòa án nhân dân, Viện kiểm sát nhân dân các cấp"
    412: (1, [f"Đài Truyền hình {CITY}", f"Đài Tiếng nói nhân dân {CITY}",
              "Các cơ quan báo chí trên địa bàn Thành phố"], [], "obligation"),
    414: (1, [SBN_TP, QH], [], "obligation"),
    # Nhóm 6 (06/QĐ-TTg)
    444: (4, [LD], [SBN_LQ], "obligation"), 446: (1, [TP], [], "obligation"),
    447: (1, [YT], [], "obligation"), 448: (1, [GD], [], "obligation"),
    450: (1, [VH], [], "obligation"), 452: (3, [CA], [], "obligation"),
    456: (4, [MT, HPN, TD], [], REQ), 458: (5, [QH], [], "obligation"),
    460: (1, [SBN_TP], [], "obligation"),
    # Nhóm 7 (1248/QĐ-TTg)
    498: (4, [LD], [], "obligation"), 500: (3, [GD], [], "obligation"),
    502: (3, [GT], [], "obligation"), 504: (3, [VH], [], "obligation"),
    506: (2, [XD], [], "obligation"), 508: (2, [CA], [], "obligation"),
    510: (3, [YT], [], "obligation"), 512: (1, [TT], [], "obligation"),
    514: (1, [SBN_TP, QH], [], "obligation"),
    # IV. Kinh phí
    522: (1, [SBN_TP, "Các tổ chức chính trị - xã hội", QH], [], "obligation"),
    528: (1, [SBN_LQ], [], "obligation"),
    # V. Tổ chức thực hiện
    534: (1, [LD], [], "obligation"), 536: (1, [LD], [SBN_TP], "obligation"),
    538: (3, [LD], [], "obligation"), 540: (1, [LD], [], "obligation"),
    542: (1, [LD], [f"Ủy ban Trẻ em {CITY}"], "obligation"),
    548: (1, [SBN_LQ], [], "obligation"), 550: (1, [SBN_LQ], [], "obligation"),
    552: (1, [SBN_LQ], [LD], "obligation"),
    556: (1, [QH, "Ủy ban Trẻ em các cấp"], [LD], "obligation"),
    **{n: (1, [QH, "Ủy ban Trẻ em các cấp"], [], "obligation") for n in range(558, 569, 2)},
    570: (1, [f"Sở Kế hoạch và Đầu tư {CITY}"], [SBN_LQ], "obligation"),
    574: (1, [f"Sở Tài chính {CITY}"], [SBN_TP, QH], "obligation"),
    576: (1, [f"Sở Khoa học và Công nghệ {CITY}"], [DVLQ], "obligation"),
    578: (1, [f"Sở Ngoại vụ {CITY}"], [CA, DVLQ], "obligation"),
    580: (3, [f"Liên đoàn Lao động {CITY}"], [], REQ),
    582: (1, ["Ban Tuyên giáo Thành ủy", "Ban Dân vận Thành ủy"], [], REQ),
    584: (1, [MT, TD, HPN, f"Hội Bảo trợ trẻ em {CITY}", f"Hội Bảo vệ Quyền Trẻ em {CITY}",
              "Các tổ chức xã hội"], [CQ], REQ),
    586: (1, [MT], ["Các tổ chức chính trị - xã hội"], REQ),
    588: (1, [f"Ban Dân tộc {CITY}"], [DVLQ], "obligation"),
    592: (1, [QH], [], "obligation"),
    # VI. Chế độ báo cáo
    598: (1, [SBN_TP, QH], [], "obligation"), 602: (1, [SBN_TP, QH], [], "obligation"),
    604: (1, [SBN_TP, QH, DVLQ], [], "obligation"), 606: (1, [LD], [DVLQ], "obligation"),
}  # fmt: skip
# (paragraph line, item) -> support units of that item alone
ITEM_SUPPORT: dict[tuple[int, str], list[str]] = {
    (328, "i"): [CQ],  # "... cơ chế phối hợp liên ngành ... với các cơ quan, tổ chức liên quan"
    (378, "iii"): [CQ],  # "Phối hợp với các cơ quan, tổ chức, đơn vị liên quan"
    (400, "iv"): ["Các ngành, đơn vị liên quan"],  # "phối hợp với các ngành, các đơn vị"
    (408, "ii"): COURTS,  # "phối hợp với Tòa án nhân dân, Viện kiểm sát nhân dân các cấp"
    (580, "ii"): [DVLQ],
}
# group -> programme, from each Nhóm heading's "(theo Quyết định số ...)"
GROUP_PROGRAMMES = {"2.1": "1438/QĐ-TTg", "2.2": "1437/QĐ-TTg", "2.3": "1863/QĐ-TTg",
                    "2.4": "782/QĐ-TTg", "2.5": "830/QĐ-TTg", "2.6": "06/QĐ-TTg",
                    "2.7": "1248/QĐ-TTg"}  # fmt: skip
# indicator -> lead unit, from "b) Trách nhiệm thực hiện" (lines 162-256)
LEADS = {**dict.fromkeys(["1", "2", "8", "10", "11", "12", "22", "23", "24"], LD),
         **dict.fromkeys(["3", "4", "5", "6"], YT), "9": CA, "13": VH, "14": TP,
         **dict.fromkeys(["7", "15", "16", "17", "18", "19", "20"], GD), "21": VH}  # fmt: skip
AL, AM, RB, KEEP = "at_least", "at_most", "reduce_by", "maintain"
# leaf indicator -> targets (year, value, unit, comparator), read from lines 134-252
TARGETS: dict[str, list[tuple[int, float, str, str]]] = {
    "1": [(2025, 65, "%", AL), (2030, 75, "%", AL)],
    "2": [(2025, 90, "%", AL), (2030, 95, "%", AL)],
    "3.1": [(2025, 7.0, PER1000, AM), (2030, 6.0, PER1000, AM)],
    "3.2": [(2025, 8.05, PER1000, AM), (2030, 7.0, PER1000, AM)],
    "3.3": [(2025, 9.0, PER1000, AM), (2030, 8.0, PER1000, AM)],
    "4.1": [(2025, 4.5, "%", AM), (2030, 4.5, "%", KEEP)],  # "... và duy trì đến năm 2030"
    "4.2": [(2025, 6.5, "%", AM), (2030, 6.2, "%", AM)],
    "4.3": [(2025, 12, "%", AM), (2030, 12, "%", KEEP)],
    "5.1": [(2025, 95, "%", AL), (2030, 95, "%", KEEP)],
    "5.2": [(2025, 95, "%", AL), (2030, 95, "%", KEEP)],
    "6": [(2030, 2, "%", "equal")],  # "là 2% vào năm 2030"
    "7": [(2025, 100, "%", AL), (2030, 100, "%", KEEP)],
    "8.1": [(2025, 3.5, "%", AM), (2030, 3, "%", AM)],
    "8.2": [(2025, 90, "%", AL), (2030, 95, "%", AL)],
    "9.1": [(2025, 4.5, "%", AM), (2030, 4, "%", AM)],
    "9.2": [(2025, 5, "%", RB), (2030, 7, "%", RB)],
    "10": [(2025, 4.9, "%", AM), (2030, 4.5, "%", AM)],
    "11.1": [(2025, 550, PER100K, AM), (2030, 500, PER100K, AM)],
    "11.2": [(2025, 16, PER100K, AM), (2030, 15, PER100K, AM)],
    "12": [],  # "Phấn đấu 100% ..." with no year: a finding
    "13": [(2030, 2, "%", RB)],  # "giảm ... hằng năm từ 2% đến 3% giai đoạn 2025 - 2030"
    "14": [(2024, 99, "%", AL), (2030, 100, "%", AL)],  # the average "trên 98%" has no year
    "15": [(2025, 99.1, "%", AL), (2030, 99.3, "%", AL)],
    "16": [(2025, 99.1, "%", AL), (2030, 99.3, "%", AL)],
    "17.1": [(2025, 97, "%", AL), (2030, 99, "%", AL)],
    "17.2": [(2025, 0.12, "%", AM), (2030, 0.1, "%", AM)],
    "18.1": [(2025, 88, "%", AL), (2030, 93, "%", AL)],
    "18.2": [(2025, 0.14, "%", AM), (2030, 0.05, "%", AM)],
    "19": [(2025, 95, "%", AL)],
    "20.1": [(2025, 55, "%", AL), (2030, 60, "%", AL)],
    "20.2": [(2025, 80, "%", AL), (2030, 90, "%", AL)],
    "21": [(2025, 40, "%", AL), (2030, 45, "%", AL)],
    "22": [(2025, 30, "%", AL), (2030, 35, "%", AL)],
    "23": [(2025, 85, "%", AL), (2030, 90, "%", AL)],
    "24": [(2025, 30, "%", AL), (2030, 35, "%", AL)],
}


@pytest.fixture(scope="module")
def doc():
    return load_document(obligraph.corpus_dir() / FILE)


def _units(assignments, role):
    return [a.unit.canonical for a in assignments if a.role == role]


def test_header(doc):
    assert doc.doc_type == "Quyết định"
    assert doc.number == "4063/QĐ-UBND"  # printed "Số: **4063** /QĐ-UBND"
    assert doc.date == "2022-11-25"
    assert doc.place == CITY
    assert doc.issuer == f"Ủy ban nhân dân {CITY}"
    assert doc.signer == "Dương Anh Đức"
    assert doc.signer_title == "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    assert doc.title == (
        "Về ban hành Kế hoạch triển khai thực hiện Chương trình hành động vì trẻ em "
        "Thành phố Hồ Chí Minh giai đoạn đến năm 2030"
    )
    assert (doc.header_span.line_start, doc.header_span.line_end) == (3, 16)


def test_every_citation(doc):
    got = sorted(
        (c.relation, c.target.number or c.target.title, c.target.date, c.span.line_start)
        for c in doc.citations
    )
    based_on = [
        ("06/QĐ-TTg", "2019-01-03", 36), ("121/2020/QH14", "2020-06-19", 24),
        ("1437/QĐ-TTg", "2018-10-29", 32), ("1438/QĐ-TTg", "2018-10-29", 34),
        ("1472/QĐ-TTg", "2020-09-28", 40), ("1863/QĐ-TTg", "2019-12-23", 38),
        ("20/2021/NĐ-CP", "2021-03-15", 30), ("23/QĐ-TTg", "2021-01-07", 44),
        ("56/2017/NĐ-CP", "2017-05-09", 26), ("782/QĐ-TTg", "2021-05-27", 46),
        ("80/2017/NĐ-CP", "2017-07-17", 28), ("830/QĐ-TTg", "2021-06-01", 48),
        ("Luật Trẻ em", "2016-04-05", 22),
        ("Luật Tổ chức chính quyền địa phương", "2015-06-19", 20),
        ("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức "
         "chính quyền địa phương", "2019-11-22", 20),
    ]  # fmt: skip
    cites = [
        ("06/2020/NQ-HĐND", "2020-07-11", 560),
        ("27887/SLĐTBXH-TE&BDG", "2022-08-30", 50),  # "tại Tờ trình số ..."
        ("Luật Ngân sách Nhà nước", None, 564),  # "Luật Ngân sách Nhà nước năm 2015"
    ]
    implements = [  # section III.1 and each Nhóm heading: "(theo Quyết định số ...)"
        ("06/QĐ-TTg", "2019-01-03", 416), ("1248/QĐ-TTg", "2021-07-19", 462),
        ("1437/QĐ-TTg", "2018-10-29", 286), ("1438/QĐ-TTg", "2018-10-29", 260),
        ("1472/QĐ-TTg", "2020-09-28", 310),  # Nhóm 3 follows 1863/QĐ-TTg "và" 1472/QĐ-TTg
        ("1863/QĐ-TTg", "2019-12-23", 310), ("23/QĐ-TTg", "2021-01-07", 128),
        ("782/QĐ-TTg", "2021-05-27", 344), ("830/QĐ-TTg", "2021-06-01", 386),
    ]  # fmt: skip
    assert got == sorted(
        [("based_on", *x) for x in based_on]
        + [("cites", *x) for x in cites]
        + [("implements", *x) for x in implements]
    )
    by = {(c.relation, c.target.number or c.target.title): c.target for c in doc.citations}
    assert by["based_on", "121/2020/QH14"].doc_type == "Nghị quyết"
    assert by["based_on", "121/2020/QH14"].issuer == "Quốc hội"
    assert by["based_on", "Luật Trẻ em"].doc_type == "Luật"
    assert by["based_on", "23/QĐ-TTg"].title == (
        "về phê duyệt Chương trình hành động Quốc gia vì trẻ em giai đoạn 2021 - 2030"
    )
    submission = by["cites", "27887/SLĐTBXH-TE&BDG"]
    assert (submission.doc_type, submission.issuer) == ("Tờ trình", LD)
    council = by["cites", "06/2020/NQ-HĐND"]
    assert (council.doc_type, council.issuer) == ("Nghị quyết", f"Hội đồng nhân dân {CITY}")
    assert by["cites", "Luật Ngân sách Nhà nước"].year == 2015


def test_prose_assignments(doc):
    by_line: dict[int, list] = defaultdict(list)
    for task in doc.tasks:
        by_line[task.span.line_start].append(task)
    assert sorted(by_line) == sorted(PROSE)
    for line, (count, leads, supports, modality) in PROSE.items():
        tasks = by_line[line]
        assert len(tasks) == count, line
        for task in tasks:
            item = task.task_id.rsplit("-", 1)[-1]
            assert _units(task.assignments, "lead") == leads, (line, task.task_id)
            want = ITEM_SUPPORT.get((line, item), supports)
            assert _units(task.assignments, "support") == want, (line, task.task_id)
            assert task.modality == modality, (line, task.task_id)
            assert {a.modality for a in task.assignments} == {modality}, (line, task.task_id)
    assert len(doc.tasks) == sum(n for n, *_ in PROSE.values()) == 169


def test_one_task_per_roman_item(doc):
    tasks = {t.task_id: t for t in doc.tasks}
    yte = [t for t in doc.tasks if t.span.line_start == 278]
    assert [t.task_id for t in yte] == [f"III-2-2.1-b-g3-{i}" for i in ("i", "ii", "iii")]
    assert yte[0].text.startswith("Hỗ trợ trẻ em khuyết tật tiếp cận với các dịch vụ chăm sóc")
    assert yte[2].text.startswith("Triển khai thí điểm mô hình chăm sóc sức khỏe")
    # each task quotes its item; its assignment quotes the sentence naming the lead
    assert yte[1].span.text.startswith("Hướng dẫn các dịch vụ tư vấn về chăm sóc sức khỏe")
    assert all(
        t.assignments[0].span.text.startswith("- Sở Y tế chủ trì triển khai: (i)") for t in yte
    )
    # (iii) of line 328 is wrapped onto line 330
    wrapped = tasks["III-2-2.3-b-g1-p1-iii"]
    assert (wrapped.span.line_start, wrapped.span.line_end) == (328, 330)
    assert wrapped.text.endswith("tham gia vào mạng lưới bảo vệ trẻ em")


def test_programmes_and_indicator_leads_of_tasks(doc):
    for task in doc.tasks:
        parts = task.task_id.split("-")
        if parts[:2] == ["III", "1"]:
            assert task.programme == "23/QĐ-TTg", task.task_id
        elif parts[:2] == ["III", "2"]:
            assert task.programme == GROUP_PROGRAMMES[parts[2]], task.task_id
        else:  # sections IV-VI serve the whole plan, not one programme
            assert task.programme == "", task.task_id
    lines = {t.span.line_start: t.indicators for t in doc.tasks if t.indicators}
    assert lines == {
        162: ["1", "2"], 164: ["3", "4", "5", "6"], 166: ["7"],
        200: ["8", "10", "11", "12"], 202: ["9"], 204: ["13"], 206: ["14"],
        240: ["15", "16", "17", "18", "19", "20"], 242: ["21"], 256: ["22", "23", "24"],
    }  # fmt: skip


def test_indicators_leads_and_national_indicator(doc):
    inds = {i.indicator_id: i for i in doc.indicators}
    for n in range(1, 25):
        ind = inds[str(n)]
        assert [u.canonical for u in ind.lead] == [LEADS[str(n)]], n
        assert ind.adapts is not None and ind.adapts.number == "23/QĐ-TTg", n
        assert ind.adapts_indicator == str(n), n
        assert ind.programme == "23/QĐ-TTg", n
    assert inds["3"].span.line_start == 138
    assert inds["3.2"].measure == "Tỷ suất tử vong của trẻ em dưới 1 tuổi"
    assert inds["1"].measure == "Tỷ lệ phường, xã, thị trấn đạt tiêu chuẩn phù hợp với trẻ em"
    assert inds["12"].measure == (
        "Trẻ em gặp thiên tai, thảm họa và dịch bệnh được cứu trợ, hỗ trợ kịp thời"
    )
    assert inds["14"].measure == "Tỷ lệ trẻ em dưới 5 tuổi được đăng ký khai sinh"


def test_indicator_targets(doc):
    inds = {i.indicator_id: i for i in doc.indicators}
    for ind_id, want in TARGETS.items():
        got = [(t.year, t.value, t.unit, t.comparator) for t in inds[ind_id].targets]
        assert got == [(y, pytest.approx(v), u, c) for y, v, u, c in want], ind_id
        assert all(t.span is not None for t in inds[ind_id].targets)


def test_group_objectives(doc):
    groups: dict[str, list] = defaultdict(list)
    for ind in doc.indicators:
        if ind.indicator_id.startswith("nhom-"):
            groups[ind.group].append(ind)
    assert sorted(groups) == [f"Nhóm {n}" for n in range(1, 8)]
    progs = {g: {i.programme for i in inds} for g, inds in groups.items()}
    assert progs == {f"Nhóm {k[-1]}": {v} for k, v in GROUP_PROGRAMMES.items()}
    top = {g: sorted(i.indicator_id for i in inds if "." not in i.indicator_id)
           for g, inds in groups.items()}  # fmt: skip
    # (1)..(n) under each "a) Mục tiêu:"
    assert {g: len(v) for g, v in top.items()} == {
        "Nhóm 1": 4, "Nhóm 2": 3, "Nhóm 3": 5, "Nhóm 4": 4, "Nhóm 5": 4, "Nhóm 6": 2,
        "Nhóm 7": 3,
    }  # fmt: skip
    inds = {i.indicator_id: i for i in doc.indicators}

    def targets(ind_id):
        return [(t.year, t.value, t.unit, t.comparator) for t in inds[ind_id].targets]

    # Nhóm 1 runs "đến năm 2025": "(1) Phấn đấu đạt 90% trẻ em khuyết tật ..."
    assert targets("nhom-1-mt-1") == [(2025, 90, "%", AL)]
    assert targets("nhom-3-mt-4") == [(2025, 100, "%", AL)]  # "(4) 100% cơ sở y tế ..."
    # "(4) Phấn đấu đến năm 2030 giảm tỷ lệ lao động trẻ em ... xuống còn 4,5%"
    assert targets("nhom-4-mt-4.1") == [(2030, 4.5, "%", AM)]
    assert targets("nhom-7-mt-1.2") == [(2025, 10, "%", RB), (2030, 20, "%", RB)]
    assert targets("nhom-7-mt-1.4") == [(2025, 5000, "count", AL), (2030, 6000, "count", AL)]
    assert inds["nhom-4-mt-3.1"].measure == (
        "Công chức, viên chức cấp Thành phố, quận, huyện, thành phố Thủ Đức"
    )


def test_reporting_deadlines(doc):
    got = [
        (d.month_day, d.recurrence, [u.canonical for u in d.reporter],
         [u.canonical for u in d.report_to], d.span.line_start)
        for d in doc.deadlines
    ]  # fmt: skip
    # "Định kỳ 6 tháng (trước ngày 10 tháng 6) và hàng năm (trước ngày 10 tháng 11)"
    assert got == [
        ("--06-10", "semiannual", [SBN_TP, QH], [LD], 598),
        ("--11-10", "annual", [SBN_TP, QH], [LD], 598),
    ]
    assert all(d.date is None and d.span.section == "VI / 1 / -" for d in doc.deadlines)


def test_findings(doc):
    got = sorted((f.code, f.severity, f.span.line_start, f.about) for f in doc.findings)
    assert got == [
        ("repeated-item-label", "warning", 130, "III-1.dup2"),  # "1. Mục tiêu 1." after "1."
        ("target-without-year", "info", 192, "12"),  # "Phấn đấu 100% ..." with no year
        ("target-without-year", "info", 196, "14"),  # "đạt trung bình đạt trên 98%"
    ]


def test_units_are_resolved_once_and_placeholders_marked(doc):
    names = [u.canonical for u in doc.units]
    assert len(names) == len(set(names))
    units = {u.canonical: u for u in doc.units}
    assert all(u.known for u in doc.units)
    for generic in (SBN_LQ, SBN_TP, QH, DVLQ, CQ, "Các tổ chức xã hội"):
        assert units[generic].generic, generic
    assert not units[LD].generic
    assert units[LD].parent == f"Ủy ban nhân dân {CITY}"
