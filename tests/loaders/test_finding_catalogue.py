"""The finding catalogue (obligraph/base/data/findings.toml) words every finding the loaders emit.

Every code emitted on the bundled corpus and on ``../shared/realdocs/`` (read in place;
skipped where absent) has a Vietnamese and an English text and a severity, and each
finding carries the details its text names, so a page never shows "—" for a detail
the loader knew, nor an English message on a Vietnamese page.
"""

from __future__ import annotations

import re
import string
import unicodedata

import pytest

from obligraph.base.finding_codes import catalogue, render, title

#: Codes written by graph/analysis/succession.py rather than by a loader.
GRAPH_CODES = {"uncertain-succession", "no-successor"}


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _check(findings) -> set[str]:
    codes = set()
    for f in findings:
        codes.add(f.code)
        entry = catalogue().get(f.code)
        assert entry is not None, f"{f.code} is not in obligraph/base/data/findings.toml"
        assert not f.variant or f.variant in entry.variants, (f.code, f.variant)
        for lang in ("vi", "en"):
            template = entry.template(lang, f.variant)
            assert template, (f.code, f.variant, lang)
            missing = _fields(template) - set(f.args)
            assert not missing, f"{f.code}: the loader gives no {sorted(missing)} ({f.message})"
            text = render(f.code, f.args, lang, f.variant)
            assert "{" not in text and "None" not in text, text
            assert unicodedata.is_normalized("NFC", text)
    return codes


def test_every_entry_has_both_texts_and_a_severity():
    for code, entry in catalogue().items():
        assert entry.severity in ("error", "warning", "info"), code
        assert title(code, "vi") and title(code, "en"), code
        for texts in (entry.texts, *entry.variants.values()):
            assert texts.get("vi") and texts.get("en"), code
            assert _fields(texts["vi"]) == _fields(texts["en"]), code
    severity = {code: entry.severity for code, entry in catalogue().items()}
    assert severity["number-mismatch"] == "error" and severity["relabelled"] == "info"


def test_the_catalogue_file_is_nfc():
    from importlib.resources import files

    text = files("obligraph.base.data").joinpath("findings.toml").read_text("utf-8")
    assert unicodedata.is_normalized("NFC", text)


def test_corpus_findings_are_all_worded(corpus_docs):
    codes = _check(f for doc in corpus_docs for f in doc.findings)
    assert {"lead-and-support", "relabelled", "missing-annex", "number-mismatch"} <= codes


def test_corpus_vietnamese_messages_carry_the_details(corpus_docs):
    doc = next(d for d in corpus_docs if d.source_file.startswith("qd-704"))
    both = next(f for f in doc.findings if f.code == "lead-and-support")
    vi = render(both.code, both.args, "vi", both.variant)
    assert vi == "Vụ Pháp chế vừa chủ trì vừa phối hợp ở phụ lục, mục 2, điểm c"
    mismatch = next(f for f in doc.findings if f.code == "number-mismatch")
    assert "17/QĐ-LĐTBXH" in render(mismatch.code, mismatch.args, "vi")


def test_graph_codes_are_in_the_catalogue():
    assert GRAPH_CODES <= set(catalogue())
    args = {"unit": "Cục Trẻ em", "kind": "merger", "after": "Cục Bà mẹ và Trẻ em"}
    assert render("uncertain-succession", args, "vi") == (
        "thay đổi của Cục Trẻ em năm 2025 (sáp nhập, sang Cục Bà mẹ và Trẻ em) chưa dựa trên "
        "nguồn nào được đọc ở đây: cần kiểm tra"
    )


@pytest.mark.parametrize("part", range(4))
def test_realdocs_findings_are_all_worded(realdocs, gazetteer, part):
    from obligraph.loaders import load_document

    files = sorted(realdocs.glob("realdoc-*.txt"))[part::4]
    codes: set[str] = set()
    for path in files:
        codes |= _check(load_document(path, gazetteer=gazetteer).findings)
    assert codes and all(re.fullmatch(r"[a-z-]+", c) for c in codes)
