"""Hand-written documents in layouts the bundled corpus lacks (see data/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from obligraph.loaders import load_document

DATA = Path(__file__).parent / "data"
AG = "tỉnh An Giang"
TNMT = f"Sở Tài nguyên và Môi trường {AG}"


@pytest.fixture(scope="module")
def env():
    return load_document(DATA / "kh-environment-annex.txt")


def _units(task, role):
    return [a.unit.canonical for a in task.assignments if a.role == role]


def test_header_with_short_date(env):
    assert (env.doc_type, env.number, env.date) == ("Kế hoạch", "215/KH-UBND", "2025-09-04")
    assert env.place == "An Giang"
    assert env.issuer == f"Ủy ban nhân dân {AG}"  # "ỦY BAN NHÂN DÂN" / "TỈNH AN GIANG"
    assert env.signer == "Nguyễn Văn Minh"
    assert env.signer_title == "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"


def test_title_opening_with_thuc_hien(env):
    assert env.title.startswith("Thực hiện phân loại chất thải rắn sinh hoạt tại nguồn")


def test_basis_introduced_by_thuc_hien(env):
    assert [(c.relation, c.target.number, c.target.date, c.target.issuer, c.span.line_start)
            for c in env.citations] == [
        ("based_on", "1500/QĐ-TTg", "2024-08-12", "Thủ tướng Chính phủ", 14)
    ]  # fmt: skip
    assert env.citations[0].target.title == "phê duyệt Kế hoạch quốc gia về quản lý chất thải rắn"


def test_annex_with_named_columns_and_roman_groups(env):
    rows = {t.task_id: t for t in env.tasks}
    assert list(rows) == ["annex-I", "annex-I-1", "annex-I-2", "annex-II", "annex-II-1",
                          "annex-II-2"]  # fmt: skip
    assert rows["annex-I-1"].parent_id == "annex-I"
    assert rows["annex-I"].text == "Hoàn thiện thể chế, chính sách về bảo vệ môi trường"
    # another province's "Sở Tư pháp" is never Ho Chi Minh City's
    assert _units(rows["annex-I-1"], "lead") == [TNMT]
    assert _units(rows["annex-I-1"], "support") == [f"Sở Tư pháp {AG}", f"Sở Xây dựng {AG}"]
    assert _units(rows["annex-I-2"], "support")[1] == "Các sở, ban, ngành liên quan"
    assert _units(rows["annex-II-1"], "lead") == [f"Sở Thông tin và Truyền thông {AG}"]
    assert _units(rows["annex-II-2"], "lead") == [f"Sở Giáo dục và Đào tạo {AG}"]
    assert all(
        a.unit.parent == f"Ủy ban nhân dân {AG}"
        for t in env.tasks
        for a in t.assignments
        if a.unit.canonical.endswith(AG)
    )
    assert (rows["annex-I-1"].timeframe.text, rows["annex-I-1"].timeframe.years) == (
        "Tháng 12/2025",
        [2025],
    )
    assert rows["annex-II-1"].timeframe.recurrence == "annual"  # "Hằng năm"
    assert rows["annex-I-1"].output == "Báo cáo rà soát"
    assert rows["annex-I-2"].output == "Quyết định của Ủy ban nhân dân tỉnh"


def test_provincial_youth_union_is_a_unit(env):
    rows = {t.task_id: t for t in env.tasks}
    # the province's own youth union: one node per province, never shared between provinces
    assert _units(rows["annex-II-1"], "support") == [TNMT, "Tỉnh Đoàn An Giang"]


def test_yearly_deadline(env):
    assert [(d.month_day, d.recurrence) for d in env.deadlines] == [("--12-15", "annual")]
