"""What the pages show in place of codes: concept labels, item labels, finding messages.

A page speaks one language (``vi``, or ``en`` with ``?lang=en``), so every value that
is a code in the graph is shown as a label of that language:

- a concept (severity, recurrence, role, modality, status, unit level, change kind):
  its ``rdfs:label`` in ``ontology/obligraph.ttl``, found by local name or IRI;
- a task id (``annex-1-a``): the item label people read in the document
  (:func:`obligraph.base.item_labels.item_label`);
- a finding: its ``ob:message`` in the page's language, else the catalogue's name
  of its code (``obligraph/base/data/findings.toml``);
- an overlap's reason: its ``ob:reason`` in the page's language;
- a missing value (``None``): nothing, never the word "None".

Machine outputs (CSV, XLSX, JSON, SPARQL results) keep the codes and ids.

>>> concept("Annual", "vi"), concept("SemiAnnual", "en"), concept("Warning", "vi")
('Hằng năm', 'Semi-annual', 'Cảnh báo')
>>> concept("https://w3id.org/obligraph/ontology#Info", "en"), concept("Cấp tỉnh", "vi")
('Info', 'Cấp tỉnh')
>>> finding_text({"code": "missing-annex", "message": "the body refers ..."}, "vi")
'Thiếu phụ lục'
>>> reason_text({"reason": "same text", "reasonVi": "cùng nội dung"}, "vi")
'cùng nội dung'
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from obligraph.base.finding_codes import title
from obligraph.base.item_labels import item_label

_OB = "https://w3id.org/obligraph/ontology#"


@cache
def _concepts() -> dict[str, dict[str, str]]:
    """Local name (and ``skos:notation``) of every concept of the ontology -> lang -> label."""
    from obligraph.ontology import ontology_path
    from obligraph.queries.library import internal
    from rdflib import Graph

    g = Graph().parse(ontology_path(), format="turtle")
    out: dict[str, dict[str, str]] = {}
    for row in g.query(internal("labels-concepts").text):
        c, label, notation = (str(x) if x is not None else "" for x in row)  # type: ignore[union-attr]
        if not c.startswith(_OB):
            continue
        lang = row[1].language or "en"  # type: ignore[index]
        for key in (c[len(_OB) :], notation):
            if key:
                out.setdefault(key, {})[lang] = label
    return out


def concept(value: Any, lang: str = "vi") -> str:
    """The label of a concept (its IRI or local name) in ``lang``; other values unchanged."""
    if value is None:
        return ""
    text = str(value)
    labels = _concepts().get(text.rsplit("#", 1)[-1]) if text else None
    if not labels:
        return text
    return labels.get("en" if lang == "en" else "vi") or text


def item_text(task_id: Any, lang: str = "vi") -> str:
    """The item label of a task id ("" for none)."""
    return item_label(str(task_id), lang) if task_id else ""


def finding_text(finding: Mapping[str, Any], lang: str = "vi") -> str:
    """The message of a finding row (``code``, ``message``, ``messageVi``) in ``lang``."""
    if lang == "en":
        return finding.get("message") or title(finding.get("code") or "", "en")
    return (
        finding.get("messageVi")
        or title(finding.get("code") or "", "vi")
        or finding.get("message")
        or ""
    )


def reason_text(overlap: Mapping[str, Any], lang: str = "vi") -> str:
    """The reason of an overlap row (``reason`` in English, ``reasonVi``) in ``lang``."""
    if lang == "en":
        return overlap.get("reason") or ""
    return overlap.get("reasonVi") or overlap.get("reason") or ""


def _finalize(value: Any) -> Any:
    """What ``{{ value }}`` prints: nothing for a missing value."""
    return "" if value is None else value


def install(env: Any) -> None:
    """Give a Jinja environment these filters, and print missing values as nothing."""
    env.finalize = _finalize
    env.filters.update(
        concept=concept, item_label=item_text, finding_text=finding_text, reason_text=reason_text
    )
