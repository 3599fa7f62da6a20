"""Units as written in a plan, resolved in the jurisdiction of the document that names them.

A bare local name means the issuing province's own organ: "Sở Tài chính" in
Nghệ An's plan is Sở Tài chính tỉnh Nghệ An, "Công an tỉnh" is Công an tỉnh Nghệ
An, "UBND tỉnh" its People's Committee. In a ministry's document the same name
means every province's department (a generic unit); where the jurisdiction is
unknown it stays as written. No province is anybody's default. Named central
bodies come from the gazetteer; abbreviations, the words that open a unit's
name and the organs every province has are data (``data/units.toml``).

>>> from obligraph.loaders.units import Gazetteer
>>> r = UnitResolver(Gazetteer.default(), "tỉnh Nghệ An")
>>> units = r.split("Sở KH&CN, Công an tỉnh và các cơ quan liên quan")[0]
>>> [u.canonical for u in units[:2]]
['Sở Khoa học và Công nghệ tỉnh Nghệ An', 'Công an tỉnh Nghệ An']
>>> units[2].generic, units[2].canonical  # the gazetteer's one node for its variants
(True, 'Các cơ quan, tổ chức, đơn vị liên quan')
>>> r.resolve("Bộ CHQS tỉnh").canonical, r.resolve("UBND tỉnh").canonical
('Bộ Chỉ huy Quân sự tỉnh Nghệ An', 'Ủy ban nhân dân tỉnh Nghệ An')
>>> r.resolve("Bộ Y tế").canonical
'Bộ Y tế'
>>> UnitResolver(Gazetteer.default(), "thành phố Hồ Chí Minh").resolve("Sở Tài chính").canonical
'Sở Tài chính Thành phố Hồ Chí Minh'
>>> [u.canonical for u in r.split("Các Sở: Y tế, Tư pháp")[0]]
['Sở Y tế tỉnh Nghệ An', 'Sở Tư pháp tỉnh Nghệ An']
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from obligraph.loaders.records import UnitRef
from obligraph.loaders.units import head_level

from obligraph.base.textkeys import fold

if TYPE_CHECKING:  # pragma: no cover
    from obligraph.loaders.units import Gazetteer

DATA = Path(__file__).parent / "data"
_CONNECT = re.compile(r"^(?:và|với|cùng|hoặc|phối hợp(?: với)?|gồm|là)\s+", re.IGNORECASE)
_LIST_FORM = re.compile(r"^(?:[Cc]ác\s+)?(Bộ|Sở|Cục|Vụ|Hội|Trường|Viện|Ban)\s*:\s*(.+)$")
_PAREN = re.compile(r"\s*\([^()]*\)")
_OFFICIAL = re.compile(
    r"^(?:Bộ trưởng|Thứ trưởng|Cục trưởng|Vụ trưởng|Giám đốc|Chủ tịch|Trưởng ban|Chánh Văn phòng|"
    r"Tổng cục trưởng|Chi cục trưởng|Thủ trưởng|Tổng(?=\s+Thanh tra))\s+(?=[A-ZĐÀ-Ỹ])"
)
_ROLE_TAIL = re.compile(r"\s+(?:chủ trì|phối hợp|thực hiện|chủ trì thực hiện|là cơ quan.*)$")


@dataclass(frozen=True)
class UnitVocab:
    """``data/units.toml`` as Python values."""

    heads: tuple[str, ...]
    not_names: tuple[str, ...]
    run_together: tuple[str, ...]
    run_together_after: tuple[str, ...]
    lower_after_comma: tuple[str, ...]
    abbreviations: tuple[tuple[str, str], ...]
    bare_places: tuple[str, ...]
    local_heads: tuple[str, ...]
    national_words: tuple[str, ...]
    generic_starts: tuple[str, ...]
    generic_nouns: tuple[str, ...]
    generic_contains: tuple[str, ...]
    stops: tuple[str, ...]
    name_words: frozenset[str]
    support_markers: tuple[str, ...]


@lru_cache(maxsize=1)
def unit_vocab() -> UnitVocab:
    """The bundled unit vocabulary."""
    with open(DATA / "units.toml", "rb") as fh:
        d = tomllib.load(fh)
    by_len = lambda xs: tuple(sorted(xs, key=len, reverse=True))  # noqa: E731
    return UnitVocab(
        heads=by_len(d["heads"]["words"]),
        not_names=tuple(d["heads"]["not_names"]),
        run_together=tuple(d["heads"]["run_together"]),
        run_together_after=tuple(d["heads"]["run_together_after"]),
        lower_after_comma=tuple(d["heads"]["lower_after_comma"]),
        abbreviations=tuple(sorted(d["abbreviations"].items(), key=lambda kv: -len(kv[0]))),
        bare_places=by_len(d["places"]["bare"]),
        local_heads=by_len(d["local"]["heads"]),
        national_words=tuple(d["local"]["national_words"]),
        generic_starts=tuple(d["generic"]["starts"]),
        generic_nouns=tuple(fold(x) for x in d["generic"]["nouns"]),
        generic_contains=tuple(fold(x) for x in d["generic"]["contains"]),
        stops=by_len(d["sentence"]["stops"]),
        name_words=frozenset(d["sentence"]["name_words"]),
        support_markers=by_len(d["sentence"]["support_markers"]),
    )


@lru_cache(maxsize=4096)
def expand(text: str) -> str:
    """Abbreviations written out (whole tokens only).

    >>> expand("UBND các xã"), expand("Sở NN&MT"), expand("Văn phòng UBND tỉnh")
    ('Ủy ban nhân dân các xã', 'Sở Nông nghiệp và Môi trường', 'Văn phòng Ủy ban nhân dân tỉnh')
    """
    for short, long in unit_vocab().abbreviations:
        if short in text:
            text = re.sub(rf"(?<![\wĐđ&]){re.escape(short)}(?![\wĐđ&])", long, text)
    return re.sub(r"\s+", " ", text).strip()


def is_generic(text: str) -> bool:
    """A placeholder for many bodies ("Các sở, ban, ngành", "UBND cấp xã", "... liên quan")."""
    v = unit_vocab()
    t = text.strip()
    return t.startswith(tuple(s + " " for s in v.generic_starts)) or any(
        c in fold(t) for c in v.generic_contains
    )


@lru_cache(maxsize=1)
def _start_patterns() -> tuple[tuple[tuple[str, re.Pattern[str]], ...], tuple[re.Pattern, ...]]:
    """Each ``[heads]`` word as a whole-word pattern, and each ``lower_after_comma`` word
    after a comma: compiled once, not at every cell."""
    v = unit_vocab()
    heads = tuple(
        (head, re.compile(rf"(?<![\wĐđ]){re.escape(head)}(?![\wĐđ])")) for head in v.heads
    )
    lower = tuple(re.compile(rf",\s*({re.escape(w)})(?![\wĐđ])") for w in v.lower_after_comma)
    return heads, lower


def _starts(text: str) -> list[int]:
    """Offsets where a unit's name begins in ``text`` (see ``[heads]``)."""
    v = unit_vocab()
    heads, lower_after_comma = _start_patterns()
    out: list[int] = [0]
    for head, pattern in heads:
        for m in pattern.finditer(text):
            i = m.start()
            if i == 0 or i in out:
                continue
            before = text[:i].rstrip()
            if before.endswith((",", ";", ":", "(")) or re.search(
                r"(?:^|\s)(?:và|với|cùng|hoặc)$", before
            ):
                out.append(i)
            elif head in v.run_together and before.endswith(v.run_together_after):
                out.append(i)
            elif head == "Các":  # a capital "Các" inside a cell opens another item
                out.append(i)
    generic = tuple(s + " " for s in v.generic_starts)
    for pattern in lower_after_comma:
        for m in pattern.finditer(text):
            item = max(c for c in out if c < m.start())
            if text[item:].startswith(generic):
                continue  # "Các Bộ, cơ quan ngang bộ, ..." shares its "Các": one group
            before = text[item : m.start()].rsplit(",", 1)[-1]
            if len(before.split()) >= 3:  # "Cơ quan, tổ chức, ..." is one group
                out.append(m.start(1))
    return sorted(set(out))


