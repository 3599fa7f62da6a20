"""Rows to a stream: CSV, TSV, JSON, XLSX, Markdown, HTML and a plain-text table.

Every writer has one signature, ``write_x(columns, rows, stream, *, title="", sheet="")``:
``rows`` are dicts (keyed by column) or sequences (in column order); text streams for
all but XLSX (a binary stream). One policy for every command:

* cells pass through :func:`~obligraph.base.cells.safe_cell` in CSV, TSV and XLSX (no live
  formula, no control character); text is Unicode NFC (Vietnamese composed);
* lists are ``; ``-joined, lists of records (a document's legal bases) JSON text;
  JSON keeps values as they are (lists stay lists, diacritics unescaped);
* CSV lines end with CRLF (RFC 4180) and TSV lines with LF; TSV is plain (IANA
  ``text/tab-separated-values``): no quoting, a TAB or line break inside a value
  becomes a space. Whether a file starts with a byte-order mark is the caller's
  choice (:mod:`obligraph.output.formats`: CSV and TSV files do, the screen does not).

Part of the foundation: imports nothing of the project but :mod:`obligraph.base.cells`
and :mod:`obligraph.output.render_table`.

>>> import io
>>> out = io.StringIO()
>>> write_tsv(["unit", "role"], [{"unit": "Cục Trẻ em", "role": "lead"}], out)
>>> out.getvalue()
'unit\\trole\\nCục Trẻ em\\tlead\\n'
>>> out = io.StringIO()
>>> write_csv(["task_text"], [["=HYPERLINK(1)"], [["a", "b"]]], out)
>>> out.getvalue()
"task_text\\r\\n'=HYPERLINK(1)\\r\\na; b\\r\\n"
"""

from __future__ import annotations

import csv
import html
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import IO, Any

from obligraph.base.cells import safe_cell, strip_controls


def nfc(value: Any) -> Any:
    """Strings in Unicode NFC (composed Vietnamese), anything else as it is."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def flat(value: Any) -> Any:
    """A value for one cell: lists joined by ``; ``, lists of records as JSON text.

    >>> flat(["23/QĐ-TTg", "1863/QĐ-TTg"]), flat([{"number": "14/2017/NĐ-CP"}]), flat(None)
    ('23/QĐ-TTg; 1863/QĐ-TTg', '[{"number": "14/2017/NĐ-CP"}]', '')
    """
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], dict):
            return nfc(json.dumps(list(value), ensure_ascii=False))
        return nfc("; ".join(map(str, value)))
    if value is None:
        return ""
    return nfc(value)


def as_lists(columns: Sequence[str], rows: Sequence[Mapping | Sequence]) -> list[list[Any]]:
    """Rows as lists in column order (dict rows looked up by column)."""
    return [
        [row.get(c) for c in columns] if isinstance(row, Mapping) else list(row) for row in rows
    ]


def cell_text(value: Any) -> str:
    """What a cell shows as text: flattened, no control characters, floats rounded to 3."""
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if not value.is_integer() else str(value)
    return strip_controls(str(flat(value)))


def write_csv(columns, rows, stream: IO[str], *, title: str = "", sheet: str = "") -> None:
    """CSV (RFC 4180: CRLF line ends, quotes where needed); cells defused."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(columns)
    for row in as_lists(columns, rows):
        writer.writerow([safe_cell(flat(v)) for v in row])


_TSV_BREAKS = re.compile(r"[\t\r\n]+")


def write_tsv(columns, rows, stream: IO[str], *, title: str = "", sheet: str = "") -> None:
    """Plain TSV: one line per row, TAB between cells, no quoting; cells defused."""
    stream.write("\t".join(columns) + "\n")
    for row in as_lists(columns, rows):
        cells = [_TSV_BREAKS.sub(" ", str(safe_cell(flat(v)))) for v in row]
        stream.write("\t".join(cells) + "\n")


def write_json(columns, rows, stream: IO[str], *, title: str = "", sheet: str = "") -> None:
    """A JSON list of objects keyed by column; values kept (lists stay lists)."""
    records = [
        {c: nfc(row.get(c)) for c in columns}
        if isinstance(row, Mapping)
        else {c: nfc(v) for c, v in zip(columns, row, strict=True)}
        for row in rows
    ]
    stream.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")


