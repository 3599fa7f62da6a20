"""Units a sentence names: its subject, its "phối hợp (với)" list, read in the issuer's place.

Prose assignments, deadlines and indicators all ask the same questions of running
text: which units open a sentence (its subject, up to the first verb outside a
unit's name), which are named after "phối hợp (với)", and what a bare local name
("Sở Y tế") means in the document of a given issuer.

>>> units, rest_at, kind = split_subject("Đề nghị Sở Y tế chủ trì triển khai", Gazetteer.default())
>>> [u.mention for u in units], kind
(['Sở Y tế'], 'request')
>>> [u.canonical for u in support_units("phối hợp với Sở Tư pháp thực hiện", Gazetteer.default())]
['Sở Tư pháp Thành phố Hồ Chí Minh']
"""

from __future__ import annotations

import re
from typing import Any

from obligraph.loaders.records import UnitRef
from obligraph.loaders.unit_names import list_end, looks_like_unit, trim_name
from obligraph.loaders.units import Gazetteer, Mention

from obligraph.base.textkeys import fold


def fold_keep(text: str) -> str:
    """Fold character by character, keeping offsets (one output char per input char).

    >>> fold_keep("Sở Y tế  chủ trì")
    'so y te  chu tri'
    """
    return text.translate(_KEEP)


class _KeepTable(dict):
    """``str.translate`` table of :func:`fold_keep`, filled as characters are met: a white
    space to a space, else the character folded when that is one character, else its
    lower case's first character (or a space)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch.isspace():
            kept = " "
        else:
            f = fold(ch)
            kept = f if len(f) == 1 else (ch.lower()[:1] or " ")
        self[code] = kept
        return kept


_KEEP = _KeepTable()


# Verbs (folded) that end a subject: what follows the unit names.
_VERB = re.compile(
    r"\b(?:chu tri|tham muu|phoi hop|trien khai|thuc hien|co trach nhiem|chiu trach nhiem|"
    r"tang(?! cuong)|dua|theo doi|lap|tich cuc|huong dan|xay dung|chi dao|bao cao|"
    r"nghien cuu|de xuat|duoc giao|trong pham vi|can cu|dam bao|phu trach|cung cap|"
    r"ra soat|bo tri|tang cuong|giam sat|thanh lap|de)\b"
)
_PREFIX = re.compile(
    r"^(?:(?P<request>đề nghị)\s+|(?P<assign>giao(?:\s+cho)?)\s+|ngoài ra,?\s+|đối với\s+)+",
    re.IGNORECASE,
)
_UNIT_NOUN = re.compile(
    r"\b(?:so|ban|nganh|don vi|co quan|to chuc|dia phuong|bo|hoi|doan the|uy ban|cong an|"
    r"toa an|vien|dai|bao chi|truong|trung tam)\b"
)
_SUPPORT = re.compile(r"\bphoi hop(?:\s+voi)?\s+")


def _verb_at(text: str, gazetteer: Gazetteer, start: int = 0) -> int:
    """Offset of the first verb outside a known unit's name ("Sở Xây dựng" is no verb), or -1."""
    key = fold_keep(text)
    known = [(m.start, m.end) for m in gazetteer.find_all(text)]
    for match in _VERB.finditer(key, start):
        if not any(a <= match.start() < b for a, b in known):
            return match.start()
    return -1


