"""Vietnam's provinces and centrally-run cities, before and after 1 July 2025.

On 1 July 2025 (Nghị quyết 202/2025/QH15) the 63 provinces and centrally-run
cities became 34 and local government became two-level: the province, then the
xã, phường or đặc khu (no more huyện, quận, thị xã). Every current unit kept the
name of one of the 63, so the 63 names cover both maps: 34 current, 29 former.

The data come from the `vietnamadminunits` package (MIT), not from hand lists: its
sqlite tables of the 34 and the 63 units and its legacy-to-2025 converter. It is
imported lazily, on first use (about 0.3 s and 30 MB: it loads its address-parser
data at import), and what is built from it is cached. Spellings the package lacks
("TP.HCM", "Thừa Thiên Huế", ...) are in ``data/province_aliases.tsv``.

``kind`` and ``code`` are those of the package's snapshot: the arrangement of
1 July 2025 for current units, the one just before it for former units; a later
change (a tỉnh made a centrally-run thành phố) is not in it. The code
of a current unit is its new code, which may be a former unit's old one (Lào Cai
is 15, Yên Bái's old code; Lào Cai's own was 10, kept as ``former_code``).

>>> p = find_province("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN")
>>> p
Province(name='Nghệ An', kind='tỉnh', code='40', current=True, successor='', former_code='40')
>>> p.full_name
'tỉnh Nghệ An'
>>> find_province("TP.HCM").full_name
'thành phố Hồ Chí Minh'
>>> brvt = find_province("tỉnh Bà Rịa - Vũng Tàu")
>>> brvt.current, brvt.successor
(False, 'Hồ Chí Minh')
>>> successor_of("Hà Giang").name
'Tuyên Quang'
>>> [p.name for p in predecessors("Hồ Chí Minh")]
['Hồ Chí Minh', 'Bình Dương', 'Bà Rịa - Vũng Tàu']
>>> len(provinces(current=True)), len(provinces()), len(provinces(current=False))
(34, 63, 29)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from obligraph.base.textkeys import fold, nfc

DATA = Path(__file__).parent / "data"
ALIASES = DATA / "province_aliases.tsv"
PACKAGE = "vietnamadminunits"

KINDS = ("tỉnh", "thành phố")
COMMUNE_KINDS = ("xã", "phường", "đặc khu")
# Words that may stand before a province's name ("TP." folds to the word "tp").
_PREFIXES = (("tỉnh",), ("thành", "phố"), ("tp",))
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Province:
    """A province (tỉnh) or centrally-run city (thành phố), current or former."""

    name: str  # "Nghệ An", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu": no kind word
    kind: str  # "tỉnh" | "thành phố"
    code: str  # the official two-digit code: the new one for a current unit
    current: bool  # exists after 1 July 2025
    successor: str = ""  # the current unit a former one became part of ("" if current)
    former_code: str = ""  # its code before 1 July 2025 ("" if it did not exist)

    @property
    def full_name(self) -> str:
        """Kind and name, as a sentence writes it: "tỉnh Nghệ An".

        >>> province("Huế").full_name
        'thành phố Huế'
        """
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class Commune:
    """A unit of the lower level since 1 July 2025: xã, phường or đặc khu."""

    name: str  # "Ba Đình": no kind word
    kind: str  # "xã" | "phường" | "đặc khu"
    code: str  # five digits
    province: str  # the current province's name

    @property
    def full_name(self) -> str:
        """ "phường Ba Đình", "đặc khu Phú Quốc"."""
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class _Key:
    """What a run of folded words names: a province ("" hides the words)."""

    target: str
    bare: bool  # no kind word: must be capitalised in a text that has capitals
    spellings: tuple[tuple[str, ...], ...]  # the words as written (NFC), for diacritics


@dataclass(frozen=True)
class _Table:
    ordered: tuple[Province, ...]  # the 63, in the order of their former codes
    by_name: dict[str, Province]
    names: dict[tuple[str, ...], _Key]  # names, full names, aliases
    search: dict[tuple[str, ...], _Key]  # the same, with the blocking aliases
    longest: int


def source() -> str:
    """The package and version the data come from.

    >>> source().startswith("vietnamadminunits ")
    True
    """
    from importlib.metadata import version

    return f"{PACKAGE} {version(PACKAGE)}"


def provinces(current: bool | None = None) -> list[Province]:
    """The 34 current units (``current=True``), the 29 former ones (``False``) or
    all 63 (``None``): current ones in the order of their new codes, the others in
    the order of the codes of before 1 July 2025.

    >>> [p.name for p in provinces(current=True)][:4]
    ['Hà Nội', 'Cao Bằng', 'Tuyên Quang', 'Điện Biên']
    >>> [p.name for p in provinces()][:4]
    ['Hà Nội', 'Hà Giang', 'Cao Bằng', 'Bắc Kạn']
    """
    units = _table().ordered
    if current is None:
        return list(units)
    chosen = [p for p in units if p.current == current]
    if current:
        chosen.sort(key=lambda p: p.code)
    return chosen


def province(name: str) -> Province | None:
    """The unit a whole string names: a name, a full name or an alias, in any case,
    with or without diacritics; ``None`` if it names none.

    >>> province("Thành phố Hồ Chí Minh") == province("hồ chí minh") == province("TPHCM")
    True
    >>> province("tinh ba ria vung tau").name
    'Bà Rịa - Vũng Tàu'
    >>> province("Sở Tài chính") is None
    True
    """
    table = _table()
    words = _words(name)
    key = table.names.get(tuple(fold(w) for w in words))
    if key is None or not _same_marks(words, key.spellings):
        return None
    return table.by_name[key.target]


def find_province(text: str) -> Province | None:
    """The province a fragment of text names, current or former, or ``None``.

    Words are compared folded (any case, diacritics optional), whole words only:
    "Cục Thuế" does not name Huế. Where the text has diacritics they must be the
    name's ("Nguyễn Thị Huệ" names no province), and a bare name (no "tỉnh",
    "thành phố", "TP") must be capitalised unless the text has no capitals at all
    ("vì hòa bình" is peace, not Hòa Bình). The longest match wins, so a kind word
    makes a name stronger, and the first of equally long matches wins. Words that
    the aliases file maps to no province hide the names in them: a bare "Hồ Chí
    Minh" is the man ("tư tưởng Hồ Chí Minh"); the city is "Thành phố Hồ Chí
    Minh", "TP. Hồ Chí Minh", "TP.HCM".

    >>> find_province("UBND tỉnh Lai Châu").name
    'Lai Châu'
    >>> find_province("Hà Nội, ngày 5 tháng 11 năm 2025").name
    'Hà Nội'
    >>> find_province("TP. Hà Nội").name
    'Hà Nội'
    >>> find_province("Sở Tài chính tỉnh Thanh Hoá").name
    'Thanh Hóa'
    >>> find_province("Học viện Chính trị quốc gia Hồ Chí Minh") is None
    True
    """
    table = _table()
    words = _words(text)
    folded = [fold(w) for w in words]
    capitals = any(ch.isupper() for ch in text)
    best: tuple[int, Province] | None = None
    i = 0
    while i < len(words):
        taken = 0
        for n in range(min(table.longest, len(words) - i), 0, -1):
            key = table.search.get(tuple(folded[i : i + n]))
            if key is None or not _accepts(key, words[i : i + n], capitals):
                continue
            taken = n
            if key.target and (best is None or n > best[0]):
                best = (n, table.by_name[key.target])
            break
        i += taken or 1
    return best[1] if best else None


def successor_of(name: str | Province) -> Province | None:
    """The current unit that a unit became part of on 1 July 2025 (a current unit
    is its own successor); ``None`` if ``name`` names no province.

    >>> successor_of("Bình Dương").full_name
    'thành phố Hồ Chí Minh'
    >>> successor_of("Nghệ An").name
    'Nghệ An'
    """
    unit = name if isinstance(name, Province) else province(name)
    if unit is None:
        return None
    return unit if unit.current else _table().by_name[unit.successor]


def predecessors(name: str | Province) -> list[Province]:
    """The units of before 1 July 2025 that make up a current unit (itself first);
    ``[]`` for a former unit or a name that is no province.

    >>> [p.name for p in predecessors("Ninh Bình")]
    ['Ninh Bình', 'Hà Nam', 'Nam Định']
    """
    unit = name if isinstance(name, Province) else province(name)
    if unit is None or not unit.current:
        return []
    merged = [p for p in _table().ordered if p.successor == unit.name]
    return [unit, *merged]


def communes(name: str | Province) -> list[Commune]:
    """The xã, phường and đặc khu of a current unit, by code; ``[]`` for a former
    unit or a name that is no province.

    >>> [c.full_name for c in communes("Hà Nội")][:3]
    ['phường Ba Đình', 'phường Ngọc Hà', 'phường Giảng Võ']
    >>> sorted({c.kind for c in communes("An Giang")})
    ['phường', 'xã', 'đặc khu']
    """
    unit = name if isinstance(name, Province) else province(name)
    if unit is None or not unit.current:
        return []
    return list(_communes().get(unit.name, ()))


# -- building the tables (once) ---------------------------------------------------


@lru_cache(maxsize=1)
def _table() -> _Table:
    from vietnamadminunits import convert_address  # slow import: see the module doc
    from vietnamadminunits.database import get_data

    fields = ["province", "provinceShort", "provinceCode"]
    new = {r["provinceShort"]: r for r in get_data(fields, table="admin_units")}
    old = get_data(fields, table="admin_units_legacy")

    def current(name: str, former_code: str = "") -> Province:
        row = new[name]
        return Province(name, _kind(row), row["provinceCode"], True, "", former_code)

    ordered = []
    for row in sorted(old, key=lambda r: r["provinceCode"]):
        name, code = row["provinceShort"], row["provinceCode"]
        if name in new:
            ordered.append(current(name, code))
            continue
        successor = convert_address(row["province"]).short_province  # no network: no ward
        if successor not in new:
            raise ValueError(f"{PACKAGE}: no current successor for {row['province']!r}")
        ordered.append(Province(name, _kind(row), code, False, successor, code))
    missing = set(new) - {p.name for p in ordered}  # a new name: none on 1 July 2025
    ordered += [current(n) for n in sorted(missing, key=lambda n: new[n]["provinceCode"])]
    by_name = {p.name: p for p in ordered}

    names: dict[tuple[str, ...], _Key] = {}
    for p in ordered:
        _add_name(names, p.name, p.name)
    blockers = []
    for alias, target in _aliases():
        if not target:
            blockers.append(alias)
        elif target in by_name:
            _add_name(names, alias, target)
        else:
            raise ValueError(f"{ALIASES.name}: {alias!r} names {target!r}, no province")
    search = dict(names)
    for alias in blockers:
        words = tuple(_words(alias))
        search[tuple(fold(w) for w in words)] = _Key("", True, (words,))
    longest = max(len(k) for k in search)
    return _Table(tuple(ordered), by_name, names, search, longest)


def _kind(row: dict[str, str]) -> str:
    """ "tỉnh" or "thành phố", from the package's full name ("Tỉnh Nghệ An")."""
    full, short = row["province"], row["provinceShort"]
    kind = full.removesuffix(short).strip().lower()
    if kind not in KINDS or not full.endswith(short):
        raise ValueError(f"{PACKAGE}: no kind in {full!r}")
    return kind