def _sheet_name(name: str) -> str:
    return (re.sub(r"[\[\]:*?/\\]", " ", name).strip() or "result")[:31]


def write_xlsx(columns, rows, stream: IO[bytes], *, title: str = "", sheet: str = "") -> None:
    """An Excel workbook of one sheet, ready to read: bold frozen header row, an
    autofilter over the table, column widths from the content (at most 60), long
    text wrapped. Every text is a text cell, never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_name(sheet or title)
    ws.append([nfc(c) for c in columns])
    widths = [len(c) for c in columns]
    data = as_lists(columns, rows)
    for r, row in enumerate(data, 2):
        for c, v in enumerate(row, 1):
            value = flat(v)
            if isinstance(value, str):
                cell = ws.cell(row=r, column=c, value=strip_controls(value))
                cell.data_type = "s"  # text, never a formula ("=HYPERLINK(...)")
                longest = max((len(part) for part in value.splitlines()), default=0)
                widths[c - 1] = max(widths[c - 1], longest)
            else:
                ws.cell(row=r, column=c, value=value)
                widths[c - 1] = max(widths[c - 1], len(str(value)))
    wrapped = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for c, width in enumerate(widths, 1):
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = min(width, 60) + 2
        align = wrapped if width > 60 else top
        for (cell,) in ws.iter_rows(min_row=2, min_col=c, max_col=c):
            cell.alignment = align
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(data) + 1, 1)}"
    wb.save(stream)


def _md_cell(value: Any) -> str:
    text = cell_text(value).replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(line.strip() for line in text.splitlines()) or " "


def write_markdown(columns, rows, stream: IO[str], *, title: str = "", sheet: str = "") -> None:
    """A Markdown (GitHub) pipe table under a ``## title`` heading when there is one."""
    data = as_lists(columns, rows)
    if title:
        stream.write(f"## {_md_cell(title)}\n\n")
    stream.write("| " + " | ".join(_md_cell(c) for c in columns) + " |\n")
    stream.write("|" + "|".join(" --- " for _ in columns) + "|\n")
    for row in data:
        stream.write("| " + " | ".join(_md_cell(v) for v in row) + " |\n")
    stream.write(f"\n{len(data)} row(s)\n")


_HTML_CSS = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:1.5rem;"
    "color:#1d2733}table{border-collapse:collapse;font-size:.9rem}"
    "th,td{border:1px solid #c9d1da;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#eef2f6;position:sticky;top:0}tr:nth-child(even) td{background:#f8fafb}"
    "td.n{text-align:right}caption{caption-side:bottom;color:#5b6875;padding:.4rem}"
)


def write_html(columns, rows, stream: IO[str], *, title: str = "", sheet: str = "") -> None:
    """A self-contained HTML page holding one table (inline style, no script, no link)."""
    data = as_lists(columns, rows)
    e = html.escape
    parts = [
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(nfc(title) or 'obligraph')}</title>\n<style>{_HTML_CSS}</style>\n"
        "</head>\n<body>\n"
    ]
    if title:
        parts.append(f"<h1>{e(nfc(title))}</h1>\n")
    parts.append("<table>\n<thead><tr>")
    parts.extend(f"<th>{e(nfc(c))}</th>" for c in columns)
    parts.append("</tr></thead>\n<tbody>\n")
    for row in data:
        parts.append("<tr>")
        for v in row:
            cls = ' class="n"' if isinstance(v, int | float) and not isinstance(v, bool) else ""
            parts.append(f"<td{cls}>{e(cell_text(v))}</td>")
        parts.append("</tr>\n")
    parts.append(f"</tbody>\n<caption>{len(data)} row(s)</caption>\n</table>\n</body>\n</html>\n")
    stream.write("".join(parts))


def write_text(
    columns, rows, stream: IO[str], *, title: str = "", sheet: str = "", width: int = 100
) -> None:
    """The terminal table as plain text (whole words wrapped to ``width`` columns)."""
    from obligraph.output.render_table import render_lines

    data = [[cell_text(v) for v in row] for row in as_lists(columns, rows)]
    if title:
        stream.write(nfc(title) + "\n\n")
    for line in render_lines(columns, data, width):
        stream.write(line + "\n")
    stream.write(f"{len(data)} row(s)\n")