def _mentions(text: str, gazetteer: Gazetteer, resolver: Any = None) -> list[UnitRef]:
    """Units named in a short segment (a subject or a "phối hợp với ..." list).

    With a ``resolver`` (:class:`obligraph.loaders.unit_names.UnitResolver`) names are
    resolved in the document's own jurisdiction.
    """
    text = re.sub(r"\((?!\s*(?:thông qua|qua)\b)[^()]*\)", " ", text)
    text = re.sub(r"\(\s*(?:thông qua|qua)\s+([^()]*)\)", r", \1", text)
    if resolver is not None:
        known, rest = gazetteer.split_mentions(text)
        named_rest = [x for x in rest if x.strip(" ,;:.").lower().startswith(("các ", "sở "))]
        if known and not named_rest and all(m.unit.known for m in known):
            # every name is one the gazetteer knows: its reading, in this jurisdiction
            out: list[UnitRef] = []
            for m in known:
                ref = m.unit if m.unit.generic else resolver.resolve(m.unit.mention)
                if all(r.canonical != ref.canonical for r in out):
                    out.append(ref)
            return out
        refs, _rest = resolver.split(text)
        kept: list[UnitRef] = []
        for ref in refs:
            name = ref.mention if ref.known else trim_name(ref.mention)
            if name != ref.mention:
                ref = resolver.resolve(name)
            words = ref.mention.split()
            if len(words) < 2 and not ref.known:
                continue
            if (
                not ref.known
                and not ref.generic
                and not (
                    words[1][:1].isupper()
                    or words[1][:1].isdigit()
                    or resolver.is_local(ref.mention)
                )
            ):
                continue  # "Báo cáo gửi" is not a unit
            if all(r.canonical != ref.canonical for r in kept):
                kept.append(ref)
        return kept
    found, rest = gazetteer.split_mentions(text)
    # lower-case placeholders the scanner leaves over: "... và các tổ chức xã hội"
    for left in rest:
        left = re.sub(r"^(?:và|cùng|với)\s+", "", left.strip(" ,;:."))
        key = fold(left)
        if key.startswith("cac ") and _UNIT_NOUN.search(key[4:20]):
            at = text.find(left)
            found.append(Mention(at, at + len(left), left, gazetteer.resolve(left)))
    found.sort(key=lambda m: m.start)
    out: list[UnitRef] = []
    for mention in found:
        ref = mention.unit
        if not ref.known:
            words = ref.mention.split()
            if len(words) < 2:
                continue
            if not (words[1][:1].isupper() or words[1][:1].isdigit()):
                # "Các đơn vị liên quan" is a placeholder; "Báo cáo gửi" is not a unit
                if not (ref.generic and _UNIT_NOUN.search(fold(" ".join(words[1:4])))):
                    continue
        if all(r.canonical != ref.canonical for r in out):
            out.append(ref)
    return out


def split_subject(
    body: str, gazetteer: Gazetteer, resolver: Any = None
) -> tuple[list[UnitRef], int, str]:
    """Units opening ``body``, where the rest starts, and ``"request"``/``"assign"``/``""``.

    The subject ends at the first verb outside a known unit's name, or at a colon;
    a leading "Đề nghị" makes a request, "Giao (cho)" an assignment. With a
    ``resolver`` (:class:`obligraph.loaders.unit_names.UnitResolver`) names are read
    in the document's jurisdiction. No units: ``([], <after the prefix>, kind)``.

    >>> gaz = Gazetteer.default()
    >>> units, rest_at, kind = split_subject("Giao Sở Y tế thực hiện", gaz)
    >>> [u.mention for u in units], "Giao Sở Y tế thực hiện"[rest_at:], kind
    (['Sở Y tế'], 'thực hiện', 'assign')
    >>> split_subject("Báo cáo gửi về Sở Y tế", gaz)
    ([], 0, '')
    """
    prefix = _PREFIX.match(body)
    kind = ""
    start = 0
    if prefix:
        kind = (
            "request" if prefix.group("request") else ("assign" if prefix.group("assign") else "")
        )
        start = prefix.end()
    rest = body[start:]
    key = fold_keep(rest)
    colon = rest.find(":")
    ends = [p for p in (_verb_at(rest, gazetteer), colon) if p > 0]
    if resolver is not None:
        end_of_list = list_end(rest)
        if ends:
            pass  # a known verb or a colon ends the subject
        elif 0 < end_of_list < len(rest):
            ends.append(end_of_list)
        elif len(rest.split()) <= 12:
            ends.append(len(rest))  # a heading that is only a unit's name: "1. Sở Y tế"
    if not ends:
        return [], start, kind
    end = min(ends)
    segment_text = rest[:end]
    if not segment_text[:1].isupper() and not key.startswith("cac "):
        return [], start, kind
    letters = [c for c in segment_text if c.isalpha()]
    if len(letters) > 6 and all(c.isupper() for c in letters):
        return [], start, kind  # a heading or a signature in capitals, not a subject
    if resolver is not None:
        if not looks_like_unit(segment_text.strip()) and gazetteer.find(segment_text) is None:
            return [], start, kind  # "Báo cáo gửi về ...": no unit opens the sentence
    units = _mentions(segment_text, gazetteer, resolver)
    if not units:
        return [], start, kind
    first = fold(units[0].mention.split()[0]) if units[0].mention else ""
    if not fold(segment_text).startswith(first):
        return [], start, kind
    return units, start + end, kind


def unit_list_at(text: str, gazetteer: Gazetteer | None = None) -> list[UnitRef]:
    """The units a sentence opens with (its subject), or ``[]``.

    >>> [u.canonical for u in unit_list_at("Sở Y tế, Sở Tư pháp chủ trì triển khai")]
    ['Sở Y tế Thành phố Hồ Chí Minh', 'Sở Tư pháp Thành phố Hồ Chí Minh']
    """
    gazetteer = gazetteer or Gazetteer.default()
    return split_subject(text.strip(), gazetteer)[0]


