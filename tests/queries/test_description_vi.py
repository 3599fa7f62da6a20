"""Each named query says what it answers in Vietnamese too (``# description-vi:``),
and the Vietnamese query pages show it; ``query --list`` is unchanged."""

from __future__ import annotations

import unicodedata

from obligraph.queries.library import catalogue, parse_query

VIETNAMESE = set("ăâđêôơưáàảãạếềểễệốồổỗộớờởỡợứừửữựíìỉĩịúùủũụýỳỷỹỵéèẻẽẹóòỏõọ")


def test_every_named_query_has_a_vietnamese_description():
    for q in catalogue():
        text = q.description_vi
        assert text, q.name
        assert unicodedata.is_normalized("NFC", text), q.name
        assert VIETNAMESE & set(text.lower()), q.name  # written with its diacritics
        assert text != q.description and q.describe("vi") == text
        assert q.describe("en") == q.description


def test_description_vi_lines_are_not_the_english_description():
    q = parse_query(
        "# title: T\n# description: One.\n# description: Two.\n# description-vi: Một.\nASK {}",
        name="demo",
    )
    assert q.description == "One. Two." and q.description_vi == "Một."
