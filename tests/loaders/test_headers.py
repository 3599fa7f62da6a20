"""Headers of real documents in every layout users bring (issue: real headers and folders).

Two sources, expectations read off the documents' text:
* real documents of ``../shared/realdocs/`` read in place (skipped where absent);
* the project's own fixtures in ``tests/loaders/data/headers/`` (see its README).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from obligraph.graph.build import build
from obligraph.graph.rdf import document_iri
from obligraph.graph.stores import open_store
from obligraph.loaders import load_document

from obligraph.base.vocab import Iris

HEADERS = Path(__file__).parent / "data" / "headers"


def _header(doc):
    return (doc.number, doc.doc_type, doc.date, doc.place, doc.issuer, doc.jurisdiction)


# --------------------------------------------------------------------- real documents

REAL = {
    # TAB rows; no type line (the title follows the number row); "tháng12"
    "realdoc-005.txt": ("3005/QĐ-UBND", "Quyết định", "2025-12-01", "Hà Tĩnh",
                        "Ủy ban nhân dân tỉnh Hà Tĩnh", "tỉnh Hà Tĩnh"),
    # the issuer cell lost "ỦY BAN NHÂN DÂN": "TỈNH QUẢNG TRỊ"
    "realdoc-010.txt": ("2702/QĐ-UBND", "Quyết định", "2025-11-18", "Quảng Trị",
                        "Ủy ban nhân dân tỉnh Quảng Trị", "tỉnh Quảng Trị"),
    # a letter: "Số: 5332/CT-CS V/v ..." in one cell; a Cục under its Bộ (CT is no Chỉ thị here)
    "realdoc-018.txt": ("5332/CT-CS", "Công văn", "2025-11-19", "Hà Nội", "Cục Thuế", "Việt Nam"),
    # "DÂN THÀNH PHỐ HÀ NỘI" under a number .../NQ-HĐND: the city's People's Council
    "realdoc-030.txt": ("77/2025/NQ-HĐND", "Nghị quyết", "2025-11-27", "Hà Nội",
                        "Hội đồng nhân dân thành phố Hà Nội", "thành phố Hà Nội"),
    # a consolidated text repeats its original's type line: the number says VBHN
    "realdoc-043.txt": ("92/VBHN-BQP", "Văn bản hợp nhất", "2025-11-24", "Hà Nội",
                        "Bộ Quốc phòng", "Việt Nam"),
    # the portal's page furniture above the header; "Hà Nội ngày 01 ..." without a comma
    "realdoc-093.txt": ("386/NQ-CP", "Nghị quyết", "2025-12-01", "Hà Nội", "Chính phủ",
                        "Việt Nam"),
    # pipe rows run together: "CHÍNH PHỦ_______ Số: 172/2025/NĐ-CP | CỘNG HÒA ...NAMĐộc lập"
    "realdoc-105.txt": ("172/2025/NĐ-CP", "Nghị định", "2025-06-30", "Hà Nội", "Chính phủ",
                        "Việt Nam"),
}  # fmt: skip

SIGNERS = {
    "realdoc-005.txt": ("Nguyễn Thị Nguyệt", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"),
    "realdoc-018.txt": (
        "Mạnh Thị Tuyết Mai",
        "TL. CỤC TRƯỞNG / KT. TRƯỞNG BAN BAN CHÍNH SÁCH, THUẾ QUỐC TẾ / PHÓ TRƯỞNG BAN",
    ),
    # "XÁC THỰC VĂN BẢN HỢP NHẤT KT. BỘ TRƯỞNG THỨ TRƯỞNG Thượng tướng Võ Minh Lương"
    "realdoc-043.txt": ("Võ Minh Lương", "KT. BỘ TRƯỞNG / THỨ TRƯỞNG"),
    "realdoc-093.txt": ("Hồ Đức Phớc", "TM. CHÍNH PHỦ / KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG"),
    # a copy that lost the signing title: "( Đã ký) Lê Thành Long |"
    "realdoc-045.txt": ("Lê Thành Long", ""),
}


@pytest.mark.parametrize("name", list(REAL))
def test_real_header(realdocs, name):
    assert _header(load_document(realdocs / name)) == REAL[name]


@pytest.mark.parametrize("name", list(SIGNERS))
def test_real_signature(realdocs, name):
    doc = load_document(realdocs / name)
    assert (doc.signer, doc.signer_title) == SIGNERS[name]


def test_real_letter_subject_parent_and_recipients(realdocs):
    doc = load_document(realdocs / "realdoc-018.txt")
    assert doc.subject == "Chính sách thuế TNCN"
    assert doc.issuer_parent == "Bộ Tài chính"
    assert doc.recipients == [
        "Như trên",
        "PCTrg Đặng Ngọc Minh (để b/c)",
        "Cổng thông tin điện tử BTC",
        "Website CT",
        "Lưu: VT, CS",
    ]


def test_real_titles(realdocs):
    # an all-capitals title over three lines, no type line above it
    assert load_document(realdocs / "realdoc-005.txt").title.startswith(
        "CÔNG BỐ DANH MỤC VÀ QUY TRÌNH NỘI BỘ THỦ TỤC HÀNH CHÍNH SỬA ĐỔI, BỔ SUNG"
    )
    # "NGHỊ ĐỊNHQuy định về ...": the type run into the title
    doc = load_document(realdocs / "realdoc-092.txt")
    assert doc.doc_type == "Nghị định" and doc.title.startswith("Quy định về chính sách hỗ trợ")
    assert doc.issuer == "Chính phủ"  # from the number 09/2025/NĐ-CP: the header lost it


def test_a_form_is_no_official_document(realdocs):
    doc = load_document(realdocs / "realdoc-015.txt")  # "Mẫu số 26 ... ĐƠN ĐỀ NGHỊ ..."
    assert not doc.official and not doc.tasks
    assert [f.code for f in doc.findings] == ["not-official-document"]


def test_a_document_without_header_still_loads_with_a_finding(realdocs):
    doc = load_document(realdocs / "realdoc-087.txt")  # the copy starts inside the Căn cứ
    assert doc.official and not doc.number
    assert "missing-header" in [f.code for f in doc.findings]


def test_same_number_other_issuers_are_two_documents(realdocs):
    iris = Iris()
    with open(realdocs / "metadata.tsv", encoding="utf-8") as fh:
        rows = [line.split("\t") for line in fh.read().splitlines()[1:]]
    same = [r[0] for r in rows if r[1] == "2828/QĐ-UBND"]
    assert len(same) == 2
    docs = [load_document(realdocs / f) for f in same]
    assert {d.number for d in docs} == {"2828/QĐ-UBND"}
    assert len({d.jurisdiction for d in docs}) == 2
    assert len({document_iri(d, iris) for d in docs}) == 2


def test_realdocs_header_fields_reach_097(realdocs):
    """Every header field matches the portal's metadata for at least 97 % of documents."""
    from bench.realdocs import header_scores

    scores, failures, n = header_scores(realdocs)
    assert n == 162 and failures == []
    for name, score in scores.items():
        assert score.share >= 0.97, (name, score.matched, score.total, score.misses)


