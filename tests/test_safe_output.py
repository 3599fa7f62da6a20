"""Data out that cannot attack its reader; bad bytes refused wherever they are.

(Issue: safe to serve and to share, items 4 and 5.) A task text that opens like a
spreadsheet formula must reach CSV as text (OWASP: a leading ``'``) and XLSX as a text
cell; control characters after the first kilobytes of a file are refused, naming
their line.
"""

from __future__ import annotations

import csv
import io

import pytest
from obligraph.graph.build import build
from obligraph.graph.export import export_rows
from obligraph.graph.stores import open_store
from obligraph.loaders import load_document
from obligraph.queries import library

from obligraph.base.errors import InputError

EVIL = '=HYPERLINK("http://evil.example/x","Bấm vào đây")'
PLAN = "\n".join(
    [
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 7/KH-UBND\tLai Châu, ngày 3 tháng 3 năm 2026",
        "KẾ HOẠCH",
        "Trồng rừng",
        "Căn cứ Luật Lâm nghiệp ngày 15 tháng 11 năm 2017;",
        "PHỤ LỤC",
        "TT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp",
        f"1\t{EVIL}\tSở Nông nghiệp và Môi trường\t@SUM(1+1)",
        "2\t+Trồng cây phân tán\tSở Tài chính\t",
    ]
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evil")
    (folder / "plan.txt").write_text(PLAN, encoding="utf-8")
    s = open_store(memory=True)
    build([folder / "plan.txt"], s)
    return s


def test_csv_export_defuses_formulas(store, tmp_path):
    out = tmp_path / "o.csv"
    export_rows(store, "obligations", "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    texts = {r["task_text"] for r in rows}
    assert "'" + EVIL in texts and "'+Trồng cây phân tán" in texts
    assert not any(t.startswith(("=", "+", "@")) for t in texts)


def test_xlsx_cells_are_text_not_formulas(store, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "o.xlsx"
    export_rows(store, "obligations", "xlsx", out)
    cells = [c for row in load_workbook(out).active.iter_rows(min_row=2) for c in row]
    evil = [c for c in cells if c.value == EVIL]
    assert evil and all(c.data_type == "s" for c in evil)
    assert not [c for c in cells if c.data_type == "f"]


def test_query_csv_and_tsv_defuse_formulas(store):
    res = store.query(
        "PREFIX ob: <https://w3id.org/obligraph/ontology#> SELECT ?t WHERE { ?x ob:text ?t }"
    )
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        text = library.render(res, fmt)
        values = {r[0] for r in csv.reader(io.StringIO(text), delimiter=delimiter)}
        assert "'" + EVIL in values and "'+Trồng cây phân tán" in values
        assert not any(v.startswith(("=", "+", "@")) for v in values)


@pytest.mark.parametrize(("bad", "what"), [("\x1b[31m", "001B"), ("\x00", "0000")])
def test_control_characters_anywhere_are_refused_with_their_line(tmp_path, bad, what):
    lines = [f"Dòng {n}: nội dung bình thường của văn bản." for n in range(1, 400)]
    lines[299] += bad  # far beyond the first 8 KiB
    path = tmp_path / "late.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_document(path)
    assert err.value.line == 300 and what in err.value.message
