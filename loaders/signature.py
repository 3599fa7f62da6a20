"""The signature block and the recipients (Nơi nhận) of a document.

The block names the signing title, with its delegation (TM., KT., TL., TUQ.,
Q.), and the signer: on separate lines, or as one TAB cell of the row that also
holds "Nơi nhận" ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thị Nguyệt").

>>> find_signature(["Điều 3. Thi hành.", "Nơi nhận: - Như Điều 3; - Lưu: VT.\\t"
...                 "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thị Nguyệt"], 1)
('Nguyễn Thị Nguyệt', 'TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH', 1)
>>> find_signature(["KT.BỘ TRƯỞNG", "THỨ TRƯỞNG", "", "(Đã ký)", "Nguyễn Thị Hà"], 0)[:2]
('Nguyễn Thị Hà', 'KT. BỘ TRƯỞNG / THỨ TRƯỞNG')
>>> find_recipients(["Nơi nhận:", "- Như Điều 3;", "- Bộ Tài chính;", "- Lưu: VT, KGVX."], 0)
['Như Điều 3', 'Bộ Tài chính', 'Lưu: VT, KGVX']
"""

from __future__ import annotations

import re

from obligraph.loaders.header_pieces import split_cells
from obligraph.loaders.header_vocab import vocab

_SIGNED_NOTE = re.compile(r"^\(?\s*(?:đã ký|Đã ký|ĐÃ KÝ|signed|ký)\s*\)?\.?$")
_DELEG = re.compile(r"\b(TM|KT|TL|TUQ|TƯQ|Q)\s*\.\s*")


def _caps_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return not letters or all(c.isupper() for c in letters)


def _name_word(word: str) -> bool:
    w = word.strip(",.")
    return len(w) >= 1 and w[0].isupper() and (len(w) == 1 or w[1:].islower()) and w.isalpha()


def is_person_name(text: str) -> bool:
    """A Vietnamese personal name: 2 to 6 capitalised words.

    >>> is_person_name("Nguyễn Thị Hà"), is_person_name("Lưu VT"), is_person_name("Sở Y tế")
    (True, False, False)
    """
    words = text.split()
    return (
        2 <= len(words) <= 6
        and all(_name_word(w) for w in words)
        and not text.startswith(
            ("Sở ", "Bộ ", "Cục ", "Ủy ", "Văn ", "Ban ", "Chi ", "Nơi ", "Lưu", "Như ", "Các ")
        )
    )


def _title_start(text: str) -> bool:
    """Does a capitals run open a signing title (a delegation or a title of office)?"""
    t = _DELEG.sub(lambda m: m.group(1) + ". ", text.strip())
    v = vocab()
    if re.match(rf"^(?:{'|'.join(map(re.escape, v.delegations))})\.\s", t):
        return True
    return any(t == title or t.startswith(title + " ") for title in v.titles)


def format_title(caps: str) -> str:
    """Signing title parts joined by " / " (a delegation opens each part).

    >>> format_title("TL. CỤC TRƯỞNG KT. TRƯỞNG BAN NGHIỆP VỤ THUẾ HQ PHÓ TRƯỞNG BAN")
    'TL. CỤC TRƯỞNG / KT. TRƯỞNG BAN NGHIỆP VỤ THUẾ HQ / PHÓ TRƯỞNG BAN'
    """
    t = re.sub(r"\s+", " ", _DELEG.sub(lambda m: " " + m.group(1) + ". ", caps)).strip()
    parts = [p.strip() for p in re.split(r"\s(?=(?:TM|KT|TL|TUQ|TƯQ|Q)\.\s)", t) if p.strip()]
    last = parts[-1] if parts else ""
    m = re.match(r"^(TM|KT|TL|TUQ|TƯQ|Q)\.\s(.+)$", last)
    if m and parts:
        # "KT. CHỦ TỊCH PHÓ CHỦ TỊCH": the deputy's own title follows the delegating one
        rest = m.group(2)
        for title in sorted(vocab().titles, key=len, reverse=True):
            for deputy in ("PHÓ " + title.removeprefix("PHÓ "), "THỨ TRƯỞNG"):
                i = rest.rfind(" " + deputy)
                if i > 0 and rest.endswith(deputy):
                    parts[-1] = f"{m.group(1)}. {rest[:i]}"
                    parts.append(deputy)
                    return " / ".join(parts)
    return " / ".join(parts)