def _without_official(name: str) -> str:
    """The body an office-holder heads: "Bộ trưởng Bộ Tư pháp" -> "Bộ Tư pháp".

    >>> _without_official("Tổng Thanh tra Chính phủ"), _without_official("Sở Y tế")
    ('Thanh tra Chính phủ', 'Sở Y tế')
    """
    m = _OFFICIAL.match(name)
    return name[m.end() :] if m else name


def split_names(text: str) -> list[str]:
    """The unit names written in a cell or a list, as written.

    >>> split_names("Sở Khoa học và Công nghệ, các sở, ngành, UBND xã, phường, đặc khu")
    ['Sở Khoa học và Công nghệ', 'các sở, ngành', 'UBND xã, phường, đặc khu']
    >>> split_names("Sở Văn hóa, Thể thao và Du lịch; Ban Quản lý Khu kinh tế")
    ['Sở Văn hóa, Thể thao và Du lịch', 'Ban Quản lý Khu kinh tế']
    """
    names: list[str] = []
    for part in re.split(r"\s*(?:;|\n|<br\s*/?>|\s\+\s)\s*", text):
        part = part.strip(" .,-+•")
        if not part:
            continue
        listed = _LIST_FORM.match(part)
        if listed:
            head = listed.group(1)
            for item in re.split(r",|\s+và\s+", listed.group(2)):
                item = item.strip(" .")
                if item:
                    names.append(item if item.startswith(head) else f"{head} {item}")
            continue
        cuts = _starts(part)
        for a, b in zip(cuts, [*cuts[1:], len(part)], strict=True):
            seg = _CONNECT.sub("", part[a:b].strip(" ,;:.")).strip(" ,;:.")
            seg = re.sub(r"\s+(?:và|với|cùng|hoặc)$", "", seg)
            seg = _ROLE_TAIL.sub("", seg)  # "Các địa phương chủ trì" -> "Các địa phương"
            seg = _without_official(seg)
            if seg:
                names.append(seg)
    return names


