"""The catalogue of finding codes (``obligraph/base/data/findings.toml``): severity and texts.

A loader emits a :class:`~obligraph.loaders.records.Finding` with its code, an English
message and its details (``args``, and a ``variant`` when one code has several
wordings). :func:`render` words the same finding in Vietnamese or English from the
catalogue; graph building stores the Vietnamese beside the loader's English
(``ob:message`` @vi and @en), and pages show the one of their language.

>>> render("lead-and-support", {"unit": "Vụ Pháp chế", "item": "annex-2-c"}, "vi")
'Vụ Pháp chế vừa chủ trì vừa phối hợp ở phụ lục, mục 2, điểm c'
>>> render("missing-lead", {"item": "annex-1-a"}, "en", variant="support-only")
'annex, item 1, point a has support units but no lead'
>>> render("unparsed-unit-text", {"column": "support", "text": "x"}, "vi")
'chữ trong cột đơn vị phối hợp không nêu đơn vị nào: “x”'
>>> title("missing-annex", "vi"), severity("number-mismatch"), render("no-such-code", {})
('Thiếu phụ lục', 'error', '')
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from obligraph.base.item_labels import item_label

LANGS = ("vi", "en")
#: What an empty or missing detail prints as.
EMPTY = "—"


@dataclass(frozen=True)
class Entry:
    """One code of the catalogue."""

    code: str
    severity: str  # error | warning | info
    title: dict[str, str]  # lang -> short name
    texts: dict[str, str]  # lang -> template
    variants: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> lang -> template
    translate: tuple[str, ...] = ()  # details that are codes of [terms]

    def template(self, lang: str, variant: str = "") -> str:
        """The template of ``variant`` (the entry's own when it has no such variant)."""
        return self.variants.get(variant, self.texts).get(lang, "")

    def fields(self) -> set[str]:
        """Every detail any of its templates names."""
        out: set[str] = set()
        for texts in (self.texts, *self.variants.values()):
            for text in texts.values():
                out |= {f for _, f, _, _ in string.Formatter().parse(text) if f}
        return out


@cache
def _data() -> dict:
    text = files("obligraph.base.data").joinpath("findings.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def catalogue() -> dict[str, Entry]:
    """Every code of ``findings.toml``, by code."""
    out = {}
    for code, e in _data()["codes"].items():
        texts = {lang: e[lang] for lang in LANGS if lang in e}
        out[code] = Entry(
            code,
            e["severity"],
            dict(e.get("title", {})),
            texts,
            {name: dict(v) for name, v in e.get("variants", {}).items()},
            tuple(e.get("translate", ())),
        )
    return out


def severity(code: str, default: str = "warning") -> str:
    """The usual severity of ``code``."""
    entry = catalogue().get(code)
    return entry.severity if entry else default


def title(code: str, lang: str = "vi") -> str:
    """The short name of ``code`` in ``lang`` ('' for an unknown code)."""
    entry = catalogue().get(code)
    return entry.title.get(_lang(lang), "") if entry else ""


def render(code: str, args: Mapping[str, object], lang: str = "vi", variant: str = "") -> str:
    """The message of a finding in ``lang`` ('' for a code the catalogue lacks)."""
    entry = catalogue().get(code)
    if entry is None:
        return ""
    lang = _lang(lang)
    terms = _data().get("terms", {}).get(lang, {})
    values: dict[str, str] = {}
    for name in entry.fields():
        value = str(args.get(name, "") or "")
        if name == "item" and value:
            value = item_label(value, lang, capital=False)
        elif name in entry.translate:
            value = terms.get(value, value)
        values[name] = value or EMPTY
    return entry.template(lang, variant).format(**values)


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "vi"
