"""The table model every reader feeds: header, roles of columns, rows of cells with lines.

A browser's or Word's copy of a table gives one line per row with TAB-separated
cells, but a cell that held line breaks spills over several lines, a row may lose
its trailing empty cells, a merged cell (rowspan) leaves the next row without its
number, a number may stand alone on its line with the task text on the next
lines, group rows ("I. NÂNG CAO NHẬN THỨC") may come as plain lines, and a header
repeated after a page break comes again. :func:`read_tables` puts the rows back
together and says, per column, what it holds (``data/columns.toml``). Markdown
pipe rows read the same.

>>> from obligraph.loaders.normalise import clean
>>> lines = ["STT\\tNhiệm vụ\\tCơ quan chủ trì\\tCơ quan phối hợp\\tThời gian",
...          "I. NÂNG CAO NHẬN THỨC",
...          "1\\tTriển khai nền tảng\\tSở Tài chính\\tCác sở, ban,",
...          "ngành\\tNăm 2026",
...          "2",
...          "Xây dựng bộ tiêu chí",
...          "đánh giá.",
...          "Sở Nội vụ\\tSở Tư pháp\\tQuý IV",
...          "\\tHỗ trợ doanh nghiệp\\tSở Công Thương\\t\\t2027"]
>>> t = read_tables(clean(lines))[0]
>>> t.roles
['number', 'content', 'lead', 'support', 'time']
>>> [(r.kind, r.label, r.line_start, r.get("content"), r.get("lead"), r.get("support"))
...  for r in t.rows]  # doctest: +NORMALIZE_WHITESPACE
[('group', 'I', 2, 'NÂNG CAO NHẬN THỨC', '', ''),
 ('task', '1', 3, 'Triển khai nền tảng', 'Sở Tài chính', 'Các sở, ban, ngành'),
 ('task', '2', 5, 'Xây dựng bộ tiêu chí đánh giá.', 'Sở Nội vụ', 'Sở Tư pháp'),
 ('task', '', 9, 'Hỗ trợ doanh nghiệp', 'Sở Công Thương', '')]
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from obligraph.loaders.normalise import Cleaned

from obligraph.base.textkeys import fold

DATA = Path(__file__).parent / "data"
_LABEL = re.compile(
    r"^(?:(?P<roman>[IVXL]+)|(?P<upper>[A-ZĐ])|(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})"
    r"|(?P<letter>[a-zđ])|\((?P<paren>\d{1,2}|[a-zđ])\))[.):]?$"
)
_SHARED = re.compile(
    r"^(?P<label>[IVXL]+\.|[A-ZĐ]\.|\d{1,2}(?:\.\d{1,2}){0,3}\.?|[a-zđ]\)|\(\d{1,2}\))\s+"
    r"(?P<rest>\S.*)$"
)
_RULE = re.compile(r"^[-=\s|+:]+$")
_STOP = re.compile(r"^(?:Nơi nhận|PHỤ LỤC|Phụ lục \w|Điều \d+\.|\(?Kèm theo|KT\.|TM\.)")


@dataclass(frozen=True)
class ColumnVocab:
    """Column names per role (``data/columns.toml``)."""

    roles: dict[str, tuple[str, ...]]
    second: dict[str, str]
    not_tasks: tuple[str, ...]


@lru_cache(maxsize=1)
def column_vocab() -> ColumnVocab:
    """The bundled column vocabulary."""
    with open(DATA / "columns.toml", "rb") as fh:
        d = tomllib.load(fh)
    return ColumnVocab(
        roles={k: tuple(v) for k, v in d["roles"].items()},
        second=dict(d["second"]),
        not_tasks=tuple(d["not_tasks"]["header_words"]),
    )


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def column_role(name: str) -> str:
    """Role of a header cell ("" when not a known column name).

    >>> column_role("Cơ quan chủ trì"), column_role("Thời gian hoàn thành"), column_role("x")
    ('lead', 'time', '')
    >>> column_role("Nhiệm vụ, giải pháp"), column_role("Đơn vị thực hiện")
    ('content', 'lead')
    """
    k = _key(name)
    if not k:
        return ""
    roles = column_vocab().roles
    for role, names in roles.items():
        if k in names:
            return role
    for role, names in roles.items():
        if any(k.startswith(n) or n in k for n in names if len(n) > 4):
            return role
    return ""


def is_non_task_header(cells: list[str]) -> bool:
    """A header of a table that assigns nothing (procedures, workflow steps, fees).

    >>> is_non_task_header(["STT", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan thực hiện"])
    True
    >>> is_non_task_header(["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp"])
    False
    """
    words = column_vocab().not_tasks
    for cell in cells:
        k = _key(cell)
        if any(k == w or (" " in w and w in k) for w in words):
            return True
    return False


def header_roles(cells: list[str]) -> list[str] | None:
    """Column roles when ``cells`` is a task table's header (a lead column and one more)."""
    if not cells or label_of(cells[0]) is not None or _shared_label(cells[0]) is not None:
        return None  # a numbered row is a body row, not a header
    if any(len(_key(c).split()) > 10 for c in cells):
        return None  # header cells are names of columns, not sentences
    roles: list[str] = []
    seen: set[str] = set()
    second = column_vocab().second
    for c in cells:
        r = column_role(c)
        if r in seen:
            r = second.get(r, "")
        if r:
            seen.add(r)
        roles.append(r)
    if "lead" not in roles or sum(1 for r in roles if r) < 2:
        return None
    return roles


@dataclass
class Row:
    """One table row: its cells (by column), lines, label and kind (task, group)."""

    cells: list[str]
    roles: list[str]
    line_start: int  # 1-based
    line_end: int
    label: str = ""
    label_kind: str = ""  # roman, upper, num, letter, paren ("" for an unnumbered row)
    kind: str = "task"  # "task" or "group"

    def get(self, role: str) -> str:
        """The text of the first column with this role ("" when absent)."""
        for i, r in enumerate(self.roles):
            if r == role and i < len(self.cells):
                return re.sub(r"\s+", " ", self.cells[i]).strip()
        return ""


@dataclass
class RawTable:
    """A task table as read: header line, header cells, column roles and rows."""

    header_line: int  # 1-based
    headers: list[str]
    roles: list[str]
    rows: list[Row] = field(default_factory=list)
    last_line: int = 0


def split_row(line: str) -> list[str] | None:
    """Cells of a TAB or markdown-pipe row (None for a plain line)."""
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    s = line.strip()
    if s.startswith("|") and s.count("|") >= 2:
        return [c.strip() for c in s.strip("|").split("|")]
    return None


def label_of(text: str) -> tuple[str, str] | None:
    """(kind, label) when ``text`` is a row number ("1", "1.2", "IV", "a)", "B.").

    >>> label_of("1.2."), label_of("IV"), label_of("a)"), label_of("Sở")
    (('num', '1.2'), ('roman', 'IV'), ('letter', 'a'), None)
    """
    text = text.strip()
    if len(text) <= 8:
        text = text.replace(" ", "")  # "a )": a narrow cell's wrap in a PDF
    m = _LABEL.match(text)
    if not m:
        return None
    for kind in ("roman", "upper", "num", "letter", "paren"):
        if m.group(kind):
            value = m.group(kind)
            if kind == "upper" and value in "IVXL":
                kind = "roman"
            return kind, value
    return None


def _shared_label(text: str) -> tuple[str, str, str] | None:
    """ "I. NÂNG CAO ..." / "2. Rà soát ...": (kind, label, rest) when a label opens the text."""
    m = _SHARED.match(text.strip())
    if not m:
        return None
    lab = label_of(m.group("label"))
    if lab is None:
        return None
    return lab[0], lab[1], m.group("rest")


def _starts_lower(text: str) -> bool:
    t = text.lstrip()
    return bool(t) and (t[0].islower() or t[0] in ",;:)-–")


class _Builder:
    def __init__(self, table: RawTable, number_at: int | None) -> None:
        self.t = table
        self.n = len(table.roles)
        self.number_at = number_at
        self.cur: Row | None = None
        self.label_alone = False  # the row's number stood alone on its line
        self.open_from_lines = False  # plain lines were added to the row's last cell

    def close(self) -> None:
        if self.cur is not None:
            self.t.rows.append(self.cur)
        self.cur = None

    def start(self, cells: list[str], line: int, label: tuple[str, str] | None) -> None:
        self.close()
        row = Row(list(cells), self.t.roles, line, line)
        if label is not None:
            row.label_kind, row.label = label
        self.cur = row
        self.label_alone = label is not None and len(cells) == 1
        self.open_from_lines = False

    def add_plain(self, text: str, line: int) -> None:
        row = self.cur
        assert row is not None
        if self.label_alone and len(row.cells) == 1:
            row.cells.append(text)
        else:
            row.cells[-1] = (row.cells[-1] + " " + text).strip()
        row.line_end = line
        self.open_from_lines = True

    def add_cells(self, segs: list[str], line: int) -> bool:
        """More cells for the open row; False when they make a row of their own.

        In a copy, a cell that spilled over lines ends on the line that holds the TAB
        to the next cell, so that line's first cell goes on the open cell; but after a
        number standing alone (cells separated by line breaks) it opens the next column.
        """
        row = self.cur
        if row is None:
            return False
        have, first = len(row.cells), segs[0]
        new_count, glue_count = have + len(segs), have + len(segs) - 1
        if self.label_alone:
            glue = glue_count == self.n and new_count != self.n
        elif self.open_from_lines:
            glue = _starts_lower(first) or not (new_count == self.n and glue_count != self.n)
        elif _starts_lower(first) or row.cells[-1].rstrip().endswith((",", ";", " và", "-")):
            glue = True
        else:
            return False  # a row of its own: its number is merged with the row above
        if glue:
            row.cells[-1] = (row.cells[-1] + " " + first).strip()
            row.cells.extend(segs[1:])
        else:
            row.cells.extend(segs)
        row.line_end = line
        self.label_alone = False
        self.open_from_lines = False
        return True


def _row_kind(row: Row) -> str:
    if row.kind == "group":
        return "group"
    units = row.get("lead") or row.get("support")
    return "task" if units or not row.label else "group"


class _HtmlTables(HTMLParser):
    """The rows of every HTML ``<table>``: (line of the row, its cells' text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[tuple[int, list[str]]]] = []
        self._depth = 0
        self._row: list[str] | None = None
        self._row_line = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append([])
        elif tag == "tr" and self._depth == 1:
            self._row, self._row_line = [], self.getpos()[0]
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag in ("br", "p") and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._depth = max(0, self._depth - 1)
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._depth == 1:
            if any(self._row):
                self.tables[-1].append((self._row_line, self._row))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(raw: list[str]) -> list[list[tuple[int, list[str]]]]:
    """Rows of the HTML tables in a file's lines, each with the line its ``<tr>`` opens on.

    >>> html_tables(["<table><tr><th>TT</th><th>Nhiệm vụ</th></tr>",
    ...              "<tr><td>1</td><td>Rà soát<br>văn bản</td></tr></table>"])
    [[(1, ['TT', 'Nhiệm vụ']), (2, ['1', 'Rà soát văn bản'])]]
    """
    parser = _HtmlTables()
    parser.feed("\n".join(raw))
    parser.close()
    return [t for t in parser.tables if t]


def _html_task_tables(raw: list[str]) -> list[RawTable]:
    """HTML tables as task tables: the same roles, labels and group rows as TAB rows."""
    out: list[RawTable] = []
    for rows in html_tables(raw):
        for k, (line, cells) in enumerate(rows):
            roles = header_roles(cells)
            if roles is None or is_non_task_header(cells):
                continue
            if "content" not in roles and "number" in roles:
                roles.insert(roles.index("number") + 1, "content")
            table = RawTable(line, cells, roles)
            number_at = roles.index("number") if "number" in roles else None
            for row_line, row_cells in rows[k + 1 :]:
                if row_cells == cells:
                    continue  # the header repeated
                first = row_cells[0] if row_cells else ""
                label = label_of(first) if number_at == 0 else None
                row = Row(list(row_cells), roles, row_line, row_line)
                if label is not None:
                    row.label_kind, row.label = label
                elif number_at == 0 and (shared := _shared_label(first)) is not None:
                    row.label_kind, row.label = shared[0], shared[1]
                    row.cells[0:1] = [shared[1], shared[2]]
                elif len(row_cells) == 1 or (len(row_cells) < len(roles) and _group_like(first)):
                    row.cells = ["", first]
                    row.kind = "group"
                table.rows.append(row)
                table.last_line = row_line
            for r in table.rows:
                r.kind = _row_kind(r)
            out.append(table)
            break
    return out


def read_tables(cleaned: Cleaned) -> list[RawTable]:
    """Every task table of a document, in order (tables that assign nothing skipped).

    TAB and pipe rows are read from the cleaned lines; HTML ``<table>`` rows from the
    lines as read (their tags are gone from the cleaned ones).
    """
    lines = cleaned.lines
    tables: list[RawTable] = []
    raw = cleaned.raw or lines
    if any("<table" in line.lower() for line in raw):
        tables += _html_task_tables(raw)
    i = 0
    while i < len(lines):
        cells = split_row(lines[i])
        roles = header_roles(cells) if cells else None
        if roles is None or is_non_task_header(cells or []):
            i += 1
            continue
        if "content" not in roles and "number" in roles:
            # the header forgot its content column: the rows carry it after the number
            roles.insert(roles.index("number") + 1, "content")
            if roles[-1] == "":
                roles.pop()
        table = RawTable(i + 1, list(cells or []), roles)
        i = _read_rows(table, lines, i + 1)
        for r in table.rows:
            r.kind = _row_kind(r)
        tables.append(table)
    return sorted(tables, key=lambda t: t.header_line)


def _read_rows(table: RawTable, lines: list[str], start: int) -> int:
    number_at = table.roles.index("number") if "number" in table.roles else None
    b = _Builder(table, number_at)
    i = start
    while i < len(lines):
        raw = lines[i]
        text = raw.strip()
        if not text:
            i += 1
            continue
        segs = split_row(raw)
        if segs is not None and all(_RULE.match(c) or not c for c in segs):
            i += 1
            continue
        if segs is not None and header_roles(segs) is not None:
            if segs == table.headers:
                i += 1  # the header repeated after a page break
                continue
            break  # another table starts
        if segs is None and _STOP.match(text):
            break
        if segs is not None and segs and _STOP.match(segs[0]):
            break
        first = segs[0] if segs else text
        label = label_of(first) if number_at is not None else None
        shared = None if label or number_at is None else _shared_label(first)
        if label is not None and (segs is not None or len(text) <= 8):
            b.start(segs if segs is not None else [first], i + 1, label)
        elif shared is not None and (segs is not None or _group_like(shared[2], b)):
            kind, value, rest = shared
            cells = [value, rest, *(segs[1:] if segs else [])]
            b.start(cells, i + 1, (kind, value))
        elif segs is None:
            if b.cur is None:
                if not _group_like(text, b):
                    break
                b.start(["", text], i + 1, None)
                b.cur.kind = "group"  # type: ignore[union-attr]
            elif not _continues(lines, i, b):
                break
            elif _group_like(text, b) and b.cur.get("lead") and not _starts_lower(text):
                b.start(["", text], i + 1, None)  # a heading between rows
                b.cur.kind = "group"  # type: ignore[union-attr]
            else:
                b.add_plain(text, i + 1)
        elif not b.add_cells(segs, i + 1):
            cells = list(segs)
            if number_at is not None and number_at == 0 and segs[0] != "":
                cells = ["", *segs]  # a row whose number is merged with the one above
            b.start(cells, i + 1, None)
        table.last_line = i + 1
        i += 1
    b.close()
    return i


def _group_like(text: str, b: _Builder | None = None) -> bool:
    """A plain line that heads a group of rows: capitals, or "Nhóm ...", "Nhiệm vụ ..."."""
    letters = [c for c in text if c.isalpha()]
    caps = bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8
    return caps or fold(text).startswith(("nhom ", "nhiem vu ", "linh vuc ", "khu vuc "))


def _continues(lines: list[str], i: int, b: _Builder) -> bool:
    """Is plain line ``i`` more text of the open row (rather than the text after the table)?"""
    for j in range(i + 1, min(len(lines), i + 60)):
        nxt = lines[j].strip()
        if not nxt:
            continue
        if _STOP.match(nxt):
            return False
        if split_row(lines[j]) is not None or (len(nxt) <= 8 and label_of(nxt) is not None):
            return True
    return False
