"""The label a person reads for a task id: ``annex-1-a`` -> "Phụ lục, mục 1, điểm a".

A task id is the task's position in its document (:mod:`obligraph.loaders.structure`,
:mod:`obligraph.loaders.annex`): segments joined by ``-``. Machine outputs keep the
id; pages show this label. The rule, segment by segment (words in
``obligraph/base/data/item_labels.toml``):

- ``annex`` opens the task table ("Phụ lục"), ``annex2`` its second table;
- a Roman numeral (``III``) is a part, ``dieu-5`` an article;
- a number (``2``, ``2.2``) is an item; a plain number followed by its own dotted
  child (``2-2.2``) is said once, as the child;
- a letter (``b``; ``dd`` is ``đ``) is a point; ``ii`` or ``m1`` a sub-item "(ii)";
- ``g3`` is the third "-" bullet (in an annex: its third row), ``p2`` the second "+"
  bullet, ``para2`` the second paragraph; ``.dup2`` the second item with one label;
- ``execution`` is the closing execution clause, ``fields-2`` the second duty block;
- anything else is shown as written.

>>> item_label("annex-1-a")
'Phụ lục, mục 1, điểm a'
>>> item_label("annex-1-a", "en")
'Annex, item 1, point a'
>>> item_label("III-2-2.2-b-g1-ii")
'Phần III, mục 2.2, điểm b, gạch đầu dòng 1, (ii)'
>>> item_label("annex-4-dd.dup2", "en")
'Annex, item 4, point đ (occurrence 2)'
>>> item_label("dieu-3-m1"), item_label("execution"), item_label("")
('Điều 3, (1)', 'Điều khoản thi hành', '')
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib.resources import files

_ROMAN_UPPER = re.compile(r"^[IVXL]+$")
_ROMAN_LOWER = re.compile(r"^[ivx]{2,}$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)*$")
_LETTER = re.compile(r"^(?:[a-z]|dd)$")
_SUB = re.compile(r"^m(\w+)$")
_BULLET = re.compile(r"^(g|p|para)(\d+)$")


@cache
def _words() -> dict[str, dict[str, str]]:
    text = files("obligraph.base.data").joinpath("item_labels.toml").read_text("utf-8")
    return tomllib.loads(text)


def item_label(task_id: str, lang: str = "vi", *, capital: bool = True) -> str:
    """The label of ``task_id`` in ``lang`` (``en``; anything else is Vietnamese);
    its first letter small when not ``capital`` (inside a sentence)."""
    words = _words()["en" if lang == "en" else "vi"]
    parts = task_id.split("-") if task_id else []
    out: list[str] = []
    in_annex = bool(parts) and parts[0].startswith("annex")
    i = 0
    while i < len(parts):
        seg, dup = parts[i], ""
        if ".dup" in seg:
            seg, dup = seg.split(".dup", 1)
        nxt = parts[i + 1] if i + 1 < len(parts) else ""
        said = _segment(seg, nxt, i, in_annex, words)
        if seg == "dieu" and nxt:
            said, i = words["article"].format(n=nxt), i + 1
        elif seg in ("execution", "fields") and _NUMBER.match(nxt):
            i += 1
            said = words[seg].format(n=nxt) if seg == "fields" else f"{said} {nxt}"
        if said:
            out.append(said + (" " + words["duplicate"].format(n=dup) if dup else ""))
        i += 1
    text = ", ".join(out)
    return (text[:1].upper() if capital else text[:1].lower()) + text[1:]


def _segment(seg: str, nxt: str, at: int, in_annex: bool, words: dict[str, str]) -> str:
    """One segment's words; '' for a number its dotted child repeats (``2`` before ``2.2``)."""
    if at == 0 and seg == "annex":
        return words["annex"]
    if at == 0 and re.fullmatch(r"annex(\d+)", seg):
        return words["annex_table"].format(n=seg[5:])
    if seg in ("execution", "fields"):
        return words[seg].format(n="")
    if _ROMAN_UPPER.match(seg):
        return words["part"].format(n=seg)
    if _NUMBER.match(seg):
        return "" if nxt.startswith(seg + ".") else words["item"].format(n=seg)
    if _LETTER.match(seg):
        return words["point"].format(n=seg.replace("dd", "đ"))
    if _ROMAN_LOWER.match(seg):
        return words["sub"].format(n=seg)
    bullet = _BULLET.match(seg)
    if bullet:
        kind, n = bullet.groups()
        key = {"g": "row" if in_annex else "dash", "p": "plus", "para": "paragraph"}[kind]
        return words[key].format(n=n)
    sub = _SUB.match(seg)
    if sub:
        return words["sub"].format(n=sub.group(1))
    return seg
