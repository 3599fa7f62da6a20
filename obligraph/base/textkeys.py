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

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """Unicode NFC; what every label and output keeps."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d), collapse spaces: a search key.

    Never shown to people; labels keep their diacritics.
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text.lower()).strip()


def slug(text: str) -> str:
    """A readable IRI segment: folded, non-alphanumerics to ``-``."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-")