class UnitResolver:
    """Resolves unit names in the jurisdiction of one document (see the module docstring)."""

    def __init__(self, gazetteer: Gazetteer, jurisdiction: str = "") -> None:
        from obligraph.loaders.divisions import find_province
        from obligraph.loaders.header_vocab import vocab

        self.gazetteer = gazetteer
        self.jurisdiction = jurisdiction
        self.state = jurisdiction == vocab().state
        self.province = None if self.state or not jurisdiction else find_province(jurisdiction)

    # ---- one name
    def is_local(self, name: str) -> bool:
        """An organ every province has, written without its place.

        In a central organ's document only a department ("Sở ...") or a name ending in a
        bare "tỉnh" is one: its newspapers and centres are the ministry's own.
        """
        v = unit_vocab()
        if self._bare_place_tail(name) is not None:
            return True  # "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh": the province's own
        if any(w in name for w in v.national_words):
            return False
        if self.state:
            return name.startswith(("Sở ", "Chi cục "))
        return name.startswith(v.local_heads)

    def _bare_place_tail(self, name: str) -> str | None:
        for p in unit_vocab().bare_places:
            if name.endswith(" " + p) and len(name) > len(p) + 2:
                return p
        return None

    def _in_province(self, name: str, province) -> str:
        tail = self._bare_place_tail(name)
        if tail is not None:
            return name[: -len(tail)] + province.full_name
        if name.startswith(("Tỉnh ", "Thành ")):  # "Tỉnh Đoàn" -> "Tỉnh Đoàn An Giang"
            return f"{name} {province.name}"
        return f"{name} {province.full_name}"

    def resolve(self, mention: str) -> UnitRef:
        """The unit a name denotes here."""
        from obligraph.loaders.divisions import find_province

        mention = re.sub(r"\s+", " ", mention).strip(" ,;:.")
        name = _PAREN.sub("", expand(mention)).strip(" ,;:.")
        if not name:
            return UnitRef(mention, mention, False, False)
        name = name[0].upper() + name[1:]
        gaz = self.gazetteer
        if is_generic(name):
            found = gaz.find(mention) or gaz.find(name)
            if found is not None and found.generic:  # one node for the variants it lists
                return UnitRef(mention, found.canonical, True, True, found.parent, found.level)
            return UnitRef(mention, name, False, True)
        named = find_province(name)
        known = gaz.find(name) or gaz.find(mention)
        if known is not None and find_province(known.canonical) is None and not known.generic:
            # a named unit of no province (a ministry's newspaper, a central agency)
            return UnitRef(mention, known.canonical, True, False, known.parent, known.level)
        if named is None and self.is_local(name):
            if self.province is not None:
                name = self._in_province(name, self.province)
            elif self.state:
                placeholder = gaz.find(f"{name} các tỉnh, thành phố")
                if placeholder is not None:
                    return UnitRef(mention, placeholder.canonical, True, True,
                                   placeholder.parent, placeholder.level)  # fmt: skip
                return UnitRef(mention, f"{name} các tỉnh, thành phố", False, True)
            else:
                return UnitRef(mention, name, False, False, "", head_level(fold(name)))
        found = gaz.find(name) or (gaz.find(mention) if named is None else None)
        if found is not None:
            theirs = find_province(found.canonical)
            mine = find_province(name)
            if theirs is None or theirs == mine or (mine is None and theirs == self.province):
                return UnitRef(mention, found.canonical, True, found.generic, found.parent,
                               found.level)  # fmt: skip
        where = find_province(name)
        level = head_level(fold(name))
        parent = ""
        if where is not None and not fold(name).startswith(("uy ban nhan dan", "hoi dong nhan")):
            parent = f"Ủy ban nhân dân {where.full_name}"
            level = level or "provincial_department"
        return UnitRef(mention, name, False, False, parent, level)

    # ---- a cell or a list
    def split(self, text: str) -> tuple[list[UnitRef], list[str]]:
        """Units named in ``text`` (each once, in order) and parts that name no unit."""
        refs: list[UnitRef] = []
        leftovers: list[str] = []
        seen: set[str] = set()
        for name in split_names(text):
            together = self._run_together(name)
            if not together and not looks_like_unit(name) and self.gazetteer.find(name) is None:
                leftovers.append(name)
                continue
            for ref in together or [self.resolve(name)]:
                if fold(ref.canonical) not in seen:
                    seen.add(fold(ref.canonical))
                    refs.append(ref)
        return refs, leftovers

    def _run_together(self, name: str) -> list[UnitRef]:
        """Known names written one after the other ("Cục Trẻ em Vụ Pháp chế"), resolved."""
        if self.gazetteer.find(name) is not None:
            return []
        mentions, leftovers = self.gazetteer.split_mentions(name)
        if len(mentions) < 2 or leftovers or not mentions[0].unit.known:
            return []
        heads = unit_vocab().heads
        if not all(
            m.unit.mention[:1].isupper() and len(m.unit.mention.split()) >= 2 for m in mentions
        ) or not all(m.unit.mention.startswith(heads) or m.unit.known for m in mentions[1:]):
            return []
        return [self.resolve(m.unit.mention) for m in mentions]


