"""What a document says about itself, handed to every extractor.

The orchestrator (:func:`obligraph.loaders.document.load_document`) reads the
header and the citations first, then passes this context to the extractors of
tasks, indicators and deadlines so they can date a "trước ngày 10 tháng 6" or
know which programme a task serves.

>>> from obligraph.loaders.records import DocRef
>>> ctx = Context(file="plan.txt", year=2021, issuer="Bộ Lao động - Thương binh và Xã hội",
...               programmes=[DocRef("23/QĐ-TTg", "Quyết định", "2021-01-07")])
>>> ctx.programme_numbers
['23/QĐ-TTg']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from obligraph.loaders.records import Citation, DocRef


@dataclass
class Context:
    """Facts about the document being loaded.

    ``year`` is the year of the document date (or the best year known);
    ``issuer`` the canonical name of the issuing body; ``programmes`` the
    documents the plan implements; ``citations`` every citation found so far.
    """

    file: str
    year: int | None = None
    issuer: str = ""
    jurisdiction: str = ""  # "tỉnh Nghệ An", "Việt Nam" for a central organ, "" when unknown
    doc_type: str = ""
    number: str = ""
    programmes: list[DocRef] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    @property
    def programme_numbers(self) -> list[str]:
        """Numbers of the implemented programmes, as printed."""
        return [p.number or p.title for p in self.programmes]