def _split_sign_cell(cell: str) -> tuple[str, str]:
    """("KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "Nguyễn Văn A") from one cell; name may be "".

    >>> _split_sign_cell("XÁC THỰC VĂN BẢN HỢP NHẤT KT. BỘ TRƯỞNG THỨ TRƯỞNG Thượng tướng Võ Văn B")
    ('KT. BỘ TRƯỞNG THỨ TRƯỞNG', 'Võ Văn B')
    """
    v = vocab()
    for formula in v.formulas:
        if cell.startswith(formula + " "):
            cell = cell[len(formula) + 1 :]
            break
    for rank in v.ranks:
        cell = re.sub(rf"(?<=[A-ZĐỲ-Ỹ ]) ?\b{re.escape(rank)}\s+(?=[A-ZĐÀ-Ỹ])", " ", cell)
    words = cell.split()
    k = 0
    while k < len(words) and _caps_word(words[k]):
        k += 1
    title, rest = " ".join(words[:k]), " ".join(words[k:])
    rest = re.sub(r"\(?\s*(?:đã ký|Đã ký)\s*\)?", "", rest).strip()
    return title, rest


def find_signature(lines: list[str], start: int) -> tuple[str, str, int | None]:
    """(signer, signing title, 0-based line) of the first signature block from ``start``."""
    n = len(lines)
    for i in range(start, n):
        for cell in split_cells(lines[i]):
            title, rest = _split_sign_cell(cell)
            if not title or not _title_start(title):
                continue
            if rest and is_person_name(rest):
                return rest, format_title(title), i
            if rest:
                continue
            # the name (and more title lines) on the next lines
            titles, j, seen = [title], i + 1, 0
            while j < min(n, i + 30) and seen < 6:
                t = lines[j].strip()
                j += 1
                if not t or _SIGNED_NOTE.match(t):
                    continue
                seen += 1
                if "\t" in t:
                    break
                sub_title, sub_rest = _split_sign_cell(t)
                if sub_title and not sub_rest:
                    titles.append(sub_title)
                    continue
                if sub_title and is_person_name(sub_rest):
                    return sub_rest, " / ".join(map(format_title, [*titles, sub_title])), i
                if not sub_title and is_person_name(t):
                    return t, " / ".join(map(format_title, titles)), i
                break
    # a copy that lost the title: "(Đã ký) Lê Thành Long" at the end of the text
    for i in range(n - 1, max(start, n - 40) - 1, -1):
        for cell in split_cells(lines[i]):
            m = re.match(r"^\(\s*(?:Đã ký|đã ký|ĐÃ KÝ)\s*\)\s*(.+)$", cell)
            if m and is_person_name(m.group(1).strip(" |")):
                return m.group(1).strip(" |"), "", i
    return "", "", None


def find_recipients(lines: list[str], start: int) -> list[str]:
    """The "Nơi nhận" list after ``start``: its "- ..." items, as written."""
    for i in range(start, len(lines)):
        for cell in split_cells(lines[i]):
            m = re.match(r"^Nơi nhận\s*:?\s*(.*)$", cell)
            if not m:
                continue
            text = m.group(1)
            j = i + 1
            while not text or text.rstrip().endswith((";", ":")):
                if j >= len(lines) or j > i + 30:
                    break
                nxt = lines[j].strip()
                j += 1
                if not nxt:
                    continue
                first = split_cells(nxt)[0] if nxt else ""
                if not first.startswith(("-", "+", "•")):
                    break
                text += " " + first
            items = [x.strip(" ;.") for x in re.split(r"(?:^|\s|;)[-+•]\s+", text)]
            return [x for x in items if x]
    return []
