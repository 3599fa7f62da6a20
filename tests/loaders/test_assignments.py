"""Who leads, who supports: task tables, prose duties and units in the issuer's jurisdiction.

Expectations are hand annotations read off the documents (never loader output):
``tests/loaders/expected/realdocs/`` for real documents of ``../shared/realdocs/``
(read in place; skipped where the folder is absent) and
``tests/loaders/data/layouts/*.expected.tsv`` for the project's own fixtures; see
their READMEs. The measure is the one ``bench/realdocs.py`` prints.
"""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
from obligraph.loaders import load_document
from obligraph.loaders.divisions import find_province, successor_of
from obligraph.loaders.normalise import clean
from obligraph.loaders.reader import read_lines
from obligraph.loaders.tables import header_roles, is_non_task_header, read_tables, split_row

from bench.realdocs import expectation_sets, read_expected, score_assignments

LAYOUTS = Path(__file__).parent / "data" / "layouts"


def _f1(sets) -> float:
    scores = [score_assignments(doc, read_expected(exp), kind) for _n, doc, exp, kind in sets]
    tp = sum(s.correct for s in scores)
    p = tp / max(1, sum(s.predicted for s in scores))
    r = tp / max(1, sum(s.expected for s in scores))
    return 2 * p * r / (p + r) if p + r else 0.0


def test_layout_fixtures_reach_095():
    sets = [s for s in expectation_sets(None) if s[0] == "layout fixtures"]
    assert len(sets) == 4
    assert _f1(sets) >= 0.95


@pytest.mark.parametrize("stem", ["kh-so-thutuc-nhom", "kh-two-tables", "qd-district-budget",
                                  "kh-no-support"])  # fmt: skip
def test_each_layout_fixture_reaches_095(stem):
    score = score_assignments(
        LAYOUTS / f"{stem}.txt", read_expected(LAYOUTS / f"{stem}.expected.tsv"), "tables"
    )
    assert score.f1 >= 0.95, (score.misses, score.extras)


def test_realdocs_task_tables_reach_095(realdocs):
    sets = [s for s in expectation_sets(realdocs) if s[0] == "realdocs tables"]
    assert len(sets) == 3
    assert _f1(sets) >= 0.95


def test_realdocs_prose_duties_reach_090(realdocs):
    sets = [s for s in expectation_sets(realdocs) if s[0] == "realdocs prose"]
    assert len(sets) == 3
    assert _f1(sets) >= 0.90


def test_spilled_rows_and_a_number_alone(realdocs):
    # row 3 of 002: "3" alone, the task over five lines, then its other cells (lines 329-335)
    doc = load_document(realdocs / "realdoc-002.txt")
    row = next(t for t in doc.tasks if t.span.line_start == 329)
    assert (row.span.line_start, row.span.line_end) == (329, 335)
    assert row.text.startswith("Phối hợp góp ý Thông tư quy định yêu cầu về cấu trúc")
    leads = [a.unit.canonical for a in row.assignments if a.role == "lead"]
    assert leads == ["Sở Tài chính Thành phố Hồ Chí Minh"]
    assert row.output == "Thông tư"
    # line 364: another task of row 2 whose number cell is merged with the row above
    merged = next(t for t in doc.tasks if t.span.line_start == 364)
    assert [a.unit.mention for a in merged.assignments] == [
        "Sở Khoa học và Công nghệ",
        "Sở Tài chính",
    ]


def test_plain_group_rows_give_tasks_their_path(realdocs):
    doc = load_document(realdocs / "realdoc-001.txt")  # "I. NÂNG CAO NHẬN THỨC ..." as plain lines
    tasks = {t.task_id: t for t in doc.tasks}
    assert tasks["annex-I-1"].heading == "NÂNG CAO NHẬN THỨC VÀ ĐỔI MỚI TƯ DUY"
    assert tasks["annex-IV-11"].parent_id == "annex-IV"
    assert [a.unit.canonical for a in tasks["annex-I-1"].assignments if a.role == "lead"] == [
        "Sở Khoa học và Công nghệ tỉnh Đồng Tháp"  # "Sở KH&CN" in Đồng Tháp's plan
    ]


