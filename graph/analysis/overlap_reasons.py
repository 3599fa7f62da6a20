"""Why two tasks (or two owners of an indicator) overlap, in English and Vietnamese.

:mod:`obligraph.graph.analysis.overlap` stores both on each ``ob:Overlap``: ``ob:reason "..."@en``
(what exports and named queries read) and ``ob:reason "..."@vi`` (the Vietnamese
pages). The reason is the same list of phrases in both languages.

>>> from obligraph.graph.analysis.overlap_read import _Item
>>> a = _Item(iri="a", kind="task", text="", document="d1", document_label="704/QĐ-LĐTBXH")
>>> b = _Item(iri="b", kind="task", text="", document="d2", document_label="923/QĐ-LĐTBXH")
>>> shared = {"u": "Cục Trẻ em"}
>>> task_reason(a, b, 0.82, shared, set(), "reworded", "en")
'shared unit Cục Trẻ em; reworded task; documents 704/QĐ-LĐTBXH and 923/QĐ-LĐTBXH; score 0.82'
>>> task_reason(a, b, 0.82, shared, set(), "reworded", "vi").split("; ")
... # doctest: +NORMALIZE_WHITESPACE
['chung đơn vị Cục Trẻ em', 'cùng một việc, diễn đạt khác',
 'văn bản 704/QĐ-LĐTBXH và 923/QĐ-LĐTBXH', 'mức giống 0,82']
"""

from __future__ import annotations

from collections.abc import Iterable

from obligraph.graph.analysis.overlap_read import _Item

#: The phrases of a reason, by language.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "more": "{names} and {n} more",
        "and": "{a} and {b}",
        "same_lead": "same lead unit {names}",
        "shared_unit": "shared unit {names}",
        "no_shared": "no shared unit",
        "same_indicator": "same indicator {names}",
        "same_text": "same text",
        "near_identical": "near-identical task",
        "reworded": "reworded task",
        "one_document": "one document {doc}, programmes {programmes}",
        "documents": "documents {docs}",
        "both_under": "documents {docs}, both under {programme}",
        "programmes": "documents {docs}, programmes {programmes}",
        "score": "score {value}",
        "indicator": "same indicator: {key} is owned under {n} documents ({owners})",
        "indicator_of": "indicator {ind} of {doc}",
        "no_owner": "no owner named",
        "same_owner": "same owner {names}",
        "same_measure": "same measure, worded alike",
    },
    "vi": {
        "more": "{names} và {n} đơn vị khác",
        "and": "{a} và {b}",
        "same_lead": "cùng đơn vị chủ trì {names}",
        "shared_unit": "chung đơn vị {names}",
        "no_shared": "không chung đơn vị nào",
        "same_indicator": "cùng chỉ tiêu {names}",
        "same_text": "cùng nội dung",
        "near_identical": "nhiệm vụ gần như giống hệt",
        "reworded": "cùng một việc, diễn đạt khác",
        "one_document": "cùng văn bản {doc}, chương trình {programmes}",
        "documents": "văn bản {docs}",
        "both_under": "văn bản {docs}, cùng thuộc {programme}",
        "programmes": "văn bản {docs}, chương trình {programmes}",
        "score": "mức giống {value}",
        "indicator": "cùng chỉ tiêu: {key} được giao trong {n} văn bản ({owners})",
        "indicator_of": "chỉ tiêu {ind} của {doc}",
        "no_owner": "không nêu đơn vị",
        "same_owner": "cùng đơn vị {names}",
        "same_measure": "cùng thước đo, diễn đạt giống nhau",
    },
}


def names(labels: Iterable[str], lang: str = "en") -> str:
    """At most three names, then how many more.

    >>> names(["C", "A", "B", "D", "E"]), names(["C", "A", "B", "D"], "vi")
    ('A, B, C and 2 more', 'A, B, C và 1 đơn vị khác')
    """
    found = sorted(set(labels))
    head = ", ".join(found[:3])
    if len(found) <= 3:
        return head
    return WORDS[lang]["more"].format(names=head, n=len(found) - 3)


def score(value: float, lang: str = "en") -> str:
    """The similarity, with the decimal mark of ``lang`` (a comma in Vietnamese)."""
    text = f"{value:.2f}"
    return WORDS[lang]["score"].format(value=text.replace(".", ",") if lang == "vi" else text)


def where(a: _Item, b: _Item, lang: str = "en") -> str:
    """The documents and programmes of the two sides."""
    w = WORDS[lang]
    programmes = w["and"].format(a=a.programme_label, b=b.programme_label)
    if a.document == b.document:
        return w["one_document"].format(doc=a.document_label, programmes=programmes)
    docs = w["and"].format(a=a.document_label, b=b.document_label)
    if a.programme and b.programme:
        if a.programme == b.programme:
            return w["both_under"].format(docs=docs, programme=a.programme_label)
        return w["programmes"].format(docs=docs, programmes=programmes)
    return w["documents"].format(docs=docs)


def task_reason(
    a: _Item,
    b: _Item,
    value: float,
    shared: dict[str, str],
    via: set[str],
    likeness: str,
    lang: str = "en",
) -> str:
    """The reason of a task overlap; ``likeness``: same_text | near_identical | reworded."""
    w = WORDS[lang]
    parts: list[str] = []
    both_lead = {u: shared[u] for u in shared if u in a.lead and u in b.lead}
    other = {u: shared[u] for u in shared if u not in both_lead}
    if both_lead:
        parts.append(w["same_lead"].format(names=names(both_lead.values(), lang)))
    if other:
        parts.append(w["shared_unit"].format(names=names(other.values(), lang)))
    if not shared:
        parts.append(w["no_shared"])
    if via:
        indicators = (i.rsplit("/doc/", 1)[-1] for i in via)
        parts.append(w["same_indicator"].format(names=names(indicators, lang)))
    parts.append(w[likeness])
    parts.append(where(a, b, lang))
    parts.append(score(value, lang))
    return "; ".join(parts)


def key_label(key: str, lang: str = "en") -> str:
    """An indicator key as people read it ("indicator 3 of qd/704-qd-ldtbxh/2021")."""
    tail = key.rsplit("/doc/", 1)[-1]
    if "/indicator/" in tail:
        doc, ind = tail.split("/indicator/", 1)
        return WORDS[lang]["indicator_of"].format(ind=ind, doc=doc)
    return tail


def indicator_reason(
    key: str, documents: int, owners: list[tuple[str, list[str]]], shared: list[str], lang: str
) -> str:
    """The reason of an overlap of one indicator's owners (``owners``: document, units)."""
    w = WORDS[lang]
    owner_text = "; ".join(
        f"{doc}: " + (names(units, lang) or w["no_owner"]) for doc, units in owners
    )
    reason = w["indicator"].format(key=key_label(key, lang), n=documents, owners=owner_text)
    if shared:
        reason += "; " + w["same_owner"].format(names=names(shared, lang))
    return reason


def measure_reason(a: _Item, b: _Item, value: float, shared: list[str], lang: str) -> str:
    """The reason of two indicators with near-identical measures."""
    w = WORDS[lang]
    reason = f"{w['same_measure']}; {where(a, b, lang)}; {score(value, lang)}"
    if shared:
        reason = w["same_owner"].format(names=names(shared, lang)) + "; " + reason
    return reason
