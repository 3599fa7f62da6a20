"""The loaders' one contract: a document's text, cleaned and segmented once, and its context.

The orchestrator (:func:`obligraph.loaders.document.load_document`) reads a file,
cleans it (:mod:`normalise`) and cuts it into items (:mod:`structure`) ONCE, into a
:class:`Text`; it reads the header and the citations, and builds one typed
:class:`Context` (file, issuer, jurisdiction, year, programmes, gazetteer). Every
extractor is then called the same way, ``extract(text, ctx)``, and returns its
records and its findings (:class:`Extracted`): the annex tables
(:func:`obligraph.loaders.annex.extract`), prose assignments
(:func:`obligraph.loaders.prose.extract`), duty blocks
(:func:`obligraph.loaders.duties.extract`), indicators
(:func:`obligraph.loaders.indicators.extract`) and deadlines
(:func:`obligraph.loaders.timeframes.extract`).

>>> from obligraph.loaders.records import DocRef
>>> ctx = Context(file="plan.txt", year=2021, issuer="Bộ Lao động - Thương binh và Xã hội",
...               jurisdiction="Việt Nam",
...               programmes=[DocRef("23/QĐ-TTg", "Quyết định", "2021-01-07")])
>>> ctx.programme_numbers
['23/QĐ-TTg']
>>> ctx.resolver.resolve("Sở Y tế").canonical  # a ministry's "Sở Y tế": every province's
'Sở Y tế các tỉnh, thành phố'
>>> text = Text.from_lines(["1. Sở Y tế chủ trì.", "- Hướng dẫn"], file="plan.txt")
>>> [i.kind for i in text.items], text.lines[0]
(['number', 'dash'], '1. Sở Y tế chủ trì.')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Generic, TypeVar

from obligraph.loaders.normalise import Cleaned, clean
from obligraph.loaders.records import Citation, DocRef, Finding
from obligraph.loaders.structure import Item, segment

if TYPE_CHECKING:  # pragma: no cover
    from obligraph.loaders.unit_names import UnitResolver
    from obligraph.loaders.units import Gazetteer

R = TypeVar("R")


@dataclass
class Text:
    """A document's text as every extractor reads it: cleaned once, segmented once."""

    file: str
    cleaned: Cleaned
    items: list[Item]

    @classmethod
    def from_lines(cls, raw: list[str], *, file: str) -> Text:
        """Clean and segment lines as read (line ``n`` of the file is ``raw[n - 1]``)."""
        cleaned = clean(raw)
        return cls(file, cleaned, segment(cleaned))

    @property
    def lines(self) -> list[str]:
        """Cleaned lines (noise blanked, line numbers kept)."""
        return self.cleaned.lines


@dataclass
class Context:
    """Facts about the document being loaded, handed to every extractor.

    ``year`` is the year of the document date (or the best year known); ``issuer``
    the canonical name of the issuing body; ``jurisdiction`` the one it acts for
    ("tỉnh Nghệ An"; "Việt Nam" for a central organ; "" when unknown), in which bare
    unit names resolve; ``programmes`` the documents the plan implements;
    ``citations`` every citation found so far; ``gazetteer`` the named units.
    """

    file: str
    year: int | None = None
    issuer: str = ""
    jurisdiction: str = ""
    doc_type: str = ""
    number: str = ""
    programmes: list[DocRef] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    gazetteer: Gazetteer | None = None

    @property
    def programme_numbers(self) -> list[str]:
        """Numbers of the implemented programmes, as printed."""
        return [p.number or p.title for p in self.programmes]

    @cached_property
    def units(self) -> Gazetteer:
        """The gazetteer (the bundled one when none was given)."""
        if self.gazetteer is None:
            from obligraph.loaders.units import Gazetteer

            self.gazetteer = Gazetteer.default()
        return self.gazetteer

    @cached_property
    def resolver(self) -> UnitResolver:
        """Unit names resolved in this document's jurisdiction."""
        from obligraph.loaders.unit_names import UnitResolver

        return UnitResolver(self.units, self.jurisdiction)


@dataclass
class Extracted(Generic[R]):
    """What one extractor returns: its records and its findings."""

    records: list[R] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