def test_tables_that_assign_nothing_give_no_tasks(realdocs):
    """Of the numbered tables of realdocs, only the six task tables of three plans assign work:
    lists of administrative procedures, workflow steps, fees and forms give no task."""
    task_tables: set[str] = set()
    numbered = 0
    for path in sorted(glob.glob(str(realdocs / "realdoc-*.txt"))):
        cleaned = clean(read_lines(path))
        for line in cleaned.lines:
            cells = split_row(line)
            if cells and len(cells) >= 3 and cells[0].strip().upper() in ("STT", "TT"):
                numbered += 1
        if read_tables(cleaned):
            task_tables.add(Path(path).name)
    assert numbered > 150
    assert task_tables == {"realdoc-001.txt", "realdoc-002.txt", "realdoc-008.txt"}
    procedures = ["STT", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan thực hiện"]
    assert header_roles(procedures) is not None and is_non_task_header(procedures)
    doc = load_document(realdocs / "realdoc-003.txt")  # a procedure list with "Cơ quan thực hiện"
    assert not [t for t in doc.tasks if t.task_id.startswith("annex")]


def test_a_provinces_units_are_never_another_provinces(realdocs):
    """Across every provincial document of realdocs, no assigned unit names another province
    (a province merged in 2025 counts as its successor)."""
    provinces = set()
    for path in sorted(glob.glob(str(realdocs / "realdoc-*.txt"))):
        doc = load_document(path)
        own = find_province(doc.jurisdiction) if doc.jurisdiction != "Việt Nam" else None
        if own is None:
            continue
        provinces.add(own.name)
        for task in doc.tasks:
            for a in task.assignments:
                other = find_province(a.unit.canonical)
                assert other in (None, own) or successor_of(other) == own, (
                    doc.source_file,
                    a.unit.mention,
                    a.unit.canonical,
                )
    assert len(provinces) >= 10


ROW = "1\tRà soát quy hoạch\tSở Tài chính\tCông an tỉnh; UBND các xã, phường\tQuý IV/2026"


@pytest.mark.parametrize(
    ("issuer", "place", "full"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "Nghệ An", "tỉnh Nghệ An"),
        ("ỦY BAN NHÂN DÂN TỈNH LAI CHÂU", "Lai Châu", "tỉnh Lai Châu"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ", "Cần Thơ", "thành phố Cần Thơ"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "Thành phố Hồ Chí Minh",
         "Thành phố Hồ Chí Minh"),
    ],
)  # fmt: skip
def test_a_bare_department_is_the_issuing_provinces(tmp_path, issuer, place, full):
    text = "\n".join(
        [
            f"{issuer} -------\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
            f"Số: 12/KH-UBND\t{place}, ngày 10 tháng 11 năm 2025",
            "KẾ HOẠCH",
            "Rà soát quy hoạch năm 2026",
            "Căn cứ Luật Quy hoạch ngày 24 tháng 11 năm 2017;",
            "PHỤ LỤC",
            "TT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành",
            ROW,
        ]
    )
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    row = next(t for t in doc.tasks if t.task_id == "annex-1")
    got = [(a.role, a.unit.canonical) for a in row.assignments]
    # (the gazetteer writes Ho Chi Minh City's "Thành phố" with a capital)
    assert [(role, name.lower()) for role, name in got] == [
        ("lead", f"sở tài chính {full}".lower()),
        ("support", f"công an {full}".lower()),
        ("support", "ủy ban nhân dân các xã, phường"),
    ]


def test_a_ministrys_bare_department_means_every_provinces():
    from obligraph.loaders.unit_names import UnitResolver
    from obligraph.loaders.units import Gazetteer

    r = UnitResolver(Gazetteer.default(), "Việt Nam")
    ref = r.resolve("Sở Tài chính")
    assert ref.generic and ref.canonical == "Sở Tài chính các tỉnh, thành phố"
    assert r.resolve("Bộ Y tế").canonical == "Bộ Y tế"


def test_an_html_table_feeds_the_same_table_model():
    doc = load_document(LAYOUTS / "kh-html-table.html")
    assert (doc.number, doc.date, doc.issuer) == (
        "77/KH-UBND",
        "2025-11-12",
        "Ủy ban nhân dân tỉnh Gia Lai",
    )
    rows = {t.task_id: t for t in doc.tasks}
    assert list(rows) == ["annex-I", "annex-I-1", "annex-I-2"]
    assert rows["annex-I"].text == "Quảng bá" and not rows["annex-I"].assignments
    # the web page's own line, where its <tr> opens
    assert doc.locations[rows["annex-I-1"].span.line_start - 1] == "dòng 11"
    assert [(a.role, a.unit.canonical) for a in rows["annex-I-1"].assignments] == [
        ("lead", "Sở Văn hóa, Thể thao và Du lịch tỉnh Gia Lai"),
        ("support", "Sở Khoa học và Công nghệ tỉnh Gia Lai"),  # "...;<br>UBND các xã"
        ("support", "Ủy ban nhân dân các xã"),
    ]
    assert rows["annex-I-1"].timeframe.text == "Quý II/2026"


def test_a_markdown_pipe_table_reads_like_tab_rows(tmp_path):
    text = (LAYOUTS / "qd-district-budget.txt").read_text(encoding="utf-8")
    piped = "\n".join(
        "| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line
        for line in text.splitlines()
    )
    path = tmp_path / "piped.md"
    path.write_text(piped, encoding="utf-8")
    tab = load_document(LAYOUTS / "qd-district-budget.txt")
    pipe = load_document(path)

    def rows(doc):
        return [
            (t.task_id, t.span.line_start, [(a.role, a.unit.canonical) for a in t.assignments])
            for t in doc.tasks
            if t.task_id.startswith("annex")
        ]

    assert rows(pipe) == rows(tab) and len(rows(tab)) == 11