def list_end(text: str) -> int:
    """Where a list of units that opens ``text`` ends (an action word, a purpose, ";:.(").

    >>> t = "Sở Y tế, Công an tỉnh xây dựng kế hoạch"
    >>> t[: list_end(t)].strip()
    'Sở Y tế, Công an tỉnh'
    """
    end = len(text)
    m = _LIST_PUNCT.search(text)
    if m and 0 < m.start() < end:
        end = m.start()
    for stop, pattern in _stop_patterns():  # as written: "Đào tạo" inside a name is no "đào tạo"
        if stop in text:  # (most are not: a substring test spares the pattern's scan)
            m = pattern.search(text)  # its first occurrence only, even at 0
            if m and 0 < m.start() < end:
                end = m.start()
    return end


_LIST_PUNCT = re.compile(r"[;:(]|(?<!TP)(?<!Tp)\.(?=\s|$)")


@lru_cache(maxsize=1)
def _stop_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """Each stop word of the vocabulary with its compiled whole-word pattern."""
    return tuple(
        (stop, re.compile(rf"(?<![\wĐđ]){re.escape(stop)}(?![\wĐđ])"))
        for stop in unit_vocab().stops
    )


def support_names(text: str) -> list[str]:
    """Names a sentence asks to support ("phối hợp với Sở Y tế, Công an tỉnh xây dựng ...").

    >>> support_names("Chủ trì, phối hợp với Bộ Công an và các cơ quan liên quan xây dựng CSDL")
    ['Bộ Công an', 'các cơ quan liên quan']
    >>> support_names("gửi kết quả về Sở Tài chính để phối hợp thực hiện")
    []
    """
    v = unit_vocab()
    low = text.lower()
    out: list[str] = []
    pos = 0
    while True:
        hits = [(low.find(m, pos), m) for m in v.support_markers]
        hits = [(i, m) for i, m in hits if i >= 0]
        if not hits:
            return out
        i, marker = min(hits, key=lambda h: (h[0], -len(h[1])))
        tail = text[i + len(marker) :].lstrip(" ,")
        pos = i + len(marker)
        names = [trim_name(n) for n in split_names(tail[: list_end(tail)])]
        out += [n for n in names if n and looks_like_unit(n) and n not in out]


