"""The gazetteer of units: one node per unit whatever the spelling.

Units (ministries, their departments, provincial departments, mass
organisations, generic placeholders) live in Turtle files, not in code: every
``ontology/gazetteer/*.ttl`` bundled with obligraph plus any file the user
names. A unit is an ``org:Organization`` with a ``skos:prefLabel`` (its
canonical name), ``skos:altLabel`` variants and abbreviations, an optional
``org:subOrganizationOf`` parent and an ``ob:level``; placeholders such as
"Các đơn vị liên quan" are also ``ob:GenericUnit``.

Names are matched on folded keys (no diacritics, no punctuation, any case), so
"Cục phòng, chống tệ nạn xã hội" and "Cục Phòng chống tệ nạn xã hội" are one
unit. A name the gazetteer lacks is still returned, ``known=False``, when it
opens with a unit head word (Bộ, Cục, Vụ, Sở, Ủy ban, Hội, Trung tâm, ...).

>>> gaz = Gazetteer.default()
>>> gaz.resolve("Bộ GDĐT").canonical
'Bộ Giáo dục và Đào tạo'
>>> gaz.resolve("Cục phòng, chống tệ nạn xã hội").canonical
'Cục Phòng, chống tệ nạn xã hội'
>>> [u.canonical for u in gaz.split("Bộ: GDĐT, CA, YT, VHTTDL")]
['Bộ Giáo dục và Đào tạo', 'Bộ Công an', 'Bộ Y tế', 'Bộ Văn hóa, Thể thao và Du lịch']
>>> [u.canonical for u in gaz.split("Cục Trẻ em Cục Bảo trợ xã hội")]
['Cục Trẻ em', 'Cục Bảo trợ xã hội']
>>> ref = gaz.resolve("Báo Điện tử Dân trí")
>>> ref.known, ref.canonical
(False, 'Báo Điện tử Dân trí')
>>> gaz.resolve("Các đơn vị liên quan").generic
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from obligraph.loaders.records import UnitRef

from obligraph.base.errors import OntologyError
from obligraph.base.textkeys import fold, nfc

_WORD = re.compile(r"\w+")
_LEVELS = {
    "CentralBody": "central",
    "Ministry": "ministry",
    "MinistryUnit": "ministry_unit",
    "Province": "province",
    "ProvincialDepartment": "provincial_department",
    "District": "district",
    "Commune": "commune",
    "MassOrganisation": "mass_organisation",
    "OtherLevel": "other",
}
# Head words that open a unit's name (folded, as word tuples), longest first.
HEAD_WORDS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(h.split())
            for h in (
                "bo",
                "so",
                "cuc",
                "chi cuc",
                "vu",
                "tong cuc",
                "uy ban",
                "uy ban nhan dan",
                "ubnd",
                "hoi",
                "hoi dong",
                "trung tam",
                "truong",
                "bao",
                "tap chi",
                "quy",
                "van phong",
                "thanh tra",
                "cong an",
                "vien",
                "dai",
                "ban",
                "lien doan",
                "tong lien doan",
                "tong cong ty",
                "cong ty",
                "toa an",
                "trung uong",
                "tu",
                "tw",
                "thanh doan",
                "tinh doan",
                "huyen doan",
                "benh vien",
                "hoc vien",
                "cac",
                "nha xuat ban",
                "ngan hang",
            )
        ),
        key=len,
        reverse=True,
    )
)
_LIST_FORM = re.compile(r"^(?:các\s+)?(Bộ|Sở|Cục|Vụ|Hội|Trường|Viện)\s*:\s*(.+)$", re.IGNORECASE)
_HEAD_LEVEL = {
    "bo": "ministry", "so": "provincial_department", "uy ban nhan dan": "province",
    "ubnd": "province", "hoi": "mass_organisation", "lien doan": "mass_organisation",
    "tong lien doan": "mass_organisation", "thanh doan": "mass_organisation",
    "tinh doan": "mass_organisation", "huyen doan": "mass_organisation",
    "cuc": "ministry_unit", "vu": "ministry_unit", "tong cuc": "ministry_unit",
}  # fmt: skip
BUNDLED_DIR = Path(__file__).resolve().parent.parent / "ontology" / "gazetteer"


def key(name: str) -> str:
    """Folded matching key: words only, lower case, no diacritics.

    >>> key("Bộ Lao động - Thương binh và Xã hội")
    'bo lao dong thuong binh va xa hoi'
    """
    return " ".join(fold(w) for w in _WORD.findall(name.replace("_", " ")))


@dataclass(frozen=True)
class UnitEntry:
    """One unit of the gazetteer."""

    canonical: str
    alt_labels: tuple[str, ...] = ()
    parent: str = ""
    level: str = ""
    generic: bool = False
    iri: str = ""
    source: str = ""  # file it came from


@dataclass
class Mention:
    """A unit mention found in a text: span (character offsets) and resolution."""

    start: int
    end: int
    text: str
    unit: UnitRef


@dataclass
class Gazetteer:
    """Units with their names; resolves any spelling to one canonical unit."""

    _entries: dict[str, UnitEntry] = field(default_factory=dict)  # canonical -> entry
    _index: dict[str, str] = field(default_factory=dict)  # key -> canonical
    _compact: dict[str, str] = field(default_factory=dict)  # key without spaces -> canonical
    _by_first: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def default(cls) -> Gazetteer:
        """The bundled gazetteer (cached; treat as read-only)."""
        return _default()

    @classmethod
    def load(cls, extra_paths: Iterable[str | Path] = ()) -> Gazetteer:
        """Bundled ``ontology/gazetteer/*.ttl`` plus the user's files, in that order."""
        paths = sorted(BUNDLED_DIR.glob("*.ttl")) + [Path(p) for p in extra_paths]
        return cls.from_files(paths)

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> Gazetteer:
        """A gazetteer from exactly these Turtle files."""
        import rdflib
        from rdflib.namespace import RDF, SKOS

        ob = rdflib.Namespace("https://w3id.org/obligraph/ontology#")
        org = rdflib.Namespace("http://www.w3.org/ns/org#")
        graph = rdflib.Graph()
        sources: dict[rdflib.term.Node, str] = {}
        files: list[str] = []
        for path in paths:
            path = Path(path)
            if not path.is_file():
                raise OntologyError("gazetteer file not found", file=str(path))
            part = rdflib.Graph()
            try:
                part.parse(str(path), format="turtle")
            except Exception as exc:  # rdflib raises many kinds; report them all the same way
                line = getattr(exc, "lines", None)
                raise OntologyError(
                    f"cannot read gazetteer Turtle: {exc}".splitlines()[0],
                    file=str(path),
                    line=line if isinstance(line, int) else None,
                ) from None
            for s in part.subjects(RDF.type, org.Organization):
                sources.setdefault(s, path.name)
            graph += part
            files.append(str(path))
        gaz = cls(files=files)
        labels: dict[rdflib.term.Node, str] = {}
        for s in graph.subjects(RDF.type, org.Organization):
            pref = next(iter(graph.objects(s, SKOS.prefLabel)), None)
            if pref is None:
                raise OntologyError(f"unit {s} has no skos:prefLabel", file=sources.get(s))
            labels[s] = nfc(str(pref))
        for s, canonical in sorted(labels.items(), key=lambda kv: kv[1]):
            parent_node = next(iter(graph.objects(s, org.subOrganizationOf)), None)
            level_node = next(iter(graph.objects(s, ob.level)), None)
            level = ""
            if level_node is not None:
                level = _LEVELS.get(str(level_node).rsplit("#", 1)[-1], "other")
            entry = UnitEntry(
                canonical=canonical,
                alt_labels=tuple(sorted(nfc(str(a)) for a in graph.objects(s, SKOS.altLabel))),
                parent=labels.get(parent_node, "") if parent_node is not None else "",
                level=level,
                generic=(s, RDF.type, ob.GenericUnit) in graph,
                iri=str(s),
                source=sources.get(s, ""),
            )
            gaz.add(entry)
        return gaz

    def add(self, entry: UnitEntry) -> None:
        """Add (or extend) a unit; a later file may add labels to an existing unit."""
        old = self._entries.get(entry.canonical)
        if old is not None:
            entry = UnitEntry(
                entry.canonical,
                tuple(sorted(set(old.alt_labels) | set(entry.alt_labels))),
                entry.parent or old.parent,
                entry.level or old.level,
                entry.generic or old.generic,
                old.iri or entry.iri,
                old.source,
            )
        self._entries[entry.canonical] = entry
        for label in (entry.canonical, *entry.alt_labels):
            k = key(label)
            if not k:
                continue
            self._index.setdefault(k, entry.canonical)
            self._compact.setdefault(k.replace(" ", ""), entry.canonical)
            words = tuple(k.split())
            seq = self._by_first.setdefault(words[0], [])
            if words not in seq:
                seq.append(words)
                seq.sort(key=len, reverse=True)

    # ---- look-ups -----------------------------------------------------------------------
    def entries(self) -> list[UnitEntry]:
        """Every unit, sorted by canonical name."""
        return [self._entries[k] for k in sorted(self._entries)]

    def entry(self, canonical: str) -> UnitEntry | None:
        return self._entries.get(canonical)

    def _ref(self, mention: str, canonical: str) -> UnitRef:
        e = self._entries[canonical]
        return UnitRef(mention, e.canonical, True, e.generic, e.parent, e.level)

    def find(self, name: str) -> UnitRef | None:
        """The known unit this name denotes, or None."""
        name = clean_mention(name)
        k = key(name)
        canonical = self._index.get(k) or self._compact.get(k.replace(" ", ""))
        return self._ref(name, canonical) if canonical else None

    def resolve(self, mention: str) -> UnitRef:
        """Resolve a mention; unknown names come back with ``known=False``."""
        mention = clean_mention(mention)
        found = self.find(mention)
        if found is not None:
            return found
        k = key(mention)
        generic = k.startswith(("cac ", "nhung ")) or k.endswith("lien quan")
        canonical = mention[:1].upper() + mention[1:] if mention else mention
        return UnitRef(mention, canonical, False, generic, "", "" if generic else head_level(k))

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """Canonical names closest to ``name`` (for "did you mean ...?")."""
        from rapidfuzz import fuzz, process

        k = key(name)
        if not k:
            return []
        choices = list(self._index)
        out: list[str] = []
        for choice, _score, _ in process.extract(k, choices, scorer=fuzz.WRatio, limit=n * 4):
            canonical = self._index[choice]
            if canonical not in out:
                out.append(canonical)
            if len(out) == n:
                break
        return out

    # ---- cells and free text ------------------------------------------------------------
    def split(self, cell: str) -> list[UnitRef]:
        """Every unit named in a table cell, in order (duplicates kept once)."""
        refs: list[UnitRef] = []
        seen: set[str] = set()
        for m in self.split_mentions(cell)[0]:
            if m.unit.canonical not in seen:
                seen.add(m.unit.canonical)
                refs.append(m.unit)
        return refs

    def split_mentions(self, cell: str) -> tuple[list[Mention], list[str]]:
        """Mentions in a cell, and any leftover text that names no unit.

        Handles ";" and line separators, lists ("Bộ: GDĐT, CA, YT"), commas
        between units, and names run together with no separator.
        """
        mentions: list[Mention] = []
        leftovers: list[str] = []
        offset = 0
        for part in re.split(r"[;\n]|<br\s*/?>", cell):
            start = cell.find(part, offset)
            offset = start + len(part)
            text = part.strip()
            if not text:
                continue
            listed = _LIST_FORM.match(text)
            if listed:
                head = listed.group(1)
                for item in re.split(r"[,;]", listed.group(2)):
                    item = item.strip(" .")
                    if item:
                        name = f"{head} {item}"
                        ref = self.resolve(name)
                        mentions.append(Mention(start, start + len(part), name, ref))
                continue
            found, rest = self._scan(part, start)
            mentions.extend(found)
            leftovers.extend(rest)
        return mentions, leftovers

    def _scan(self, text: str, base: int = 0) -> tuple[list[Mention], list[str]]:
        words = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
        keys = [w[2] for w in words]
        out: list[Mention] = []
        leftovers: list[str] = []
        i = 0
        while i < len(words):
            n = self._known_at(keys, i)
            if n:
                j = i + n
            elif self._head_at(text, words, i):
                j = i + 1
                while (
                    j < len(words)
                    and not self._known_at(keys, j)
                    and not self._head_at(text, words, j, after=True)
                ):
                    j += 1
            else:
                j = i + 1
                while (
                    j < len(words)
                    and not self._known_at(keys, j)
                    and not self._head_at(text, words, j, after=True)
                ):
                    j += 1
                leftovers.append(text[words[i][0] : words[j - 1][1]].strip(" ,.;:-"))
                i = j
                continue
            name = clean_mention(text[words[i][0] : _end_with_closing(text, words[j - 1][1])])
            span = (base + words[i][0], base + words[j - 1][1])
            out.append(Mention(span[0], span[1], name, self.resolve(name)))
            i = j
        return out, leftovers

    def _known_at(self, keys: list[str], i: int) -> int:
        for seq in self._by_first.get(keys[i], ()):
            if tuple(keys[i : i + len(seq)]) == seq:
                return len(seq)
        return 0

    @staticmethod
    def _head_at(text: str, words: list[tuple[int, int, str]], i: int, after: bool = False) -> bool:
        """Whether a capitalised unit head word starts at word ``i``."""
        first = text[words[i][0] : words[i][1]]
        if not first[:1].isupper():
            return False
        if after and text[: words[i][0]].rstrip().endswith(("-", "&")):
            return False
        keys = [w[2] for w in words]
        return any(tuple(keys[i : i + len(h)]) == h for h in HEAD_WORDS)

    def find_all(self, text: str) -> list[Mention]:
        """Known units named anywhere in free text (longest match, left to right)."""
        words = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
        keys = [w[2] for w in words]
        out: list[Mention] = []
        i = 0
        while i < len(words):
            n = self._known_at(keys, i)
            if n and text[words[i][0]].isupper():
                name = text[words[i][0] : words[i + n - 1][1]]
                out.append(Mention(words[i][0], words[i + n - 1][1], name, self.resolve(name)))
                i += n
            else:
                i += 1
        return out


def _end_with_closing(text: str, end: int) -> int:
    """Extend a span over a closing parenthesis that belongs to the name."""
    return end + 1 if text[end : end + 1] == ")" and "(" in text[:end] else end


def clean_mention(text: str) -> str:
    """Trim spaces and stray punctuation around a unit name; NFC; single spaces."""
    text = nfc(re.sub(r"\s+", " ", text)).strip(" \t,.;:-–")
    if text.count("(") < text.count(")"):
        text = text.rstrip(")").strip()
    return text


def head_level(k: str) -> str:
    """A level guessed from a folded name's head word ("" when nothing fits)."""
    words = tuple(k.split())
    for head in HEAD_WORDS:
        if words[: len(head)] == head:
            return _HEAD_LEVEL.get(" ".join(head), "other")
    return ""


@lru_cache(maxsize=1)
def _default() -> Gazetteer:
    return Gazetteer.load()