def _add_name(names: dict[tuple[str, ...], _Key], written: str, target: str) -> None:
    """Index a name or alias bare and after each kind word."""
    words = tuple(_words(written))
    for prefix in ((), *_PREFIXES):
        shown = prefix + words
        folded = tuple(fold(w) for w in shown)
        had = names.get(folded)
        if had is None:
            names[folded] = _Key(target, not prefix, (shown,))
        elif had.target != target:
            raise ValueError(f"{written!r} names both {had.target!r} and {target!r}")
        elif shown not in had.spellings:  # "Đăk Lăk" beside "Đắk Lắk"
            names[folded] = _Key(target, had.bare, (*had.spellings, shown))


def _aliases() -> Iterable[tuple[str, str]]:
    """(alias, province) rows of the TSV; province "" for words that hide names."""
    lines = ALIASES.read_text(encoding="utf-8").splitlines()
    rows = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    if not rows or rows[0].split("\t") != ["alias", "province"]:
        raise ValueError(f"{ALIASES.name}: the first row must be 'alias<TAB>province'")
    for ln in rows[1:]:
        alias, _, target = ln.partition("\t")
        yield nfc(alias.strip()), nfc(target.strip())


@lru_cache(maxsize=1)
def _communes() -> dict[str, tuple[Commune, ...]]:
    from vietnamadminunits.database import get_data

    rows = get_data(["provinceShort", "wardShort", "wardType", "wardCode"], table="admin_units")
    found: dict[str, list[Commune]] = {}
    for r in sorted(rows, key=lambda r: r["wardCode"]):
        kind = r["wardType"].lower()
        if kind not in COMMUNE_KINDS:
            raise ValueError(f"{PACKAGE}: unknown commune kind {r['wardType']!r}")
        unit = Commune(r["wardShort"], kind, r["wardCode"], r["provinceShort"])
        found.setdefault(unit.province, []).append(unit)
    return {name: tuple(units) for name, units in found.items()}


# -- matching words ------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """The words of ``text`` (NFC), punctuation dropped: "TP.HCM" -> TP, HCM."""
    return _WORD.findall(nfc(text))


def _marks(word: str) -> tuple[str, ...]:
    """The diacritics of a word, wherever they sit ("hoà" and "hòa" are alike)."""
    low = word.lower()
    marks = [ch for ch in unicodedata.normalize("NFD", low) if unicodedata.combining(ch)]
    return tuple(sorted(marks + ["đ"] * low.count("đ")))


def _same_marks(words: list[str], spellings: tuple[tuple[str, ...], ...]) -> bool:
    """Each word has no diacritics or those of one spelling (word for word)."""
    return any(
        all(not _marks(w) or _marks(w) == _marks(e) for w, e in zip(words, spelling, strict=True))
        for spelling in spellings
    )


def _accepts(key: _Key, words: list[str], capitals: bool) -> bool:
    if not _same_marks(words, key.spellings):
        return False
    return not (key.bare and key.target and capitals) or all(w[0].isupper() for w in words)
