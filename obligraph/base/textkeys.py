r"""Text keys: NFC for what people read, folded forms only for search and IRIs.

>>> nfc("Tre\u0309 em") == "Trẻ em"
True
>>> fold("Cục Trẻ Em")
'cuc tre em'
>>> fold("Đoàn TNCSHCM")
'doan tncshcm'
>>> slug("23/QĐ-TTg")
'23-qd-ttg'
>>> slug("Sở Lao động - Thương binh và Xã hội")
'so-lao-dong-thuong-binh-va-xa-hoi'
"""

from __future__ import annotations

import functools
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """Unicode NFC; what every label and output keeps."""
    return unicodedata.normalize("NFC", text)


class _FoldTable(dict):
    """``str.translate`` table filled as characters are met: each character without its
    nonspacing marks (``Mn`` of its NFD form); đ and Đ to d and D."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            folded = "d" if ch == "đ" else "D"
        else:
            nfd = unicodedata.normalize("NFD", ch)
            folded = "".join(c for c in nfd if unicodedata.category(c) != "Mn")
        self[code] = folded
        return folded


_FOLD = _FoldTable()


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d), collapse spaces: a search key.

    Never shown to people; labels keep their diacritics. Character by character through
    one table (the same keys as folding the NFD form of the whole text, 3x faster) and
    remembered: the loaders fold the same words and unit names again and again.

    >>> fold("  Tre\u0309 em  ĐỒNG Tháp ")
    'tre em dong thap'
    """
    return " ".join(text.translate(_FOLD).lower().split())


def slug(text: str) -> str:
    """A readable IRI segment: folded, non-alphanumerics to ``-``."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-")


# The folding of the named query task-search, step for step: LCASE, then each REPLACE of
# its text (combining marks dropped, Vietnamese vowels to their base letter, đ to d),
# then runs of white space to one space, then one leading and one trailing space dropped.
_WORD_STEPS = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        ("[\u0300-\u036f]", ""),
        ("[àáạảãâầấậẩẫăằắặẳẵ]", "a"),
        ("[èéẹẻẽêềếệểễ]", "e"),
        ("[ìíịỉĩ]", "i"),
        ("[òóọỏõôồốộổỗơờớợởỡ]", "o"),
        ("[ùúụủũưừứựửữ]", "u"),
        ("[ỳýỵỷỹ]", "y"),
        ("đ", "d"),
    )
)
# \s of the query engine's regular expressions: Unicode White_Space (Python's \s differs)
_WHITE_SPACE = re.compile("[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_ONE_END_SPACE = re.compile("^ | $")


def fold_words(text: str) -> str:
    """The folded form task-search compares (``queries/task-search.rq``): what its
    SPARQL folding gives, computed in Python (the words before the query, the task
    texts at build time).

    >>> fold_words("  Trẻ em  bị XÂM HẠI\\n"), fold_words("Đoàn\u00a0 TNCS")
    ('tre em bi xam hai', 'doan tncs')
    """
    out = text.lower()
    for pattern, repl in _WORD_STEPS:
        out = pattern.sub(repl, out)
    return _ONE_END_SPACE.sub("", _WHITE_SPACE.sub(" ", out))
