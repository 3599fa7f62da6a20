"""The pool of unit names the synthetic corpus assigns tasks to, read from the gazetteer.

Units are taken from the bundled gazetteer (``ontology/gazetteer/*.ttl``) through
:class:`obligraph.loaders.units.Gazetteer`, sorted by name so a seed always
draws the same ones. An abbreviation is used in the text only when the
gazetteer resolves it back to the same unit.

>>> pool = UnitPool.from_entries([
...     Unit("Chính phủ", ("Chính phủ",), "", False),
...     Unit("Bộ Y tế", ("Bộ Y tế",), "Chính phủ", False),
...     Unit("Cục Quản lý Khám, chữa bệnh", ("Cục Quản lý Khám, chữa bệnh",), "Bộ Y tế", False),
...     Unit("Vụ Pháp chế", ("Vụ Pháp chế",), "Bộ Y tế", False),
...     Unit("Vụ Bảo hiểm y tế", ("Vụ BHYT",), "Bộ Y tế", False),
...     Unit("Các đơn vị liên quan", ("Các đơn vị liên quan",), "", True),
... ])
>>> [u.canonical for u in pool.planners], [u.canonical for u in pool.children["Bộ Y tế"]]
(['Bộ Y tế'], ['Cục Quản lý Khám, chữa bệnh', 'Vụ Bảo hiểm y tế', 'Vụ Pháp chế'])
>>> Unit("Sở Y tế Thành phố Hồ Chí Minh", ("Sở Y tế",), "", False).short("Thành phố Hồ Chí Minh")
'Sở Y tế'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Unit:
    """A unit as the generator may write it: canonical name and the mentions that resolve to it."""

    canonical: str
    mentions: tuple[str, ...]
    parent: str
    generic: bool
    level: str = ""  # as the gazetteer says: "Ministry", "MassOrganisation", ...

    def short(self, place: str) -> str:
        """How a document of ``place`` names its own unit (``Sở Y tế``, ``Thành Đoàn``...)."""
        if not place or not self.canonical.endswith(" " + place):
            return self.canonical
        stem = self.canonical.removesuffix(" " + place)
        for mention in (stem, f"{stem} Thành phố", f"{stem} Tỉnh"):
            if mention in self.mentions:
                return mention
        return self.canonical


@dataclass
class UnitPool:
    """Units grouped by role in the generated documents."""

    ministries: list[Unit] = field(default_factory=list)
    planners: list[Unit] = field(default_factory=list)  # ministries with units to fill an annex
    provinces: list[Unit] = field(default_factory=list)
    children: dict[str, list[Unit]] = field(default_factory=dict)  # parent canonical -> units
    outside: dict[str, list[Unit]] = field(default_factory=dict)  # province -> its mass orgs
    generics: list[Unit] = field(default_factory=list)
    prime_minister: Unit | None = None

    @classmethod
    def from_entries(cls, units: Iterable[Unit]) -> UnitPool:
        """Group units: ministries (``Bộ ...``), provinces (``Ủy ban nhân dân ...``), children."""
        pool = cls()
        ordered = sorted(units, key=lambda u: u.canonical)
        for unit in ordered:
            if unit.generic:
                pool.generics.append(unit)
            elif unit.canonical == "Thủ tướng Chính phủ":
                pool.prime_minister = unit
            elif unit.canonical.startswith("Bộ ") and not unit.parent.startswith("Bộ "):
                pool.ministries.append(unit)
            elif unit.canonical.startswith("Ủy ban nhân dân ") and not unit.parent:
                pool.provinces.append(unit)
        ministries = {u.canonical for u in pool.ministries}
        provinces = {u.canonical for u in pool.provinces}
        for unit in ordered:
            if unit.generic:
                continue
            department = unit.parent in provinces and unit.canonical.startswith("Sở ")
            if unit.parent in ministries or department:
                pool.children.setdefault(unit.parent, []).append(unit)
            elif not unit.parent and "mass" in unit.level.lower():
                for province in pool.provinces:
                    place = province.canonical.removeprefix("Ủy ban nhân dân ")
                    if unit.canonical.endswith(" " + place):
                        pool.outside.setdefault(province.canonical, []).append(unit)
        size = {name: len(units) for name, units in pool.children.items()}
        pool.planners = [m for m in pool.ministries if size.get(m.canonical, 0) >= 3]
        pool.provinces = [p for p in pool.provinces if size.get(p.canonical, 0) >= 3]
        return pool

    @classmethod
    def from_gazetteer(cls, gazetteer: Any = None) -> UnitPool:
        """Pool from a :class:`~obligraph.loaders.units.Gazetteer` (the bundled one by default)."""
        from obligraph.loaders.units import Gazetteer

        gaz = gazetteer if gazetteer is not None else Gazetteer.default()
        units = []
        for entry in gaz.entries():
            mentions = [entry.canonical]
            for alt in sorted(entry.alt_labels):
                found = gaz.find(alt)
                same = found is not None and found.canonical == entry.canonical
                if alt != entry.canonical and same:
                    mentions.append(alt)
            parent, level = entry.parent or "", str(entry.level or "")
            units.append(Unit(entry.canonical, tuple(mentions), parent, entry.generic, level))
        pool = cls.from_entries(units)
        if not pool.planners or not pool.provinces or not pool.generics:
            from obligraph.base.errors import ObligraphError

            raise ObligraphError(
                "the gazetteer lacks ministries with sub-units, provinces with departments or "
                f"generic units (found {len(pool.planners)} ministries, "
                f"{len(pool.provinces)} provinces, {len(pool.generics)} generic units)"
            )
        return pool

    def generic(self, words: str) -> Unit | None:
        """The generic unit whose name contains ``words`` (e.g. ``"đơn vị liên quan"``)."""
        for unit in self.generics:
            if words in unit.canonical:
                return unit
        return None
