"""Read a document file into normalised lines, or fail with a clear error.

The reader decodes (UTF-8, UTF-8 with BOM, UTF-16 with BOM), refuses what is not
text, and normalises what would otherwise break matching while keeping line
numbers exactly as on disk: Windows and old-Mac line endings, NFD to NFC,
non-breaking and zero-width spaces. Markup (markdown bold, HTML tags) is left to
:mod:`obligraph.loaders.normalise` so the quoted source keeps what was written.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = p.write_bytes("Số: 704 /QĐ-LĐTBXH\\r\\nHà\\u00a0Nội\\r\\n".encode())
>>> read_lines(p)
['Số: 704 /QĐ-LĐTBXH', 'Hà Nội']
>>> _ = p.write_bytes(b"")
>>> read_lines(p)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
obligraph.base.errors.InputError: ...a.txt: file is empty
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from pathlib import Path

from obligraph.base.errors import InputError

MAX_BYTES = 20 * 1024 * 1024  # a policy document is kilobytes; 20 MiB is surely not one
#: Text one document may hold, in MiB (``$OBLIGRAPH_MAX_TEXT_MB`` to change it). Memory
#: grows with the text (about 170 MiB per MiB while a document is read and turned into
#: RDF: ``python bench/input_memory.py``); the largest of 162 real documents holds 0.3 MiB.
MAX_TEXT_MB = 4.0


def max_text_mb() -> float:
    """The text limit of one document, in MiB (``$OBLIGRAPH_MAX_TEXT_MB`` or 4).

    >>> max_text_mb()
    4.0
    """
    raw = os.environ.get("OBLIGRAPH_MAX_TEXT_MB", "")
    try:
        return float(raw) if raw.strip() else MAX_TEXT_MB
    except ValueError:
        raise InputError(f"OBLIGRAPH_MAX_TEXT_MB is not a number: {raw!r}") from None


def check_text_size(size: int, name: str) -> None:
    """Refuse a document whose text is over the limit, before memory is spent on it."""
    limit = max_text_mb()
    if size > limit * 2**20:
        raise InputError(
            f"the text is too large for one document ({size / 2**20:.2f} MiB; limit "
            f"{limit:g} MiB, about 170 MiB of memory per MiB; set "
            "OBLIGRAPH_MAX_TEXT_MB to raise it)",
            file=name,
        )


_ODD_SPACES = re.compile("[\u00a0\u2007\u202f\u2000-\u200a\u3000]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")  # TAB, VT, FF allowed; CR/LF split lines
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def decode(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 or UTF-16 (with BOM), refusing binary input."""
    if not data.strip():
        raise InputError("file is empty", file=name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid UTF-16 at byte {exc.start}", file=name) from None
    if b"\x00" in data[:8192]:
        raise InputError("binary file (NUL bytes), not a text document", file=name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at byte {exc.start}); "
            "save the file as UTF-8 or UTF-16 (text typed in an old Vietnamese encoding, "
            f"TCVN3/ABC or VNI, must be converted to Unicode first: {_CONVERT})",
            file=name,
            line=line,
        ) from None


# Letters TCVN3 (ABC) fonts put where Vietnamese letters should be: text in that encoding,
# read as Unicode, is full of them ("Qu¶n lý nhµ n­íc")
_TCVN3 = re.compile("[¸µ¶·¹¨¾»¼½Æ¡¢£¤¥¦§©ª«¬®°±²³´ÝÞãÐÑÒÓÔÕÖ×ØÙÚÛÜßàáâäåæçèéêëìíîïðñòóôõö÷øùúûüýþ]")
_CONVERT = "UniKey's converter (Công cụ chuyển mã) does it"


def legacy_encoding(text: str) -> str:
    """ "TCVN3" when a text reads like TCVN3 (ABC) glyphs rather than Vietnamese, else "".

    >>> legacy_encoding("Qu¶n lý nhµ n­íc vÒ trÎ em"), legacy_encoding("Quản lý nhà nước")
    ('TCVN3', '')
    """
    sample = text[:20000]
    odd = len(_TCVN3.findall(sample))
    vietnamese = sum(1 for ch in sample if "\u1ea0" <= ch <= "\u1ef9" or ch in "ơưăđƠƯĂĐ")
    return "TCVN3" if odd >= 3 and odd > 2 * vietnamese else ""


def normalise_line(line: str) -> str:
    """NFC, odd spaces to plain spaces, zero-width characters removed, right-stripped."""
    line = unicodedata.normalize("NFC", line)
    line = _ZERO_WIDTH.sub("", line)
    line = _ODD_SPACES.sub(" ", line)
    return line.rstrip(" \f\v")


def read_lines(path: str | Path) -> list[str]:
    """Read ``path`` into normalised lines; line ``i`` of the file is ``result[i - 1]``."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError("no such file", file=name)
    if not path.is_file():
        raise InputError("not a regular file", file=name)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"file is too large ({size:,} bytes; limit {MAX_BYTES:,})", file=name)
    check_text_size(size, name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", file=name) from None
    text = decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [normalise_line(line) for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    if not any(lines):
        raise InputError("file is empty", file=name)
    if legacy_encoding(text):
        raise InputError(
            "the text is in the old TCVN3 (ABC) encoding, not Unicode: convert it to Unicode "
            f"first ({_CONVERT}) and load the converted file",
            file=name,
        )
    controls = sum(1 for ch in text[:4096] if unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    if controls > 8:
        raise InputError("binary file (control characters), not a text document", file=name)
    for n, line in enumerate(lines, 1):  # the whole file, not only its first bytes
        bad = _CONTROL.search(line)
        if bad:
            raise InputError(
                f"control character U+{ord(bad.group()):04X} in the text: not a text document "
                "(binary data, or a terminal escape code)",
                file=name,
                line=n,
            )
    return lines
