"""Damaged copies of real documents load to the same records; unreadable input fails clearly."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest
from obligraph.loaders import load_document

import obligraph
from obligraph.base.errors import InputError

F704 = "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt"
F4063 = "qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.txt"


def _facts(doc):
    """What a document says, without where the file lies or its bytes."""
    return (
        (doc.number, doc.doc_type, doc.date, doc.place, doc.issuer, doc.signer, doc.title),
        sorted((c.relation, c.target.number, c.target.date, c.span.line_start)
               for c in doc.citations),
        [(t.task_id, t.text, t.span.line_start, t.span.line_end,
          [(a.unit.canonical, a.role, a.modality) for a in t.assignments]) for t in doc.tasks],
        [(i.indicator_id, i.measure, [(g.year, g.value, g.comparator) for g in i.targets])
         for i in doc.indicators],
        [(d.date, d.month_day, d.recurrence) for d in doc.deadlines],
        sorted((f.code, f.span.line_start if f.span else 0) for f in doc.findings),
    )  # fmt: skip


def _text(name: str) -> str:
    return (obligraph.corpus_dir() / name).read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str, name: str = "doc.txt", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


@pytest.mark.parametrize("name", [F704, F4063])
@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda t: t, id="clean-copy"),
        pytest.param(lambda t: unicodedata.normalize("NFD", t), id="nfd"),
        pytest.param(lambda t: t.replace(" ", "\u00a0", 400), id="nbsp"),
        pytest.param(lambda t: t.replace("Căn cứ", "**Căn cứ**"), id="markdown-bold"),
        pytest.param(lambda t: t.replace("Căn cứ", "<b>Căn cứ</b>"), id="html-tags"),
    ],
)
def test_damaged_text_gives_the_same_records(tmp_path, name, damage):
    clean = load_document(obligraph.corpus_dir() / name)
    damaged = load_document(_write(tmp_path, damage(_text(name)), name))
    assert _facts(damaged) == _facts(clean)


@pytest.mark.parametrize("name", [F704, F4063])
def test_windows_line_endings_give_the_same_records(tmp_path, name):
    clean = load_document(obligraph.corpus_dir() / name)
    assert _facts(load_document(_write(tmp_path, _text(name), name, "\r\n"))) == _facts(clean)


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / F704
    path.write_bytes(codecs.BOM_UTF16_LE + _text(F704).encode("utf-16-le"))
    assert load_document(path).number == "704/QĐ-LĐTBXH"


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_document(path)
    assert info.value.file and Path(info.value.file).name == path.name
    assert path.name in str(info.value)
    return info.value


def test_missing_file(tmp_path):
    assert "no such file" in _error(tmp_path / "nowhere.txt").message


def test_empty_and_blank_files(tmp_path):
    assert "empty" in _error(_write(tmp_path, "", "empty.txt")).message
    assert "empty" in _error(_write(tmp_path, "\n \n\t\n", "blank.txt")).message


def test_binary_file(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary\x00" * 50)
    assert "binary" in _error(path).message


def test_damaged_pdf(tmp_path):
    # PDFs are read (see test_formats.py): a damaged one says so, naming the file
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary\x00" * 50)
    err = _error(path)
    assert "cannot read this PDF" in err.message and err.file == str(path)


def test_legacy_encoding_names_the_line(tmp_path):
    path = tmp_path / "tcvn.txt"
    path.write_bytes("Số: 704/QĐ-LĐTBXH\nngày 22\n".encode() + "Hà Nội".encode("cp1258", "ignore"))
    err = _error(path)
    assert "UTF-8" in err.message
    assert err.line == 3
    assert f"{path.name}:3" in str(err)


def test_truncated_utf8(tmp_path):
    data = _text(F704).encode("utf-8")
    cut = data.index("Bộ".encode()) + 2  # stops inside the three bytes of "ộ"
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:cut])
    err = _error(path)
    assert "UTF-8" in err.message and err.line is not None


def test_invalid_utf16(tmp_path):
    path = tmp_path / "half.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "Số".encode("utf-16-le") + b"\x00\xd8")
    assert "UTF-16" in _error(path).message


def test_a_directory_is_not_a_document(tmp_path):
    assert "not a regular file" in _error(tmp_path).message


def test_tcvn3_text_is_refused_with_the_conversion(tmp_path):
    # text typed with a TCVN3 (ABC) font, saved as Unicode: its glyphs, not Vietnamese letters
    path = tmp_path / "abc.txt"
    path.write_text("Qu¶n lý nhµ n­íc vÒ trÎ em\nSè: 12/KH-UBND\n", encoding="utf-8")
    err = _error(path)
    assert "TCVN3" in err.message and "Unicode" in err.message and err.file == str(path)


def test_legacy_bytes_name_a_conversion(tmp_path):
    path = tmp_path / "vni.txt"
    path.write_bytes(b"So\xe1: 12/KH-UBND\n")
    assert "TCVN3/ABC or VNI" in _error(path).message


# ------------------------------------------------------------------ memory per input
# One document's text is limited (OBLIGRAPH_MAX_TEXT_MB, 4 MiB by default): memory grows
# with the text (bench/input_memory.py). The bundled 4063/QĐ-UBND is 0.07 MiB of text (74,616
# bytes), 923/QĐ-LĐTBXH 0.009 MiB.


def test_text_over_the_limit_is_refused_before_it_is_read(monkeypatch, tmp_path):
    from obligraph.graph.build import build
    from obligraph.graph.stores import open_store
    from obligraph.loaders import load_document

    monkeypatch.setenv("OBLIGRAPH_MAX_TEXT_MB", "0.05")
    big = obligraph.corpus_dir() / "qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.txt"
    refused = r"too large for one document \(0\.07 MiB; limit 0\.05 MiB"
    with pytest.raises(InputError, match=refused) as err:
        load_document(big)
    assert err.value.file == str(big)
    small = obligraph.corpus_dir() / "qd-923-ldtbxh-2020-ke-hoach-chi-thi-23-ct-ttg.txt"
    assert load_document(small).number == "923/QĐ-LĐTBXH"  # 0.009 MiB: under the limit
    store = open_store(memory=True)
    report = build([big, small], store)  # the big one reported, the other loaded
    assert report.documents == 1 and [f.file for f in report.failed] == [big.name]
    assert "OBLIGRAPH_MAX_TEXT_MB" in report.failed[0].reason


def test_word_text_over_the_limit_is_refused(monkeypatch):
    from obligraph.loaders.formats import read_source

    monkeypatch.setenv("OBLIGRAPH_MAX_TEXT_MB", "0.05")
    docx = Path(__file__).parent / "data" / "formats"
    with pytest.raises(InputError, match="too large for one document"):
        read_source(docx / "qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.docx")
    monkeypatch.setenv("OBLIGRAPH_MAX_TEXT_MB", "not a number")
    with pytest.raises(InputError, match="OBLIGRAPH_MAX_TEXT_MB is not a number"):
        read_source(docx / "qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.docx")
