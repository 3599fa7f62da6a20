"""Documents in the formats people have: text, Word (.docx), PDF and saved web pages (.html).

Every reader gives the same thing, a :class:`Source`: the document as lines, a
table row as one line of TAB-separated cells (the layout the text loaders read,
so the table model and every extractor are shared), and, per line, where it
stands in the original (``locations``): "trang 3, dòng 12" in a PDF, "đoạn 14" or
"bảng 2, hàng 5" in a Word file, "dòng 40" of a web page's HTML. A grid from Word
or a ruled PDF table keeps its cells apart, so nothing spills; a merged cell is
read once (the rows below it hold an empty cell).

* .docx: docx2python (paragraphs with their rendered numbering, tables as grids,
  merged cells empty, footnotes at the end); headers and footers of pages are not read.
* .pdf: pdfplumber (text lines in reading order, ruled tables as grids, running
  headers, footers and page numbers dropped). A PDF with no text layer (a scan) is
  refused: "no text layer: run OCR first".
* .html/.htm: lxml (the element holding the document's text, not the site's
  navigation; blocks as lines, tables as TAB rows).
* .doc (old Word) is refused with the conversion to run.

>>> from pathlib import Path
>>> FORMATS[".docx"].__name__, FORMATS[".pdf"].__name__, FORMATS[".html"].__name__
('read_docx', 'read_pdf', 'read_html')
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from obligraph.loaders.reader import MAX_BYTES, check_text_size, normalise_line, read_lines

from obligraph.base.errors import InputError


@dataclass
class Source:
    """A document as lines (TAB rows for tables) and where each line stands in the original."""

    lines: list[str]
    locations: list[str] = field(default_factory=list)  # "" for a plain text file
    format: str = "text"


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", normalise_line(text.replace("\t", " "))).strip()


def _check(path: Path) -> None:
    if not path.exists():
        raise InputError("no such file", file=str(path))
    if not path.is_file():
        raise InputError("not a regular file", file=str(path))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"file is too large ({size:,} bytes; limit {MAX_BYTES:,})", file=str(path))
    if size == 0:
        raise InputError("file is empty", file=str(path))


def _finish(src: Source, path: Path) -> Source:
    if not any(line.strip() for line in src.lines):
        raise InputError(f"no text in this {src.format.upper()} file", file=str(path))
    check_text_size(sum(len(line.encode()) + 1 for line in src.lines), str(path))
    return src


# ----------------------------------------------------------------------------- Word


def read_docx(path: Path) -> Source:
    """A Word document: paragraphs (with their numbering) and tables as TAB rows."""
    from docx2python import docx2python

    _check(path)
    if not zipfile.is_zipfile(path):
        raise InputError("not a .docx file (not a zip package)", file=str(path))
    lines: list[str] = []
    where: list[str] = []
    paragraph = 0
    tables = 0
    try:
        with docx2python(path, duplicate_merged_cells=False) as doc:
            body = doc.body
            notes = [p for t in doc.footnotes for r in t for c in r for p in c]
    except Exception as exc:  # a damaged package: docx2python raises many kinds
        raise InputError(
            f"cannot read this .docx: {type(exc).__name__}: {exc}", file=str(path)
        ) from None
    for table in body:
        grid = len(table) > 1 or any(len(row) > 1 for row in table)
        if grid:
            tables += 1
            for r, row in enumerate(table, 1):
                cells = [_cell(" ".join(str(p) for p in cell)) for cell in row]
                if any(cells):
                    lines.append("\t".join(cells))
                    where.append(f"bảng {tables}, hàng {r}")
            continue
        for row in table:
            for cell in row:
                for par in cell:
                    paragraph += 1
                    lines.append(_cell(str(par)))
                    where.append(f"đoạn {paragraph}")
    notes = [_cell(str(n)) for n in notes if str(n).strip()]
    for n, note in enumerate(notes, 1):
        lines.append(note)
        where.append(f"chú thích {n}")
    return _finish(Source(lines, where, "docx"), path)


# ----------------------------------------------------------------------------- PDF

# what opens a new item even right under a full line: an article, a section, a numbered
# or lettered item, a bullet
_STARTS_ITEM = re.compile(r"^(?:Điều \d+|[IVX]+\.\s|\d+(?:\.\d+)*\.\s|[a-zđ]\)\s|[-+•]\s|Căn cứ )")
_PAGE_NUMBER = re.compile(r"^(?:-?\s*\d{1,4}\s*-?|Trang\s+\d+(?:\s*/\s*\d+)?|\d+\s*/\s*\d+)$", re.I)


def read_pdf(path: Path) -> Source:
    """A text PDF: lines in reading order, ruled tables as TAB rows, running heads dropped."""
    import pdfplumber

    _check(path)
    with open(path, "rb") as fh:
        if not fh.read(5).startswith(b"%PDF"):
            raise InputError("not a PDF file", file=str(path))
    pages: list[list[tuple[str, str]]] = []  # per page: (line, location)
    try:
        with pdfplumber.open(path) as pdf:
            chars = 0
            columns: list | None = None  # of the table the page before ended in
            for page in pdf.pages:
                chars += len(page.chars)
                after_table = bool(pages and pages[-1] and "\t" in pages[-1][-1][0])
                lines_of_page, columns = _pdf_page(page, columns if after_table else None)
                pages.append(lines_of_page)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(
            f"cannot read this PDF: {type(exc).__name__}: {exc}", file=str(path)
        ) from None
    if chars == 0:
        raise InputError(
            "no text layer (a scanned PDF): run OCR first (for example ocrmypdf) and load its "
            "output",
            file=str(path),
        )
    running = _running_heads(pages)
    lines: list[str] = []
    where: list[str] = []
    for page in pages:
        first_row = True
        for text, loc in page:
            if text and (text in running or _PAGE_NUMBER.match(text)):
                continue
            if first_row and "\t" in text and lines and "\t" in lines[-1] and _continues(text):
                lines[-1] = _merge_rows(lines[-1], text)  # a row broken by the page break
                first_row = False
                continue
            first_row = False
            lines.append(text)
            where.append(loc)
    return _finish(Source(lines, where, "pdf"), path)


def _continues(row: str) -> bool:
    """A table's first row on a page that goes on with the row above: no number of its own,
    and its next cell empty or going on in lower case."""
    cells = row.split("\t")
    if cells[0].strip(").:-– "):  # "" or the ")" of a number "b)" the break cut in two
        return False
    second = cells[1] if len(cells) > 1 else ""
    return second == "" or second[:1].islower()


def _merge_rows(above: str, below: str) -> str:
    """Cell by cell, the two halves of a row a page break cut."""
    a, b = above.split("\t"), below.split("\t")
    if len(b) != len(a):
        return above + " " + " ".join(c for c in b if c)
    return "\t".join(" ".join(x for x in (p, q) if x) for p, q in zip(a, b, strict=True))


def _columns(table) -> list:
    """The x-ranges of a table's columns, from its row with the most cells."""
    full = max(table.rows, key=lambda r: sum(c is not None for c in r.cells))
    return [c for c in full.cells if c is not None]


