"""Cells that cannot attack their reader: no control characters, no live formulas.

A task text like ``=HYPERLINK("http://evil.example/x", "…")`` written verbatim into a
CSV or XLSX file becomes a live formula in a spreadsheet; control characters crash
openpyxl and move a terminal's cursor. Every writer of rows (CSV, TSV, XLSX, tables
in a terminal) passes its values through :func:`safe_cell` (OWASP's advice for CSV
injection: a cell that opens with ``= + - @``, TAB or CR gets a leading ``'``); XLSX
cells are also typed as text (:func:`obligraph.output.rowwriters.write_xlsx`). Part of
the foundation: imports nothing of the project.

>>> safe_cell('=HYPERLINK("http://evil.example/x","bấm")')
'\\'=HYPERLINK("http://evil.example/x","bấm")'
>>> safe_cell("Sở Y tế\\x1b[31m đỏ\\x00"), safe_cell(12), safe_cell(None)
('Sở Y tế[31m đỏ', 12, None)
>>> safe_cell("-12.5"), safe_cell("Hàng năm")
("'-12.5", 'Hàng năm')
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def strip_controls(text: str) -> str:
    """Text without C0 control characters (TAB, LF and CR kept)."""
    return _CONTROL.sub("", text)


def safe_cell(value: object) -> object:
    """A value for a CSV/TSV/XLSX cell or a terminal: strings cleaned and defused."""
    if not isinstance(value, str):
        return value
    text = strip_controls(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text
