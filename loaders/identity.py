"""Which document is which: numbers unique only per issuer get the issuer's jurisdiction.

``2828/QĐ-UBND`` was issued in 2025 by Ho Chi Minh City and by Quảng Trị: a
number whose organ code is a local one (UBND, HĐND, a Sở's code, see
``data/header.toml``) identifies a document only together with the jurisdiction
of its issuer. National series (NĐ-CP, QĐ-TTg, TT-BTC, QH) need nothing more.
A document cited by such a number alone resolves in the citing document's
jurisdiction (:func:`scope_citations`).

>>> scope_of("2828/QĐ-UBND", "tỉnh Quảng Trị"), scope_of("14/2017/NĐ-CP", "Việt Nam")
('tỉnh Quảng Trị', '')
>>> scope_of("27887/SLĐTBXH-TE&BDG", "thành phố Hồ Chí Minh")
'thành phố Hồ Chí Minh'
"""

from __future__ import annotations

import dataclasses

from obligraph.loaders.header_vocab import vocab
from obligraph.loaders.records import Citation


def organ_code(number: str) -> str:
    """The organ code of a number: "98/2025/QĐ-UBND" -> "UBND", "708/LĐTBXH-TE" -> "LĐTBXH".

    >>> organ_code("98/2025/QĐ-UBND"), organ_code("708/LĐTBXH-TE"), organ_code("Luật Trẻ em")
    ('UBND', 'LĐTBXH', '')
    """
    if "/" not in number:
        return ""
    parts = [p for p in number.rsplit("/", 1)[-1].split("-") if p]
    if not parts:
        return ""
    if parts[0] in vocab().codes:
        return parts[1] if len(parts) > 1 else ""
    return parts[0]


def is_local_number(number: str) -> bool:
    """True when the number is unique only per issuer (its organ code is a local one)."""
    code = organ_code(number)
    return bool(code) and vocab().is_local_code(code)


def scope_of(number: str, jurisdiction: str) -> str:
    """The jurisdiction that completes a number's identity ("" for national series)."""
    if jurisdiction and jurisdiction != vocab().state and is_local_number(number):
        return jurisdiction
    return ""


def scope_citations(citations: list[Citation], jurisdiction: str) -> list[Citation]:
    """Citations with their target's jurisdiction: the one its issuer names, else the citer's.

    >>> from obligraph.loaders.records import DocRef, SourceSpan
    >>> span = SourceSpan("a.txt", 1, 1, "")
    >>> lai_chau = DocRef("5/QĐ-UBND", issuer="Ủy ban nhân dân tỉnh Lai Châu")
    >>> cits = [Citation(DocRef("12/KH-UBND"), "cites", span), Citation(lai_chau, "cites", span)]
    >>> [c.target.jurisdiction for c in scope_citations(cits, "tỉnh Nghệ An")]
    ['tỉnh Nghệ An', 'tỉnh Lai Châu']
    """
    from obligraph.loaders.divisions import find_province

    out: list[Citation] = []
    for c in citations:
        ref = c.target
        if ref.number and is_local_number(ref.number) and not ref.jurisdiction:
            prov = find_province(ref.issuer) if ref.issuer else None
            where = prov.full_name if prov is not None else jurisdiction
            c = dataclasses.replace(c, target=dataclasses.replace(ref, jurisdiction=where))
        out.append(c)
    return out