def _fragment_row(page, table, cols: list) -> str | None:
    """The words above a page's first table, put in the columns of the table the page
    before ended in: the bottom of a row the page break cut, whose top ruling the page
    does not draw."""
    x0, top, x1, _bottom = table.bbox
    if top <= 1:
        return None
    words = [
        w for w in page.crop((x0, 0, x1, top)).extract_words() if not _PAGE_NUMBER.match(w["text"])
    ]
    if not words:
        return None
    cells: list[list[dict]] = [[] for _ in cols]
    for w in words:
        mid = (w["x0"] + w["x1"]) / 2
        k = next((i for i, c in enumerate(cols) if c[0] - 1 <= mid <= c[2] + 1), None)
        if k is None:
            return None  # text outside the columns: no part of the table
        cells[k].append(w)
    texts = [
        _cell(" ".join(w["text"] for w in sorted(ws, key=lambda w: (round(w["top"]), w["x0"]))))
        for ws in cells
    ]
    return "\t".join(texts)


def _pdf_page(page, columns: list | None = None) -> tuple[list[tuple[str, str]], list | None]:
    """One page's lines, text and table rows in the order they stand (top to bottom), and
    the columns of its last table.

    ``columns``: the page before ended inside a table with these columns, so words
    standing above this page's first table in them are the rest of the row the break cut.
    """
    n = page.page_number
    tables = [t for t in page.find_tables() if len(t.rows) >= 2]
    boxes = [t.bbox for t in tables]
    fragment = None
    if columns and tables:
        first = min(tables, key=lambda t: t.bbox[1])
        fragment = _fragment_row(page, first, columns)
        if fragment is not None:
            boxes.append((first.bbox[0], 0, first.bbox[2], first.bbox[1]))

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    items: list[tuple[float, str, str]] = []
    text_page = page.filter(outside) if boxes else page
    found = [x for x in text_page.extract_text_lines(return_chars=False) if _cell(x["text"])]
    right = max((x["x1"] for x in found), default=0.0)
    left = min((x["x0"] for x in found), default=0.0)
    prev = None
    for k, line in enumerate(found, 1):
        text = _cell(line["text"])
        height = line["bottom"] - line["top"]
        gap = prev is not None and line["top"] - prev["bottom"] > 0.6 * height
        if gap:
            # a gap of a line or more: a new paragraph, as a blank line in a text file
            items.append((line["top"] - 0.01, "", f"trang {n}, dòng {k}"))
        elif (
            prev is not None
            and items
            and items[-1][1]
            and prev["x1"] >= right - 0.1 * (right - left)  # the line above runs to the margin
            and line["top"] - prev["top"] < 2.5 * height
            and not _STARTS_ITEM.match(text)
        ):
            # the same paragraph wrapped by the page's width: one line, as in a text file
            top, above, loc = items[-1]
            items[-1] = (top, f"{above} {text}", loc)
            prev = line
            continue
        items.append((line["top"], text, f"trang {n}, dòng {k}"))
        prev = line
    for t, table in enumerate(tables, 1):
        for r, (row, cells) in enumerate(zip(table.rows, table.extract(), strict=False), 1):
            # None: a grid cell another cell spans (the table's ruling is the union of every
            # row's): the row's own cells are the others
            values = [_cell(c) for c in cells if c is not None]
            if any(values):
                items.append((row.bbox[1], "\t".join(values), f"trang {n}, bảng {t}, hàng {r}"))
    if fragment is not None:
        items.append((-1.0, fragment, f"trang {n}, bảng 1, hàng 0"))
    items.sort(key=lambda x: x[0])
    last = max(tables, key=lambda t: t.bbox[3]) if tables else None
    return [(text, loc) for _top, text, loc in items], (_columns(last) if last else None)


