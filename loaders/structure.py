r"""Segment a document body into its numbered structure.

Vietnamese administrative documents nest Điều (articles), Roman sections
(I., II.), numbered items (1., 1.2.), lettered items (a) ... đ) ...), numbered
parentheses ((1), (2)), lower Roman parentheses ((i), (ii)) and "-" / "+"
bullets. :func:`segment` returns one :class:`Item` per marker, each knowing its
path, its parent and its lines, so every task knows its parent heading.

Hard-wrapped text (a PDF export with a blank line after every line) is joined
back into paragraphs: a line continues the previous one when the previous does
not end a sentence and this one does not open a new item.

Annex tables (TAB-separated rows), footnotes, noise and the closing block
("Nơi nhận: ..." down to the signature) are not part of the structure.

>>> from obligraph.loaders.normalise import clean
>>> lines = ["Điều 1. Ban hành Kế hoạch:", "", "II. Nhiệm vụ", "",
...          "2. Rà soát, đánh giá pháp luật,", "", "chính sách",
...          "a) Nghiên cứu;", "đ) Hoàn thiện."]
>>> items = segment(clean(lines))
>>> for i in items:
...     print(i.item_id, i.kind, i.line_start, i.line_end)
dieu-1 dieu 1 1
II section 3 3
II-2 number 5 7
II-2-a letter 8 8
II-2-dd letter 9 9
>>> items[2].title
'Rà soát, đánh giá pháp luật, chính sách'
>>> items[4].parent == 2 and items[4].section
'II / 2 / đ'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from obligraph.loaders.normalise import Cleaned

from obligraph.base.textkeys import fold

Kind = str  # "dieu" | "section" | "number" | "letter" | "paren" | "roman" | "dash" | "plus"

_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("dieu", re.compile(r"^Điều\s+(\d+)\s*[.:]?\s*(.*)$")),
    ("section", re.compile(r"^([IVXL]+)[.)]\s+(.*)$")),
    ("number", re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)[.)]\s+(.*)$")),
    ("letter", re.compile(r"^([a-zđ])\)\s*(.*)$")),
    ("roman", re.compile(r"^\(([ivx]+)\)\s*(.*)$")),
    ("paren", re.compile(r"^\((\d{1,2})\)\s*(.*)$")),
    ("plus", re.compile(r"^(?:[-–]\s*)?\+\s*()(.*)$")),
    ("dash", re.compile(r"^[-–—•]\s*()(.*)$")),
]
_RANK = {"dieu": 0, "section": 1, "number": 2, "letter": 6, "paren": 7, "roman": 8,
         "dash": 9, "plus": 10}  # fmt: skip
_BOUNDARY = re.compile(
    r"^(?:KẾ HOẠCH|PHỤ LỤC(?:\s+[IVX\d]+)?|CHƯƠNG TRÌNH|QUY CHẾ|ĐỀ ÁN|QUYẾT ĐỊNH:?|"
    r"\((?:Ban hành )?[Kk]èm theo.*)$"
)
_CLOSING = re.compile(r"^Nơi nhận\s*:?", re.IGNORECASE)
_SENTENCE_END = (".", ";", ":", "!", "?", "./.", "/.")


@dataclass
class Item:
    """One numbered or bulleted item of a document body.

    ``label`` is the marker as written ("II", "3", "1.2", "b", "đ", "i", "" for
    bullets); ``path`` the labels from the top ("II", "3", "b"); ``parent`` the
    index of the parent item in the list :func:`segment` returned (None at the
    top). ``title`` is the text of the marker's own paragraph, ``text`` that
    plus any unmarked paragraphs that follow it.
    """

    index: int
    kind: Kind
    label: str
    path: tuple[str, ...]
    title: str
    text: str
    line_start: int
    line_end: int
    parent: int | None = None
    item_id: str = ""
    children: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # 1-based lines holding its text
    full_path: tuple[str, ...] = ()  # path including an "Điều N" above a Roman section

    @property
    def section(self) -> str:
        """The path written for people: ``"II / 3 / b"``."""
        return " / ".join(self.path)

    @property
    def rank(self) -> int:
        return rank_of(self.kind, self.label)


def rank_of(kind: Kind, label: str) -> int:
    """Nesting depth of a marker kind; dotted numbers sit below plain numbers."""
    if kind == "number":
        return _RANK["number"] + min(label.count("."), 3)
    return _RANK[kind]


def match_marker(text: str) -> tuple[Kind, str, str] | None:
    """``(kind, label, rest)`` when ``text`` opens an item, else None.

    >>> match_marker("a) Nghiên cứu, bổ sung")
    ('letter', 'a', 'Nghiên cứu, bổ sung')
    >>> match_marker("1.2. Mục tiêu 2.")
    ('number', '1.2', 'Mục tiêu 2.')
    >>> match_marker("2020, năm tổ chức") is None
    True
    """
    text = text.strip()
    for kind, pattern in _MARKERS:
        m = pattern.match(text)
        if m:
            return kind, m.group(1), m.group(2).strip()
    return None


def id_part(kind: Kind, label: str, ordinal: int) -> str:
    """The id segment of one item: ASCII-safe (``đ`` -> ``dd``), bullets by ordinal."""
    if kind == "dieu":
        return f"dieu-{label}"
    if kind == "dash":
        return f"g{ordinal}"
    if kind == "plus":
        return f"p{ordinal}"
    if kind == "paren":
        return f"m{label}"
    return label.replace("đ", "dd")


def _continues(prev: str, nxt: str) -> bool:
    """Whether physical line ``nxt`` continues the paragraph ending with ``prev``."""
    prev, nxt = prev.rstrip(), nxt.strip()
    ended = prev.endswith(_SENTENCE_END) and not prev.endswith("...")
    if not ended and re.match(r"^[-–]\s+[a-zđà-ỹ]", nxt):
        return True  # "kinh tế" / "- xã hội": a hyphenated word broken at the line end
    if not nxt or match_marker(nxt) or _BOUNDARY.match(nxt) or _CLOSING.match(nxt):
        return False
    if prev.endswith(_SENTENCE_END) and not prev.endswith("..."):
        return False
    first = nxt[0]
    if first.islower() or first.isdigit() or first in "(–-":
        return True
    if _WRAPPED_NAME.search(prev) and re.match(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]", nxt) and not prev.isupper():
        return True  # "... của Bộ" / "Lao động - Thương binh và Xã hội;": a name broken by a wrap
    return bool(re.match(r"^\w+[,;.)]", nxt)) or prev.endswith((",", " và", " của", " các"))


# A physical line that stops inside a name: "... của Bộ", "... của Thủ tướng", "... Sở Lao"
_WRAPPED_NAME = re.compile(
    r"\b(?:của|cho|với|tại|và)\s+(?:Bộ|Cục|Vụ|Sở|Ủy ban|Thủ tướng|Hội đồng|Ban|Tổng cục|"
    r"Văn phòng|Trung tâm|Hội)(?:\s+[A-ZĐÀ-Ỹ][a-zđà-ỹ]*)?$"
)


def _excluded(cleaned: Cleaned) -> set[int]:
    """1-based lines outside the body structure: tables, footnotes, the closing block."""
    out = set(cleaned.footnotes)
    closing = False
    for n, line in enumerate(cleaned.lines, start=1):
        text = line.strip()
        if "\t" in line:
            out.add(n)
            continue
        if _CLOSING.match(text):
            closing = True
        elif closing and (_BOUNDARY.match(text) or (match_marker(text) or ("", "", ""))[0]
                          in ("section", "dieu")):  # fmt: skip
            closing = False
        if closing:
            out.add(n)
    return out


def paragraphs(cleaned: Cleaned, excluded: set[int] | None = None) -> list[tuple[int, int, str]]:
    """Join physical lines into paragraphs: ``(line_start, line_end, text)``."""
    excluded = _excluded(cleaned) if excluded is None else excluded
    out: list[tuple[int, int, str]] = []
    lines = cleaned.lines
    n = 1
    while n <= len(lines):
        text = lines[n - 1].strip()
        if not text or n in excluded:
            n += 1
            continue
        start, end, parts = n, n, [text]
        m = n + 1
        while m <= len(lines):
            nxt = lines[m - 1].strip()
            if m in excluded and nxt:
                break
            if not nxt:
                m += 1
                continue
            if not _continues(parts[-1], nxt):
                break
            parts.append(nxt)
            end = m
            m += 1
        out.append((start, end, " ".join(parts)))
        n = end + 1
    return out


def segment(cleaned: Cleaned) -> list[Item]:
    """The items of a document, in order, with parents and stable ids."""
    excluded = _excluded(cleaned)
    items: list[Item] = []
    stack: list[Item] = []
    current: Item | None = None
    ordinals: dict[tuple[int | None, str], int] = {}
    used: dict[str, int] = {}
    for start, end, text in paragraphs(cleaned, excluded):
        if _BOUNDARY.match(text) or fold(text).startswith("noi nhan"):
            stack, current = [], None
            continue
        found = match_marker(text)
        if found is None:
            if current is not None:
                current.text = f"{current.text} {text}".strip()
                current.line_end = end
                current.lines.extend(range(start, end + 1))
            continue
        kind, label, rest = found
        rank = rank_of(kind, label)
        while stack and stack[-1].rank >= rank:
            stack.pop()
        parent = stack[-1] if stack else None
        key = (parent.index if parent else None, kind)
        ordinals[key] = ordinals.get(key, 0) + 1
        shown = f"Điều {label}" if kind == "dieu" else (label or ("-" if kind == "dash" else "+"))
        path = (*(parent.full_path if parent else ()), shown)
        item = Item(
            index=len(items),
            kind=kind,
            label=label,
            path=path,
            title=rest,
            text=rest,
            line_start=start,
            line_end=end,
            parent=parent.index if parent else None,
            lines=list(range(start, end + 1)),
        )
        parts = [id_part(kind, label, ordinals[key])]
        anc = parent
        while anc is not None:
            parts.append(
                id_part(
                    anc.kind,
                    anc.label,
                    0 if anc.kind not in ("dash", "plus") else int(_ordinal_of(anc)),
                )
            )
            anc = items[anc.parent] if anc.parent is not None else None
        parts.reverse()
        item.full_path = path
        if (
            len(parts) > 1
            and parts[0].startswith("dieu-")
            and (
                kind == "section"
                or any(items[i].kind == "section" for i in _ancestors(items, parent))
            )
        ):
            parts = parts[1:]
            item.path = path[1:]
        item_id = "-".join(parts)
        if item_id in used:
            used[item_id] += 1
            item_id = f"{item_id}.dup{used[item_id]}"
        else:
            used[item_id] = 1
        item.item_id = item_id
        item._ordinal = ordinals[key]  # type: ignore[attr-defined]
        if parent is not None:
            parent.children.append(item.index)
        items.append(item)
        stack.append(item)
        current = item
    return items


def _ordinal_of(item: Item) -> int:
    return getattr(item, "_ordinal", 0)


def _ancestors(items: list[Item], item: Item | None) -> list[int]:
    out: list[int] = []
    while item is not None:
        out.append(item.index)
        item = items[item.parent] if item.parent is not None else None
    return out