def trim_name(name: str) -> str:
    """A unit's name without the words of the sentence that follow it.

    >>> trim_name("Cảng vụ Hàng hải Hải Phòng rà soát phương tiện")
    'Cảng vụ Hàng hải Hải Phòng'
    >>> trim_name("Văn phòng Chính phủ"), trim_name("Bộ Ngoại giao")
    ('Văn phòng Chính phủ', 'Bộ Ngoại giao')
    >>> trim_name("Ủy ban nhân dân các xã, phường, đặc khu lấy ý kiến")
    'Ủy ban nhân dân các xã, phường, đặc khu'
    >>> trim_name("Sở Nông nghiệp và Môi trường")
    'Sở Nông nghiệp và Môi trường'
    """
    m = re.search(r"\b(?:có )?liên quan\b", name)
    if m and is_generic(name):  # "các sở, ban, ngành liên quan lồng ghép ..." ends there
        return name[: m.end()]
    words = name.split()
    keep = set(unit_vocab().name_words)
    for i in range(1, len(words)):
        w = words[i].strip(",;.")
        if w[:1].isupper() or w.lower() in keep or len(words) - i < 2:
            continue
        if not any(x[:1].isupper() for x in words[i + 1 :]):
            return " ".join(words[:i]).rstrip(",; ")
    return name


def looks_like_unit(name: str) -> bool:
    """Opens with a head word ("Sở", "Ban", "các sở") and is no heading in capitals."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) > 6 and all(c.isupper() for c in letters):
        return False  # "MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP" (but "EVN", "VNPT" are units)
    v = unit_vocab()
    if name.startswith(v.not_names) or name[:1].upper() + name[1:] in v.not_names:
        return False
    words = name.split()
    if len(words) == 1 and not (len(name) >= 2 and name.isupper()):
        return False  # a head word alone ("Quỹ", "Bộ") names no one; "EVN" does
    if len(words) == 2 and not any(ch.isalpha() for ch in words[1]):
        return False  # "Quỹ 1." (but "UBND 06 thành phố ..." is a group)
    first, _, rest = name.partition(" ")
    if first in v.generic_starts:  # "Các bước" is no group of units
        return fold(rest).startswith(v.generic_nouns)
    return name.startswith(v.heads)