def _running_heads(pages: list[list[tuple[str, str]]]) -> set[str]:
    """Lines that open or close most pages (a running header or footer)."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        ends = {text for text, _ in page[:1] + page[-1:]}
        seen.update(re.sub(r"\d+", "#", t) for t in ends)
    keys = {k for k, c in seen.items() if c >= max(3, len(pages) // 2)}
    return {t for page in pages for t, _ in page if re.sub(r"\d+", "#", t) in keys}


# ----------------------------------------------------------------------------- HTML

_DROP = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "button",
         "select", "iframe", "svg")  # fmt: skip
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "table", "section",
           "article", "main", "blockquote", "pre", "dd", "dt", "ul", "ol"}  # fmt: skip


def read_html(path: Path) -> Source:
    """A saved web page: the element holding the document's text, blocks as lines."""
    import lxml.html

    _check(path)
    raw = "\n".join(read_lines(path))
    try:
        root = lxml.html.document_fromstring(raw)
    except Exception as exc:
        raise InputError(
            f"cannot read this HTML: {type(exc).__name__}: {exc}", file=str(path)
        ) from None
    for bad in root.xpath("|".join(f"//{t}" for t in _DROP)):
        bad.drop_tree()
    for br in root.iter("br"):  # a line break inside a cell parts two names
        br.tail = "\n" + (br.tail or "")
    body = root.find("body") if root.find("body") is not None else root
    content = _content_root(body)
    lines: list[str] = []
    where: list[str] = []
    _walk(content, lines, where)
    return _finish(Source(lines, where, "html"), path)


def _text_len(el) -> int:
    return len(re.sub(r"\s+", "", el.text_content() or ""))


def _content_root(body):
    """The deepest element holding at least 80 % of the page's text (not the menus)."""
    node = body
    while True:
        total = _text_len(node)
        big = [c for c in node if isinstance(c.tag, str) and _text_len(c) >= 0.8 * total]
        if not big or total == 0:
            return node
        node = big[0]


def _walk(el, lines: list[str], where: list[str]) -> None:
    """Blocks as lines, table rows as TAB rows, in document order."""
    current: list[str] = []
    line_of = [el.sourceline or 0]

    def flush(blank: bool = False) -> None:
        text = _cell("".join(current))
        if text or (blank and lines and lines[-1]):
            # an empty paragraph stays a blank line: it parts paragraphs, as in a text file
            lines.append(text)
            where.append(f"dòng {line_of[0]}")
        current.clear()

    def visit(node) -> None:
        if not isinstance(node.tag, str):
            if node.tail:
                current.append(node.tail)
            return
        tag = node.tag.lower()
        if tag == "table":
            flush()
            for tr in node.iter("tr"):
                cells = [_cell(td.text_content()) for td in tr if td.tag in ("td", "th")]
                if any(cells):
                    lines.append("\t".join(cells))
                    where.append(f"dòng {tr.sourceline or 0}")
        else:
            if tag in _BLOCKS:
                flush()
                line_of[0] = node.sourceline or line_of[0]
            if node.text:
                current.append(node.text)
            for child in node:
                visit(child)
            if tag in _BLOCKS:
                flush(blank=tag == "p")
        if node.tail:
            current.append(node.tail)

    visit(el)
    flush()


# ----------------------------------------------------------------------------- dispatch


def _refuse_doc(path: Path) -> Source:
    raise InputError(
        "an old Word .doc file: convert it to .docx first (LibreOffice: soffice --headless "
        "--convert-to docx FILE.doc) and load the .docx",
        file=str(path),
    )


def read_text(path: Path) -> Source:
    """A text or markdown file, line for line."""
    return Source(read_lines(path))


FORMATS: dict[str, Callable[[Path], Source]] = {
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
    ".doc": _refuse_doc,
}


def read_source(path: str | Path) -> Source:
    """The reader for the file's format (text for .txt, .md and anything else)."""
    path = Path(path)
    return FORMATS.get(path.suffix.lower(), read_text)(path)