# --------------------------------------------------------------------- own fixtures


def test_run_together_header():
    doc = load_document(HEADERS / "run-together.txt")
    assert _header(doc) == ("45/KH-UBND", "Kế hoạch", "2025-10-03", "Lâm Đồng",
                            "Ủy ban nhân dân tỉnh Lâm Đồng", "tỉnh Lâm Đồng")  # fmt: skip
    assert doc.title == "Phát triển du lịch nông thôn giai đoạn 2026 - 2030"
    assert (doc.signer, doc.signer_title) == (
        "Trần Hồng Thái",
        "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
    )
    assert doc.recipients == ["Bộ Văn hóa, Thể thao và Du lịch", "TT Tỉnh ủy", "Lưu: VT, KGVX"]


def test_markdown_html_letter_of_a_department():
    doc = load_document(HEADERS / "markdown-html-letter.md")
    assert _header(doc) == ("1207/SYT-KHTC", "Công văn", "2025-11-14", "Đà Nẵng",
                            "Sở Y tế thành phố Đà Nẵng", "thành phố Đà Nẵng")  # fmt: skip
    assert doc.issuer_parent == "Ủy ban nhân dân thành phố Đà Nẵng"
    assert doc.subject == "rà soát nhu cầu trang thiết bị y tế năm 2026"
    assert (doc.signer, doc.signer_title) == ("Lê Thị Bích Ngọc", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC")


def test_pipe_rows_and_a_title_broken_inside_a_word_pair():
    doc = load_document(HEADERS / "pipe-rows.md")
    assert _header(doc) == ("118/2025/TT-BTC", "Thông tư", "2025-11-20", "Hà Nội",
                            "Bộ Tài chính", "Việt Nam")  # fmt: skip
    assert doc.title == "QUY ĐỊNH MỨC THU, CHẾ ĐỘ THU, NỘP PHÍ THẨM ĐỊNH HỒ SƠ"
    assert (doc.signer, doc.signer_title) == ("Cao Anh Tuấn", "KT. BỘ TRƯỞNG / THỨ TRƯỞNG")


def test_issuer_cell_cut_in_the_copy():
    doc = load_document(HEADERS / "cut-issuer-tab.txt")
    assert _header(doc) == ("2828/QĐ-UBND", "Quyết định", "2025-11-07", "Gia Lai",
                            "Ủy ban nhân dân tỉnh Gia Lai", "tỉnh Gia Lai")  # fmt: skip
    assert doc.title == "VỀ VIỆC PHÊ DUYỆT DANH MỤC NHIỆM VỤ KHOA HỌC CẤP TỈNH NĂM 2026"


def test_an_article_is_reported_not_turned_into_a_plan():
    doc = load_document(HEADERS / "article.txt")
    assert not doc.official and not doc.tasks and not doc.number
    assert [f.code for f in doc.findings] == ["not-official-document"]


def test_a_damaged_header_says_what_is_missing(tmp_path):
    text = (HEADERS / "run-together.txt").read_text(encoding="utf-8")
    damaged = tmp_path / "no-number.txt"
    damaged.write_text(text.replace("Số: 45/KH-UBND ", ""), encoding="utf-8")
    doc = load_document(damaged)
    assert doc.number == "" and doc.date == "2025-10-03" and doc.issuer
    assert "missing-number" in [f.code for f in doc.findings]


def test_local_numbers_are_scoped_national_ones_are_not():
    gia_lai = load_document(HEADERS / "cut-issuer-tab.txt")
    tt = load_document(HEADERS / "pipe-rows.md")
    assert str(document_iri(gia_lai, Iris())).endswith("/doc/qd/2828-qd-ubnd-tinh-gia-lai/2025")
    assert str(document_iri(tt, Iris())).endswith("/doc/tt/118-2025-tt-btc/2025")


def test_a_local_number_cited_alone_resolves_in_the_citers_jurisdiction(tmp_path):
    text = (
        (HEADERS / "run-together.txt")
        .read_text(encoding="utf-8")
        .replace(
            "Căn cứ Quyết định số 922/QĐ-TTg ngày 02 tháng 8 năm 2022 của Thủ tướng Chính phủ;",
            "Căn cứ Quyết định số 922/QĐ-TTg ngày 02 tháng 8 năm 2022 của Thủ tướng Chính phủ;\n"
            "Căn cứ Kế hoạch số 12/KH-UBND ngày 10 tháng 01 năm 2025 của Ủy ban nhân dân tỉnh;",
        )
    )
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    cited = {c.target.number: c.target.jurisdiction for c in doc.citations}
    assert cited == {"922/QĐ-TTg": "", "12/KH-UBND": "tỉnh Lâm Đồng"}


def test_same_text_twice_is_loaded_once_and_reported(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b-copy.txt"):
        (folder / name).write_bytes((HEADERS / "run-together.txt").read_bytes())
    (folder / "c.txt").write_bytes((HEADERS / "cut-issuer-tab.txt").read_bytes())
    store = open_store(memory=True)
    report = build([folder], store)
    assert report.documents == 2 and report.exit_code == 0
    assert [(d["file"], d["same_as"]) for d in report.duplicates] == [("b-copy.txt", "a.txt")]