def resolve_units_in(
    text: str, gazetteer: Gazetteer | None = None, limit: int = 5
) -> list[UnitRef]:
    """Units named at the start of a phrase ("Bộ X (thông qua Cục Y) trước ngày ..."), at most
    ``limit``.

    >>> [u.mention for u in resolve_units_in("Sở Y tế, Sở Tư pháp trước ngày 15/12")]
    ['Sở Y tế', 'Sở Tư pháp']
    """
    gazetteer = gazetteer or Gazetteer.default()
    verb = _verb_at(text, gazetteer)
    segment_text = text[:verb] if verb > 0 else text
    return _mentions(segment_text, gazetteer)[:limit]


def support_units(text: str, gazetteer: Gazetteer, resolver: Any = None) -> list[UnitRef]:
    """Units named after "phối hợp (với)" in ``text``, each once, in order.

    >>> text = "Sở Y tế chủ trì, phối hợp Sở Tư pháp và các đơn vị liên quan thực hiện"
    >>> [u.canonical for u in support_units(text, Gazetteer.default())]
    ['Sở Tư pháp Thành phố Hồ Chí Minh', 'Các đơn vị liên quan']
    """
    key = fold_keep(text)
    out: list[UnitRef] = []
    for match in _SUPPORT.finditer(key):
        tail = text[match.end() :]
        cut = [p for p in (_verb_at(tail, gazetteer), *(tail.find(c) for c in ":;.(")) if p > 0]
        if resolver is not None:
            cut.append(list_end(tail))
        segment_text = tail[: min(cut)] if cut else tail
        if not segment_text.strip()[:1]:
            continue
        for ref in _mentions(segment_text, gazetteer, resolver):
            if all(r.canonical != ref.canonical for r in out):
                out.append(ref)
    return out


def issuer_chain(gazetteer: Gazetteer, canonical: str) -> list[str]:
    """A unit and its parents in the gazetteer, nearest first (at most ten, no loop).

    >>> issuer_chain(Gazetteer.default(), "Cục Trẻ em")
    ['Cục Trẻ em', 'Bộ Lao động - Thương binh và Xã hội', 'Chính phủ']
    """
    chain = []
    while canonical and canonical not in chain and len(chain) < 10:
        chain.append(canonical)
        entry = gazetteer.entry(canonical)
        canonical = entry.parent if entry is not None else ""
    return chain


def localise(ref: UnitRef, issuer: str, gazetteer: Gazetteer) -> UnitRef:
    """Keep a bare local name ("Sở Y tế") from meaning one province's unit in another's text.

    The gazetteer knows "Sở Lao động - Thương binh và Xã hội" as Ho Chi Minh City's department
    (its alternative label). In a document whose issuer is not under that city, the bare name
    means "the department of each province": the gazetteer's placeholder "<name> các tỉnh,
    thành phố" when it has one, else a generic unit of that name.

    >>> gaz = Gazetteer.default()
    >>> ref = gaz.resolve("Sở Lao động - Thương binh và Xã hội")
    >>> localise(ref, "Bộ Lao động - Thương binh và Xã hội", gaz).canonical
    'Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố'
    >>> localise(ref, "Ủy ban nhân dân Thành phố Hồ Chí Minh", gaz).canonical
    'Sở Lao động - Thương binh và Xã hội Thành phố Hồ Chí Minh'
    """
    if not issuer or not ref.known:
        return ref
    chain = issuer_chain(gazetteer, ref.canonical)
    province = ""
    for name in chain[1:]:
        entry = gazetteer.entry(name)
        if entry is not None and entry.level == "province":
            province = name
            break
    if not province:
        return ref
    own = issuer_chain(gazetteer, gazetteer.resolve(issuer).canonical)
    if province in own or ref.canonical in own or fold(ref.mention) == fold(ref.canonical):
        return ref
    place = re.match(r"^(?:Ủy ban nhân dân|UBND)\s+((?:tỉnh|thành phố)\s+\S.*)$", issuer)
    if place:  # the issuing province's own department: "Sở Tư pháp tỉnh An Giang"
        return UnitRef(ref.mention, f"{ref.mention} {place.group(1)}", False, False, issuer,
                       "provincial_department")  # fmt: skip
    placeholder = gazetteer.find(f"{ref.mention} các tỉnh, thành phố")
    if placeholder is not None:
        return UnitRef(
            ref.mention, placeholder.canonical, True, True, placeholder.parent, placeholder.level
        )
    return UnitRef(ref.mention, ref.mention, False, True, "", ref.level)
