"""The files people keep beside the store: corrections and task statuses (CSV).

Both are plain CSV with a header row, UTF-8 (a BOM is accepted and written, so
Excel shows the Vietnamese correctly), one record per row, so they diff well
under version control. Rows are read with their line number; a bad row is an
:class:`~obligraph.base.errors.InputError` naming the file and the line. Appending
takes an exclusive lock on the file, so the command line and the web app can
add rows at the same time.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "status.csv"
>>> append_row(path, ("task", "status"), {"task": "704/QĐ-LĐTBXH#annex-1-a", "status": "done"})
2
>>> [(line, row["status"]) for line, row in read_rows(path, ("task", "status"), ("task",))]
[(2, 'done')]
"""

from __future__ import annotations

import csv
import fcntl
import io
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from obligraph.base.cells import strip_controls
from obligraph.base.errors import InputError


def parse_date(text: str, *, file: str = "", line: int | None = None) -> date:
    """A date written ``yyyy-mm-dd`` or the Vietnamese ways the loaders read
    (``dd/mm/yyyy``, ``ngày 15 tháng 3 năm 2026``).

    >>> parse_date("15/3/2026"), parse_date("2026-03-15"), parse_date("ngày 15 tháng 3 năm 2026")
    (datetime.date(2026, 3, 15), datetime.date(2026, 3, 15), datetime.date(2026, 3, 15))
    >>> parse_date("31/2/2026")
    Traceback (most recent call last):
    obligraph.base.errors.InputError: not a date: '31/2/2026' (write yyyy-mm-dd or dd/mm/yyyy)
    """
    from obligraph.loaders.dates import parse_date as vietnamese_date

    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        found = vietnamese_date(text)
    if found is None:
        raise InputError(
            f"not a date: {text!r} (write yyyy-mm-dd or dd/mm/yyyy)", file=file or None, line=line
        )
    return date.fromisoformat(found)


def clean(value: str | None) -> str:
    """A cell as text: NFC, control characters removed, outer spaces trimmed."""
    return unicodedata.normalize("NFC", strip_controls(value or "")).strip()


def read_rows(
    path: str | Path, columns: Sequence[str], required: Sequence[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a ledger file as ``(line, {column: text})``; blank rows and ``#`` rows skipped.

    The header must name every column in ``required``; unknown columns are an error
    (a typo would otherwise drop a value silently).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason}", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return
    names = [clean(h).lower() for h in header]
    unknown = [n for n in names if n and n not in columns]
    if unknown:
        raise InputError(
            f"unknown column {unknown[0]!r}; the columns are {', '.join(columns)}",
            file=str(path),
            line=1,
        )
    missing = [c for c in required if c not in names]
    if missing:
        raise InputError(f"the header lacks column {missing[0]!r}", file=str(path), line=1)
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if len(cells) > len(names):
            raise InputError(
                f"{len(cells)} cells where the header has {len(names)}", file=str(path), line=start
            )
        row = {c: "" for c in columns}
        row.update({n: clean(v) for n, v in zip(names, cells, strict=False) if n})
        yield start, row


def append_row(path: str | Path, columns: Sequence[str], row: dict[str, str]) -> int:
    """Append one row (writing the header first when the file is new); its line number."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8", newline="") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            fh.seek(0)
            existing = fh.read()
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            if not existing.strip():
                out.write("\ufeff")
                writer.writerow(columns)
            elif not existing.endswith("\n"):
                out.write("\n")
            writer.writerow([clean(row.get(c, "")) for c in columns])
            fh.write(out.getvalue())
            fh.flush()
            body = existing + out.getvalue()
            return body.rstrip("\n").count("\n") + 1
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
