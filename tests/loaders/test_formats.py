"""Word, PDF and saved web pages load to the same records as their text.

The fixtures in ``tests/loaders/data/formats/`` were made the way users' files are made
(``scripts/make_format_fixtures.py``): each bundled document written as an HTML page with
its annexes as real tables, then converted to .docx and .pdf by LibreOffice (headless,
from Debian). Each must give the same header, tasks (ids, lead and support units) and
indicators as the bundled text, with provenance that fits its format.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from obligraph.graph.build import build
from obligraph.graph.stores import open_store
from obligraph.loaders import load_document
from obligraph.loaders.formats import read_source

import obligraph
from obligraph.base.errors import InputError

FORMATS = Path(__file__).parent / "data" / "formats"
CORPUS = sorted(p.stem for p in obligraph.corpus_dir().glob("*.txt"))


def signature(doc):
    header = (doc.number, doc.doc_type, doc.date, doc.issuer, doc.signer, doc.jurisdiction)
    tasks = sorted(
        (
            t.task_id,
            tuple(sorted(a.unit.canonical for a in t.assignments if a.role == "lead")),
            tuple(sorted(a.unit.canonical for a in t.assignments if a.role == "support")),
            " ".join(t.text.split()),
        )
        for t in doc.tasks
    )
    indicators = sorted(
        (i.indicator_id, tuple((x.year, x.value, x.comparator) for x in i.targets))
        for i in doc.indicators
    )
    return header, tasks, indicators


@pytest.fixture(scope="module")
def text_signatures():
    return {stem: signature(load_document(obligraph.corpus_dir() / f"{stem}.txt"))
            for stem in CORPUS}  # fmt: skip


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
@pytest.mark.parametrize("stem", CORPUS)
def test_each_format_loads_like_its_text(text_signatures, stem, fmt):
    doc = load_document(FORMATS / f"{stem}.{fmt}")
    header, tasks, indicators = signature(doc)
    want_header, want_tasks, want_indicators = text_signatures[stem]
    assert header == want_header
    assert indicators == want_indicators
    assert [t[:3] for t in tasks] == [t[:3] for t in want_tasks]  # ids, leads, supports
    if fmt != "pdf":  # a PDF may hyphenate or space a word of running text differently
        assert [t[3] for t in tasks] == [t[3] for t in want_tasks]
    assert doc.source_format == fmt
    assert len(doc.locations) == doc.line_count


def test_provenance_fits_the_format():
    pdf = load_document(FORMATS / "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.pdf")
    row = next(t for t in pdf.tasks if t.task_id == "annex-2-a")
    where = pdf.locations[row.span.line_start - 1]
    assert where.startswith("trang ") and ", bảng " in where and ", hàng " in where
    docx = load_document(FORMATS / "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.docx")
    row = next(t for t in docx.tasks if t.task_id == "annex-2-a")
    where = docx.locations[row.span.line_start - 1]
    assert where.startswith("bảng ") and ", hàng " in where
    head = docx.header_span
    assert docx.locations[head.line_start - 1] == "đoạn 3"  # "Số: 704 /QĐ-LĐTBXH"
    assert head.text.startswith("Số: 704 /QĐ-LĐTBXH")
    html = load_document(FORMATS / "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.html")
    assert html.locations[0].startswith("dòng ")


def test_a_word_table_is_read_as_a_grid():
    src = read_source(FORMATS / "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.docx")
    tables: list[list[list[str]]] = []
    for line, where in zip(src.lines, src.locations, strict=True):
        if "\t" in line:
            if where.endswith("hàng 1"):
                tables.append([])
            tables[-1].append(line.split("\t"))
    annex = next(t for t in tables if t[0][:2] == ["TT", "NỘI DUNG"])
    assert annex[0][2:4] == ["Đơn vị chủ trì", "Đơn vị phối hợp"]
    assert all(len({len(r) for r in t}) == 1 for t in tables)  # every row as wide as its grid
    assert sum(len(t) for t in tables) > 30


def test_the_span_location_reaches_the_graph():
    store = open_store(memory=True)
    build([FORMATS / "qd-923-ldtbxh-2020-ke-hoach-chi-thi-23-ct-ttg.pdf"], store)
    rows = store.query(
        "PREFIX ob: <https://w3id.org/obligraph/ontology#> "
        "SELECT ?loc WHERE { GRAPH ?g { ?s ob:location ?loc } }"
    ).dicts()
    assert rows and all(str(r["loc"]).startswith("trang ") for r in rows)


def _pdf_without_text(path: Path) -> None:
    """A one-page PDF with no text layer (what a scanner gives, minus the picture)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))


def test_a_scan_is_refused_with_what_to_do(tmp_path):
    scan = tmp_path / "scan.pdf"
    _pdf_without_text(scan)
    with pytest.raises(InputError, match=r"no text layer.*OCR") as err:
        load_document(scan)
    assert err.value.file == str(scan)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0 word 97", "convert it to .docx"),
        ("fake.docx", b"plain text, not a package", "not a .docx"),
        ("fake.pdf", b"plain text", "not a PDF"),
    ],
)
def test_files_that_are_not_what_they_say(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        load_document(path)


def test_a_mixed_folder_builds(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    stems = {
        "txt": "qd-923-ldtbxh-2020-ke-hoach-chi-thi-23-ct-ttg",
        "docx": "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em",
        "pdf": "qd-406-ldtbxh-2020-ke-hoach-phong-chong-bao-luc-xam-hai",
        "html": "cv-ldtbxh-2020-huong-dan-cong-tac-tre-em",
    }
    for fmt, stem in stems.items():
        src = obligraph.corpus_dir() / f"{stem}.txt" if fmt == "txt" else FORMATS / f"{stem}.{fmt}"
        (folder / f"{stem}.{fmt}").write_bytes(src.read_bytes())
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    report = build([folder], open_store(memory=True))
    assert report.documents == 4
    assert [f.file for f in report.failed] == ["old.doc"] and report.exit_code == 1
